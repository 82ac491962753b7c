"""The script interface the backend drives: batches of commands, answers back, state as JSON.

A Script is one compiled operation. The backend hands `first_batch()` to the
touch point, feeds each batch's answers to `next_batch()` and stops when it
returns []. Between batches the whole script can be `dump()`ed to a dict and
rebuilt with `load_script()` in another process.
"""

from __future__ import annotations

import functools
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from backend_stub.compiler.apdu import command_name, sw_meaning
from backend_stub.compiler.keys import CardKeys

OK_PLAIN = ("9000", "61XX")
_PATTERN = re.compile(r"^[0-9A-FX]{4}\Z")
_CHECKED_EXPECT: set[tuple[str, ...]] = set()


@dataclass(frozen=True)
class Command:
    apdu: bytes
    expect: tuple[str, ...] = ("9000",)  # SW patterns that let the batch go on (X = any nibble)
    name: str = ""  # decoded name for traces, e.g. "LOAD (block 3 of 120)"

    def __post_init__(self) -> None:
        if self.expect not in _CHECKED_EXPECT:  # a script repeats the same few tuples
            expect = tuple(p.upper() for p in self.expect)
            for p in expect:
                if not _PATTERN.match(p):
                    raise ValueError(f"status-word pattern {p!r} must be 4 hex digits or X")
            object.__setattr__(self, "expect", expect)
            if len(_CHECKED_EXPECT) < 64:
                _CHECKED_EXPECT.add(expect)
        if not self.name:
            object.__setattr__(self, "name", command_name(self.apdu))

    def accepts(self, sw: int) -> bool:
        return accepts(self.expect)(sw)

    def to_dict(self) -> dict[str, Any]:
        return {"apdu": self.apdu.hex().upper(), "expect": list(self.expect), "name": self.name}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Command:
        return cls(bytes.fromhex(d["apdu"]), tuple(d["expect"]), d.get("name", ""))


@functools.lru_cache(maxsize=256)
def accepts(expect: tuple[str, ...]) -> Callable[[int], bool]:
    """The test of a status word against `expect` (checked patterns, X = any nibble),
    built once per pattern set: a batch checks 100+ answers against the same few sets."""
    pairs = []
    for pattern in expect:
        mask = int("".join("0" if c in "Xx" else "F" for c in pattern), 16)
        value = int("".join("0" if c in "Xx" else c for c in pattern), 16)
        pairs.append((mask, value))
    if len(pairs) == 1:
        mask, value = pairs[0]
        return lambda sw: sw & mask == value
    return lambda sw: any(sw & m == v for m, v in pairs)


@dataclass(frozen=True)
class Element:
    """An SE element an operation adds or removes."""

    kind: str  # "package" | "applet" | "ssd" | "desfire-app"
    aid: str  # hex, upper case

    def __post_init__(self) -> None:
        object.__setattr__(self, "aid", self.aid.upper())

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "aid": self.aid}


class ScriptError(Exception):
    """A script cannot be built or run on.

    status: 417 the card answered outside `expect`; 400 malformed request or batch;
    500 cryptographic or verification failure (cryptogram, R-MAC, CMAC).
    """

    def __init__(self, status: int, message: str, responses: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.responses = responses or []


@dataclass
class CardContext:
    """What the backend knows about the target card."""

    keys: CardKeys
    security_level: int | None = None  # None: 0x33 for SCP03 when i allows it, else 0x03
    isd_aid: bytes = bytes.fromhex("A000000151000000")
    max_block: int = 255

    def to_dict(self) -> dict[str, Any]:
        return {"keys": self.keys.to_dict(), "security_level": self.security_level,
                "isd_aid": self.isd_aid.hex().upper(), "max_block": self.max_block}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CardContext:
        return cls(CardKeys.from_dict(d["keys"]), d.get("security_level"),
                   bytes.fromhex(d["isd_aid"]), int(d["max_block"]))


_REGISTRY: dict[str, type[Script]] = {}


class Script(ABC):
    """One compiled operation, run as a sequence of batches."""

    kind: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.kind:
            _REGISTRY[cls.kind] = cls

    def __init__(self) -> None:
        self.adds: list[Element] = []
        self.removes: list[Element] = []
        self._batch: list[Command] = []
        self._started = False
        self._done = False
        self._failed: str | None = None

    # --- what subclasses provide ---
    @abstractmethod
    def _start(self) -> list[Command]:
        """The first batch."""

    @abstractmethod
    def _advance(self, responses: list[bytes]) -> list[Command]:
        """Next batch from the previous batch's (SW-checked) answers; [] when finished."""

    @abstractmethod
    def _state(self) -> dict[str, Any]:
        """Subclass state for dump()."""

    @classmethod
    @abstractmethod
    def _restore(cls, state: dict[str, Any]) -> Script:
        """Rebuild from `_state()` output (adds/removes/batch are restored by the base)."""

    # --- the interface ---
    def first_batch(self) -> list[Command]:
        if not self._started:
            self._batch = self._start()
            self._started = True
            self._done = not self._batch
        return list(self._batch)

    def next_batch(self, responses: list[bytes]) -> list[Command]:
        if self._failed:
            raise ScriptError(400, f"script already failed: {self._failed}")
        if not self._started:
            raise ScriptError(400, "next_batch before first_batch")
        if self._done:
            raise ScriptError(400, "script already finished")
        answers = self._check(responses)
        try:
            nxt = self._advance(answers)
        except ScriptError as exc:
            self._failed = exc.message
            raise
        self._batch = nxt
        self._done = not nxt
        return list(nxt)

    def _check(self, responses: list[bytes]) -> list[bytes]:
        answers: list[bytes] = []
        for raw in responses:
            if isinstance(raw, str):
                try:
                    raw = bytes.fromhex(raw)
                except ValueError:
                    self._failed = "response is not hex"
                    raise ScriptError(400, "response is not hex") from None
            if not isinstance(raw, bytes | bytearray) or len(raw) < 2:
                self._failed = "response shorter than a status word"
                raise ScriptError(400, "response shorter than a status word")
            answers.append(bytes(raw))
        if len(answers) > len(self._batch):
            self._failed = "more responses than commands"
            raise ScriptError(400, f"{len(answers)} responses for {len(self._batch)} commands")
        for cmd, ans in zip(self._batch, answers, strict=False):
            sw = (ans[-2] << 8) | ans[-1]
            if not accepts(cmd.expect)(sw):
                self._failed = f"{cmd.name} answered {sw:04X}"
                raise ScriptError(417, f"{cmd.name} answered {sw:04X} ({sw_meaning(sw)})",
                                  responses=[a.hex().upper() for a in answers])
        if len(answers) < len(self._batch):
            self._failed = "incomplete batch"
            raise ScriptError(400, f"{len(answers)} responses for {len(self._batch)} commands",
                              responses=[a.hex().upper() for a in answers])
        return answers

    @property
    def batch(self) -> list[Command]:
        """The batch whose answers `next_batch` expects."""
        return self._batch

    @property
    def done(self) -> bool:
        return self._done

    @property
    def error(self) -> str | None:
        """Why the script stopped, once next_batch raised; None while it is healthy."""
        return self._failed

    def result(self) -> dict[str, Any]:
        return {}

    def dump(self, *, batch: bool = True) -> dict[str, Any]:
        """The script as JSON-able data; without `batch` when the caller stores the
        current batch itself (load_script then needs it put back under "batch")."""
        return {
            "kind": self.kind,
            "adds": [e.to_dict() for e in self.adds],
            "removes": [e.to_dict() for e in self.removes],
            "batch": [c.to_dict() for c in self._batch] if batch else [],
            "started": self._started,
            "done": self._done,
            "failed": self._failed,
            "state": self._state(),
        }


def load_script(state: dict[str, Any]) -> Script:
    """Rebuild a script from `dump()` output."""
    try:
        cls = _REGISTRY[state["kind"]]
        script = cls._restore(state["state"])
        script.adds = [Element(e["kind"], e["aid"]) for e in state["adds"]]
        script.removes = [Element(e["kind"], e["aid"]) for e in state["removes"]]
        script._batch = [Command.from_dict(c) for c in state["batch"]]
        script._started = bool(state["started"])
        script._done = bool(state["done"])
        script._failed = state.get("failed")
    except ScriptError:
        raise
    except Exception as exc:  # any corruption of stored state is one kind of error to the caller
        raise ScriptError(400, f"stored script state is unusable: {exc!r}") from None
    return script
