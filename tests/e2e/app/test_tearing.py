"""Card removal at every APDU index of an install (cardsim's tearing mode).

For each index: the delivery ends with a clear CARD_REMOVED failure, the app's
state on that card is Unstable (or NotInstalled when the card holds nothing of
it), the SP's callback for the running operation reports the failure, the
session is closed, and a following uninstall purges whatever was left.
"""

from __future__ import annotations

import pytest

from app.client import BackendClient
from app.delivery import DeliveryRunner, Outcome
from app.readers.virtual import VirtualReader
from cardsim.card import VirtualCard
from tests.e2e.app.conftest import SECRET_APP, Backend, app_elements, identify


async def _install_apdu_count(client: BackendClient) -> int:
    reader = VirtualReader(VirtualCard.create(None))
    try:
        ident = await identify(reader)
        result = await DeliveryRunner(client, reader, ident, fields={"nickname": "n"}).run(
            SECRET_APP, "install")
        assert result.success, result.error
        return len(result.trace.commands())
    finally:
        await reader.close()


@pytest.mark.slow
@pytest.mark.parametrize("execute_last", [False, True], ids=["lost-before", "lost-after"])
async def test_removal_at_every_apdu_of_an_install(backend: Backend, client: BackendClient,
                                                    execute_last: bool) -> None:
    total = await _install_apdu_count(client)
    assert total >= 10
    problems: list[str] = []
    for index in range(total):
        card = VirtualCard.create(None)
        reader = VirtualReader(card)
        try:
            ident = await identify(reader)
            callbacks_before = len(backend.demo.callbacks)
            card.arm_tear(index, execute_last=execute_last)
            result = await DeliveryRunner(client, reader, ident, fields={"nickname": "t"}).run(
                SECRET_APP, "install")
            where = f"index {index}"
            if result.outcome is not Outcome.CARD_REMOVED:
                problems.append(f"{where}: outcome {result.outcome} {result.error}")
                continue
            assert result.error and "card removed" in result.error
            assert not reader.card_present
            sess = await backend.wait_session_callbacks(result.session_id or "")
            if sess["phase"] == "running" or sess["success"] is not False:
                problems.append(f"{where}: session {sess['phase']} success={sess['success']}")
            failed_ops = [op for op in sess["operations"] if op["statusCode"] not in (None, 200)]
            if not failed_ops:
                problems.append(f"{where}: no failed operation in {sess['operations']}")
            # the SP heard about the failure through its callback
            new = backend.demo.callbacks[callbacks_before:]
            if not any(cb.get("statusCode") not in (None, 200) for cb in new):
                problems.append(f"{where}: SP callbacks {new}")
            state = (await client.device_apps(ident.cin_hex))[SECRET_APP]
            left = app_elements(card)
            if left and state != "Unstable":
                problems.append(f"{where}: {left} on the card but state {state}")
            if state not in ("Unstable", "NotInstalled"):
                problems.append(f"{where}: state {state}")
            # the user puts the card back; uninstall cleans up what the torn install left
            reader.insert()
            if state == "Unstable":
                ident2 = await identify(reader)
                undo = await DeliveryRunner(client, reader, ident2).run(SECRET_APP, "uninstall")
                if not undo.success:
                    problems.append(f"{where}: uninstall failed: {undo.error}")
                if app_elements(card):
                    problems.append(f"{where}: uninstall left {app_elements(card)}")
                after = (await client.device_apps(ident.cin_hex))[SECRET_APP]
                if after != "NotInstalled":
                    problems.append(f"{where}: after uninstall {after}")
        finally:
            await reader.close()
    assert not problems, "\n".join(problems)
