"""Service Description keys for encrypted input and user actions: refused by name when wrong.

`certificate` is the SP's X.509 (hex DER) and `encrypted` needs it, as fdsm's client does
(fidesmo/fdsm ServiceDeliverySession.java: deliver() reads description.certificate;
processUIOperation refuses an encrypted operation without that key). `userActions` are what
the backend hands the touch point as an `action` operation (processUserAction: name,
description, parameters.number for phonecall).
"""

from __future__ import annotations

from typing import Any

import pytest

from backend_stub.engine.validation import check_service_description
from backend_stub.errors import ApiError

BASE: dict[str, Any] = {"title": {"en": "T"}}
PIN = {"id": "pin", "type": "edit", "label": {"en": "PIN"}}


def field_of(desc: dict[str, Any]) -> str | None:
    with pytest.raises(ApiError) as info:
        check_service_description(desc)
    assert info.value.status == 400
    return info.value.field


def test_good_encrypted_and_action_descriptions_pass() -> None:
    check_service_description({**BASE, "certificate": "3082ABCD", "encrypted": True,
                               "fieldsRequired": [PIN]})
    check_service_description({**BASE, "userActions": [
        {"name": "phonecall", "description": {"en": "Call"}, "parameters": {"number": "+46 8 1"}},
        {"name": "notice", "description": {"en": "Read"}}]})


@pytest.mark.parametrize(("extra", "where"), [
    ({"encrypted": True}, "certificate"),
    ({"encrypted": "yes", "certificate": "30"}, "encrypted"),
    ({"certificate": "30G1"}, "certificate"),
    ({"certificate": "308"}, "certificate"),
    ({"certificate": ""}, "certificate"),
    ({"fieldsRequired": [{**PIN, "id": "ephemeralKey"}]}, "fieldsRequired"),
    ({"userActions": []}, "userActions"),
    ({"userActions": ["call"]}, "userActions.0"),
    ({"userActions": [{"name": "Phone Call!", "description": {"en": "x"}}]},
     "userActions.0.name"),
    ({"userActions": [{"name": "notice"}]}, "userActions.0.description"),
    ({"userActions": [{"name": "phonecall", "description": {"en": "x"}}]},
     "userActions.0.parameters.number"),
    ({"userActions": [{"name": "notice", "description": {"en": "x"}, "parameters": 1}]},
     "userActions.0.parameters"),
])
def test_bad_keys_are_refused_naming_the_field(extra: dict[str, Any], where: str) -> None:
    assert field_of({**BASE, **extra}) == where
