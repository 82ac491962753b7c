"""The description markdown rule, in both its homes: backend_stub/engine/markdown_links.py
(what SPs may store) and app/markdown_links.py (what the kiosk renders as links).

The refused texts are the known ways past a pattern over the source: each one is a
`javascript:` (or other) link to a CommonMark parser. The first one was accepted by the
regular expressions this rule replaced.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import app.markdown_links as app_rule
import backend_stub.engine.markdown_links as backend_rule

RULES = pytest.mark.parametrize("rule", [backend_rule, app_rule], ids=["backend", "app"])

ACCEPTED = [
    "**bold** and *em* and [site](https://example.com) and [mail](mailto:a@b.c)",
    "<https://example.com/x>", "<HTTPS://EXAMPLE.COM>", "[ref]: http://example.com",
    "[x][r]\n\n[r]: https://example.com/r 'title'", "![logo](https://example.com/l.png)",
    "no links at all", "a < b and c > d", "[not a link] (javascript:x)",
    "`[x](javascript:alert(1))` in code", "    [x](javascript:alert(1)) indented code",
    "\\[x](javascript:alert(1))",  # escaped bracket: text, not a link
]

REFUSED = {
    "nested brackets": "[a [b] c](javascript:alert(1))",
    "deeper nesting": "[a [b [c] d] e](javascript:alert(1))",
    "plain": "[x](javascript:alert(1))",
    "mixed case": "[x](JaVaScRiPt:alert(1))",
    "decimal entity": "[x](&#106;avascript:alert(1))",
    "hex entity": "[x](&#x6A;avascript:alert(1))",
    "named entity colon": "[x](javascript&colon;alert(1))",
    "entity tab inside": "[x](java&#9;script:alert(1))",
    "entity newline inside": "[x](java&#10;script:alert(1))",
    "leading control": "[x](&#1;javascript:alert(1))",
    "leading space in brackets": "[x](< javascript:alert(1)>)",
    "angle destination": "[x](<javascript:alert(1)>)",
    "autolink": "<javascript:alert(1)>",
    "autolink mixed case": "<JaVaScRiPt:alert(1)>",
    "vbscript": "[x](vbscript:msgbox(1))",
    "data": "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "file": "[x](file:///etc/passwd)",
    "relative": "[x](/relative)",
    "protocol relative": "[x](//evil.example)",
    "reference link": "[x][r]\n\n[r]: javascript:alert(1)",
    "collapsed reference": "[r][]\n\n[r]: javascript:alert(1)",
    "shortcut reference": "[r]\n\n[r]: <javascript:alert(1)>",
    "unused reference": "[r]: javascript:alert(1)",
    "image": "![x](javascript:alert(1))",
    "image data": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "link inside an image": "![[x](javascript:alert(1))](https://example.com/i.png)",
    "link in emphasis": "*[x](javascript:alert(1))*",
    "link in a list": "- a\n- [x](javascript:alert(1))",
    "link in a blockquote": "> [x](javascript:alert(1))",
    "zero-width space": "[x](java\u200bscript:alert(1))",
    "raw html inline": "hello <img src=x onerror=alert(1)>",
    "raw html block": "<div>\nhi\n</div>",
    "script": "<script>alert(1)</script>",
    "html comment": "<!-- x -->",
}


@RULES
@pytest.mark.parametrize("text", ACCEPTED)
def test_accepted(rule: object, text: str) -> None:
    assert rule.markdown_problem(text) is None  # type: ignore[attr-defined]


@RULES
@pytest.mark.parametrize("text", list(REFUSED.values()), ids=list(REFUSED))
def test_refused(rule: object, text: str) -> None:
    problem = rule.markdown_problem(text)  # type: ignore[attr-defined]
    assert problem is not None
    assert "not allowed" in problem


def test_the_refused_links_are_links_to_a_commonmark_renderer() -> None:
    # the cases are real: markdown-it-py's own renderer (its unsafe-link filter off, as in
    # renderers without one) makes an anchor or an image of each link case
    md = MarkdownIt("commonmark")
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    for name, text in REFUSED.items():
        if "html" in name or name in ("script", "unused reference"):
            continue
        out = md.render(text)
        assert "<a href=" in out or "<img src=" in out, (name, out)


def test_problems_name_the_link() -> None:
    problem = backend_rule.markdown_problem("[a [b] c](javascript:alert(1))")
    assert problem is not None and "'javascript:alert(1)'" in problem
    assert "raw HTML" in (backend_rule.markdown_problem("<b>x</b>") or "")


@given(st.text(alphabet=st.sampled_from(list("[]()<>!:&#;*_\\` \n\tjavscrpthx/.")),
               max_size=60))
def test_both_homes_give_the_same_verdict(text: str) -> None:
    assert backend_rule.markdown_problem(text) == app_rule.markdown_problem(text)


def test_both_homes_hold_the_same_code() -> None:
    import inspect

    def code(module: object) -> str:
        source = inspect.getsource(module)  # type: ignore[arg-type]
        return source.split('"""', 2)[2]  # everything after the module docstring

    assert code(backend_rule) == code(app_rule)
