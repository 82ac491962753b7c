"""One logging set-up for `touchpoint` and the GUI (backend_stub/logs.py is its twin).

Levels, lowest first: TRAFFIC (5: every APDU a trace sees, masked as the trace
masks it, after ykman's idea), DEBUG, INFO, WARNING (the default), ERROR.
The level comes from `--log-level`, else from `-v` (once INFO, twice DEBUG,
three times TRAFFIC), else from $TOUCHPOINT_LOG_LEVEL (the kiosk unit reads it
from /etc/default/se-touchpoint), else WARNING. Uncaught exceptions in any
thread and fatal signals (faulthandler) are written to the log as well, so a
kiosk that died says why. Nothing here imports Qt or httpx.
"""

from __future__ import annotations

import argparse
import faulthandler
import logging
import os
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import IO

TRAFFIC = 5
LEVEL_ENV = "TOUCHPOINT_LOG_LEVEL"
LEVELS = {"traffic": TRAFFIC, "debug": logging.DEBUG, "info": logging.INFO,
          "warning": logging.WARNING, "error": logging.ERROR}
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_FILE_BYTES = 2 * 1024 * 1024  # rotated at 2 MiB, 5 old files kept: at most 12 MiB
LOG_FILE_BACKUPS = 5
API_LOGGER = "app.api"  # --trace-api
TRAFFIC_LOGGER = "app.traffic"

logging.addLevelName(TRAFFIC, "TRAFFIC")


def add_arguments(parser: argparse.ArgumentParser, default: int = logging.WARNING) -> None:
    """-v/--verbose (repeatable) and --log-level, the same on every command."""
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="more log output on stderr: -v info, -vv debug, -vvv every APDU "
                             "(traffic, secrets masked)")
    parser.add_argument("--log-level", type=str.lower, choices=tuple(LEVELS), default=None,
                        metavar="LEVEL",
                        help=f"{', '.join(LEVELS)} (overrides -v; default ${LEVEL_ENV}, "
                             f"else {logging.getLevelName(default).lower()})")


class LevelError(ValueError):
    """$TOUCHPOINT_LOG_LEVEL holds no known level."""


def parse_level(name: str) -> int:
    value = LEVELS.get(name.strip().lower())
    if value is None:
        raise LevelError(f"${LEVEL_ENV}={name!r} is not a log level; use one of "
                         f"{', '.join(LEVELS)}")
    return value


def choose_level(verbose: int = 0, log_level: str | None = None,
                 env: dict[str, str] | os._Environ[str] | None = None,
                 default: int = logging.WARNING) -> int:
    """--log-level, else -v, else $TOUCHPOINT_LOG_LEVEL, else `default`."""
    if log_level:
        return parse_level(log_level)
    if verbose:
        return (logging.INFO, logging.DEBUG, TRAFFIC)[min(verbose, 3) - 1]
    raw = (os.environ if env is None else env).get(LEVEL_ENV, "").strip()
    return parse_level(raw) if raw else default


def log_dir() -> Path:
    """Where the GUI and the bundled backend write their log files: $TOUCHPOINT_HOME/log
    when set (tests, kiosks), else platformdirs' user_log_dir
    (~/.local/state/se-touchpoint/log on Linux)."""
    override = os.environ.get("TOUCHPOINT_HOME")
    if override:
        return Path(override) / "log"
    from platformdirs import user_log_dir

    return Path(user_log_dir("se-touchpoint", appauthor=False))


def rotating_handler(path: Path) -> logging.Handler:
    import logging.handlers  # ~10 ms: only when a file is written

    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    return handler


_fault_file: IO[str] | None = None


def setup(level: int, *, stream: IO[str] | None = None, log_file: Path | None = None,
          trace_api: bool = False) -> None:
    """Configures the root logger once per process (again: replaces our handlers).

    stderr always gets the records at `level`; `log_file` (rotated) gets them too.
    `trace_api` lets every HTTP request and answer through (logger `app.api`),
    whatever the level."""
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_touchpoint", False):
            root.removeHandler(h)
            h.close()
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler._touchpoint = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    # a request log per HTTP call of our own client is --trace-api's job, not -v's
    for noisy in ("httpx", "httpcore", "asyncio", "qasync"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, level))
    logging.getLogger(API_LOGGER).setLevel(logging.INFO if trace_api else logging.NOTSET)
    _install_hooks()
    try:
        if not faulthandler.is_enabled():
            faulthandler.enable(sys.stderr, all_threads=True)
    except (OSError, ValueError, AttributeError):  # a stderr with no file descriptor
        pass
    if log_file is not None:
        add_log_file(log_file)


def add_log_file(path: Path) -> bool:
    """The records (and fatal-signal tracebacks) also into `path`, rotated. The window
    calls this once its first frame is painted: the handler costs the kiosk's start ~10 ms,
    and until then stderr (the journal) has everything."""
    global _fault_file
    try:
        handler = rotating_handler(path)
    except OSError as exc:
        logging.getLogger("touchpoint").warning("cannot write the log file %s: %s", path,
                                                exc.strerror)
        return False
    handler._touchpoint = True  # type: ignore[attr-defined]
    logging.getLogger().addHandler(handler)
    try:
        if _fault_file is not None:
            _fault_file.close()
        _fault_file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - kept for faults
        faulthandler.enable(_fault_file, all_threads=True)
    except (OSError, ValueError):
        pass
    return True


def _log_uncaught(kind: type[BaseException], exc: BaseException,
                  tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    logging.getLogger("touchpoint").critical("uncaught exception", exc_info=(kind, exc, tb))


def _log_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else "?"
    logging.getLogger("touchpoint").critical(
        "uncaught exception in thread %s", name,
        exc_info=(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback))


def _install_hooks() -> None:
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_thread
