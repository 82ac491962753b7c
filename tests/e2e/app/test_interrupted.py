"""A delivery cut short leaves the application Unstable only when it changed the card.

Issue 18, point 1: the backend knows which commands add or remove elements
(INSTALL [for install], the last LOAD block, DELETE; DESFire create/delete, see
backend_stub/engine/cardchange.py) and which were answered. A card that leaves
before any of them ran keeps the state it had; one that leaves after (or while
one was in flight, its answer lost) is Unstable, and the elements are recorded
so that the uninstall's purge removes them. GPC 2.3.1 section 11.6.2.3: the Load
File exists once the block with P1 b8 (last block) is processed.
"""

from __future__ import annotations

from typing import Any

from app.client import BackendClient
from app.delivery import DeliveryRunner, Outcome
from app.readers.virtual import VirtualReader
from backend_stub.engine.cardchange import changes_elements
from cardsim.card import VirtualCard
from tests.e2e.app.conftest import SECRET_APP, Backend, app_elements, identify


async def _install_commands(client: BackendClient) -> list[bytes]:
    reader = VirtualReader(VirtualCard.create(None))
    try:
        ident = await identify(reader)
        result = await DeliveryRunner(client, reader, ident, fields={"nickname": "n"}).run(
            SECRET_APP, "install")
        assert result.success, result.error
        return [e.data for e in result.trace.commands()]
    finally:
        await reader.close()


async def _torn_install(client: BackendClient, index: int, execute_last: bool
                        ) -> tuple[str, list[str], VirtualCard]:
    card = VirtualCard.create(None)
    reader = VirtualReader(card)
    try:
        ident = await identify(reader)
        card.arm_tear(index, execute_last=execute_last)
        result = await DeliveryRunner(client, reader, ident, fields={"nickname": "t"}).run(
            SECRET_APP, "install")
        assert result.outcome is Outcome.CARD_REMOVED, (index, result.outcome, result.error)
        state = (await client.device_apps(ident.cin_hex))[SECRET_APP]
        return state, app_elements(card), card
    finally:
        await reader.close()


async def test_card_pulled_before_anything_changed_keeps_the_state(
        backend: Backend, client: BackendClient) -> None:
    commands = await _install_commands(client)
    first_change = next(i for i, c in enumerate(commands) if changes_elements(c))
    assert first_change >= 3  # the secure channel's opening and INSTALL [for load] first
    for index in (0, 1, first_change - 1):
        state, left, _card = await _torn_install(client, index, execute_last=False)
        assert left == [], (index, left)
        assert state == "NotInstalled", (index, state)


async def test_card_pulled_after_a_change_is_unstable_and_repairable(
        backend: Backend, client: BackendClient) -> None:
    commands = await _install_commands(client)
    changing = [i for i, c in enumerate(commands) if changes_elements(c)]
    assert len(changing) >= 2  # the package's last LOAD block, then the applet's INSTALL
    # the answer to the last LOAD block is lost: the package is on the card
    state, left, card = await _torn_install(client, changing[0], execute_last=True)
    assert left and state == "Unstable", (left, state)
    reader = VirtualReader(card)
    try:
        ident = await identify(reader)
        undo = await DeliveryRunner(client, reader, ident).run(SECRET_APP, "uninstall")
        assert undo.success, undo.error
        assert app_elements(card) == []
        assert (await client.device_apps(ident.cin_hex))[SECRET_APP] == "NotInstalled"
    finally:
        await reader.close()
    # torn as the last LOAD block went out, the card did not run it; the touch point
    # cannot know (no answer came): the backend stays on the safe side, and the
    # uninstall's purge tolerates the package not being there
    state, left, card = await _torn_install(client, changing[0], execute_last=False)
    assert (left, state) == ([], "Unstable")
    reader = VirtualReader(card)
    try:
        ident = await identify(reader)
        undo = await DeliveryRunner(client, reader, ident).run(SECRET_APP, "uninstall")
        assert undo.success, undo.error
        assert (await client.device_apps(ident.cin_hex))[SECRET_APP] == "NotInstalled"
    finally:
        await reader.close()


async def test_same_card_back_restarts_the_operation_and_the_install_succeeds(
        backend: Backend, client: BackendClient) -> None:
    """The card leaves during the secure channel's opening and comes back: the backend
    starts the operation again (a fresh INITIALIZE UPDATE) and the install ends well."""
    normal = sum(c[1:2] == b"\x50" for c in await _install_commands(client))
    card = VirtualCard.create(None)
    reader = VirtualReader(card)
    asked: list[str] = []

    async def place_again(ident: Any) -> bool:
        asked.append(ident.cin_hex)
        reader.insert()
        return True

    try:
        ident = await identify(reader)
        card.arm_tear(2)
        runner = DeliveryRunner(client, reader, ident, fields={"nickname": "back"})
        runner.on_card_gone = place_again
        result = await runner.run(SECRET_APP, "install")
        assert result.success, (result.outcome, result.error)
        assert asked == [ident.cin_hex]
        inits = [e for e in result.trace.commands() if e.data[1:2] == b"\x50"]
        assert len(inits) == normal + 1  # INITIALIZE UPDATE again once the card came back
        assert (await client.device_apps(ident.cin_hex))[SECRET_APP] == "Installed"
        assert app_elements(card)
    finally:
        await reader.close()


async def test_card_back_after_a_change_cannot_restart(backend: Backend,
                                                       client: BackendClient) -> None:
    commands = await _install_commands(client)
    changing = [i for i, c in enumerate(commands) if changes_elements(c)]
    card = VirtualCard.create(None)
    reader = VirtualReader(card)

    async def place_again(_ident: Any) -> bool:
        reader.insert()
        return True

    try:
        ident = await identify(reader)
        card.arm_tear(changing[0], execute_last=True)  # the package is on the card
        runner = DeliveryRunner(client, reader, ident, fields={"nickname": "x"})
        runner.on_card_gone = place_again
        result = await runner.run(SECRET_APP, "install")
        assert result.outcome is Outcome.CARD_REMOVED
        assert (await client.device_apps(ident.cin_hex))[SECRET_APP] == "Unstable"
    finally:
        await reader.close()


async def test_a_different_card_is_refused(backend: Backend, client: BackendClient) -> None:
    card = VirtualCard.create(None)
    reader = VirtualReader(card)

    async def other_card(_ident: Any) -> bool:
        reader.card = VirtualCard.create(None)  # another card on the reader
        reader.insert()
        return True

    try:
        ident = await identify(reader)
        card.arm_tear(2)
        runner = DeliveryRunner(client, reader, ident, fields={"nickname": "y"})
        runner.on_card_gone = other_card
        result = await runner.run(SECRET_APP, "install")
        assert result.outcome is Outcome.DIFFERENT_CARD, (result.outcome, result.error)
        assert "different card" in (result.error or "")
        assert (await client.device_apps(ident.cin_hex))[SECRET_APP] == "NotInstalled"
    finally:
        await reader.close()
