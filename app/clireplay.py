"""`touchpoint replay FILE`: a GlobalPlatformPro-style trace (`gp -d`) sent to the card again.

Each recorded command goes to the card and its answer is compared with the
recorded one (app/gpptrace.py). Exit status 0 when every answer is the same,
1 when one differs or the replay stopped (a secure channel: the report says why).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from app import gpptrace
from app.readers.base import Reader


def _hex(data: bytes | None) -> str | None:
    return None if data is None else data.hex().upper()


async def replay_command(args: argparse.Namespace, say: Callable[[str], None],
                         open_reader: Callable[[], Reader]) -> int:
    records = gpptrace.load(args.file)  # a bad file: TouchpointError, exit status 1
    reader = open_reader()
    try:
        await reader.connect()
        report = await gpptrace.replay(reader, records)
    finally:
        await reader.close()
    if args.json:
        info: dict[str, Any] = {
            "reader": reader.name, "ok": report.ok, "stopped": report.stopped,
            "warnings": report.warnings or [],
            "steps": [{"index": s.index + 1, "command": _hex(s.command),
                       "expected": _hex(s.expected), "got": _hex(s.got), "same": s.same}
                      for s in report.steps]}
        say(json.dumps(info, indent=2))
    else:
        say(f"replaying {args.file} on {reader.name}")
        for s in report.steps:
            if not s.same:
                say(f"command {s.index + 1} {_hex(s.command)}: expected {_hex(s.expected)}, "
                    f"got {_hex(s.got)}")
        say(report.summary())
    return 0 if report.ok else 1
