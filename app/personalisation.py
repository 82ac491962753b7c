"""Staff personalisation bookkeeping: per-card values, the log, totals, CSV in and out.

No Qt and no I/O with cards: the staff panel (ui/staff/panel.py) runs the
cards, this decides which values a card gets, whether a card was already
done, and what the log says.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.paths import write_atomic

CIN_COLUMN = "cin"
LOG_COLUMNS = ("time", "cin", "app", "service", "result", "seconds", "message")
MASK = "***"
# field types whose values never go into the log (a PIN, a payment card, a secret)
SECRET_TYPES = frozenset({"paymentcard", "pin", "password", "secret", "encrypted"})
MIN_CARDS_FOR_RATE = 2  # one card says nothing about a rate


class BatchError(ValueError):
    """The values CSV is unusable, or it has no row left for a card.

    `kind` says which, for the screens' sentences: no-rows (no header or no data),
    missing-columns, extra-values, duplicate-card, no-row-left; `detail` the columns, and
    `line` the CSV line."""

    def __init__(self, message: str, kind: str, *, line: int = 0, detail: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.line = line
        self.detail = detail


@dataclass
class ValueSource:
    """Field values for each card: the same for all, or one CSV row per card.

    A CSV with a `cin` column gives a card its own row (any order); without
    it, rows are used one per card, in order, each at most once.
    """

    fixed: dict[str, str] = field(default_factory=dict)
    rows: list[dict[str, str]] = field(default_factory=list)
    by_cin: dict[str, dict[str, str]] = field(default_factory=dict)
    _next: int = 0
    # a card seen again (retry after a failure) keeps the row it was given
    _assigned: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def read(cls, path: str, field_ids: Iterable[str] = ()) -> ValueSource:
        """From a CSV file (UTF-8, with or without a byte order mark); OSError,
        UnicodeDecodeError or BatchError say why it cannot be used."""
        with open(path, encoding="utf-8-sig") as fh:
            return cls.from_csv(fh.read(), field_ids)

    @classmethod
    def from_csv(cls, text: str, field_ids: Iterable[str] = ()) -> ValueSource:
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip() for h in (reader.fieldnames or []) if h is not None]
        if not header:
            raise BatchError("the CSV file has no header row", "no-rows")
        wanted = [f for f in field_ids if f not in header]
        if wanted:
            missing = ", ".join(wanted)
            raise BatchError(f"the CSV file has no column for: {missing}", "missing-columns",
                             detail=missing)
        src = cls()
        for n, raw in enumerate(reader, start=2):
            if None in raw:
                raise BatchError(f"line {n}: more values than columns", "extra-values", line=n)
            row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
            if not any(row.values()):
                continue
            cin = row.pop(CIN_COLUMN, "").replace("-", "").upper()
            if cin:
                if cin in src.by_cin:
                    raise BatchError(f"line {n}: card {cin} appears twice", "duplicate-card",
                                     line=n, detail=cin)
                src.by_cin[cin] = row
            else:
                src.rows.append(row)
        if not src.rows and not src.by_cin:
            raise BatchError("the CSV file has no data rows", "no-rows")
        return src

    @property
    def per_card(self) -> bool:
        return bool(self.rows or self.by_cin)

    def remaining(self) -> int | None:
        """Rows left for cards without their own row (None: unlimited fixed values)."""
        return len(self.rows) - self._next if self.per_card else None

    def values_for(self, cin: str) -> dict[str, str]:
        """The card's values; the next unused row is taken (raises BatchError when none is left)."""
        if not self.per_card:
            return dict(self.fixed)
        key = cin.upper()
        own = self.by_cin.get(key) or self._assigned.get(key)
        if own is not None:
            return {**self.fixed, **own}
        if self._next >= len(self.rows):
            raise BatchError("no CSV row is left for this card", "no-row-left")
        row = self.rows[self._next]
        self._next += 1
        self._assigned[key] = row
        return {**self.fixed, **row}


@dataclass(frozen=True)
class BatchRow:
    time: float
    cin: str
    result: str  # success | failure | card-removed | ... | skipped
    seconds: float
    message: str = ""
    app: str = ""
    service: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)  # masked (masked_values)

    @property
    def ok(self) -> bool:
        return self.result == "success"


def is_secret(f: Any, encrypted: bool = False) -> bool:
    """True when the field's value must not be logged: its type says it is secret, it is
    marked secret or encrypted, or the whole service takes its input encrypted. `f` is an
    app.description.Field (duck-typed: this module stays free of the description)."""
    raw = getattr(f, "raw", {}) or {}
    return (encrypted or str(getattr(f, "type", "")).lower() in SECRET_TYPES
            or raw.get("secret") is True or raw.get("encrypted") is True)


def masked_values(fields: Iterable[Any], values: Mapping[str, object],
                  encrypted: bool = False) -> dict[str, str]:
    """The values as the log keeps them: a secret one as *** (an empty one stays empty)."""
    secret = {f.id for f in fields if is_secret(f, encrypted)}
    return {k: (MASK if k in secret and str(v) else str(v)) for k, v in values.items()}


def iso_time(stamp: float) -> str:
    """ISO 8601 local time with its UTC offset (2026-12-02T03:04:05+01:00)."""
    return _dt.datetime.fromtimestamp(stamp).astimezone().isoformat(timespec="seconds")


@dataclass
class BatchLog:
    rows: list[BatchRow] = field(default_factory=list)
    started: float | None = None
    _done: set[str] = field(default_factory=set)

    def already_done(self, cin: str) -> bool:
        return cin.upper() in self._done

    def add(self, row: BatchRow) -> None:
        if self.started is None:
            self.started = row.time - row.seconds
        self.rows.append(row)
        if row.ok:
            self._done.add(row.cin.upper())

    def counts(self) -> dict[str, int]:
        processed = [r for r in self.rows if r.result != "skipped"]
        return {
            "processed": len(processed),
            "ok": sum(1 for r in processed if r.ok),
            "failed": sum(1 for r in processed if not r.ok),
            "skipped": len(self.rows) - len(processed),
        }

    def cards_per_minute(self) -> float | None:
        """Cards processed per minute, from the first card's start to the last one's end;
        None until MIN_CARDS_FOR_RATE cards were processed (one card is no rate)."""
        processed = [r for r in self.rows if r.result != "skipped"]
        if len(processed) < MIN_CARDS_FOR_RATE:
            return None
        start = min(r.time - r.seconds for r in processed)
        end = max(r.time for r in processed)
        return len(processed) / (max(end - start, 1e-3) / 60)

    def field_ids(self) -> list[str]:
        """Every field id any row has, in first-seen order (the CSV's extra columns)."""
        ids: dict[str, None] = {}
        for r in self.rows:
            ids.update(dict.fromkeys(r.fields))
        return list(ids)

    def to_csv(self) -> str:
        """One line per row of the table: time (ISO 8601 with offset), card, app, service,
        result, seconds, message, then one column per field (secrets masked)."""
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        ids = self.field_ids()
        w.writerow([*LOG_COLUMNS, *(f"field:{i}" for i in ids)])
        for r in self.rows:
            w.writerow([iso_time(r.time), r.cin, r.app, r.service, r.result,
                        f"{r.seconds:.2f}", r.message, *(r.fields.get(i, "") for i in ids)])
        return out.getvalue()

    def save_csv(self, path: str | os.PathLike[str]) -> Path:
        """Writes atomically (a half-written log is worse than none)."""
        return write_atomic(path, self.to_csv(), newline="")


def fixed_values(values: Mapping[str, object]) -> dict[str, str]:
    return {k: str(v) for k, v in values.items()}
