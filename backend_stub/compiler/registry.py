"""Reading a card's GlobalPlatform registry: GET STATUS inside the ISD's secure channel.

Three GET STATUS commands in the tagged E3 format (GP 2.3.1 11.4): the ISD (P1 80),
applications and security domains (P1 40), load files with their modules (P1 10).
A card that has more than fits one answer says 6310 and is asked for the next part
(P2 03) in the following batch, each part wrapped like any command of the channel.
An empty group answers 6A88 (referenced data not found): no entries.
"""

from __future__ import annotations

from typing import Any

from backend_stub.compiler import gp
from backend_stub.compiler.base import CardContext, Command, Script, ScriptError
from backend_stub.compiler.channel import SecureChannelError
from backend_stub.compiler.gp_script import GpScript, raw_step

GROUPS = (("isd", gp.STATUS_ISD), ("apps", gp.STATUS_APPS), ("loadFiles", gp.STATUS_ELFS_MODULES))
STATUS_OK = ("9000", "6310", "6A88")
MAX_PAGES = 64  # a card that keeps saying "more data" is stopped here


def _hex(b: bytes | None) -> str | None:
    return b.hex().upper() if b is not None else None


def entry_json(e: gp.RegistryEntry) -> dict[str, Any]:
    """One decoded E3 entry, as the platform API answers it."""
    out: dict[str, Any] = {"aid": _hex(e.aid), "lifeCycle": e.lifecycle,
                           "privileges": _hex(e.privileges) or "",
                           "associatedDomain": _hex(e.associated_sd)}
    if e.elf_aid is not None:
        out["loadFile"] = _hex(e.elf_aid)
    if e.version is not None:
        out["version"] = f"{e.version[0]}.{e.version[1]}"
    if e.modules:
        out["modules"] = [_hex(m) for m in e.modules]
    return out


class RegistryScript(GpScript):
    """SELECT ISD + INITIALIZE UPDATE; EXTERNAL AUTHENTICATE + three GET STATUS; then the
    next parts of the groups that answered 6310, until none does."""

    kind = "gp-registry"

    def __init__(self, ctx: CardContext, *, host_challenge: bytes | None = None) -> None:
        plan = [raw_step(gp.get_status(p1), STATUS_OK, f"GET STATUS ({name})")
                for name, p1 in GROUPS]
        super().__init__(ctx, ctx.isd_aid, plan, record=True, host_challenge=host_challenge)
        self.parts: dict[str, list[str]] = {name: [] for name, _p1 in GROUPS}
        self.asking: list[str] = []  # the groups of the wrapped GET STATUS in the batch
        self.pages = 0

    def _authenticate(self, iu_data: bytes) -> list[Command]:
        batch = super()._authenticate(iu_data)
        self.asking = [name for name, _p1 in GROUPS]
        return batch

    def _advance(self, responses: list[bytes]) -> list[Command]:
        if self.phase == "iu":
            return self._authenticate(responses[1][:-2])
        if self.phase != "wrapped":
            raise ScriptError(400, f"no batch expected in phase {self.phase}")
        assert self.channel is not None
        answers = responses[1:] if self.pages == 0 else responses
        more: list[str] = []
        try:
            for name, raw in zip(self.asking, answers, strict=True):
                plain = self.channel.unwrap(raw)
                sw = plain[-2:].hex().upper()
                if sw in ("9000", "6310"):
                    self.parts[name].append(plain[:-2].hex().upper())
                if sw == "6310":
                    more.append(name)
        except (SecureChannelError, ValueError) as exc:
            raise ScriptError(500, f"secure channel: {exc}") from None
        if not more:
            self.phase = "done"
            return []
        self.pages += 1
        if self.pages > MAX_PAGES:
            raise ScriptError(417, f"the card kept answering 6310 after {MAX_PAGES} parts")
        p1 = dict(GROUPS)
        self.asking = more
        return [Command(self.channel.wrap(gp.get_status(p1[n], next_=True)), STATUS_OK,
                        f"GET STATUS ({n}, next part)") for n in more]

    def registry(self) -> dict[str, list[dict[str, Any]]]:
        """The decoded entries per group (GpError when the card's answer is malformed)."""
        out: dict[str, list[dict[str, Any]]] = {}
        for name, parts in self.parts.items():
            entries: list[gp.RegistryEntry] = []
            for part in parts:
                entries += gp.parse_registry(bytes.fromhex(part))
            out[name] = [entry_json(e) for e in entries]
        return out

    def result(self) -> dict[str, Any]:
        return {"registry": self.registry()}

    def _state(self) -> dict[str, Any]:
        return {**super()._state(), "parts": self.parts, "asking": self.asking,
                "pages": self.pages}

    @classmethod
    def _restore(cls, state: dict[str, Any]) -> RegistryScript:
        self = super()._restore(state)
        assert isinstance(self, RegistryScript)
        self.parts = {k: list(v) for k, v in state["parts"].items()}
        self.asking = list(state["asking"])
        self.pages = int(state["pages"])
        return self


def purge_script(ctx: CardContext, aid: bytes, *, related: bool,
                 host_challenge: bytes | None = None) -> Script:
    """DELETE one element in the ISD's secure channel (6A88: it is gone already)."""
    step = raw_step(gp.delete(aid, related=related), ("9000", "6A88"),
                    f"DELETE {aid.hex().upper()}")
    return GpScript(ctx, ctx.isd_aid, [step], record=True, host_challenge=host_challenge)
