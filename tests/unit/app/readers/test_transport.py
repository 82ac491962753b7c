"""app.readers.transport: 61xx, 6Cxx, short/extended re-encoding and the batch loop."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.apdu import CommandApdu
from app.errors import ApduError
from app.readers.base import BatchCommand
from app.readers.transport import exchange, exchange_batch, prepare


class ChainingCard:
    """Answers 0x300 bytes in 61xx parts, and wants Le=0x2D for GET DATA CPLC (6C2D)."""

    def __init__(self) -> None:
        self.seen: list[bytes] = []
        self.pending = b""

    def __call__(self, apdu: bytes) -> bytes:
        self.seen.append(apdu)
        if apdu[1] == 0xCA:  # GET DATA: only the exact Le is accepted
            if apdu[-1] != 0x2D:
                return b"\x6c\x2d"
            return bytes(0x2D) + b"\x90\x00"
        if apdu[1] == 0xB0:  # READ BINARY: a long answer
            self.pending = bytes(i % 256 for i in range(0x300))
            return self._part(256)
        if apdu[1] == 0xC0:
            return self._part(apdu[4] or 256)
        return b"\x90\x00"

    def _part(self, le: int) -> bytes:
        part, self.pending = self.pending[:le], self.pending[le:]
        if self.pending:
            return part + bytes([0x61, min(len(self.pending), 256) % 256])
        return part + b"\x90\x00"


def test_get_response_joins_all_parts() -> None:
    card = ChainingCard()
    seen: list[tuple[bytes, bytes | None]] = []
    rsp = exchange(card, bytes.fromhex("00B0000000"),
                   observer=lambda c, r, t0, t1: seen.append((c, r)))
    assert rsp[:-2] == bytes(i % 256 for i in range(0x300))
    assert rsp[-2:] == b"\x90\x00"
    assert [c[1] for c, _ in seen] == [0xB0, 0xC0, 0xC0]  # every physical exchange observed


def test_6cxx_reissues_with_the_right_le() -> None:
    card = ChainingCard()
    rsp = exchange(card, bytes.fromhex("80CA9F7F00"))
    assert rsp == bytes(0x2D) + b"\x90\x00"
    assert card.seen == [bytes.fromhex("80CA9F7F00"), bytes.fromhex("80CA9F7F2D")]


def test_endless_61xx_is_stopped_with_a_clear_error() -> None:
    with pytest.raises(ApduError, match="kept answering 61xx"):
        exchange(lambda apdu: b"\x61\x10", bytes.fromhex("00B0000000"))


def test_answer_without_status_word() -> None:
    with pytest.raises(ApduError, match="no status word"):
        exchange(lambda apdu: b"\x90", bytes.fromhex("00A4040000"))


def test_extended_apdu_reencoded_short_for_a_card_without_extended_lengths() -> None:
    ext = bytes.fromhex("00D60000000003AABBCC")
    assert prepare(ext, extended_ok=False) == bytes.fromhex("00D6000003AABBCC")
    assert prepare(ext, extended_ok=True) == ext
    with pytest.raises(ApduError, match="does not take extended APDUs"):
        prepare(b"\x00\xd6\x00\x00\x00\x01\x2c" + bytes(300), extended_ok=False)
    # a big Le becomes 256 and the rest comes through 61xx
    short = prepare(bytes.fromhex("00B0000000FFFF"), extended_ok=False)
    assert short == bytes.fromhex("00B0000000")


# -- preparing an APDU for a card without extended lengths ------------------------------------
def _prepare_reference(apdu: bytes) -> bytes:
    """What prepare(apdu, extended_ok=False) did before its short-APDU fast path."""
    try:
        cmd = CommandApdu.parse(apdu)
    except ApduError:
        return apdu
    if not cmd.extended:
        return apdu
    if len(cmd.data) > 255:
        raise ApduError("too long")
    if cmd.le is not None and cmd.le > 256:
        cmd = cmd.with_le(256)
    return cmd.to_bytes(extended=False)


@given(st.one_of(
    st.binary(min_size=0, max_size=300),
    # well-formed extended APDUs, the ones that must be re-encoded
    st.builds(lambda d, le: CommandApdu(0x80, 0xE8, 0, 0, d, le, True).to_bytes(),
              st.binary(min_size=0, max_size=300),
              st.one_of(st.none(), st.integers(1, 65536))),
))
def test_prepare_fast_path_matches_the_full_parse(apdu: bytes) -> None:
    try:
        want: bytes | type[ApduError] = _prepare_reference(apdu)
    except ApduError:
        want = ApduError
    if want is ApduError:
        with pytest.raises(ApduError):
            prepare(apdu, extended_ok=False)
    else:
        assert prepare(apdu, extended_ok=False) == want
    assert prepare(apdu, extended_ok=True) == apdu




# -- the batch loop ----------------------------------------------------------------------
SW_CHOICES = [0x9000, 0x6310, 0x6A80, 0x6985, 0x9100]
EXPECTS = [(), ("9000",), ("6310", "9000"), ("9XXX",), ("6A80",), ("6XXX", "91XX")]


@given(st.lists(st.tuples(st.sampled_from(SW_CHOICES), st.sampled_from(EXPECTS)),
                min_size=1, max_size=8))
def test_a_batch_stops_after_the_first_answer_outside_its_expect(
        script: list[tuple[int, tuple[str, ...]]]) -> None:
    """Stops where the definition says (the first status word its command's patterns do
    not match; none means 9000/61XX), with every answer up to it and each one counted."""
    commands = [BatchCommand(bytes([0x80, 0xE8, 0x00, i, 0x01, i]), expect)
                for i, (_, expect) in enumerate(script)]
    answers = {c.apdu: sw.to_bytes(2, "big") for c, (sw, _) in zip(commands, script,
                                                                     strict=True)}

    def allowed(sw: int, expect: tuple[str, ...]) -> bool:
        digits = f"{sw:04X}"
        return any(all(p in ("X", d) for p, d in zip(pattern, digits, strict=True))
                   for pattern in (expect or ("9000", "61XX")))

    stop = next((i for i, (sw, expect) in enumerate(script) if not allowed(sw, expect)), None)
    counted: list[int] = []
    got = exchange_batch(answers.__getitem__, commands, on_apdu=counted.append)
    upto = len(script) if stop is None else stop + 1
    assert got.responses == [answers[c.apdu] for c in commands[:upto]]
    assert got.stopped_sw == (None if stop is None else script[stop][0])
    assert not got.cancelled and counted == list(range(1, upto + 1))


def test_a_batch_without_a_status_word_in_an_answer_is_an_error() -> None:
    with pytest.raises(ApduError, match="no status word"):
        exchange_batch(lambda apdu: b"\x90", [BatchCommand(bytes.fromhex("00A4040000"))])
