"""Traces in GlobalPlatformPro's `gp -d` style: export, import, and replay against a card.

The format is the one GlobalPlatformPro's LoggingCardTerminal prints
(martinpaljak/GlobalPlatformPro src/openkms/gpj/LoggingCardTerminal.java,
`transmit`): `A>> T=1 (4+LLLL) CLAINSP1P2 Lc DATALe` for a command (LLLL: the
data length, 4 decimal digits) and `A<< (LLLL+2) (Nms) DATA SW` for its
answer (durations over a second as `1s234ms`). Hex is read in either case;
other lines are skipped, except our own `# ` lines, which carry the trace's
notes and a missing answer so that an export reads back as the trace it was.
Timestamps are not in the format: durations survive, in whole milliseconds.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.errors import TouchpointError
from app.paths import write_atomic
from app.readers.base import Observer, Reader
from app.trace import Trace, TraceEntry

NO_ANSWER = "no answer"
_CMD = re.compile(r"^A>>\s+(?:(\S+)\s+)?\((\d+)\+(\d+)\)\s*(.*)$")
_ANS = re.compile(r"^A<<\s+\((\d+)\+2\)\s+\((?:(\d+)\s*s\s*)?(\d+)\s*ms\)\s*(.*)$")
_HEX = re.compile(r"^[0-9A-Fa-f\s]*$")


class GppFormatError(TouchpointError, ValueError):
    """A line of a GPPro-style trace that does not say what it should."""


@dataclass(frozen=True)
class Record:
    """One exchange (command, answer or None, whole ms) or one note (`note` set)."""

    command: bytes = b""
    answer: bytes | None = None
    ms: int | None = None
    note: str | None = None


def records_of(entries: Sequence[TraceEntry]) -> list[Record]:
    """A trace's entries as records, durations rounded to whole ms as the format keeps them."""
    out: list[Record] = []
    pending: TraceEntry | None = None
    for e in entries:
        if e.direction == "--":
            out.append(Record(note=e.name))
        elif e.direction == ">>":
            pending = e
        elif pending is not None:
            answer = e.data if e.sw is not None else None
            ms = round(e.duration_ms) if e.duration_ms is not None and answer is not None else None
            out.append(Record(pending.data, answer, ms))
            pending = None
    return out


def _ms_text(ms: int) -> str:
    return f"{ms // 1000}s{ms % 1000}ms" if ms > 1000 else f"{ms}ms"


def command_line(cmd: bytes, protocol: str = "T=1") -> str:
    extended = len(cmd) > 5 and cmd[4] == 0 and len(cmd) >= 7
    lc_size = 3 if extended else 1
    data_len = 0
    if len(cmd) > 5:
        data_len = int.from_bytes(cmd[5:7], "big") if extended else cmd[4]
    line = f"A>> {protocol} (4+{data_len:04d}) {cmd[:4].hex().upper()}"
    if len(cmd) > 4:
        line += f" {cmd[4:4 + lc_size].hex().upper()} {cmd[4 + lc_size:].hex().upper()}"
    return line.rstrip()


def answer_line(answer: bytes, ms: int) -> str:
    data, sw = answer[:-2], answer[-2:]
    body = f" {data.hex().upper()}" if data else ""
    return f"A<< ({len(data):04d}+2) ({_ms_text(ms)}){body} {sw.hex().upper()}"


def export(records: Sequence[Record], protocol: str = "T=1") -> str:
    lines = []
    for r in records:
        if r.note is not None:
            lines.append(f"# {r.note}")
            continue
        lines.append(command_line(r.command, protocol))
        if r.answer is None or len(r.answer) < 2:
            lines.append(f"# {NO_ANSWER}")
        else:
            lines.append(answer_line(r.answer, r.ms or 0))
    return "\n".join(lines) + "\n"


def save(entries: Sequence[TraceEntry], path: str | os.PathLike[str]) -> Path:
    """Writes the GPPro-style text of a trace atomically."""
    return write_atomic(path, export(records_of(entries)))


def _hex(text: str, where: str) -> bytes:
    if not _HEX.match(text):
        raise GppFormatError(f"{where}: not hex: {text.strip()[:40]!r}")
    digits = "".join(text.split())
    if len(digits) % 2:
        raise GppFormatError(f"{where}: odd number of hex digits")
    return bytes.fromhex(digits)


def parse(text: str) -> list[Record]:
    """Records of a GPPro `-d` log (ours or GPPro's own); lines of other kinds are skipped."""
    out: list[Record] = []
    pending: bytes | None = None
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        where = f"line {n}"
        if line.startswith("A>>"):
            if pending is not None:
                out.append(Record(pending))
            m = _CMD.match(line)
            if m is None:
                raise GppFormatError(f"{where}: a command line reads 'A>> T=1 (4+LLLL) ...'")
            cmd = _hex(m.group(4), where)
            if len(cmd) < 4:
                raise GppFormatError(f"{where}: a command has at least 4 header bytes")
            data_len = int(m.group(3))
            expected = 0
            if len(cmd) > 5:
                expected = cmd[4] or int.from_bytes(cmd[5:7], "big")
            if data_len != expected:
                raise GppFormatError(f"{where}: (4+{data_len:04d}) but the data has "
                                     f"{expected} bytes")
            pending = cmd
        elif line.startswith("A<<"):
            m = _ANS.match(line)
            if m is None:
                raise GppFormatError(f"{where}: an answer line reads 'A<< (LLLL+2) (N ms) ... SW'")
            if pending is None:
                raise GppFormatError(f"{where}: an answer without a command before it")
            answer = _hex(m.group(4), where)
            if len(answer) != int(m.group(1)) + 2:
                raise GppFormatError(f"{where}: ({m.group(1)}+2) but {len(answer)} bytes of data "
                                     "and status word")
            ms = int(m.group(2) or 0) * 1000 + int(m.group(3))
            out.append(Record(pending, answer, ms))
            pending = None
        elif line.startswith("# "):
            if line[2:] == NO_ANSWER and pending is not None:
                out.append(Record(pending))
                pending = None
            elif pending is None:
                out.append(Record(note=line[2:]))
    if pending is not None:
        out.append(Record(pending))
    return out


def load(path: str | os.PathLike[str]) -> list[Record]:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise TouchpointError(f"cannot read {path}: {exc.strerror}") from exc
    records = parse(text)
    if not any(r.note is None for r in records):
        raise GppFormatError(f"{path}: no A>> command lines (is it a `gp -d` trace?)")
    return records


def to_trace(records: Sequence[Record], start: float | None = None) -> Trace:
    """A Trace holding the records (times made up from the durations) for the tester's table."""
    trace = Trace()
    t = time.time() if start is None else start
    for r in records:
        if r.note is not None:
            trace.note(r.note)
            continue
        t1 = t + (r.ms or 0) / 1000
        trace.record(r.command, r.answer, t, t1)
        t = t1
    return trace


# -- replay ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    index: int
    command: bytes
    expected: bytes | None
    got: bytes | None

    @property
    def same(self) -> bool:
        return self.expected == self.got


@dataclass
class ReplayReport:
    steps: list[Step]
    stopped: str | None = None  # why the replay ended early
    warnings: list[str] | None = None

    @property
    def ok(self) -> bool:
        return self.stopped is None and all(s.same for s in self.steps)

    def summary(self) -> str:
        same = sum(s.same for s in self.steps)
        lines = [f"replayed {len(self.steps)} commands: {same} same answers, "
                 f"{len(self.steps) - same} different"]
        lines += self.warnings or []
        if self.stopped:
            lines.append(f"stopped: {self.stopped}")
        return "\n".join(lines)


SECURE_CHANNEL = ("the trace opens a secure channel: the card answers INITIALIZE UPDATE with "
                  "a fresh challenge, so the recorded cryptogram and MACs do not verify on this "
                  "session")

async def replay(reader: Reader, records: Sequence[Record],
                 observer: Observer | None = None) -> ReplayReport:
    """Sends every recorded command to `reader` and compares each answer with the recorded one.

    A secure channel cannot be replayed: once INITIALIZE UPDATE answers differently, the
    next differing answer ends the replay with `SECURE_CHANNEL` as the reason. Commands the
    trace shows redacted (PINs masked) are sent as they are written.
    """
    report = ReplayReport([], warnings=[])
    secure = False
    for i, r in enumerate(x for x in records if x.note is None):
        try:
            got: bytes | None = await reader.transmit(r.command, observer=observer)
        except TouchpointError as exc:
            report.steps.append(Step(i, r.command, r.answer, None))
            report.stopped = f"command {i + 1}: {exc}"
            return report
        step = Step(i, r.command, r.answer, got)
        report.steps.append(step)
        if step.same:
            continue
        if len(r.command) > 1 and r.command[1] == 0x50 and not secure:
            secure = True
            assert report.warnings is not None
            report.warnings.append(f"command {i + 1} (INITIALIZE UPDATE): {SECURE_CHANNEL}")
            continue
        if secure:
            report.stopped = (f"command {i + 1}: answer {(got or b'').hex().upper()} instead of "
                              f"{(r.answer or b'').hex().upper()}; {SECURE_CHANNEL}")
            return report
    return report
