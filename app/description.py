"""The Service Description: what a service is, what it costs, what it asks of the user.

The backend returns it from `GET apps/{app}/services/{service}` before a
delivery (reference/fidesmo-api.md 4.2) and the touch point shows it: the
title and description, the price, the fields to fill in, and whether the
user must confirm. Parsed once here, so no screen reads its JSON; what is
malformed is refused with the name of the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from app.errors import ProtocolError
from app.i18n import MLString

# Field types that only show something (a text, an image): they take no value.
DISPLAY_TYPES = frozenset({"text", "image"})


@dataclass(frozen=True)
class Field:
    """A user-interaction field of a Service Description or a fetch reply."""

    id: str
    type: str
    label: MLString = field(default_factory=MLString)
    labels: tuple[MLString, ...] = ()  # option choices
    raw: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # labels given as JSON has them (dicts, strings) become MLStrings
        object.__setattr__(self, "label", MLString.of(self.label))
        object.__setattr__(self, "labels", tuple(MLString.of(x) for x in self.labels))

    @classmethod
    def from_json(cls, obj: Any) -> Field:
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
            raise ProtocolError("a field without an id", field="fields[].id")
        labels = obj.get("labels") or ()
        choices = tuple(MLString.of(x) for x in labels) if isinstance(labels, list) else ()
        return cls(obj["id"], str(obj.get("type") or "edit"), MLString.of(obj.get("label")),
                   choices, obj)

    @property
    def is_input(self) -> bool:
        """True when the user gives this field a value (not a text or an image shown)."""
        return self.type not in DISPLAY_TYPES

    @property
    def required(self) -> bool:
        """Every input of `fieldsRequired` must be answered, unless the field says
        `"required": false` (or `"optional": true`). A checkbox, an option or a date
        always has a value."""
        if self.type in ("checkbox", "option", "date") or not self.is_input:
            return False
        return self.raw.get("required") is not False and self.raw.get("optional") is not True

    def problem(self, value: str) -> str | None:
        """Why `value` would be refused, before anything is confirmed: "required" (empty),
        "too-short"/"too-long" (`minLength`/`maxLength`), "format" (`pattern`, a regular
        expression the whole value must match); None when it is fine. The paymentcard
        type's own format is app.paymentcard's."""
        text = value.strip()
        if not text:
            return "required" if self.required else None
        low, high = self.raw.get("minLength"), self.raw.get("maxLength")
        if isinstance(low, int) and len(text) < low:
            return "too-short"
        if isinstance(high, int) and len(text) > high:
            return "too-long"
        pattern = self.raw.get("pattern")
        if isinstance(pattern, str) and pattern:
            try:
                if re.fullmatch(pattern, text) is None:
                    return "format"
            except re.error:
                return None  # the SP's pattern is broken: the SP checks the value itself
        return None

    @property
    def blank(self) -> str:
        """The value of an unanswered input, as the clients send values: an empty text,
        checkbox "false", option "0" (its first choice)."""
        return {"checkbox": "false", "option": "0"}.get(self.type, "")


def inputs(fields: tuple[Field, ...]) -> tuple[Field, ...]:
    """The fields that take a value."""
    return tuple(f for f in fields if f.is_input)


@dataclass(frozen=True)
class Price:
    """`{"total": decimal, "currency": ...}`; `total` 0 means free."""

    total: Decimal
    currency: str = ""

    @classmethod
    def from_json(cls, obj: Any) -> Price | None:
        """None when there is no usable price (no total, or not a number)."""
        if not isinstance(obj, Mapping) or obj.get("total") is None:
            return None
        try:
            total = Decimal(str(obj["total"]))
        except InvalidOperation:
            return None
        if not total.is_finite():
            return None
        currency = obj.get("currency")
        return cls(total, currency if isinstance(currency, str) else "")

    @property
    def free(self) -> bool:
        return self.total == 0

    def text(self) -> str:
        return f"{self.total:.2f} {self.currency}".strip()


@dataclass(frozen=True)
class ServiceDescription:
    """One service as the backend describes it (reference/fidesmo-api.md 4.2)."""

    title: MLString = field(default_factory=MLString)
    description: MLString = field(default_factory=MLString)  # basic markdown
    fields: tuple[Field, ...] = ()
    confirmation_required: bool = False
    price: Price | None = None
    certificate: str | None = None  # hex DER X.509 of the SP, for encrypted input
    encrypted: bool = False  # its fields are asked (and answered) encrypted, never at deliver
    raw: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, obj: Any) -> ServiceDescription:
        """From the `description` object; anything that is not one is an empty description."""
        if not isinstance(obj, Mapping):
            return cls()
        raw_fields = obj.get("fieldsRequired") or []
        if not isinstance(raw_fields, list):
            raise ProtocolError("fieldsRequired is not a list", field="fieldsRequired")
        certificate = obj.get("certificate")
        if certificate is not None and not _is_hex(certificate):
            raise ProtocolError("certificate is not a hex string", field="certificate")
        return cls(
            title=MLString.of(obj.get("title")),
            description=MLString.of(obj.get("description")),
            fields=tuple(Field.from_json(f) for f in raw_fields),
            confirmation_required=bool(obj.get("confirmationRequired")),
            price=Price.from_json(obj.get("price")),
            certificate=certificate or None,
            encrypted=obj.get("encrypted") is True,
            raw=obj,
        )

    @property
    def inputs(self) -> tuple[Field, ...]:
        """The fields the user gives a value for."""
        return inputs(self.fields)

    def check_encryption(self) -> None:
        """Refuses, before anything is sent, a description that wants encrypted input
        but gives no key to encrypt it with (fdsm refuses it the same way)."""
        if self.encrypted and not self.certificate:
            raise ProtocolError("the service wants its input encrypted (encrypted: true) "
                                "but its description has no certificate", field="certificate")

    @property
    def needs_user(self) -> bool:
        """True when the user has something to fill in or to confirm before the delivery."""
        return bool(self.inputs) or self.confirmation_required


def _is_hex(value: Any) -> bool:
    if not isinstance(value, str) or not value or len(value) % 2:
        return False
    try:
        bytes.fromhex(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class UserAction:
    """One entry of an `action` operation's `actions` (fdsm processUserAction): shown to
    the user, who acknowledges it. `phonecall` carries `parameters.number`."""

    name: str
    description: MLString = field(default_factory=MLString)
    parameters: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, obj: Any) -> UserAction:
        if not isinstance(obj, Mapping) or not isinstance(obj.get("name"), str):
            raise ProtocolError("an action without a name", field="actions[].name")
        params = obj.get("parameters")
        return cls(obj["name"], MLString.of(obj.get("description")),
                   params if isinstance(params, Mapping) else {})

    @property
    def phone_number(self) -> str | None:
        number = self.parameters.get("number")
        return str(number) if self.name == "phonecall" and number is not None else None

    def lines(self, language: str | None = None) -> list[str]:
        """What to show, in order: the description, then what to do (as fdsm prints it)."""
        out = [t for t in (self.description.pick(language),) if t]
        if self.phone_number is not None:
            out.append(f"Please call {self.phone_number}")
        return out or [self.name]


def actions_of(operation: Mapping[str, Any]) -> tuple[UserAction, ...]:
    """The actions of an `action` operation; a malformed list is refused by name."""
    raw = operation.get("actions")
    if not isinstance(raw, list):
        raise ProtocolError("an action operation without a list of actions", field="actions")
    return tuple(UserAction.from_json(a) for a in raw)
