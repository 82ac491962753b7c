"""app.i18n: multilanguage strings and the language fallback."""

from __future__ import annotations

import pytest

from app.i18n import MLString, candidates, negotiate, normalize, pick, text

ML = {"en": "Hello", "sv": "Hej", "de-CH": "Grüezi"}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("sv", "Hej"), ("sv-SE", "Hej"), ("sv_SE.UTF-8", "Hej"), ("fi", "Hello"), (None, "Hello"),
     ("de", "Grüezi"), ("DE-ch", "Grüezi"), ("en-GB", "Hello")],
)
def test_pick_requested_then_base_then_en(lang: str | None, expected: str) -> None:
    assert pick(ML, lang) == expected


def test_pick_first_when_no_english() -> None:
    assert pick({"sv": "Hej", "es": "Hola"}, "fi") == "Hej"
    assert pick({}, "sv") == ""
    assert pick(None) == ""
    assert pick("plain", "sv") == "plain"
    assert pick({"en": 3, "sv": "Hej"}, "en") == "Hej"  # non-strings are not texts


def test_new_translation_form_with_params() -> None:
    value = {"id": "service.statuses.success", "text": "Installed {0} on {1}",
             "params": ["app", "card"]}
    assert pick(value, "sv") == "Installed app on card"
    assert pick({"id": "x", "text": "{0} {5}", "params": ["a"]}) == "a {5}"


def test_language_helpers() -> None:
    assert normalize("sv_SE.UTF-8") == "sv-se"
    assert candidates("sv-SE") == ["sv-se", "sv", "en"]
    assert negotiate([], "sv") is None
    assert negotiate(["sv-FI", "en"], "sv") == "sv-FI"
    assert text("action.install", "sv") == "Installera"
    assert text("no.such.key", "sv") == "no.such.key"


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (ML, "sv-SE", "Hej"),
    (ML, "fi", "Hello"),
    ({"sv": "Hej", "es": "Hola"}, "fi", "Hej"),
    ("plain", "sv", "plain"),
    ({"id": "x", "text": "Installed {0}", "params": ["app"]}, "sv", "Installed app"),
    ({"en": 3, "sv": "Hej"}, "en", "Hej"),
    (None, "en", ""),
    (42, "en", ""),
])
def test_multilanguage_string_picks_as_pick_does(value: object, lang: str,
                                                 expected: str) -> None:
    ml = MLString.of(value)
    assert ml.pick(lang) == expected == pick(value, lang)
    assert pick(ml, lang) == expected  # an MLString is a multilanguage value too
    assert bool(ml) is bool(expected)


def test_multilanguage_string_is_a_value() -> None:
    a = MLString.of({"en": "Hello", "sv": "Hej"})
    assert a == MLString.of({"en": "Hello", "sv": "Hej"}) and hash(a) == hash(MLString.of(a))
    assert MLString.of(a) is a
    assert MLString() == MLString.of({}) == MLString.of("") and not MLString()
