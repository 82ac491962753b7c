"""The card in a reader as the backend should know it: identity read, then registered.

Shared by the command line and the Qt screens (kiosk, staff, tester), which
all start a card the same way.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

from app.client import BackendClient
from app.errors import NotFoundError
from app.identity import CardIdentity, read_identity
from app.readers.base import Observer, Reader, ReaderKind


async def identify(reader: Reader, observer: Observer | None = None) -> CardIdentity:
    """Connects and reads the card's identity (CIN, IIN, batch, CPLC); `observer` sees the APDUs."""
    info = await reader.connect()

    async def transmit(apdu: bytes) -> bytes:
        return await reader.transmit(apdu, observer=observer)

    return await read_identity(transmit, uid=info.uid, atr=info.atr,
                               try_reader_uid=reader.kind is ReaderKind.PCSC)


async def enrich(client: BackendClient, ident: CardIdentity) -> None:
    """Platform version and OS type from the backend; a card it does not know yet gets
    registered with what the touch point read (and keeps None for those two)."""
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
