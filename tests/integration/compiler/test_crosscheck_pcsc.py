"""The compiler (host side) against cardsim (card side) through pcscd + vpcd + pyscard.

The two are independent implementations that share no code; each is checked
against the published vectors on its own, and here they must agree on every
secure channel level and on DESFire in every communication mode.
"""

from __future__ import annotations

import contextlib
import json

import pytest

from backend_stub.compiler import gp
from backend_stub.compiler.cap import CapFile
from backend_stub.compiler.desfire import DesfireKey
from backend_stub.compiler.keys import CardKeys
from backend_stub.compiler.script import (
    CardContext,
    ccm_delete,
    ccm_install,
    ccm_storedata,
    desfire_create_app,
    desfire_delete_app,
    desfire_transceive,
    secure_transceive,
    transceive,
)
from cardsim.card import VirtualCard
from cardsim.profile import CardProfile
from tests.helpers.capwriter import build_cap
from tests.helpers.pcsc import READER
from tests.helpers.script_runner import BatchStopped, pyscard_transmit, run_script

pytestmark = pytest.mark.pcsc

ISD = bytes.fromhex("A000000151000000")
PKG = bytes.fromhex("A000000617007365637201")  # the demo key store package cardsim implements
APPLET = PKG + b"\x01"
SSD = bytes.fromhex("A0000006170173656372")
KEY = bytes.fromhex("404142434445464748494A4B4C4D4E4F")


@pytest.fixture
def card_transmit(vpcd_card, tmp_path):
    """Creates a card with a profile, puts it in the vpcd slot, yields (card, transmit)."""
    conns = []

    def make(profile: CardProfile):
        card = VirtualCard.create(tmp_path / "card.json", profile=profile)
        vpcd_card(card)
        from smartcard.System import readers

        conn = next(r for r in readers() if str(r) == READER).createConnection()
        conn.connect()
        conns.append(conn)
        return card, pyscard_transmit(conn)

    yield make
    for conn in conns:
        with contextlib.suppress(Exception):
            conn.release()


def registry(ctx: CardContext, transmit) -> list[gp.RegistryEntry]:
    """Apps/SDs and ELFs as GET STATUS lists them, inside a secure channel."""
    entries: list[gp.RegistryEntry] = []
    for p1 in (0x40, 0x20):
        script = secure_transceive(ctx=ctx, sd_aid=ISD, commands=[gp.get_status(p1)])
        try:
            result = run_script(script, transmit)
        except BatchStopped as stop:  # 6A88: nothing of that kind on the card
            assert stop.sw == 0x6A88
            continue
        data = bytes.fromhex(result["responses"][0])[:-2]
        entries += gp.parse_registry(data)
    return entries


def aids(entries: list[gp.RegistryEntry]) -> set[bytes]:
    return {e.aid for e in entries}


LEVELS = [
    pytest.param(3, 0x70, 0x01, id="scp03-i70-level01"),
    pytest.param(3, 0x70, 0x03, id="scp03-i70-level03"),
    pytest.param(3, 0x70, 0x13, id="scp03-i70-level13"),
    pytest.param(3, 0x70, 0x33, id="scp03-i70-level33"),
    pytest.param(3, 0x00, 0x03, id="scp03-i00-level03"),
    pytest.param(2, 0x55, 0x01, id="scp02-i55-level01"),
    pytest.param(2, 0x15, 0x03, id="scp02-i15-level03"),
]


@pytest.mark.parametrize(("scp", "i", "level"), LEVELS)
def test_install_list_personalize_delete(card_transmit, scp, i, level):
    _card, transmit = card_transmit(CardProfile(scp=scp, scp_i=i))
    ctx = CardContext(CardKeys.single(KEY), security_level=level)
    cap = CapFile.parse(build_cap(PKG, [APPLET], code_size=3000))

    run_script(ccm_install(ctx=ctx, cap=cap, module_aid=APPLET, instance_aid=APPLET), transmit)
    listed = aids(registry(ctx, transmit))
    assert {APPLET, PKG} <= listed

    # Personalize: DGI 0102 asks the key store to generate its key pair.
    run_script(ccm_storedata(ctx=ctx, instance_aid=APPLET, data=bytes.fromhex("010200")), transmit)
    result = run_script(transceive(commands=[gp.select(APPLET), bytes.fromhex("8010000000")]),
                        transmit)
    pub = bytes.fromhex(result["responses"][1])
    assert pub[-2:] == b"\x90\x00" and len(pub) == 67 and pub[0] == 0x04

    run_script(ccm_delete(ctx=ctx, aid=PKG, with_related=True), transmit)
    listed = aids(registry(ctx, transmit))
    assert APPLET not in listed and PKG not in listed


def test_install_into_a_supplementary_security_domain(card_transmit):
    _card, transmit = card_transmit(CardProfile())
    ctx = CardContext(CardKeys.single(KEY))
    cap = CapFile.parse(build_cap(PKG, [APPLET]))
    script = ccm_install(ctx=ctx, cap=cap, module_aid=APPLET, instance_aid=APPLET,
                         target_sd=SSD, create_ssd=True)
    run_script(script, transmit)
    entries = {e.aid: e for e in registry(ctx, transmit)}
    assert SSD in entries and APPLET in entries and PKG in entries
    assert entries[SSD].is_security_domain
    assert entries[PKG].associated_sd == SSD and entries[APPLET].associated_sd == SSD
    # Everything the application put on the card goes with its domain.
    run_script(ccm_delete(ctx=ctx, aid=SSD, with_related=True, kind="ssd"), transmit)
    assert not {SSD, APPLET, PKG} & aids(registry(ctx, transmit))


def test_wrong_keys_are_refused_and_nothing_changes(card_transmit, tmp_path):
    _card, transmit = card_transmit(CardProfile())

    def content() -> dict:
        """The stored card minus the SCP sequence counters, which every INITIALIZE UPDATE moves."""
        state = json.loads((tmp_path / "card.json").read_text())
        for app in state["registry"]["apps"]:
            if app.get("domain"):
                app["domain"].pop("sequence", None)
        return state

    before = content()
    ctx = CardContext(CardKeys.single(bytes(16)))
    cap = CapFile.parse(build_cap(PKG, [APPLET]))
    from backend_stub.compiler.script import ScriptError

    with pytest.raises(ScriptError, match="cryptogram"):
        run_script(ccm_install(ctx=ctx, cap=cap, module_aid=APPLET, instance_aid=APPLET), transmit)
    assert content() == before


@pytest.mark.parametrize("communication", ["plain", "mac", "enc"])
def test_desfire_application_lifecycle(card_transmit, communication):
    _card, transmit = card_transmit(CardProfile())
    picc = DesfireKey("DES", bytes(8))
    app_key = bytes(range(16))
    aid = bytes.fromhex("F48110")
    run_script(desfire_create_app(aid=aid, key_settings=0x0F, n_keys=2, key_type="AES",
                                  picc_key=picc, app_keys=[app_key]), transmit)
    comm = {"plain": 0x00, "mac": 0x01, "enc": 0x03}[communication]
    payload = bytes(range(100))
    key = DesfireKey("AES", app_key)
    commands = [
        bytes([0xCD, 0x01, comm]) + bytes.fromhex("0000") + (128).to_bytes(3, "little"),
        bytes([0x3D, 0x01]) + (0).to_bytes(3, "little") + len(payload).to_bytes(3, "little")
        + payload,
        bytes([0xBD, 0x01]) + (0).to_bytes(3, "little") + len(payload).to_bytes(3, "little"),
    ]
    result = run_script(desfire_transceive(aid=aid, key_no=0, key=key, commands=commands,
                                           communication=communication), transmit)
    assert bytes.fromhex(result["responses"][-1]).startswith(payload)
    run_script(desfire_delete_app(aid=aid, picc_key=picc), transmit)
    transmit(bytes.fromhex("905A00000300000000"))  # back to the PICC level
    ids = transmit(bytes.fromhex("906A000000"))  # GetApplicationIDs (free listing)
    assert ids[-2:] == b"\x91\x00" and aid[::-1] not in ids[:-2]
