"""Service Provider operation API (API.md section 1), at the root like the public platform.

Each call answers `{"operationId"}` at once; the result is POSTed to the
`callbackUrl` header's URL and can be read with GET /status/{operationId}.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request

from backend_stub.api.auth import Principal, engine_of, sp_principal
from backend_stub.api.params import OperationIdPath
from backend_stub.engine import requests as rq
from backend_stub.engine.delivery import sp_completed
from backend_stub.engine.operations import create_operation, operation_status

router = APIRouter(tags=["Service Provider operations"])

SessionHeader = Annotated[str | None, Header(
    alias="sessionId", description="the sessionId of the ServiceDeliveryRequest")]
CallbackHeader = Annotated[str | None, Header(
    alias="callbackUrl", description="where the backend POSTs the operation's result")]
SP = Annotated[Principal, Depends(sp_principal)]


async def _op(request: Request, principal: Principal, session_id: str | None,
              callback: str | None, endpoint: str, body: rq._Body) -> dict[str, Any]:
    eng = engine_of(request)
    assert principal.app_id is not None
    op_id = await create_operation(eng, principal.app_id, session_id, endpoint,
                                   body.model_dump(exclude_none=True), callback)
    return {"operationId": op_id}


RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "malformed body or header; `field` names it"},
    401: {"description": "missing or wrong credentials"},
    403: {"description": "the session, AID or DESFire application is not the caller's"},
    404: {"description": "the named CAP file was not uploaded"},
    409: {"description": "the session is not accepting operations"},
}


@router.post("/transceive", response_model=rq.OperationAccepted, responses=RESPONSES)
async def transceive(body: rq.TransceiveRequest, request: Request, principal: SP,
                     session_id: SessionHeader = None,
                     callback: CallbackHeader = None) -> dict[str, Any]:
    """Plain APDUs; the result's `responses` are the R-APDUs (data and SW) in order."""
    return await _op(request, principal, session_id, callback, "/transceive", body)


@router.post("/secure-transceive", response_model=rq.OperationAccepted, responses=RESPONSES)
async def secure_transceive(body: rq.SecureTransceiveRequest, request: Request, principal: SP,
                            session_id: SessionHeader = None,
                            callback: CallbackHeader = None) -> dict[str, Any]:
    """APDUs inside an SCP03/SCP02 channel to the SP's own security domain (or applet)."""
    return await _op(request, principal, session_id, callback, "/secure-transceive", body)


@router.put("/ccm/load", response_model=rq.OperationAccepted, responses=RESPONSES)
async def ccm_load(body: rq.CcmLoadRequest, request: Request, principal: SP,
                   session_id: SessionHeader = None,
                   callback: CallbackHeader = None) -> dict[str, Any]:
    """Load an uploaded CAP file into the SP's security domain (created on first use)."""
    return await _op(request, principal, session_id, callback, "/ccm/load", body)


@router.put("/ccm/install", response_model=rq.OperationAccepted, responses=RESPONSES)
async def ccm_install(body: rq.CcmInstallRequest, request: Request, principal: SP,
                      session_id: SessionHeader = None,
                      callback: CallbackHeader = None) -> dict[str, Any]:
    """Install an applet instance; the CAP is loaded first when it is not on the card, and
    the SP's security domain A00000061701+appId is created on the first install."""
    return await _op(request, principal, session_id, callback, "/ccm/install", body)


@router.put("/ccm/storedata", response_model=rq.OperationAccepted, responses=RESPONSES)
async def ccm_storedata(body: rq.CcmStoreDataRequest, request: Request, principal: SP,
                        session_id: SessionHeader = None,
                        callback: CallbackHeader = None) -> dict[str, Any]:
    """Personalise an applet: the data travels encrypted (C-DECRYPTION) to the card."""
    return await _op(request, principal, session_id, callback, "/ccm/storedata", body)


@router.put("/ccm/delete", response_model=rq.OperationAccepted, responses=RESPONSES)
async def ccm_delete(body: rq.CcmDeleteRequest, request: Request, principal: SP,
                     session_id: SessionHeader = None,
                     callback: CallbackHeader = None) -> dict[str, Any]:
    """Delete an instance, or a package with its instances (`withRelated`).

    Deleting what is not on the card (the card answers 6A88) succeeds with
    `"alreadyAbsent": true` in the result, so an uninstall can always clean up.
    """
    return await _op(request, principal, session_id, callback, "/ccm/delete", body)


@router.put("/ccm/setstatus", response_model=rq.OperationAccepted, responses=RESPONSES)
async def ccm_setstatus(body: rq.CcmSetStatusRequest, request: Request, principal: SP,
                        session_id: SessionHeader = None,
                        callback: CallbackHeader = None) -> dict[str, Any]:
    """Lock (`"lock": true`, for a suspend service) or unlock an applet instance.

    Not in the public platform's documented API; this backend adds it so that
    suspend and unsuspend services can be written (GlobalPlatform SET STATUS).
    """
    return await _op(request, principal, session_id, callback, "/ccm/setstatus", body)


# The public platform uses PUT for CCM calls; POST is accepted as well, and documented (an
# undocumented method must answer 405).
for _path, _fn in (("/ccm/load", ccm_load), ("/ccm/install", ccm_install),
                   ("/ccm/storedata", ccm_storedata), ("/ccm/delete", ccm_delete),
                   ("/ccm/setstatus", ccm_setstatus)):
    router.add_api_route(_path, _fn, methods=["POST"], response_model=rq.OperationAccepted,
                         responses=RESPONSES, operation_id=f"{_fn.__name__}_post",
                         summary=f"{_path} (POST, the same as PUT)")


@router.post("/desfire/ev1/createApp", response_model=rq.OperationAccepted, responses=RESPONSES)
async def desfire_create(body: rq.DesfireCreateAppRequest, request: Request, principal: SP,
                         session_id: SessionHeader = None,
                         callback: CallbackHeader = None) -> dict[str, Any]:
    """Create a DESFire EV1 application (the backend authenticates with the PICC key)."""
    return await _op(request, principal, session_id, callback, "/desfire/ev1/createApp", body)


@router.post("/desfire/ev1/deleteApp", response_model=rq.OperationAccepted, responses=RESPONSES)
async def desfire_delete(body: rq.DesfireDeleteAppRequest, request: Request, principal: SP,
                         session_id: SessionHeader = None,
                         callback: CallbackHeader = None) -> dict[str, Any]:
    """Delete a DESFire EV1 application."""
    return await _op(request, principal, session_id, callback, "/desfire/ev1/deleteApp", body)


@router.post("/desfire/ev1/transceive", response_model=rq.OperationAccepted,
             responses=RESPONSES)
async def desfire_transceive(body: rq.DesfireTransceiveRequest, request: Request,
                             principal: SP, session_id: SessionHeader = None,
                             callback: CallbackHeader = None) -> dict[str, Any]:
    """Native DESFire commands after authenticating with the key the backend holds."""
    return await _op(request, principal, session_id, callback, "/desfire/ev1/transceive", body)


@router.post("/service/completed", responses={
    409: {"description": "the session already ended"}})
async def service_completed(body: rq.ServiceCompletedRequest, request: Request, principal: SP,
                            session_id: SessionHeader = None) -> dict[str, Any]:
    """End the delivery. After a successful uninstall the backend first removes everything
    the application ever put on the card, then reports completion to the touch point."""
    assert principal.app_id is not None
    await sp_completed(engine_of(request), principal.app_id, session_id, body.success,
                       body.message)
    return {}


@router.get("/status/{operationId}", responses={
    403: {"description": "not an operation of the caller (whether it exists or not)"},
    404: {"description": "the caller's operation has not finished yet"}})
async def status(operationId: OperationIdPath, request: Request, principal: SP) -> dict[str, Any]:
    """`{"operationId", "statusCode", "responses"?, "message"?}` once the operation ended."""
    assert principal.app_id is not None
    return await operation_status(engine_of(request), principal.app_id, operationId)
