"""The kiosk's markdown renderer follows the description rule (app/markdown_links.py):
a text a CommonMark parser would make a script link of gets no anchors at all, shown in a
real QLabel as the kiosk shows descriptions."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app import markdown
from tests.unit.test_markdown_links import REFUSED

GOOD = "Read [the terms](https://example.com/terms) first."


@pytest.mark.parametrize("bad", [v for k, v in REFUSED.items() if "html" not in k],
                         ids=[k for k in REFUSED if "html" not in k])
def test_a_refused_text_renders_no_anchor(qtbot, bad: str) -> None:  # type: ignore[no-untyped-def]
    html = markdown.to_html(f"{GOOD}\n\n{bad}")
    assert "<a " not in html and "href" not in html
    assert "the terms" in html  # the text stays, as text
    label = QLabel()
    qtbot.addWidget(label)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setText(html)
    assert "href" not in label.text()


def test_a_text_that_passes_keeps_its_links(qtbot) -> None:  # type: ignore[no-untyped-def]
    html = markdown.to_html(GOOD)
    assert '<a href="https://example.com/terms">the terms</a>' in html
    assert markdown.to_html(GOOD, links=False).count("<a ") == 0
