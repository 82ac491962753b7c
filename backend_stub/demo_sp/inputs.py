"""What the demo SP does with the values the user gave (after opening them)."""

from __future__ import annotations

import hashlib
import json
import re

# the order of P-256: a derived scalar must be in [1, n-1]
_ORDER = int("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16)


def secret_from_code(code: str) -> bytes:
    """The key store's private scalar from a recovery code of 6 to 12 digits."""
    if not re.fullmatch(r"[0-9]{6,12}", code):
        raise ValueError("a recovery code is 6 to 12 digits")
    digest = hashlib.sha256(b"secret-app recovery " + code.encode()).digest()
    return (int.from_bytes(digest, "big") % (_ORDER - 1) + 1).to_bytes(32, "big")


def _luhn(number: str) -> bool:
    digits = [int(c) for c in reversed(number)]
    return sum(d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2)
               for i, d in enumerate(digits)) % 10 == 0


def card_from(payload: str) -> str:
    """The card number of a paymentcard value (the JSON object fdsm sends), checked."""
    obj = json.loads(payload)
    number = obj.get("cardNumber") if isinstance(obj, dict) else None
    if not isinstance(number, str) or not re.fullmatch(r"[0-9]{13,19}", number) \
            or not _luhn(number):
        raise ValueError("not a payment card number")
    month, year = obj.get("expiryMonth"), obj.get("expiryYear")
    if not (isinstance(month, int) and 1 <= month <= 12 and isinstance(year, int)):
        raise ValueError("not a card expiry")
    return number
