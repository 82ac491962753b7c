"""What is on the card (issue 19, point 1): the registry read through the backend's GET STATUS
in the ISD's secure channel, compared with cardsim's own state file, and the repairs of a
disagreement made on purpose (a raw DELETE in a secure channel behind the backend's back)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from app import cardcontents as cc
from app.client import BackendClient
from app.delivery import DeliveryRunner
from app.readers.virtual import VirtualReader
from app.trace import Trace
from backend_stub.compiler.base import CardContext
from backend_stub.compiler.keys import CardKeys
from backend_stub.compiler.script import ccm_delete
from cardsim.card import VirtualCard
from tests.e2e.app.conftest import DEVICE_TOKEN, SECRET_APP, Backend, identify

CARD_KEY = bytes(range(0x40, 0x50))  # cardsim's default static keys (no diversification)


def file_registry(path: Path) -> dict[str, Any]:
    """The registry as cardsim stored it in its state file (its own JSON, not ours)."""
    return json.loads(path.read_text(encoding="utf-8"))["registry"]


def tree_as_file(contents: cc.CardContents) -> tuple[set[Any], set[Any]]:
    """(apps, elfs) of the tree, in the shape of the state file's entries."""
    apps, elfs = set(), set()
    for n in contents.nodes():
        if n.kind == "loadfile":
            mods = tuple(c.aid for c in n.children if c.kind == "module")
            elfs.add((n.aid, n.domain or None, mods))
        elif n.kind in ("isd", "ssd", "instance"):
            apps.add((n.aid, n.domain or None))
    return apps, elfs


def state_file_sets(reg: dict[str, Any]) -> tuple[set[Any], set[Any]]:
    apps = {(a["aid"], a["sd"] or ("A000000151000000" if a["aid"] != "A000000151000000"
                                   else None)) for a in reg["apps"]}
    elfs = {(e["aid"], e["sd"], tuple(e["modules"])) for e in reg["elfs"]}
    return apps, elfs


def raw_delete(card: VirtualCard, aid: str) -> None:
    """DELETE in a secure channel the test opens itself, straight to the card."""
    script = ccm_delete(ctx=CardContext(keys=CardKeys.single(CARD_KEY)),
                        aid=bytes.fromhex(aid), with_related=True)
    batch = script.first_batch()
    while batch:
        answers = [bytes(card.transmit(c.apdu)) for c in batch]
        batch = script.next_batch(answers)


async def test_contents_match_the_card_file_and_disagreements_are_fixed(
        backend: Backend, client: BackendClient, tmp_path: Path) -> None:
    path = tmp_path / "card.json"
    reader = VirtualReader(VirtualCard.create(path))
    try:
        ident = await identify(reader)
        cin, iin = ident.cin_hex, ident.iin.hex().upper() if ident.iin else None
        result = await DeliveryRunner(client, reader, ident, fields={"nickname": "c"}).run(
            SECRET_APP, "install")
        assert result.success, result.error

        trace = Trace()
        contents = await cc.read_contents(client, reader, cin, iin, trace.record)
        # the tree holds exactly what cardsim holds, read from its own state file
        assert tree_as_file(contents) == state_file_sets(file_registry(path))
        isd = contents.roots[0]
        assert isd.kind == "isd" and isd.aid == "A000000151000000"
        assert isd.life_cycle == "SECURED" and "Security Domain" in isd.privileges
        ssd = next(n for n in contents.nodes() if n.kind == "ssd")
        assert ssd.aid == "A0000006170173656372" and ssd.domain == isd.aid
        assert ssd.owner == SECRET_APP and ssd in isd.children
        inst = [n for n in contents.nodes() if n.kind == "instance" and n.owner == SECRET_APP]
        assert inst and all(n.life_cycle in ("Selectable", "Personalized") for n in inst)
        assert contents.disagreements == []
        # the touch point carried only wrapped GET STATUS commands (CLA 84) and no key
        sent = [e for e in trace.commands() if e.data and e.data[1] == 0xF2]
        assert len(sent) == 3 and all(e.data[0] == 0x84 for e in sent)
        assert CARD_KEY.hex().upper() not in trace.to_text().upper()
        # and the answers came back encrypted (SCP03 i=70: R-ENC): no AID of the registry,
        # not even the ISD's, is readable in what the touch point saw
        answers = [e.data.hex().upper() for e in trace.entries if e.direction == "<<"]
        assert len(answers) == 6  # SELECT, INITIALIZE UPDATE, EXTERNAL AUTH, 3 GET STATUS
        for aid in ("A000000151000000", ssd.aid, inst[0].aid, "A0000001515350"):
            assert not any(aid in a for a in answers[3:]), aid

        # behind the backend's back: the applet instance goes
        gone = inst[0].aid
        raw_delete(reader.card, gone)
        assert gone not in {a["aid"] for a in file_registry(path)["apps"]}
        contents = await cc.read_contents(client, reader, cin, iin)
        assert [(d.problem, d.aid, d.app_id, d.fixes) for d in contents.disagreements] == [
            ("missing", gone, SECRET_APP, ("unstable",))]
        await cc.mark_unstable(client, cin, SECRET_APP, [gone])
        contents = await cc.read_contents(client, reader, cin, iin)
        assert contents.disagreements == []
        assert (await client.device_apps(cin))[SECRET_APP] == "Unstable"

        # an element no application accounts for: forget the package, then adopt it back,
        # forget it again and purge it from the card
        pkg = next(n for n in contents.nodes() if n.kind == "loadfile" and n.owner)
        await cc.mark_unstable(client, cin, SECRET_APP, [pkg.aid])
        contents = await cc.read_contents(client, reader, cin, iin)
        assert [(d.problem, d.aid, d.fixes) for d in contents.disagreements] == [
            ("unaccounted", pkg.aid, ("purge", "adopt"))]
        view = await cc.adopt(client, cin, SECRET_APP, "package", pkg.aid,
                              cc.parent_of(contents, pkg.aid))
        assert ("package", pkg.aid) in next(a for a in view if a.app_id == SECRET_APP).elements
        assert (await cc.read_contents(client, reader, cin, iin)).disagreements == []
        await cc.mark_unstable(client, cin, SECRET_APP, [pkg.aid])
        done = await cc.purge(client, reader, cin, iin, pkg.aid)
        assert done == {"deleted": pkg.aid, "alreadyAbsent": False}
        assert pkg.aid not in {e["aid"] for e in file_registry(path)["elfs"]}
        assert (await cc.read_contents(client, reader, cin, iin)).disagreements == []
    finally:
        await reader.close()


async def test_platform_routes_refuse_bad_input(backend: Backend) -> None:
    headers = {"Authorization": f"Bearer {DEVICE_TOKEN}"}
    async with httpx.AsyncClient(base_url=backend.url, headers=headers) as c:
        bad = await c.post("/v3/devices/0102/contents", json={"ticket": "x" * 40,
                                                               "responses": ["9000"]})
        assert bad.status_code == 400 and bad.json()["field"] == "ticket"
        first = (await c.post("/v3/devices/0102/contents", json={})).json()
        assert len(first["commands"]) == 2 and first["ticket"]
        other = await c.post("/v3/devices/0103/contents", json={
            "ticket": first["ticket"], "responses": ["9000", "9000"]})
        assert other.status_code == 400 and "another card" in other.json()["message"]
        short = await c.post("/v3/devices/0102/contents", json={
            "ticket": first["ticket"], "responses": ["9000", "6A82"]})
        assert short.status_code == 409, short.text
        unknown = await c.post("/v3/devices/0102/elements/adopt", json={
            "appId": "00000000", "kind": "package", "aid": "A0000006170000000001"})
        assert unknown.status_code == 404
        kind = await c.post("/v3/devices/0102/elements/adopt", json={
            "appId": SECRET_APP, "kind": "thing", "aid": "A0000006170000000001"})
        assert kind.status_code == 400 and kind.json()["field"] == "kind"
        for path in ("purge", "elements/adopt"):  # the card's own software stays
            own = await c.post(f"/v3/devices/0102/{path}", json={
                "appId": SECRET_APP, "kind": "applet", "aid": "A00000061702000900010101"})
            assert own.status_code == 409 and own.json()["field"] == "aid", own.text
