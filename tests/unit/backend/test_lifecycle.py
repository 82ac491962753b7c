"""The lifecycle rules, exhaustively: every (kind, state) pair and every outcome."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend_stub.engine.lifecycle import (
    AppLifecycle,
    ServiceKind,
    is_allowed,
    refusal_reason,
    service_kind,
    state_after,
)

S, K = AppLifecycle, ServiceKind

# DESIGN.md "Flows" plus our decision: uninstall is allowed from Unstable too.
EXPECTED_ALLOWED = {
    (K.INSTALL, S.NOT_INSTALLED),
    (K.UNINSTALL, S.INSTALLED), (K.UNINSTALL, S.SUSPENDED), (K.UNINSTALL, S.UNSTABLE),
    (K.SUSPEND, S.INSTALLED),
    (K.UNSUSPEND, S.SUSPENDED),
    (K.OTHER, S.NOT_INSTALLED), (K.OTHER, S.INSTALLED), (K.OTHER, S.UNSTABLE),
}


@pytest.mark.parametrize(("kind", "state"), list(itertools.product(K, S)))
def test_allowed_table(kind: ServiceKind, state: AppLifecycle) -> None:
    assert is_allowed(kind, state) == ((kind, state) in EXPECTED_ALLOWED)
    if not is_allowed(kind, state):
        assert state.value in refusal_reason(kind, state)


def test_while_suspended_only_unsuspend_or_uninstall() -> None:
    assert {k for k in K if is_allowed(k, S.SUSPENDED)} == {K.UNSUSPEND, K.UNINSTALL}


@pytest.mark.parametrize(("kind", "ok"), [
    (K.INSTALL, S.INSTALLED), (K.UNINSTALL, S.NOT_INSTALLED), (K.SUSPEND, S.SUSPENDED),
    (K.UNSUSPEND, S.INSTALLED)])
def test_lifecycle_services(kind: ServiceKind, ok: AppLifecycle) -> None:
    for current in S:
        for added, removed in itertools.product((False, True), repeat=2):
            assert state_after(kind, current, success=True, added=added, removed=removed) == ok
            assert state_after(kind, current, success=False, added=added,
                               removed=removed) == S.UNSTABLE


@given(st.sampled_from(list(S)), st.booleans(), st.booleans(), st.booleans())
def test_other_services_keep_state_unless_elements_change(current: AppLifecycle, success: bool,
                                                          added: bool, removed: bool) -> None:
    after = state_after(K.OTHER, current, success=success, added=added, removed=removed)
    assert after == (S.UNSTABLE if added or removed else current)


def test_service_kind_from_app_description() -> None:
    desc = {"installServices": ["a", "b"], "uninstallService": "u", "suspendService": "s",
            "unsuspendService": "r"}
    assert [service_kind(desc, x) for x in "abusrz"] == [
        K.INSTALL, K.INSTALL, K.UNINSTALL, K.SUSPEND, K.UNSUSPEND, K.OTHER]
    assert service_kind({}, "a") == K.OTHER


@pytest.mark.parametrize("kind", [K.INSTALL, K.UNINSTALL, K.SUSPEND, K.UNSUSPEND])
def test_a_failure_that_never_reached_the_card_keeps_the_state(kind: ServiceKind) -> None:
    for current in S:
        assert state_after(kind, current, success=False, added=False, removed=False,
                           reached=False) == current
        assert state_after(kind, current, success=False, added=True, removed=False,
                           reached=False) == S.UNSTABLE
        assert state_after(kind, current, success=True, added=False, removed=False,
                           reached=False) != S.UNSTABLE
