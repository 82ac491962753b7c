"""Repair an Unstable application: its uninstall (with the backend's purge), then an install.

Issue 18: an Unstable app offers one action in every mode (kiosk, staff, tester,
CLI `touchpoint repair APP`). The uninstall removes what the application may have
left on the card (the backend purges every element it recorded, and tolerates
those that are not there); the install chosen by the user then runs on the clean
card. The second step runs only when the first succeeded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.delivery import DeliveryResult
from app.errors import NotRepairableError

# a delivery of (app_id, service_id): the caller's runner with its callbacks
RunService = Callable[[str, str], Awaitable[DeliveryResult]]


@dataclass(frozen=True)
class RepairPlan:
    app_id: str
    uninstall: str
    install: str


@dataclass
class RepairResult:
    plan: RepairPlan
    uninstall: DeliveryResult
    install: DeliveryResult | None = None  # None: the uninstall failed, nothing more ran

    @property
    def success(self) -> bool:
        return self.install is not None and self.install.success

    @property
    def last(self) -> DeliveryResult:
        """The step that decided the outcome (what to show)."""
        return self.install if self.install is not None else self.uninstall


def _services(desc: Mapping[str, Any], key: str) -> list[str]:
    value = desc.get(key)
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [s for s in items if isinstance(s, str) and s]


def plan_repair(app_id: str, desc: Mapping[str, Any], install: str | None = None) -> RepairPlan:
    """The two services of a repair; `install` the user's choice (default: the first)."""
    uninstall = _services(desc, "uninstallService")
    installs = _services(desc, "installServices")
    if not uninstall:
        raise NotRepairableError(f"app {app_id} has no uninstall service: it cannot be repaired")
    if not installs:
        raise NotRepairableError(f"app {app_id} has no install service: it cannot be repaired")
    if install is not None and install not in installs:
        raise NotRepairableError(f"app {app_id} has no install service {install!r}; install "
                              f"services: {', '.join(installs)}")
    return RepairPlan(app_id, uninstall[0], install or installs[0])


async def repair(plan: RepairPlan, run: RunService) -> RepairResult:
    """Uninstall (purging), then install; `run` makes one delivery (a fresh runner each)."""
    first = await run(plan.app_id, plan.uninstall)
    if not first.success:
        return RepairResult(plan, first)
    return RepairResult(plan, first, await run(plan.app_id, plan.install))


async def run_or_repair(states: Callable[[], Awaitable[Mapping[str, str]]], app_id: str,
                        desc: Mapping[str, Any] | None, service_id: str, run: RunService
                        ) -> DeliveryResult:
    """`service_id`, or the repair ending with it when it is an install of an app that is
    Unstable on this card (`states()`: appId -> state, asked only for an install)."""
    if not desc or service_id not in _services(desc, "installServices"):
        return await run(app_id, service_id)
    if (await states()).get(app_id) != "Unstable":
        return await run(app_id, service_id)
    return (await repair(plan_repair(app_id, desc, service_id), run)).last
