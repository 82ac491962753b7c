"""cardsim.vpcd through the real pcscd + vpcd driver + pyscard."""

from __future__ import annotations

import contextlib

import pytest

from tests.helpers.pcsc import READER, wait_card

pytestmark = pytest.mark.pcsc


class EchoCard:
    """Answers every APDU with its data field and 9000; can be told to 'tear'."""

    atr = bytes.fromhex("3B8080010101")

    def __init__(self) -> None:
        self.powered = False
        self.fail_next = False

    def power_on(self) -> bytes:
        self.powered = True
        return self.atr

    def power_off(self) -> None:
        self.powered = False

    def transmit(self, apdu: bytes) -> bytes:
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("torn")
        return apdu[5:] + b"\x90\x00"


def _connect():
    from smartcard.System import readers

    reader = next(r for r in readers() if str(r) == READER)
    conn = reader.createConnection()
    conn.connect()
    return conn


def _close(conn) -> None:
    """Disconnect and release the PC/SC context now, not in __del__ after pcscd is gone."""
    with contextlib.suppress(Exception):
        conn.release()


def test_apdus_and_atr_reach_the_card(vpcd_card):
    card = EchoCard()
    bridge = vpcd_card(card)
    conn = _connect()
    try:
        assert bytes(conn.getATR()) == card.atr
        data, sw1, sw2 = conn.transmit(list(bytes.fromhex("00A4040005A000000151")))
        assert bytes(data) == bytes.fromhex("A000000151") and (sw1, sw2) == (0x90, 0x00)
        # An extended-length APDU goes through the driver unchanged.
        big = bytes(range(256)) * 4
        apdu = b"\x00\xd0\x00\x00\x00" + len(big).to_bytes(2, "big") + big
        data, sw1, sw2 = conn.transmit(list(apdu))
        assert (sw1, sw2) == (0x90, 0x00)
        assert bytes(data) == len(big).to_bytes(2, "big") + big  # echo of bytes 5.. of the APDU
        assert bridge.apdu_count == 2
        assert card.powered
    finally:
        _close(conn)


def test_remove_and_insert_are_seen_by_pcscd(vpcd_card):
    bridge = vpcd_card(EchoCard())
    bridge.remove()
    wait_card(False)
    bridge.insert()
    assert bridge.wait_connected(10)
    wait_card(True)


def test_a_card_that_fails_mid_apdu_is_removed(vpcd_card):
    from smartcard.Exceptions import CardConnectionException

    card = EchoCard()
    bridge = vpcd_card(card, reinsert_after=None)
    conn = _connect()
    card.fail_next = True
    with pytest.raises(CardConnectionException):
        conn.transmit(list(bytes.fromhex("00A4040000")))
    _close(conn)
    wait_card(False)
    assert not bridge.connected.is_set()


def test_a_timing_profile_is_spent_per_command_through_pcscd(vpcd_card):
    """`cardsim vpcd --timing`: each APDU costs the profile's time (recorded, not slept)."""
    from cardsim.timing import CardTimer, get_profile

    spent: list[float] = []
    profile = get_profile("jcop4-contact")
    bridge = vpcd_card(EchoCard(), timing=CardTimer(profile, sleep=spent.append))
    conn = _connect()
    try:
        select = bytes.fromhex("00A4040008A000000151000000")
        _data, sw1, sw2 = conn.transmit(list(select))
        assert (sw1, sw2) == (0x90, 0x00)
    finally:
        _close(conn)
    commands = [s for s in spent if s != profile.activation_s]
    assert bridge.apdu_count == 1 and len(commands) == 1
    response = select[5:] + b"\x90\x00"
    assert commands[0] == profile.command_s(select, response)
    assert 0.010 < commands[0] < 0.015  # SELECT 12 ms (GlobalPlatformPro issue 355)
