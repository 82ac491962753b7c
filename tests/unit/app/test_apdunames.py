"""app.apdunames: the names testers read in a trace."""

from __future__ import annotations

import pytest

from app.apdunames import command_name, redact, sw_meaning


@pytest.mark.parametrize(
    ("hexapdu", "name"),
    [
        ("00A4040000", "SELECT"),
        ("00A4040206A00000061701", "SELECT [next]"),
        ("8050300008B13E5F938FC108C400", "INITIALIZE UPDATE"),
        ("84821100107D5F5826A993EBC89EEA24957FA0B3CE", "EXTERNAL AUTHENTICATE (secure)"),
        # GPPro worked example, gp-apdu.md 1.3
        ("80E602001205010203040508A000000151000000000000", "INSTALL [for load]"),
        ("80E88000D6C481D3", "LOAD [block 0, last]"),
        ("84E80001F0", "LOAD [block 1] (secure)"),
        ("80E60C001E05010203040508010203040506070808010203040506070801000" "2C90000",
         "INSTALL [for install and make selectable]"),
        ("80E40080074F050102030405", "DELETE [with related objects]"),
        ("80CA9F7F00", "GET DATA [CPLC]"),
        ("80CA004500", "GET DATA [CIN]"),
        ("80F24002024F0000", "GET STATUS [applications]"),
        ("80F04080", "SET STATUS [lock]"),
        ("84E2910018CA", "STORE DATA [block 0, last] (secure)"),
        ("FFCA000000", "GET UID (reader)"),
        ("90CA000005414141 0F0E00".replace(" ", ""), "DESFire CreateApplication"),
        ("90AA00000100 00".replace(" ", ""), "DESFire AuthenticateAES"),
        ("00C0000010", "GET RESPONSE"),
        ("12", "malformed APDU"),
    ],
)
def test_command_names(hexapdu: str, name: str) -> None:
    assert command_name(bytes.fromhex(hexapdu)) == name


@pytest.mark.parametrize(
    ("sw", "meaning"),
    [(0x9000, "OK"), (0x6982, "security status not satisfied"), (0x6110, "more data: 16 bytes"),
     (0x6C2D, "wrong Le: the card has 45 bytes"), (0x63C2, "verification failed, 2 tries left"),
     (0x91AE, "DESFire authentication error"), (0x9100, "DESFire OK"), (0x6A88,
     "referenced data not found"), (0x1234, "unknown status")],
)
def test_sw_meanings(sw: int, meaning: str) -> None:
    assert sw_meaning(sw) == meaning


def test_pin_in_clear_is_redacted_but_wrapped_commands_are_not() -> None:
    verify = bytes.fromhex("0020008108313233343536FFFF")
    hidden = redact(verify)
    assert hidden is not None and b"123456" not in hidden and len(hidden) == len(verify)
    assert redact(bytes.fromhex("0C20008110AABBCCDD")) is None  # secure messaging
    assert redact(bytes.fromhex("80E60C00")) is None
