"""app.paths: where the touch point's files are, with the overrides tests and bundles use."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import paths

ROOT = Path(__file__).resolve().parents[3]


def test_data_dir_follows_touchpoint_home_and_is_made(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "deep" / "home"
    monkeypatch.setenv(paths.HOME_ENV, str(home))
    assert paths.data_dir() == home and home.is_dir()
    assert paths.virtual_card_file() == home / "virtual-card.json"


def test_data_dir_without_override_is_the_users_data_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.HOME_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert paths.data_dir() == tmp_path / "se-touchpoint"


def test_shipped_files_beside_the_packages(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.DEMO_DIR_ENV, raising=False)
    monkeypatch.delenv(paths.QM_DIR_ENV, raising=False)
    assert not paths.frozen() and paths.bundle_root() == ROOT
    assert paths.demo_dir() == ROOT / "resources" / "demo" and paths.demo_dir().is_dir()
    assert paths.qm_dir() == ROOT / "ui" / "translations"
    monkeypatch.setenv(paths.DEMO_DIR_ENV, str(tmp_path / "demo"))
    monkeypatch.setenv(paths.QM_DIR_ENV, str(tmp_path / "qm"))
    assert paths.demo_dir() == tmp_path / "demo" and paths.qm_dir() == tmp_path / "qm"
