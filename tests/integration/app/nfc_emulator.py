"""A contactless ISO-DEP card on nfcpy's UDP "air" (driver `udp:HOST:PORT`).

nfcpy's UDP driver sends each frame as a datagram `"<brty> <hex>"` (e.g.
`"106A 26"`) and `"RFOFF"` when it switches the field off. This emulator is
the card side of that link: ISO 14443-3 anticollision (7-byte UID, two cascade
levels) or a Type B SENSB/ATTRIB answer, then ISO 14443-4: RATS/ATS, I-blocks
with chaining in both directions, R(ACK)/R(NAK), S(DESELECT). Every complete
APDU goes to `card.transmit()` (a cardsim VirtualCard or anything alike).

`remove()` takes the card out of the field (it stops answering), `insert()`
puts it back. A card whose transmit raises (cardsim tearing) goes silent, as
a card pulled mid-APDU does.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any

FSD_DEFAULT = 256


class NfcCardEmulator:
    def __init__(self, card: Any, *, tech: str = "A", uid: bytes = bytes.fromhex("04A1B2C3D4E5F6"),
                 fwi: int = 9, host: str = "127.0.0.1", port: int = 0) -> None:
        assert tech in ("A", "B")
        assert len(uid) in (4, 7)
        self.card = card
        self.tech = tech
        self.uid = uid
        self.fwi = fwi
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, port))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.path = f"udp:{host}:{self.port}"
        self.in_field = True
        self.apdus = 0
        self.torn = False
        self._stop = threading.Event()
        self._reset()
        self._thread = threading.Thread(target=self._run, name="nfc-card", daemon=True)

    # -- control -------------------------------------------------------------------
    def start(self) -> NfcCardEmulator:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()

    def remove(self) -> None:
        self.in_field = False
        self._reset()

    def insert(self) -> None:
        disarm = getattr(self.card, "disarm_tear", None)
        if disarm is not None:
            disarm()
        self.torn = False
        self.in_field = True
        self._reset()

    def __enter__(self) -> NfcCardEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- protocol ------------------------------------------------------------------
    def _reset(self) -> None:
        self.state = "idle"  # idle -> ready -> active (layer 3 done) -> protocol (layer 4)
        self.block = 0  # PICC block number
        self.rx = bytearray()  # chained command being received
        self.tx = b""  # chained answer being sent
        self.powered = False

    def _power_on(self) -> None:
        if not self.powered:
            with contextlib.suppress(Exception):
                self.card.power_on()
            self.powered = True

    def _power_off(self) -> None:
        if self.powered:
            with contextlib.suppress(Exception):
                self.card.power_off()
        self._reset()

    def _send(self, brty: str, data: bytes, addr: Any) -> None:
        self.sock.sendto(f"{brty} {data.hex()}".encode(), addr)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                msg, addr = self.sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                break
            if msg.startswith(b"RFOFF"):
                self._power_off()
                continue
            if not self.in_field or self.torn:
                continue
            try:
                brty_b, hexdata = msg.split()
                frame = bytes.fromhex(hexdata.decode())
            except ValueError:
                continue
            brty = brty_b.decode()
            if brty.endswith("A") and self.tech == "A":
                answer = self._type_a(frame)
            elif brty.endswith("B") and self.tech == "B":
                answer = self._type_b(frame)
            else:
                answer = None
            if answer is not None:
                self._send(brty, answer, addr)

    def _uid_cl(self) -> list[bytes]:
        parts = [self.uid] if len(self.uid) == 4 else [b"\x88" + self.uid[:3], self.uid[3:]]
        out = []
        for p in parts:
            bcc = p[0] ^ p[1] ^ p[2] ^ p[3]
            out.append(p + bytes([bcc]))
        return out

    def _type_a(self, frame: bytes) -> bytes | None:
        if frame in (b"\x26", b"\x52"):  # SENS_REQ / ALL_REQ
            self._power_on()
            self.state = "ready"
            return b"\x44\x00" if len(self.uid) == 7 else b"\x04\x00"
        cls = self._uid_cl()
        if self.state == "ready" and len(frame) == 2 and frame[1] == 0x20:  # SDD_REQ
            level = {0x93: 0, 0x95: 1}.get(frame[0])
            if level is not None and level < len(cls):
                return cls[level]
            return None
        if self.state == "ready" and len(frame) == 7 and frame[1] == 0x70:  # SEL_REQ
            level = {0x93: 0, 0x95: 1}.get(frame[0])
            if level is None or level >= len(cls) or frame[2:] != cls[level]:
                return None
            if level < len(cls) - 1:
                return b"\x04"  # cascade bit: UID not complete
            self.state = "active"
            return b"\x20"  # ISO 14443-4 compliant
        if self.state == "active" and frame[:1] == b"\xE0":  # RATS
            self.state = "protocol"
            self.block = 0
            # TL T0(TA,TB,TC present, FSCI=8) TA TB(FWI, SFGI=0) TC
            return bytes([0x05, 0x78, 0x80, (self.fwi << 4) & 0xF0, 0x02])
        if self.state == "protocol":
            return self._layer4(frame)
        return None

    def _type_b(self, frame: bytes) -> bytes | None:
        if len(frame) == 3 and frame[0] == 0x05:  # SENSB_REQ / ALLB_REQ
            self._power_on()
            self.state = "ready"
            pupi = self.uid[:4]
            # 50 PUPI(4) AppData(4) ProtInfo: bitrate, FSCI<<4|type(1), FWI<<4|ADC|FO
            prot = bytes([0x00, 0x81, (self.fwi << 4) | 0x01])
            return b"\x50" + pupi + b"\x00\x00\x00\x00" + prot
        if self.state == "ready" and frame[:1] == b"\x1D":  # ATTRIB
            self.state = "protocol"
            self.block = 0
            return b"\x00"
        if self.state == "protocol":
            return self._layer4(frame)
        return None

    def _layer4(self, frame: bytes) -> bytes | None:
        if not frame:
            return None
        pcb = frame[0]
        if pcb & 0xE2 == 0x02:  # I-block
            bn = pcb & 0x01
            chaining = bool(pcb & 0x10)
            self.rx += frame[1:]
            self.block = bn
            if chaining:
                return bytes([0xA2 | bn])  # R(ACK)
            apdu, self.rx = bytes(self.rx), bytearray()
            try:
                rsp = bytes(self.card.transmit(apdu))
            except Exception:
                self.torn = True  # the card lost power mid-command: silence
                return None
            self.apdus += 1
            self.tx = rsp
            return self._next_tx_block()
        if pcb & 0xE6 == 0xA2:  # R-block
            bn = pcb & 0x01
            if pcb & 0x10:  # R(NAK): presence check or retransmission request
                return bytes([0xA2 | self.block])
            if self.tx:  # R(ACK): reader wants the next part of a chained answer
                self.block = bn
                return self._next_tx_block()
            return bytes([0xA2 | self.block])
        if pcb & 0xC7 == 0xC2:  # S(DESELECT)
            self.state = "idle"
            return b"\xC2"
        return None

    def _next_tx_block(self) -> bytes:
        room = FSD_DEFAULT - 3
        part, self.tx = self.tx[:room], self.tx[room:]
        more = bool(self.tx)
        return bytes([(0x12 if more else 0x02) | self.block]) + part
