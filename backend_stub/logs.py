"""Logging of `touchpoint-backend`: the same options and variable as the touch point's.

app/logs.py is the touch point's twin of this module (the backend imports
nothing of app/, DESIGN.md). `-v` (repeatable) and `--log-level`, else
$TOUCHPOINT_LOG_LEVEL, else info; `--log-file` writes a rotated file (the
bundled backend's, in the touch point's log directory) instead of stderr.
Uncaught exceptions in any thread and fatal signals go to the log too.
"""

from __future__ import annotations

import argparse
import faulthandler
import logging
import logging.handlers
import os
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import IO

TRAFFIC = 5  # the touch point's APDU level; the backend has nothing below DEBUG to say
LEVEL_ENV = "TOUCHPOINT_LOG_LEVEL"
LEVELS = {"traffic": TRAFFIC, "debug": logging.DEBUG, "info": logging.INFO,
          "warning": logging.WARNING, "error": logging.ERROR}
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_FILE_BYTES = 2 * 1024 * 1024
LOG_FILE_BACKUPS = 5

logging.addLevelName(TRAFFIC, "TRAFFIC")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="more log output: -v info, -vv debug")
    parser.add_argument("--log-level", type=str.lower, choices=tuple(LEVELS), default=None,
                        metavar="LEVEL",
                        help=f"{', '.join(LEVELS)} (overrides -v; default ${LEVEL_ENV}, "
                             "else info)")
    parser.add_argument("--log-file", type=Path, default=None, metavar="FILE",
                        help=f"write the log to FILE, rotated at {LOG_FILE_BYTES >> 20} MiB "
                             f"with {LOG_FILE_BACKUPS} old files kept (default: stderr)")


def choose_level(verbose: int, log_level: str | None) -> int:
    """--log-level, else -v, else $TOUCHPOINT_LOG_LEVEL, else INFO; ValueError names a bad
    variable."""
    if log_level:
        return LEVELS[log_level]
    if verbose:
        return logging.INFO if verbose == 1 else logging.DEBUG
    raw = os.environ.get(LEVEL_ENV, "").strip().lower()
    if not raw:
        return logging.INFO
    if raw not in LEVELS:
        raise ValueError(f"${LEVEL_ENV}={raw!r} is not a log level; use one of "
                         f"{', '.join(LEVELS)}")
    return LEVELS[raw]


_fault_file: IO[str] | None = None


def setup(level: int, log_file: Path | None = None) -> None:
    """The root logger at `level` on stderr or on a rotated `log_file` (OSError if it
    cannot be written)."""
    global _fault_file
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_BACKUPS, encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_backend_stub", False):  # ours from an earlier call, not pytest's
            root.removeHandler(old)
            old.close()
    handler._backend_stub = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("httpx", "httpcore"):  # one line per request is too much for a server log
        logging.getLogger(noisy).setLevel(max(logging.WARNING, level))
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_thread
    try:
        if log_file is not None:
            if _fault_file is not None:
                _fault_file.close()
            _fault_file = open(log_file, "a", encoding="utf-8")  # noqa: SIM115 - for faults
            faulthandler.enable(_fault_file, all_threads=True)
        else:
            faulthandler.enable(sys.stderr, all_threads=True)
    except (OSError, ValueError, AttributeError):  # a stderr with no file descriptor
        pass


def _log_uncaught(kind: type[BaseException], exc: BaseException,
                  tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    logging.getLogger("backend_stub").critical("uncaught exception", exc_info=(kind, exc, tb))


def _log_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else "?"
    logging.getLogger("backend_stub").critical(
        "uncaught exception in thread %s", name,
        exc_info=(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback))
