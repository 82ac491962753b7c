"""Shared fixtures for the cardsim tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from cardsim.card import VirtualCard
from cardsim.profile import CardProfile

MASTER = bytes.fromhex("404142434445464748494A4B4C4D4E4F")


@pytest.fixture
def card_path(tmp_path: Path) -> Path:
    return tmp_path / "card.json"


@pytest.fixture
def card(card_path: Path) -> VirtualCard:
    """A persisted SCP03 i=70 card with the default test key 404142..4F."""
    return VirtualCard.create(card_path, profile=CardProfile(cin=bytes.fromhex("0102030405060708")))
