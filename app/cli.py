"""`touchpoint`: the headless command line (also the entry testers and CI use).

    touchpoint readers [--json]
    touchpoint card-info [--reader R] [--json] [--offline]
    touchpoint apps [--lang sv] [--json]
    touchpoint run [APP/SERVICE] [--field id=value ...] [--trace-apdu] [--trace-file F]
    touchpoint run ws://HOST/...   (fdsm's WebSocket delivery; token as for --backend)
    touchpoint install|uninstall|suspend|unsuspend APP [--service S]
    touchpoint repair APP [--service S]   (app/clirepair.py: uninstall, then install)
    touchpoint --self-test [--no-gui]   (app/selftest.py: backend + demo install/uninstall)

    touchpoint backend status|stop [--json]   (the per-user bundled backend)

Without `--backend URL` the user's bundled backend is used: started detached
on 127.0.0.1 with a fresh token by the first command that needs it, reused by
the next ones, ending itself after $TOUCHPOINT_BACKEND_IDLE seconds (default
600) without a request (app/sharedbackend.py). Without `--reader` (or
$TOUCHPOINT_READER) a PC/SC reader with a card is used (of several, the one
whose card answers the platform's SELECT), else the embedded virtual card.
Exit status: 0 on success, 1 on a failure, 2 on a usage error. The
`touchpoint` program (`ui.main:main`) comes here for a sub-command and starts
the GUI without one; `python -m app.cli` is the command line alone. Logging:
app/logs.py (-v, --log-level, $TOUCHPOINT_LOG_LEVEL, --trace-api). Secrets
(the device token) are never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from app import i18n, logs
from app.backend import TOKEN_ENV
from app.cards import enrich, identify
from app.catalog import load_catalog
from app.client import BackendClient
from app.cliparser import DEMO_APP, LIFECYCLE, build_parser
from app.cliprompts import acknowledge_actions, confirm_prompt, prompt_fields
from app.clirepair import cmd_repair
from app.delivery import DeliveryResult, DeliveryRunner, Outcome, Phase, Progress
from app.errors import TouchpointError, UsageError
from app.identity import CardIdentity
from app.paths import virtual_card_file
from app.readers.base import Reader, ReaderKind
from app.readers.registry import list_readers, open_reader
from app.selftest import main as self_test
from app.trace import Trace, TraceEntry

log = logging.getLogger("touchpoint")


# -- plumbing ------------------------------------------------------------------------
@dataclass
class Context:
    args: argparse.Namespace
    out: TextIO
    err: TextIO

    @property
    def lang(self) -> str:
        return self.args.lang or i18n.system_language()

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def warn(self, text: str) -> None:
        print(text, file=self.err, flush=True)


def _token(args: argparse.Namespace) -> str | None:
    if args.token_file:
        try:
            return Path(args.token_file).read_text().strip() or None
        except OSError as exc:
            raise TouchpointError(f"cannot read the token file: {exc.strerror}") from exc
    return os.environ.get(TOKEN_ENV) or None


@contextlib.asynccontextmanager
async def backend_client(ctx: Context, timeout_min: float = 15.0) -> AsyncIterator[BackendClient]:
    """A client of --backend, or of a bundled backend started for this command."""
    args = ctx.args
    if args.backend:
        async with BackendClient(args.backend, _token(args), language=ctx.lang,
                                 session_timeout=timeout_min * 60,
                                 transport=_api_trace(args, args.backend)) as client:
            yield client
        return
    from app.sharedbackend import obtain

    shared = await obtain(args.db)
    log.info("%s the bundled backend at %s (pid %s)",
             "started" if shared.started else "reusing", shared.url, shared.record.pid)
    async with BackendClient(shared.url, shared.token, language=ctx.lang,
                             session_timeout=timeout_min * 60,
                             transport=_api_trace(args, shared.url)) as client:
        yield client


def _api_trace(args: argparse.Namespace, url: str) -> Any:
    """--trace-api: the client's own transport, wrapped so each exchange is logged."""
    from app.apitrace import traced_transport

    return traced_transport(url) if args.trace_api else None


def _open_reader(ctx: Context) -> Reader:
    args = ctx.args
    vcard = args.virtual_card or str(virtual_card_file())
    return open_reader(args.reader, nfc_paths=args.nfc, virtual_card=vcard,
                       allow_virtual=not args.no_virtual, pcsc=not args.no_pcsc)


async def _card(ctx: Context, reader: Reader) -> CardIdentity:
    wait = getattr(reader, "wait_for_card", None)
    if reader.kind is ReaderKind.NFC and wait is not None:
        if not await wait(ctx.args.wait):
            raise TouchpointError(f"no card on {reader.name} within {ctx.args.wait:.0f} s")
    elif reader.kind is ReaderKind.PCSC and not reader.card_present:
        ctx.warn(f"put a card on {reader.name} ...")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + ctx.args.wait
        while not reader.card_present:
            if loop.time() > deadline:
                raise TouchpointError(f"no card in {reader.name} within {ctx.args.wait:.0f} s")
            await asyncio.sleep(0.2)
    return await identify(reader)


# -- commands ----------------------------------------------------------------------
async def cmd_readers(ctx: Context) -> int:
    infos = list_readers(nfc_paths=ctx.args.nfc, include_virtual=not ctx.args.no_virtual,
                         pcsc=not ctx.args.no_pcsc)
    if ctx.args.json:
        ctx.say(json.dumps([i.to_json() for i in infos], indent=2))
        return 0
    for info in infos:
        card = {True: "card present", False: "no card", None: "card unknown"}[info.card_present]
        ctx.say(f"{info.name}  [{info.kind.value}]  {card}")
    return 0


async def _identify(ctx: Context) -> tuple[str, CardIdentity]:
    """The name of the reader and the identity of its card; the reader is closed again."""
    reader = _open_reader(ctx)
    try:
        return reader.name, await _card(ctx, reader)
    finally:
        await reader.close()


async def cmd_card_info(ctx: Context) -> int:
    reader_name, ident = await _identify(ctx)
    if not ctx.args.offline:
        async with backend_client(ctx) as client:
            await enrich(client, ident)
    data = ident.to_json() | {"reader": reader_name}
    if ctx.args.json:
        ctx.say(json.dumps(data, indent=2))
        return 0
    ctx.say(f"Reader:           {reader_name}")
    ctx.say(f"CIN:              {ident.printable_cin}")
    for label, key in (("IIN", "iin"), ("UID", "uid"), ("Batch", "batchId"),
                       ("Platform", "platform"), ("Platform version", "platformVersion"),
                       ("OS type version", "osTypeVersion"), ("ATR", "atr")):
        if data.get(key) not in (None, ""):
            ctx.say(f"{label + ':':<18}{data[key]}")
    return 0


async def cmd_apps(ctx: Context) -> int:
    _reader_name, ident = await _identify(ctx)
    async with backend_client(ctx) as client:
        entries = await load_catalog(client, ident.cin_hex, ctx.lang)
    if ctx.args.json:
        ctx.say(json.dumps([e.to_json() for e in entries], indent=2, ensure_ascii=False))
        return 0
    if not entries:
        ctx.say("no applications")
    for e in entries:
        ctx.say(f"{e.app_id}  {e.name}  ({e.organization})  {e.state_label}")
        for a in e.actions:
            ctx.say(f"    {a.label}: touchpoint run {e.app_id}/{a.service_id}")
    return 0


def _parse_fields(items: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        for part in item.split(",") if "=" in item and item.count("=") > 1 else [item]:
            if "=" not in part:
                raise UsageError(f"--field {part!r}: expected ID=VALUE")
            key, value = part.split("=", 1)
            if not key.strip():
                raise UsageError(f"--field {part!r}: empty field id")
            out[key.strip()] = value
    return out


def _progress_printer(ctx: Context) -> Callable[[Progress], None] | None:
    if not ctx.err.isatty():
        return None

    def show(p: Progress) -> None:
        count = f" {p.apdus_done}/{p.apdus_expected} APDUs" if p.apdus_expected else ""
        end = "\n" if p.phase in (Phase.DONE, Phase.FAILED, Phase.CANCELLED) else ""
        ctx.err.write(f"\r\033[K[{p.phase.value}]{count}{end}")
        ctx.err.flush()

    return show


async def _resolve_target(ctx: Context, client: BackendClient) -> tuple[str, str]:
    args = ctx.args
    if args.command == "run":
        if args.target:
            if "/" not in args.target:
                raise UsageError("APP/SERVICE expected, e.g. 73656372/install")
            app_id, service_id = args.target.split("/", 1)
            if not app_id or not service_id:
                raise UsageError("APP/SERVICE expected, e.g. 73656372/install")
            return app_id, service_id
        app_id, kind = DEMO_APP, "install"
    else:
        app_id, kind = args.app, args.command
    desc = await client.get_app(app_id)
    key = LIFECYCLE[kind]
    value = desc.get(key)
    services = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    services = [s for s in services if isinstance(s, str) and s]
    if kind == "install" and getattr(args, "service", None):
        if args.service not in services:
            raise TouchpointError(f"app {app_id} has no install service {args.service!r}; "
                                  f"install services: {', '.join(services) or 'none'}")
        return app_id, args.service
    if not services:
        raise TouchpointError(f"app {app_id} has no {kind} service")
    return app_id, services[0]


async def cmd_run(ctx: Context) -> int:
    args = ctx.args
    fields = _parse_fields(args.field)
    trace = Trace()
    if args.trace_apdu:
        def print_entry(e: TraceEntry) -> None:
            ctx.say(e.to_text() if e.direction != "--" else f"-- {e.name}")

        trace.subscribe(print_entry)
    reader = _open_reader(ctx)
    result: DeliveryResult | None = None
    try:
        ident = await _card(ctx, reader)
        if args.command == "run" and (args.target or "").startswith(("ws://", "wss://")):
            # fdsm's `--run ws://...`: the URL is the whole delivery
            from app.wsdelivery import WsDeliveryRunner  # websockets only when used

            ws = WsDeliveryRunner(reader, ident, token=_token(args), trace=trace,
                                  on_progress=_progress_printer(ctx),
                                  message_timeout=args.timeout * 60)
            with _sigint_cancels(ws):
                result = await ws.run_url(args.target)
        else:
            async with backend_client(ctx, args.timeout) as client:
                await enrich(client, ident)
                app_id, service_id = await _resolve_target(ctx, client)
                runner = DeliveryRunner(
                    client, reader, ident, trace=trace, fields=fields,
                    on_progress=_progress_printer(ctx),
                    on_fields=prompt_fields(ctx.lang, ctx.warn),
                    on_confirm=None if args.yes else confirm_prompt(ctx.lang, ctx.warn),
                    on_action=acknowledge_actions(ctx.lang, ctx.warn,
                                                  ask=False if args.yes else None))
                with _sigint_cancels(runner):
                    log.info("running %s/%s on card %s in %s", app_id, service_id,
                             ident.printable_cin, reader.name)
                    result = await runner.run(app_id, service_id)
    finally:
        await reader.close()
        if args.trace_file:
            trace.save(args.trace_file)
    text = result.text(ctx.lang)
    if result.success:
        ctx.say(f"Success: {text}" if text else "Success")
        return 0
    if result.outcome is Outcome.CARD_REMOVED:
        text = f"{i18n.text('outcome.card-removed', ctx.lang)}: {text}"
    ctx.say(f"Failed ({result.outcome.value}): {text}")
    return 1


@contextlib.contextmanager
def _sigint_cancels(runner: DeliveryRunner) -> Iterator[None]:
    """Ctrl-C cancels the delivery (the session ends on the backend) instead of killing us."""
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGINT, runner.cancel)
    try:
        yield
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGINT)


async def cmd_backend(ctx: Context) -> int:
    from app.clibackend import backend_command

    return await backend_command(ctx.args, ctx.say)


async def cmd_replay(ctx: Context) -> int:
    from app.clireplay import replay_command

    return await replay_command(ctx.args, ctx.say, lambda: _open_reader(ctx))


HANDLERS: dict[str, Callable[[Context], Any]] = {
    "replay": cmd_replay,
    "backend": cmd_backend,
    "readers": cmd_readers,
    "card-info": cmd_card_info,
    "apps": cmd_apps,
    "run": cmd_run,
    "repair": cmd_repair,
    **{name: cmd_run for name in LIFECYCLE},
}


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    """Entry point `touchpoint`; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    out = out or sys.stdout
    err = err or sys.stderr
    if "--self-test" in argv:
        return self_test([a for a in argv if a != "--self-test"], out=out)
    parser = build_parser()
    if not argv or argv[0] in ("-h", "--help"):
        parser.print_help(out)
        return 0
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage errors (2), --help and --version (0)
        return int(exc.code or 0)
    if not args.command:
        parser.print_help(out)
        return 0
    ctx = Context(args, out, err)
    try:
        logs.setup(logs.choose_level(args.verbose, args.log_level), stream=err,
                   trace_api=args.trace_api)
    except logs.LevelError as exc:
        ctx.warn(f"touchpoint: {exc}")
        return 2
    try:
        return int(asyncio.run(HANDLERS[args.command](ctx)))
    except UsageError as exc:
        ctx.warn(f"touchpoint: {exc}")
        return 2
    except TouchpointError as exc:
        ctx.warn(f"touchpoint: {exc}")
        return 1
    except KeyboardInterrupt:
        ctx.warn("touchpoint: interrupted")
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
