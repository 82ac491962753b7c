"""The bundled backend does not outlive the touch point that started it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it has exited all the same.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


def test_backend_stops_when_the_touch_point_is_killed(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import asyncio, sys
        from app.backend import BundledBackend

        async def main():
            backend = BundledBackend(db={str(tmp_path / "b.sqlite")!r},
                                     log_path={str(tmp_path / "b.log")!r}, demo=False)
            await backend.start()
            print(backend.proc.pid, flush=True)
            await asyncio.sleep(120)

        asyncio.run(main())
    """)
    env = {**os.environ, "TOUCHPOINT_HOME": str(tmp_path)}
    tp = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                          env=env, cwd=Path(__file__).resolve().parents[3])
    try:
        assert tp.stdout is not None
        backend_pid = int(tp.stdout.readline())
        assert _alive(backend_pid)
        tp.send_signal(signal.SIGKILL)  # no clean-up code of the touch point runs
        tp.wait(10)
        deadline = time.monotonic() + 15
        while _alive(backend_pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(backend_pid), "the backend outlived its touch point"
        assert "is gone; stopping" in (tmp_path / "b.log").read_text()
    finally:
        if tp.poll() is None:
            tp.kill()
