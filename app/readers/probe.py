"""Which of several cards is one of ours: the one whose card answers the platform's SELECT.

When no reader is named and more than one PC/SC reader holds a card (a bank
card on one reader, our card on another), fdsm picks the card that answers
SELECT of the platform applet; so do we. One short-lived shared connection
per reader, the card left as it was (SCARD_LEAVE_CARD), from the calling
thread: the CLI chooses before any worker exists.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from app.identity import PLATFORM_AID, select

log = logging.getLogger(__name__)


def answers_platform(name: str, scard: Any | None = None) -> bool:
    """True when the card in reader `name` answers SELECT platform AID with 9000 or 61xx."""
    api: Any = scard
    if api is None:
        try:
            import smartcard.scard
        except ImportError:  # pragma: no cover - depends on the machine
            return False
        api = smartcard.scard
    hr, ctx = api.SCardEstablishContext(api.SCARD_SCOPE_USER)
    if hr != api.SCARD_S_SUCCESS:
        return False
    try:
        hr, hcard, proto = api.SCardConnect(ctx, name, api.SCARD_SHARE_SHARED,
                                            api.SCARD_PROTOCOL_T0 | api.SCARD_PROTOCOL_T1)
        if hr != api.SCARD_S_SUCCESS:
            return False
        try:
            pci = api.SCARD_PCI_T1 if proto == api.SCARD_PROTOCOL_T1 else api.SCARD_PCI_T0
            hr, rsp = api.SCardTransmit(hcard, pci, list(select(PLATFORM_AID)))
            ok = hr == api.SCARD_S_SUCCESS and len(rsp) >= 2 and (
                (rsp[-2], rsp[-1]) == (0x90, 0x00) or rsp[-2] == 0x61)
            log.debug("%s: the platform SELECT %s", name, "answers" if ok else "fails")
            return ok
        finally:
            api.SCardDisconnect(hcard, api.SCARD_LEAVE_CARD)
    finally:
        api.SCardReleaseContext(ctx)


def prefer_platform(names: Sequence[str],
                    probe: Callable[[str], bool] = answers_platform) -> str:
    """The first reader whose card answers the platform SELECT, else the first one."""
    if len(names) > 1:
        for name in names:
            if probe(name):
                return name
    return names[0]
