"""`touchpoint-backend`: run the bundled backend (and the demo SP) from the command line, and
manage SP applications (`apps`, backend_stub/appscli.py). Exit status: 0 done, 1 failed,
2 usage error (argparse's)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import platformdirs

from backend_stub import appscli, logs, version
from backend_stub.config import (
    ADMIN_TOKEN_ENV,
    ADMIN_TOKEN_FILE,
    DB_URL_ENV,
    DEVICE_TOKEN_ENV,
    DEVICE_TOKEN_FILE,
    KEK_ENV,
    KEK_FILE,
    Settings,
    make_settings,
    resolve_db,
)
from backend_stub.engine.keystore import load_keys_file
from backend_stub.extras import MissingExtra
from backend_stub.runner import Runner
from backend_stub.server import open_store
from backend_stub.store.sealing import SealError

DEPLOY_HELP = f"""\
deployment with several workers:
  One process on SQLite (the default) serves a kiosk or a lab bench. For more,
  run N workers on one PostgreSQL database, which is then the only shared
  component: sessions, operation queues, pending APDU batches and callback
  retries live in it, long-polls wake up across workers (LISTEN/NOTIFY) and
  callback retries are claimed with row locks, so any worker may take any
  request. Either
    touchpoint-backend serve --db postgresql://tp@dbhost/tp --workers 4
  (4 processes on one port, SO_REUSEPORT), or one `serve` per host or port
  behind any HTTP load balancer (no sticky sessions needed). Give every worker
  the same tokens (--device-token/--admin-token or ${DEVICE_TOKEN_ENV} /
  ${ADMIN_TOKEN_ENV}); ${DB_URL_ENV} may replace --db. Card keys are
  sealed in the database under a key-encryption key: ${KEK_ENV}
  (64 hex digits), else the 0600 file {KEK_FILE} in the data directory;
  every worker needs the same one. See backend_stub/DEPLOY.md.
"""


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("se-touchpoint")) / "backend"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="touchpoint-backend",
                                     description="The bundled Secure Element service backend.",
                                     epilog=DEPLOY_HELP,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-V", "--version", action="version",
                        version=f"touchpoint-backend {version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the HTTP server (OpenAPI docs at /docs)",
                           epilog=DEPLOY_HELP,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default "
                       "127.0.0.1: only this machine)")
    serve.add_argument("--port", type=int, default=8480)
    serve.add_argument("--data-dir", type=Path, default=None,
                       help="tokens and the default database live here")
    serve.add_argument("--db", default=None,
                       help=f"database: a SQLite file, sqlite:///PATH or postgresql://USER@HOST/"
                       f"NAME (else ${DB_URL_ENV}, else DATA_DIR/backend.sqlite3)")
    serve.add_argument("--workers", type=int, default=1,
                       help="worker processes sharing the port (needs PostgreSQL when > 1)")
    serve.add_argument("--reuse-port", action="store_true", help=argparse.SUPPRESS)
    serve.add_argument("--demo", action="store_true",
                       help="also run the demo SP and register its applications")
    serve.add_argument("--demo-port", type=int, default=None,
                       help="port of the demo SP (default: a free one)")
    serve.add_argument("--device-token", default=None,
                       help=f"touch point token (else ${DEVICE_TOKEN_ENV}, else a random one "
                       f"kept in DATA_DIR/{DEVICE_TOKEN_FILE})")
    serve.add_argument("--admin-token", default=None,
                       help=f"admin token (else ${ADMIN_TOKEN_ENV}, else DATA_DIR/"
                       f"{ADMIN_TOKEN_FILE})")
    serve.add_argument("--keys", type=Path, default=None,
                       help='card key configuration JSON ({"cards": [...]})')
    serve.add_argument("--fetch-wait", type=float, default=20.0,
                       help="long-poll seconds of service/fetch")
    serve.add_argument("--touchpoint-timeout", type=float, default=60.0,
                       help="seconds of touch point silence before an operation fails (408)")
    serve.add_argument("--sync", choices=["full", "normal"], default="normal",
                       help="SQLite durability (WAL either way). normal (default): every "
                       "commit survives a crash or kill of this process; a power cut or OS "
                       "crash may lose the last commits. full: also fsync the log at every "
                       "commit, which survives a power cut too and costs a disk flush per "
                       "state change")
    serve.add_argument("--idle-exit", type=float, default=None, metavar="S",
                       help="stop after S seconds without a request, or when the SQLite "
                       "database file is replaced or the installed version changes (the "
                       "touch point's per-user backend; default: run until stopped)")
    logs.add_arguments(serve)
    appscli.add_parser(sub, default_data_dir)
    return parser


async def _check_store(settings: Settings) -> None:
    db = await open_store(settings)
    await db.close()


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "apps":
        return appscli.main(args)
    parent = os.environ.pop(PARENT_PID_ENV, "")  # ours only: not for processes we start
    try:
        level = logs.choose_level(args.verbose, args.log_level)
    except ValueError as exc:
        parser.error(str(exc))
    try:
        logs.setup(level, args.log_file)
    except OSError as exc:
        print(f"touchpoint-backend: cannot write the log file {args.log_file}: {exc}",
              file=sys.stderr)
        return 1
    db_path, db_url = resolve_db(args.db)
    data_dir = args.data_dir or (db_path.parent if db_path else default_data_dir())
    if args.workers < 1:
        print("touchpoint-backend: --workers must be at least 1", file=sys.stderr)
        return 2
    if args.workers > 1:
        if db_url is None:
            print("touchpoint-backend: several workers need a shared database: "
                  "--db postgresql://...", file=sys.stderr)
            return 2
        return _supervise(argv if argv is not None else sys.argv[1:], args.workers)
    if args.keys is not None:  # a bad key file: one clear line now, not a failed start-up
        try:
            load_keys_file(args.keys)
        except ValueError as exc:
            print(f"touchpoint-backend: {exc}", file=sys.stderr)
            return 2
    try:
        settings = make_settings(
            data_dir, db_path=db_path, db_url=db_url, device_token=args.device_token,
            admin_token=args.admin_token, fetch_wait=args.fetch_wait,
            touchpoint_timeout=args.touchpoint_timeout, sqlite_synchronous=args.sync.upper(),
            keys_file=args.keys,
        )
    except OSError as exc:
        print(f"touchpoint-backend: cannot use data directory {data_dir}: {exc}",
              file=sys.stderr)
        return 2
    except ValueError as exc:  # a malformed key-encryption key (variable or file)
        print(f"touchpoint-backend: {exc}", file=sys.stderr)
        return 2
    try:  # the store opens (migrated, sealed under this key) before anything listens
        asyncio.run(_check_store(settings))
    except (SealError, MissingExtra) as exc:
        print(f"touchpoint-backend: {exc}", file=sys.stderr)
        return 2
    lifetime = None
    if args.idle_exit is not None:
        from backend_stub.lifetime import Lifetime

        sqlite_file = None if db_url else db_path or data_dir / "backend.sqlite3"
        lifetime = Lifetime(idle_s=args.idle_exit, db_path=sqlite_file)
    runner = Runner(settings, host=args.host, port=args.port, demo=args.demo,
                    demo_port=args.demo_port, reuse_port=args.reuse_port,
                    log_level=_uvicorn_level(level), lifetime=lifetime)

    def started(r: Runner) -> None:
        print(f"touchpoint-backend listening on {r.url} (API docs: {r.url}/docs)", flush=True)
        logging.getLogger("backend_stub").info("touchpoint-backend listening on %s", r.url)
        if r.demo_url:
            print(f"demo service provider on {r.demo_url}", flush=True)
        if not args.device_token and not _env(DEVICE_TOKEN_ENV):
            print(f"device token: in {data_dir / DEVICE_TOKEN_FILE}", flush=True)

    async def serve() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, runner.request_stop)
        watch = None
        if parent and parent.isdigit():
            watch = asyncio.create_task(_stop_when_orphaned(int(parent), runner.request_stop))
        try:
            await runner.run(on_started=started)
        finally:
            if watch is not None:
                watch.cancel()

    try:
        with asyncio.Runner(loop_factory=_loop_factory()) as run:
            run.run(serve())
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        print(f"touchpoint-backend: {exc}", file=sys.stderr)
        return 1
    return 0


def _uvicorn_level(level: int) -> str:
    """uvicorn's own start/stop lines are noise at info; below debug is debug for it."""
    if level == logging.INFO:
        return "warning"
    return logging.getLevelName(max(level, logging.DEBUG)).lower()


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop where it is installed (not on Windows): the server's hot path is event-loop bound."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


# Set by a touch point that starts this backend for itself (app/backend.py): when that
# process is gone (killed, crashed), nobody can reach this backend's random port any more.
PARENT_PID_ENV = "TOUCHPOINT_PARENT_PID"


async def _stop_when_orphaned(parent: int, stop: Callable[[], None],
                              interval: float = 1.0) -> None:
    """Stops the server once `parent` is no longer our parent process."""
    while os.getppid() == parent:
        await asyncio.sleep(interval)
    logging.getLogger(__name__).warning("the touch point (pid %d) is gone; stopping", parent)
    stop()


def _supervise(argv: list[str], workers: int) -> int:
    """Run `workers` copies of this command on one port; stop them all on SIGINT/SIGTERM.

    The first worker alone runs the demo SP (with --demo); a worker that dies ends
    the others too, so a process manager sees the failure and restarts the set."""
    base = [a for a in argv if a != "--demo"]
    procs: list[subprocess.Popen[bytes]] = []
    for i in range(workers):
        cmd = [sys.executable, "-m", "backend_stub.cli", *base, "--workers", "1",
               "--reuse-port", *(["--demo"] if i == 0 and "--demo" in argv else [])]
        procs.append(subprocess.Popen(cmd))  # noqa: S603 (our own interpreter and module)

    def _stop(_sig: int, _frame: object) -> None:
        for p in procs:
            if p.poll() is None:
                p.terminate()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    code = 0
    while any(p.poll() is None for p in procs):
        for p in procs:
            if p.poll() is not None and p.returncode not in (0, -signal.SIGTERM):
                code = code or p.returncode or 1
                _stop(0, None)
        time.sleep(0.2)
    return code


def _env(name: str) -> str:
    return os.environ.get(name, "")


if __name__ == "__main__":
    sys.exit(main())
