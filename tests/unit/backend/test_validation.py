"""App Description, Service Description, recipe and operation-body validation."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend_stub.engine.requests import parse_action
from backend_stub.engine.validation import (
    check_app_description,
    check_markdown,
    check_ml_string,
    check_recipe,
    check_service_description,
    ml_from_message,
)
from backend_stub.errors import ApiError

SERVICES = {"install", "uninstall", "suspend", "unsuspend"}


def refused(fn: Any, *args: Any) -> ApiError:
    with pytest.raises(ApiError) as info:
        fn(*args)
    assert info.value.status == 400
    return info.value


def test_ml_strings() -> None:
    assert check_ml_string({"en": "a", "sv-SE": "b"}, "name") == {"en": "a", "sv-SE": "b"}
    assert refused(check_ml_string, {}, "name").field == "name"
    # a plain string is what the platform accepts too (fdsm RecipeGenerator.java
    # makeInstallRecipe: description.title is a plain string)
    assert check_ml_string("plain", "name") == {"en": "plain"}
    assert refused(check_ml_string, 7, "name").field == "name"
    assert refused(check_ml_string, "x" * 20_001, "name").field == "name.en"
    assert refused(check_ml_string, {"en": 1}, "name").field == "name.en"
    assert refused(check_ml_string, {"english!": "x"}, "t").field == "t.english!"
    assert ml_from_message("done", "m") == {"en": "done"}


@pytest.mark.parametrize("text", [
    "**bold** and *em* and [site](https://example.com) and [mail](mailto:a@b.c)",
    "<https://example.com/x>", "[ref]: http://example.com", "no links at all",
])
def test_markdown_accepted(text: str) -> None:
    check_markdown(text, "d")


@pytest.mark.parametrize("text", [
    "[x](javascript:alert(1))", "[x](file:///etc/passwd)", "[x](/relative)",
    "[x](data:text/html,hi)", "<img src=x onerror=y>", "<javascript:alert(1)>",
    "[ref]: ftp://example.com",
])
def test_markdown_refused(text: str) -> None:
    assert refused(check_markdown, text, "description.en").field == "description.en"


@given(st.text(max_size=200))
def test_markdown_check_only_raises_api_errors(text: str) -> None:
    try:
        check_markdown(text, "d")
    except ApiError as exc:
        assert exc.status == 400 and exc.field == "d"


def test_app_description_rules() -> None:
    good = {"name": {"en": "A"}, "installServices": ["install"], "uninstallService": "uninstall",
            "suspendService": "suspend", "unsuspendService": "unsuspend",
            "serviceDeliveryUrl": "https://sp.example/service/", "vat": 25, "currency": "SEK"}
    desc, settings = check_app_description(good, SERVICES)
    assert "serviceDeliveryUrl" not in desc
    assert settings == {"serviceDeliveryUrl": "https://sp.example/service", "vat": 25,
                        "currency": "SEK"}
    no_unsuspend = {k: v for k, v in good.items() if k != "unsuspendService"}
    assert refused(check_app_description, no_unsuspend, SERVICES).field == "unsuspendService"
    missing = {**good, "installServices": ["install", "ghost"]}
    assert refused(check_app_description, missing, SERVICES).field == "installServices.1"
    twice = {**good, "uninstallService": "install"}
    assert refused(check_app_description, twice, SERVICES).field == "uninstallService"
    assert refused(check_app_description, {"name": {}}, SERVICES).field == "name"
    assert refused(check_app_description, [], SERVICES).field == "body"
    logo = {**good, "logo": "data:image/svg+xml;base64,PHN2Zy8+"}
    assert check_app_description(logo, SERVICES)[0]["logo"].startswith("data:")
    assert refused(check_app_description, {**good, "logo": "data:text/html,x"},
                   SERVICES).field == "logo"


def test_service_description_rules() -> None:
    ok = {"title": {"en": "T"}, "fieldsRequired": [
        {"id": "a", "type": "edit", "label": {"en": "A"}},
        {"id": "b", "type": "option", "labels": [{"en": "x"}, {"en": "y"}]}],
        "price": {"total": "9.50", "currency": "EUR"}}
    assert check_service_description(ok) == ok
    plain = {"title": "T", "fieldsRequired": [{"id": "a", "type": "edit", "label": "A"}]}
    assert check_service_description(plain) == {
        "title": {"en": "T"}, "fieldsRequired": [{"id": "a", "type": "edit",
                                                  "label": {"en": "A"}}]}
    dup = {**ok, "fieldsRequired": ok["fieldsRequired"] + [ok["fieldsRequired"][0]]}
    assert refused(check_service_description, dup).field == "fieldsRequired.2.id"
    assert refused(check_service_description, {"title": {"en": "T"}, "price": {
        "total": "-1"}}).field == "price.total"
    assert refused(check_service_description, {}).field == "title"


def test_recipe_actions_use_the_operation_bodies() -> None:
    recipe = {"description": {"title": {"en": "R"}}, "actions": [
        {"endpoint": "/ccm/install", "content": {"id": "ab" * 32, "searchBy": "lfdbh",
                                                 "module": "A000000617001122334401",
                                                 "application": "a000000617001122334401"}}]}
    out = check_recipe(recipe, parse_action)
    content = out["actions"][0]["content"]
    assert content["id"] == "AB" * 32 and content["application"] == "A000000617001122334401"
    bad = {**recipe, "actions": [{"endpoint": "/ccm/install", "content": {"id": "ab"}}]}
    assert refused(check_recipe, bad, parse_action).field.startswith("actions.0.content")


@pytest.mark.parametrize(("endpoint", "body", "field"), [
    ("/transceive", {"commands": ["00A40400"]}, None),
    ("/transceive", {"commands": ["00A4"]}, "commands.0"),
    ("/ccm/load", {}, "body"),
    ("/ccm/load", {"id": "AB" * 32, "executableLoadFile": "A000000617"}, "body"),
    ("/ccm/install", {"application": "A000000617", "executableLoadFile": "A000000617"}, "body"),
    ("/ccm/storedata", {"application": "A000000617", "data": ""}, "data"),
    ("/desfire/ev1/createApp", {"aid": "000000", "keySettings": "0F", "numberOfKeys": 1,
                                "keyType": "AES"}, "body"),
    ("/desfire/ev1/createApp", {"aid": "010203", "keySettings": "0F", "numberOfKeys": 2,
                                "keyType": "AES", "keys": ["00" * 16]}, "body"),
    ("/desfire/ev1/createApp", {"aid": "010203", "keySettings": "0F", "numberOfKeys": 1,
                                "keyType": "3K3DES", "keys": ["00" * 16]}, "body"),
    ("/desfire/ev1/transceive", {"aid": "010203", "keyNo": 14, "commands": ["6F"]}, "keyNo"),
])
def test_operation_bodies(endpoint: str, body: dict[str, Any], field: str | None) -> None:
    if field is None:
        parse_action(endpoint, body)
    else:
        assert refused(parse_action, endpoint, body).field == field


@given(st.dictionaries(st.sampled_from(["commands", "application", "aid", "keyNo", "data",
                                        "withRelated", "id", "module"]),
                       st.one_of(st.text(max_size=8), st.integers(), st.booleans(),
                                 st.lists(st.text(max_size=6), max_size=3), st.none())),
       st.sampled_from(["/transceive", "/ccm/install", "/ccm/delete", "/ccm/storedata",
                        "/desfire/ev1/transceive", "/desfire/ev1/createApp", "/bogus"]))
def test_operation_bodies_fail_only_with_api_errors(body: dict[str, Any], endpoint: str) -> None:
    try:
        parse_action(endpoint, body)
    except ApiError as exc:
        assert exc.status == 400 and exc.field


def test_patterns_refuse_a_trailing_newline() -> None:
    """Python's `$` matches before a final newline: every pattern ends with \\Z instead."""
    from backend_stub.engine.validation import (
        check_app_id,
        check_currency,
        check_ml_string,
        check_service_id,
        check_url,
    )
    from backend_stub.hexutil import HexError, parse_hex

    for call in (lambda: check_app_id("f0220009\n"), lambda: check_service_id("a\n", "s"),
                 lambda: check_currency("EUR\n", "c"), lambda: check_ml_string({"en\n": "x"}, "n"),
                 lambda: check_url("https://x.example/\n", "u")):
        with pytest.raises(ApiError):
            call()
    with pytest.raises(HexError):
        parse_hex("00\n")


def test_json_limits() -> None:
    from backend_stub.jsonlimits import MAX_DEPTH, decode_json, servable

    assert decode_json(b'{"a": [1, 2.5, "\\ud83d\\ude00"]}') == {"a": [1, 2.5, "\U0001F600"]}
    nested = b"[" * MAX_DEPTH + b"]" * MAX_DEPTH
    assert decode_json(nested) is not None
    cases = {b'{"a": {"b": "\\ud800"}}': "a.b", b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1):
             "0." * (MAX_DEPTH - 1) + "0", b'{"n": 9223372036854775808}': "n",
             b'{"n": -9223372036854775809}': "n", b'{"x": 1e999}': "x",
             b"[" * 100_000: "body", b'{"a": NaN}': "body", b'"\xed\xa0\x80"': "body"}
    for raw, field in cases.items():
        with pytest.raises(ApiError) as info:
            decode_json(raw)
        assert info.value.status == 400 and info.value.field == field, (raw[:30], info.value)
    assert decode_json(b'{"n": 9223372036854775807}') == {"n": 2 ** 63 - 1}
    assert not servable({"name": "\ud800"}) and servable({"name": {"en": "x"}})
