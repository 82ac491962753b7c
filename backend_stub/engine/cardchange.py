"""Which commands change the card's elements, and whether an operation's did.

A delivery that failed leaves an application Unstable only when something that
adds or removes an element may have taken effect (issue 18): a command of that
kind answered with a status word the script accepts, or one handed to the touch
point in a batch that was never answered (the card may have run it before it
left). The opening of a secure channel, SELECTs, GET STATUS, INSTALL [for load]
and all but the last LOAD block change nothing a later uninstall must undo.

The header is read in the clear: SCP02/SCP03 wrapping keeps CLA's class bits,
INS, P1 and P2 (GPC 2.3.1 section 10.8 / Amendment D section 6.2.4), and
DESFire's ISO wrapping carries the native command code as INS (CLA 90).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

INS_INSTALL, INS_LOAD, INS_DELETE, INS_SET_STATUS = 0xE6, 0xE8, 0xE4, 0xF0
DESFIRE_CREATE_APP, DESFIRE_DELETE_APP = 0xCA, 0xDA
INSTALL_FOR_LOAD, INSTALL_FOR_PERSONALIZATION = 0x02, 0x20
LAST_BLOCK = 0x80
CHANGED_KEY = "changedCard"  # in an operation's script_state
SENT_KEY = "sentOfBatch"  # service/error's `sent`: commands of the pending batch sent


def changes_elements(apdu: bytes) -> bool:
    """Whether this command (plain or wrapped) may add or remove an SE element, or change
    one's life cycle (SET STATUS: what suspend and unsuspend send)."""
    if len(apdu) < 4:
        return False
    cla, ins, p1 = apdu[0], apdu[1], apdu[2]
    if cla == 0x90:
        return ins in (DESFIRE_CREATE_APP, DESFIRE_DELETE_APP)
    if ins in (INS_DELETE, INS_SET_STATUS):
        return True
    if ins == INS_LOAD:
        return bool(p1 & LAST_BLOCK)
    if ins == INS_INSTALL:
        return p1 not in (INSTALL_FOR_LOAD, INSTALL_FOR_PERSONALIZATION)
    return False


def hex_apdu(command: Any) -> bytes:
    """A batch entry's command as bytes: a compiled Command, or a stored {"apdu": hex}."""
    if not isinstance(command, dict):
        return bytes(command.apdu)
    text = command.get("apdu", "")
    try:
        return bytes.fromhex(text)
    except ValueError:
        return b""


def answered_change(commands: Iterable[Any], accepted: int) -> bool:
    """Whether one of the first `accepted` commands of a batch (all answered with a status
    word the script accepts) changes elements."""
    return any(changes_elements(hex_apdu(c)) for c in list(commands)[:accepted])


def unanswered_change(commands: Iterable[Any]) -> bool:
    """Whether a batch handed out and never answered holds a command that changes elements."""
    return any(changes_elements(hex_apdu(c)) for c in commands)
