"""Keeps tests away from a real user's shared backend and ends the ones tests started."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

from app.backendrecord import Record, pid_alive, query_instance


def stop_recorded(directory: Path, timeout: float = 10.0) -> list[int]:
    """Stops every backend recorded in `directory` that proves to be ours; returns pids."""
    stopped = []
    for path in sorted(directory.glob("backend-*.json")):
        try:
            rec = Record.from_json(json.loads(path.read_text()))
        except (OSError, ValueError):
            continue
        info = query_instance(rec) if pid_alive(rec.pid) else None
        if info is not None and info.get("pid") == rec.pid:
            os.kill(rec.pid, signal.SIGTERM)
            stopped.append(rec.pid)
        path.unlink(missing_ok=True)
    deadline = time.monotonic() + timeout
    for pid in stopped:
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
    return stopped
