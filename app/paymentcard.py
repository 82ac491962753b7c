"""The `paymentcard` field: a card number, its expiry and (optionally) its CVV.

The user gives "PAN;MM/YY;CVV" (or "PAN;MM/YY"), as the public platform's
client asks for it (fdsm CommandLineFormHandler.askForField); what is sent is
the JSON object that client builds from it (ServiceDeliverySession
.processUIOperation): `{"cardNumber": str, "expiryMonth": int, "expiryYear":
int, "cvv"?: str}`, compact, as a string value of the field. Checked here
(Luhn, a real month not in the past, digits) before anything is confirmed.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass

TYPE = "paymentcard"
_SHAPE = re.compile(r"^[0-9]{13,19};[0-9]{2}/[0-9]{2}(;[0-9]{3,4})?$")


class PaymentCardError(ValueError):
    """A paymentcard value that cannot be sent; the message says what is wrong, `reason`
    which part (shape, number, month, expired) for screens that say it in their language."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


@dataclass(frozen=True)
class PaymentCard:
    number: str
    month: int
    year: int  # two digits, as typed (fdsm sends Integer.parseInt("YY"))
    cvv: str | None = None

    def __repr__(self) -> str:  # never the number or the CVV in a log line
        return f"PaymentCard(****{self.number[-4:]}, {self.month:02d}/{self.year:02d})"

    def payload(self) -> str:
        """The JSON text fdsm sends (Jackson's compact form, fields in its order)."""
        obj: dict[str, object] = {"cardNumber": self.number, "expiryMonth": self.month,
                                  "expiryYear": self.year}
        if self.cvv is not None:
            obj["cvv"] = self.cvv
        return json.dumps(obj, separators=(",", ":"))


def parse(text: str, *, today: _dt.date | None = None) -> PaymentCard:
    """"PAN;MM/YY[;CVV]" -> PaymentCard, or PaymentCardError naming the part that is wrong."""
    value = "".join(text.split())  # spaces typed inside the number are fine
    if not _SHAPE.match(value):
        raise PaymentCardError("the card must be given as NUMBER;MM/YY;CVV "
                               "(13 to 19 digits, CVV of 3 or 4 digits, or NUMBER;MM/YY)",
                               "shape")
    parts = value.split(";")
    number, expiry = parts[0], parts[1]
    if not luhn_ok(number):
        raise PaymentCardError("the card number is not valid (its check digit is wrong)",
                               "number")
    month, year = (int(x) for x in expiry.split("/"))
    if not 1 <= month <= 12:
        raise PaymentCardError("the expiry month must be 01 to 12", "month")
    now = today or _dt.date.today()
    if (2000 + year, month) < (now.year, now.month):
        raise PaymentCardError("the card has expired", "expired")
    return PaymentCard(number, month, year, parts[2] if len(parts) > 2 else None)


def join(number: str, expiry: str, cvv: str = "") -> str:
    """The three inputs of a form as the one value parse() reads."""
    parts = ["".join(number.split()), expiry.strip()]
    if cvv.strip():
        parts.append(cvv.strip())
    return ";".join(parts)
