"""Multilanguage strings and the touch point's own short texts.

Backend strings are objects keyed by language tag (`{"en": ..., "sv": ...}`)
or the newer `{"id", "text", "params"}` form (reference/fidesmo-api.md 4.1).
The rule everywhere: the requested language, then its base language
(`sv-SE` -> `sv`), then `en`, then the first one there is.
"""

from __future__ import annotations

import locale
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

FALLBACK = "en"
_PLACEHOLDER = re.compile(r"\{(\d+)\}")


def normalize(tag: str | None) -> str | None:
    """`sv_SE.UTF-8` -> `sv-se`; None or empty -> None."""
    if not tag:
        return None
    tag = tag.split(".")[0].split("@")[0].replace("_", "-").strip().lower()
    return tag or None


def system_language() -> str:
    """The user's language from the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value and value not in ("C", "POSIX"):
            first = normalize(value.split(":")[0])
            if first:
                return first
    try:
        loc = locale.getlocale()[0]
    except ValueError:
        loc = None
    return normalize(loc) or FALLBACK


def candidates(requested: str | None) -> list[str]:
    """Lookup order for a requested language."""
    out: list[str] = []
    tag = normalize(requested)
    if tag:
        out.append(tag)
        base = tag.split("-")[0]
        if base != tag:
            out.append(base)
    if FALLBACK not in out:
        out.append(FALLBACK)
    return out


def negotiate(available: Iterable[str], requested: str | None) -> str | None:
    """The key of `available` to use for `requested`, or None when there is none."""
    keys = list(available)
    if not keys:
        return None
    lowered = {normalize(k) or k: k for k in keys}
    tag = normalize(requested)
    for lang in ([tag] if tag else []) + [FALLBACK]:
        base = lang.split("-")[0]
        for cand in dict.fromkeys([lang, base]):
            if cand in lowered:
                return lowered[cand]
        # a regional variant of the base language ("sv" asked, only "sv-FI" there)
        for norm, key in lowered.items():
            if norm.split("-")[0] == base:
                return key
    return keys[0]


@dataclass(frozen=True)
class MLString:
    """A multilanguage string, whichever form the backend sent it in.

    `texts` holds (language tag, text) pairs of the classic form; the newer
    `{"id", "text", "params"}` form and a plain string become one pair with
    the tag "" (their text is the same in every language).
    """

    texts: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, value: Any) -> MLString:
        """From JSON (a language-keyed object, the newer form, a string) or an MLString;
        anything else is no text at all."""
        if isinstance(value, MLString):
            return value
        text = pick(value)
        if isinstance(value, Mapping) and not _is_template(value):
            return cls(tuple((k, v) for k, v in value.items()
                             if isinstance(k, str) and isinstance(v, str)))
        return cls((("", text),)) if text else cls()

    def pick(self, language: str | None = None) -> str:
        """The text for `language` (its base language, then en, then the first)."""
        if not self.texts:
            return ""
        texts = dict(self.texts)
        key = negotiate(texts.keys(), language)
        return texts[key] if key is not None else ""

    def __bool__(self) -> bool:
        return any(text for _tag, text in self.texts)


def _is_template(value: Mapping[Any, Any]) -> bool:
    """The newer form: `{"id", "text", "params"}` (reference/fidesmo-api.md 4.1)."""
    return isinstance(value.get("text"), str) and ("id" in value or "params" in value)


def pick(value: Any, language: str | None = None) -> str:
    """The text of a multilanguage value for `language`; "" for nothing usable."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, MLString):
        return value.pick(language)
    if isinstance(value, Mapping):
        if _is_template(value):
            return format_params(value["text"], value.get("params"))
        texts = {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}
        key = negotiate(texts.keys(), language)
        return texts[key] if key is not None else ""
    return ""


def format_params(text: str, params: Any) -> str:
    """`{0}`-style placeholders of the newer translation form."""
    if not isinstance(params, list):
        return text

    def sub(m: re.Match[str]) -> str:
        i = int(m.group(1))
        return str(params[i]) if i < len(params) else m.group(0)

    return _PLACEHOLDER.sub(sub, text)


# The touch point's own short texts (labels of actions, states, outcomes).
_TEXTS: dict[str, dict[str, str]] = {
    "action.install": {"en": "Install", "sv": "Installera", "de": "Installieren",
                       "es": "Instalar"},
    "action.uninstall": {"en": "Uninstall", "sv": "Avinstallera", "de": "Deinstallieren",
                         "es": "Desinstalar"},
    "action.repair": {"en": "Repair", "sv": "Reparera", "de": "Reparieren", "es": "Reparar"},
    "action.suspend": {"en": "Suspend", "sv": "Pausa", "de": "Sperren", "es": "Suspender"},
    "action.unsuspend": {"en": "Unsuspend", "sv": "Återaktivera", "de": "Entsperren",
                         "es": "Reactivar"},
    "state.NotInstalled": {"en": "Not installed", "sv": "Inte installerad",
                           "de": "Nicht installiert", "es": "No instalada"},
    "state.Installed": {"en": "Installed", "sv": "Installerad", "de": "Installiert",
                        "es": "Instalada"},
    "state.Suspended": {"en": "Suspended", "sv": "Pausad", "de": "Gesperrt",
                        "es": "Suspendida"},
    "state.Unstable": {"en": "Needs repair", "sv": "Behöver lagas",
                       "de": "Muss repariert werden", "es": "Necesita reparación"},
    "outcome.card-removed": {"en": "The card was removed", "sv": "Kortet togs bort",
                             "de": "Die Karte wurde entfernt", "es": "Se retiró la tarjeta"},
    "outcome.cancelled": {"en": "Cancelled", "sv": "Avbrutet", "de": "Abgebrochen",
                          "es": "Cancelado"},
}


def text(key: str, language: str | None = None) -> str:
    """One of the touch point's own texts; the key itself when unknown."""
    entry = _TEXTS.get(key)
    return pick(entry, language) if entry else key
