"""SP operations: creation (with ownership checks) and the batch exchange with the touch point."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session, defer

from backend_stub.compiler.base import accepts
from backend_stub.engine import compile as scripts
from backend_stub.engine.cardchange import CHANGED_KEY, answered_change
from backend_stub.engine.context import Engine, Tx
from backend_stub.engine.flow import (
    ABSENT_SWS,
    end_operation,
    hold_session,
    new_operation,
    next_seq,
    result_body,
)
from backend_stub.engine.keystore import secrets_for
from backend_stub.engine.namespace import check_instance_aid
from backend_stub.engine.states import OperationStatus, Origin, SessionPhase
from backend_stub.errors import ApiError, bad_request, conflict, forbidden, not_found
from backend_stub.hexutil import HexError, app_applet_prefix, app_sd_aid, parse_hex, to_hex
from backend_stub.store.core import write_through
from backend_stub.store.models import (
    CapFileRow,
    DeliverySession,
    DesfireKeyRow,
    ElementRow,
    Operation,
    PendingBatch,
    capfiles_t,
    devices_t,
    elements_t,
    pending_batches_t,
)

# Hot-path statements, built once (building and cache-keying one costs more than running it)
_CAP_COLS = select(capfiles_t.c.lfdbh, capfiles_t.c.elf_aid, capfiles_t.c.applets)
_CAP_BY_ID = _CAP_COLS.where(capfiles_t.c.app_id == bindparam("app_id"),
                             capfiles_t.c.lfdbh == bindparam("lfdbh"))
_CAP_BY_ELF = _CAP_COLS.where(capfiles_t.c.app_id == bindparam("app_id"),
                              capfiles_t.c.elf_aid == bindparam("elf")).order_by(
    capfiles_t.c.created_at.desc()).limit(1)
_CAP_DATA = select(capfiles_t.c.data, capfiles_t.c.elf_aid).where(
    capfiles_t.c.app_id == bindparam("app_id"), capfiles_t.c.lfdbh == bindparam("lfdbh"))
_BATCH_ID = select(devices_t.c.batch_id).where(devices_t.c.cin == bindparam("cin"))
_ON_CARD = select(elements_t.c.kind, elements_t.c.aid).where(
    elements_t.c.cin == bindparam("cin"), elements_t.c.aid.in_(bindparam("aids", expanding=True)))
_NEW_PENDING = insert(pending_batches_t)
# a pending batch's commands (the biggest JSON of a delivery) are read only when the
# script cache lacks them: a restart, another worker, a resend
_OP_ROW = select(Operation, DeliverySession, PendingBatch).join(
    DeliverySession, DeliverySession.id == Operation.session_id).outerjoin(
    PendingBatch, PendingBatch.operation_id == Operation.id).where(
    Operation.id == bindparam("op_id")).with_for_update(of=DeliverySession).options(
    defer(PendingBatch.commands))
DELETES = ("/ccm/delete", "/desfire/ev1/deleteApp")


def _own_prefixes(app_id: str) -> tuple[str, str]:
    return to_hex(app_applet_prefix(app_id)), to_hex(app_sd_aid(app_id))


@dataclass(frozen=True)
class CapInfo:
    """The names of an uploaded CAP file (its bytes are read only to compile)."""

    lfdbh: str
    elf_aid: str
    applets: list[str]


def _cap_for(db: Session, app_id: str, request: dict[str, Any]) -> CapInfo:
    conn = db.connection()  # Core: capfiles rows are never changed in a delivery
    if request.get("id"):
        row = conn.execute(_CAP_BY_ID, {"app_id": app_id, "lfdbh": request["id"]}).first()
        if row is None:
            raise not_found("no CAP file with this LFDBH was uploaded for this application", "id")
        return CapInfo(row[0], row[1], row[2])
    elf = request.get("executableLoadFile")
    row = conn.execute(_CAP_BY_ELF, {"app_id": app_id, "elf": elf}).first()
    if row is None:
        raise not_found(f"no CAP file with package AID {elf} was uploaded for this application",
                        "executableLoadFile")
    return CapInfo(row[0], row[1], row[2])


_BATCH_IDS = "device_batch_ids"


def device_batch(db: Session, cin: str, batch_id: int | None) -> None:
    """Remember a card's batch id for this transaction (service/deliver just read it)."""
    db.info.setdefault(_BATCH_IDS, {})[cin] = batch_id


def _batch_id(db: Session, cin: str) -> int | None:
    known: dict[str, int | None] = db.info.setdefault(_BATCH_IDS, {})
    if cin not in known:
        known[cin] = db.connection().execute(_BATCH_ID, {"cin": cin}).scalar()
    return known[cin]


def _desfire_owner(db: Session, cin: str, daid: str) -> str | None:
    row = (db.execute(select(ElementRow.app_id).where(
        ElementRow.cin == cin, ElementRow.kind == "desfire-app", ElementRow.aid == daid))).first()
    return row[0] if row else None


def check_request(db: Session, session: DeliverySession, endpoint: str,
                  request: dict[str, Any]) -> dict[str, Any]:
    """Refuse operations on what the application does not own; resolve CAP names.

    Returns the request to store (with the resolved ELF AID for CAP operations).
    """
    app_id = session.app_id
    applet_prefix, sd_aid = _own_prefixes(app_id)
    own = (applet_prefix, sd_aid)
    req = dict(request)
    check_instance_aid(db, app_id, endpoint, req, "")
    if endpoint in ("/ccm/load", "/ccm/install"):
        cap = _cap_for(db, app_id, req)
        req["executableLoadFile"] = cap.elf_aid
        req["id"] = cap.lfdbh
        req["_targetSd"] = sd_aid
        if endpoint == "/ccm/install":
            module = req.get("executableModule") or req.get("module")
            if module not in cap.applets:
                field = "executableModule" if req.get("executableModule") else "module"
                raise bad_request(f"module {module} is not an applet of CAP file {cap.lfdbh} "
                                  f"(applets: {', '.join(cap.applets) or 'none'})", field)
            req["executableModule"] = module
    if endpoint == "/ccm/delete":
        aid = req["application"]
        mine = aid.startswith(own)
        if not mine:
            mine = (db.execute(select(ElementRow.id).where(
                ElementRow.cin == session.cin, ElementRow.app_id == app_id,
                ElementRow.aid == aid))).first() is not None
        if not mine:
            mine = (db.execute(select(CapFileRow.lfdbh).where(
                CapFileRow.app_id == app_id, CapFileRow.elf_aid == aid))).first() is not None
        if not mine:
            raise forbidden("an application may delete only what it owns", "application")
    if endpoint.startswith("/desfire/"):
        owner = _desfire_owner(db, session.cin, req["aid"])
        if owner is not None and owner != app_id:
            raise forbidden("this DESFire application belongs to another application", "aid")
    return req


async def create_operation(engine: Engine, app_id: str, session_id: str | None, endpoint: str,
                           request: dict[str, Any], callback_url: str | None) -> str:
    """An SP operation call: queued in its session, answered with the operation id at once."""
    if not session_id:
        raise bad_request("operations run inside a delivery: send the sessionId header",
                          "sessionId")
    if callback_url is not None and not re.match(r"^https?://\S+\Z", callback_url):
        raise bad_request("must be an absolute http(s) URL", "callbackUrl")

    def _create(tx: Tx) -> str:
        session = tx.db.get(DeliverySession, session_id, with_for_update=True)
        if session is None or session.app_id != app_id:
            raise forbidden("no such session for this application", "sessionId")
        if session.phase != SessionPhase.RUNNING:
            over = "over" if session.phase == SessionPhase.DONE else session.phase
            raise conflict(f"the session is {over}; operations are accepted only while the SP "
                           "is delivering", "sessionId")
        req = check_request(tx.db, session, endpoint, request)
        op = new_operation(session, Origin.SP, endpoint, req, next_seq(tx.db, session.id),
                           tx.now(), callback_url)
        tx.db.add(op)
        session.last_progress_at = tx.now()
        tx.effects.sessions.add(session.id)
        return op.id

    return await engine.write(_create)


def _facts(db: Session, op: Operation, session: DeliverySession) -> scripts.CardFacts | None:
    if op.endpoint == "/transceive":
        return None  # plain APDUs need nothing about the card
    conn = db.connection()  # Core reads: none of these rows changes in a delivery
    secrets = secrets_for(db, session.cin, session.iin, _batch_id(db, session.cin))
    ssd = app_sd_aid(session.app_id)
    ssd_hex = to_hex(ssd)
    facts = scripts.CardFacts(app_id=session.app_id, cin=session.cin, secrets=secrets, ssd_aid=ssd)
    req = op.request
    wanted = [("ssd", ssd_hex)]
    if op.endpoint in ("/ccm/load", "/ccm/install"):
        cap = conn.execute(_CAP_DATA, {"app_id": session.app_id, "lfdbh": req["id"]}).first()
        if cap is None:
            raise scripts.ScriptError(404, "the CAP file was deleted after the operation was "
                                           "accepted")
        facts.cap = cap[0]
        wanted.append(("package", cap[1]))
    # one statement for the card's security domain and package, whoever put them there
    on_card = {(k, a) for k, a in conn.execute(_ON_CARD, {
        "cin": session.cin, "aids": sorted({a for _k, a in wanted})})}
    facts.ssd_on_card = ("ssd", ssd_hex) in on_card
    if len(wanted) > 1:
        facts.package_on_card = wanted[1] in on_card
    if op.endpoint.startswith("/desfire/"):
        rows = (db.execute(select(DesfireKeyRow).where(
            DesfireKeyRow.cin == session.cin, DesfireKeyRow.daid == req["aid"]))).scalars().all()
        facts.desfire_keys = {(r.daid, r.key_no): (r.key_type, bytes.fromhex(r.key))
                              for r in rows}
    return facts


def _batch_json(commands: list[Any]) -> list[dict[str, Any]]:
    return [{"apdu": to_hex(c.apdu), "expect": list(c.expect), "name": c.name} for c in commands]


def connector_answer(batch: list[dict[str, Any]]) -> dict[str, Any]:
    """The connector/json answer: hex commands plus, per command, the SWs that let it go on."""
    return {"commands": [c["apdu"] for c in batch], "expect": [c["expect"] for c in batch],
            "names": [c["name"] for c in batch]}


NO_COMMANDS: dict[str, Any] = {"commands": []}  # the operation is over


def _elements(items: Any) -> list[tuple[str, str]]:
    """A script's added or removed elements, as `end_operation` records them."""
    return [(e.kind, e.aid.upper()) for e in items]


def _store_batch(tx: Tx, op: Operation, session: DeliverySession, script: scripts.Script,
                 commands: list[Any], pending: PendingBatch | None) -> dict[str, Any]:
    if not commands:
        end_operation(tx, op, session, 200, result=script.result(),
                      adds=_elements(script.adds), removes=_elements(script.removes))
        return dict(NO_COMMANDS)
    batch = _batch_json(commands)
    number = (pending.number + 1) if pending else 1
    # explicit statements instead of the unit of work (the operation, its session and its
    # batch are written here once each; a batch that goes on ends the transaction)
    if pending is None:
        tx.db.connection().execute(_NEW_PENDING, {"operation_id": op.id, "number": number,
                                                  "commands": batch, "sent_at": tx.now()})
    else:
        write_through(tx.db, pending, number=number, commands=batch, sent_at=tx.now())
    state = script.dump(batch=False)  # the pending batch row holds it: store it once
    if op.script_state and op.script_state.get(CHANGED_KEY):
        state[CHANGED_KEY] = True
    write_through(tx.db, op, script_state=state, batches=number)
    write_through(tx.db, session)  # apdus_carried, liveness
    tx.effects.scripts[op.id] = (number, script)
    return connector_answer(batch)


def _restore(op: Operation, pending: PendingBatch) -> scripts.Script:
    """The operation's script from the database (a restart or another worker lost the cache)."""
    return scripts.load_script({**(op.script_state or {}), "batch": pending.commands})


def parse_responses(raw: list[Any]) -> list[bytes]:
    """connector/json's responses as bytes, 400 naming the first that is not an R-APDU."""
    out = []
    for i, r in enumerate(raw):
        try:
            out.append(parse_hex(r, min_len=2, max_len=65538))
        except HexError as exc:
            raise bad_request(f"a response APDU (data and status word) {exc}",
                              f"responses.{i}") from None
    return out


def open_batch(tx: Tx, op: Operation, session: DeliverySession, pending: PendingBatch | None
               ) -> dict[str, Any]:
    """The operation's pending batch (`pending`, as the caller looked it up), compiling the
    script on first use (idempotent). `{"commands": []}` when the operation is over (or
    ended here: it could not compile)."""
    if op.status == OperationStatus.DONE:
        return dict(NO_COMMANDS)
    if pending is not None:
        return connector_answer(pending.commands)
    try:
        facts = _facts(tx.db, op, session)
        script = scripts.build_script(op.endpoint, op.request, facts)
        commands = script.first_batch()
    except scripts.ScriptError as exc:
        end_operation(tx, op, session, exc.status, message=exc.message)
        return dict(NO_COMMANDS)
    op.status = OperationStatus.RUNNING
    op.started_at = tx.now()
    return _store_batch(tx, op, session, script, commands, None)


def exchange(tx: Tx, op_id: str, raw: list[bytes]) -> tuple[dict[str, Any], DeliverySession]:
    """One connector/json round trip: take the last batch's responses (`raw`), answer the
    next batch; also the operation's session (locked, for what it does next)."""
    # one statement for the operation, its session and its pending batch
    row = tx.db.execute(_OP_ROW, {"op_id": op_id}).first()
    if row is None:
        raise not_found("unknown operation", "uuid")
    op, session, pending = row
    hold_session(tx.db, session)  # locked by this statement: the next step reuses it
    tx.engine.seen(session.id)
    now = tx.now()
    if now - session.last_device_at > 0.5:  # liveness for the other workers' watchdogs
        session.last_device_at = now
    if op.origin == Origin.INTERACTION:
        raise conflict("this operation is a user interaction: answer it through service/fetch",
                       "uuid")
    if op.status == OperationStatus.DONE:
        return dict(NO_COMMANDS), session
    if pending is None:
        if raw:
            raise bad_request("no batch is pending for this operation: its first call carries "
                              "no responses", "responses")
        return open_batch(tx, op, session, None), session
    if not raw:  # the touch point lost our answer: send the same batch again
        return connector_answer(pending.commands), session
    return _take_responses(tx, op, session, pending, raw), session


def _take_responses(tx: Tx, op: Operation, session: DeliverySession, pending: PendingBatch,
                    raw: list[bytes]) -> dict[str, Any]:
    script: scripts.Script | None = None
    cached = tx.engine.scripts.pop(op.id, None)
    if cached is not None and cached[0] == pending.number:
        script = cached[1]
    checks = ([(c.expect, c.name) for c in script.batch] if script is not None else
              [(tuple(c["expect"]), c.get("name") or "") for c in pending.commands])
    if len(raw) > len(checks):
        raise bad_request(f"{len(raw)} responses for a batch of {len(checks)} commands",
                          "responses")
    failed_at = None
    for i, r in enumerate(raw):
        if not accepts(checks[i][0])((r[-2] << 8) | r[-1]):
            failed_at = i
            break
    if failed_at is None and len(raw) < len(checks):
        raise bad_request(f"{len(raw)} responses for a batch of {len(checks)} commands: carry "
                          "every command, or stop right after a status word outside 'expect'",
                          "responses")
    carried = raw if failed_at is None else raw[:failed_at + 1]
    batch_cmds = script.batch if script is not None else pending.commands
    if answered_change(batch_cmds, len(raw) if failed_at is None else failed_at):
        op.script_state = {**(op.script_state or {}), CHANGED_KEY: True}
    op.responses = [*op.responses, *(to_hex(r) for r in carried)]
    session.apdus_carried += len(carried)
    if script is None and (failed_at is None or op.script_state):
        script = _restore(op, pending)
    if failed_at is not None:
        sw = raw[failed_at][-2:].hex().upper()
        name = checks[failed_at][1] or "command"
        if op.endpoint in DELETES and sw in ABSENT_SWS and "delete" in name.lower():
            # deleting what is not there leaves the card as asked: success, like `rm -f`
            end_operation(tx, op, session, 200, result={"alreadyAbsent": True},
                          removes=_elements(script.removes if script else []))
        else:
            end_operation(tx, op, session, 417, result={"responses": list(op.responses)},
                          message=f"the card answered {sw} to {name}",
                          adds=_elements(script.adds if script else []), answered=True)
        return dict(NO_COMMANDS)
    assert script is not None
    try:
        commands = script.next_batch(raw)
    except scripts.ScriptError as exc:
        result = {"responses": list(op.responses)} if exc.status == 417 else None
        end_operation(tx, op, session, exc.status, result=result, message=exc.message,
                      adds=_elements(script.adds), answered=True)
        return dict(NO_COMMANDS)
    return _store_batch(tx, op, session, script, commands, pending)


async def operation_status(engine: Engine, app_id: str, op_id: str) -> dict[str, Any]:
    """GET /status/{id}: 403 for ids that are not the caller's (known or not), 404 until done."""
    def _status(db: Session) -> Any:
        op = db.get(Operation, op_id)
        if op is None or op.app_id != app_id or op.origin != Origin.SP:
            raise forbidden("no such operation for this application", "operationId")
        if op.status != OperationStatus.DONE:
            raise ApiError(404, "not-ready", "the operation has not finished yet", "operationId")
        return result_body(op)
    return await engine.db.read(_status)
