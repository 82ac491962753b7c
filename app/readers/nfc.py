"""NFC readers driven directly by nfcpy (readers without a PC/SC driver).

The worker thread owns the `ContactlessFrontend`. While no card is there its
idle hook polls with nfcpy's blocking `clf.connect()` for a short slice (the
`terminate` callback ends the slice as soon as work is queued), so a queued
transmit never waits more than one poll. Only ISO-DEP cards (Type 4A/4B) are
taken: APDUs go through nfcpy's own ISO-DEP initiator (`Type4Tag.transceive`:
block chaining, R(ACK)/R(NAK), WTX). Removal shows as nfcpy timeouts or a
broken link while transmitting, or as a failed presence check while idle.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from app.errors import CardRemovedError, NoCardError, ReaderError, ReaderUnavailableError
from app.readers.base import CardInfo, ReaderKind
from app.readers.worker import WorkerReader

log = logging.getLogger(__name__)

DEFAULT_TARGETS = ("106A", "106B")


class NfcReader(WorkerReader):
    """An nfcpy frontend (`usb`, `usb:054c:06c3`, `tty:USB0:pn532`, `udp:127.0.0.1:54321`)."""

    kind = ReaderKind.NFC
    idle_interval = 0.05

    def __init__(self, path: str, *, name: str | None = None,
                 targets: tuple[str, ...] = DEFAULT_TARGETS, poll_slice: float = 0.3,
                 presence_interval: float = 0.5) -> None:
        self.path = path
        self._targets = targets
        self._poll_slice = poll_slice
        self._presence_interval = presence_interval
        self._clf: Any = None
        self._tag: Any = None
        self._last_presence = 0.0
        self.open_error: str | None = None
        super().__init__(name or f"NFC {path}")
        self._reader_up = False
        # open the frontend on the worker so it owns it from the start
        self._worker.submit(self._open_sync)

    def _has_idle(self) -> bool:
        return True

    # -- frontend ----------------------------------------------------------------------
    def _open_sync(self) -> None:
        if self._clf is not None:
            return
        try:
            import nfc
        except ImportError as exc:  # nfcpy is the optional `nfc` extra
            self.open_error = (f"NFC readers need nfcpy, which is not installed ({exc}): "
                               "pip install 'se-touchpoint[nfc]'")
            raise ReaderUnavailableError(self.open_error) from exc
        try:
            self._clf = nfc.ContactlessFrontend(self.path)
        except OSError as exc:
            self.open_error = f"cannot open NFC reader {self.path}: {exc}"
            raise ReaderUnavailableError(self.open_error) from exc
        self.open_error = None
        self._set_reader_up(True)

    def _close_sync(self) -> None:
        self._tag = None
        if self._clf is not None:
            try:
                self._clf.close()
            except Exception:  # closing a broken device must not raise
                log.debug("nfc close failed", exc_info=True)
            self._clf = None
            self._set_present(False)
            self._set_reader_up(False)

    # -- polling (worker thread, idle) -----------------------------------------------------
    def _idle(self) -> None:
        if self._clf is None:
            return
        if self._tag is None:
            self._poll_for_tag()
        elif time.monotonic() - self._last_presence >= self._presence_interval:
            self._check_presence()

    def _poll_for_tag(self) -> None:
        import nfc.tag.tt4

        deadline = time.monotonic() + self._poll_slice

        def terminate() -> bool:
            return self._worker.busy or time.monotonic() > deadline

        try:
            tag = self._clf.connect(
                rdwr={
                    "targets": list(self._targets),
                    "on-connect": lambda tag: False,  # hand the tag back, keep it activated
                    "iterations": 1,
                    "interval": 0.05,
                    "beep-on-connect": False,
                },
                terminate=terminate,
            )
        except Exception as exc:  # nfcpy raises a zoo of errors on flaky RF
            log.debug("nfc poll failed: %s", exc)
            return
        if tag is None or tag is False:
            return
        if not isinstance(tag, nfc.tag.tt4.Type4Tag):
            log.info("%s: %s is not an ISO-DEP card; ignored", self.name, type(tag).__name__)
            return
        self._tag = tag
        self._last_presence = time.monotonic()
        self._set_present(True)

    def _check_presence(self) -> None:
        self._last_presence = time.monotonic()
        try:
            present = bool(self._tag.is_present)
        except Exception:
            present = False
        if not present:
            self._tag = None
            self._card = None
            self._set_present(False)

    # -- worker primitives ---------------------------------------------------------------
    def _connect_sync(self) -> CardInfo:
        if self._clf is None:
            self._open_sync()
        if self._tag is None:
            self._poll_for_tag()
        if self._tag is None:
            raise NoCardError(f"no ISO-DEP card on {self.name}")
        tag = self._tag
        uid = bytes(tag.identifier) if getattr(tag, "identifier", None) else None
        # PC/SC-style synthesized ATR for ISO 14443-4 (PC/SC part 3), no historical bytes
        atr = bytes.fromhex("3B80800101")
        brty = getattr(getattr(tag, "target", None), "brty", "")
        return CardInfo(atr=atr, uid=uid, extended_length=False, contactless=True,
                        protocol=f"ISO-DEP {brty}".strip())

    def _transmit_raw(self, apdu: bytes) -> bytes:
        import nfc.clf
        import nfc.tag

        if self._tag is None:
            raise CardRemovedError(f"the card left {self.name}")
        try:
            rsp = self._tag.transceive(bytearray(apdu))
        except (nfc.tag.TagCommandError, nfc.clf.CommunicationError) as exc:
            self._tag = None
            raise CardRemovedError(
                f"the card left {self.name} during {apdu[:4].hex().upper()}: {exc}") from exc
        except OSError as exc:
            self._tag = None
            raise ReaderUnavailableError(f"{self.name} failed: {exc}") from exc
        if rsp is None:
            self._tag = None
            raise CardRemovedError(f"the card left {self.name} (no answer)")
        self._last_presence = time.monotonic()
        return bytes(rsp)

    def _disconnect_sync(self) -> None:
        """ISO-DEP has no disconnect short of DESELECT; the card stays activated for reuse."""

    async def wait_for_card(self, timeout: float) -> bool:
        """Waits until a card is seen (or `timeout` seconds pass)."""
        import asyncio

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.card_present:
                return True
            if self.open_error:
                raise ReaderError(self.open_error)
            await asyncio.sleep(0.05)
        return self.card_present
