"""Translations are complete and consistent; the entry point starts and reaches its first frame."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from ui.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "ui" / "translations"
PLACEHOLDER = re.compile(r"%(?:n|\d)")


def _messages(path: Path) -> list[ET.Element]:
    return list(ET.parse(path).getroot().iter("message"))


def _sources_in_code(tmp_path: Path) -> set[str]:
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    out = tmp_path / "probe.ts"
    files = sorted(str(p.relative_to(ROOT / "ui")) for p in (ROOT / "ui").rglob("*.py"))
    subprocess.run([str(lupdate), *files, "-ts", str(out)], cwd=ROOT / "ui", check=True,
                   capture_output=True)
    return {m.findtext("source") or "" for m in _messages(out)}


@pytest.mark.parametrize("lang", [c for c in LANGUAGES if c != "en"])
def test_translation_is_complete_and_keeps_placeholders(lang: str, tmp_path: Path) -> None:
    path = TS / f"touchpoint_{lang}.ts"
    messages = _messages(path)
    in_ts = {m.findtext("source") or "" for m in messages}
    assert _sources_in_code(tmp_path) <= in_ts, "run lupdate: strings in the code are missing"
    for m in messages:
        tr = m.find("translation")
        assert tr is not None and tr.get("type") not in ("unfinished",), m.findtext("source")
        src = m.findtext("source") or ""
        forms = [f.text or "" for f in tr.findall("numerusform")] or [tr.text or ""]
        for text in forms:
            assert text.strip(), src
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(src)), \
                (lang, src, text)


def test_english_plural_forms(tmp_path: Path) -> None:
    messages = _messages(TS / "touchpoint_en.ts")
    assert messages and all(m.get("numerus") == "yes" for m in messages)
    for m in messages:
        forms = [f.text for f in m.find("translation").findall("numerusform")]  # type: ignore[union-attr]
        assert len(forms) == 2 and all("%n" in (f or "") for f in forms)


def test_main_starts_and_draws_the_attract_screen(home: Path, qm_dir: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TOUCHPOINT_HOME=str(home),
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
               TOUCHPOINT_QM_DIR=str(qm_dir))
    code = "import sys; from ui.main import main; sys.exit(main(sys.argv[1:]))"
    rsp = subprocess.run([sys.executable, "-c", code, "--kiosk", "--no-pcsc", "--lang", "sv",
                          "--exit-after-first-frame"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60)
    assert rsp.returncode == 0, rsp.stderr
    assert re.search(r"^first-frame \d+\.\d+$", rsp.stdout, re.M), rsp.stdout


@pytest.mark.parametrize("given, status", [("4321\n4321\n", 0), ("4321\n1234\n", 1),
                                           ("12\n12\n", 1), ("", 1)])
def test_set_staff_pin_from_a_script(tmp_path: Path, given: str, status: int) -> None:
    from app.pinstore import PinStore

    env = dict(os.environ, TOUCHPOINT_HOME=str(tmp_path),
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    code = "import sys; from ui.main import main; sys.exit(main(sys.argv[1:]))"
    rsp = subprocess.run([sys.executable, "-c", code, "--set-staff-pin"], cwd=ROOT, env=env,
                         input=given, capture_output=True, text=True, timeout=60)
    assert rsp.returncode == status, rsp.stderr
    store = PinStore(tmp_path, use_keyring=False)
    assert store.is_set() == (status == 0)
    if status == 0:
        assert store.verify("4321")
        assert "readable only by this user" in rsp.stderr  # the no-keyring warning is said


def test_desktop_window_gives_the_reader_to_one_mode_at_a_time(make_ctx: Any,
                                                               qtbot: Any) -> None:
    from ui.windows import DesktopWindow

    ctx = make_ctx(virtual_present=True, kiosk=False)
    window = DesktopWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.kiosk.active
    window.show_tab("tester")
    assert not window.kiosk.active
    window.show_tab("staff")
    assert window.staff_stack.currentWidget() is window.gate
    assert window.gate.setup.isVisible() or window.gate.pinpad.isVisible()
    window.show_tab("card")
    assert window.kiosk.active
