"""The few things the UI needs from app/ that app/ does not offer as public calls yet.

Kept here, small, so they can move into app/ unchanged: identifying the card
in a reader and telling the backend about it (app/cli.py does the same in
its private `_card`/`_enrich`), and the service list of an app by kind.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from app.client import BackendClient
from app.errors import NotFoundError
from app.identity import CardIdentity, read_identity
from app.readers.base import Reader, ReaderKind
from app.readers.transport import Observer

LIFECYCLE_KEYS = {"install": "installServices", "uninstall": "uninstallService",
                  "suspend": "suspendService", "unsuspend": "unsuspendService"}


async def identify(reader: Reader, observer: Observer | None = None) -> CardIdentity:
    """Connects and reads the card's identity (CIN, IIN, batch, CPLC); `observer` sees the APDUs."""
    info = await reader.connect()

    async def transmit(apdu: bytes) -> bytes:
        return await reader.transmit(apdu, observer=observer)

    return await read_identity(transmit, uid=info.uid, atr=info.atr,
                               try_reader_uid=reader.kind is ReaderKind.PCSC)


async def enrich(client: BackendClient, ident: CardIdentity) -> None:
    """Platform version from the backend; a card it does not know yet gets registered."""
    try:
        dev = await client.get_device(ident.cin_hex, ident.batch_id)
    except NotFoundError:
        iin = ident.iin.hex().upper() if ident.iin else None
        await client.register_device(ident.cin_hex, iin, batch_id=ident.batch_id)
        return
    desc = dev.get("description")
    caps = desc.get("capabilities") if isinstance(desc, Mapping) else None
    if isinstance(caps, Mapping):
        pv = caps.get("platformVersion")
        if isinstance(pv, int):
            ident.platform_version = pv
        ident.os_type_version = caps.get("osTypeVersion")
    if not ident.iin and isinstance(dev.get("iin"), str):
        with contextlib.suppress(ValueError):
            ident.iin = bytes.fromhex(dev["iin"])


def services_of(desc: Mapping[str, Any]) -> dict[str, str]:
    """serviceId -> kind (install/uninstall/suspend/unsuspend) from an App Description."""
    out: dict[str, str] = {}
    for kind, key in LIFECYCLE_KEYS.items():
        value = desc.get(key)
        items = value if isinstance(value, list) else [value]
        for sid in items:
            if isinstance(sid, str) and sid:
                out.setdefault(sid, kind)
    return out
