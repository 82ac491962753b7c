"""app.paymentcard: the paymentcard field as fdsm reads and sends it.

fdsm tool/.../CommandLineFormHandler.java askForField, case "paymentcard": the input is
"PAN;MM/YY;CVV" or "PAN;MM/YY" (13-19 digits). fdsm library/.../ServiceDeliverySession.java
processUIOperation: split on ";" and "/", ObjectNode {cardNumber: text, expiryMonth:
Integer.parseInt(MM), expiryYear: Integer.parseInt(YY), cvv?: text}, written with
ObjectMapper.writeValueAsString (compact JSON).
"""

from __future__ import annotations

import datetime as dt

import pytest

from app import paymentcard

TODAY = dt.date(2026, 12, 2)


def test_the_payload_is_the_json_object_fdsm_builds() -> None:
    card = paymentcard.parse("4111111111111111;07/29;123", today=TODAY)
    assert card.payload() == '{"cardNumber":"4111111111111111","expiryMonth":7,' \
                             '"expiryYear":29,"cvv":"123"}'
    no_cvv = paymentcard.parse("4111 1111 1111 1111;12/26", today=TODAY)
    assert no_cvv.payload() == '{"cardNumber":"4111111111111111","expiryMonth":12,' \
                               '"expiryYear":26}'
    assert "4111111111111111" not in repr(card) and "123" not in repr(card)


@pytest.mark.parametrize(("text", "why"), [
    ("4111111111111112;07/29;123", "check digit"),
    ("4111111111111111;13/29;123", "month"),
    ("4111111111111111;00/29", "month"),
    ("4111111111111111;11/26;123", "expired"),
    ("4111111111111111;07/29;12a", "NUMBER;MM/YY"),
    ("4111;07/29;123", "NUMBER;MM/YY"),
    ("4111111111111111-07/29", "NUMBER;MM/YY"),
])
def test_bad_cards_are_refused_saying_what_is_wrong(text: str, why: str) -> None:
    with pytest.raises(paymentcard.PaymentCardError, match=why):
        paymentcard.parse(text, today=TODAY)


def test_join_makes_the_value_parse_reads() -> None:
    assert paymentcard.join("4111 1111 1111 1111", "07/29", " ") == "4111111111111111;07/29"
    assert paymentcard.join("4111111111111111", "07/29", "123") == "4111111111111111;07/29;123"
