"""The registry read (GET STATUS in the ISD's secure channel) against an in-process cardsim, at
every SCP and security level: a registry too big for one answer comes in parts (6310, then
P2 03, GP 2.3.1 11.4.2), and the decoded entries equal what the card holds."""

from __future__ import annotations

import pytest

from backend_stub.compiler.base import CardContext
from backend_stub.compiler.keys import CardKeys
from backend_stub.compiler.registry import RegistryScript
from cardsim.card import VirtualCard
from cardsim.profile import CardProfile
from cardsim.registry import ISD_AID, LoadFile
from tests.helpers.script_runner import run_script

KEY = bytes(range(0x40, 0x50))
PROFILES = [(3, 0x70, 0x33), (3, 0x70, 0x13), (3, 0x00, 0x03), (2, 0x55, 0x03)]


@pytest.mark.parametrize("scp, i, level", PROFILES)
def test_a_big_registry_is_read_in_parts(scp: int, i: int, level: int) -> None:
    card = VirtualCard.create(None, profile=CardProfile(scp=scp, scp_i=i))
    # 30 load files of 3 modules: over 1 kB of E3 entries, far more than one answer holds
    for n in range(30):
        aid = bytes.fromhex("A0000006170099") + bytes([n])
        card.state.registry.elfs.append(
            LoadFile(aid, ISD_AID, [aid + bytes([m]) for m in range(3)], (1, n)))
    trace: list[tuple[bytes, bytes]] = []
    script = RegistryScript(CardContext(keys=CardKeys.single(KEY), security_level=level))
    result = run_script(script, card.transmit, trace)
    parts = [(c, r) for c, r in trace if c[1] == 0xF2]
    assert any(r[-2:] == b"\x63\x10" for _c, r in parts)  # the card did page its answer
    assert any(c[3] == 0x03 for c, _r in parts)  # and was asked for the next part
    assert script.pages >= 2
    want = {(e.aid.hex().upper(), tuple(m.hex().upper() for m in e.modules),
             f"{e.version[0]}.{e.version[1]}") for e in card.state.registry.elfs}
    got = {(e["aid"], tuple(e.get("modules", [])), e["version"])
           for e in result["registry"]["loadFiles"]}
    assert got == want
    apps = card.state.registry.apps
    assert [e["aid"] for e in result["registry"]["isd"]] == [ISD_AID.hex().upper()]
    assert {e["aid"] for e in result["registry"]["apps"]} == {a.aid.hex().upper()
                                                             for a in apps[1:]}
    isd = result["registry"]["isd"][0]
    assert (isd["lifeCycle"], isd["privileges"]) == (apps[0].lifecycle,
                                                     apps[0].privileges.hex().upper())
