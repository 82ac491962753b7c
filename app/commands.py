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
    # a batch repeats one expect list: each distinct list is checked once per batch
    checked: dict[tuple[Any, ...], tuple[str, ...]] = {}
    commands = []
    for index, (item, expect) in enumerate(zip(items, parallel, strict=True)):
        if isinstance(item, dict):
            expect = item.get("expect")
            item = item.get("apdu", item.get("command"))
        try:
            apdu = _apdu(item)
            if expect is None:
                commands.append(BatchCommand(apdu))
                continue
            if not isinstance(expect, list):
                raise ApduError("expect is not a list")
            key = tuple(expect)
            patterns = checked.get(key)
            if patterns is None:
                patterns = checked[key] = tuple(validate_pattern(str(p)) for p in key)
            commands.append(BatchCommand(apdu, patterns))
        except ApduError as exc:
            where = f"commands[{index}]"
            raise ProtocolError(f"connector/json: {where}: {exc}", field=where) from None
    return tuple(commands)


def _apdu(item: Any) -> bytes:
    """One command's bytes; ApduError says what is wrong with them."""
    if not isinstance(item, str):
        raise ApduError("neither a hex string nor an object with one")
    apdu = parse_hex(item, "the command")
    if len(apdu) < 4:
        raise ApduError("not an APDU")
    return apdu
