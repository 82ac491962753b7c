"""The tester's runs, kept: each with its service, card, result, duration, trace and HTTP
exchanges, and a side-by-side comparison of two runs' APDUs.

A new Run starts a new Trace, so the previous run's trace stays readable.
Two runs of one service never carry the same bytes (card and host challenges,
MACs and cryptograms change every session), so `compare` aligns the APDUs by
what they are (direction and command name, with difflib) and then marks the
aligned pairs whose bytes or status words differ, and the APDUs only one side has.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from app.exchanges import Exchange
from app.trace import Trace, TraceEntry


@dataclass
class Run:
    number: int
    app_id: str
    service_id: str
    app_name: str = ""
    service_title: str = ""
    card: str = ""  # printable CIN, "" until the card is read
    reader: str = ""
    started: float = field(default_factory=time.time)
    seconds: float | None = None  # None while it runs
    result: str = ""  # the delivery outcome ("success", "failure", ...) or an error text
    trace: Trace = field(default_factory=Trace)
    exchanges: list[Exchange] = field(default_factory=list)

    @property
    def running(self) -> bool:
        return self.seconds is None

    @property
    def service_label(self) -> str:
        app = self.app_name or self.app_id
        return f"{app} · {self.service_title or self.service_id}"

    def finish(self, result: str) -> None:
        self.result = result
        self.seconds = time.time() - self.started

    def apdus(self) -> list[TraceEntry]:
        return [e for e in self.trace.entries if e.direction in (">>", "<<")]


Listener = Callable[[Run], None]


class RunList:
    """The runs of a tester session, oldest first, with who wants to hear of changes."""

    def __init__(self, keep: int = 200) -> None:
        self.runs: list[Run] = []
        self.keep = keep  # the oldest are dropped beyond this: a long session stays bounded
        self._listeners: list[Listener] = []
        self._next = 1

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def start(self, app_id: str, service_id: str, *, app_name: str = "",
              service_title: str = "", reader: str = "") -> Run:
        run = Run(self._next, app_id, service_id, app_name=app_name,
                  service_title=service_title, reader=reader)
        self._next += 1
        self.runs.append(run)
        del self.runs[:-self.keep]
        self.changed(run)
        return run

    def changed(self, run: Run) -> None:
        for listener in list(self._listeners):
            listener(run)

    def clear(self) -> None:
        self.runs.clear()

    def by_number(self, number: int) -> Run | None:
        return next((r for r in self.runs if r.number == number), None)


class Diff(Enum):
    SAME = "same"  # aligned, same bytes and status word
    CHANGED = "changed"  # aligned (same command), other bytes or status word
    LEFT_ONLY = "left-only"
    RIGHT_ONLY = "right-only"


@dataclass(frozen=True)
class DiffRow:
    left: TraceEntry | None
    right: TraceEntry | None
    kind: Diff

    @property
    def differs(self) -> bool:
        return self.kind is not Diff.SAME


def _key(e: TraceEntry) -> tuple[str, str]:
    return e.direction, e.name


def _pair(a: TraceEntry, b: TraceEntry) -> DiffRow:
    same = a.data == b.data and a.sw == b.sw
    return DiffRow(a, b, Diff.SAME if same else Diff.CHANGED)


def compare(left: list[TraceEntry], right: list[TraceEntry]) -> list[DiffRow]:
    """The two APDU sequences aligned row by row (see the module docstring)."""
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, [_key(e) for e in left], [_key(e) for e in right],
                                      autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows.extend(_pair(a, b) for a, b in zip(left[i1:i2], right[j1:j2], strict=True))
            continue
        a_part, b_part = left[i1:i2], right[j1:j2]
        n = min(len(a_part), len(b_part))  # a replaced block: pair what faces each other
        rows.extend(DiffRow(a, b, Diff.CHANGED) for a, b in zip(a_part[:n], b_part[:n],
                                                                 strict=True))
        rows.extend(DiffRow(a, None, Diff.LEFT_ONLY) for a in a_part[n:])
        rows.extend(DiffRow(None, b, Diff.RIGHT_ONLY) for b in b_part[n:])
    return rows


def compare_runs(a: Run, b: Run) -> list[DiffRow]:
    return compare(a.apdus(), b.apdus())
