"""Platform operations on a card's registry: read it (GET STATUS in the ISD's secure
channel), purge an element no application accounts for, and the backend's own view
of the card with its two repairs (mark an application Unstable, adopt an element).

The card operations run through the touch point batch by batch like any delivery,
but outside a delivery session: no application owns them. Between batches the
backend keeps nothing. It hands the touch point a *ticket*, sealed (AES-GCM, key
derived from the backend's key-encryption key, so any worker opens it) and holding
only what the touch point has seen anyway: the host challenge and the card's answers
so far. Each step rebuilds the script from the ticket by replaying those answers
(the wrapping is deterministic for a given host challenge), so no keys and no channel
state ever leave the backend, and a touch point cannot alter the past answers.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backend_stub.compiler.base import CardContext, Script, ScriptError
from backend_stub.compiler.gp import GpError
from backend_stub.compiler.registry import RegistryScript, purge_script
from backend_stub.engine.context import Engine
from backend_stub.engine.keystore import secrets_for
from backend_stub.engine.lifecycle import AppLifecycle
from backend_stub.errors import ApiError, bad_request, conflict, not_found
from backend_stub.store.models import App, AppState, Device, ElementRow

TICKET_SECONDS = 300.0  # a ticket older than this is refused: read the card again
KINDS = ("package", "applet", "ssd")
# the card's own software, which no application may adopt or purge: GlobalPlatform's RID
# (the ISD and its package) and the platform's applet and package (API.md section 4)
PLATFORM_PREFIXES = ("A000000151", "A00000061702")
_PROCESS_KEY = os.urandom(32)  # a backend without a key-encryption key: this process only


def _ticket_aead(kek: bytes) -> AESGCM:
    return AESGCM(hmac.new(kek or _PROCESS_KEY, b"touchpoint platform ticket v1",
                           hashlib.sha256).digest())


def seal_ticket(kek: bytes, data: dict[str, Any]) -> str:
    nonce = os.urandom(12)
    sealed = _ticket_aead(kek).encrypt(nonce, json.dumps(data).encode(), b"ticket")
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def open_ticket(kek: bytes, ticket: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(ticket.encode("ascii"))
        data = json.loads(_ticket_aead(kek).decrypt(raw[:12], raw[12:], b"ticket"))
    except (binascii.Error, ValueError, InvalidTag, UnicodeError):
        raise bad_request("not a ticket this backend issued (or it was altered)",
                          "ticket") from None
    if not isinstance(data, dict):
        raise bad_request("not a ticket this backend issued", "ticket")
    return data


@dataclass(frozen=True)
class CardOp:
    """Which platform operation: "contents" (read the registry) or "purge" (one DELETE)."""

    name: str
    aid: str = ""
    related: bool = False


def _build(op: CardOp, ctx: CardContext, host_challenge: bytes) -> Script:
    if op.name == "contents":
        return RegistryScript(ctx, host_challenge=host_challenge)
    return purge_script(ctx, bytes.fromhex(op.aid), related=op.related,
                        host_challenge=host_challenge)


def _script_error(exc: ScriptError) -> ApiError:
    if exc.status == 417:
        return conflict(f"the card refused: {exc.message}", "responses")
    if exc.status == 400:
        return bad_request(exc.message, "responses")
    return ApiError(502, "card-verification", f"the card's answer failed verification: "
                    f"{exc.message}", "responses")


def _batch(commands: list[Any]) -> dict[str, Any]:
    return {"commands": [c.apdu.hex().upper() for c in commands],
            "expect": [list(c.expect) for c in commands], "names": [c.name for c in commands]}


async def card_step(eng: Engine, cin: str, iin: str | None, op: CardOp,
                    ticket: str | None, responses: list[bytes]) -> dict[str, Any]:
    """One round trip of a platform card operation: no ticket starts it (the opening
    batch); a ticket and the last batch's answers give the next batch, or, at the end,
    `{"commands": [], "result": {...}}`."""
    kek = eng.settings.kek
    if ticket is None:
        if responses:
            raise bad_request("the first call of a card operation carries no responses",
                              "responses")
        state: dict[str, Any] = {"op": op.name, "cin": cin, "iin": iin, "aid": op.aid,
                                 "related": op.related, "t": eng.clock(),
                                 "hc": os.urandom(8).hex(), "done": []}
    else:
        state = open_ticket(kek, ticket)
        if state.get("cin") != cin or state.get("op") != op.name or (
                op.name == "purge" and state.get("aid") != op.aid):
            raise bad_request("this ticket is for another card or operation", "ticket")
        if eng.clock() - float(state.get("t", 0)) > TICKET_SECONDS:
            raise conflict("the ticket expired: start the card operation again", "ticket")
        if not responses:
            raise bad_request("post the answers of the last batch", "responses")

    def _secrets(s: Session) -> Any:
        batch_id = s.execute(select(Device.batch_id).where(Device.cin == cin)).scalar()
        return secrets_for(s, cin, state.get("iin"), batch_id)

    secrets = await eng.db.read(_secrets)
    try:
        script = _build(op, CardContext(keys=secrets.keys), bytes.fromhex(state["hc"]))
        commands = script.first_batch()
        for past in state["done"]:
            commands = script.next_batch([bytes.fromhex(r) for r in past])
        if ticket is not None:
            commands = script.next_batch(responses)
            state["done"].append([r.hex().upper() for r in responses])
    except ScriptError as exc:
        raise _script_error(exc) from None
    if commands:
        return {"ticket": seal_ticket(kek, state), **_batch(commands)}
    return {"commands": [], "result": await _finish(eng, cin, op, script)}


async def _finish(eng: Engine, cin: str, op: CardOp, script: Script) -> dict[str, Any]:
    if isinstance(script, RegistryScript):
        try:
            registry = script.registry()
        except GpError as exc:
            raise ApiError(502, "card-answer", f"the card's GET STATUS answer: {exc}",
                           "responses") from None
        return {"card": registry, "backend": await backend_view(eng, cin)}
    answers = script.result().get("responses") or []
    gone = bool(answers) and answers[-1][-4:] == "6A88"
    return {"deleted": op.aid, "alreadyAbsent": gone}


# --- the backend's view and its repairs -------------------------------------------------

def _view(s: Session, cin: str) -> list[dict[str, Any]]:
    names = {a.app_id: a.description.get("name") for a in s.execute(select(App)).scalars()}
    states = {r.app_id: r.state for r in s.execute(
        select(AppState).where(AppState.cin == cin)).scalars()}
    elements: dict[str, list[dict[str, Any]]] = {}
    for row in s.execute(select(ElementRow).where(ElementRow.cin == cin).order_by(
            ElementRow.id)).scalars():
        elements.setdefault(row.app_id, []).append(
            {"kind": row.kind, "aid": row.aid, "parent": row.parent})
    out = []
    for app_id in sorted(set(states) | set(elements)):
        out.append({"appId": app_id, "name": names.get(app_id),
                    "state": states.get(app_id, AppLifecycle.NOT_INSTALLED.value),
                    "elements": elements.get(app_id, [])})
    return out


async def backend_view(eng: Engine, cin: str) -> list[dict[str, Any]]:
    """Per application with a state or elements on this card: its state and elements."""
    return await eng.db.read(lambda s: _view(s, cin))


def _owner(s: Session, cin: str, aid: str) -> str | None:
    return s.execute(select(ElementRow.app_id).where(
        ElementRow.cin == cin, ElementRow.aid == aid)).scalars().first()


def _set_unstable(s: Session, cin: str, app_id: str, now: float) -> None:
    row = s.get(AppState, (cin, app_id))
    if row is None:
        s.add(AppState(cin=cin, app_id=app_id, state=AppLifecycle.UNSTABLE.value,
                       updated_at=now))
    else:
        row.state, row.updated_at = AppLifecycle.UNSTABLE.value, now


def _known_app(s: Session, app_id: str) -> None:
    if s.get(App, app_id) is None:
        raise not_found("unknown application", "appId")


async def mark_unstable(eng: Engine, cin: str, app_id: str, aids: list[str]
                        ) -> list[dict[str, Any]]:
    """Elements the backend recorded but the card lacks: forget them and mark their
    application Unstable (elements changed outside its services)."""
    now = eng.clock()

    def _tx(s: Session) -> list[dict[str, Any]]:
        _known_app(s, app_id)
        if aids:
            s.execute(delete(ElementRow).where(ElementRow.cin == cin,
                                               ElementRow.app_id == app_id,
                                               ElementRow.aid.in_(aids)))
        _set_unstable(s, cin, app_id, now)
        s.flush()
        return _view(s, cin)

    return await eng.db.write(_tx)


async def adopt(eng: Engine, cin: str, app_id: str, kind: str, aid: str,
                parent: str | None) -> list[dict[str, Any]]:
    """An element on the card no application accounts for becomes `app_id`'s (its purge
    then removes it); an application that was NotInstalled becomes Unstable."""
    if kind not in KINDS:
        raise bad_request(f"kind must be one of {', '.join(KINDS)}", "kind")
    _not_platform(aid)
    now = eng.clock()

    def _tx(s: Session) -> list[dict[str, Any]]:
        _known_app(s, app_id)
        owner = _owner(s, cin, aid)
        if owner is not None:
            raise conflict(f"{aid} belongs to application {owner} already", "aid")
        s.add(ElementRow(cin=cin, app_id=app_id, kind=kind, aid=aid, parent=parent,
                         created_by=None, created_at=now))
        state = s.get(AppState, (cin, app_id))
        if state is None or state.state == AppLifecycle.NOT_INSTALLED.value:
            _set_unstable(s, cin, app_id, now)
        s.flush()
        return _view(s, cin)

    return await eng.db.write(_tx)


def _not_platform(aid: str) -> None:
    if aid.upper().startswith(PLATFORM_PREFIXES):
        raise conflict(f"{aid} is the card's own (the ISD or the platform): no application "
                       "may adopt or purge it", "aid")


async def check_purge(eng: Engine, cin: str, aid: str) -> None:
    """Only what no application accounts for is purged this way (409 otherwise: uninstall
    the owner instead, its purge removes it)."""
    _not_platform(aid)
    owner = await eng.db.read(lambda s: _owner(s, cin, aid))
    if owner is not None:
        raise conflict(f"{aid} belongs to application {owner}: uninstall it instead", "aid")
