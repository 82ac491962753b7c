"""Application lifecycle over real HTTP: install, suspend, unsuspend, uninstall with purge."""

from __future__ import annotations

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.e2e.backend.conftest import SECRET, Backend
from tests.helpers.tp_loop import TouchPoint

APPLET = bytes.fromhex("A00000061700736563720101")
SSD = bytes.fromhex("A0000006170173656372")
PACKAGE = bytes.fromhex("A000000617007365637201")


def select(aid: bytes) -> bytes:
    return bytes([0x00, 0xA4, 0x04, 0x00, len(aid)]) + aid + b"\x00"


def desfire_app_ids(card: object) -> set[str]:
    """GetApplicationIDs at PICC level (SelectApplication 000000 first)."""
    assert card.transmit(bytes.fromhex("905A00000300000000"))[-2:] == b"\x91\x00"  # type: ignore[attr-defined]
    resp = card.transmit(bytes.fromhex("906A000000"))  # type: ignore[attr-defined]
    assert resp[-2:] == b"\x91\x00", resp.hex()
    data = resp[:-2]
    return {data[i:i + 3][::-1].hex().upper() for i in range(0, len(data), 3)}


async def test_install_personalises_inside_the_secure_channel(backend: Backend,
                                                              tp: TouchPoint) -> None:
    result = await tp.run_service(SECRET, "install", {"nickname": "mine"})
    assert result.success, result
    assert result.status["appState"] == "Installed"
    assert (await tp.apps())[SECRET] == "Installed"

    secret = backend.demo.issued_secrets[-1]
    # the key travelled to the card, but never in clear through the touch point
    assert secret not in tp.all_bytes()
    assert secret.hex().upper() not in tp.all_bytes().hex().upper()
    # ... and it is the key the card holds: its public key matches
    card = tp.card
    assert card.transmit(select(APPLET))[-2:] == b"\x90\x00"
    point = card.transmit(bytes.fromhex("8010000000"))
    assert point[-2:] == b"\x90\x00"
    expected = ec.derive_private_key(int.from_bytes(secret, "big"), ec.SECP256R1()).public_key()
    assert point[:-2] == expected.public_bytes(serialization.Encoding.X962,
                                               serialization.PublicFormat.UncompressedPoint)
    # STORE DATA went wrapped (CLA 84) with C-DECRYPTION: no plain 80E2 with the DGI
    store = [e.apdu for e in tp.carried if e.apdu[1:2] == b"\xE2"]
    assert store and all(a[0] == 0x84 for a in store)


async def test_install_asks_for_missing_fields(backend: Backend, tp: TouchPoint) -> None:
    asked: list[list[dict[str, object]]] = []

    def answer(fields: list[dict[str, object]]) -> dict[str, object]:
        asked.append(fields)
        return {"nickname": "asked"}

    tp.answer_fields = answer
    result = await tp.run_service(SECRET, "install")  # no fields given
    assert result.success
    assert [f["id"] for f in asked[0]] == ["nickname"]
    session = await backend.session(result.session_id or "")
    assert session["operations"][0]["origin"] == "interaction"


async def test_suspend_locks_and_unsuspend_unlocks(tp: TouchPoint) -> None:
    assert (await tp.run_service(SECRET, "install", {"nickname": "n"})).success
    result = await tp.run_service(SECRET, "suspend")
    assert result.success and result.status["appState"] == "Suspended"
    assert tp.card.transmit(select(APPLET))[-2:] != b"\x90\x00"  # locked: not selectable
    result = await tp.run_service(SECRET, "unsuspend")
    assert result.success and result.status["appState"] == "Installed"
    assert tp.card.transmit(select(APPLET))[-2:] == b"\x90\x00"


async def test_uninstall_purges_what_other_services_added(backend: Backend,
                                                          tp: TouchPoint) -> None:
    assert (await tp.run_service(SECRET, "install", {"nickname": "n"})).success
    # a non-install service adds a DESFire application: the app becomes Unstable
    result = await tp.run_service(SECRET, "desfire-create")
    assert result.success and result.status["appState"] == "Unstable"
    assert "736563" in desfire_app_ids(tp.card)
    # uninstall is allowed from Unstable; the SP deletes only its package, the backend
    # removes the SSD and the DESFire application in the same session
    result = await tp.run_service(SECRET, "uninstall")
    assert result.success, result
    assert result.status["appState"] == "NotInstalled"
    session = await backend.session(result.session_id or "")
    purge = [op for op in session["operations"] if op["origin"] == "purge"]
    assert {op["endpoint"] for op in purge} == {"/ccm/delete", "/desfire/ev1/deleteApp"}
    assert all(op["statusCode"] == 200 for op in purge)
    card = tp.card
    assert "736563" not in desfire_app_ids(card)
    assert card.transmit(select(SSD))[-2:] == b"\x6A\x82"
    assert card.transmit(select(APPLET))[-2:] == b"\x6A\x82"
    assert (await tp.apps())[SECRET] == "NotInstalled"
    # and the app can be installed again on the clean card
    assert (await tp.run_service(SECRET, "install", {"nickname": "again"})).success


async def test_desfire_create_and_delete(tp: TouchPoint) -> None:
    result = await tp.run_service(SECRET, "desfire-create")
    assert result.success
    assert "736563" in desfire_app_ids(tp.card)
    result = await tp.run_service(SECRET, "desfire-delete")
    assert result.success
    assert "736563" not in desfire_app_ids(tp.card)
    # both changed SE elements outside the lifecycle services
    assert result.status["appState"] == "Unstable"


async def test_recipe_app_needs_no_sp_server(backend: Backend, tp: TouchPoint) -> None:
    hello = "68656c6f"
    result = await tp.run_service(hello, "install")
    assert result.success and result.message["en"] == "Hello is installed."
    assert tp.card.transmit(select(bytes.fromhex("A0000006170068656C6F0101")))[-2:] == \
        b"\x90\x00"
    ping = await tp.run_service(hello, "ping")
    assert ping.success and ping.status["appState"] == "Installed"
    result = await tp.run_service(hello, "uninstall")
    assert result.success and result.status["appState"] == "NotInstalled"
    assert tp.card.transmit(select(bytes.fromhex("A0000006170068656C6F0101")))[-2:] == \
        b"\x6A\x82"


async def test_recipe_action_failure_uses_failure_message(backend: Backend,
                                                          tp: TouchPoint) -> None:
    async with httpx.AsyncClient(base_url=backend.url) as c:
        recipe = {"description": {"title": {"en": "Broken"}},
                  "actions": [{"endpoint": "/transceive",
                               "content": {"commands": ["00A4040000", "00A4040005A0A0A0A0A0"]}},
                              {"endpoint": "/transceive", "content": {"commands": ["00A4040000"]}}],
                  "failureMessage": {"en": "It broke."}}
        resp = await c.put(f"/v3/apps/{SECRET}/services/broken/recipe", json=recipe,
                           auth=backend.secret_auth())
        assert resp.status_code in (200, 201)
    result = await tp.run_service(SECRET, "broken")
    assert not result.success
    assert result.message == {"en": "It broke."}
    assert result.status["appState"] == "NotInstalled"  # no SE element changed
    session = await backend.session(result.session_id or "")
    codes = [op["statusCode"] for op in session["operations"]]
    assert codes == [417, 409]  # the second action never ran
    first = session["operations"][0]["result"]
    assert len(first["responses"]) == 2 and first["responses"][1].endswith("6A82")
