"""The bundled backend on SQLite and PostgreSQL, driven as fdsm drives the platform."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.backend.conftest import Backend, database_url, start_backend
from tests.helpers.postgres import postgres  # noqa: F401 (a fixture)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    b = start_backend(tmp_path_factory.mktemp("fdsm-backend"), database_url(request),
                      fetch_wait=2.0, touchpoint_timeout=10.0)
    yield b
    b.runner.stop()
