"""Per-command context: the persistent state, the transient (power-cycle) state, test hooks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cardsim.applets.base import CardInfo
from cardsim.registry import ISD_AID, Application
from cardsim.scp02 import SCP02Session
from cardsim.scp03 import SCP03Session
from cardsim.state import CardState

Channel = SCP03Session | SCP02Session


@dataclass
class PendingLoad:
    """A LOAD sequence opened by INSTALL [for load]; lives in memory until the last block."""

    elf_aid: bytes
    sd_aid: bytes
    load_hash: bytes
    next_block: int = 0
    buffer: bytearray = field(default_factory=bytearray)


@dataclass
class Transient:
    """Everything a power cycle forgets."""

    selected: bytes = ISD_AID
    channel: Channel | None = None
    pending_load: PendingLoad | None = None
    perso_target: bytes | None = None
    store_block: int = 0
    status_pages: list[bytes] = field(default_factory=list)
    status_key: tuple[int, int] | None = None
    response_rest: bytes | None = None
    response_sw: int = 0x9000
    desfire: Any = None  # cardsim.desfire.emulator.Session, created on first use

    def end_sd_session(self) -> None:
        """SELECT, a new INITIALIZE UPDATE or a failed MAC end all of this (AMDD 5.6)."""
        self.channel = None
        self.pending_load = None
        self.perso_target = None
        self.store_block = 0
        self.status_pages = []
        self.status_key = None


@dataclass
class Hooks:
    """Test hooks: survive power cycles, used once."""

    card_challenge: bytes | None = None


@dataclass
class Context:
    state: CardState
    t: Transient
    hooks: Hooks
    dirty: bool = False

    def mark_dirty(self) -> None:
        self.dirty = True

    @property
    def card_info(self) -> CardInfo:
        p = self.state.profile
        return CardInfo(p.iin, p.cin, p.batch_id)

    @property
    def selected_app(self) -> Application | None:
        return self.state.registry.app(self.t.selected)
