"""Fixtures shared by every test tier."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.helpers.pcsc import READER, SLOT0_PORT, Pcscd, SlotLock, wait_card


@pytest.fixture(scope="session", autouse=True)
def private_runtime_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Shared bundled backends (app/sharedbackend.py) are recorded in a directory of this
    test session, never the user's; they end soon when idle and are stopped at the end."""
    from tests.helpers.sharedbackends import stop_recorded

    path = tmp_path_factory.mktemp("runtime")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TOUCHPOINT_RUNTIME_DIR", str(path))
        mp.setenv("TOUCHPOINT_BACKEND_IDLE", "120")
        yield path
    stop_recorded(path)


@pytest.fixture(autouse=True)
def root_logger_restored() -> Iterator[None]:
    """A command's main() run in-process sets up logging for the whole process, with a
    handler on the stream it was given (often a capture that ends with the test): the
    next test must not log into a closed stream."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)


@pytest.fixture(scope="session")
def pcscd() -> Iterator[Pcscd]:
    """A running pcscd with the vpcd driver (ours or the machine's)."""
    daemon = Pcscd().start()
    yield daemon
    daemon.stop()


@pytest.fixture
def vpcd_card(pcscd: Pcscd) -> Iterator[Callable[..., Any]]:
    """Puts a card object into slot 0 ("Virtual PCD 00 00"); returns the running bridge.

    Usage: `bridge = vpcd_card(card)`; the bridge is stopped (card removed) after the test.
    """
    from cardsim.vpcd import VpcdBridge

    bridges: list[VpcdBridge] = []
    lock = SlotLock()

    def put(card: Any, **kwargs: Any) -> VpcdBridge:
        lock.acquire()
        bridge = VpcdBridge(card, port=SLOT0_PORT, **kwargs).start()
        bridges.append(bridge)
        assert bridge.wait_connected(10), "vpcd did not accept the card's connection"
        wait_card(True, READER)
        return bridge

    yield put
    try:
        for bridge in bridges:
            bridge.stop()
        if bridges:
            wait_card(False, READER)
    finally:  # a failed teardown must not leave the next test waiting on the slot
        lock.release()
