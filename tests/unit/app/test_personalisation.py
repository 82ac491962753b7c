"""app.personalisation: per-card values from CSV, the staff log and its totals."""

from __future__ import annotations

import csv
import io
import re
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
    assert lines[0] == "time,cin,app,service,result,seconds,message" and len(lines) == 4


def test_log_rate_only_once_it_means_something() -> None:
    """Issue 18 point 9: "100.5 cards/min" after one card is no figure."""
    log = BatchLog()
    log.add(BatchRow(100.0, "A", "success", 0.6))
    assert log.cards_per_minute() is None
    log.add(BatchRow(103.0, "B", "skipped", 0.0))
    assert log.cards_per_minute() is None  # a skipped card is no card processed
    log.add(BatchRow(130.0, "C", "failure", 2.0))
    # from the first card's start (99.4) to the last one's end (130.0)
    assert log.cards_per_minute() == pytest.approx(2 / (30.6 / 60))


def test_log_csv_has_app_service_masked_fields_and_offset_times() -> None:
    from app.description import Field
    from app.personalisation import iso_time, masked_values

    fields = (Field("nickname", "edit"), Field("card", "paymentcard"), Field("pin", "pin"),
              Field("note", "edit", raw={"id": "note", "secret": True}))
    values = {"nickname": "key one", "card": "4111111111111111;12/30;123", "pin": "1234",
              "note": "x", "empty": ""}
    masked = masked_values(fields, values)
    assert masked == {"nickname": "key one", "card": "***", "pin": "***", "note": "***",
                      "empty": ""}
    assert set(masked_values(fields, values, encrypted=True).values()) == {"***", ""}
    log = BatchLog()
    log.add(BatchRow(1_800_000_000.0, "A", "success", 1.0, "ok", "73656372", "install",
                     masked))
    rows = list(csv.DictReader(io.StringIO(log.to_csv())))
    assert rows[0]["app"] == "73656372" and rows[0]["service"] == "install"
    assert rows[0]["field:nickname"] == "key one" and rows[0]["field:card"] == "***"
    assert "4111" not in log.to_csv() and "1234" not in log.to_csv()
    stamp = rows[0]["time"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", stamp)
    assert stamp == iso_time(1_800_000_000.0)
    import datetime as dt
    assert dt.datetime.fromisoformat(stamp).timestamp() == 1_800_000_000.0


def test_read_takes_a_file_with_a_byte_order_mark(tmp_path: Path) -> None:
    # spreadsheet programs save "CSV UTF-8" with a BOM; the header must still be "cin"
    path = tmp_path / "cards.csv"
    path.write_bytes("\ufeffcin,name\n0011223344556677,Åsa\n".encode())
    source = ValueSource.read(str(path), ["name"])
    assert source.by_cin == {"0011223344556677": {"name": "Åsa"}}


def test_read_of_a_missing_file_is_an_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        ValueSource.read(str(tmp_path / "nope.csv"))
