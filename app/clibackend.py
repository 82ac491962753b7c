"""`touchpoint backend status|stop`: the user's shared bundled backend (app/sharedbackend.py)."""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Callable
from typing import Any


async def backend_command(args: argparse.Namespace, say: Callable[[str], None]) -> int:
    """`backend status`: pid, URL, version and database (never the token); `backend stop`."""
    from app import sharedbackend

    if args.action == "stop":
        stopped = await asyncio.to_thread(sharedbackend.stop, args.db)
        if args.json:
            say(json.dumps({"stopped": stopped is not None,
                            "pid": stopped.pid if stopped else None}))
        else:
            say(f"stopped the bundled backend (pid {stopped.pid})" if stopped
                else "no bundled backend is running")
        return 0
    rec, problem = await asyncio.to_thread(sharedbackend.status, args.db)
    info: dict[str, Any] = {"running": rec is not None and problem is None, "problem": problem}
    if rec is not None:
        info |= {"pid": rec.pid, "url": rec.url, "version": rec.version, "db": rec.db,
                 "idleExitSeconds": rec.idle_exit_s}
    if args.json:
        say(json.dumps(info, indent=2))
    elif rec is None:
        say(problem or "no bundled backend is running")
    else:
        say(f"bundled backend: pid {rec.pid} at {rec.url}, version {rec.version}, "
            f"database {rec.db}, ends after {rec.idle_exit_s:g} s idle")
        if problem:
            say(f"not usable: {problem}")
    return 0
