"""Choosing the database: --db / TOUCHPOINT_DB_URL, and what needs PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend_stub import cli
from backend_stub.config import DB_URL_ENV, make_settings, resolve_db
from backend_stub.store.db import Database


def test_db_option_takes_a_path_or_a_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DB_URL_ENV, raising=False)
    assert resolve_db(None) == (None, None)
    assert resolve_db("/srv/tp.sqlite3") == (Path("/srv/tp.sqlite3"), None)
    assert resolve_db("sqlite:////srv/tp.sqlite3") == (Path("/srv/tp.sqlite3"), None)
    assert resolve_db("postgresql://tp@db/tp") == (None, "postgresql://tp@db/tp")


def test_environment_names_the_database_when_no_option(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DB_URL_ENV, "postgresql://tp@db/tp")
    assert resolve_db(None) == (None, "postgresql://tp@db/tp")
    assert resolve_db("/x.sqlite3") == (Path("/x.sqlite3"), None)  # the option wins


def test_settings_carry_the_url(tmp_path: Path) -> None:
    s = make_settings(tmp_path, device_token="d", admin_token="a",
                      db_url="postgresql://tp@db/tp")
    assert s.db_url == "postgresql://tp@db/tp"
    assert make_settings(tmp_path, device_token="d", admin_token="a").db_url.startswith(
        "sqlite:///")


def test_only_postgresql_is_shared(tmp_path: Path) -> None:
    pg = Database("postgresql://tp@127.0.0.1:1/tp")
    assert pg.shared and not pg.threaded and pg.url.startswith("postgresql+asyncpg://")
    lite = Database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert not lite.shared and lite.threaded


def test_several_workers_refuse_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv(DB_URL_ENV, raising=False)
    code = cli.main(["serve", "--data-dir", str(tmp_path), "--workers", "2"])
    assert code == 2
    assert "postgresql" in capsys.readouterr().err
    assert cli.main(["serve", "--data-dir", str(tmp_path), "--workers", "0"]) == 2


def test_help_documents_the_deployment(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["serve", "--help"])
    out = capsys.readouterr().out
    assert "--workers" in out and "load balancer" in out and "PostgreSQL" in out
