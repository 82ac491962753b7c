"""app.commands: the backend's batches parsed into BatchCommand, errors naming the command."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.commands import parse_batch
from app.errors import ProtocolError
from app.readers.base import BatchCommand

PATTERNS = st.text(alphabet="0123456789ABCDEFXabcdefx", min_size=4, max_size=4)

HEXCMD = st.binary(min_size=4, max_size=40).map(bytes.hex)


@given(st.lists(st.tuples(HEXCMD, st.booleans(), st.lists(PATTERNS, max_size=3)),
                min_size=1, max_size=8),
       st.booleans())
def test_batch_parser_matches_the_definition(
        items: list[tuple[str, bool, list[str]]], parallel: bool) -> None:
    cmds = [h.upper() if up else h for h, up, _ in items]
    if parallel:
        data: dict[str, Any] = {"commands": cmds, "expect": [e for _, _, e in items]}
    else:
        data = {"commands": [{"apdu": c, "expect": e} for c, (_, _, e) in zip(cmds, items,
                                                                              strict=True)]}
    got = parse_batch(data, "connector/json")
    assert got == tuple(BatchCommand(bytes.fromhex(h), tuple(p.upper() for p in e))
                        for h, _, e in items)


@given(st.lists(st.tuples(HEXCMD, st.booleans()), min_size=1, max_size=12),
       st.lists(PATTERNS, max_size=3))
def test_batch_parser_with_one_expect_list_for_all_matches_the_definition(
        items: list[tuple[str, bool]], expect: list[str]) -> None:
    """An install's usual batch: one expect list for every command."""
    cmds = [h.upper() if up else h for h, up in items]
    got = parse_batch({"commands": cmds, "expect": [list(expect) for _ in cmds]}, "x")
    want = tuple(BatchCommand(bytes.fromhex(h), tuple(p.upper() for p in expect))
                 for h, _ in items)
    assert got == want and all(type(c) is BatchCommand for c in got)


@pytest.mark.parametrize(("data", "field"), [
    ({"commands": ["00A40400", "00A4 04 00", "zz"]}, "commands[2]"),
    ({"commands": ["00A40400", "00A4"]}, "commands[1]"),
    ({"commands": ["00A40400", "00A40400"], "expect": [["9000"], ["9O00"]]}, "commands[1]"),
    ({"commands": [{"apdu": "00A40400", "expect": "9000"}]}, "commands[0]"),
    # one expect list for every command, and still the right field
    ({"commands": ["00A40400", "00A40400"], "expect": [["9O00"], ["9O00"]]}, "commands[0]"),
    ({"commands": ["00A40400", "00A4"], "expect": [["9000"], ["9000"]]}, "commands[1]"),
    ({"commands": ["00A40400", 7], "expect": [["9000"], ["9000"]]}, "commands[1]"),
    ({"commands": ["00A40400", "zz"], "expect": [["9000"], ["9000"]]}, "commands[1]"),
    ({"commands": [7]}, "commands[0]"),
])
def test_batch_parser_errors_name_the_command(data: dict[str, Any], field: str) -> None:
    with pytest.raises(ProtocolError) as info:
        parse_batch(data, "connector/json")
    assert info.value.field == field


def test_batch_parser_accepts_spaced_hex_and_null_expect() -> None:
    got = parse_batch({"commands": ["00 A4 04 00", "80CA9F7F00"], "expect": [None, ["6a88"]]}, "x")
    assert got == (BatchCommand(bytes.fromhex("00A40400")),
                   BatchCommand(bytes.fromhex("80CA9F7F00"), ("6A88",)))
