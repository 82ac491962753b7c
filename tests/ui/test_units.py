"""The UI's own small parts, without the backend: markdown, PIN store, staff batch, HTTP log,
images, fields, idle timer, i18n."""

from __future__ import annotations

import asyncio
import os
import re
import stat
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.client import Field
from tests.ui.conftest import run
from ui import markdown
from ui.httplog import HttpLog, RecordingTransport
from ui.pinstore import LOCKOUT_S, MAX_TRIES, PinError, PinStore, hash_pin, verify_hash
from ui.staff.batch import BatchError, BatchLog, BatchRow, ValueSource

# -- markdown ----------------------------------------------------------------------------
OUR_TAGS = re.compile(r"</?(p|br|b|i)>|</a>|"
                      r"<a href=\"https?://[^\"<>]*\"( style=\"color: #[0-9a-f]{6}\")?>")


def test_markdown_renders_emphasis_bold_and_safe_links() -> None:
    html = markdown.to_html("Keeps a **private key**, *safe*. "
                            "[site](https://example.com/x?a=1&b=2)")
    assert "<b>private key</b>" in html and "<i>safe</i>" in html
    assert '<a href="https://example.com/x?a=1&amp;b=2">site</a>' in html


def test_markdown_never_passes_html_or_dangerous_links_through() -> None:
    html = markdown.to_html('<script>alert(1)</script> [x](javascript:alert(1)) '
                            '[y](file:///etc/passwd) <img src=x onerror=y>')
    assert "<script" not in html and "<img" not in html
    assert "javascript:" not in html.replace("[x]", "")  # the text stays, the link does not
    assert "href" not in html
    assert "&lt;script&gt;" in html


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_markdown_output_only_has_our_tags(text: str) -> None:
    html = markdown.to_html(text, link_color="#8ecae6")
    leftover = OUR_TAGS.sub("", html)
    assert "<" not in leftover and ">" not in leftover.replace("&gt;", "")


def test_markdown_plain_text() -> None:
    assert markdown.to_plain("a **b** [c](https://x)") == "a b c"
    with pytest.raises(ValueError):
        markdown.to_html("x", link_color="red; background: url(x)")


# -- PIN store ---------------------------------------------------------------------------
def test_pin_hash_is_salted_and_verifies() -> None:
    a, b = hash_pin("1234"), hash_pin("1234")
    assert a != b and a.startswith("scrypt$")
    assert verify_hash("1234", a) and not verify_hash("1235", a)
    assert not verify_hash("1234", "garbage") and not verify_hash("1234", "md5$1$2$3$4$5")
    for bad in ("12", "12ab", "1234567890123", "١٢٣٤"):
        with pytest.raises(PinError):
            hash_pin(bad)


def test_pin_file_fallback_is_private_and_atomic(tmp_path: Path) -> None:
    store = PinStore(tmp_path, use_keyring=False)
    assert "No secure keyring" in store.warning and str(tmp_path) in store.warning
    assert not store.is_set() and not store.verify("1234")
    store.set_pin("1234")
    mode = stat.S_IMODE(os.stat(store.path).st_mode)
    assert mode == 0o600
    assert "1234" not in store.path.read_text()
    assert store.verify("1234")
    assert not list(tmp_path.glob(".*.tmp"))


def test_pin_lockout_after_wrong_tries(tmp_path: Path) -> None:
    now = [1000.0]
    store = PinStore(tmp_path, use_keyring=False, _clock=lambda: now[0])
    store.set_pin("9876")
    for _ in range(MAX_TRIES):
        assert not store.verify("0000")
    assert store.locked_for() == LOCKOUT_S
    assert not store.verify("9876")  # even the right PIN waits
    now[0] += LOCKOUT_S
    assert store.verify("9876")


class _MemoryKeyring:
    """A keyring backend keeping secrets in a dict (stands in for the OS keyring)."""

    def __init__(self) -> None:
        import keyring.backend

        class Backend(keyring.backend.KeyringBackend):
            priority = 10
            def __init__(self) -> None:
                super().__init__()
                self.store: dict[tuple[str, str], str] = {}

            def get_password(self, service: str, username: str) -> str | None:
                return self.store.get((service, username))

            def set_password(self, service: str, username: str, password: str) -> None:
                self.store[(service, username)] = password

            def delete_password(self, service: str, username: str) -> None:
                self.store.pop((service, username), None)

        self.backend = Backend()


def test_pin_goes_to_a_secure_keyring_when_there_is_one(tmp_path: Path) -> None:
    import keyring

    previous = keyring.get_keyring()
    mem = _MemoryKeyring().backend
    keyring.set_keyring(mem)
    try:
        store = PinStore(tmp_path)
        assert store.warning == "" and store.use_keyring  # decided on first use
        store.set_pin("5555")
        assert not store.path.exists()
        stored = next(iter(mem.store.values()))
        assert stored.startswith("scrypt$") and "5555" not in stored
        assert store.verify("5555")
    finally:
        keyring.set_keyring(previous)


# -- staff batch -------------------------------------------------------------------------
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


# -- HTTP log ----------------------------------------------------------------------------
def test_recording_transport_records_and_passes_through() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"ok": True, "echo": request.url.path})

    log = HttpLog(keep=2)
    seen: list[Any] = []
    log.subscribe(seen.append)

    async def go() -> Any:
        transport = RecordingTransport(log, httpx.MockTransport(handler))
        async with httpx.AsyncClient(transport=transport, base_url="http://x",
                                     headers={"Authorization": "Bearer SECRET"}) as c:
            for i in range(3):
                rsp = await c.post(f"/p{i}", json={"n": i})
                assert rsp.json()["echo"] == f"/p{i}"

    asyncio.run(go())
    assert len(seen) == 3 and len(log.exchanges) == 2  # bounded
    ex = log.exchanges[-1]
    assert (ex.method, ex.path, ex.status) == ("POST", "/p2", 200)
    assert '"n": 2' in ex.request_body and '"ok": true' in ex.response_body
    assert all("SECRET" not in str(e.to_json()) for e in log.exchanges)


# -- Qt pieces -----------------------------------------------------------------------------
def test_images_decode_and_fall_back(qapp: Any) -> None:
    from ui.images import ImageCache

    cache = ImageCache(allow_remote=False)
    svg = ("data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='10' "
           "height='10'><rect width='10' height='10' fill='red'/></svg>")
    pm = cache.pixmap(svg, 64, "Demo")
    assert pm.width() == 64 and pm.toImage().pixelColor(32, 32).red() == 255
    for bad in ("data:text/html,<b>x</b>", "data:image/png;base64,!!!", "javascript:x", "",
                None, "data:image/png;base64,AAAA"):
        fallback = cache.pixmap(bad, 48, "Zeta")
        assert fallback.width() == 48 and not fallback.isNull()
    assert cache.pixmap("https://example.invalid/logo.png", 32, "Q").width() == 32


def test_fields_form_values_and_labels(qapp: Any, qtbot: Any) -> None:
    from PySide6.QtCore import QDate

    from ui.widgets.fields import FieldsForm

    form = FieldsForm()
    qtbot.addWidget(form)
    fields = (
        Field("name", "edit", {"en": "Name", "sv": "Namn"}),
        Field("ok", "checkbox", {"en": "Agree"}),
        Field("day", "date", {"en": "Day"}),
        Field("size", "option", {"en": "Size"}, ({"en": "S"}, {"en": "L", "sv": "Stor"})),
        Field("info", "text", {"en": "Just so you know"}),
    )
    form.build(fields, "en")
    qtbot.keyClicks(form.input("name"), "Ann")
    form.input("ok").setChecked(True)
    form.input("day").setDate(QDate(2030, 1, 2))
    form._choices["size"][1].setChecked(True)
    assert form.values() == {"name": "Ann", "ok": "true", "day": "2030-01-02", "size": "1"}
    form.relabel("sv")
    assert form._labels["name"].text() == "Namn"
    assert form._choices["size"][1].text() == "Stor"
    assert form._choices["size"][0].text() == "S"  # no Swedish: English
    assert form.input("name").accessibleName() == "Namn"
    assert form.needs_input()


def test_idle_watcher_warns_then_resets(qloop: Any, qtbot: Any) -> None:
    from ui.kiosk.idle import IdleWatcher

    idle = IdleWatcher(0.6, 0.4)
    events: list[str] = []
    idle.warn.connect(lambda _s: events.append("warn"))
    idle.reset.connect(lambda: events.append("reset"))
    idle.set_enabled(True)
    qtbot.waitUntil(lambda: "reset" in events, timeout=3000)
    assert events == ["warn", "reset"] and not idle.enabled
    idle.close()


def test_language_falls_back_to_english_chrome_without_qm(qapp: Any, tmp_path: Path) -> None:
    from ui.i18n import Language, supported

    assert supported("sv_SE.UTF-8") == "sv" and supported("fi") == "en" and supported(None) == "en"
    lang = Language("en", tmp_path)  # an empty directory: no .qm at all
    lang.set("es")
    assert lang.code == "es" and "es" in lang.missing
    lang.set("en")


def test_protect_singletons_is_a_noop_or_protects() -> None:
    import sys

    import PySide6

    from ui.compat import protect_singletons

    acted = protect_singletons()
    affected = sys.version_info < (3, 12) and tuple(
        int(x) for x in PySide6.__version__.split(".")[:2]) >= (6, 12)
    assert acted == affected
    if affected:
        assert sys.getrefcount(None) > 1 << 59


def test_run_helper_returns_results(qloop: Any, qtbot: Any) -> None:
    async def f() -> int:
        await asyncio.sleep(0)
        return 7

    assert run(qtbot, f()) == 7
