"""From App Descriptions and per-card states to what a screen shows.

An entry has the localized name, organization, description (basic markdown),
logo, the app's state on this card and the actions that state allows:
NotInstalled -> one Install per install service; Installed -> Uninstall,
Suspend; Suspended -> Unsuspend, Uninstall; Unstable -> Uninstall (the
backend accepts uninstall from Unstable so a user can clean up).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.client import BackendClient
from app.errors import BackendError, NotFoundError
from app.i18n import pick, text

STATES = ("NotInstalled", "Installed", "Suspended", "Unstable")
MAX_LOGO_BYTES = 512 * 1024
_IMAGE_MIME = {"image/svg+xml", "image/png", "image/jpeg", "image/gif", "image/webp"}


@dataclass(frozen=True)
class Action:
    kind: str  # install | uninstall | suspend | unsuspend | repair (then service_id installs)
    service_id: str
    label: str

    def to_json(self) -> dict[str, str]:
        return {"action": self.kind, "serviceId": self.service_id, "label": self.label}


@dataclass(frozen=True)
class AppEntry:
    app_id: str
    name: str
    organization: str
    description: str  # basic markdown
    logo: str | None  # URL or data URI, as given
    state: str
    actions: tuple[Action, ...]

    @property
    def state_label(self) -> str:
        return text(f"state.{self.state}")

    def action(self, kind: str) -> Action | None:
        return next((a for a in self.actions if a.kind == kind), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "appId": self.app_id,
            "name": self.name,
            "organization": self.organization,
            "description": self.description,
            "logo": self.logo,
            "state": self.state,
            "actions": [a.to_json() for a in self.actions],
        }


def _services(desc: Mapping[str, Any], key: str) -> list[str]:
    value = desc.get(key)
    if isinstance(value, str) and value:
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v]
    return []


LIFECYCLE_KEYS = {"install": "installServices", "uninstall": "uninstallService",
                  "suspend": "suspendService", "unsuspend": "unsuspendService"}


def services_of(desc: Mapping[str, Any]) -> dict[str, str]:
    """serviceId -> kind (install/uninstall/suspend/unsuspend) from an App Description."""
    out: dict[str, str] = {}
    for kind, key in LIFECYCLE_KEYS.items():
        for sid in _services(desc, key):
            out.setdefault(sid, kind)
    return out


def allowed_actions(desc: Mapping[str, Any], state: str, language: str | None = None,
                    service_titles: Mapping[str, Any] | None = None) -> tuple[Action, ...]:
    """The actions the app's state allows, each bound to its service id."""
    titles = service_titles or {}
    out: list[Action] = []
    if state == "NotInstalled":
        installs = _services(desc, "installServices")
        base = text("action.install", language)
        for sid in installs:
            if len(installs) == 1:
                label = base
            else:
                title = pick(titles.get(sid), language)
                label = f"{base}: {title}" if title else f"{base} ({sid})"
            out.append(Action("install", sid, label))
        return tuple(out)
    kinds: list[str] = []
    if state == "Installed":
        kinds = ["uninstall", "suspend"]
    elif state == "Suspended":
        kinds = ["unsuspend", "uninstall"]
    elif state == "Unstable":
        kinds = ["uninstall"]
    for kind in kinds:
        for sid in _services(desc, f"{kind}Service")[:1]:
            out.append(Action(kind, sid, text(f"action.{kind}", language)))
    if state == "Unstable" and out:  # repair: the uninstall above, then this install
        installs = _services(desc, "installServices")
        for sid in installs:
            title = pick(titles.get(sid), language) if len(installs) > 1 else ""
            word = text("action.repair", language)
            out.append(Action("repair", sid, f"{word}: {title}" if title else word))
    return tuple(out)


def entry(app_id: str, desc: Mapping[str, Any], state: str, language: str | None = None,
          service_titles: Mapping[str, Any] | None = None) -> AppEntry:
    org = desc.get("organization")
    org_name = pick(org.get("name"), language) if isinstance(org, Mapping) else pick(org, language)
    logo = desc.get("logo")
    return AppEntry(
        app_id=app_id,
        name=pick(desc.get("name"), language) or app_id,
        organization=org_name,
        description=pick(desc.get("description"), language),
        logo=logo if isinstance(logo, str) and logo else None,
        state=state if state in STATES else "NotInstalled",
        actions=allowed_actions(desc, state if state in STATES else "NotInstalled", language,
                                service_titles),
    )


def build_catalog(descriptions: Mapping[str, Mapping[str, Any]], states: Mapping[str, str],
                  language: str | None = None,
                  service_titles: Mapping[str, Mapping[str, Any]] | None = None
                  ) -> list[AppEntry]:
    """Entries for every described app, in the order given (the backend's list: the SP's
    order). Never by the localized name: a language switch must not move a tile under the
    visitor's finger (issue 18, point 4)."""
    titles = service_titles or {}
    entries = [entry(app_id, desc, states.get(app_id, "NotInstalled"), language,
                     titles.get(app_id))
               for app_id, desc in descriptions.items()]
    return entries


async def app_descriptions(client: BackendClient) -> dict[str, dict[str, Any]]:
    """appId -> App Description of every published application, in the backend's order."""
    ids = await client.list_apps()
    descs = await asyncio.gather(*(client.get_app(a) for a in ids))
    return dict(zip(ids, descs, strict=True))


async def service_titles(client: BackendClient, app_id: str, sids: list[str],
                         language: str | None = None) -> dict[str, str]:
    """serviceId -> title in `language`, from the services' descriptions (fetched at once);
    a service whose description cannot be had is left out (pickers show its id)."""
    async def one(sid: str) -> str:
        try:
            return pick((await client.describe(app_id, sid)).title, language) or ""
        except BackendError:
            return ""
    got = await asyncio.gather(*(one(sid) for sid in sids))
    return {sid: title for sid, title in zip(sids, got, strict=True) if title}


async def load_catalog(client: BackendClient, cin: str | None, language: str | None = None,
                       *, app_ids: list[str] | None = None,
                       with_service_titles: bool = True) -> list[AppEntry]:
    """Fetches apps, their descriptions and (with a card) their states, then builds entries."""
    ids = app_ids if app_ids is not None else await client.list_apps()
    descs = await asyncio.gather(*(client.get_app(a) for a in ids), return_exceptions=True)
    descriptions: dict[str, Mapping[str, Any]] = {}
    for app_id, got in zip(ids, descs, strict=True):
        if isinstance(got, NotFoundError):
            continue
        if isinstance(got, BaseException):
            raise got
        descriptions[app_id] = got
    states = await client.device_apps(cin) if cin else {}
    titles: dict[str, dict[str, Any]] = {}
    if with_service_titles:
        for app_id, desc in descriptions.items():
            installs = _services(desc, "installServices")
            if len(installs) > 1:
                titles[app_id] = {}
                for sid in installs:
                    try:
                        titles[app_id][sid] = (await client.describe(app_id, sid)).title
                    except BackendError:
                        continue
    return build_catalog(descriptions, states, language, titles)


# -- presentation helpers -------------------------------------------------------------
@dataclass(frozen=True)
class Logo:
    url: str | None = None  # remote logo: the UI fetches it
    mime: str | None = None
    data: bytes | None = None  # inline logo from a data URI


def decode_logo(value: str | None) -> Logo | None:
    """Validates a logo reference: http(s) URL or an image data URI; None when unusable."""
    if not value:
        return None
    if value.startswith(("https://", "http://")):
        return Logo(url=value)
    if not value.startswith("data:") or "," not in value:
        return None
    header, payload = value[5:].split(",", 1)
    parts = header.split(";")
    mime = parts[0].strip().lower() or "text/plain"
    if mime not in _IMAGE_MIME:
        return None
    try:
        data = (base64.b64decode(payload, validate=True) if "base64" in parts[1:]
                else urllib.parse.unquote_to_bytes(payload))
    except (binascii.Error, ValueError):
        return None
    if not data or len(data) > MAX_LOGO_BYTES:
        return None
    return Logo(mime=mime, data=data)
