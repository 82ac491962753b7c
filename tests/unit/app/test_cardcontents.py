"""The card contents tree and its comparison with the backend's records (app/cardcontents.py).

Privilege bits as GP 2.3.1 table 11-7 lists them (also GlobalPlatformPro's and
openjavacard's GP.java constants: PRIV1_SECURITY_DOMAIN 0x80 ... PRIV3_* 0x10)."""

from __future__ import annotations

import pytest

from app import cardcontents as cc
from app.errors import ProtocolError

ISD = "A000000151000000"
SSD = "A0000006170173656372"
PKG = "A00000061700736563720001"
APPLET = "A0000006170073656372000101"
ORPHAN = "D2760000850101"
CARD = {
    "isd": [{"aid": ISD, "lifeCycle": 0x0F, "privileges": "9EFE80", "associatedDomain": ISD}],
    "apps": [
        {"aid": SSD, "lifeCycle": 0x07, "privileges": "800000", "associatedDomain": ISD,
         "loadFile": "A0000001515350"},
        {"aid": APPLET, "lifeCycle": 0x87, "privileges": "000000", "associatedDomain": SSD,
         "loadFile": PKG},
        {"aid": ORPHAN + "01", "lifeCycle": 0x07, "privileges": "00", "associatedDomain": ISD,
         "loadFile": ORPHAN},
    ],
    "loadFiles": [
        {"aid": "A0000001515350", "lifeCycle": 1, "version": "1.0",
         "modules": ["A000000151535041"], "associatedDomain": ISD},
        {"aid": PKG, "lifeCycle": 1, "version": "1.0", "modules": [APPLET[:-2] + "01"],
         "associatedDomain": SSD},
        {"aid": ORPHAN, "lifeCycle": 1, "version": "2.1", "modules": [ORPHAN + "01"],
         "associatedDomain": ISD},
    ],
}
BACKEND = [{"appId": "73656372", "name": {"en": "Secret"}, "state": "Installed", "elements": [
    {"kind": "ssd", "aid": SSD}, {"kind": "package", "aid": PKG},
    {"kind": "applet", "aid": APPLET}, {"kind": "applet", "aid": "A00000061700736563720099"},
    {"kind": "desfire-app", "aid": "010203"}]}]


def test_the_tree_nests_domains_load_files_modules_and_instances() -> None:
    contents = cc.contents_of({"card": CARD, "backend": BACKEND})
    [isd] = contents.roots
    assert (isd.kind, isd.life_cycle) == ("isd", "SECURED")
    assert isd.privileges[:2] == ("Security Domain", "Card Lock")
    assert "Authorized Management" in isd.privileges and "Receipt Generation" in isd.privileges
    assert [(c.kind, c.aid) for c in isd.children] == [
        ("ssd", SSD), ("loadfile", "A0000001515350"), ("loadfile", ORPHAN)]
    ssd = isd.children[0]
    assert ssd.owner == "73656372" and ssd.domain == ISD and ssd.privileges == (
        "Security Domain",)
    [pkg] = ssd.children
    assert [(c.kind, c.aid, c.life_cycle) for c in pkg.children] == [
        ("module", APPLET[:-2] + "01", ""), ("instance", APPLET, "Locked")]
    assert contents.card_elements() >= {("ssd", SSD), ("package", PKG), ("applet", APPLET)}


def test_disagreements_and_their_fixes() -> None:
    contents = cc.contents_of({"card": CARD, "backend": BACKEND})
    found = [(d.problem, d.kind, d.aid, d.app_id, d.fixes) for d in contents.disagreements]
    # the recorded applet the card lacks; the orphan package and its instance; never the
    # platform's own elements, never a DESFire application (GET STATUS cannot see those)
    assert found == [
        ("missing", "applet", "A00000061700736563720099", "73656372", ("unstable",)),
        ("unaccounted", "applet", ORPHAN + "01", "", ("purge", "adopt")),
        ("unaccounted", "package", ORPHAN, "", ("purge", "adopt")),
    ]
    assert "is not on the card" in contents.disagreements[0].text()
    assert cc.parent_of(contents, ORPHAN) == ISD
    assert cc.parent_of(contents, ORPHAN + "01") == ORPHAN


@pytest.mark.parametrize("value, kind, name", [
    (0x07, "isd", "INITIALIZED"), (0xFF, "isd", "TERMINATED"), (0x01, "loadfile", "Loaded"),
    (0x03, "instance", "Installed"), (0x0F, "ssd", "Personalized"), (0x83, "ssd", "Locked"),
    (0x3F, "instance", "3F")])
def test_life_cycle_names(value: int, kind: str, name: str) -> None:
    assert cc.life_cycle_name(value, kind) == name


def test_a_result_without_the_card_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError):
        cc.contents_of({"backend": []})
    with pytest.raises(ProtocolError):
        cc.contents_of({"card": CARD, "backend": [{"name": "x"}]})
