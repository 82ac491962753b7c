"""Applications, services, recipes and CAP files: the management side of the backend."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Text, delete, select, type_coerce
from sqlalchemy.orm import Session

from backend_stub.compiler.cap import CapError, CapFile
from backend_stub.engine.context import Engine
from backend_stub.engine.namespace import check_instance_aid
from backend_stub.engine.requests import parse_action
from backend_stub.engine.validation import (
    check_app_description,
    check_app_id,
    check_app_settings,
    check_ml_string,
    check_recipe,
    check_service_id,
)
from backend_stub.errors import ApiError, bad_request, conflict, not_found
from backend_stub.hexutil import HexError, parse_hex, to_hex
from backend_stub.jsonlimits import servable
from backend_stub.store.models import (
    App,
    AppState,
    Callback,
    CapFileRow,
    DeliverySession,
    DesfireKeyRow,
    ElementRow,
    Operation,
    PendingBatch,
    Service,
)

log = logging.getLogger("backend_stub.apps")

APP_STATES = ("published", "demo", "development")


def secret_hash(value: str) -> str:
    """SHA-256 of a credential: app keys and tokens are random 128+ bit values, so a plain
    hash is enough; only hashes are stored."""
    return hashlib.sha256(value.encode()).hexdigest()


def same_secret(value: str, stored_hash: str) -> bool:
    return hmac.compare_digest(secret_hash(value), stored_hash)


def new_app_key() -> str:
    return secrets.token_hex(16)


def new_token() -> str:
    return "tp_" + secrets.token_urlsafe(32)


async def create_app(eng: Engine, body: dict[str, Any]) -> dict[str, Any]:
    """Admin: a new SP application; answers its credentials (shown only once)."""
    app_id = check_app_id(body["appId"]) if body.get("appId") is not None else \
        secrets.token_hex(4)
    key = body.get("appKey")
    if key is not None:
        try:
            key = parse_hex(key, exact=16).hex()
        except HexError as exc:
            raise bad_request(str(exc), "appKey") from None
    else:
        key = new_app_key()
    state = body.get("state", "published")
    if state not in APP_STATES:
        raise bad_request(f"must be one of {', '.join(APP_STATES)}", "state")
    name = check_ml_string(body["name"], "name") if body.get("name") is not None else \
        {"en": f"App {app_id}"}
    settings = check_app_settings(body)
    token = new_token()
    now = eng.clock()
    def _tx(s: Session) -> Any:
        if s.get(App, app_id) is not None:
            raise conflict("an application with this appId exists", "appId")
        s.add(App(app_id=app_id, key_hash=secret_hash(key), token_hash=secret_hash(token),
                  state=state, description={"name": name}, settings=settings,
                  created_at=now, updated_at=now))
    await eng.db.write(_tx)
    return {"appId": app_id, "appKey": key.upper(), "token": token}


async def reset_credentials(eng: Engine, app_id: str, app_key: str | None) -> dict[str, Any]:
    """Admin: new app key (or the given one) and a new bearer token."""
    if app_key is not None:
        try:
            app_key = parse_hex(app_key, exact=16).hex()
        except HexError as exc:
            raise bad_request(str(exc), "appKey") from None
    key = app_key or new_app_key()
    token = new_token()
    def _tx(s: Session) -> Any:
        app = s.get(App, app_id)
        if app is None:
            raise not_found("unknown application", "appId")
        app.key_hash, app.token_hash = secret_hash(key), secret_hash(token)
        app.updated_at = eng.clock()
    await eng.db.write(_tx)
    return {"appId": app_id, "appKey": key.upper(), "token": token}


def app_for_credentials(s: Session, app_id: str, app_key: str) -> App | None:
    app = s.get(App, app_id.lower())
    if app is None or not same_secret(app_key.lower(), app.key_hash):
        return None
    return app


def app_for_token(s: Session, token: str) -> App | None:
    return (s.execute(select(App).where(
        App.token_hash == secret_hash(token)))).scalar_one_or_none()


def service_ids(s: Session, app_id: str) -> list[str]:
    rows = s.execute(select(Service.service_id).where(Service.app_id == app_id).order_by(
        Service.service_id))
    return [r for (r,) in rows]


def live_service_ids(s: Session, app: App) -> list[str]:
    """The services a touch point can run: recipe services, and SP services when the app
    has an SP server (a service with neither would only answer 503)."""
    query = select(Service.service_id).where(Service.app_id == app.app_id)
    if not app.settings.get("serviceDescriptionUrl"):
        query = query.where(Service.recipe.is_not(None))
    return [r for (r,) in s.execute(query.order_by(Service.service_id))]


def default_organization(app: App) -> dict[str, Any]:
    """An app stored without an organization is its own: fdsm reads organization.name of
    every app it lists (tool/.../Main.java, --store-apps / --card-apps)."""
    return {"name": dict(app.description.get("name") or {"en": f"App {app.app_id}"})}


def app_document(app: App) -> dict[str, Any]:
    """GET /v3/apps/{appId}: the App Description with its portal settings; a 500 naming
    the way out when the stored row cannot be answered (stored before the input limits).

    Always complete: appId, name, organization.name and state are present."""
    doc = {"appId": app.app_id, "organization": default_organization(app),
           **app.description, **app.settings, "state": app.state}
    if not servable(doc):
        log.error("the stored App Description of %s cannot be served", app.app_id)
        raise ApiError(500, "bad-stored-document", "the stored App Description of this "
                       "application cannot be served; PUT a new one, or an admin removes the "
                       "application (DELETE /admin/apps/{appId})", "appId")
    return doc


_LISTING = select(App.app_id, App.state, type_coerce(App.description, Text)).order_by(
    App.app_id)


def listed_apps(s: Session) -> list[tuple[str, str, Any]]:
    """(appId, state, name) of every application whose name can be served; a row that
    cannot (unreadable, or stored before the input limits) is skipped and logged, so one
    bad row never breaks every touch point's catalog."""
    out = []
    for app_id, state, raw in s.execute(_LISTING):
        try:
            name = (raw if isinstance(raw, dict) else json.loads(raw)).get("name")
        except (ValueError, TypeError, AttributeError, RecursionError):
            name = None
            ok = False
        else:
            ok = servable(name)
        if not ok:
            log.error("application %s skipped in a listing: its stored description "
                      "cannot be served", app_id)
            continue
        out.append((app_id, state, name))
    return out


async def delete_app(eng: Engine, app_id: str, *, force: bool = False) -> dict[str, Any]:
    """Admin: remove an application with everything stored for it (services, recipes, CAP
    files, per-card states, element records, DESFire keys, sessions, operations, callbacks),
    in one transaction; answers what was deleted.

    What it put on cards stays there. Refused (409) while one of its deliveries runs, and,
    unless `force`, while cards hold it (its purge on uninstall needs what would go)."""
    app_id = check_app_id(app_id)

    def _tx(s: Session) -> dict[str, Any]:
        if s.get(App, app_id) is None:
            raise not_found("unknown application", "appId")
        running = s.execute(select(DeliverySession.id).where(
            DeliverySession.app_id == app_id, DeliverySession.phase != "done").limit(1)).first()
        if running is not None:
            raise conflict(f"a session of this application is running ({running[0]}); "
                           "try again when it has ended", "appId")
        cards = s.execute(select(AppState.cin).where(
            AppState.app_id == app_id, AppState.state != "NotInstalled")).all()
        if cards and not force:
            raise conflict(f"{len(cards)} card(s) hold this application; uninstall it "
                           "first, or force the deletion", "appId")
        counts = {
            "services": len(service_ids(s, app_id)),
            "capFiles": len(s.execute(select(CapFileRow.app_id).where(
                CapFileRow.app_id == app_id)).all()),
            "cards": len(cards),
        }
        sessions = select(DeliverySession.id).where(DeliverySession.app_id == app_id)
        ops = select(Operation.id).where(
            (Operation.app_id == app_id) | Operation.session_id.in_(sessions))
        s.execute(delete(Callback).where(
            Callback.operation_id.in_(ops) | (Callback.app_id == app_id)))
        s.execute(delete(PendingBatch).where(PendingBatch.operation_id.in_(ops)))
        s.execute(delete(Operation).where(
            (Operation.app_id == app_id) | Operation.session_id.in_(sessions)))
        s.execute(delete(DeliverySession).where(DeliverySession.app_id == app_id))
        for model in (ElementRow, DesfireKeyRow, AppState, CapFileRow, Service):
            s.execute(delete(model).where(model.app_id == app_id))
        s.execute(delete(App).where(App.app_id == app_id))
        return {"appId": app_id, **counts}

    result: dict[str, Any] = await eng.db.write(_tx)
    return result


async def put_description(eng: Engine, app_id: str, body: Any) -> dict[str, Any]:
    def _tx(s: Session) -> Any:
        app = s.get(App, app_id)
        if app is None:
            raise not_found("unknown application", "appId")
        desc, settings = check_app_description(body, set(service_ids(s, app_id)))
        app.description = desc
        app.settings = {**app.settings, **settings}
        app.updated_at = eng.clock()
        return app_document(app)
    return await eng.db.write(_tx)


async def register_service(eng: Engine, app_id: str, service_id: str) -> bool:
    """Declare a service the SP server delivers; returns True when it is new."""
    check_service_id(service_id, "serviceId")
    def _tx(s: Session) -> Any:
        if s.get(App, app_id) is None:
            raise not_found("unknown application", "appId")
        if s.get(Service, (app_id, service_id)) is not None:
            return False
        s.add(Service(app_id=app_id, service_id=service_id, recipe=None, created_at=eng.clock()))
        return True
    return await eng.db.write(_tx)


def _roles(desc: dict[str, Any]) -> set[str]:
    out = set(desc.get("installServices") or [])
    for key in ("uninstallService", "suspendService", "unsuspendService"):
        if desc.get(key):
            out.add(desc[key])
    return out


async def delete_service(eng: Engine, app_id: str, service_id: str) -> None:
    def _tx(s: Session) -> Any:
        app = s.get(App, app_id)
        if app is None:
            raise not_found("unknown application", "appId")
        service = s.get(Service, (app_id, service_id))
        if service is None:
            raise not_found("unknown service", "serviceId")
        if service_id in _roles(app.description):
            raise conflict("the App Description lists this service; change it first",
                           "serviceId")
        s.delete(service)
    await eng.db.write(_tx)


async def put_recipe(eng: Engine, app_id: str, service_id: str, body: Any) -> bool:
    """Store a recipe (creating the service); returns True when the service is new.

    Instance AIDs outside the application's namespace are refused here, 400 naming the
    field (engine/namespace.py), not only when a card runs the recipe."""
    check_service_id(service_id, "serviceId")
    recipe = check_recipe(body, parse_action)
    def _tx(s: Session) -> Any:
        if s.get(App, app_id) is None:
            raise not_found("unknown application", "appId")
        for i, action in enumerate(recipe["actions"]):
            check_instance_aid(s, app_id, action["endpoint"], action["content"],
                               f"actions.{i}.content")
        service = s.get(Service, (app_id, service_id))
        if service is None:
            s.add(Service(app_id=app_id, service_id=service_id, recipe=recipe,
                          created_at=eng.clock()))
            return True
        service.recipe = recipe
        return False
    return await eng.db.write(_tx)


async def delete_recipe(eng: Engine, app_id: str, service_id: str) -> None:
    """Remove a recipe (SQL NULL). With an SP server the service stays, delivered by it
    from now on; without one the service goes too (it could only answer 503), unless the
    App Description lists it (409: change the description first)."""
    def _tx(s: Session) -> Any:
        app = s.get(App, app_id)
        service = s.get(Service, (app_id, service_id))
        if app is None or service is None or service.recipe is None:
            raise not_found("this service has no recipe", "serviceId")
        if app.settings.get("serviceDescriptionUrl"):
            service.recipe = None
            return
        if service_id in _roles(app.description):
            raise conflict("the App Description lists this service and the app has no SP "
                           "server to deliver it without its recipe; change the description "
                           "first", "serviceId")
        s.delete(service)
    await eng.db.write(_tx)


def recipe_service_ids(s: Session, app_id: str) -> list[str]:
    rows = s.execute(select(Service.service_id).where(
        Service.app_id == app_id, Service.recipe.is_not(None)).order_by(Service.service_id))
    return [r for (r,) in rows]


def cap_document(row: CapFileRow) -> dict[str, Any]:
    """A capfiles entry; `metadata` always present (fdsm's --list-applets reads
    metadata.gp-version and metadata.otv-version of every entry)."""
    doc = {"id": row.lfdbh, "elfAid": row.elf_aid, "applets": row.applets,
           "size": row.size, "metadata": dict(row.cap_metadata or {})}
    if row.java_card_version is not None:  # fdsm prints "JC/<value>" when the key is there
        doc["javaCardVersion"] = row.java_card_version
    return doc


# upload header -> metadata key (AuthenticatedFidesmoApiClient.java upload())
CAP_HEADERS = {"Java-Card-Version": "jc-version", "Global-Platform-Version": "gp-version",
               "OS-Type-Version": "otv-version"}
_HEADER_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._+-]{0,31}\Z")


def cap_metadata(headers: Mapping[str, str]) -> dict[str, str]:
    """The version headers of a CAP upload, checked: at most 32 printable characters."""
    out = {}
    for header, key in CAP_HEADERS.items():
        value = headers.get(header)
        if value is None:
            continue
        if not _HEADER_VALUE.match(value):
            raise bad_request("a version such as 3.0.4, 2.2 or JCOP 2.4.2r1: letters, digits, "
                              "spaces and . _ + -, at most 32 characters", header)
        out[key] = value
    return out


async def upload_cap(eng: Engine, app_id: str, data: bytes,
                     metadata: dict[str, str] | None = None) -> tuple[dict[str, Any], bool]:
    """Parse and store a CAP file; returns (its document, whether it is new).

    The same file uploaded again with other version headers keeps the first ones' values
    and adds the missing ones."""
    if not data:
        raise bad_request("the body must be the CAP file's bytes", "body")
    try:
        cap = CapFile.parse(data)
    except CapError as exc:
        raise ApiError(400, "bad-cap-file", f"not a usable CAP file: {exc}", "body") from None
    lfdbh = cap.lfdbh.upper()
    elf = to_hex(cap.package_aid)
    def _tx(s: Session) -> Any:
        if s.get(App, app_id) is None:
            raise not_found("unknown application", "appId")
        row = s.get(CapFileRow, (app_id, lfdbh))
        if row is not None:
            merged = {**(metadata or {}), **(row.cap_metadata or {})}
            if merged != (row.cap_metadata or {}):
                row.cap_metadata = merged
            return cap_document(row), False
        row = CapFileRow(app_id=app_id, lfdbh=lfdbh, elf_aid=elf,
                         applets=[to_hex(a) for a in cap.applet_aids],
                         java_card_version=cap.java_card_version,
                         cap_metadata=dict(metadata or {}), size=len(data), data=data,
                         created_at=eng.clock())
        s.add(row)
        return cap_document(row), True
    return await eng.db.write(_tx)


async def list_caps(eng: Engine, app_id: str) -> list[dict[str, Any]]:
    def _tx(s: Session) -> Any:
        rows = (s.execute(select(CapFileRow).where(CapFileRow.app_id == app_id).order_by(
            CapFileRow.created_at))).scalars().all()
        return [cap_document(r) for r in rows]
    return await eng.db.read(_tx)


async def delete_cap(eng: Engine, app_id: str, lfdbh: str) -> None:
    def _tx(s: Session) -> Any:
        result = s.execute(delete(CapFileRow).where(
            CapFileRow.app_id == app_id, CapFileRow.lfdbh == lfdbh.upper()))
        if not result.rowcount:  # type: ignore[attr-defined]
            raise not_found("no CAP file with this id", "id")
    await eng.db.write(_tx)
