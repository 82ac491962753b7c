"""app.identity: the probe sequence and fdsm's fixups for buggy answers."""

from __future__ import annotations

import pytest

from app import tlv
from app.identity import (
    IdentityError,
    detect_platform,
    fixup,
    list_sp_domains,
    parse_fci,
    read_identity,
)

CPLC = bytes.fromhex("4790D321470000000000") + bytes(32)


class ScriptedCard:
    """Answers by command prefix; records what was asked."""

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = {bytes.fromhex(k): bytes.fromhex(v) for k, v in answers.items()}
        self.seen: list[bytes] = []

    async def transmit(self, apdu: bytes) -> bytes:
        self.seen.append(apdu)
        for prefix, answer in self.answers.items():
            if apdu.startswith(prefix):
                return answer
        return b"\x6a\x82"


def test_fixups_from_fdsm() -> None:
    # fdsm's CIN vector (reference/fidesmo-api.md 6.1) with a stray trailing 00: read as is
    assert tlv.find(parse_fci(bytes.fromhex("45073D5F8004132EDA00")), 0x45).value == \
        bytes.fromhex("3D5F8004132EDA")
    # 16-byte answer "42 03 .. 43 06 .." whose tag 43 really holds 5 bytes
    broken = bytes.fromhex("42030000C74306AABBCCDDEE01020500")
    assert len(broken) == 16
    fixed = fixup(broken)
    assert fixed[6] == 0x05
    assert tlv.find(tlv.parse(fixed), 0x43).value == bytes.fromhex("AABBCCDDEE")
    # fdsm's batch vector: batch id 199 whatever follows tag 42
    assert tlv.find(parse_fci(bytes.fromhex("42030000C7430602396818B744")), 0x42).value == \
        bytes.fromhex("0000C7")
    # something that cannot be fixed keeps what parsed before the break
    assert [t.tag for t in parse_fci(bytes.fromhex("42030000C74509AABB"))] == [0x42]


async def test_platform_v3_card() -> None:
    card = ScriptedCard({
        "00A4040000": "6F108408A000000151000000A5049F6501FF9000",
        "FFCA000000": "04A1B2C3D4E5F69000",
        "80CA9F7F00": "9F7F2A" + CPLC.hex() + "9000",
        "80CA004500": "45073D5F8004132EDA9000",
        "80CA004200": "420499990100" + "9000",
        # platform applet FCI: CIN (45) and batch id (42), with a stray trailing 00
        "00A404000CA00000061702000900010101": "45073D5F8004132EDA42030000C7009000",
    })
    ident = await read_identity(card.transmit, try_reader_uid=True)
    assert ident.cin_hex == "3D5F8004132EDA"
    assert ident.printable_cin == "3D5F80-04132EDA"
    assert ident.batch_id == 199
    assert ident.iin == bytes.fromhex("99990100")
    assert ident.uid == bytes.fromhex("04A1B2C3D4E5F6")
    assert ident.cplc == CPLC and ident.platform == "JCOP4"
    assert ident.isd_aid == bytes.fromhex("A000000151000000")
    assert card.seen[-1] == bytes.fromhex("00A4040000")  # nothing of ours left selected
    assert ident.card_id() == {"iin": "99990100", "cin": "3D5F8004132EDA",
                               "platformVersion": None}


async def test_platform_v2_card_with_broken_batch_answer() -> None:
    card = ScriptedCard({
        "00A4040000": "9000",
        "80CA9F7F00": CPLC.hex() + "9000",
        "80CA004500": "4507112233445566779000",
        # PV2 batch applet answer with the wrong tag-43 length (fdsm issue #46)
        "00A404000BA000000617020002000002": "42030000C7430602396818B744000000" + "9000",
    })
    ident = await read_identity(card.transmit)
    assert ident.cin_hex == "11223344556677"
    assert ident.batch_id == 199
    assert ident.uid is None  # not asked: try_reader_uid is off


async def test_not_a_card_we_serve() -> None:
    card = ScriptedCard({})
    with pytest.raises(IdentityError, match="no CIN"):
        await read_identity(card.transmit)


async def test_garbage_answers_never_crash() -> None:
    card = ScriptedCard({
        "00A4040000": "6F8F9000",  # truncated FCI
        "80CA9F7F00": "9F9000",
        "80CA004500": "45FF0102039000",  # length beyond the data
        "00A404000CA00000061702000900010101": "45023D",  # no status word at all
    })
    with pytest.raises(IdentityError):
        await read_identity(card.transmit)


async def test_list_sp_domains_select_next() -> None:
    answers = iter([
        bytes.fromhex("6F0C840AA0000006170173656372") + b"\x90\x00",
        bytes.fromhex("6F0C840AA00000061701DEADBEEF") + b"\x90\x00",
        b"\x6a\x82",
        b"\x90\x00",
    ])

    async def transmit(apdu: bytes) -> bytes:
        return next(answers)

    assert await list_sp_domains(transmit) == ["73656372", "deadbeef"]


def test_platform_table() -> None:
    assert detect_platform(bytes.fromhex("47905168479112103800") + bytes(32)) == "JCOP242R1"
    assert detect_platform(None) == "UNKNOWN"
    assert detect_platform(bytes(42)) == "UNKNOWN"
