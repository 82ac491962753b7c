"""cardsim/timing.py: each profile spends the published times (fake clock, no wall time).

The figures are those of the sources cited in cardsim/timing.py: GlobalPlatformPro
issue 255 (JCOP4 contact: EXTERNAL AUTHENTICATE 20 ms, LOAD 255-byte block 46-48 ms,
last block 692 ms), issue 355 (contactless: SELECT 12 ms, LOAD block 129 ms), issue 15
(INITIALIZE UPDATE 44 ms), Yubico/ykneo-openpgp issue 45 (INSTALL 250 ms) and
stackoverflow question 50622564 (5 DESFire EV1 commands in 92.77 ms).
"""

from __future__ import annotations

import pytest

from app.readers.virtual import VirtualReader
from cardsim.card import VirtualCard
from cardsim.timing import (
    ISO14443_106K,
    ISO14443_848K,
    PROFILES,
    T1_115K,
    CardTimer,
    TimingError,
    command_kind,
    get_profile,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def apdu(header: str, data_len: int, le: bool = False) -> bytes:
    return bytes.fromhex(header) + bytes([data_len]) + bytes(data_len) + (b"\x00" if le else b"")


# A GP install at the sizes the figures were measured at: (command, response length)
SCRIPT = [
    (apdu("00A40400", 8, le=True), 22),        # SELECT ISD           12 ms [GPP355]
    (apdu("80500000", 8, le=True), 31),        # INITIALIZE UPDATE    44 ms [GPP15]
    (apdu("84820100", 16), 2),                 # EXTERNAL AUTH        20 ms [GPP255]
    (apdu("84E60200", 20), 3),                 # INSTALL [for load]   32 ms (as GET STATUS)
    (apdu("84E80000", 255), 3),                # LOAD                 47 / 129 ms
    (apdu("84E80001", 255), 3),
    (apdu("84E88002", 255), 3),                # last LOAD            692 ms [GPP255]
    (apdu("84E60C00", 30), 3),                 # INSTALL [install]    250 ms [YK45]
]
EXPECTED_MS = {
    "jcop4-contact": 12 + 44 + 20 + 32 + 47 + 47 + 692 + 250,
    "jcop4-contactless": 12 + 44 + 20 + 32 + 129 + 129 + 692 + 250,
    "desfire-ev1": 12 + 44 + 20 + 32 + 129 + 129 + 692 + 250,
}


def run_script(profile: str, script: list[tuple[bytes, int]]) -> FakeClock:
    clock = FakeClock()
    timer = CardTimer(profile, sleep=clock.sleep)
    for command, rsp_len in script:
        timer.command(command, bytes(rsp_len))
    assert timer.total_s == pytest.approx(clock.now)
    return clock


@pytest.mark.parametrize("profile", sorted(EXPECTED_MS))
def test_a_script_at_the_measured_sizes_takes_the_published_sum(profile: str) -> None:
    clock = run_script(profile, SCRIPT)
    assert clock.now * 1000 == pytest.approx(EXPECTED_MS[profile], abs=0.5)
    assert len(clock.sleeps) == len(SCRIPT)


def test_desfire_commands_take_the_measured_time() -> None:
    select_app = apdu("905A0000", 3, le=True)  # 9 bytes, answered 91 00 (+ up to 7 data)
    script = [(select_app, 9)] * 5
    clock = run_script("desfire-ev1", script)
    assert clock.now * 1000 == pytest.approx(92.77, abs=0.05)  # [SO506]
    write = apdu("90CA0000", 3, le=True)  # CreateApplication writes EEPROM: +1 ms [DFEV2]
    assert (run_script("desfire-ev1", [(write, 9)]).now
            - run_script("desfire-ev1", [(select_app, 9)]).now) == pytest.approx(0.001)


def test_transmission_time_grows_with_the_bytes() -> None:
    # same card time, fewer bytes: the difference is the link's time for those bytes
    for profile, link in (("jcop4-contact", T1_115K), ("jcop4-contactless", ISO14443_848K),
                          ("desfire-ev1", ISO14443_106K)):
        full = run_script(profile, [(apdu("84E80000", 255), 3)]).now
        short = run_script(profile, [(apdu("84E80000", 100), 3)]).now
        # each further chained block: its own framing and the other side's acknowledgement
        extra_framing = (-(-260 // link.block) - -(-105 // link.block)) * 2 * link.overhead
        assert full - short == pytest.approx((155 + extra_framing) * link.byte_s)
    # T=1 at F=372 D=12 and 3.5712 MHz: 11 etu of 8.68 us per byte, ~95.5 us
    assert T1_115K.byte_s * 1e6 == pytest.approx(95.49, abs=0.01)
    # ISO 14443: 9 bits per byte at fc/128 (106 kbit/s) and fc/16 (848 kbit/s)
    assert ISO14443_106K.byte_s * 1e6 == pytest.approx(84.96, abs=0.01)
    assert ISO14443_848K.byte_s * 1e6 == pytest.approx(10.62, abs=0.01)


def test_profile_none_costs_nothing_and_unknown_names_are_refused() -> None:
    clock = run_script("none", SCRIPT)
    assert clock.now == 0 and clock.sleeps == []
    with pytest.raises(TimingError, match=r"unknown card timing profile 'jcop5'.*jcop4-contact"):
        get_profile("jcop5")
    assert set(PROFILES) == {"none", "jcop4-contact", "jcop4-contactless", "desfire-ev1"}


def test_command_kinds() -> None:
    assert command_kind(bytes.fromhex("00A4040000")) == "select"
    assert command_kind(bytes.fromhex("84E4000000")) == "delete"
    assert command_kind(bytes.fromhex("84E2900000")) == "store-data"
    assert command_kind(bytes.fromhex("84E6020000")) == "install-load"
    assert command_kind(bytes.fromhex("84E60C0000")) == "install"
    assert command_kind(bytes.fromhex("9060000000")) == "desfire"
    assert command_kind(b"\x00") == "other"


async def test_the_virtual_reader_spends_the_profile_time_for_what_it_sends() -> None:
    seen: list[tuple[bytes, bytes]] = []
    card = VirtualCard.create(None)
    real_transmit = card.transmit

    def recording(command: bytes) -> bytes:
        response = real_transmit(command)
        seen.append((bytes(command), bytes(response)))
        return response

    card.transmit = recording  # type: ignore[method-assign]
    clock = FakeClock()
    reader = VirtualReader(card, timing="jcop4-contactless")
    reader.timer._sleep = clock.sleep
    try:
        await reader.connect()
        await reader.transmit(bytes.fromhex("00A4040008A00000015100000000"))
        await reader.transmit(bytes.fromhex("80CA9F7F00"))
    finally:
        await reader.close()
    profile = get_profile("jcop4-contactless")
    expected = profile.activation_s + sum(profile.command_s(c, r) for c, r in seen)
    assert len(seen) >= 2 and clock.now == pytest.approx(expected)
    assert clock.now > 0.012 + 0.010  # at least SELECT and GET DATA's published times
    reader.set_timing("none")
    with pytest.raises(Exception, match="unknown card timing profile"):
        reader.set_timing("fast")


def test_the_virtual_reader_takes_its_profile_from_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from app.errors import ReaderError

    monkeypatch.setenv("CARDSIM_TIMING", "desfire-ev1")
    assert VirtualReader(VirtualCard.create(None)).timer.profile.name == "desfire-ev1"
    monkeypatch.setenv("CARDSIM_TIMING", "warp")
    with pytest.raises(ReaderError, match="unknown card timing profile 'warp'"):
        VirtualReader(VirtualCard.create(None))
