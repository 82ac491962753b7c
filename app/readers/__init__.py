"""Readers: one protocol, three backends (pcsc.py, nfc.py, virtual.py).

Backends are imported lazily (pyscard, nfcpy and cardsim are optional at
import time), so importing `app.readers` never touches a device.
"""

from app.readers.base import (
    BatchCommand,
    BatchResult,
    CardInfo,
    EventType,
    Reader,
    ReaderEvent,
    ReaderKind,
)
from app.readers.worker import WorkerReader

__all__ = [
    "BatchCommand",
    "BatchResult",
    "CardInfo",
    "EventType",
    "Reader",
    "ReaderEvent",
    "ReaderKind",
    "WorkerReader",
]
