"""Runs one service delivery between the backend and a card.

First describe -> fields -> confirm: the Service Description, the values of
its fields (given, else asked of the caller's callback) and the user's
confirmation when the service wants one; no session is opened before that.

deliver -> fetch loop -> per transceive operation: connector batches carried to the
card (a batch stops at the first status word outside its `expect` set; the answers so
far go back, the backend fails the operation with 417) -> ... -> completed. User
interactions are answered by the caller's callback (CLI prompts, UI forms).

When the backend offers them, the session's first step comes with the deliver
answer (no first fetch), the first batch of a transceive operation comes inline
with the step (no connector open) and the connector answer that ends an
operation carries the next step (no fetch): an install is then deliver and one
connector call per batch. A backend without them is asked for each step.

Progress and the APDU trace are reported through callbacks. Cancellation and card
removal end the session with `service/error {fatal: true, sent}` (`sent`: how far the
batch got, so the backend knows whether the card changed): no session stays open.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from app import paymentcard, reattach
from app.client import BackendClient, ConnectorReply, FetchResult
from app.description import Field, ServiceDescription, UserAction, actions_of, inputs
from app.errors import (
    ApduError,
    BackendError,
    CardRemovedError,
    DeliveryCancelled,
    FieldsMissing,
    NoCardError,
    ProtocolError,
    ReaderError,
)
from app.i18n import MLString
from app.identity import CardIdentity
from app.loops import call_soon
from app.outcomes import Outcome as Outcome
from app.outcomes import Phase as Phase
from app.readers.base import BatchCommand, Reader
from app.trace import Trace

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Progress:
    phase: Phase
    apdus_done: int = 0
    apdus_expected: int = 0
    operation_id: str | None = None
    detail: str = ""


@dataclass
class DeliveryResult:
    outcome: Outcome
    message: MLString = field(default_factory=MLString)  # the service's, or ours on an abort
    session_id: str | None = None
    error: str | None = None
    apdus: int = 0
    http_round_trips: int = 0
    seconds: float = 0.0
    trace: Trace = field(default_factory=Trace)

    @property
    def success(self) -> bool:
        return self.outcome is Outcome.SUCCESS

    def text(self, language: str | None = None) -> str:
        """The message in the user's language (fallback en, then the first)."""
        return self.message.pick(language) or (self.error or "")


FieldValues = dict[str, Any]
FieldsCallback = Callable[[tuple[Field, ...]], "Awaitable[FieldValues | None] | FieldValues | None"]
ConfirmCallback = Callable[[ServiceDescription], "Awaitable[bool] | bool"]
ProgressCallback = Callable[[Progress], None]
# shown to the user, who acknowledges them; False: not acknowledged (the delivery stops)
ActionCallback = Callable[[tuple[UserAction, ...]], "Awaitable[bool | None] | bool | None"]


def _checked(wanted: tuple[Field, ...], values: dict[str, Any]) -> dict[str, Any]:
    """The values, once the paymentcard ones are valid (before anything is confirmed or sent)."""
    for f in inputs(wanted):
        if f.type == paymentcard.TYPE and f.id in values:
            try:
                paymentcard.parse(str(values[f.id]))
            except paymentcard.PaymentCardError as exc:
                raise FieldsMissing(f"field {f.id}: {exc}") from None
    return values


def _text(value: Any) -> str:
    """A field value as the text that is encrypted (JSON's spelling of true/false)."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


async def _maybe_await(value: Any) -> Any:
    if inspect.isawaitable(value):
        return await value
    return value


class DeliveryRunner:
    """One delivery on one card. Create a new runner per delivery."""

    on_card_gone: reattach.CardBack | None = None  # "Place your card again" (app/reattach.py)

    def __init__(
        self,
        client: BackendClient,
        reader: Reader,
        identity: CardIdentity,
        *,
        trace: Trace | None = None,
        on_progress: ProgressCallback | None = None,
        on_fields: FieldsCallback | None = None,
        on_confirm: ConfirmCallback | None = None,
        on_action: ActionCallback | None = None,
        fields: Mapping[str, Any] | None = None,
        progress_interval: float = 0.05,
    ) -> None:
        self.client = client
        self.reader = reader
        self.identity = identity
        self.trace = trace if trace is not None else Trace()
        self._on_progress = on_progress
        self._on_fields = on_fields
        self._on_confirm = on_confirm
        self._on_action = on_action
        self._prefilled = dict(fields or {})
        self._progress_interval = progress_interval
        self._cancel = threading.Event()  # seen by the reader worker between APDUs
        self._loop: asyncio.AbstractEventLoop | None = None
        # the task awaiting a `_cancellable` step and that step's token (loop thread only)
        self._guarded: tuple[asyncio.Task[Any], object] | None = None
        self._interrupted: object | None = None
        self._done = 0
        self._expected = 0
        self._operation: str | None = None
        self.sent_of_batch = 0  # commands of this batch handed to the reader (service/error)
        self._phase = Phase.STARTING
        self.session_id: str | None = None
        self.description: ServiceDescription | None = None  # once described
        self.watch = reattach.CardWatch(self)  # the card leaving, in every phase

    # -- control -------------------------------------------------------------------
    def cancel(self) -> None:
        """Asks the delivery to stop; safe from any thread."""
        self._cancel.set()
        if self._loop is not None:
            call_soon(self._loop, self._interrupt)

    def _interrupt(self) -> None:
        """On the loop: cancels the HTTP step being awaited, if any (`_cancellable`)."""
        guarded = self._guarded
        if guarded is not None:
            task, token = guarded
            self._interrupted = token
            task.cancel()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    # -- progress ------------------------------------------------------------------
    def _report(self, phase: Phase | None = None, detail: str = "") -> None:
        if phase is not None:
            self._phase = phase
        if self._on_progress is not None:
            try:
                self._on_progress(Progress(self._phase, self._done, self._expected,
                                           self._operation, detail))
            except Exception:  # a broken UI callback must not break the delivery
                log.exception("progress callback failed")

    def _apdu_counter(self, base: int) -> Callable[[int], None] | None:
        """Called on the reader worker after each APDU; throttled hand-over to the loop.
        None when nobody listens: the count is taken from the batch's answers anyway."""
        if self._on_progress is None:
            return None
        loop = self._loop
        last = [0.0]

        def on_apdu(n: int) -> None:
            self._done = base + n
            now = time.monotonic()
            if now - last[0] >= self._progress_interval and loop is not None:
                last[0] = now
                call_soon(loop, self._report)

        return on_apdu

    async def _cancellable(self, awaitable: Awaitable[T]) -> T:
        """Awaits `awaitable` unless cancel() comes first (then DeliveryCancelled).
        Awaited in the calling task (no helper task to clean up); cancel() interrupts it
        through `_interrupt`, only that cancellation becomes DeliveryCancelled."""
        if self._cancel.is_set():
            if inspect.iscoroutine(awaitable):
                awaitable.close()  # never started: no "was never awaited" warning
            raise DeliveryCancelled("cancelled by the user")
        task = asyncio.current_task()
        assert task is not None
        token = object()
        self._guarded = (task, token)
        try:
            return await awaitable
        except asyncio.CancelledError:
            if self._interrupted is not token or task.uncancel() > 0:
                raise
            raise DeliveryCancelled("cancelled by the user") from None
        finally:
            self._guarded = None

    # -- the run -------------------------------------------------------------------
    async def run(self, app_id: str, service_id: str, *, describe: bool = True) -> DeliveryResult:
        """Runs the service; never raises for card, reader, backend or user problems."""
        self._loop = asyncio.get_running_loop()
        start = time.monotonic()
        http0 = self.client.stats.requests
        with self.watch.following():
            result = await self._run(app_id, service_id, describe)
        return self._finished(result, start, self.client.stats.requests - http0)

    def _finished(self, result: DeliveryResult, start: float, round_trips: int
                  ) -> DeliveryResult:
        """The result with what the run cost, and the last progress report."""
        result.seconds = time.monotonic() - start
        result.http_round_trips = round_trips
        result.apdus = self._done
        result.trace = self.trace
        result.session_id = self.session_id
        self._report(Phase.DONE if result.success else
                     Phase.CANCELLED if result.outcome is Outcome.CANCELLED else Phase.FAILED,
                     result.text() if self._on_progress is not None else "")
        return result

    async def _run(self, app_id: str, service_id: str, describe: bool) -> DeliveryResult:
        try:
            fields = dict(self._prefilled)
            if describe:
                answered = await self._describe(app_id, service_id, fields)
                if answered is None:
                    return DeliveryResult(Outcome.CANCELLED, error="not confirmed")
                fields = answered
            self._report(Phase.STARTING)
            self.trace.note(f"deliver {app_id}/{service_id} to card {self.identity.cin_hex}")
            opened = await self._cancellable(
                self.client.start_delivery(app_id, service_id, self.identity.card_id(), fields))
            self.session_id = opened.session_id
            self.trace.note(f"session {self.session_id}")
            return await self._loop_session(self.session_id, opened.next)
        except DeliveryCancelled as exc:
            return await self._abort(Outcome.CANCELLED, str(exc) or "cancelled by the user")
        except FieldsMissing as exc:
            return await self._abort(Outcome.FAILURE, str(exc))
        except reattach.DifferentCardError as exc:  # nothing written to it; the session ends
            return await self._abort(Outcome.DIFFERENT_CARD, f"different card: {exc}")
        except CardRemovedError as exc:
            return await self._abort(Outcome.CARD_REMOVED, f"card removed: {exc}")
        except (ReaderError, ApduError) as exc:
            return await self._abort(Outcome.READER_ERROR, f"reader failed: {exc}")
        except BackendError as exc:
            status = getattr(exc, "status", None)
            if status == 412:
                return DeliveryResult(Outcome.NOT_ALLOWED, error=str(exc))
            return await self._abort(Outcome.BACKEND_ERROR, f"backend error: {exc}")

    async def _abort(self, outcome: Outcome, message: str) -> DeliveryResult:
        self.trace.note(message)
        if self.session_id is not None:
            # best effort, never raises: ends the session so nothing stays open
            sent = (self._operation, self.sent_of_batch) if self._operation else None
            await self.client.error(self.session_id, message, fatal=True, sent=sent)
        return DeliveryResult(outcome, message=MLString.of(message), error=message)

    async def _describe(self, app_id: str, service_id: str,
                        given: Mapping[str, Any]) -> dict[str, Any] | None:
        """describe -> fields -> confirm: the values to deliver with; None when the user
        did not confirm. The description stays in `self.description` for the screens."""
        self._report(Phase.DESCRIBING)
        self.description = await self._cancellable(
            self.client.describe(app_id, service_id, self.identity.cin_hex))
        self.description.check_encryption()  # before anything is sent
        if self.description.encrypted:
            # asked and answered encrypted in the session's user-interaction, never in clear
            secret = {f.id for f in self.description.inputs}
            _checked(self.description.fields, dict(given))  # bad pre-filled values: now
            fields = {k: v for k, v in given.items() if k not in secret}
        else:
            fields = {**given, **await self._answer(self.description.fields, given)}
        confirm = self._on_confirm
        if self.description.confirmation_required and confirm is not None \
                and not await _maybe_await(confirm(self.description)):
            return None
        return fields

    async def _answer(self, wanted: tuple[Field, ...], given: Mapping[str, Any]) -> dict[str, Any]:
        """Values for `wanted` input fields: pre-filled first, then the callback."""
        out = {f.id: given[f.id] for f in inputs(wanted) if f.id in given}
        missing = tuple(f for f in wanted if f.id not in out)
        if not inputs(missing):
            return _checked(wanted, out)
        if self._on_fields is None:
            names = ", ".join(f.id for f in inputs(missing))
            raise FieldsMissing(f"the service needs values for: {names}")
        self._report(Phase.USER_INPUT)
        values = await _maybe_await(self._on_fields(missing))
        if values is None:
            raise DeliveryCancelled("the user did not fill in the fields")
        out.update(values)
        return _checked(wanted, out)

    def _interaction_result(self, fetched: FetchResult, values: dict[str, Any]
                            ) -> dict[str, Any]:
        """The operationResult of a user-interaction, as fdsm builds it (processUIOperation):
        paymentcard values expanded to their JSON object, all values sealed when encrypted."""
        kinds = {f.id: f.type for f in fetched.fields}
        out: dict[str, Any] = {}
        for key, value in values.items():
            if kinds.get(key) == paymentcard.TYPE:
                out[key] = paymentcard.parse(str(value)).payload()
            else:
                out[key] = value
        result: dict[str, Any] = {"operationId": fetched.operation_id, "fields": out,
                                  "statusCode": 200}
        if fetched.raw.get("encrypted") is True:
            certificate = self.description.certificate if self.description else None
            if not certificate:
                raise ProtocolError("the service wants its input encrypted but gave no "
                                    "certificate to encrypt it with", field="certificate")
            # imported here: x509 and RSA cost every command ~60 ms of start-up
            from app import fieldcrypto

            sealed = fieldcrypto.seal(certificate, {k: _text(v) for k, v in out.items()})
            result["fields"] = sealed.fields
            result["ephemeralKey"] = sealed.ephemeral_key
            self.trace.note(f"{len(sealed.fields)} field value(s) sent encrypted")
        return result

    async def _acknowledge(self, actions: tuple[UserAction, ...]) -> None:
        """Shows the actions (the callback) and waits for the user's acknowledgement."""
        for action in actions:
            self.trace.note(f"user action {action.name}")
        if self._on_action is None:
            return
        self._report(Phase.USER_INPUT)
        if await _maybe_await(self._on_action(actions)) is False:
            raise DeliveryCancelled("the user did not acknowledge the action")

    async def _loop_session(self, session_id: str, ahead: FetchResult | None = None
                            ) -> DeliveryResult:
        # `ahead`: deliver's or the connector's `next`, a fetch answer already in hand
        operation_result: dict[str, Any] | None = None
        while True:
            fetched: FetchResult
            if ahead is None:
                self._report(Phase.WAITING)
                fetched = await self._cancellable(
                    self.client.fetch(session_id, operation_result))
            else:
                fetched, ahead = ahead, None
            operation_result = None
            if fetched.completed:
                self.trace.note(f"completed: success={fetched.success}")
                message = MLString.of(fetched.message)
                return DeliveryResult(Outcome.SUCCESS if fetched.success else Outcome.FAILURE,
                                      message=message, error=None if fetched.success else
                                      (message.pick() or "the service failed"))
            self._operation = fetched.operation_id
            kind = fetched.operation_type
            assert fetched.operation_id is not None
            if kind == "transceive":
                ahead = await self._transceive(fetched.operation_id, fetched.commands)
            elif kind == "user-interaction":
                values = await self._answer(fetched.fields, self._prefilled)
                operation_result = self._interaction_result(fetched, values)
            elif kind == "action":
                await self._acknowledge(actions_of(fetched.raw))
                operation_result = {"operationId": fetched.operation_id}
            else:
                raise ProtocolError(f"service/fetch: unknown operationType {kind!r}")

    async def _transceive(self, operation_id: str,
                          first: tuple[BatchCommand, ...] | None = None) -> FetchResult | None:
        """Carries the operation's batches; returns the backend's next step if it sent one."""
        responses: list[bytes] = []
        reply: ConnectorReply | None = None
        if first:  # the first batch came inline with the fetch answer
            reply = ConnectorReply(first)
        while True:
            if reply is None:
                reply = await self._cancellable(self.client.connector(operation_id, responses))
            if not reply.commands:
                return reply.next
            total = reply.raw.get("expectedTotal") if isinstance(reply.raw, Mapping) else None
            try:
                responses = await self._carry(reply.commands, total)
            except (CardRemovedError, NoCardError) as exc:  # no card: as one that left
                if not await reattach.card_back(self, operation_id):
                    raise CardRemovedError(str(exc)) from exc
                responses = []  # the same card is back: the operation starts again
            reply = None

    def _observe(self, command: bytes, response: bytes | None, t0: float, t1: float) -> None:
        self.sent_of_batch += 1  # handed to the reader: it may have run, answered or not
        self.trace.record(command, response, t0, t1)

    async def _carry(self, commands: tuple[BatchCommand, ...], total: Any = None
                     ) -> list[bytes]:
        """One batch to the card (traced, counted, cancellable); the answers to send back.
        Shared by the HTTP and the WebSocket protocol (app/wsdelivery.py)."""
        self.sent_of_batch = 0  # of this batch (service/error), also when it is not sent
        self.watch.check()  # a card that left while the backend was asked was reset
        base = self._done
        floor = base + len(commands)
        self._expected = (total if isinstance(total, int) and total >= floor
                          else max(self._expected, floor))
        self._report(Phase.TRANSMITTING)
        batch = await self.reader.transmit_batch(
            commands, observer=self._observe, cancel=self._cancel,
            on_apdu=self._apdu_counter(base))
        self._done = base + len(batch.responses)
        self._report()
        if batch.cancelled:
            raise DeliveryCancelled("cancelled by the user")
        if batch.stopped_sw is not None:
            self.trace.note(f"batch stopped: the card answered {batch.stopped_sw:04X}, "
                            "outside the expected status words")
        return batch.responses
