"""The limits every JSON document the backend accepts must keep (api/boundary.py applies them).

Strict UTF-8, no NaN/Infinity, at most MAX_DEPTH levels of nesting, strings of at
most MAX_STRING characters, integers that fit a signed 64-bit column (SQLite and
PostgreSQL BIGINT) and no lone surrogates (`"\\ud800"` decodes in Python but can
never be encoded again, so a stored one breaks every later read). A refusal is a
400 naming the field as a dotted path.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from backend_stub.errors import ApiError

MAX_DEPTH = 64
MAX_STRING = 600_000  # characters: a 512 KB data: URI logo, a 64 KiB APDU in hex
INT_MIN, INT_MAX = -(2 ** 63), 2 ** 63 - 1

# a \uD800-\uDFFF escape somewhere: only then can a decoded string hold a surrogate
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _bad_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _label(key: str) -> str:
    """A key as it can be shown in an error (a bad key must not break the error itself)."""
    return key.encode("utf-8", "backslashreplace").decode("utf-8")


def _join(path: str, key: str | int) -> str:
    part = _label(key) if isinstance(key, str) else str(key)
    return f"{path}.{part}" if path else part


def _check_string(value: str, path: str, surrogates: bool) -> None:
    if len(value) > MAX_STRING:
        raise ApiError(400, "invalid", f"a string of at most {MAX_STRING} characters",
                       path or "body")
    if surrogates and _SURROGATE.search(value):
        raise ApiError(400, "invalid", "not valid Unicode: a lone surrogate (\\uD800-\\uDFFF "
                       "without its pair)", path or "body")


def check_document(doc: Any, *, surrogates: bool = True) -> None:
    """Raise a 400 naming the first value outside the limits (see the module docstring)."""
    stack: list[tuple[Any, str, int]] = [(doc, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            _check_string(value, path, surrogates)
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if not INT_MIN <= value <= INT_MAX:
                raise ApiError(400, "invalid", "an integer out of range (a signed 64-bit "
                               "integer: -2^63 to 2^63-1)", path or "body")
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise ApiError(400, "invalid", "a number out of range", path or "body")
        elif isinstance(value, (dict, list)):
            if depth >= MAX_DEPTH:
                raise ApiError(400, "invalid", f"nested more than {MAX_DEPTH} levels deep",
                               path or "body")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            children = []
            for key, child in items:
                where = _join(path, key)
                if isinstance(key, str):
                    _check_string(key, where, surrogates)
                children.append((child, where, depth + 1))
            stack.extend(reversed(children))  # the first bad value is the one named


def decode_json(raw: bytes) -> Any:
    """The checked document of a JSON body, or the ApiError (400) saying what is wrong."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, "malformed-json", f"the body is not UTF-8 (byte {exc.start})",
                       "body") from None
    try:
        doc = json.loads(text, parse_constant=_bad_constant)
    except RecursionError:
        raise ApiError(400, "invalid", f"nested more than {MAX_DEPTH} levels deep",
                       "body") from None
    except ValueError as exc:
        raise ApiError(400, "malformed-json", f"the body is not valid JSON ({exc})",
                       "body") from None
    check_document(doc, surrogates=_SURROGATE_ESCAPE.search(text) is not None)
    return doc


def servable(doc: Any) -> bool:
    """Whether a stored document can be answered as JSON (rows stored before these limits
    existed may not be): a listing skips, and logs, what is not."""
    try:
        check_document(doc)
        json.dumps(doc, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (ApiError, ValueError, RecursionError, TypeError):
        return False
    return True
