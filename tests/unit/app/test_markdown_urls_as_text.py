"""app.markdown.to_html(urls_as_text=True): the kiosk shows a link's address, never an
anchor (issue 18, point 10: a kiosk must not open a browser)."""

from __future__ import annotations

from app.markdown import to_html


def test_link_becomes_its_text_and_address() -> None:
    md = "Read more at [the demo site](https://example.com/secret)."
    assert to_html(md, urls_as_text=True) == \
        "<p>Read more at the demo site (https://example.com/secret).</p>"
    assert '<a href="https://example.com/secret">' in to_html(md)


def test_unsafe_targets_stay_unshown() -> None:
    assert to_html("[x](javascript:alert)", urls_as_text=True) == "<p>x</p>"
    out = to_html('[a <b>](https://e.com/"x)', urls_as_text=True)
    assert "<a " not in out and "<b>" not in out
