"""A batch of card commands as the backend sends it (API.md section 4: `commands`
and `expect` of a connector/json or service/fetch answer), checked and typed.

Anything malformed is a ProtocolError naming the command (`commands[3]`), so a
bad batch never reaches the card.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.apdu import parse_hex, validate_pattern
from app.errors import ApduError, ProtocolError
from app.readers.base import BatchCommand


def parse_batch(data: Mapping[str, Any], what: str) -> tuple[BatchCommand, ...]:
    """`commands`: hex strings (with `expect`, a parallel list of pattern lists, when
    the backend sends one) or `{"apdu", "expect"}` objects."""
    items = data.get("commands", [])
    if not isinstance(items, list):
        raise ProtocolError(f"{what}: expected {{'commands': [...]}}", field="commands")
    parallel = data.get("expect")
    if not (isinstance(parallel, list) and len(parallel) == len(items)):
        parallel = [None] * len(items)
    return tuple(_command(item, expect, i)
                 for i, (item, expect) in enumerate(zip(items, parallel, strict=True)))


def _command(item: Any, expect_raw: Any, index: int) -> BatchCommand:
    where = f"commands[{index}]"
    apdu_hex: Any
    if isinstance(item, str):
        apdu_hex = item
    elif isinstance(item, dict):
        apdu_hex = item.get("apdu", item.get("command"))
        expect_raw = item.get("expect")
    else:
        raise ProtocolError(f"connector/json: {where} is neither a string nor an object",
                            field=where)
    try:
        apdu = parse_hex(apdu_hex, where) if isinstance(apdu_hex, str) else b""
        if len(apdu) < 4:
            raise ApduError(f"{where} is not an APDU")
        expect: tuple[str, ...] = ()
        if expect_raw is not None:
            if not isinstance(expect_raw, list):
                raise ApduError(f"{where}.expect is not a list")
            expect = tuple(validate_pattern(str(p)) for p in expect_raw)
    except ApduError as exc:
        raise ProtocolError(f"connector/json: {exc}", field=where) from None
    return BatchCommand(apdu, expect)
