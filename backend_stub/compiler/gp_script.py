"""GlobalPlatform scripts: SELECT + INITIALIZE UPDATE, then everything else in one batch.

The plain commands are planned when the script is built (so bad input fails
at once) and expanded into LOAD / STORE DATA blocks once the INITIALIZE
UPDATE answer fixes the SCP version and security level, which decide how
much each block loses to secure messaging.
"""

from __future__ import annotations

import os
from typing import Any

from backend_stub.compiler import gp
from backend_stub.compiler.base import CardContext, Command, Script, ScriptError
from backend_stub.compiler.channel import (
    SecureChannel,
    SecureChannelError,
    channel_from_dict,
    initialize_update,
    open_channel,
)

WORST_OVERHEAD = 24  # SCP03 C-DEC + C-MAC


def raw_step(apdu: bytes, expect: tuple[str, ...] = ("9000",), name: str = "") -> dict[str, Any]:
    cmd = Command(apdu, expect, name)
    return {"op": "raw", **cmd.to_dict()}


def load_step(lfdb: bytes) -> dict[str, Any]:
    return {"op": "load", "lfdb": lfdb.hex().upper()}


def store_step(data: bytes, tag_type: str) -> dict[str, Any]:
    return {"op": "store", "data": data.hex().upper(), "tag_type": tag_type}


def expand(plan: list[dict[str, Any]], block: int) -> list[Command]:
    """Plain commands of a plan for a given LOAD/STORE DATA block size."""
    out: list[Command] = []
    for step in plan:
        if step["op"] == "raw":
            out.append(Command.from_dict(step))
        elif step["op"] == "load":
            blocks = gp.load_blocks(bytes.fromhex(step["lfdb"]), block)
            out += [Command(b, ("9000",), f"LOAD (block {i + 1} of {len(blocks)})")
                    for i, b in enumerate(blocks)]
        elif step["op"] == "store":
            blocks = gp.store_data_blocks(bytes.fromhex(step["data"]), step["tag_type"], block)
            out += [Command(b, ("9000",), f"STORE DATA (block {i + 1} of {len(blocks)})")
                    for i, b in enumerate(blocks)]
        else:
            raise ScriptError(400, f"unknown plan step {step['op']!r}")
    return out


class GpScript(Script):
    """SELECT sd + INITIALIZE UPDATE; then EXTERNAL AUTHENTICATE + the wrapped plan."""

    kind = "gp"

    def __init__(self, ctx: CardContext, sd_aid: bytes, plan: list[dict[str, Any]], *,
                 record: bool = False, host_challenge: bytes | None = None,
                 check_challenge: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.sd_aid = sd_aid
        self.plan = plan
        self.record = record
        self.host_challenge = host_challenge if host_challenge is not None else os.urandom(8)
        self.check_challenge = check_challenge
        self.phase = "new"
        self.channel: SecureChannel | None = None
        self.responses: list[str] = []
        # Fail now, not after the card answered, if the plan cannot fit the card.
        # The expansion is kept: with the usual full security level it is the one used.
        self._expanded: tuple[int, list[Command]] | None = None
        try:
            worst = gp.block_size(ctx.max_block, WORST_OVERHEAD)
            self._expanded = (worst, expand(plan, worst))
        except gp.GpError as exc:
            raise ScriptError(400, str(exc)) from None

    def _plain(self, block: int) -> list[Command]:
        if self._expanded is not None and self._expanded[0] == block:
            return self._expanded[1]
        return expand(self.plan, block)

    def _start(self) -> list[Command]:
        self.phase = "iu"
        return [
            Command(gp.select(self.sd_aid), ("9000",), f"SELECT {self.sd_aid.hex().upper()}"),
            Command(initialize_update(self.ctx.keys.kvn, self.host_challenge), ("9000",),
                    "INITIALIZE UPDATE"),
        ]

    def _advance(self, responses: list[bytes]) -> list[Command]:
        if self.phase == "iu":
            return self._authenticate(responses[1][:-2])
        if self.phase == "wrapped":
            self._unwrap(responses[1:])
            self.phase = "done"
            return []
        raise ScriptError(400, f"no batch expected in phase {self.phase}")

    def _authenticate(self, iu_data: bytes) -> list[Command]:
        try:
            channel = open_channel(self.ctx.keys, self.host_challenge, iu_data,
                                   self.ctx.security_level, self.sd_aid, self.check_challenge)
            plain = self._plain(gp.block_size(self.ctx.max_block, channel.block_overhead))
            batch = [Command(channel.external_authenticate(), ("9000",), "EXTERNAL AUTHENTICATE")]
            batch += [Command(channel.wrap(c.apdu), c.expect, c.name) for c in plain]
        except SecureChannelError as exc:
            raise ScriptError(500, f"secure channel: {exc}") from None
        except gp.GpError as exc:
            raise ScriptError(400, str(exc)) from None
        self.channel = channel
        self.phase = "wrapped"
        return batch

    def _unwrap(self, answers: list[bytes]) -> None:
        assert self.channel is not None
        try:
            plain = [self.channel.unwrap(a) for a in answers]
        except SecureChannelError as exc:
            raise ScriptError(500, f"secure channel: {exc}") from None
        if self.record:
            self.responses = [p.hex().upper() for p in plain]

    def result(self) -> dict[str, Any]:
        return {"responses": list(self.responses)} if self.record else {}

    def _state(self) -> dict[str, Any]:
        # once the plan is wrapped into the batch it is never read again: a LOAD's plan
        # holds the whole Load File Data Block, not worth storing (and encoding) twice
        plan = self.plan if self.phase in ("new", "iu") else []
        return {
            "ctx": self.ctx.to_dict(), "sd_aid": self.sd_aid.hex().upper(), "plan": plan,
            "record": self.record, "host_challenge": self.host_challenge.hex(),
            "check_challenge": self.check_challenge, "phase": self.phase,
            "channel": self.channel.to_dict() if self.channel else None,
            "responses": self.responses,
        }

    @classmethod
    def _restore(cls, state: dict[str, Any]) -> GpScript:
        self = cls.__new__(cls)
        Script.__init__(self)
        self.ctx = CardContext.from_dict(state["ctx"])
        self.sd_aid = bytes.fromhex(state["sd_aid"])
        self.plan = state["plan"]
        self.record = bool(state["record"])
        self.host_challenge = bytes.fromhex(state["host_challenge"])
        self.check_challenge = bool(state["check_challenge"])
        self.phase = state["phase"]
        self.channel = channel_from_dict(state["channel"]) if state["channel"] else None
        self.responses = list(state["responses"])
        self._expanded = None
        return self
