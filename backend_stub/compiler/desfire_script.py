"""DESFire scripts: one batch per exchange, because the running IV follows every answer.

A script is a list of steps (select, authenticate, command, change key); each
step takes one or more exchanges (authentication two, a command as many as its
answer has AF frames). A multi-frame command goes out as one batch.
"""

from __future__ import annotations

from typing import Any

from backend_stub.compiler import desfire as df
from backend_stub.compiler.base import Command, Script, ScriptError
from backend_stub.compiler.desfire import DesfireAuth, DesfireError, DesfireKey, DesfireSession

PICC_AID = b"\x00\x00\x00"


def select_step(aid: bytes) -> dict[str, Any]:
    return {"op": "select", "aid": aid.hex().upper()}


def auth_step(key_no: int, key: DesfireKey) -> dict[str, Any]:
    return {"op": "auth", "key_no": key_no, "key": key.to_dict()}


def cmd_step(native: bytes, communication: str = "plain", record: bool = False) -> dict[str, Any]:
    if not native:
        raise ScriptError(400, "empty DESFire command")
    return {"op": "cmd", "native": native.hex().upper(), "comm": communication, "record": record}


def change_key_step(key_no: int, new: DesfireKey, old: DesfireKey | None) -> dict[str, Any]:
    return {"op": "change_key", "key_no": key_no, "new": new.to_dict(),
            "old": old.to_dict() if old else None}


class DesfireScript(Script):
    kind = "desfire"

    def __init__(self, steps: list[dict[str, Any]], *, record: bool = False) -> None:
        super().__init__()
        self.steps = steps
        self.record = record
        self.idx = 0
        self.session: DesfireSession | None = None
        self.auth: DesfireAuth | None = None
        self.acc = b""
        self.cmd_code = 0
        self.responses: list[str] = []

    # --- batches ---
    def _start(self) -> list[Command]:
        return self._emit()

    def _emit(self) -> list[Command]:
        if self.idx >= len(self.steps):
            return []
        step = self.steps[self.idx]
        op = step["op"]
        try:
            if op == "select":
                aid = bytes.fromhex(step["aid"])
                return [Command(df.wrap_native(df.select_application(aid)), ("9100",),
                                f"DESFire SelectApplication {aid.hex().upper()}")]
            if op == "auth":
                self.auth = DesfireAuth(DesfireKey.from_dict(step["key"]), int(step["key_no"]))
                return [Command(df.wrap_native(self.auth.command()), ("91AF",),
                                f"DESFire Authenticate key {step['key_no']} (1 of 2)")]
            if op == "cmd":
                native = bytes.fromhex(step["native"])
                self.cmd_code = native[0]
                if self.session is not None and native[0] != df.CMD_SELECT:
                    native = self.session.wrap(native, step["comm"])
                return self._frames(native)
            if op == "change_key":
                if self.session is None:
                    raise ScriptError(400, "ChangeKey needs an authenticated session")
                old = DesfireKey.from_dict(step["old"]) if step["old"] else None
                native = self.session.change_key(int(step["key_no"]),
                                                 DesfireKey.from_dict(step["new"]), old)
                self.cmd_code = df.CMD_CHANGE_KEY
                return self._frames(native)
        except DesfireError as exc:
            raise ScriptError(400, f"DESFire: {exc}") from None
        raise ScriptError(400, f"unknown DESFire step {op!r}")

    @staticmethod
    def _frames(native: bytes) -> list[Command]:
        wrapped = df.frames(native)
        cmds = [Command(f, ("91AF",)) for f in wrapped[:-1]]
        cmds.append(Command(wrapped[-1], ("9100", "91AF")))
        return cmds

    def _advance(self, responses: list[bytes]) -> list[Command]:
        try:
            data, status = df.split_answer(responses[-1])
            return self._on_answer(data, status)
        except DesfireError as exc:
            raise ScriptError(500, f"DESFire: {exc}") from None

    def _on_answer(self, data: bytes, status: int) -> list[Command]:
        step = self.steps[self.idx]
        op = step["op"]
        if op == "select":
            self.session = None
        elif op == "auth":
            assert self.auth is not None
            if not self.auth.rnd_b:
                token = self.auth.answer_challenge(data)
                return [Command(df.wrap_native(token), ("9100",),
                                f"DESFire Authenticate key {step['key_no']} (2 of 2)")]
            self.session = self.auth.finish(data)
            self.auth = None
        else:
            if status == df.STATUS_MORE:
                self.acc += data
                return [Command(df.wrap_native(bytes([df.CMD_MORE])), ("9100", "91AF"))]
            full, self.acc = self.acc + data, b""
            if op == "cmd":
                plain = full
                if self.cmd_code == df.CMD_SELECT:
                    self.session = None
                elif self.session is not None:
                    plain = self.session.unwrap(self.cmd_code, full, status, step["comm"])
                if step["record"]:
                    self.responses.append((plain + bytes([0x91, status])).hex().upper())
            else:
                assert self.session is not None
                if (int(step["key_no"]) & 0x0F) == (self.session.key_no & 0x0F):
                    self.session = None  # changing the authenticated key ends the session
                else:
                    self.session.unwrap(df.CMD_CHANGE_KEY, full, status, "plain")
        self.idx += 1
        return self._emit()

    def result(self) -> dict[str, Any]:
        return {"responses": list(self.responses)} if self.record else {}

    def _state(self) -> dict[str, Any]:
        return {
            "steps": self.steps, "record": self.record, "idx": self.idx,
            "session": self.session.to_dict() if self.session else None,
            "auth": self.auth.to_dict() if self.auth else None, "acc": self.acc.hex(),
            "cmd_code": self.cmd_code, "responses": self.responses,
        }

    @classmethod
    def _restore(cls, state: dict[str, Any]) -> DesfireScript:
        self = cls(list(state["steps"]), record=bool(state["record"]))
        self.idx = int(state["idx"])
        self.session = DesfireSession.from_dict(state["session"]) if state["session"] else None
        self.auth = DesfireAuth.from_dict(state["auth"]) if state["auth"] else None
        self.acc = bytes.fromhex(state["acc"])
        self.cmd_code = int(state["cmd_code"])
        self.responses = list(state["responses"])
        return self


def app_key_plan(key_settings: int, key_type: str, app_keys: list[bytes]) -> list[dict[str, Any]]:
    """Steps that replace a new application's default keys with `app_keys` (key i = app_keys[i]).

    Who may change key i depends on the key settings' high nibble: 0..D that key, E the key
    itself, F frozen; key 0 is always changed by itself. Within one authentication, other keys
    are changed first and the authenticated key last, since changing it ends the session.
    """
    nibble = key_settings >> 4
    default = DesfireKey.default(key_type)
    groups: dict[int, list[int]] = {}
    for i in range(len(app_keys)):
        if i == 0:
            auth = 0
        elif nibble == 0xF:
            raise ScriptError(400, "key settings freeze the application keys (change key F)")
        elif nibble == 0xE:
            auth = i
        else:
            auth = nibble
        groups.setdefault(auth, []).append(i)
    steps: list[dict[str, Any]] = []
    for auth, keys in groups.items():
        steps.append(auth_step(auth, default))
        for i in sorted(keys, key=lambda k: k == auth):
            try:
                new = DesfireKey(key_type, app_keys[i])
            except DesfireError as exc:
                raise ScriptError(400, f"app key {i}: {exc}") from None
            steps.append(change_key_step(i, new, None if i == auth else default))
    return steps
