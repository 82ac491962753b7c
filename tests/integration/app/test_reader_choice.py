"""Which reader `touchpoint` uses when none is named, through pcscd + vpcd with two cards:
another scheme's card (a bank card, say) in "Virtual PCD 00 00" and ours in "... 00 01".

fdsm picks the card that answers the platform's SELECT; so must we (app/readers/probe.py),
where the first reader with a card (the old rule) would be the wrong one."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.readers.probe import answers_platform
from cardsim.card import VirtualCard
from cardsim.vpcd import VpcdBridge
from tests.helpers.entrypoints import environ, run
from tests.helpers.pcsc import READER, SLOT0_PORT, SlotLock, wait_card

pytestmark = pytest.mark.pcsc
SLOT1 = "Virtual PCD 00 01"


class ForeignCard:
    """Answers every SELECT with 6A82 (file not found) and anything else with 6D00."""

    atr = bytes.fromhex("3B8880014341524453494D317B")  # a well-formed T=1 ATR

    def power_on(self) -> bytes:
        return self.atr

    def power_off(self) -> None:
        pass

    def transmit(self, apdu: bytes) -> bytes:
        return bytes.fromhex("6A82" if apdu[1:2] == b"\xa4" else "6D00")


class Slot1Lock(SlotLock):
    PATH = Path(os.environ.get("TMPDIR", "/tmp")) / "se-touchpoint-vpcd-slot1.lock"


@pytest.fixture
def our_card_in_slot1(pcscd: object) -> Iterator[VirtualCard]:
    lock = Slot1Lock()
    lock.acquire()
    card = VirtualCard.create(None)
    bridge = VpcdBridge(card, port=SLOT0_PORT + 1).start()
    try:
        assert bridge.wait_connected(10), "vpcd did not accept the card in slot 1"
        wait_card(True, SLOT1)
        yield card
    finally:
        bridge.stop()
        wait_card(False, SLOT1)
        lock.release()


def test_of_two_cards_the_one_answering_the_platform_select_is_used(
        vpcd_card: object, our_card_in_slot1: VirtualCard, tmp_path: Path) -> None:
    vpcd_card(ForeignCard())  # type: ignore[operator]
    assert not answers_platform(READER) and answers_platform(SLOT1)
    env = environ(tmp_path)
    env.pop("TOUCHPOINT_NO_PCSC")
    proc = run("touchpoint", "card-info", "--offline", "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert info["reader"] == SLOT1
    assert info["cin"].upper() == our_card_in_slot1.cin.hex().upper()
    # $TOUCHPOINT_READER (or --reader) still chooses: the foreign card has no CIN to read
    proc = run("touchpoint", "card-info", "--offline", "--json",
               env={**env, "TOUCHPOINT_READER": "00 00"})
    assert proc.returncode == 1 and "CIN" in proc.stderr, proc.stderr
    proc = run("touchpoint", "card-info", "--offline", "--json", "--reader", "00 01",
               env={**env, "TOUCHPOINT_READER": "00 00"})
    assert proc.returncode == 0 and json.loads(proc.stdout)["reader"] == SLOT1
