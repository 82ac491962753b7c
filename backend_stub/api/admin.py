"""Admin API: create SP applications and their credentials, configure card keys, inspect."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backend_stub.api.auth import Principal, admin_principal, engine_of
from backend_stub.api.errors import json_body
from backend_stub.api.params import AppIdPath, KeyScopePath, SessionIdPath
from backend_stub.engine import apps as appsvc
from backend_stub.engine.flow import result_body
from backend_stub.engine.keystore import describe, parse_key_config, put_keys
from backend_stub.engine.states import OperationStatus
from backend_stub.engine.validation import check_app_id
from backend_stub.errors import bad_request, not_found
from backend_stub.store.models import Callback, CardKeyRow, DeliverySession, Operation

router = APIRouter(prefix="/admin", tags=["Admin"])
Admin = Annotated[Principal, Depends(admin_principal)]


@router.post("/apps", status_code=201, openapi_extra={"requestBody": {"content": {
    "application/json": {"schema": {"type": "object", "properties": {
        "appId": {"type": "string", "description": "8 hex digits; random when absent"},
        "appKey": {"type": "string", "description": "32 hex digits; random when absent"},
        "name": {"type": "object"}, "state": {"type": "string"},
        "serviceDescriptionUrl": {"type": "string"}, "serviceDeliveryUrl": {"type": "string"},
        "currency": {"type": "string"}, "vat": {"type": "number"}}}}}}})
async def create_app(request: Request, _admin: Admin) -> dict[str, Any]:
    """A new SP application: answers `{"appId", "appKey", "token"}` (shown this once)."""
    body = await json_body(request)
    if not isinstance(body, dict):
        raise bad_request("must be a JSON object", "body")
    return await appsvc.create_app(engine_of(request), body)


@router.get("/apps")
async def list_apps(request: Request, _admin: Admin) -> list[dict[str, Any]]:
    """Every application; a stored row that cannot be served is skipped (and logged)."""
    def _tx(s: Session) -> Any:
        return [{"appId": app_id, "state": state, "name": name}
                for app_id, state, name in appsvc.listed_apps(s)]
    return await engine_of(request).db.read(_tx)


@router.delete("/apps/{appId}", status_code=204, responses={
    404: {"description": "unknown application"},
    409: {"description": "one of its deliveries is running, or cards hold it (without force)"}})
async def delete_app(appId: AppIdPath, request: Request, _admin: Admin,
                     force: bool = False) -> Response:
    """Remove an application and everything stored for it: services, recipes, CAP files,
    per-card states and element records, sessions and operations. What it put on cards
    stays there. While cards hold the application it is refused unless `force=true`
    (the purge of an uninstall needs what would be deleted)."""
    await appsvc.delete_app(engine_of(request), check_app_id(appId), force=force)
    return Response(status_code=204)


@router.put("/apps/{appId}/credentials")
async def reset_credentials(appId: AppIdPath, request: Request, _admin: Admin) -> dict[str, Any]:
    """New app key (random, or `{"appKey"}` from the body) and a new bearer token."""
    raw = await request.body()
    body = await json_body(request) if raw.strip() else {}
    if not isinstance(body, dict):
        raise bad_request("must be a JSON object", "body")
    return await appsvc.reset_credentials(engine_of(request), check_app_id(appId),
                                          body.get("appKey"))


@router.get("/card-keys")
async def list_keys(request: Request, _admin: Admin) -> list[dict[str, Any]]:
    """Key configurations with their KCVs (key values never leave the backend)."""
    def _tx(s: Session) -> Any:
        rows = (s.execute(select(CardKeyRow).order_by(CardKeyRow.scope,
                                                      CardKeyRow.match))).scalars().all()
        return [describe(r) for r in rows]
    return await engine_of(request).db.read(_tx)


@router.put("/card-keys")
async def set_keys(request: Request, _admin: Admin) -> dict[str, Any]:
    """`{"scope": cin|batch|iin|default, "match", "masterKey" | "enc","mac","dek", "kvn",
    "diversify": none|auto|kdf3|emv|visa2, "piccKey"?, "piccKeyType"?}`."""
    eng = engine_of(request)
    cfg = parse_key_config(await json_body(request))
    def _tx(s: Session) -> Any:
        put_keys(s, cfg, eng.clock())
        s.flush()
        row = (s.execute(select(CardKeyRow).where(
            CardKeyRow.scope == cfg["scope"], CardKeyRow.match == cfg["match"]))).scalar_one()
        return describe(row)
    return await eng.db.write(_tx)


@router.delete("/card-keys/{scope}", status_code=204)
async def delete_keys(scope: KeyScopePath, request: Request, _admin: Admin,
                      match: str = "") -> Response:
    def _tx(s: Session) -> Any:
        result = s.execute(delete(CardKeyRow).where(
            CardKeyRow.scope == scope, CardKeyRow.match == match.upper()))
        if not result.rowcount:  # type: ignore[attr-defined]
            raise not_found("no such key configuration", "scope")
    await engine_of(request).db.write(_tx)
    return Response(status_code=204)


@router.get("/sessions/{sessionId}")
async def session(sessionId: SessionIdPath, request: Request, _admin: Admin) -> dict[str, Any]:
    """A delivery with its operations and callback delivery (for SP testers)."""
    def _tx(s: Session) -> Any:
        sess = s.get(DeliverySession, sessionId)
        if sess is None:
            raise not_found("unknown session", "sessionId")
        ops = (s.execute(select(Operation).where(
            Operation.session_id == sessionId).order_by(Operation.seq))).scalars().all()
        cbs = {c.operation_id: c for c in (s.execute(select(Callback).where(
            Callback.operation_id.in_([o.id for o in ops])))).scalars().all()}
        out_ops = []
        for op in ops:
            cb = cbs.get(op.id)
            out_ops.append({
                "operationId": op.id, "origin": op.origin, "endpoint": op.endpoint,
                "status": op.status, "statusCode": op.status_code, "message": op.message,
                "batches": op.batches, "apdus": len(op.responses),
                "result": result_body(op) if op.status == OperationStatus.DONE else None,
                "callback": None if cb is None else {
                    "url": cb.url, "attempts": cb.attempts, "delivered": cb.delivered_at
                    is not None, "gaveUp": cb.gave_up, "lastError": cb.last_error},
            })
        return {"sessionId": sess.id, "appId": sess.app_id, "serviceId": sess.service_id,
                "kind": sess.service_kind, "cin": sess.cin, "phase": sess.phase,
                "success": sess.success, "message": sess.message,
                "priorState": sess.prior_state, "finalState": sess.final_state,
                "apdusCarried": sess.apdus_carried, "operations": out_ops}
    return await engine_of(request).db.read(_tx)
