"""Saving what the tester's trace view shows: the filtered rows, with a header saying so.

A tester who filtered down to the INSTALL commands and pressed Save must not
believe the file holds the whole delivery: the text file starts with `#`
lines naming the run, the filter and "N of M entries"; the JSON file is an
object whose "header" says the same and whose "entries" are the rows shown.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.paths import write_atomic
from app.trace import TraceEntry


@dataclass(frozen=True)
class ShownHeader:
    run: str  # "run 3: The Secret Application · install on card 0102…"
    filter_text: str
    direction: str | None  # ">>", "<<", "--" or None (all)
    shown: int
    total: int

    @property
    def filtered(self) -> bool:
        return self.shown != self.total

    def lines(self) -> list[str]:
        what = (f"{self.shown} of {self.total} entries, as the filter shows them"
                if self.filtered else f"all {self.total} entries")
        out = [f"# {self.run}" if self.run else "# trace", f"# {what}"]
        if self.filter_text:
            out.append(f"# filter text: {self.filter_text!r}")
        if self.direction:
            out.append(f"# direction: {self.direction}")
        return out

    def to_json(self) -> dict[str, Any]:
        return {"run": self.run, "filterText": self.filter_text, "direction": self.direction,
                "shown": self.shown, "total": self.total, "filtered": self.filtered}


def render(entries: list[TraceEntry], header: ShownHeader, kind: str) -> str:
    if kind == "json":
        return json.dumps({"header": header.to_json(),
                           "entries": [e.to_json() for e in entries]}, indent=1)
    body = [e.to_text() if e.direction != "--" else f"-- {e.name}" for e in entries]
    return "\n".join(header.lines() + body) + "\n"


def save_shown(path: str | os.PathLike[str], entries: list[TraceEntry], header: ShownHeader,
               kind: str) -> Path:
    """Writes `entries` as text or JSON (kind "txt"/"json") atomically."""
    return write_atomic(path, render(entries, header, kind))
