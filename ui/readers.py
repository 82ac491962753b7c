"""The readers the UI offers, live: PC/SC slots as they come and go, and the virtual card.

Events arrive from the PC/SC monitor thread and the virtual reader's worker
through app.readers' subscriber fan-out, which hands them to the asyncio
loop (the Qt thread under qasync); the hub turns them into Qt signals. The
virtual card is always offered; it can be taken away, put back, or replaced by
a fresh card (a new CIN), which is how a demo or a test presents "the next card".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from app.paths import virtual_card_file
from app.readers.base import EventType, Reader, ReaderEvent, ReaderKind
from app.readers.pcsc import PcscReader, shared_monitor
from app.readers.virtual import VIRTUAL_READER_NAME, VirtualReader, open_virtual_card

# `virtual_card=DEFAULT_CARD`: the card file in the data directory (the CLI uses the same one)
DEFAULT_CARD = "<data-dir>/virtual-card.json"

log = logging.getLogger(__name__)


@dataclass
class Slot:
    name: str
    kind: ReaderKind
    present: bool


class ReaderHub(QObject):
    """Every reader slot and which one is in use."""

    readers_changed = Signal()
    card_changed = Signal(str, bool)  # reader name, card present
    active_changed = Signal(str)

    def __init__(self, *, pcsc: bool = True, virtual_card: str | os.PathLike[str] | None = None,
                 virtual_present: bool = True, follow_cards: bool = True,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.follow_cards = follow_cards
        self._slots: dict[str, Slot] = {}
        self._readers: dict[str, Reader] = {}
        self._unsubs: list[Callable[[], None]] = []
        self._active = VIRTUAL_READER_NAME
        self._virtual_path = virtual_card
        self._virtual_present = virtual_present
        self._virtual: VirtualReader | None = None  # made on first use (it loads cardsim)
        self._unsub_virtual: Callable[[], None] = lambda: None
        self.virtual_timing: str | None = None  # cardsim timing profile (None: $CARDSIM_TIMING)
        self._slots[VIRTUAL_READER_NAME] = Slot(VIRTUAL_READER_NAME, ReaderKind.VIRTUAL,
                                                virtual_present)
        if pcsc:
            self._start_pcsc()

    # -- virtual card -------------------------------------------------------------------
    def _make_virtual(self, card: object, present: bool) -> VirtualReader:
        reader = VirtualReader(card, timing=self.virtual_timing)
        if not present:
            reader.remove()  # the worker is idle: this is immediate
        self._readers[VIRTUAL_READER_NAME] = reader
        self._slots[VIRTUAL_READER_NAME] = Slot(VIRTUAL_READER_NAME, ReaderKind.VIRTUAL, present)
        self._unsub_virtual = reader.subscribe(self._on_event)
        return reader

    def set_virtual_timing(self, profile: str) -> None:
        """The virtual card takes as long as a real one (cardsim/timing.py), this card and
        the next ones."""
        self.virtual_timing = profile
        self.virtual.set_timing(profile)

    @property
    def virtual(self) -> VirtualReader:
        if self._virtual is None:
            path = self._virtual_path
            if path == DEFAULT_CARD:
                path = str(virtual_card_file())
            self._virtual = self._make_virtual(open_virtual_card(path), self._virtual_present)
        return self._virtual

    async def insert_virtual(self) -> None:
        """Puts the virtual card on its reader (and makes it the active reader)."""
        await asyncio.get_running_loop().run_in_executor(None, self.virtual.insert)
        self._set_present(VIRTUAL_READER_NAME, True)

    async def remove_virtual(self) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self.virtual.remove)
        self._set_present(VIRTUAL_READER_NAME, False)

    async def new_virtual_card(self, card: object | None = None) -> VirtualReader:
        """Takes the virtual card away and presents another one (a fresh card by default)."""
        old = self.virtual
        if self._slots[VIRTUAL_READER_NAME].present:
            await self.remove_virtual()
        self._unsub_virtual()
        await old.close()
        self._virtual = self._make_virtual(card if card is not None else open_virtual_card(None),
                                           False)
        await self.insert_virtual()
        return self._virtual

    # -- PC/SC --------------------------------------------------------------------------
    def _start_pcsc(self) -> None:
        try:
            self._unsubs.append(shared_monitor().subscribe(self._on_event))
        except Exception as exc:  # no pyscard / no pcscd: the virtual card still works
            log.info("PC/SC readers not available: %s", exc)

    # -- events -------------------------------------------------------------------------
    def _on_event(self, event: ReaderEvent) -> None:
        name = event.reader
        if event.type is EventType.READER_ADDED:
            if name not in self._slots:
                self._slots[name] = Slot(name, ReaderKind.PCSC, False)
                self.readers_changed.emit()
        elif event.type is EventType.READER_REMOVED:
            slot = self._slots.pop(name, None)
            reader = self._readers.pop(name, None)
            if reader is not None:
                with contextlib.suppress(RuntimeError):
                    asyncio.get_running_loop().create_task(reader.close())
            if slot is not None:
                if slot.present:
                    self.card_changed.emit(name, False)
                if self._active == name:
                    self.set_active(VIRTUAL_READER_NAME)
                self.readers_changed.emit()
        elif event.type is EventType.CARD_INSERTED:
            if name not in self._slots:
                self._slots[name] = Slot(name, ReaderKind.PCSC, False)
                self.readers_changed.emit()
            self._set_present(name, True)
        elif event.type is EventType.CARD_REMOVED:
            self._set_present(name, False)

    def _set_present(self, name: str, present: bool) -> None:
        slot = self._slots.get(name)
        if slot is None or slot.present == present:
            return
        slot.present = present
        if present and self.follow_cards and name != self._active:
            self.set_active(name)
        self.card_changed.emit(name, present)

    # -- queries and choice ---------------------------------------------------------------
    def slots(self) -> list[Slot]:
        """PC/SC readers by name, the virtual card last."""
        real = sorted((s for s in self._slots.values() if s.kind is not ReaderKind.VIRTUAL),
                      key=lambda s: s.name)
        return [*real, self._slots[VIRTUAL_READER_NAME]]

    def present(self, name: str | None = None) -> bool:
        slot = self._slots.get(name or self._active)
        return bool(slot and slot.present)

    @property
    def active(self) -> str:
        return self._active

    def set_active(self, name: str) -> None:
        if name not in self._slots or name == self._active:
            return
        self._active = name
        self.active_changed.emit(name)

    def reader(self, name: str | None = None) -> Reader:
        """The Reader object for a slot (PC/SC readers are opened on first use)."""
        name = name or self._active
        if name == VIRTUAL_READER_NAME:
            return self.virtual
        reader = self._readers.get(name)
        if reader is None:
            slot = self._slots.get(name)
            if slot is None:
                raise KeyError(name)
            reader = self._readers[name] = PcscReader(name)
        return reader

    async def close(self) -> None:
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()
        self._unsub_virtual()
        for reader in list(self._readers.values()):
            await reader.close()
        self._readers.clear()
