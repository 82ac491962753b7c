"""The platform operations on a card's registry (api/platform.py) on SQLite and PostgreSQL,
driven by the raw touch point loop: the read matches the card, a ticket cannot be altered
or replayed for another card, the repairs change the backend's records and the state."""

from __future__ import annotations

from typing import Any

from cardsim.card import VirtualCard
from tests.e2e.backend.conftest import SECRET, Backend


async def _carry(tp: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = (await tp._post(path, body)).json()
    while answer["commands"]:
        responses = [tp.transmit(bytes.fromhex(c)).hex() for c in answer["commands"]]
        rsp = await tp._post(path, {**body, "ticket": answer["ticket"], "responses": responses})
        assert rsp.status_code == 200, rsp.text
        answer = rsp.json()
    return answer["result"]  # type: ignore[no-any-return]


async def test_registry_read_and_repairs(backend: Backend, tp: Any, card: VirtualCard) -> None:
    assert (await tp.run_service(SECRET, "install", {"nickname": "p"})).success
    cin = tp.identity.cin
    result = await _carry(tp, f"/v3/devices/{cin}/contents", {"iin": tp.identity.iin})
    reg = card.state.registry
    assert {e["aid"] for e in result["card"]["apps"]} == {a.aid.hex().upper()
                                                         for a in reg.apps[1:]}
    assert {e["aid"]: e["modules"] for e in result["card"]["loadFiles"]} == {
        e.aid.hex().upper(): [m.hex().upper() for m in e.modules] for e in reg.elfs}
    [mine] = [a for a in result["backend"] if a["appId"] == SECRET]
    assert mine["state"] == "Installed" and {e["kind"] for e in mine["elements"]} == {
        "ssd", "package", "applet"}
    applet = next(e["aid"] for e in mine["elements"] if e["kind"] == "applet")

    view = (await tp._post(f"/v3/devices/{cin}/elements/unstable",
                           {"appId": SECRET, "aids": [applet]})).json()
    [mine] = [a for a in view if a["appId"] == SECRET]
    assert mine["state"] == "Unstable" and applet not in {e["aid"] for e in mine["elements"]}
    again = await tp._post(f"/v3/devices/{cin}/elements/adopt",
                           {"appId": SECRET, "kind": "applet", "aid": applet})
    assert again.status_code == 200
    twice = await tp._post(f"/v3/devices/{cin}/elements/adopt",
                           {"appId": SECRET, "kind": "applet", "aid": applet})
    assert twice.status_code == 409 and SECRET in twice.json()["message"]
    owned = await tp._post(f"/v3/devices/{cin}/purge", {"aid": applet})
    assert owned.status_code == 409 and "uninstall" in owned.json()["message"]

    # a ticket is bound to its card, and cannot be altered
    first = (await tp._post(f"/v3/devices/{cin}/contents", {})).json()
    other = await tp._post("/v3/devices/0BADCAFE/contents", {
        "ticket": first["ticket"], "responses": ["9000", "9000"]})
    assert other.status_code == 400 and other.json()["field"] == "ticket"
    t = first["ticket"]
    bent = t[:20] + ("A" if t[20] != "A" else "B") + t[21:]
    altered = await tp._post(f"/v3/devices/{cin}/contents", {
        "ticket": bent, "responses": ["9000", "9000"]})
    assert altered.status_code == 400 and altered.json()["field"] == "ticket"
    # SP credentials act as a touch point on the touch point API (issue 15 point 7: fdsm
    # sends its SP credentials on every call), so an SP's tool can read a card's registry
    sp = await tp.client.post(f"{backend.url}/v3/devices/{cin}/contents", json={},
                              auth=backend.secret_auth())
    assert sp.status_code == 200
