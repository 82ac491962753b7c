"""The GlobalPlatform registry: load files, applications and security domains.

Plain dataclasses with JSON round-trips; command handlers validate first and
only then mutate these objects.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

ISD_AID = bytes.fromhex("A000000151000000")
SD_PACKAGE_AID = bytes.fromhex("A0000001515350")
SD_MODULE_AID = bytes.fromhex("A000000151535041")
PLATFORM_PACKAGE_AID = bytes.fromhex("A0000006170200090001")
PLATFORM_APPLET_AID = bytes.fromhex("A00000061702000900010101")

# Life cycle states (GP 2.3.1 section 11.1.1).
LC_LOADED = 0x01
LC_INSTALLED = 0x03
LC_SELECTABLE = 0x07
LC_PERSONALIZED = 0x0F
LC_CARD_SECURED = 0x0F
LC_LOCKED_BIT = 0x80

PRIV_SECURITY_DOMAIN = 0x80
PRIV2_AUTHORIZED_MANAGEMENT = 0x40
ISD_PRIVILEGES = bytes.fromhex("9EFE80")


def _h(b: bytes) -> str:
    return b.hex().upper()


@dataclass
class KeySet:
    kvn: int
    kind: str  # "aes" (SCP03) or "des3" (SCP02)
    enc: bytes
    mac: bytes
    dek: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "kvn": self.kvn,
            "kind": self.kind,
            "enc": _h(self.enc),
            "mac": _h(self.mac),
            "dek": _h(self.dek),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> KeySet:
        return cls(
            int(d["kvn"]),
            str(d["kind"]),
            bytes.fromhex(d["enc"]),
            bytes.fromhex(d["mac"]),
            bytes.fromhex(d["dek"]),
        )


@dataclass
class DomainData:
    """What makes an application a security domain: keys and SCP parameters.

    `sequence` is the counter the next INITIALIZE UPDATE uses (SCP03 with
    pseudo-random challenges; it then advances) or the counter of the next
    SCP02 session (it advances after a successful EXTERNAL AUTHENTICATE).
    """

    scp: int
    scp_i: int
    keysets: list[KeySet]
    sequence: int = 1
    data_objects: dict[int, bytes] = field(default_factory=dict)

    def keyset(self, kvn: int) -> KeySet | None:
        if kvn == 0:
            return self.keysets[0] if self.keysets else None
        return next((k for k in self.keysets if k.kvn == kvn), None)

    def copy(self) -> DomainData:
        return DomainData.from_json(self.to_json())

    def to_json(self) -> dict[str, Any]:
        return {
            "scp": self.scp,
            "scp_i": self.scp_i,
            "sequence": self.sequence,
            "keysets": [k.to_json() for k in self.keysets],
            "data_objects": {f"{t:X}": _h(v) for t, v in self.data_objects.items()},
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> DomainData:
        return cls(
            int(d["scp"]),
            int(d["scp_i"]),
            [KeySet.from_json(k) for k in d["keysets"]],
            int(d["sequence"]),
            {int(t, 16): bytes.fromhex(v) for t, v in d.get("data_objects", {}).items()},
        )


@dataclass
class LoadFile:
    aid: bytes
    sd: bytes
    modules: list[bytes]
    version: tuple[int, int] = (1, 0)
    lfdb: bytes = b""
    system: bool = False
    lifecycle: int = LC_LOADED

    def to_json(self) -> dict[str, Any]:
        return {
            "aid": _h(self.aid),
            "sd": _h(self.sd),
            "modules": [_h(m) for m in self.modules],
            "version": list(self.version),
            "lfdb": _h(self.lfdb),
            "system": self.system,
            "lifecycle": self.lifecycle,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> LoadFile:
        return cls(
            bytes.fromhex(d["aid"]),
            bytes.fromhex(d["sd"]),
            [bytes.fromhex(m) for m in d["modules"]],
            (int(d["version"][0]), int(d["version"][1])),
            bytes.fromhex(d["lfdb"]),
            bool(d["system"]),
            int(d["lifecycle"]),
        )


@dataclass
class Application:
    aid: bytes
    elf: bytes
    module: bytes
    sd: bytes | None  # associated security domain; None for the ISD
    lifecycle: int
    privileges: bytes
    system: bool = False
    applet_state: dict[str, Any] = field(default_factory=dict)
    domain: DomainData | None = None

    @property
    def is_sd(self) -> bool:
        return self.domain is not None

    @property
    def locked(self) -> bool:
        return bool(self.lifecycle & LC_LOCKED_BIT)

    @property
    def selectable(self) -> bool:
        return not self.locked and self.lifecycle & LC_SELECTABLE == LC_SELECTABLE

    def to_json(self) -> dict[str, Any]:
        return {
            "aid": _h(self.aid),
            "elf": _h(self.elf),
            "module": _h(self.module),
            "sd": _h(self.sd) if self.sd is not None else None,
            "lifecycle": self.lifecycle,
            "privileges": _h(self.privileges),
            "system": self.system,
            "applet_state": self.applet_state,
            "domain": self.domain.to_json() if self.domain else None,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Application:
        return cls(
            bytes.fromhex(d["aid"]),
            bytes.fromhex(d["elf"]),
            bytes.fromhex(d["module"]),
            bytes.fromhex(d["sd"]) if d.get("sd") else None,
            int(d["lifecycle"]),
            bytes.fromhex(d["privileges"]),
            bool(d["system"]),
            dict(d.get("applet_state") or {}),
            DomainData.from_json(d["domain"]) if d.get("domain") else None,
        )


@dataclass
class Registry:
    apps: list[Application]  # the ISD first, then in installation order
    elfs: list[LoadFile]

    @property
    def isd(self) -> Application:
        return self.apps[0]

    def app(self, aid: bytes) -> Application | None:
        return next((a for a in self.apps if a.aid == aid), None)

    def elf(self, aid: bytes) -> LoadFile | None:
        return next((e for e in self.elfs if e.aid == aid), None)

    def aid_in_use(self, aid: bytes) -> bool:
        return self.app(aid) is not None or self.elf(aid) is not None

    def instances_of(self, elf_aid: bytes) -> list[Application]:
        return [a for a in self.apps if a.elf == elf_aid and a.sd is not None]

    def associated_with(self, sd_aid: bytes) -> Iterator[Application | LoadFile]:
        yield from (a for a in self.apps if a.sd == sd_aid)
        yield from (e for e in self.elfs if e.sd == sd_aid)

    def to_json(self) -> dict[str, Any]:
        return {"apps": [a.to_json() for a in self.apps], "elfs": [e.to_json() for e in self.elfs]}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Registry:
        return cls(
            [Application.from_json(a) for a in d["apps"]],
            [LoadFile.from_json(e) for e in d["elfs"]],
        )
