"""Application lifecycle per card: which service may run, and the state after it.

The rules of DESIGN.md "Flows", plus one decision of ours: uninstall is also
allowed from Unstable (the touch point advises users to uninstall an Unstable
application, and it is the only way back to a clean card).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any


class AppLifecycle(StrEnum):
    NOT_INSTALLED = "NotInstalled"
    INSTALLED = "Installed"
    SUSPENDED = "Suspended"
    UNSTABLE = "Unstable"


class ServiceKind(StrEnum):
    INSTALL = "install"
    UNINSTALL = "uninstall"
    SUSPEND = "suspend"
    UNSUSPEND = "unsuspend"
    OTHER = "other"


S = AppLifecycle
K = ServiceKind

ALLOWED: dict[ServiceKind, frozenset[AppLifecycle]] = {
    K.INSTALL: frozenset({S.NOT_INSTALLED}),
    K.UNINSTALL: frozenset({S.INSTALLED, S.SUSPENDED, S.UNSTABLE}),
    K.SUSPEND: frozenset({S.INSTALLED}),
    K.UNSUSPEND: frozenset({S.SUSPENDED}),
    K.OTHER: frozenset({S.NOT_INSTALLED, S.INSTALLED, S.UNSTABLE}),
}

_ON_SUCCESS = {
    K.INSTALL: S.INSTALLED,
    K.UNINSTALL: S.NOT_INSTALLED,
    K.SUSPEND: S.SUSPENDED,
    K.UNSUSPEND: S.INSTALLED,
}


def service_kind(app_description: Mapping[str, Any], service_id: str) -> ServiceKind:
    """The role a service plays in its App Description."""
    if service_id in (app_description.get("installServices") or []):
        return K.INSTALL
    for key, kind in (("uninstallService", K.UNINSTALL), ("suspendService", K.SUSPEND),
                      ("unsuspendService", K.UNSUSPEND)):
        if app_description.get(key) == service_id:
            return kind
    return K.OTHER


def is_allowed(kind: ServiceKind, state: AppLifecycle) -> bool:
    """Whether a service of this kind may start in this state (False means HTTP 412)."""
    return state in ALLOWED[kind]


def refusal_reason(kind: ServiceKind, state: AppLifecycle) -> str:
    """A sentence for the 412 answer."""
    allowed = ", ".join(sorted(s.value for s in ALLOWED[kind]))
    return (f"a {kind.value} service is not allowed while the application is {state.value} "
            f"on this card (allowed in: {allowed})")


def state_after(kind: ServiceKind, current: AppLifecycle, *, success: bool,
                added: bool, removed: bool, reached: bool = True) -> AppLifecycle:
    """The state once a delivery ended.

    Lifecycle services move the state on success and leave Unstable on failure,
    except a failure that never changed the card (`reached` False: no command that
    adds or removes elements succeeded or was left unanswered, see
    engine/cardchange.py; e.g. the SP refused the delivery, or the card left during
    the secure channel's opening): the card is as it was, so is the state.
    Any other service keeps the state unless it added or removed SE elements,
    which makes the application Unstable whether it succeeded or not.
    """
    if kind in _ON_SUCCESS:
        if success:
            return _ON_SUCCESS[kind]
        return S.UNSTABLE if reached or added or removed else current
    if added or removed:
        return S.UNSTABLE
    return current
