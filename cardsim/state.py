"""The whole persistent card state and its atomic JSON file."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cardsim.desfire.model import new_picc
from cardsim.diversify import static_keys
from cardsim.profile import CardProfile
from cardsim.registry import (
    ISD_AID,
    ISD_PRIVILEGES,
    LC_CARD_SECURED,
    LC_LOADED,
    LC_SELECTABLE,
    PLATFORM_APPLET_AID,
    PLATFORM_PACKAGE_AID,
    SD_MODULE_AID,
    SD_PACKAGE_AID,
    Application,
    DomainData,
    KeySet,
    LoadFile,
    Registry,
)

FORMAT = "cardsim-state/1"


class StateError(ValueError):
    """A state file cannot be read: missing, not JSON, or not a cardsim state."""


@dataclass
class CardState:
    profile: CardProfile
    registry: Registry
    desfire: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def new(cls, profile: CardProfile) -> CardState:
        if profile.keys is not None:
            enc, mac, dek = profile.keys
        else:
            enc, mac, dek = static_keys(
                profile.master_key, profile.key_diversification_data, profile.diversify
            )
        kind = "aes" if profile.scp == 3 else "des3"
        assert profile.kvn is not None and profile.scp_i is not None
        domain = DomainData(profile.scp, profile.scp_i, [KeySet(profile.kvn, kind, enc, mac, dek)])
        isd = Application(
            ISD_AID,
            SD_PACKAGE_AID,
            SD_MODULE_AID,
            None,
            LC_CARD_SECURED,
            ISD_PRIVILEGES,
            system=True,
            domain=domain,
        )
        platform = Application(
            PLATFORM_APPLET_AID,
            PLATFORM_PACKAGE_AID,
            PLATFORM_APPLET_AID,
            ISD_AID,
            LC_SELECTABLE,
            bytes(3),
            system=True,
        )
        elfs = [
            LoadFile(
                SD_PACKAGE_AID, ISD_AID, [SD_MODULE_AID], (1, 0), system=True, lifecycle=LC_LOADED
            ),
            LoadFile(PLATFORM_PACKAGE_AID, ISD_AID, [PLATFORM_APPLET_AID], (3, 0), system=True),
        ]
        return cls(profile, Registry([isd, platform], elfs), new_picc(profile.cin))

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "profile": self.profile.to_json(),
            "registry": self.registry.to_json(),
            "desfire": self.desfire,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CardState:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise StateError(f"not a {FORMAT} document")
        try:
            return cls(
                CardProfile.from_json(data["profile"]),
                Registry.from_json(data["registry"]),
                dict(data.get("desfire") or {}),
            )
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise StateError(f"state file field: {exc}") from exc

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=1, sort_keys=True)

    @classmethod
    def loads(cls, text: str) -> CardState:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise StateError(f"state file is not JSON: {exc}") from exc
        return cls.from_json(data)


def read_state(path: str | os.PathLike[str]) -> CardState:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise StateError(f"cannot read {path}: {exc}") from exc
    return CardState.loads(text)


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Temp file in the same directory, fsync, rename over, fsync the directory."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # some filesystems refuse to open directories
        dfd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
