"""Basic markdown (emphasis, bold, links, paragraphs) as the HTML subset QLabel shows, or as text.

App and service descriptions come from Service Providers, so they are
untrusted: everything is HTML-escaped first and only the constructs we build
ourselves become tags. Links keep their text; only http(s) targets become
anchors (a `javascript:` or `file:` target is shown as plain text), and the
kiosk never opens them anyway. A text the description rule refuses
(app/markdown_links.py: what a CommonMark parser would make a link or image of,
checked as the backend checks it) gets no anchors at all.
"""

from __future__ import annotations

import html
import re

from app.markdown_links import link_problem, markdown_problem

_LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\s]*)\)")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM = re.compile(r"(?<![*\w])([*_])(?=\S)(.+?)(?<=\S)\1(?![*\w])")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$", re.IGNORECASE)
_PLACEHOLDER = "\x00{}\x00"


def _inline(text: str, links: bool, link_color: str | None = None,
            urls_as_text: bool = False) -> str:
    anchors: list[str] = []
    text = text.replace("\x00", "")  # our placeholder marker cannot come from the input

    def link(m: re.Match[str]) -> str:
        label, url = m.group(1), m.group(2)
        if links and _SAFE_URL.match(url) and link_problem(url) is None:
            style = f' style="color: {link_color}"' if link_color else ""
            anchors.append(f'<a href="{html.escape(url, quote=True)}"{style}>'
                           f"{html.escape(label or url)}</a>")
        elif urls_as_text and label and _SAFE_URL.match(url) and link_problem(url) is None:
            anchors.append(html.escape(f"{label} ({url})"))  # the address, to read
        else:
            anchors.append(html.escape(label or url))
        return _PLACEHOLDER.format(len(anchors) - 1)

    out = _LINK.sub(link, text)
    out = html.escape(out, quote=False)
    out = _BOLD.sub(r"<b>\2</b>", out)
    out = _EM.sub(r"<i>\2</i>", out)
    return re.sub("\x00(\\d+)\x00", lambda m: anchors[int(m.group(1))], out)


def to_html(md: str, *, links: bool = True, link_color: str | None = None,
            urls_as_text: bool = False) -> str:
    """Safe rich text for a QLabel; blank lines separate paragraphs. `urls_as_text` (the
    kiosk: no browser to open) writes a link as its text and its address, `text (url)`."""
    if link_color is not None and not _COLOR.match(link_color):
        raise ValueError("link_color must be #rrggbb")
    allowed = markdown_problem(md) is None
    links = links and not urls_as_text and allowed
    urls_as_text = urls_as_text and allowed
    paragraphs = [p for p in re.split(r"\n\s*\n", md.replace("\r\n", "\n").strip()) if p]
    parts = []
    for p in paragraphs:
        lines = [_inline(line.strip(), links, link_color, urls_as_text)
                 for line in p.split("\n")]
        parts.append("<p>" + "<br>".join(lines) + "</p>")
    return "".join(parts)


def to_plain(md: str, *, show_urls: bool = False) -> str:
    """The text without markup (accessible descriptions, logs); `show_urls` keeps a link's
    target after its text, `text <url>`, for a terminal where nothing can be clicked, when
    the description rule allows that target."""

    def link(m: re.Match[str]) -> str:
        label, url = m.group(1), m.group(2)
        if show_urls and url and link_problem(url) is None:
            return f"{label} <{url}>" if label else url
        return label or url

    out = _LINK.sub(link, md)
    out = _BOLD.sub(r"\2", out)
    return _EM.sub(r"\2", out)
