"""The virtual Secure Element: APDU transport, selection, persistence and tearing.

One `transmit` = one command: parse, dispatch (DESFire for CLA 90, SELECT and
GET RESPONSE here, the selected security domain or applet otherwise), then
either persist what changed (atomic JSON write) or, when the command failed,
reload the last saved state so that nothing half-done survives.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from cardsim import sd as sd_commands
from cardsim.apdu import CommandAPDU, parse_apdu
from cardsim.applets import behaviour_for
from cardsim.context import Context, Hooks, Transient
from cardsim.errors import (
    SW_CHAINING_NOT_SUPPORTED,
    SW_CHANNEL_NOT_SUPPORTED,
    SW_CLA_NOT_SUPPORTED,
    SW_CONDITIONS_NOT_SATISFIED,
    SW_FILE_NOT_FOUND,
    SW_INCORRECT_P1P2,
    SW_OK,
    SW_UNKNOWN,
    SWError,
    is_success,
)
from cardsim.identity import build_atr
from cardsim.profile import CardProfile
from cardsim.registry import ISD_AID, Application
from cardsim.state import CardState, read_state, write_atomic

log = logging.getLogger(__name__)

INS_SELECT = 0xA4
INS_MANAGE_CHANNEL = 0x70
INS_GET_RESPONSE = 0xC0
CLA_DESFIRE = 0x90
CLA_PCSC = 0xFF


class CardRemoved(Exception):
    """The card lost power (tearing, or powered off): the command's answer is lost."""


class VirtualCard:
    """A GlobalPlatform card with SCP03/SCP02, an applet registry and a DESFire EV1 chip.

    A new or loaded card starts powered on. `path` None keeps the card in memory only.
    """

    def __init__(self, state: CardState, path: str | os.PathLike[str] | None) -> None:
        self._path = Path(path) if path is not None else None
        self._state = state
        self._saved = state.dumps()
        self._hooks = Hooks()
        self._transient = Transient()
        self._powered = True
        self._tear_after: int | None = None
        self._tear_execute = False
        self.atr = build_atr()

    # --- construction -------------------------------------------------------------------

    @classmethod
    def create(
        cls, path: str | os.PathLike[str] | None = None, *, profile: CardProfile | None = None
    ) -> VirtualCard:
        """A factory-fresh card; written to `path` at once when given."""
        card = cls(CardState.new(profile or CardProfile()), path)
        if card._path is not None:
            write_atomic(card._path, card._saved)
        return card

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> VirtualCard:
        """Reopens a card from its state file (raises state.StateError when unreadable)."""
        return cls(read_state(path), path)

    # --- identity -----------------------------------------------------------------------

    @property
    def cin(self) -> bytes:
        return self._state.profile.cin

    @property
    def iin(self) -> bytes:
        return self._state.profile.iin

    @property
    def profile(self) -> CardProfile:
        return self._state.profile

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def state(self) -> CardState:
        """The live persistent state (read it; mutate only through APDUs)."""
        return self._state

    # --- power and tearing --------------------------------------------------------------

    def power_on(self) -> bytes:
        self._powered = True
        self._transient = Transient()
        return self.atr

    def power_off(self) -> None:
        self._powered = False
        self._transient = Transient()

    @property
    def powered(self) -> bool:
        return self._powered

    def arm_tear(self, after: int, *, execute_last: bool = False) -> None:
        """After `after` more APDUs, the next one tears (see module docs of the brief)."""
        if after < 0:
            raise ValueError("after must be >= 0")
        self._tear_after = after
        self._tear_execute = execute_last

    def disarm_tear(self) -> None:
        self._tear_after = None

    # --- test hooks ---------------------------------------------------------------------

    def fix_card_challenge(self, challenge: bytes | None) -> None:
        """Test hook: the next INITIALIZE UPDATE uses this challenge (8 bytes SCP03, 6 SCP02)."""
        self._hooks.card_challenge = challenge

    def set_sequence_counter(self, value: int, sd_aid: bytes = ISD_AID) -> None:
        """Test hook: the SCP sequence counter the next session of that domain uses (persisted)."""
        app = self._state.registry.app(sd_aid)
        if app is None or app.domain is None:
            raise ValueError(f"no security domain {sd_aid.hex()}")
        app.domain.sequence = value
        self._persist()

    # --- transport ----------------------------------------------------------------------

    def transmit(self, apdu: bytes) -> bytes:
        """Runs one command APDU; returns data || SW1 SW2. Raises only CardRemoved."""
        if not self._powered:
            raise CardRemoved("card is powered off")
        if self._tear_after is not None:
            if self._tear_after == 0:
                self._tear_after = None
                if self._tear_execute:
                    self._run(bytes(apdu))
                self.power_off()
                raise CardRemoved("card torn")
            self._tear_after -= 1
        return self._run(bytes(apdu))

    def _run(self, raw: bytes) -> bytes:
        ctx = Context(self._state, self._transient, self._hooks)
        cmd: CommandAPDU | None = None
        try:
            cmd = parse_apdu(raw)
            data, sw = self._dispatch(ctx, cmd)
        except SWError as exc:
            data, sw = b"", exc.sw
        except Exception:  # a bug must not take the reader down; the state is rolled back
            log.exception("cardsim: internal error on %s", raw.hex())
            data, sw = b"", SW_UNKNOWN
            ctx.dirty = True  # whatever it touched is undone below
        if ctx.dirty:
            if is_success(sw) or sw in (0x9100, 0x91AF):
                self._persist()
            else:
                self._rollback()
        return self._respond(cmd, data, sw)

    def _persist(self) -> None:
        text = self._state.dumps()
        if text == self._saved:
            return
        if self._path is not None:
            write_atomic(self._path, text)
        self._saved = text

    def _rollback(self) -> None:
        self._state = CardState.loads(self._saved)

    def _respond(self, cmd: CommandAPDU | None, data: bytes, sw: int) -> bytes:
        """Applies Le: longer answers are split with 61xx and fetched by GET RESPONSE."""
        self._transient.response_rest = None
        limit = 256
        if cmd is not None and cmd.ne is not None:
            limit = cmd.ne
        elif cmd is not None and cmd.extended:
            limit = 65536
        if len(data) <= limit:
            return data + sw.to_bytes(2, "big")
        rest = data[limit:]
        self._transient.response_rest = rest
        self._transient.response_sw = sw
        return data[:limit] + bytes([0x61, min(len(rest), 256) & 0xFF])

    def _get_response(self, cmd: CommandAPDU) -> bytes:
        rest = self._transient.response_rest
        if rest is None:
            raise SWError(SW_CONDITIONS_NOT_SATISFIED, "no data to get")
        if cmd.p1 or cmd.p2:
            raise SWError(SW_INCORRECT_P1P2)
        limit = cmd.ne if cmd.ne is not None else 256
        chunk, rest = rest[:limit], rest[limit:]
        if rest:
            self._transient.response_rest = rest
            return chunk + bytes([0x61, min(len(rest), 256) & 0xFF])
        self._transient.response_rest = None
        return chunk + self._transient.response_sw.to_bytes(2, "big")

    # --- dispatch -----------------------------------------------------------------------

    def _dispatch(self, ctx: Context, cmd: CommandAPDU) -> tuple[bytes, int]:
        cla = cmd.cla
        if cla == CLA_DESFIRE:
            from cardsim.desfire.emulator import process as desfire_process

            return desfire_process(ctx, cmd)
        if cla == CLA_PCSC:
            raise SWError(SW_CLA_NOT_SUPPORTED)
        if 0x40 <= cla <= 0x7F or 0xC0 <= cla <= 0xEF:  # logical channels 4-19
            raise SWError(SW_CHANNEL_NOT_SUPPORTED)
        if not (cla <= 0x1F or 0x80 <= cla <= 0x8F):
            raise SWError(SW_CLA_NOT_SUPPORTED)
        if cla & 0x10:
            raise SWError(SW_CHAINING_NOT_SUPPORTED)
        if cla & 0x03:
            raise SWError(SW_CHANNEL_NOT_SUPPORTED)
        if cmd.ins == INS_GET_RESPONSE and cla & 0xFC == 0x00:
            return self._split(self._get_response(cmd))
        self._transient.response_rest = None
        if cmd.ins == INS_SELECT and cla & 0xFC == 0x00:
            return self._select(ctx, cmd)
        if cmd.ins == INS_MANAGE_CHANNEL and cla & 0xFC == 0x00:
            raise SWError(SW_CHANNEL_NOT_SUPPORTED)
        app = ctx.selected_app
        if app is None or not (app.selectable or app.aid == ISD_AID):
            raise SWError(SW_CONDITIONS_NOT_SATISFIED, "selected application is gone")
        if app.is_sd:
            return sd_commands.process(ctx, app, cmd)
        return self._applet_command(ctx, app, cmd)

    @staticmethod
    def _split(answer: bytes) -> tuple[bytes, int]:
        return answer[:-2], int.from_bytes(answer[-2:], "big")

    def _applet_command(
        self, ctx: Context, app: Application, cmd: CommandAPDU
    ) -> tuple[bytes, int]:
        before = json.dumps(app.applet_state, sort_keys=True)
        applet = behaviour_for(app.elf)(app.aid, app.applet_state, ctx.card_info)
        try:
            response = applet.process(cmd)
        finally:
            if json.dumps(app.applet_state, sort_keys=True) != before:
                ctx.mark_dirty()
        return response.data, response.sw

    def _select(self, ctx: Context, cmd: CommandAPDU) -> tuple[bytes, int]:
        if cmd.p1 != 0x04:
            raise SWError(SW_INCORRECT_P1P2, "only selection by DF name (P1=04)")
        occurrence, answer = cmd.p2 & 0x03, cmd.p2 & 0x0C
        if occurrence not in (0x00, 0x02) or answer not in (0x00, 0x0C):
            raise SWError(SW_INCORRECT_P1P2)
        registry = ctx.state.registry
        candidates = [a for a in registry.apps if a.selectable]
        name = cmd.data
        target: Application | None
        if not name:
            target = registry.isd if occurrence == 0 else None
        elif occurrence == 0:
            target = next((a for a in candidates if a.aid == name), None) or next(
                (a for a in candidates if a.aid.startswith(name)), None
            )
        else:
            order = [a.aid for a in registry.apps]
            here = order.index(ctx.t.selected) if ctx.t.selected in order else -1
            target = next(
                (a for a in candidates if a.aid.startswith(name) and order.index(a.aid) > here),
                None,
            )
        if target is None:
            raise SWError(SW_FILE_NOT_FOUND, "no matching application")
        if target.is_sd:
            fci = sd_commands.fci(ctx, target)
        else:
            fci = behaviour_for(target.elf)(
                target.aid, dict(target.applet_state), ctx.card_info
            ).select()
        ctx.t.end_sd_session()
        ctx.t.selected = target.aid
        return (b"" if answer == 0x0C else fci), SW_OK


__all__ = ["CardRemoved", "VirtualCard"]
