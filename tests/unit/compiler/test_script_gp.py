"""GP scripts end to end against a small card-side counterpart, plus persistence."""

from __future__ import annotations

import json

import pytest

from backend_stub.compiler.base import Element
from backend_stub.compiler.cap import CapFile
from backend_stub.compiler.keys import CardKeys, StaticKeys
from backend_stub.compiler.script import (
    CardContext,
    ScriptError,
    ccm_delete,
    ccm_install,
    ccm_load,
    ccm_set_status,
    ccm_storedata,
    load_script,
    secure_transceive,
    transceive,
)
from tests.helpers.capwriter import build_cap
from tests.unit.compiler.fakecard import Scp02Card, Scp03Card, run

h = bytes.fromhex
KEY = h("404142434445464748494A4B4C4D4E4F")
KDD = bytes(range(10))
PKG = h("A00000061700112233")
APPLET = h("A0000006170011223301")
INSTANCE = h("A000000617001122330101")
ISD = h("A000000151000000")


def ctx(level: int | None = None, diversify: str = "none", **kw) -> CardContext:
    return CardContext(CardKeys.single(KEY, kvn=0x30, diversify=diversify),  # type: ignore[arg-type]
                       security_level=level, **kw)


def scp03_card(i: int = 0x70, **kw) -> Scp03Card:
    return Scp03Card(StaticKeys(KEY, KEY, KEY, 0x30), i=i, kdd=KDD, **kw)


def via_json(script):
    return load_script(json.loads(json.dumps(script.dump())))


def cap(code_size: int = 2000) -> CapFile:
    return CapFile.parse(build_cap(PKG, [APPLET], code_size=code_size))


@pytest.mark.parametrize(("level", "i", "block"), [
    (None, 0x70, 231), (0x33, 0x70, 231), (0x13, 0x70, 231), (0x11, 0x70, 247),
    (0x03, 0x00, 231), (0x01, 0x10, 247), (0x00, 0x00, 255),
])
@pytest.mark.parametrize("persist", [False, True])
def test_install_with_load_reaches_card(level: int | None, i: int, block: int,
                                        persist: bool) -> None:
    c = cap()
    card = scp03_card(i)
    script = ccm_install(ctx=ctx(level), cap=c, elf_aid=PKG, module_aid=APPLET,
                         instance_aid=INSTANCE, params=h("0102"))
    assert script.adds == [Element("package", PKG.hex().upper()),
                           Element("applet", INSTANCE.hex().upper())]
    script, log = run(script, card, restore=via_json if persist else None)
    assert script.done and len(log) == 2
    expected_level = level if level is not None else 0x33
    assert card.level == expected_level
    got = card.received
    assert got[0] == h("80E60200") + bytes([len(got[0]) - 5]) + h("09") + PKG + h("08") + ISD \
        + h("000000")
    loads = got[1:-1]
    assert all(x[1] == 0xE8 for x in loads)
    assert all(x[4] == block for x in loads[:-1])
    assert b"".join(x[5:-1] for x in loads) == b"\xC4\x82" + len(
        c.load_file_data_block).to_bytes(2, "big") + c.load_file_data_block
    assert got[-1][1:3] == h("E60C") and h("C9020102") in got[-1]
    assert script.dump()["batch"] == []


def test_batches_shape_and_names() -> None:
    script = ccm_install(ctx=ctx(), cap=cap(), elf_aid=None, module_aid=APPLET,
                         instance_aid=INSTANCE)
    first = script.first_batch()
    assert [c.name for c in first] == [f"SELECT {ISD.hex().upper()}", "INITIALIZE UPDATE"]
    assert first[1].apdu[:5] == h("8050300008")
    card = scp03_card()
    second = script.next_batch([card.process(c.apdu) for c in first])
    assert second[0].name == "EXTERNAL AUTHENTICATE"
    assert second[1].name == "INSTALL [for load]"
    assert second[2].name.startswith("LOAD (block 1 of ")
    assert second[-1].name == "INSTALL [for install and make selectable]"
    assert all(c.apdu[0] == 0x84 for c in second)


def test_kdf3_diversified_card() -> None:
    # The card holds KDF3-diversified keys (GPPro vectors in test_keys); the backend the master.
    div = CardKeys.single(KEY, diversify="kdf3").for_card(KDD, 3)
    card = Scp03Card(StaticKeys(div.enc, div.mac, div.dek, 0x30), kdd=KDD)
    script, _ = run(ccm_delete(ctx=ctx(diversify="auto"), aid=PKG, with_related=True), card)
    assert card.received == [h("80E40080") + bytes([2 + len(PKG)]) + h("4F09") + PKG]
    assert script.removes == [Element("package", PKG.hex().upper())]


def test_card_cryptogram_mismatch_is_500() -> None:
    script = ccm_delete(ctx=ctx(), aid=PKG)
    with pytest.raises(ScriptError, match="card cryptogram mismatch") as err:
        run(script, scp03_card(corrupt_cryptogram=True))
    assert err.value.status == 500
    with pytest.raises(ScriptError):
        script.next_batch([])
    assert script.error is not None and "cryptogram" in script.error


def test_unexpected_sw_is_417_with_responses() -> None:
    def handler(apdu: bytes) -> bytes:
        return h("6985") if apdu[1] == 0xE6 and apdu[2] == 0x0C else h("9000")

    script = ccm_install(ctx=ctx(0x03), cap=None, elf_aid=PKG, module_aid=APPLET,
                         instance_aid=INSTANCE)
    with pytest.raises(ScriptError, match="6985") as err:
        run(script, scp03_card(handler=handler))
    assert err.value.status == 417
    assert err.value.responses == ["9000", "6985"]


def test_rmac_tampering_is_500() -> None:
    script = secure_transceive(ctx=ctx(0x11), sd_aid=ISD, commands=[h("80CA006600")])
    card = scp03_card(handler=lambda apdu: h("6600") + h("9000"))
    first = script.first_batch()
    second = script.next_batch([card.process(c.apdu) for c in first])
    answers = [card.process(c.apdu) for c in second]
    answers[1] = bytes([answers[1][0] ^ 1]) + answers[1][1:]
    with pytest.raises(ScriptError, match="R-MAC") as err:
        script.next_batch(answers)
    assert err.value.status == 500


@pytest.mark.parametrize("level", [0x33, 0x13, 0x11, 0x03, 0x01])
def test_secure_transceive_result_is_unwrapped(level: int) -> None:
    def handler(apdu: bytes) -> bytes:
        return (h("BF3E035A0102") + h("9000")) if apdu[1] == 0xE2 else h("6A88")

    script = secure_transceive(ctx=ctx(level), sd_aid=h("A00000061701AABBCCDD"),
                               commands=[h("80E2910006BF3E035C015A00"), h("80CA00E000")])
    card = scp03_card(handler=handler, aid=h("A00000061701AABBCCDD"))
    with pytest.raises(ScriptError) as err:
        run(script, card)
    assert err.value.status == 417  # 6A88 is outside 9000/61XX
    script = secure_transceive(ctx=ctx(level), sd_aid=h("A00000061701AABBCCDD"),
                               commands=[h("80E2910006BF3E035C015A00")])
    script, _ = run(script, scp03_card(handler=handler))
    assert script.result() == {"responses": ["BF3E035A01029000"]}
    assert card.received[0] == h("80E2910006BF3E035C015A00")


def test_load_into_new_ssd() -> None:
    ssd = h("A00000061701AABBCCDD")
    card = scp03_card()
    script = ccm_load(ctx=ctx(), cap=cap(300), target_sd=ssd, create_ssd=True)
    assert [e.kind for e in script.adds] == ["ssd", "package"]
    run(script, card)
    install_ssd = card.received[0]
    assert install_ssd[:5] == h("80E60C0022")
    assert h("07A0000001515350" "08A000000151535041" "0A") + ssd + h("0180" "02C900" "00") \
        == install_ssd[5:]
    assert card.received[1][5:] == bytes([len(PKG)]) + PKG + bytes([len(ssd)]) + ssd + h("000000")
    with pytest.raises(ScriptError, match="target_sd"):
        ccm_load(ctx=ctx(), cap=cap(300), create_ssd=True)


def test_storedata_and_set_status() -> None:
    dgi = h("0101") + b"\xff" + (400).to_bytes(2, "big") + bytes(range(200)) * 2
    card = scp03_card()
    run(ccm_storedata(ctx=ctx(), instance_aid=INSTANCE, data=dgi, tag_type="DGI"), card)
    perso, *blocks = card.received
    assert perso[:4] == h("80E62000")
    assert [b[2] for b in blocks] == [0x08, 0x88]
    assert b"".join(b[5:] for b in blocks) == dgi
    card = scp03_card()
    run(ccm_set_status(ctx=ctx(), aid=INSTANCE, lock=True), card)
    assert card.received == [h("80F040800B") + INSTANCE]


def test_scp02_card() -> None:
    static = StaticKeys(KEY, KEY, KEY, 0x20)
    for level, block in ((0x03, 239), (0x01, 247), (None, 239)):
        card = Scp02Card(static, kdd=KDD)
        c = cap(1500)
        _script, _ = run(ccm_load(ctx=ctx(level), cap=c), card)
        loads = card.received[1:]
        assert all(x[4] == block for x in loads[:-1])
        assert b"".join(x[5:-1] for x in loads).endswith(c.load_file_data_block)


def test_max_block_from_9f65() -> None:
    card = scp03_card()
    run(ccm_load(ctx=ctx(0x33, max_block=128), cap=cap(600)), card)
    assert {x[4] for x in card.received[1:-1]} == {104}


def test_bad_requests_are_400() -> None:
    with pytest.raises(ScriptError) as err:
        ccm_load(ctx=ctx(), cap=cap(62000))
    assert err.value.status == 400 and "256" in err.value.message
    for call in (
        lambda: transceive(commands=[]),
        lambda: transceive(commands=[h("80")]),
        lambda: secure_transceive(ctx=ctx(), sd_aid=h("01"), commands=[h("80CA006600")]),
        lambda: ccm_install(ctx=ctx(), cap=cap(), elf_aid=h("A000000617FF"), module_aid=APPLET,
                            instance_aid=INSTANCE),
        lambda: ccm_install(ctx=ctx(), cap=None, elf_aid=None, module_aid=APPLET,
                            instance_aid=INSTANCE),
        lambda: ccm_install(ctx=ctx(), cap=None, elf_aid=PKG, module_aid=APPLET,
                            instance_aid=INSTANCE, privileges=b"\x00\x00"),
        lambda: ccm_storedata(ctx=ctx(), instance_aid=INSTANCE, data=h("0101"), tag_type="DGI"),
        lambda: ccm_delete(ctx=ctx(), aid=b"\x01"),
    ):
        with pytest.raises(ScriptError) as err:
            call()
        assert err.value.status == 400


def test_transceive_plain() -> None:
    script = transceive(commands=[h("00A4040000"), h("80CA9F7F00")])
    batch = script.first_batch()
    assert [c.expect for c in batch] == [("9000", "61XX")] * 2
    restored = via_json(script)
    assert restored.next_batch([h("9000"), h("9F7F0101" "6110")]) == []
    assert restored.done and restored.result() == {"responses": ["9000", "9F7F01016110"]}


def test_batch_errors() -> None:
    script = transceive(commands=[h("00A4040000"), h("80CA9F7F00")])
    with pytest.raises(ScriptError, match="before first_batch"):
        script.next_batch([])
    script.first_batch()
    with pytest.raises(ScriptError) as err:
        script.next_batch([h("9000")])
    assert err.value.status == 400
    script = transceive(commands=[h("00A4040000")])
    script.first_batch()
    with pytest.raises(ScriptError) as err:
        script.next_batch([h("90")])
    assert err.value.status == 400
    with pytest.raises(ScriptError):
        load_script({"kind": "gp", "state": {}})
    with pytest.raises(ScriptError):
        load_script({"kind": "nope"})


def test_first_batch_is_stable() -> None:
    script = ccm_delete(ctx=ctx(), aid=PKG)
    assert script.first_batch() == script.first_batch()
    assert not script.done
