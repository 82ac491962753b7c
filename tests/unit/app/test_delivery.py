"""app.delivery: the runner against a scripted backend at the HTTP boundary.

The backend is replaced by an httpx MockTransport that speaks the device protocol
(API.md section 4); the client and the runner under test are the real ones, the
card a WorkerReader answering from a table. The real backend is exercised in
tests/e2e/app.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import httpx
import pytest

from app.client import BackendClient
from app.delivery import DeliveryRunner, Outcome, Phase, Progress
from app.identity import CardIdentity
from app.readers.base import CardInfo
from app.readers.worker import WorkerReader

TOKEN = "s3cr3t-device-token"


def client_for(handler, **kw: Any) -> BackendClient:
    return BackendClient("http://backend.test", TOKEN, transport=httpx.MockTransport(handler),
                         retry_delay=0, **kw)


class FakeBackend:
    """Just enough of the device protocol for the runner, with a log of what it was sent."""

    def __init__(self, batches: list[list[tuple[str, list[str]]]],
                 ops: list[dict[str, Any]] | None = None) -> None:
        self.batches = batches
        self.ops = ops if ops is not None else [{"operationType": "transceive"}]
        self.posted: list[list[str]] = []
        self.fetch_bodies: list[dict[str, Any]] = []
        self.errors: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        body = json.loads(request.content) if request.content else {}
        if path == "/v3/apps/73656372/services/install":
            return httpx.Response(200, json={"description": {"title": {"en": "Install"}}})
        if path == "/v3/service/deliver":
            return httpx.Response(200, json={"sessionId": "s1"})
        if path == "/v3/service/fetch":
            self.fetch_bodies.append(body)
            if self.ops:
                op = self.ops.pop(0)
                return httpx.Response(200, json={"completed": False,
                                                 "operationId": f"op{len(self.ops)}", **op})
            return httpx.Response(200, json={"completed": True, "status": {
                "success": True, "message": {"en": "Done", "sv": "Klart"}}})
        if path == "/v3/connector/json":
            if body["responses"]:
                self.posted.append(body["responses"])
            if not self.batches:
                return httpx.Response(200, json={"commands": []})
            batch = self.batches.pop(0)
            return httpx.Response(200, json={"commands": [c for c, _ in batch],
                                             "expect": [e for _, e in batch]})
        if path == "/v3/service/error":
            self.errors.append(body)
            return httpx.Response(200, json={})
        return httpx.Response(404, json={"error": "not-found", "message": path})


class ListCard(WorkerReader):
    """A reader whose card answers from a table (the runner is what is tested here)."""

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = {bytes.fromhex(k): bytes.fromhex(v) for k, v in answers.items()}
        self.sent: list[bytes] = []
        super().__init__("list-card")

    def _connect_sync(self) -> CardInfo:
        return CardInfo(atr=b"\x3b\x00")

    def _transmit_raw(self, apdu: bytes) -> bytes:
        self.sent.append(apdu)
        return self.answers.get(apdu, b"\x90\x00")

    def _disconnect_sync(self) -> None:
        pass


IDENT = CardIdentity(cin=bytes.fromhex("11223344556677"), iin=bytes.fromhex("99990100"))


async def test_batch_stops_at_first_sw_outside_expect_and_posts_answers_so_far() -> None:
    backend = FakeBackend([[("80E8000001AA", ["9000"]), ("80E8000101BB", ["9000"]),
                            ("80E8800201CC", ["9000"])]])
    reader = ListCard({"80E8000101BB": "6A80"})
    async with client_for(backend) as c:
        result = await DeliveryRunner(c, reader, IDENT).run("73656372", "install")
    await reader.close()
    assert result.success  # the service itself decides; here the fake says success
    assert backend.posted == [["9000", "6A80"]]  # stopped: the third APDU never went out
    assert len(reader.sent) == 2
    assert any("batch stopped" in e.name for e in result.trace.entries)
    assert result.text("sv") == "Klart"
    assert result.http_round_trips == 6  # describe, deliver, fetch, 2 x connector, fetch


async def test_user_interaction_and_action_operations() -> None:
    backend = FakeBackend([], ops=[
        {"operationType": "user-interaction",
         "fields": [{"id": "pin", "type": "edit", "label": {"en": "PIN"}},
                    {"id": "info", "type": "text", "label": {"en": "Read me"}}]},
        {"operationType": "action", "actions": [{"name": "phonecall"}]},
    ])
    reader = ListCard({})
    actions: list[Any] = []
    async with client_for(backend) as c:
        runner = DeliveryRunner(c, reader, IDENT, on_fields=lambda f: {"pin": "1234"},
                                on_action=actions.append)
        result = await runner.run("73656372", "install")
    await reader.close()
    assert result.success
    results = [b.get("operationResult") for b in backend.fetch_bodies]
    assert results[1] == {"operationId": "op1", "fields": {"pin": "1234"}, "statusCode": 200}
    assert results[2] == {"operationId": "op0"}
    assert actions and actions[0][0].name == "phonecall"


async def test_unknown_operation_type_ends_the_session() -> None:
    backend = FakeBackend([], ops=[{"operationType": "teleport"}])
    reader = ListCard({})
    async with client_for(backend) as c:
        result = await DeliveryRunner(c, reader, IDENT).run("73656372", "install")
    await reader.close()
    assert result.outcome is Outcome.BACKEND_ERROR and "teleport" in (result.error or "")
    # the operation it ended, and how many of its commands reached the reader (issue 18)
    assert backend.errors == [{"sessionId": "s1", "message": result.error, "fatal": True,
                               "operationId": "op0", "sent": 0}]


class ShortcutBackend(FakeBackend):
    """FakeBackend that also speaks the round-trip shortcuts (first batch inline, `next`)."""

    def __init__(self, batches: list[list[tuple[str, list[str]]]],
                 ops: list[dict[str, Any]] | None = None) -> None:
        super().__init__(batches, ops)
        self.connector_bodies: list[dict[str, Any]] = []

    def _batch(self) -> dict[str, Any]:
        if not self.batches:
            return {"commands": []}
        batch = self.batches.pop(0)  # an empty batch ends an operation
        return {"commands": [c for c, _ in batch], "expect": [e for _, e in batch]}

    def _fetch_answer(self) -> dict[str, Any]:
        if self.ops:
            op = self.ops.pop(0)
            answer = {"completed": False, "operationId": f"op{len(self.ops)}", **op}
            if op.get("operationType") == "transceive":
                answer.update(self._batch())
            return answer
        return {"completed": True, "status": {"success": True, "message": {"en": "Done"}}}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        body = json.loads(request.content) if request.content else {}
        if path == "/v3/service/fetch":
            self.fetch_bodies.append(body)
            return httpx.Response(200, json=self._fetch_answer())
        if path == "/v3/connector/json":
            self.connector_bodies.append(body)
            if body["responses"]:
                self.posted.append(body["responses"])
            answer = self._batch()
            if not answer["commands"]:
                answer["next"] = self._fetch_answer()
            return httpx.Response(200, json=answer)
        return super().__call__(request)


async def test_shortcuts_skip_the_connector_open_and_the_last_fetch() -> None:
    backend = ShortcutBackend([[("80CA9F7F00", ["9000"])], [("80CA004500", ["9000"])]])
    reader = ListCard({"80CA9F7F00": "9F7F009000"})
    async with client_for(backend) as c:
        result = await DeliveryRunner(c, reader, IDENT).run("73656372", "install")
        by_path = dict(c.stats.by_path)
    await reader.close()
    assert result.success and result.text() == "Done"
    assert reader.sent == [bytes.fromhex("80CA9F7F00"), bytes.fromhex("80CA004500")]
    # the first batch came with the fetch: every connector call carries responses
    assert [b["responses"] for b in backend.connector_bodies] == [["9F7F009000"], ["9000"]]
    assert len(backend.fetch_bodies) == 1  # the final status came as `next`
    assert result.http_round_trips == 5  # describe, deliver, fetch, 2 x connector
    assert by_path["/v3/connector/json"] == 2 and by_path["/v3/service/fetch"] == 1


async def test_next_can_be_another_operation_with_its_batch_inline() -> None:
    backend = ShortcutBackend([[("80CA9F7F00", ["9000"])], [], [("80CA004500", ["9000"])]],
                              ops=[{"operationType": "transceive"},
                                   {"operationType": "transceive"}])
    reader = ListCard({})
    async with client_for(backend) as c:
        result = await DeliveryRunner(c, reader, IDENT).run("73656372", "install",
                                                            describe=False)
    await reader.close()
    assert result.success
    assert len(reader.sent) == 2 and len(backend.fetch_bodies) == 1
    assert result.http_round_trips == 4  # deliver, fetch, connector (next: op), connector


class DeliverNextBackend(ShortcutBackend):
    """ShortcutBackend whose deliver answer also carries the first step as `next`."""

    def __init__(self, *args: Any, next_override: Any = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.next_override = next_override

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v3/service/deliver":
            nxt = self.next_override if self.next_override is not None else self._fetch_answer()
            return httpx.Response(200, json={"sessionId": "s1", "next": nxt})
        return super().__call__(request)


async def test_deliver_next_saves_the_first_fetch() -> None:
    backend = DeliverNextBackend([[("80CA9F7F00", ["9000"])], [("80CA004500", ["9000"])]])
    reader = ListCard({"80CA9F7F00": "9F7F009000"})
    async with client_for(backend) as c:
        result = await DeliveryRunner(c, reader, IDENT).run("73656372", "install",
                                                            describe=False)
        by_path = dict(c.stats.by_path)
    await reader.close()
    assert result.success and result.text() == "Done"
    assert reader.sent == [bytes.fromhex("80CA9F7F00"), bytes.fromhex("80CA004500")]
    assert backend.fetch_bodies == []  # the first step came with deliver, the last as `next`
    assert result.http_round_trips == 3  # deliver, 2 x connector
    assert by_path == {"/v3/service/deliver": 1, "/v3/connector/json": 2}


async def test_a_malformed_deliver_next_falls_back_to_fetch() -> None:
    backend = DeliverNextBackend([[("80CA9F7F00", ["9000"])]],
                                 next_override={"completed": False})  # no operationId
    reader = ListCard({})
    async with client_for(backend) as c:
        opened = await c.start_delivery("73656372", "install", {"cin": "01"})
        assert opened.session_id == "s1" and opened.next is None
        result = await DeliveryRunner(c, reader, IDENT).run("73656372", "install",
                                                            describe=False)
    await reader.close()
    assert result.success and len(backend.fetch_bodies) == 1
    assert reader.sent == [bytes.fromhex("80CA9F7F00")]


async def test_deliver_next_can_be_the_final_status() -> None:
    done = {"completed": True, "status": {"success": False, "message": {"en": "Refused"}}}
    backend = DeliverNextBackend([], next_override=done)
    reader = ListCard({})
    async with client_for(backend) as c:
        result = await DeliveryRunner(c, reader, IDENT).run("73656372", "install",
                                                            describe=False)
    await reader.close()
    assert result.outcome is Outcome.FAILURE and result.text() == "Refused"
    assert result.http_round_trips == 1 and reader.sent == []


class SlowCard(ListCard):
    """ListCard taking `delay` seconds per APDU, like a card writing EEPROM."""

    def __init__(self, delay: float) -> None:
        super().__init__({})
        self.delay = delay

    def _transmit_raw(self, apdu: bytes) -> bytes:
        time.sleep(self.delay)
        return super()._transmit_raw(apdu)


async def test_progress_during_a_batch_is_throttled_and_on_the_loop() -> None:
    batch = [(f"80E800{i:02X}01AA", ["9000"]) for i in range(40)]
    backend = ShortcutBackend([batch])
    reader = SlowCard(0.003)  # ~120 ms of card time in one batch
    seen: list[tuple[Progress, threading.Thread]] = []
    async with client_for(backend) as c:
        runner = DeliveryRunner(c, reader, IDENT, progress_interval=0.02,
                                on_progress=lambda p: seen.append(
                                    (p, threading.current_thread())))
        result = await runner.run("73656372", "install", describe=False)
    await reader.close()
    assert result.success and result.apdus == 40
    during = [p.apdus_done for p, _ in seen if p.phase is Phase.TRANSMITTING]
    assert any(0 < n < 40 for n in during)  # reported while the worker was still busy
    assert during == sorted(during) and len(during) <= 2 + 0.2 / 0.02
    assert {th for _, th in seen} == {threading.current_thread()}
    assert seen[-1][0].phase is Phase.DONE and seen[-1][0].apdus_done == 40


class StalledBackend(FakeBackend):
    """FakeBackend whose first connector call hangs until the test lets it go."""

    def __init__(self) -> None:
        super().__init__([[("80E8000001AA", ["9000"])]])
        self.stalled = threading.Event()  # set once the connector request is in
        self.release: Any = None  # an asyncio.Event, made on the test's loop

    async def __call__(self, request: httpx.Request) -> httpx.Response:  # type: ignore[override]
        if request.url.path == "/v3/connector/json" and self.release is not None:
            self.stalled.set()
            await self.release.wait()
        return super().__call__(request)


async def _stalled_run(backend: StalledBackend, c: Any, reader: Any
                       ) -> tuple[DeliveryRunner, Any]:
    """An install started in its own task, once its connector request hangs."""
    import asyncio

    runner = DeliveryRunner(c, reader, IDENT)
    task = asyncio.ensure_future(runner.run("73656372", "install", describe=False))
    await asyncio.get_running_loop().run_in_executor(None, backend.stalled.wait, 5)
    return runner, task


async def test_cancel_from_another_thread_interrupts_a_pending_request() -> None:
    import asyncio

    backend = StalledBackend()
    backend.release = asyncio.Event()
    reader = ListCard({})
    async with client_for(backend) as c:
        runner, task = await _stalled_run(backend, c, reader)
        threading.Thread(target=runner.cancel).start()  # as a UI or signal thread would
        result = await asyncio.wait_for(task, 5)  # the hung request does not hold it up
    await reader.close()
    assert result.outcome is Outcome.CANCELLED and "cancelled" in (result.error or "")
    # the operation it ended, and how many of its commands reached the reader (issue 18)
    assert backend.errors == [{"sessionId": "s1", "message": result.error, "fatal": True,
                               "operationId": "op0", "sent": 0}]
    assert reader.sent == []  # nothing reached the card


async def test_cancelling_the_runs_task_still_cancels_it() -> None:
    """Only cancel() becomes a CANCELLED result; a caller cancelling its task (a window
    closing, a timeout) still gets CancelledError, as from any coroutine."""
    import asyncio

    backend = StalledBackend()
    backend.release = asyncio.Event()
    reader = ListCard({})
    async with client_for(backend) as c:
        _runner, task = await _stalled_run(backend, c, reader)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    await reader.close()
    assert backend.errors == []


async def test_cancel_before_the_run_sends_nothing() -> None:
    backend = FakeBackend([[("80E8000001AA", ["9000"])]])
    reader = ListCard({})
    async with client_for(backend) as c:
        runner = DeliveryRunner(c, reader, IDENT)
        runner.cancel()
        result = await runner.run("73656372", "install", describe=False)
        assert c.stats.requests == 0
    await reader.close()
    assert result.outcome is Outcome.CANCELLED and result.session_id is None
