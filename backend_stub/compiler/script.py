"""The compiler's interface to the backend: factories that turn an SP request into a Script.

Every factory takes keyword-only arguments, validates them (ScriptError 400
on bad input) and returns a Script whose `adds` / `removes` list the SE
elements the operation creates or deletes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from backend_stub.compiler import desfire as df
from backend_stub.compiler import gp
from backend_stub.compiler.apdu import ApduError, CommandApdu, command_name
from backend_stub.compiler.base import (
    OK_PLAIN,
    CardContext,
    Command,
    Element,
    Script,
    ScriptError,
    load_script,
)
from backend_stub.compiler.cap import CapFile
from backend_stub.compiler.desfire import DesfireError, DesfireKey
from backend_stub.compiler.desfire_script import (
    PICC_AID,
    DesfireScript,
    app_key_plan,
    auth_step,
    cmd_step,
    select_step,
)
from backend_stub.compiler.gp_script import GpScript, load_step, raw_step, store_step

__all__ = [
    "CardContext", "Command", "Element", "Script", "ScriptError", "ccm_delete", "ccm_install",
    "ccm_load", "ccm_set_status", "ccm_storedata", "desfire_create_app", "desfire_delete_app",
    "desfire_transceive", "load_script", "secure_transceive", "transceive",
]


def _hex(aid: bytes) -> str:
    return aid.hex().upper()


def _bad(message: str) -> ScriptError:
    return ScriptError(400, message)


def _check_apdu(raw: bytes, i: int) -> bytes:
    if not isinstance(raw, bytes | bytearray):
        raise _bad(f"commands[{i}] must be bytes")
    try:
        CommandApdu.decode(raw)
    except ApduError as exc:
        raise _bad(f"commands[{i}]: {exc}") from None
    return bytes(raw)


def _aid(aid: bytes | None, what: str) -> bytes:
    if not isinstance(aid, bytes | bytearray) or not 5 <= len(aid) <= 16:
        raise _bad(f"{what} must be a 5 to 16 byte AID")
    return bytes(aid)


# --- plain ---

class TransceiveScript(Script):
    """Plain commands in one batch; the answers are the result."""

    kind = "transceive"

    def __init__(self, commands: list[bytes]) -> None:
        super().__init__()
        self.commands = commands
        self.responses: list[str] = []

    def _start(self) -> list[Command]:
        return [Command(c, OK_PLAIN) for c in self.commands]

    def _advance(self, responses: list[bytes]) -> list[Command]:
        self.responses = [r.hex().upper() for r in responses]
        return []

    def result(self) -> dict[str, Any]:
        return {"responses": list(self.responses)}

    def _state(self) -> dict[str, Any]:
        return {"commands": [c.hex().upper() for c in self.commands],
                "responses": self.responses}

    @classmethod
    def _restore(cls, state: dict[str, Any]) -> TransceiveScript:
        self = cls([bytes.fromhex(c) for c in state["commands"]])
        self.responses = list(state["responses"])
        return self


def transceive(*, commands: Sequence[bytes]) -> Script:
    """Plain APDUs in one batch, each allowed to answer 9000 or 61XX."""
    if not commands:
        raise _bad("commands is empty")
    return TransceiveScript([_check_apdu(c, i) for i, c in enumerate(commands)])


# --- GlobalPlatform ---

def secure_transceive(*, ctx: CardContext, sd_aid: bytes, commands: Sequence[bytes],
                      host_challenge: bytes | None = None) -> Script:
    """Commands inside a secure channel to `sd_aid`; result() holds the unwrapped answers."""
    if not commands:
        raise _bad("commands is empty")
    plan = [raw_step(_check_apdu(c, i), OK_PLAIN) for i, c in enumerate(commands)]
    return GpScript(ctx, _aid(sd_aid, "sd_aid"), plan, record=True,
                    host_challenge=host_challenge)


def _load_plan(ctx: CardContext, cap: CapFile, target_sd: bytes | None, create_ssd: bool,
               ) -> tuple[list[dict[str, Any]], list[Element]]:
    plan: list[dict[str, Any]] = []
    adds: list[Element] = []
    sd = ctx.isd_aid
    if target_sd is not None:
        sd = _aid(target_sd, "target_sd")
    if create_ssd:
        if target_sd is None:
            raise _bad("create_ssd needs target_sd (the new domain's AID)")
        plan.append(raw_step(gp.install_ssd(sd), name="INSTALL [for install and make selectable]"
                             f" SSD {_hex(sd)}"))
        adds.append(Element("ssd", _hex(sd)))
    plan.append(raw_step(gp.install_for_load(cap.package_aid, sd)))
    plan.append(load_step(cap.load_file_data_block))
    adds.append(Element("package", _hex(cap.package_aid)))
    return plan, adds


def ccm_load(*, ctx: CardContext, cap: CapFile, target_sd: bytes | None = None,
             create_ssd: bool = False, host_challenge: bytes | None = None) -> Script:
    """Load a CAP file (into the ISD, or into `target_sd`, creating it first if asked)."""
    try:
        plan, adds = _load_plan(ctx, cap, target_sd, create_ssd)
    except gp.GpError as exc:
        raise _bad(str(exc)) from None
    script = GpScript(ctx, ctx.isd_aid, plan, host_challenge=host_challenge)
    script.adds = adds
    return script


def ccm_install(*, ctx: CardContext, cap: CapFile | None, elf_aid: bytes | None = None,
                module_aid: bytes, instance_aid: bytes, params: bytes = b"",
                privileges: bytes = b"\x00", target_sd: bytes | None = None,
                create_ssd: bool = False, host_challenge: bytes | None = None) -> Script:
    """[Create SSD] + [load the CAP] + INSTALL [for install and make selectable]."""
    plan: list[dict[str, Any]] = []
    adds: list[Element] = []
    try:
        if cap is not None:
            if elf_aid is not None and bytes(elf_aid) != cap.package_aid:
                raise _bad(f"elf_aid {_hex(elf_aid)} is not the CAP's package"
                           f" {_hex(cap.package_aid)}")
            elf = cap.package_aid
            plan, adds = _load_plan(ctx, cap, target_sd, create_ssd)
        else:
            if create_ssd:
                raise _bad("create_ssd only applies when a CAP file is loaded")
            elf = _aid(elf_aid, "elf_aid")
        step = gp.install_for_install(elf, _aid(module_aid, "module_aid"),
                                      _aid(instance_aid, "instance_aid"),
                                      privileges=privileges, params=params)
    except gp.GpError as exc:
        raise _bad(str(exc)) from None
    plan.append(raw_step(step))
    adds.append(Element("applet", _hex(instance_aid)))
    script = GpScript(ctx, ctx.isd_aid, plan, host_challenge=host_challenge)
    script.adds = adds
    return script


def ccm_storedata(*, ctx: CardContext, instance_aid: bytes, data: bytes, tag_type: str = "DGI",
                  host_challenge: bytes | None = None) -> Script:
    """INSTALL [for personalization] then STORE DATA blocks (DGI or BER-TLV)."""
    try:
        plan = [raw_step(gp.install_for_personalization(_aid(instance_aid, "instance_aid"))),
                store_step(bytes(data), tag_type)]
        gp.store_data_blocks(bytes(data), tag_type)
    except gp.GpError as exc:
        raise _bad(str(exc)) from None
    return GpScript(ctx, ctx.isd_aid, plan, host_challenge=host_challenge)


def ccm_delete(*, ctx: CardContext, aid: bytes, with_related: bool = False,
               kind: str | None = None, host_challenge: bytes | None = None) -> Script:
    """DELETE (P2 80 with related objects). `kind` of the removed element: by default
    "package" when deleting with related objects, else "applet"."""
    target = _aid(aid, "aid")
    script = GpScript(ctx, ctx.isd_aid, [raw_step(gp.delete(target, related=with_related))],
                      host_challenge=host_challenge)
    script.removes = [Element(kind or ("package" if with_related else "applet"), _hex(target))]
    return script


def ccm_set_status(*, ctx: CardContext, aid: bytes, lock: bool,
                   host_challenge: bytes | None = None) -> Script:
    """SET STATUS: lock or unlock an application."""
    step = raw_step(gp.set_status_app(_aid(aid, "aid"), lock=lock))
    return GpScript(ctx, ctx.isd_aid, [step], host_challenge=host_challenge)


# --- DESFire ---

def _df_aid(aid: bytes) -> bytes:
    if not isinstance(aid, bytes | bytearray) or len(aid) != 3:
        raise _bad("a DESFire AID is 3 bytes")
    if bytes(aid) == PICC_AID:
        raise _bad("AID 000000 is the PICC level, not an application")
    return bytes(aid)


def desfire_create_app(*, aid: bytes, key_settings: int, n_keys: int, key_type: str,
                       picc_key: DesfireKey, app_keys: list[bytes] | None = None) -> Script:
    """Select PICC, authenticate, CreateApplication; then set the app keys if given."""
    app = _df_aid(aid)
    try:
        steps = [select_step(PICC_AID), auth_step(0, picc_key),
                 cmd_step(df.create_application(app, key_settings, n_keys, key_type))]
    except DesfireError as exc:
        raise _bad(str(exc)) from None
    if app_keys:
        if len(app_keys) > n_keys:
            raise _bad(f"{len(app_keys)} app keys for an application with {n_keys} keys")
        nibble = key_settings >> 4
        if nibble < 0xE and nibble >= n_keys:
            raise _bad(f"key settings name key {nibble} to change keys; the app has {n_keys}")
        steps.append(select_step(app))
        steps += app_key_plan(key_settings, key_type, [bytes(k) for k in app_keys])
    script = DesfireScript(steps)
    script.adds = [Element("desfire-app", _hex(app))]
    return script


def desfire_delete_app(*, aid: bytes, picc_key: DesfireKey) -> Script:
    app = _df_aid(aid)
    steps = [select_step(PICC_AID), auth_step(0, picc_key),
             cmd_step(df.delete_application(app))]
    script = DesfireScript(steps)
    script.removes = [Element("desfire-app", _hex(app))]
    return script


def desfire_transceive(*, aid: bytes, key_no: int, key: DesfireKey, commands: Sequence[bytes],
                       communication: str = "plain") -> Script:
    """Native commands in an authenticated application; result() holds the plain answers."""
    if len(aid) != 3:
        raise _bad("a DESFire AID is 3 bytes")
    if communication not in df.COMMUNICATION:
        raise _bad("communication must be plain, mac or enc")
    if not 0 <= key_no <= 13:
        raise _bad("key_no must be 0..13")
    if not commands:
        raise _bad("commands is empty")
    if key.legacy and communication != "plain":
        raise _bad("legacy authentication allows plain communication only")
    steps = [select_step(bytes(aid)), auth_step(key_no, key)]
    steps += [cmd_step(bytes(c), communication, record=True) for c in commands]
    return DesfireScript(steps, record=True)


def describe(apdu: bytes) -> str:
    """Trace name of a raw command (re-exported for the backend's trace view)."""
    return command_name(apdu)
