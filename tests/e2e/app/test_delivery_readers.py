"""The same install through the real PC/SC stack (pcscd + vpcd) and through nfcpy's ISO-DEP."""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app import cli
from app.client import BackendClient
from app.delivery import DeliveryRunner, Outcome
from app.readers.nfc import NfcReader
from app.readers.pcsc import PcscReader
from cardsim.card import VirtualCard
from tests.e2e.app.conftest import DEVICE_TOKEN, SECRET_APP, Backend, app_elements, identify
from tests.helpers.pcsc import READER, SLOT0_PORT, wait_card
from tests.integration.app.nfc_emulator import NfcCardEmulator


@pytest.mark.pcsc
async def test_install_tear_and_uninstall_through_pcscd(backend: Backend, client: BackendClient,
                                                        vpcd_card) -> None:
    card = VirtualCard.create(None)
    bridge = vpcd_card(card, reinsert_after=None)
    reader = PcscReader(READER)
    try:
        ident = await identify(reader)
        assert ident.cin == card.cin
        card.arm_tear(8)  # pulled in the middle of the LOAD sequence
        result = await DeliveryRunner(client, reader, ident, fields={"nickname": "p"}).run(
            SECRET_APP, "install")
        assert result.outcome is Outcome.CARD_REMOVED, result.error
        assert (await client.device_apps(ident.cin_hex))[SECRET_APP] in ("Unstable",
                                                                          "NotInstalled")
        wait_card(False)
        card.disarm_tear()
        bridge.insert()
        wait_card(True)
        ident = await identify(reader)
        state = (await client.device_apps(ident.cin_hex))[SECRET_APP]
        if state == "Unstable":
            undo = await DeliveryRunner(client, reader, ident).run(SECRET_APP, "uninstall")
            assert undo.success, undo.error
        result = await DeliveryRunner(client, reader, ident, fields={"nickname": "p"}).run(
            SECRET_APP, "install")
        assert result.success, result.error
        assert app_elements(card)
        result = await DeliveryRunner(client, reader, ident).run(SECRET_APP, "uninstall")
        assert result.success, result.error
        assert app_elements(card) == []
    finally:
        await reader.close()


@pytest.mark.pcsc
def test_cli_install_through_cardsim_vpcd_command(backend: Backend, pcscd, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """`cardsim vpcd` (its own process) + pcscd + `touchpoint install --reader ...`."""
    monkeypatch.setenv("TOUCHPOINT_HOME", str(tmp_path))
    monkeypatch.setenv("TOUCHPOINT_DEVICE_TOKEN", DEVICE_TOKEN)
    exe = Path(sys.executable).parent / "cardsim"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "cardsim"]
    proc = subprocess.Popen([*cmd, "vpcd", "--card", str(tmp_path / "card.json"),
                             "--port", str(SLOT0_PORT)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        wait_card(True, READER, timeout=15)
        out = io.StringIO()
        code = cli.main(["install", SECRET_APP, "--reader", READER, "--backend", backend.url,
                         "--field", "nickname=vpcd"], out=out, err=io.StringIO())
        assert code == 0, out.getvalue()
        out = io.StringIO()
        assert cli.main(["apps", "--json", "--reader", "Virtual PCD 00 00", "--backend",
                         backend.url], out=out, err=io.StringIO()) == 0
        states = {a["appId"]: a["state"] for a in json.loads(out.getvalue())}
        assert states[SECRET_APP] == "Installed"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        wait_card(False, READER)
    # the card file holds what was installed (cardsim persisted it)
    assert app_elements(VirtualCard.load(tmp_path / "card.json"))


@pytest.mark.parametrize("tech", ["A", "B"])
async def test_install_and_uninstall_over_nfc(client: BackendClient, tech: str) -> None:
    card = VirtualCard.create(None)
    with NfcCardEmulator(card, tech=tech) as emulator:
        reader = NfcReader(emulator.path, targets=(f"106{tech}",))
        try:
            assert await reader.wait_for_card(5)
            ident = await identify(reader)
            assert ident.uid  # the NFC reader gives the UID from anticollision
            result = await DeliveryRunner(client, reader, ident, fields={"nickname": "nfc"}).run(
                SECRET_APP, "install")
            assert result.success, result.error
            assert "LOAD [block 0] (secure)" in [e.name for e in result.trace.commands()]
            assert app_elements(card)
            result = await DeliveryRunner(client, reader, ident).run(SECRET_APP, "uninstall")
            assert result.success, result.error
            assert app_elements(card) == []
        finally:
            await reader.close()


async def test_nfc_card_leaves_the_field_mid_install(backend: Backend,
                                                     client: BackendClient) -> None:
    card = VirtualCard.create(None)
    with NfcCardEmulator(card) as emulator:
        reader = NfcReader(emulator.path, targets=("106A",))
        try:
            assert await reader.wait_for_card(5)
            ident = await identify(reader)
            card.arm_tear(6)
            result = await DeliveryRunner(client, reader, ident, fields={"nickname": "n"}).run(
                SECRET_APP, "install")
            assert result.outcome is Outcome.CARD_REMOVED
            sess = await backend.wait_session_callbacks(result.session_id or "")
            assert sess["phase"] != "running" and sess["success"] is False
        finally:
            await reader.close()
