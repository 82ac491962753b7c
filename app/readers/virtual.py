"""The embedded virtual card: cardsim in-process, the default when no reader is attached.

The card's state lives in a JSON file (cardsim persists it atomically), so what
`touchpoint install` put on it is still there on the next run. `remove()` and
`insert()` model a user taking the card away; cardsim's tearing mode
(`arm_tear`) makes a transmit fail as a real card pulled mid-APDU would.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

from app.atr import parse_atr
from app.errors import CardRemovedError, NoCardError, ReaderError
from app.readers.base import CardInfo, ReaderKind
from app.readers.worker import WorkerReader

VIRTUAL_READER_NAME = "Virtual card (cardsim)"


def _card_removed_type() -> type[BaseException]:
    from cardsim.card import CardRemoved

    return CardRemoved


class VirtualReader(WorkerReader):
    """A reader with a cardsim VirtualCard permanently "in" it (until `remove()`)."""

    kind = ReaderKind.VIRTUAL

    def __init__(
        self,
        card: Any | None = None,
        *,
        path: str | os.PathLike[str] | None = None,
        name: str = VIRTUAL_READER_NAME,
        timing: str | None = None,
    ) -> None:
        """`card`: a VirtualCard (or anything with its methods); else load/create one at `path`.

        `timing`: a cardsim timing profile (cardsim/timing.py; default $CARDSIM_TIMING, else
        none), so the card takes as long as a real one; `set_timing` changes it later."""
        from cardsim.timing import TIMING_ENV, CardTimer, TimingError

        try:
            self.timer = CardTimer(timing if timing is not None else os.environ.get(TIMING_ENV))
        except TimingError as exc:
            raise ReaderError(str(exc)) from exc
        if card is None:
            card = open_virtual_card(path)
        self.card = card
        self._removed_exc = _card_removed_type()
        super().__init__(name)
        self._present = True

    def set_timing(self, profile: str | None) -> None:
        """Another timing profile from the next command on (the tester's choice)."""
        from cardsim.timing import TimingError

        try:
            self.timer.set_profile(profile)
        except TimingError as exc:
            raise ReaderError(str(exc)) from exc

    # -- user actions ------------------------------------------------------------------
    def remove(self) -> None:
        """The user takes the card away."""
        self._worker.submit(self._remove_sync).result(timeout=5)

    def insert(self) -> None:
        """The user puts the card (back) on the reader; a torn card gets power again."""
        self._worker.submit(self._insert_sync).result(timeout=5)

    def _remove_sync(self) -> None:
        if self._card is not None:
            self._card = None
            try:
                self.card.power_off()
            except Exception as exc:
                raise ReaderError(f"virtual card power off failed: {exc}") from exc
        self._set_present(False)

    def _insert_sync(self) -> None:
        disarm = getattr(self.card, "disarm_tear", None)
        if disarm is not None:
            disarm()
        self._card = None
        self._set_present(True)

    # -- worker primitives ---------------------------------------------------------------
    def _connect_sync(self) -> CardInfo:
        if not self._present:
            raise NoCardError(f"no card in {self.name}")
        try:
            atr = bytes(self.card.power_on())
        except self._removed_exc as exc:
            self._set_present(False)
            raise CardRemovedError(f"the card was removed from {self.name}") from exc
        self.timer.activation()
        info = parse_atr(atr)
        return CardInfo(atr=atr, uid=None, extended_length=True, contactless=False,
                        protocol="T=1" if 1 in info.protocols else "T=0")

    def _transmit_raw(self, apdu: bytes) -> bytes:
        if not self._present:
            raise CardRemovedError(f"the card was removed from {self.name}")
        try:
            response = bytes(self.card.transmit(apdu))
        except self._removed_exc as exc:
            raise CardRemovedError(
                f"the card was removed from {self.name} during {apdu[:4].hex().upper()}"
            ) from exc
        self.timer.command(apdu, response)
        return response

    def _disconnect_sync(self) -> None:
        with contextlib.suppress(self._removed_exc):
            self.card.power_off()


def open_virtual_card(path: str | os.PathLike[str] | None) -> Any:
    """Loads the card stored at `path`, or creates it there (in memory when `path` is None)."""
    from cardsim.card import VirtualCard

    if path is None:
        return VirtualCard.create(None)
    if os.path.exists(path):
        return VirtualCard.load(path)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    return VirtualCard.create(path)
