"""The Reader protocol and the types every reader backend shares.

A reader is a place a card can be (a PC/SC slot, an NFC frontend, the embedded
virtual card). The delivery runner talks to it through `Reader` only; the three
backends build it on `app.readers.worker.WorkerReader`, which owns the
connection in one worker thread.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol, runtime_checkable


class ReaderKind(enum.StrEnum):
    PCSC = "pcsc"
    NFC = "nfc"
    VIRTUAL = "virtual"


class EventType(enum.StrEnum):
    READER_ADDED = "reader-added"
    READER_REMOVED = "reader-removed"
    CARD_INSERTED = "card-inserted"
    CARD_REMOVED = "card-removed"


@dataclass(frozen=True)
class ReaderEvent:
    """Something happened to a reader or the card in it."""

    type: EventType
    reader: str


@dataclass(frozen=True)
class CardInfo:
    """What connect() learned about the card."""

    atr: bytes
    uid: bytes | None = None  # from the reader (NFC anticollision), when it gives one
    extended_length: bool = False
    contactless: bool = False
    protocol: str = ""


class BatchCommand(NamedTuple):
    """One command of a backend batch and the status words that let the batch go on
    (API.md: `expect`; none means 9000 and 61XX)."""

    apdu: bytes
    expect: tuple[str, ...] = ()


@dataclass
class BatchResult:
    """Answers of a batch; `stopped_sw` is set when a status word was outside `expect`."""

    responses: list[bytes] = field(default_factory=list)
    stopped_sw: int | None = None
    cancelled: bool = False


class Observer(Protocol):
    """Sees every physical exchange with the card, on the reader's worker thread: the
    bytes sent, the answer (None when the exchange failed) and when it started and
    ended (time.time()). The APDU trace (app.trace.Trace) is one."""

    def __call__(self, command: bytes, response: bytes | None, t0: float, t1: float
                 ) -> None: ...


EventCallback = Callable[[ReaderEvent], None]


@runtime_checkable
class Reader(Protocol):
    """A place a card can be: a PC/SC slot, an NFC frontend, the embedded virtual card."""

    name: str
    kind: ReaderKind

    @property
    def card_present(self) -> bool: ...

    async def connect(self) -> CardInfo: ...

    async def transmit(self, apdu: bytes, *, observer: Observer | None = None) -> bytes: ...

    async def transmit_batch(
        self,
        commands: Sequence[BatchCommand],
        *,
        observer: Observer | None = None,
        cancel: threading.Event | None = None,
        on_apdu: Callable[[int], None] | None = None,
    ) -> BatchResult:
        """Carries `commands` in order and stops after the first answer whose status
        word is outside its command's `expect`, or before the next command once
        `cancel` is set; `on_apdu(n)` after the n-th answer."""
        ...

    async def disconnect(self) -> None: ...

    def subscribe(self, callback: EventCallback) -> Callable[[], None]: ...

    async def close(self) -> None: ...
