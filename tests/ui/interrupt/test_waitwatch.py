"""ui/widgets/waitwatch.py on its own: the bar is full only when done, the time left is
estimated from the pace so far, the limit cancels, news and pauses hold it off."""

from __future__ import annotations

import time
from typing import Any

from app.delivery import Phase, Progress
from ui.widgets.waitwatch import WaitWatch, bar_value


class Runner:
    def __init__(self) -> None:
        self.cancelled = 0

    def cancel(self) -> None:
        self.cancelled += 1


def test_bar_is_full_only_once_done() -> None:
    for expected in (1, 5, 40):
        for done in range(expected + 1):
            for phase in (Phase.TRANSMITTING, Phase.WAITING, Phase.STARTING):
                top, value = bar_value(Progress(phase, done, expected))
                assert 0 <= value < top, (phase, done, expected)
        top, value = bar_value(Progress(Phase.DONE, expected, expected))
        assert value == top


def test_time_left_from_the_pace_so_far(qapp: Any) -> None:
    watch = WaitWatch(5, 10)
    watch.start(Runner())
    assert watch.seconds_left(Progress(Phase.TRANSMITTING, 0, 100)) is None  # no pace yet
    watch.progress(Progress(Phase.TRANSMITTING, 10, 100))
    watch._first_apdu = (time.monotonic() - 2.0, 10)  # 2 s ago at APDU 10
    left = watch.seconds_left(Progress(Phase.TRANSMITTING, 50, 100))
    assert left is not None and 1.8 < left < 2.6  # 40 APDUs in 2 s, 50 to go
    assert watch.seconds_left(Progress(Phase.TRANSMITTING, 100, 100)) is None
    watch.stop()


def test_limit_cancels_and_news_or_a_pause_hold_it_off(qapp: Any, qtbot: Any) -> None:
    runner = Runner()
    watch = WaitWatch(0.1, 0.4)
    slow: list[bool] = []
    watch.slow.connect(slow.append)
    watch.start(runner)
    for _ in range(4):  # news every 0.2 s: slow may come and go, the limit never
        qtbot.wait(200)
        watch.progress(Progress(Phase.WAITING))
    assert runner.cancelled == 0 and not watch.timed_out
    watch.progress(Progress(Phase.USER_INPUT))  # the user is asked: no limit meanwhile
    qtbot.wait(600)
    assert runner.cancelled == 0
    watch.progress(Progress(Phase.WAITING))  # back to waiting on the backend
    with qtbot.waitSignal(watch.expired, timeout=2000):
        pass
    assert runner.cancelled == 1 and watch.timed_out
    assert slow and slow[0] is True
