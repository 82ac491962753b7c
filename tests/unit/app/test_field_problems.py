"""app.description.Field.problem: what a kiosk refuses before confirming (issue 18, 5)."""

from __future__ import annotations

import pytest

from app.description import Field


@pytest.mark.parametrize(("raw", "value", "problem"), [
    ({"type": "edit"}, "", "required"),  # fieldsRequired: an input must be answered
    ({"type": "edit"}, "   ", "required"),
    ({"type": "edit"}, "x", None),
    ({"type": "edit", "required": False}, "", None),
    ({"type": "edit", "optional": True}, "", None),
    ({"type": "checkbox"}, "", None),  # always has a value
    ({"type": "option"}, "", None),
    ({"type": "date"}, "", None),
    ({"type": "text"}, "", None),  # shown, not asked
    ({"type": "edit", "pattern": "[0-9]{6,12}"}, "12345", "format"),
    ({"type": "edit", "pattern": "[0-9]{6,12}"}, "123456", None),
    ({"type": "edit", "pattern": "[0-9]{6,12}"}, "1234567x", "format"),  # whole value
    ({"type": "edit", "pattern": "("}, "abc", None),  # a broken pattern: the SP checks
    ({"type": "edit", "minLength": 3}, "ab", "too-short"),
    ({"type": "edit", "maxLength": 3}, "abcd", "too-long"),
    ({"type": "edit", "required": False, "minLength": 3}, "", None),
])
def test_field_problem(raw: dict[str, object], value: str, problem: str | None) -> None:
    assert Field.from_json({"id": "f", **raw}).problem(value) == problem
