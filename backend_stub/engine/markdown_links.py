"""The markdown rule for App and Service Descriptions: links and images only to http,
https or mailto URLs, and no raw HTML.

The text is parsed as CommonMark (markdown-it-py), the way the renderers that show it
parse it, and every link target, image source and reference definition of the token
stream is checked: a pattern over the source cannot see what a parser makes of nested
brackets (`[a [b] c](javascript:...)`), entities (`&#106;avascript:`), autolinks or
reference links. The parser's own link filter is switched off so that every target is
seen here, decoded as a renderer would decode it.

The same rule lives in app/markdown_links.py for the kiosk's renderer (backend_stub and
app import nothing of each other); tests/unit/test_markdown_links.py holds both to the
same verdicts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_LINK_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_HIDDEN = ("Cc", "Cf", "Zs", "Zl", "Zp")  # controls, invisible formatting, spaces


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark")  # raw HTML on, as CommonMark renderers have it
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # see every target
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]  # as decoded
    return md


def link_problem(url: str) -> str | None:
    """Why `url` may not be a link or image target, or None when it may."""
    if any(unicodedata.category(c) in _HIDDEN for c in url):
        return (f"link {url!r} is not allowed: it holds whitespace or a control character "
                "(percent-encode it)")
    m = _SCHEME.match(url)
    if not m or m.group(1).lower() not in ALLOWED_LINK_SCHEMES:
        return (f"link {url!r} is not allowed: links must be absolute http, https or mailto "
                "URLs")
    return None


def _walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def markdown_problem(text: str) -> str | None:
    """Why `text` is not allowed as description markdown, or None when it is."""
    env: dict[str, Any] = {}
    tokens = _parser().parse(text, env)
    for token in _walk(tokens):
        if token.type in ("html_block", "html_inline"):
            return "raw HTML is not allowed in descriptions (basic markdown only)"
        if token.type == "link_open":
            problem = link_problem(str(token.attrs.get("href", "")))
        elif token.type == "image":
            problem = link_problem(str(token.attrs.get("src", "")))
        else:
            continue
        if problem:
            return problem
    for ref in env.get("references", {}).values():  # even one no link uses
        problem = link_problem(str(ref.get("href", "")))
        if problem:
            return problem
    return None
