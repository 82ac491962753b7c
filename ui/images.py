"""Logos and feature graphics: data URIs decoded at once, remote images fetched in the background.

Images come from App Descriptions (untrusted): app.catalog.decode_logo checks
the MIME type and size; anything unusable becomes a drawn placeholder (the
app's initial on a coloured square), never an exception. Remote images are
fetched on the asyncio loop with a size cap and announced with `ready`.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging

import httpx
from PySide6.QtCore import QByteArray, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from app.catalog import MAX_LOGO_BYTES, decode_logo

log = logging.getLogger(__name__)
_PALETTE = ("#1d3557", "#2a9d8f", "#7b2cbf", "#b5179e", "#386641", "#9c6644", "#264653")


def render_bytes(data: bytes, mime: str | None, size: int) -> QPixmap | None:
    """An image's bytes as a square pixmap of `size` px (aspect kept), or None."""
    if mime == "image/svg+xml" or data.lstrip()[:5] in (b"<svg ", b"<?xml"):
        renderer = QSvgRenderer(QByteArray(data))
        if not renderer.isValid():
            return None
        pm = QPixmap(size, size)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        renderer.render(p, QRectF(0, 0, size, size))
        p.end()
        return pm
    img = QImage()
    if not img.loadFromData(data):
        return None
    return QPixmap.fromImage(img).scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                                         Qt.TransformationMode.SmoothTransformation)


def placeholder(text: str, size: int) -> QPixmap:
    """The app's initial on a colour derived from its name: stable and readable."""
    digest = hashlib.sha256(text.encode()).digest()
    colour = QColor(_PALETTE[digest[0] % len(_PALETTE)])
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(colour)
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(QRectF(0, 0, size, size), size * 0.2, size * 0.2)
    font = QFont()
    font.setPixelSize(int(size * 0.5))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("#ffffff"))
    p.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter,
               (text.strip()[:1] or "?").upper())
    p.end()
    return pm


class ImageCache(QObject):
    """Pixmaps by (reference, size); remote references are fetched once."""

    ready = Signal(str)  # a remote reference finished loading

    def __init__(self, parent: QObject | None = None, *, allow_remote: bool = True) -> None:
        super().__init__(parent)
        self.allow_remote = allow_remote
        self._pixmaps: dict[tuple[str, int], QPixmap] = {}
        self._remote: dict[str, bytes | None] = {}  # url -> bytes (None: failed)
        self._pending: dict[str, asyncio.Task[None]] = {}

    def clear(self) -> None:
        self._pixmaps.clear()

    def pixmap(self, ref: str | None, size: int, fallback: str = "?") -> QPixmap:
        if not ref:
            return self._placeholder(fallback, size)
        key = (ref, size)
        cached = self._pixmaps.get(key)
        if cached is not None:
            return cached
        logo = decode_logo(ref)
        pm: QPixmap | None = None
        if logo is not None and logo.data is not None:
            pm = render_bytes(logo.data, logo.mime, size)
        elif logo is not None and logo.url is not None:
            data = self._remote.get(logo.url)
            if data is not None:
                pm = render_bytes(data, None, size)
            elif logo.url not in self._remote:
                self._fetch(logo.url)
                return self._placeholder(fallback, size)  # not cached: replaced when ready
        if pm is None:
            pm = self._placeholder(fallback, size)
        self._pixmaps[key] = pm
        return pm

    def _placeholder(self, text: str, size: int) -> QPixmap:
        key = (f"placeholder:{text[:1]}:{text}", size)
        pm = self._pixmaps.get(key)
        if pm is None:
            pm = self._pixmaps[key] = placeholder(text, size)
        return pm

    def _fetch(self, url: str) -> None:
        if not self.allow_remote or url in self._pending:
            self._remote.setdefault(url, None)
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._remote[url] = None
            return
        self._pending[url] = loop.create_task(self._download(url))

    async def _download(self, url: str) -> None:
        data: bytes | None = None
        try:
            async with httpx.AsyncClient(timeout=10.0, follow_redirects=True) as http, \
                    http.stream("GET", url) as rsp:
                if rsp.status_code == 200:
                    buf = bytearray()
                    async for chunk in rsp.aiter_bytes():
                        buf += chunk
                        if len(buf) > MAX_LOGO_BYTES:
                            raise ValueError("image too large")
                    data = bytes(buf)
        except (httpx.HTTPError, ValueError) as exc:
            log.info("image %s not loaded: %s", url, exc)
        self._remote[url] = data
        self._pending.pop(url, None)
        self.ready.emit(url)
