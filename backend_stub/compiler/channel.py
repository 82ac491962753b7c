"""What SCP02 and SCP03 host channels have in common.

A channel is opened from the INITIALIZE UPDATE answer, then wraps a whole list
of plain commands in one go (the C-MAC chain does not depend on responses)
and afterwards unwraps the answers one by one, in the same order. Its state is
a plain dict so a half-run script can be stored and resumed elsewhere.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from backend_stub.compiler.keys import CardKeys, KeyMaterialError

HOST_CHALLENGE_LEN = 8


class SecureChannelError(Exception):
    """The secure channel cannot be opened or a protected answer fails verification."""


@dataclass(frozen=True)
class InitUpdateResponse:
    """INITIALIZE UPDATE answer (data without SW), GP 2.2.1 E.5.1 / Amendment D table 7-2."""

    kdd: bytes
    kvn: int
    scp: int
    i: int | None
    card_challenge: bytes
    card_cryptogram: bytes
    sequence: bytes

    @classmethod
    def parse(cls, data: bytes) -> InitUpdateResponse:
        if len(data) < 12:
            raise SecureChannelError(f"INITIALIZE UPDATE answer of {len(data)} bytes is too short")
        kdd, kvn, scp = data[:10], data[10], data[11]
        if scp == 2:
            if len(data) != 28:
                raise SecureChannelError(f"SCP02 INITIALIZE UPDATE answer must be 28 bytes,"
                                         f" got {len(data)}")
            return cls(kdd, kvn, 2, None, data[14:20], data[20:28], data[12:14])
        if scp == 3:
            if len(data) < 13:
                raise SecureChannelError("SCP03 INITIALIZE UPDATE answer lacks the i parameter")
            i = data[12]
            if i & 0x01:
                raise SecureChannelError("SCP03 S16 mode (16-byte challenges) is not supported")
            want = 32 if i & 0x10 else 29
            if len(data) != want:
                raise SecureChannelError(f"SCP03 i={i:02X} INITIALIZE UPDATE answer must be {want}"
                                         f" bytes, got {len(data)}")
            return cls(kdd, kvn, 3, i, data[13:21], data[21:29], data[29:32])
        raise SecureChannelError(f"card speaks SCP{scp:02X}; only SCP02 and SCP03 are supported")


def initialize_update(kvn: int, host_challenge: bytes) -> bytes:
    """INITIALIZE UPDATE: 80 50 KVN 00 08 challenge 00."""
    if len(host_challenge) != HOST_CHALLENGE_LEN:
        raise SecureChannelError("host challenge must be 8 bytes")
    return bytes([0x80, 0x50, kvn, 0x00, 0x08]) + host_challenge + b"\x00"


def is_protected_sw(sw1: int, sw2: int) -> bool:
    """Only 9000, 62xx and 63xx answers carry R-MAC / R-ENC (Amendment D 6.2.5)."""
    return (sw1, sw2) == (0x90, 0x00) or sw1 in (0x62, 0x63)


class SecureChannel(ABC):
    scp: int
    level: int

    @abstractmethod
    def external_authenticate(self) -> bytes:
        """The EXTERNAL AUTHENTICATE command; must be the first command wrapped."""

    @abstractmethod
    def wrap(self, apdu: bytes) -> bytes:
        """Protect one plain command (CLA 80/00) for the card."""

    @abstractmethod
    def unwrap(self, response: bytes) -> bytes:
        """Check and strip the protection of the next pending answer (data + SW)."""

    @abstractmethod
    def encrypt_key(self, key: bytes) -> bytes:
        """Key value as PUT KEY carries it (SCP03: static DEK; SCP02: session DEK)."""

    @property
    @abstractmethod
    def block_overhead(self) -> int:
        """Bytes of wrapping overhead to keep a wrapped command within 255 data bytes."""

    @abstractmethod
    def to_dict(self) -> dict[str, Any]: ...

    def wrap_all(self, apdus: list[bytes]) -> list[bytes]:
        return [self.wrap(a) for a in apdus]


def default_level(scp: int, i: int | None) -> int:
    """0x33 for SCP03 when i allows R-MAC and R-ENC, 0x13 with R-MAC only, else 0x03."""
    if scp == 3 and i is not None:
        if i & 0x40:
            return 0x33
        if i & 0x20:
            return 0x13
    return 0x03


def open_channel(keys: CardKeys, host_challenge: bytes, iu_response: bytes,
                 level: int | None = None, sd_aid: bytes | None = None,
                 check_challenge: bool = False) -> SecureChannel:
    """Verify the card's cryptogram and return the matching host channel."""
    from backend_stub.compiler.scp02 import Scp02Channel
    from backend_stub.compiler.scp03 import Scp03Channel

    iu = InitUpdateResponse.parse(iu_response)
    try:
        static = keys.for_card(iu.kdd, iu.scp)
    except KeyMaterialError as exc:
        raise SecureChannelError(str(exc)) from None
    chosen = default_level(iu.scp, iu.i) if level is None else level
    if iu.scp == 3:
        return Scp03Channel(static, host_challenge, iu, chosen, sd_aid=sd_aid,
                            check_challenge=check_challenge)
    return Scp02Channel(static, host_challenge, iu, chosen)


def channel_from_dict(d: dict[str, Any]) -> SecureChannel:
    from backend_stub.compiler.scp02 import Scp02Channel
    from backend_stub.compiler.scp03 import Scp03Channel

    if d.get("scp") == 3:
        return Scp03Channel.from_dict(d)
    if d.get("scp") == 2:
        return Scp02Channel.from_dict(d)
    raise SecureChannelError("stored channel state has an unknown SCP")
