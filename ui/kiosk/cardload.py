"""The kiosk reads the card placed on its reader: identity, then its applications.

Every step has a time limit (the settings' `wait_limit_s`): a card that does not
answer, a backend that is not up yet or stopped answering ends the reading with a
sentence on the attract screen, the way back, never an endless "Reading your card…".
A card already on a PC/SC reader when the kiosk starts listening (its event went to
nobody) is read as if it had just been placed.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from app.errors import ReaderError, TouchpointError
from app.readers.base import ReaderKind

if TYPE_CHECKING:
    from app.catalog import AppEntry
    from app.identity import CardIdentity
    from ui.kiosk.view import KioskView

log = logging.getLogger(__name__)
translate = QCoreApplication.translate  # in the view's context, where its .ts entries are


def card_already_there(view: KioskView) -> bool:
    """Reads a card that is on the active PC/SC reader while no session is open; the
    virtual card waits for a tap (it starts on its reader in the desktop window)."""
    hub = view.ctx.hub
    slot = next((s for s in hub.slots() if s.name == hub.active), None)
    if not view.active or slot is None or not slot.present or slot.kind is ReaderKind.VIRTUAL \
            or view.ident is not None:
        return False
    view.load_card()
    return True


def _unreadable() -> str:
    return translate("KioskView", "The card could not be read. Hold it still on the reader "
                                  "and try again.")


def _unavailable() -> str:
    return translate("KioskView", "The service is not available right now.")


async def read(view: KioskView) -> tuple[CardIdentity, list[AppEntry]] | str:
    """The card's identity and applications, or the sentence saying why not."""
    from app.cards import enrich, identify
    from app.catalog import load_catalog
    from app.identity import IdentityError

    ctx = view.ctx
    limit = ctx.settings.wait_limit_s
    try:
        ident = await asyncio.wait_for(identify(ctx.hub.reader()), limit)
    except TimeoutError:
        log.warning("the card did not answer within %g s", limit)
        return _unreadable()
    except IdentityError:
        return translate("KioskView", "This card cannot be used here.")
    except ReaderError:
        return _unreadable()
    try:
        client = await asyncio.wait_for(ctx.client(), limit)
        await asyncio.wait_for(enrich(client, ident), limit)
        entries = await asyncio.wait_for(load_catalog(client, ident.cin_hex, ctx.lang), limit)
    except TimeoutError:
        log.warning("the backend did not answer within %g s", limit)
        return _unavailable()
    except TouchpointError:
        log.exception("loading the card's applications failed")
        return _unavailable()
    return ident, entries
