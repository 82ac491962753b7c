"""app.description: the Service Description parsed once, its fields and price."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.description import Field, Price, ServiceDescription, inputs
from app.errors import ProtocolError
from app.i18n import MLString

# reference/fidesmo-api.md 4.2 (Service Description) and 4.5 (fields)
DESCRIPTION = {
    "title": {"en": "Install the key store", "sv": "Installera nyckellagret"},
    "description": {"en": "Keeps a **key**."},
    "confirmationRequired": True,
    "price": {"total": "9.5", "currency": "EUR"},
    "certificate": "3082010A",
    "fieldsRequired": [
        {"id": "nickname", "type": "edit", "label": {"en": "Nickname", "sv": "Smeknamn"}},
        {"id": "terms", "type": "checkbox", "label": {"en": "I agree"}},
        {"id": "size", "type": "option", "label": "Size", "labels": [{"en": "S"}, "L"]},
        {"id": "note", "type": "text", "label": {"en": "Read me"}},
        {"id": "logo", "type": "image", "url": "https://example.com/a.png"},
        {"id": "free"},
    ],
}


def test_a_full_description() -> None:
    d = ServiceDescription.from_dict(DESCRIPTION)
    assert d.title.pick("sv") == "Installera nyckellagret" and d.title.pick("fi") == \
        "Install the key store"
    assert d.description.pick() == "Keeps a **key**."
    assert d.confirmation_required and d.certificate == "3082010A"
    assert d.price == Price(Decimal("9.5"), "EUR") and d.price.text() == "9.50 EUR"
    assert [f.id for f in d.fields] == ["nickname", "terms", "size", "note", "logo", "free"]
    assert [f.id for f in d.inputs] == ["nickname", "terms", "size", "free"]
    assert d.fields[-1].type == "edit"  # no type: free text
    assert d.fields[2].labels == (MLString.of({"en": "S"}), MLString.of("L"))
    assert d.fields[0].label.pick("sv") == "Smeknamn"
    assert d.needs_user and d.raw is DESCRIPTION


def test_nothing_to_fill_in_or_confirm() -> None:
    d = ServiceDescription.from_dict({"title": "Unsuspend",
                                      "fieldsRequired": [{"id": "t", "type": "text"}]})
    assert not d.inputs and not d.needs_user
    assert d.price is None and d.certificate is None
    assert ServiceDescription.from_dict({"confirmationRequired": True}).needs_user
    empty = ServiceDescription.from_dict(None)
    assert empty.fields == () and not empty.title and empty.title.pick() == ""


@pytest.mark.parametrize("bad", [{"fieldsRequired": "nickname"},
                                 {"fieldsRequired": [{"type": "edit"}]},
                                 {"fieldsRequired": ["nickname"]}])
def test_malformed_fields_are_refused_naming_the_field(bad: dict[str, object]) -> None:
    with pytest.raises(ProtocolError) as info:
        ServiceDescription.from_dict(bad)
    assert info.value.field in ("fieldsRequired", "fields[].id")


@pytest.mark.parametrize(("price", "text", "free"), [
    ({"total": 0}, "0.00", True),
    ({"total": "12", "currency": "SEK"}, "12.00 SEK", False),
    ({"total": 1.005, "currency": 3}, "1.00", False),
])
def test_price(price: dict[str, object], text: str, free: bool) -> None:
    parsed = Price.from_json(price)
    assert parsed is not None and parsed.text() == text and parsed.free is free


@pytest.mark.parametrize("price", [None, "9", {}, {"total": None}, {"total": "abc"},
                                   {"total": "NaN"}, {"total": "Infinity"}])
def test_no_usable_price(price: object) -> None:
    assert Price.from_json(price) is None


def test_which_fields_take_a_value_and_their_blank_value() -> None:
    fields = tuple(Field(f"f{i}", kind) for i, kind in
                   enumerate(("edit", "checkbox", "date", "option", "text", "image", "odd")))
    assert [f.is_input for f in fields] == [True, True, True, True, False, False, True]
    assert inputs(fields) == tuple(f for f in fields if f.type not in ("text", "image"))
    assert [f.blank for f in inputs(fields)] == ["", "false", "", "0", ""]


def test_field_labels_given_as_json_become_multilanguage_strings() -> None:
    f = Field("size", "option", {"en": "Size", "sv": "Storlek"}, ({"en": "S"}, "L"))
    assert isinstance(f.label, MLString) and f.label.pick("sv") == "Storlek"
    assert [x.pick() for x in f.labels] == ["S", "L"]
    assert Field.from_json({"id": "x", "labels": "not a list"}).labels == ()
