"""Qt's own messages (qWarning and friends, QML and plugin errors) into Python logging.

Without this they go to stderr only and never reach the log file. The handler
that was installed before (pytest-qt's, in tests) still gets every message.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("qt")
_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
           QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
           QtMsgType.QtFatalMsg: logging.CRITICAL}
_installed: list[Any] = []  # the handler and its predecessor, kept alive


def install() -> None:
    """Routes Qt's messages to the `qt` logger (once per process)."""
    if _installed:
        return

    def handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        category = context.category if context is not None else None
        prefix = f"[{category}] " if category and category != "default" else ""
        log.log(_LEVELS.get(mode, logging.WARNING), "%s%s", prefix, message)
        if previous is not None:
            previous(mode, context, message)

    previous = qInstallMessageHandler(handler)
    _installed.extend([handler, previous])
