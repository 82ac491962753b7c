"""Small pieces of the protocol: status-word patterns, hex, key configuration."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend_stub import cli
from backend_stub.compiler.base import accepts
from backend_stub.compiler.keys import kcv_aes
from backend_stub.config import make_settings
from backend_stub.engine.keystore import describe, load_keys_file, parse_key_config, put_keys
from backend_stub.engine.operations import connector_answer
from backend_stub.errors import ApiError
from backend_stub.hexutil import HexError, parse_hex
from backend_stub.server import start_engine, stop_engine
from backend_stub.store.models import CardKeyRow


def sw_matches(sw: str, pattern: str) -> bool:
    """The connector's status-word check (compiler.base.accepts) for one pattern."""
    return accepts((pattern,))(int(sw, 16))


def test_sw_patterns() -> None:
    assert sw_matches("9000", "9000")
    assert sw_matches("6110", "61XX") and sw_matches("61FF", "61xx")
    assert not sw_matches("6A88", "61XX")
    assert sw_matches("91AF", "91XX") and not sw_matches("9100", "91AF")
    assert accepts(("9000", "61XX"))(0x6110) and not accepts(("9000", "61XX"))(0x6A82)


@given(st.integers(0, 0xFFFF))
def test_any_sw_matches_its_own_text_and_xxxx(sw: int) -> None:
    text = f"{sw:04X}"
    assert sw_matches(text, text) and sw_matches(text, "XXXX")
    assert sw_matches(text, text[:2] + "XX")


def test_connector_answer_keeps_commands_a_plain_list() -> None:
    batch = [{"apdu": "00A4040000", "expect": ["9000", "61XX"], "name": "SELECT"}]
    answer = connector_answer(batch)
    assert answer["commands"] == ["00A4040000"]  # what clients of the public platform read
    assert answer["expect"] == [["9000", "61XX"]]


@given(st.binary(max_size=40))
def test_hex_round_trip_either_case(data: bytes) -> None:
    assert parse_hex(data.hex()) == data
    assert parse_hex(data.hex().upper()) == data


@pytest.mark.parametrize("value", ["0", "0G", "00 11", 12, None, "0x00"])
def test_bad_hex(value: object) -> None:
    with pytest.raises(HexError):
        parse_hex(value)


def test_key_config_and_kcv_only_listing() -> None:
    cfg = parse_key_config({"scope": "iin", "match": "99990100",
                            "masterKey": "404142434445464748494A4B4C4D4E4F",
                            "diversify": "kdf3", "kvn": 48})
    assert cfg["enc"] == cfg["mac"] == cfg["dek"] == "404142434445464748494A4B4C4D4E4F"
    row = CardKeyRow(scope="iin", match="99990100", enc=cfg["enc"], mac=cfg["mac"],
                     dek=cfg["dek"], kvn=48, diversify="kdf3")
    shown = describe(row)
    # the AES KCV of the GP test key is 504A77 (gp-apdu.md 1.1); key bytes are not shown
    assert shown["kcv"]["enc"] == kcv_aes(bytes.fromhex(cfg["enc"])).hex().upper() == "504A77"
    assert cfg["enc"] not in repr(shown)
    for bad, field in [({"scope": "planet"}, "scope"),
                       ({"masterKey": "00"}, "masterKey"),
                       ({"masterKey": "40" * 16, "diversify": "rot13"}, "diversify"),
                       ({"masterKey": "40" * 16, "kvn": 300}, "kvn"),
                       ({"scope": "batch", "match": "x", "masterKey": "40" * 16}, "match")]:
        with pytest.raises(ApiError) as info:
            parse_key_config(bad)
        assert info.value.field == field


def test_keys_file(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text('{"cards": [{"scope": "default", "masterKey": "' + "41" * 16 + '"}, '
                    '{"scope": "batch", "match": 7, "enc": "' + "42" * 16 + '", "mac": "'
                    + "43" * 16 + '", "dek": "' + "44" * 16 + '", "kvn": 48}]}')
    default, batch = load_keys_file(path)
    assert default["scope"] == "default" and default["match"] == ""
    assert batch["match"] == "7" and batch["mac"] == "43" * 16 and batch["kvn"] == 48
    path.write_text('{"cards": [{"scope": "cin", "match": "zz", "masterKey": "00"}]}')
    with pytest.raises(ValueError, match=r"keys\.json: cards\.0\.match: "):
        load_keys_file(path)
    path.write_text("[]")
    with pytest.raises(ValueError, match="cards"):
        load_keys_file(path)


def test_a_bad_keys_file_stops_serve_with_one_line(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "keys.json"
    path.write_text('{"cards": [{"scope": "default", "enc": "XYZ"}]}')
    code = cli.main(["serve", "--data-dir", str(tmp_path), "--port", "1", "--keys", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"touchpoint-backend: {path}: cards.0.") and "hex" in err
    assert "Traceback" not in err


def test_a_malformed_key_encryption_key_stops_serve_with_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOUCHPOINT_BACKEND_KEK", "abcd")
    code = cli.main(["serve", "--data-dir", str(tmp_path), "--port", "1"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert err.startswith("touchpoint-backend: TOUCHPOINT_BACKEND_KEK must be 64 hex digits")


async def test_serve_with_another_key_encryption_key_stops_with_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TOUCHPOINT_BACKEND_KEK", raising=False)
    eng = await start_engine(make_settings(tmp_path))  # the KEK file is made here
    await eng.db.write(lambda s: put_keys(s, parse_key_config(
        {"scope": "default", "masterKey": "41" * 16}), 0.0))
    await stop_engine(eng)
    monkeypatch.setenv("TOUCHPOINT_BACKEND_KEK", "ab" * 32)
    code = await asyncio.to_thread(cli.main, ["serve", "--data-dir", str(tmp_path),
                                              "--port", "1"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "card_keys.enc" in err and "another key-encryption key" in err
