"""Service deliveries from the touch point core to the embedded virtual card, over HTTP."""

from __future__ import annotations

from app.catalog import load_catalog
from app.client import BackendClient
from app.delivery import DeliveryRunner, Outcome, Phase, Progress
from app.readers.virtual import VirtualReader
from tests.e2e.app.conftest import SECRET_APP, Backend, app_elements, identify

# The trace of an install must show these decoded names (issue 5, Acceptance).
INSTALL_NAMES = ("SELECT", "INITIALIZE UPDATE", "EXTERNAL AUTHENTICATE (secure)",
                 "INSTALL [for load] (secure)", "LOAD [block 0] (secure)",
                 "INSTALL [for install and make selectable] (secure)")
# The virtual card's default static keys (cardsim profile: master 404142..4F, no diversification)
CARD_KEY = bytes(range(0x40, 0x50))


async def test_install_lifecycle_and_catalog(backend: Backend, client: BackendClient,
                                             virtual: VirtualReader) -> None:
    ident = await identify(virtual)
    entries = {e.app_id: e for e in await load_catalog(client, ident.cin_hex, "sv")}
    secret = entries[SECRET_APP]
    assert secret.state == "NotInstalled"
    assert secret.name == "Den hemliga applikationen"  # localized
    assert [a.kind for a in secret.actions] == ["install"]

    progress: list[Progress] = []
    runner = DeliveryRunner(client, virtual, ident, fields={"nickname": "e2e"},
                            on_progress=progress.append)
    result = await runner.run(SECRET_APP, secret.actions[0].service_id)
    assert result.success, result.error
    assert result.text("en") == "Your key store is ready."
    assert result.apdus >= 10 and result.http_round_trips >= 4
    phases = [p.phase for p in progress]
    assert Phase.TRANSMITTING in phases and phases[-1] is Phase.DONE
    assert progress[-1].apdus_done == result.apdus

    names = [e.name for e in result.trace.commands()]
    for expected in INSTALL_NAMES:
        assert expected in names, (expected, names)
    # what travelled never holds a secret in clear: not the SP's personalized key,
    # not the card's static keys
    text = result.trace.to_text().upper()
    assert backend.demo.issued_secrets
    for secret_key in backend.demo.issued_secrets:
        assert secret_key.hex().upper() not in text
    assert CARD_KEY.hex().upper() not in text
    assert app_elements(virtual.card)  # the SSD, package and applet are on the card

    states = await client.device_apps(ident.cin_hex)
    assert states[SECRET_APP] == "Installed"
    entry = next(e for e in await load_catalog(client, ident.cin_hex, "en")
                 if e.app_id == SECRET_APP)
    assert [a.kind for a in entry.actions] == ["uninstall", "suspend"]

    for kind, state in (("suspend", "Suspended"), ("unsuspend", "Installed"),
                        ("uninstall", "NotInstalled")):
        entry = next(e for e in await load_catalog(client, ident.cin_hex, "en")
                     if e.app_id == SECRET_APP)
        action = entry.action(kind)
        assert action is not None, (kind, entry.actions)
        res = await DeliveryRunner(client, virtual, ident).run(SECRET_APP, action.service_id)
        assert res.success, (kind, res.error)
        assert (await client.device_apps(ident.cin_hex))[SECRET_APP] == state
    assert app_elements(virtual.card) == []  # uninstall purged everything


async def test_service_not_allowed_in_state_is_reported(client: BackendClient,
                                                         virtual: VirtualReader) -> None:
    ident = await identify(virtual)
    result = await DeliveryRunner(client, virtual, ident).run(SECRET_APP, "uninstall")
    assert result.outcome is Outcome.NOT_ALLOWED
    assert "412" in (result.error or "")


async def test_user_interaction_fields_come_from_the_callback(client: BackendClient,
                                                              virtual: VirtualReader) -> None:
    ident = await identify(virtual)
    asked: list[tuple[str, ...]] = []

    async def answer(fields):  # type: ignore[no-untyped-def]
        asked.append(tuple(f.id for f in fields))
        return {"nickname": "from-callback"}

    result = await DeliveryRunner(client, virtual, ident, on_fields=answer).run(
        SECRET_APP, "install")
    assert result.success, result.error
    assert asked == [("nickname",)]


async def test_missing_fields_without_a_callback_fail_clearly(client: BackendClient,
                                                              virtual: VirtualReader) -> None:
    ident = await identify(virtual)
    result = await DeliveryRunner(client, virtual, ident).run(SECRET_APP, "install")
    assert result.outcome is Outcome.FAILURE
    assert "nickname" in (result.error or "")
    assert result.session_id is None  # nothing was started on the backend


async def test_cancel_ends_the_session(backend: Backend, client: BackendClient,
                                       virtual: VirtualReader) -> None:
    ident = await identify(virtual)
    runner: DeliveryRunner

    def on_progress(p: Progress) -> None:
        if p.phase is Phase.TRANSMITTING:
            runner.cancel()

    runner = DeliveryRunner(client, virtual, ident, fields={"nickname": "x"},
                            on_progress=on_progress)
    result = await runner.run(SECRET_APP, "install")
    assert result.outcome is Outcome.CANCELLED
    assert result.session_id
    sess = await backend.wait_session_callbacks(result.session_id)
    assert sess["phase"] != "running" and sess["success"] is False
