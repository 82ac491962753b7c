"""app.markdown: basic markdown as safe QLabel rich text, or as plain text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import markdown
from app.i18n import pick

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



def test_markdown_for_a_terminal() -> None:
    description = {"en": "Keeps a **key**. See [site](https://example.com)."}
    assert markdown.to_plain(pick(description), show_urls=True) == \
        "Keeps a key. See site <https://example.com>."
    assert markdown.to_plain("*a* and __b__ and snake_case_name", show_urls=True) == \
        "a and b and snake_case_name"
    # a target the description rule refuses is not printed (the label stays)
    assert markdown.to_plain("[x](javascript:void) and [m](mailto:a@b.c)", show_urls=True) == \
        "x and m <mailto:a@b.c>"
