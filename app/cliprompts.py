"""The CLI's questions to the user: field values, the confirmation, user actions.

On a terminal each is asked (a paymentcard until it is valid, as fdsm's console
form does); without one (CI, scripts) fields get their blank values and actions
are acknowledged, both said out loud on stderr. Values typed are never logged.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from app import markdown, paymentcard
from app.description import Field, ServiceDescription, UserAction, inputs

Say = Callable[[str], None]
HINTS = {"checkbox": " [y/n]", "date": " (YYYY-MM-DD)", "option": " (number)",
         paymentcard.TYPE: " (NUMBER;MM/YY;CVV, or NUMBER;MM/YY)"}


def _tty() -> bool:
    return sys.stdin.isatty()


def prompt_fields(lang: str, warn: Say) -> Callable[[tuple[Field, ...]], dict[str, Any] | None]:
    """The on_fields callback of a delivery."""
    if not _tty():
        def defaults(fields: tuple[Field, ...]) -> dict[str, Any]:
            values = {}
            for f in inputs(fields):
                values[f.id] = f.blank
                warn(f"touchpoint: field {f.id!r} has no value (use --field "
                     f"{f.id}=VALUE); sending {values[f.id]!r}")
            return values

        return defaults

    def ask(fields: tuple[Field, ...]) -> dict[str, Any] | None:
        values: dict[str, Any] = {}
        for f in fields:
            label = f.label.pick(lang) or f.id
            if not f.is_input:
                warn(label)
                continue
            if f.type == "option":
                for i, choice in enumerate(f.labels):
                    warn(f"  {i}: {choice.pick(lang)}")
            answer = _ask_one(f, f"{label}{HINTS.get(f.type, '')}: ", warn)
            if answer is None:
                return None
            values[f.id] = answer
        return values

    return ask


def _ask_one(f: Field, prompt: str, warn: Say) -> str | None:
    while True:
        try:
            answer = input(prompt)
        except EOFError:
            return None
        if f.type == "checkbox":
            return "true" if answer.strip().lower() in ("y", "yes", "true", "1") else "false"
        if f.type != paymentcard.TYPE:
            return answer
        try:
            paymentcard.parse(answer)
            return "".join(answer.split())
        except paymentcard.PaymentCardError as exc:
            warn(f"touchpoint: {exc}; try again (Ctrl-D cancels)")


def confirm_prompt(lang: str, warn: Say) -> Callable[[ServiceDescription], bool] | None:
    """The on_confirm callback; None without a terminal (the backend decides)."""
    if not _tty():
        return None

    def confirm(desc: ServiceDescription) -> bool:
        title = desc.title.pick(lang)
        body = markdown.to_plain(desc.description.pick(lang), show_urls=True)
        warn(f"{title}\n{body}".strip())
        try:
            return input("Continue? [y/N] ").strip().lower() in ("y", "yes")
        except EOFError:
            return False

    return confirm


def acknowledge_actions(lang: str, warn: Say, *, ask: bool | None = None
                        ) -> Callable[[tuple[UserAction, ...]], bool]:
    """The on_action callback: each action shown, then ENTER (Ctrl-D: not acknowledged)."""
    interactive = _tty() if ask is None else ask

    def acknowledge(actions: tuple[UserAction, ...]) -> bool:
        for action in actions:
            for line in action.lines(lang):
                warn(line)
            if not interactive:
                warn("touchpoint: acknowledged (no terminal to ask on)")
                continue
            try:
                input("Press ENTER to continue ")
            except EOFError:
                return False
        return True

    return acknowledge
