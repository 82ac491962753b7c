"""Which readers exist and which one to use.

Default choice (no `--reader`, no $TOUCHPOINT_READER): a PC/SC reader with a
card in it (when several hold one, the first whose card answers the platform's
SELECT, as fdsm chooses; app/readers/probe.py), then an NFC frontend with a
card, then the embedded virtual card. A pattern
picks the reader whose name equals it, else the only one containing it
(case-insensitive); `virtual` always means the embedded card.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from app.errors import ReaderError
from app.readers.base import Reader, ReaderKind
from app.readers.virtual import VIRTUAL_READER_NAME


@dataclass(frozen=True)
class ReaderInfo:
    name: str
    kind: ReaderKind
    card_present: bool | None  # None: unknown until polled (NFC)

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "kind": self.kind.value, "cardPresent": self.card_present}


def nfc_name(path: str) -> str:
    return f"NFC {path}"


def list_readers(*, nfc_paths: Sequence[str] = (), include_virtual: bool = True,
                 pcsc: bool = True) -> list[ReaderInfo]:
    out: list[ReaderInfo] = []
    if pcsc:
        from app.readers.pcsc import card_present_now
        from app.readers.pcsc import list_readers as pcsc_names

        for name in pcsc_names():
            out.append(ReaderInfo(name, ReaderKind.PCSC, card_present_now(name)))
    for path in nfc_paths:
        out.append(ReaderInfo(nfc_name(path), ReaderKind.NFC, None))
    if include_virtual:
        out.append(ReaderInfo(VIRTUAL_READER_NAME, ReaderKind.VIRTUAL, True))
    return out


def _match(infos: list[ReaderInfo], pattern: str) -> ReaderInfo:
    pat = pattern.casefold()
    if pat in ("virtual", "cardsim"):
        for info in infos:
            if info.kind is ReaderKind.VIRTUAL:
                return info
    exact = [i for i in infos if i.name.casefold() == pat]
    if exact:
        return exact[0]
    partial = [i for i in infos if pat in i.name.casefold()]
    if len(partial) == 1:
        return partial[0]
    names = ", ".join(repr(i.name) for i in (partial or infos)) or "none"
    if partial:
        raise ReaderError(f"--reader {pattern!r} matches several readers: {names}")
    raise ReaderError(f"no reader matches {pattern!r}; readers: {names}")


def open_reader(pattern: str | None = None, *, nfc_paths: Sequence[str] = (),
                virtual_card: str | os.PathLike[str] | None = None,
                allow_virtual: bool = True, pcsc: bool = True) -> Reader:
    """Creates the chosen reader (its worker thread starts now)."""
    infos = list_readers(nfc_paths=nfc_paths, include_virtual=allow_virtual, pcsc=pcsc)
    if pattern:
        chosen = _match(infos, pattern)
    else:
        with_card = [i for i in infos if i.kind is ReaderKind.PCSC and i.card_present]
        nfc = [i for i in infos if i.kind is ReaderKind.NFC]
        virtual = [i for i in infos if i.kind is ReaderKind.VIRTUAL]
        candidates = with_card or nfc or virtual
        if not candidates:
            raise ReaderError("no reader with a card, and the virtual card is disabled")
        chosen = candidates[0]
        if len(with_card) > 1:
            from app.readers.probe import prefer_platform

            best = prefer_platform([i.name for i in with_card])
            chosen = next(i for i in with_card if i.name == best)
    if chosen.kind is ReaderKind.PCSC:
        from app.readers.pcsc import PcscReader

        return PcscReader(chosen.name)
    if chosen.kind is ReaderKind.NFC:
        from app.readers.nfc import NfcReader

        return NfcReader(chosen.name[len("NFC "):], name=chosen.name)
    from app.readers.virtual import VirtualReader

    return VirtualReader(path=virtual_card)
