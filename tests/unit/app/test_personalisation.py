"""app.personalisation: per-card values from CSV, the staff log and its totals."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.personalisation import BatchError, BatchLog, BatchRow, ValueSource


def test_value_source_rows_in_order_and_by_cin() -> None:
    src = ValueSource.from_csv("cin,nickname\n,first\nAABB-CC,mine\n,second\n", ["nickname"])
    assert src.values_for("AABBCC") == {"nickname": "mine"}
    assert src.values_for("01") == {"nickname": "first"}
    assert src.values_for("01") == {"nickname": "first"}  # a retried card keeps its row
    assert src.values_for("02") == {"nickname": "second"}
    with pytest.raises(BatchError, match="no CSV row is left"):
        src.values_for("03")


@pytest.mark.parametrize("text, message", [
    ("", "no header"),
    ("other\nx\n", "no column for: nickname"),
    ("nickname\n", "no data rows"),
    ("nickname\na,b\n", "more values than columns"),
    ("cin,nickname\n01,a\n01,b\n", "appears twice"),
])
def test_value_source_rejects_bad_csv(text: str, message: str) -> None:
    with pytest.raises(BatchError, match=message):
        ValueSource.from_csv(text, ["nickname"])


def test_batch_log_counts_rate_and_csv(tmp_path: Path) -> None:
    log = BatchLog()
    log.add(BatchRow(100.0, "A", "success", 2.0))
    log.add(BatchRow(104.0, "B", "card-removed", 1.0, "card removed"))
    log.add(BatchRow(108.0, "A", "skipped", 0.0))
    assert log.counts() == {"processed": 2, "ok": 1, "failed": 1, "skipped": 1}
    assert log.already_done("a") and not log.already_done("B")
    assert log.cards_per_minute() == pytest.approx(2 / (6 / 60))
    path = log.save_csv(tmp_path / "log.csv")
    lines = path.read_text().splitlines()
    assert lines[0] == "time,cin,result,seconds,message" and len(lines) == 4
