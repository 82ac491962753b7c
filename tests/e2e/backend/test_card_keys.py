"""Per-card keys: diversified SCP03 and SCP02 cards work once the backend knows their master key."""

from __future__ import annotations

import os

import httpx
import pytest

from cardsim.card import VirtualCard
from cardsim.profile import CardProfile
from tests.e2e.backend.conftest import SECRET, Backend


@pytest.mark.parametrize(("scp", "diversify"), [(3, "kdf3"), (2, "emv")])
async def test_diversified_card_needs_its_keys(backend: Backend, scp: int,
                                               diversify: str) -> None:
    master = os.urandom(16)
    card = VirtualCard.create(None, profile=CardProfile(scp=scp, master_key=master,
                                                        diversify=diversify))
    card.power_on()
    tp = backend.touchpoint(card)
    ident = tp.read_identity()
    # with the default test key the secure channel cannot open: the install fails
    failed = await tp.run_service(SECRET, "install", {"nickname": "k"})
    assert not failed.success
    session = await backend.session(failed.session_id or "")
    assert session["operations"][0]["statusCode"] == 500  # card cryptogram mismatch
    # the channel never opened, so nothing changed: the state stays (issue 18)
    assert (await tp.apps())[SECRET] == "NotInstalled"
    async with httpx.AsyncClient(base_url=backend.url, headers=backend.admin()) as c:
        resp = await c.put("/admin/card-keys", json={
            "scope": "cin", "match": ident.cin, "masterKey": master.hex(),
            "diversify": diversify})
        assert resp.status_code == 200
        shown = resp.json()
        assert master.hex().upper() not in str(shown).upper()  # KCVs only
        listed = (await c.get("/admin/card-keys")).json()
        assert any(k["match"] == ident.cin for k in listed)
    # now an install works through the right keys
    result = await tp.run_service(SECRET, "install", {"nickname": "k"})
    assert result.success, result.message
    secret = backend.demo.issued_secrets[-1]
    assert secret not in tp.all_bytes()
    await tp.close()
