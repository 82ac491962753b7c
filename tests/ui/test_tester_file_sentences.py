"""Issue 18 point 1 for the tester's files: Save (trace, HTTP exchanges, GlobalPlatformPro
log) and Open (a GlobalPlatformPro log) say a translated sentence with the next step, and
the technical detail in parentheses (the system's reason, the exception's name), as
ui/usertext.py's `technical_sentence` does; never an exception's raw English text alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.ui.helpers import shown
from ui.tester import panel as tester


@pytest.fixture
def blocker(tmp_path: Path) -> Path:
    path = tmp_path / "not-a-folder"
    path.write_text("x")  # a "folder" that is a file: even root cannot write into it
    return path


def _panel(make_ctx: Any, qtbot: Any, language: str = "en") -> Any:
    ctx = make_ctx(virtual_present=True, kiosk=False, language=language)
    return shown(qtbot, tester.TesterPanel(ctx), exposed=False)


def test_tester_save_errors_are_sentences_with_the_detail(make_ctx: Any, qtbot: Any,
                                                           blocker: Path) -> None:
    panel = _panel(make_ctx, qtbot)
    why = "(Not a directory, NotADirectoryError)"
    target = blocker / "trace.txt"
    assert panel.save_trace(str(target), "txt") is None
    assert panel.status.text() == (f"The trace could not be saved to {target}. Choose another "
                                   f"folder or name. {why}")
    har = blocker / "run.har"
    assert panel.save_har(str(har)) is None
    assert panel.status.text() == (f"The HTTP exchanges could not be saved to {har}. Choose "
                                   f"another folder or name. {why}")
    log = blocker / "run.txt"
    assert panel.gpp.save(str(log)) is None
    assert panel.gpp.status.text() == (f"The GlobalPlatformPro log could not be saved to {log}. "
                                       f"Choose another folder or name. {why}")


def test_tester_open_errors_are_sentences_with_the_detail(make_ctx: Any, qtbot: Any,
                                                           tmp_path: Path) -> None:
    panel = _panel(make_ctx, qtbot)
    gone = tmp_path / "gone.txt"
    assert not panel.gpp.open(str(gone))
    assert panel.gpp.status.text() == (f"The file {gone} could not be read. Choose another "
                                       "file. (No such file or directory, FileNotFoundError)")
    notes = tmp_path / "notes.txt"
    notes.write_text("a shopping list\n", encoding="utf-8")
    assert not panel.gpp.open(str(notes))
    text = panel.gpp.status.text()
    assert text.startswith(f"The file {notes} is not a GlobalPlatformPro log (the output of "
                           "gp -d). Choose another file. (no A>> command lines"), text
    assert text.endswith(", GppFormatError)") and text.count(str(notes)) == 1, text


def test_tester_file_sentences_are_translated(make_ctx: Any, qtbot: Any, blocker: Path,
                                              tmp_path: Path) -> None:
    panel = _panel(make_ctx, qtbot, "de")
    target = blocker / "trace.txt"
    assert panel.save_trace(str(target), "txt") is None
    assert panel.status.text().startswith(
        f"Der Ablauf konnte nicht unter {target} gespeichert werden. Wählen Sie einen anderen "
        "Ordner oder Namen. (")
    notes = tmp_path / "notes.txt"
    notes.write_text("a shopping list\n", encoding="utf-8")
    assert not panel.gpp.open(str(notes))
    assert panel.gpp.status.text().startswith(f"Die Datei {notes} ist kein GlobalPlatformPro-Log")
