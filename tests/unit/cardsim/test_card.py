"""Transport, selection, identity, persistence and tearing of VirtualCard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardsim.card import CardRemoved, VirtualCard
from cardsim.profile import CardProfile
from cardsim.state import StateError
from tests.helpers.capwriter import build_cap, load_file_data_block
from tests.unit.cardsim.host import (
    SCP03Host,
    apdu,
    h,
    install_cmd,
    install_for_load,
    load_blocks,
    parse_tlvs,
    select_cmd,
)

KEY = h("404142434445464748494A4B4C4D4E4F")
PLATFORM = h("A00000061702000900010101")


def test_atr_is_t1_with_name(card: VirtualCard) -> None:
    atr = card.power_on()
    assert atr == card.atr and atr[0] == 0x3B and b"CARDSIM" in atr
    tck = 0
    for b in atr[1:]:
        tck ^= b
    assert tck == 0  # TCK makes the XOR of T0..TCK zero


def test_identity_apdus_as_the_touch_point_reads_them() -> None:
    card = VirtualCard.create(
        profile=CardProfile(cin=h("3D5F8004132EDA"), iin=h("99990100"), batch_id=199)
    )
    fci = card.transmit(h("00A4040000"))
    assert fci[-2:] == h("9000")
    outer = dict(parse_tlvs(fci[:-2]))
    inner = dict(parse_tlvs(outer[0x6F]))
    assert inner[0x84] == h("A000000151000000")
    props = dict(parse_tlvs(inner[0xA5]))
    assert props[0x9F65] == h("FF") and h("2A864886FC6B040370") in props[0x73]
    cplc = card.transmit(h("80CA9F7F00"))
    assert cplc[:3] == h("9F7F2A") and len(cplc) == 3 + 42 + 2
    assert card.transmit(h("80CA004500")) == h("45073D5F8004132EDA9000")
    assert card.transmit(h("80CA004200")) == h("4204999901009000")
    assert card.transmit(h("00CA004500")) == h("45073D5F8004132EDA9000")
    assert card.transmit(apdu("00A4040C", PLATFORM)) == h("9000")  # P2=0C: no FCI
    assert card.transmit(select_cmd(PLATFORM)) == h(
        "45073D5F8004132EDA 42030000C7 9000".replace(" ", "")
    )
    assert card.transmit(h("80CA00FE00")) == h("6D00")  # the platform applet has no GET DATA


def test_partial_select_walks_occurrences() -> None:
    card = VirtualCard.create()
    card.transmit(h("00A4040000"))
    host = SCP03Host(card, KEY, KEY, KEY)
    host.open()
    sds = [h("A00000061701") + bytes([0, 0, 0, i]) for i in (1, 2, 3)]
    for sd in sds:
        assert (
            host.send(install_cmd(h("A0000001515350"), h("A000000151535041"), sd, h("80")))[1]
            == 0x9000
        )
    seen = []
    rsp = card.transmit(select_cmd(h("A00000061701")))
    while rsp[-2:] == h("9000"):
        seen.append(dict(parse_tlvs(dict(parse_tlvs(rsp[:-2]))[0x6F]))[0x84])
        rsp = card.transmit(select_cmd(h("A00000061701"), p2=0x02))
    assert rsp == h("6A82")
    assert seen == sds
    assert card.transmit(select_cmd(h("A0000006179999"))) == h("6A82")


def test_get_response_and_short_le() -> None:
    card = VirtualCard.create()
    fci = card.transmit(h("00A4040000"))[:-2]
    rsp = card.transmit(h("00A4040010"))  # Le=16 < FCI length
    assert rsp[:16] == fci[:16] and rsp[-2] == 0x61 and rsp[-1] == len(fci) - 16
    rest = card.transmit(bytes([0x00, 0xC0, 0x00, 0x00, rsp[-1]]))
    assert rest == fci[16:] + h("9000")
    assert card.transmit(h("00C0000010")) == h("6985")  # nothing left


def test_get_response_in_pieces_and_cancel() -> None:
    card = VirtualCard.create()
    fci = card.transmit(h("00A4040000"))[:-2]
    rsp = card.transmit(h("00A4040008"))
    part2 = card.transmit(h("00C0000008"))
    assert part2[-2] == 0x61 and rsp[:8] + part2[:8] == fci[:16]
    card.transmit(h("80CA004500"))  # any other command drops the buffer
    assert card.transmit(h("00C0000008")) == h("6985")


@pytest.mark.parametrize(
    ("raw", "sw"),
    [
        ("A0A4040000", "6E00"),  # unknown class
        ("FFCA000000", "6E00"),  # PC/SC pseudo-APDU is the reader's business
        ("00A4040000"[:6], "6700"),  # too short
        ("80CA00", "6700"),
        ("8060000000", "6D00"),  # unknown instruction on the ISD
        ("01A4040000", "6881"),  # logical channel 1
        ("41A4040000", "6881"),  # further channel
        ("0070000001", "6881"),  # MANAGE CHANNEL open
        ("10A4040000", "6884"),  # command chaining
        ("00A4000000", "6A86"),  # select by file id: not supported
        ("00A4040100", "6A86"),  # last occurrence: not supported
        ("80CA00FF00", "6A88"),  # unknown data object
        ("8450000008010203040506070800", "6E00"),  # IU must be CLA 80
        ("80820000100102030405060708010203040506070800", "6985"),  # EA without IU
    ],
)
def test_error_status_words(raw: str, sw: str) -> None:
    card = VirtualCard.create()
    assert card.transmit(h(raw)) == h(sw)


@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_random_bytes_never_raise(raw: bytes) -> None:
    card = _fuzz_card()
    rsp = card.transmit(raw)
    assert len(rsp) >= 2


@settings(max_examples=200)
@given(
    st.sampled_from([0x00, 0x80, 0x84, 0x90]),
    st.integers(0, 255),
    st.integers(0, 255),
    st.integers(0, 255),
    st.binary(max_size=40),
)
def test_random_commands_never_raise(cla: int, ins: int, p1: int, p2: int, data: bytes) -> None:
    card = _fuzz_card()
    raw = bytes([cla, ins, p1, p2]) + (bytes([len(data)]) + data if data else b"")
    assert len(card.transmit(raw)) >= 2


_FUZZ: list[VirtualCard] = []


def _fuzz_card() -> VirtualCard:
    if not _FUZZ:
        _FUZZ.append(VirtualCard.create())
    return _FUZZ[0]


def test_state_file_roundtrip_and_reload(card: VirtualCard, card_path: Path) -> None:
    data = json.loads(card_path.read_text())
    assert data["format"] == "cardsim-state/1"
    again = VirtualCard.load(card_path)
    assert again.cin == card.cin and again.iin == card.iin
    assert again.state.to_json() == card.state.to_json()


def test_bad_state_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    with pytest.raises(StateError):
        VirtualCard.load(bad)
    bad.write_text(json.dumps({"format": "other"}))
    with pytest.raises(StateError):
        VirtualCard.load(bad)
    with pytest.raises(StateError):
        VirtualCard.load(tmp_path / "missing.json")


def _install_package(card: VirtualCard, pkg: bytes, applet: bytes) -> SCP03Host:
    card.transmit(h("00A4040000"))
    host = SCP03Host(card, KEY, KEY, KEY)
    host.open()
    assert host.send(install_for_load(pkg))[1] == 0x9000
    for block in load_blocks(load_file_data_block(build_cap(pkg, [applet]))):
        assert host.send(block)[1] == 0x9000
    assert host.send(install_cmd(pkg, applet, applet))[1] == 0x9000
    return host


def test_changes_persist_across_reload(card: VirtualCard, card_path: Path) -> None:
    pkg, applet = h("A000000617001122330001"), h("A00000061700112233000101")
    _install_package(card, pkg, applet)
    again = VirtualCard.load(card_path)
    assert again.transmit(select_cmd(applet))[-2:] == h("9000")


def test_transient_state_is_lost_on_power_cycle(card: VirtualCard) -> None:
    card.transmit(h("00A4040000"))
    host = SCP03Host(card, KEY, KEY, KEY)
    host.open()
    card.power_off()
    with pytest.raises(CardRemoved):
        card.transmit(h("00A4040000"))
    card.power_on()
    assert card.transmit(host.wrap(h("80F28002024F0000"))) == h("6982")


def test_tear_before_execution_keeps_state(card: VirtualCard, card_path: Path) -> None:
    pkg, applet = h("A000000617001122330001"), h("A00000061700112233000101")
    card.transmit(h("00A4040000"))
    host = SCP03Host(card, KEY, KEY, KEY)
    host.open()
    host.send(install_for_load(pkg))
    blocks = load_blocks(load_file_data_block(build_cap(pkg, [applet])))
    for block in blocks[:-1]:
        host.send(block)
    before = card_path.read_bytes()
    card.arm_tear(0)
    with pytest.raises(CardRemoved):
        card.transmit(host.wrap(blocks[-1]))
    with pytest.raises(CardRemoved):
        card.transmit(h("00A4040000"))
    assert card_path.read_bytes() == before
    card.power_on()
    assert card.transmit(select_cmd(applet)) == h("6A82")


def test_tear_after_execution_persists_but_loses_answer(card: VirtualCard, card_path: Path) -> None:
    pkg, applet = h("A000000617001122330001"), h("A00000061700112233000101")
    card.transmit(h("00A4040000"))
    host = SCP03Host(card, KEY, KEY, KEY)
    host.open()
    host.send(install_for_load(pkg))
    blocks = load_blocks(load_file_data_block(build_cap(pkg, [applet])))
    for block in blocks[:-1]:
        host.send(block)
    card.arm_tear(1, execute_last=True)
    assert card.transmit(h("80CA004500"))[-2:] == h("9000")  # one more APDU is processed
    with pytest.raises(CardRemoved):
        card.transmit(host.wrap(blocks[-1]))
    reloaded = VirtualCard.load(card_path)
    assert any(e.aid == pkg for e in reloaded.state.registry.elfs)
    card.power_on()
    card.disarm_tear()
    assert card.transmit(h("00A4040000"))[-2:] == h("9000")


def test_failed_applet_command_rolls_back_its_state(card: VirtualCard, card_path: Path) -> None:
    from typing import ClassVar

    from cardsim.applets import BEHAVIOURS, register
    from cardsim.applets.base import Applet, Response
    from cardsim.errors import SWError

    pkg, applet = h("A000000617005555550001"), h("A00000061700555555000101")

    @register
    class Counter(Applet):
        package_aid: ClassVar[bytes] = pkg

        def process(self, cmd):  # type: ignore[no-untyped-def]
            self.state["n"] = self.state.get("n", 0) + 1
            if cmd.p1:
                raise SWError(0x6A80, "fails after mutating")
            return Response(bytes([self.state["n"]]))

    try:
        _install_package(card, pkg, applet)
        card.transmit(select_cmd(applet))
        assert card.transmit(h("8000000000")) == h("019000")
        before = card_path.read_bytes()
        assert card.transmit(h("8000010000")) == h("6A80")
        assert card_path.read_bytes() == before
        assert card.transmit(h("8000000000")) == h("029000")
    finally:
        BEHAVIOURS.pop(pkg, None)


def test_in_memory_card_has_no_file(tmp_path: Path) -> None:
    card = VirtualCard.create()
    assert card.path is None
    card.transmit(h("00A4040000"))
    assert list(tmp_path.iterdir()) == []


def test_malformed_apdus_leave_the_file_alone(card: VirtualCard, card_path: Path) -> None:
    before = card_path.read_bytes()
    for raw in (
        "00A404",
        "00A4040003AABB",
        "00A404000000",
        "84E60C0000000005",
        "90CA00000501",
        "80E8800003C401",
    ):
        assert card.transmit(h(raw))[-2:] in (h("6700"), h("6982"), h("917E")), raw
    assert card_path.read_bytes() == before
