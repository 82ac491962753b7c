"""A batch of card commands as the backend sends it (API.md section 4: `commands`
and `expect` of a connector/json or service/fetch answer), checked and typed.

Anything malformed is a ProtocolError naming the command (`commands[3]`), so a
bad batch never reaches the card.
"""

from __future__ import annotations

import functools
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
    commands = []
    for index, (item, expect) in enumerate(zip(items, parallel, strict=True)):
        try:
            commands.append(_command(item, expect))
        except ApduError as exc:
            where = f"commands[{index}]"
            raise ProtocolError(f"connector/json: {where}: {exc}", field=where) from None
    return tuple(commands)


def _command(item: Any, expect_raw: Any) -> BatchCommand:
    """One command; ApduError says what is wrong with it."""
    apdu_hex: Any
    if isinstance(item, str):
        apdu_hex = item
    elif isinstance(item, dict):
        apdu_hex = item.get("apdu", item.get("command"))
        expect_raw = item.get("expect")
    else:
        raise ApduError("neither a string nor an object")
    apdu = parse_hex(apdu_hex, "the command") if isinstance(apdu_hex, str) else b""
    if len(apdu) < 4:
        raise ApduError("not an APDU")
    if expect_raw is None:
        return BatchCommand(apdu)
    if not isinstance(expect_raw, list):
        raise ApduError("expect is not a list")
    return BatchCommand(apdu, _patterns(tuple(map(str, expect_raw))))


@functools.lru_cache(maxsize=256)
def _patterns(raw: tuple[str, ...]) -> tuple[str, ...]:
    """Checked patterns; a batch repeats one expect list, so each is checked once."""
    return tuple(validate_pattern(p) for p in raw)
