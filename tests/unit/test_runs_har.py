"""app/runs.py alignment and app/har.py masking, on hand-made entries and exchanges."""

from __future__ import annotations

import json

from app import har
from app.exchanges import Exchange, mask_headers, mask_text, mask_url
from app.runs import Diff, compare
from app.trace import TraceEntry


def _e(direction: str, name: str, hexdata: str, sw: int | None = None) -> TraceEntry:
    return TraceEntry(0.0, direction, bytes.fromhex(hexdata), name, sw)


def test_compare_aligns_by_command_and_marks_what_differs() -> None:
    left = [_e(">>", "SELECT", "00A4040000"), _e("<<", "SELECT", "9000", 0x9000),
            _e(">>", "INITIALIZE UPDATE", "8050000008" + "11" * 8),
            _e(">>", "DELETE", "80E40000"), _e(">>", "GET STATUS", "80F2")]
    right = [_e(">>", "SELECT", "00A4040000"), _e("<<", "SELECT", "6A82", 0x6A82),
             _e(">>", "INITIALIZE UPDATE", "8050000008" + "22" * 8),
             _e(">>", "GET STATUS", "80F2"), _e(">>", "PUT KEY", "80D8")]
    rows = compare(left, right)
    assert [(r.left.name if r.left else None, r.right.name if r.right else None, r.kind)
            for r in rows] == [
        ("SELECT", "SELECT", Diff.SAME), ("SELECT", "SELECT", Diff.CHANGED),
        ("INITIALIZE UPDATE", "INITIALIZE UPDATE", Diff.CHANGED),
        ("DELETE", None, Diff.LEFT_ONLY), ("GET STATUS", "GET STATUS", Diff.SAME),
        (None, "PUT KEY", Diff.RIGHT_ONLY)]


def test_masking_of_headers_urls_and_bodies() -> None:
    assert mask_headers([("Authorization", "Bearer abc"), ("Accept", "x"),
                         ("X-Device-Token", "t")]) == (
        ("Authorization", "***"), ("Accept", "x"), ("X-Device-Token", "***"))
    assert mask_url("http://u:pw@h:1/p?token=abc&x=1") == "http://h:1/p?token=%2A%2A%2A&x=1"
    body = json.loads(mask_text(b'{"deviceToken": "abc", "nested": [{"pin": "1234"}],'
                                b' "cin": "01"}', 10_000))
    assert body == {"deviceToken": "***", "nested": [{"pin": "***"}], "cin": "01"}
    assert mask_text(b"Authorization: Bearer abc.def", 100) == "Authorization: Bearer ***"


def test_har_of_an_old_record_completes_the_url_and_masks_the_body() -> None:
    ex = Exchange(1_700_000_000.25, "POST", "/v3/x?a=1", 201, 12.5, '{"token": "s3"}', "{}")
    doc = har.build([ex], "http://127.0.0.1:8/")
    entry = doc["log"]["entries"][0]
    assert entry["startedDateTime"] == "2023-11-14T22:13:20.250Z"
    assert entry["request"]["url"] == "http://127.0.0.1:8/v3/x?a=1"
    assert entry["request"]["queryString"] == [{"name": "a", "value": "1"}]
    assert entry["response"]["statusText"] == "Created"
    assert "s3" not in json.dumps(doc)
