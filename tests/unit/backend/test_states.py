"""The engine's state names are the strings already stored in databases and sent as JSON."""

from __future__ import annotations

import json

from backend_stub.engine.states import OperationStatus, Origin, SessionPhase


def test_state_names_are_the_stored_strings() -> None:
    assert [p.value for p in SessionPhase] == ["fields", "running", "purging", "done"]
    assert [s.value for s in OperationStatus] == ["queued", "running", "done"]
    assert [o.value for o in Origin] == ["sp", "recipe", "purge", "interaction"]


def test_a_state_is_its_string_in_comparisons_and_json() -> None:
    assert SessionPhase.DONE == "done" and OperationStatus.RUNNING == "running"
    assert json.dumps({"phase": SessionPhase.PURGING}) == '{"phase": "purging"}'
    assert SessionPhase("fields") is SessionPhase.FIELDS  # a row read back names its member
