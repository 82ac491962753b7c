from __future__ import annotations

import asyncio

from tests.ui.conftest import run


def test_loop_runs_tasks(qloop, qtbot) -> None:
    async def twice(x: int) -> int:
        await asyncio.sleep(0.01)
        return 2 * x

    assert run(qtbot, twice(21)) == 42
