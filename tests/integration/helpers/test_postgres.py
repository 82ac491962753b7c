"""tests/helpers/postgres.py: a test run's PostgreSQL cluster never outlives it.

Real clusters (initdb + pg_ctl) in real subprocesses; skipped without
PostgreSQL, failed under CI=true like every PostgreSQL test.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.helpers.postgres import PostgresUnavailable, _alive, find_bin, reap_orphans, required

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _needs_postgres() -> None:
    try:
        find_bin()
    except PostgresUnavailable as exc:
        if required():
            pytest.fail(f"PostgreSQL is required under CI=true: {exc}")
        pytest.skip(str(exc))


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _postmaster(folder: Path) -> int:
    return int((folder / "data" / "postmaster.pid").read_text().split("\n", 1)[0])


INNER = '''
from pathlib import Path
from tests.helpers.postgres import postgres  # noqa: F401 (the fixture)


def test_fails_while_the_cluster_runs(postgres):
    pid = (postgres.data / "postmaster.pid").read_text().split("\\n", 1)[0]
    Path(__file__).with_name("seen.txt").write_text(f"{postgres.dir} {pid}")
    assert False, "a failing test"
'''


def test_the_cluster_stops_when_a_test_fails(tmp_path: Path) -> None:
    (tmp_path / "test_inner.py").write_text(textwrap.dedent(INNER))
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir",
         str(tmp_path), str(tmp_path / "test_inner.py")],
        capture_output=True, text=True, env=_env(), timeout=300, cwd=tmp_path)
    assert "1 failed" in proc.stdout, proc.stdout + proc.stderr
    folder, pid = (tmp_path / "seen.txt").read_text().split()
    assert not _alive(int(pid)), "the postmaster outlived the failed run"
    assert not Path(folder).exists()


KILLED = '''
import os, sys, time
from tests.helpers.postgres import PgCluster
cluster = PgCluster().start()
print(cluster.dir, flush=True)
time.sleep(120)
'''


def test_a_cluster_left_by_a_killed_run_is_stopped_by_the_next_one() -> None:
    proc = subprocess.Popen([sys.executable, "-c", KILLED], stdout=subprocess.PIPE, text=True,
                            env=_env())
    try:
        assert proc.stdout is not None
        folder = Path(proc.stdout.readline().strip())
        pid = _postmaster(folder)
        assert _alive(pid)
    finally:
        proc.send_signal(signal.SIGKILL)  # no finally, no atexit: the cluster stays
        proc.wait()
    assert _alive(pid)
    assert folder in reap_orphans()
    assert not _alive(pid) and not folder.exists()
