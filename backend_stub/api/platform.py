"""Platform operations of the touch point API: what is on the card, and its repairs.

* `POST /v3/devices/{cin}/contents` reads the card's registry with GET STATUS inside the
  ISD's secure channel. The first call (no `ticket`) answers the opening batch; the
  touch point sends it to the card and posts the answers with the `ticket` it got, until
  `commands` is empty; then `result` holds the decoded registry (`card`: `isd`, `apps`,
  `loadFiles`) beside the backend's view (`backend`). The batches have the shape of
  connector/json's (`commands`, `expect`, `names`).
* `POST /v3/devices/{cin}/purge` deletes one element no application accounts for, the
  same way (DELETE in the ISD's secure channel).
* `GET /v3/devices/{cin}/elements`: the backend's view: per application its state on
  this card and the elements it put there.
* `POST /v3/devices/{cin}/elements/unstable` and `.../elements/adopt`: the repairs.

Touch points (device token) and the admin only: an SP sees its own applications, not
a card's whole registry.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, StrictStr

from backend_stub.api.auth import Principal, device_principal, engine_of
from backend_stub.api.params import CinPath
from backend_stub.engine import registry
from backend_stub.engine.operations import parse_responses
from backend_stub.engine.requests import hex_validator
from backend_stub.errors import forbidden

router = APIRouter(prefix="/v3/devices/{cin}", tags=["Touch point"])
Dev = Annotated[Principal, Depends(device_principal)]
Aid = Annotated[StrictStr, hex_validator(min_len=5, max_len=16)]
AppId = Annotated[StrictStr, Field(pattern=r"^[0-9A-Fa-f]{8}$")]
Ticket = Annotated[StrictStr, Field(min_length=16, max_length=200_000)]
Responses = Annotated[list[StrictStr], Field(max_length=256)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ContentsRequest(_Body):
    iin: Annotated[StrictStr, hex_validator(min_len=1, max_len=32)] | None = None
    ticket: Ticket | None = None
    responses: Responses = Field(default_factory=list)


class PurgeRequest(ContentsRequest):
    aid: Aid
    withRelated: bool = True


class UnstableRequest(_Body):
    appId: AppId
    aids: Annotated[list[Aid], Field(max_length=256)] = Field(default_factory=list)


class AdoptRequest(_Body):
    appId: AppId
    kind: Annotated[StrictStr, Field(max_length=16)]
    aid: Aid
    parent: Aid | None = None


def _device(principal: Principal) -> None:
    if principal.kind == "sp":
        raise forbidden("platform operations are for touch points, not service providers")


_STEP = {"description": "the next batch (`ticket`, `commands`, `expect`, `names`), or "
                        "`commands: []` with `result` at the end"}


@router.post("/contents", responses={200: _STEP, 409: {"description": "the card refused a "
             "command, or the ticket expired"}, 502: {"description": "the card's answer "
             "failed verification (cryptogram, R-MAC) or is malformed"}})
async def contents(cin: CinPath, body: ContentsRequest, request: Request,
                   principal: Dev) -> dict[str, Any]:
    """Read the card's registry (ISD, applications and domains, load files with modules)."""
    _device(principal)
    op = registry.CardOp("contents")
    return await registry.card_step(engine_of(request), cin.upper(), _up(body.iin), op,
                                    body.ticket, parse_responses(body.responses))


@router.post("/purge", responses={200: _STEP, 409: {"description": "an application owns "
             "the element, the card refused, or the ticket expired"},
             502: {"description": "the card's answer failed verification"}})
async def purge(cin: CinPath, body: PurgeRequest, request: Request,
                principal: Dev) -> dict[str, Any]:
    """Delete an element no application accounts for (with related objects by default)."""
    _device(principal)
    eng = engine_of(request)
    aid = body.aid.upper()
    if body.ticket is None:
        await registry.check_purge(eng, cin.upper(), aid)
    op = registry.CardOp("purge", aid, body.withRelated)
    return await registry.card_step(eng, cin.upper(), _up(body.iin), op, body.ticket,
                                    parse_responses(body.responses))


@router.get("/elements")
async def elements(cin: CinPath, request: Request, principal: Dev) -> list[dict[str, Any]]:
    """Per application with a state or elements on this card: `appId`, `name`, `state`,
    `elements` ([{kind, aid, parent}])."""
    _device(principal)
    return await registry.backend_view(engine_of(request), cin.upper())


@router.post("/elements/unstable", responses={404: {"description": "unknown application"}})
async def unstable(cin: CinPath, body: UnstableRequest, request: Request,
                   principal: Dev) -> list[dict[str, Any]]:
    """Forget `aids` (not on the card) and mark the application Unstable; answers the
    backend's view."""
    _device(principal)
    return await registry.mark_unstable(engine_of(request), cin.upper(), body.appId.lower(),
                                        [a.upper() for a in body.aids])


@router.post("/elements/adopt", responses={404: {"description": "unknown application"},
                                           409: {"description": "another application owns "
                                                                "the element"}})
async def adopt(cin: CinPath, body: AdoptRequest, request: Request,
                principal: Dev) -> list[dict[str, Any]]:
    """Make an element on the card an application's (NotInstalled becomes Unstable);
    answers the backend's view."""
    _device(principal)
    return await registry.adopt(engine_of(request), cin.upper(), body.appId.lower(), body.kind,
                                body.aid.upper(), _up(body.parent))


def _up(value: str | None) -> str | None:
    return value.upper() if value else None
