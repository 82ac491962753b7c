"""Secrets at rest: card keys and secure-channel state are sealed in the database file,
open again with the same key-encryption key, and refuse to open with another one."""

from __future__ import annotations

import base64
import sqlite3
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from backend_stub.config import KEK_ENV, KEK_FILE, make_settings, resolve_kek, sqlite_url
from backend_stub.engine.keystore import parse_key_config, put_keys, secrets_for
from backend_stub.server import create_app, start_engine, stop_engine
from backend_stub.store.db import Database
from backend_stub.store.migrations import reseal_clear_values
from backend_stub.store.models import CardKeyRow, Operation
from backend_stub.store.sealing import PREFIX, SealedText, Sealer, SealError
from tests.helpers import legacy_store

KEY = "00112233445566778899AABBCCDDEEFF"
KEK = bytes(range(32))


def test_a_sealed_value_opens_only_with_its_key_and_column() -> None:
    sealer = Sealer(KEK)
    text = sealer.seal(KEY.encode(), "card_keys.enc")
    assert text.startswith(PREFIX) and KEY not in text
    assert sealer.seal(KEY.encode(), "card_keys.enc") != text  # a fresh nonce each time
    assert sealer.open(text, "card_keys.enc") == KEY.encode()
    with pytest.raises(SealError, match="another key-encryption key"):
        sealer.open(text, "card_keys.mac")  # moved to another column
    with pytest.raises(SealError, match="another key-encryption key"):
        Sealer(bytes(32)).open(text, "card_keys.enc")
    with pytest.raises(SealError, match="truncated"):
        sealer.open(PREFIX + base64.b64encode(bytes(20)).decode(), "card_keys.enc")
    with pytest.raises(SealError, match="base64"):
        sealer.open(PREFIX + "***", "card_keys.enc")
    with pytest.raises(SealError, match="32 bytes"):
        Sealer(bytes(16))


def _config() -> dict:
    return parse_key_config({"scope": "iin", "match": "99990100", "enc": KEY, "mac": KEY,
                             "dek": KEY, "kvn": 48})


async def test_card_keys_are_sealed_in_the_database_file(tmp_path: Path) -> None:
    path = tmp_path / "b.sqlite3"
    db = Database(sqlite_url(path), sealer=Sealer(KEK))
    await db.migrate()
    await db.write(lambda s: put_keys(s, _config(), 0.0))
    got = await db.read(lambda s: secrets_for(s, "00" * 8, "99990100", None))
    assert got.keys.master_enc.hex().upper() == KEY
    await db.close()
    raw = sqlite3.connect(path).execute("SELECT enc, mac, dek FROM card_keys").fetchone()
    assert all(v.startswith(PREFIX) for v in raw)
    assert KEY.encode() not in path.read_bytes() and KEY.lower().encode() not in path.read_bytes()

    other = Database(sqlite_url(path), sealer=Sealer(bytes(32)))
    with pytest.raises(SealError, match=r"card_keys\.enc.*another key-encryption key"):
        await other.read(lambda s: secrets_for(s, "00" * 8, "99990100", None))
    await other.close()


async def test_keys_stored_in_clear_before_sealing_are_sealed_at_start(tmp_path: Path) -> None:
    path = tmp_path / "b.sqlite3"
    # as an older backend left it: the old runner's step 2, keys in clear
    await legacy_store.build(sqlite_url(path), 2)
    con = sqlite3.connect(path)
    con.execute("UPDATE card_keys SET enc = ?, mac = ?, dek = ?", (KEY, KEY, KEY))
    con.commit()
    con.close()
    settings = make_settings(tmp_path, db_path=path, kek=KEK)
    eng = await start_engine(settings)
    try:
        got = await eng.db.read(lambda s: s.execute(select(CardKeyRow.enc)).scalar_one())
        assert got == KEY
        assert await eng.db.write(  # nothing left in clear
            lambda s: reseal_clear_values(s.connection())) == 0
    finally:
        await stop_engine(eng)
    raw = sqlite3.connect(path).execute("SELECT enc FROM card_keys").fetchone()[0]
    assert raw.startswith(PREFIX)


async def test_without_a_sealer_a_secret_is_neither_written_nor_read(tmp_path: Path) -> None:
    db = Database(sqlite_url(tmp_path / "b.sqlite3"))
    await db.migrate()
    with pytest.raises(SealError, match="no key-encryption key"):
        await db.write(lambda s: put_keys(s, _config(), 0.0))
    assert await db.read(lambda s: s.execute(select(Operation.id)).all()) == []
    await db.close()


def test_the_key_encryption_key_comes_from_env_else_a_private_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEK_ENV, raising=False)
    first = resolve_kek(None, tmp_path)
    assert len(first) == 32 and resolve_kek(None, tmp_path) == first  # kept across restarts
    assert (tmp_path / KEK_FILE).stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv(KEK_ENV, KEK.hex())
    assert resolve_kek(None, tmp_path) == KEK
    monkeypatch.setenv(KEK_ENV, "abcd")
    with pytest.raises(ValueError, match=f"{KEK_ENV} must be 64 hex digits"):
        resolve_kek(None, tmp_path)
    monkeypatch.delenv(KEK_ENV)
    (tmp_path / KEK_FILE).write_text("not hex\n")
    with pytest.raises(ValueError, match="must hold 64 hex digits"):
        resolve_kek(None, tmp_path)
    assert repr(SealedText("x")) and "kek" not in repr(make_settings(tmp_path / "d", kek=KEK))


async def test_a_backend_started_with_another_key_stops_at_start(tmp_path: Path) -> None:
    eng = await start_engine(make_settings(tmp_path, kek=KEK))
    await eng.db.write(lambda s: put_keys(s, _config(), 0.0))
    await stop_engine(eng)
    with pytest.raises(SealError, match=r"card_keys\.enc.*another key-encryption key"):
        await start_engine(make_settings(tmp_path, kek=bytes(32)))
    eng = await start_engine(make_settings(tmp_path, kek=KEK))  # the right key still opens
    await stop_engine(eng)


async def test_a_sealed_value_that_does_not_open_is_a_clear_api_error(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, kek=KEK, admin_token="A")
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        await app.state.engine.db.write(lambda s: put_keys(s, _config(), 0.0))
        con = sqlite3.connect(tmp_path / "backend.sqlite3")  # altered behind the backend
        con.execute("UPDATE card_keys SET mac = ?",
                    (Sealer(bytes(32)).seal(KEY.encode(), "card_keys.mac"),))
        con.commit()
        con.close()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            rsp = await http.get("/admin/card-keys", headers={"Authorization": "Bearer A"})
    assert rsp.status_code == 500
    assert rsp.json()["error"] == "sealed-data"
    assert "card_keys.mac" in rsp.json()["message"] and KEY not in rsp.text
