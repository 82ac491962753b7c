"""Connects a virtual card to pcscd's vpcd driver, so any PC/SC program sees it.

The vpcd driver (Debian package vsmartcard-vpcd) listens on TCP 35963 for
slot 0 ("Virtual PCD 00 00") and 35964 for slot 1; the card side connects as a
client. Every message is a 2-byte big-endian length and a payload: a 1-byte
payload is a control message (00 power off, 01 power on, 02 reset, 04 get
ATR, answered with the ATR), anything else is a command APDU answered with
the response APDU. While the socket is connected the reader shows a card; a
closed socket is a removed card.

Latency: vpcd writes length and payload separately, so with delayed ACKs each
APDU would wait ~40 ms. We set TCP_NODELAY, send each answer in one write, and
re-arm TCP_QUICKACK before every recv (Linux clears it after use).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import socket
import struct
import sys
import threading
import time
from typing import ClassVar, Protocol

from cardsim.timing import CardTimer, TimingError, get_profile

log = logging.getLogger(__name__)

DEFAULT_PORT = 35963
# pcscd needs a moment to finish handling a removal (found by trying: a card
# back in the slot within ~0.5 s of a removal mid-APDU is never powered up
# again), and no hand puts a card back that fast, so a slot stays empty this long.
MIN_ABSENCE_S = 1.0
CTRL_POWER_OFF, CTRL_POWER_ON, CTRL_RESET, CTRL_GET_ATR = 0, 1, 2, 4


class Card(Protocol):
    """What the bridge needs of a card: cardsim's VirtualCard, or a bench's echo card."""

    atr: bytes

    def power_on(self) -> bytes: ...

    def power_off(self) -> None: ...

    def transmit(self, apdu: bytes) -> bytes: ...


class _Closed(Exception):
    """The socket closed: vpcd went away or the card was removed."""


def _tune(sock: socket.socket) -> None:
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    _quickack(sock)


def _quickack(sock: socket.socket) -> None:
    quickack = getattr(socket, "TCP_QUICKACK", None)
    if quickack is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        _quickack(sock)
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise _Closed()
        buf += chunk
    return bytes(buf)


def _send(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(struct.pack(">H", len(payload)) + payload)


class VpcdBridge:
    """Runs one card in a vpcd slot from a background thread.

    `insert()` / `remove()` model a user putting the card on the reader or
    taking it away. A card that raises on transmit (cardsim's tearing mode
    raises `CardRemoved`) is treated as pulled out: the socket closes, and when
    `reinsert_after` is set the card comes back after that many seconds.
    """

    _gone_at: ClassVar[dict[int, float]] = {}  # port -> when a card last left that slot

    def __init__(
        self,
        card: Card,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        *,
        reinsert_after: float | None = None,
        inserted: bool = True,
        timing: CardTimer | str | None = None,
    ) -> None:
        """`timing`: a profile name or CardTimer (cardsim/timing.py): the card then takes
        the time a real card takes for each command."""
        self.card = card
        self.timer = timing if isinstance(timing, CardTimer) else CardTimer(timing)
        self.host = host
        self.port = port
        self.reinsert_after = reinsert_after
        self.connected = threading.Event()
        self.apdu_count = 0
        self._want_inserted = inserted
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None

    # -- control -----------------------------------------------------------------
    def start(self) -> VpcdBridge:
        self._thread = threading.Thread(target=self._run, name=f"vpcd-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._drop_socket()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def insert(self) -> None:
        self._want_inserted = True
        self._wake.set()

    def remove(self) -> None:
        self._want_inserted = False
        self._drop_socket()

    def wait_connected(self, timeout: float = 10.0) -> bool:
        return self.connected.wait(timeout)

    def __enter__(self) -> VpcdBridge:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- worker ------------------------------------------------------------------
    def _drop_socket(self) -> None:
        with self._lock:
            sock, self._sock = self._sock, None
        if sock is not None:
            VpcdBridge._gone_at[self.port] = time.monotonic()
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.connected.clear()

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self._want_inserted:
                self._wake.wait(0.1)
                self._wake.clear()
                continue
            absent = time.monotonic() - VpcdBridge._gone_at.get(self.port, 0.0)
            if absent < MIN_ABSENCE_S:
                self._stop.wait(MIN_ABSENCE_S - absent)
                continue
            try:
                sock = socket.create_connection((self.host, self.port), timeout=1.0)
            except OSError:
                self._stop.wait(0.2)  # vpcd not listening yet (pcscd starting)
                continue
            sock.settimeout(None)
            _tune(sock)
            with self._lock:
                self._sock = sock
            self.connected.set()
            torn = self._serve(sock)
            self._drop_socket()
            with contextlib.suppress(Exception):
                self.card.power_off()
            if torn:
                if self.reinsert_after is None:
                    self._want_inserted = False
                else:
                    self._stop.wait(self.reinsert_after)
                    disarm = getattr(self.card, "disarm_tear", None)
                    if disarm is not None:
                        disarm()

    def _serve(self, sock: socket.socket) -> bool:
        """Answers vpcd until the socket closes; True when the card itself went away."""
        try:
            while True:
                (length,) = struct.unpack(">H", _recv_exact(sock, 2))
                msg = _recv_exact(sock, length)
                if length == 1:
                    self._control(sock, msg[0])
                    continue
                try:
                    rapdu = self.card.transmit(msg)
                except Exception as exc:  # the card lost power (tearing) or broke
                    log.info("card gone during APDU %d: %s", self.apdu_count, exc)
                    return True
                self.timer.command(msg, rapdu)
                self.apdu_count += 1
                _send(sock, rapdu)
        except (_Closed, OSError):
            return False

    def _control(self, sock: socket.socket, code: int) -> None:
        if code == CTRL_POWER_OFF:
            self.card.power_off()
        elif code in (CTRL_POWER_ON, CTRL_RESET):
            self.card.power_on()
            self.timer.activation()
        elif code == CTRL_GET_ATR:
            _send(sock, self.card.atr)
        else:
            log.warning("unknown vpcd control message %02X", code)


def serve(card: Card, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
          *, reinsert_after: float | None = 1.0, timing: str | None = None) -> None:
    """Serves `card` in a vpcd slot until interrupted (the `cardsim vpcd` command)."""
    bridge = VpcdBridge(card, host, port, reinsert_after=reinsert_after,
                        timing=timing).start()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        bridge.stop()


def main(args: argparse.Namespace) -> int:
    """`cardsim vpcd --card FILE [--host H] [--port P] [--timing PROFILE]`."""
    from pathlib import Path

    from cardsim.card import VirtualCard

    timing = getattr(args, "timing", None) or "none"
    try:
        get_profile(timing)
    except TimingError as exc:
        print(f"cardsim: {exc}", file=sys.stderr)
        return 2
    if args.card and Path(args.card).exists():
        card = VirtualCard.load(args.card)
    else:
        card = VirtualCard.create(args.card)  # a new card, kept in FILE when given
    print(f"cardsim: card {card.cin.hex().upper()} in vpcd slot at {args.host}:{args.port}"
          f" (timing: {timing})", flush=True)
    serve(card, args.host, args.port, timing=timing)
    return 0
