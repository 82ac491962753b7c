"""Same-run baselines served by a stub backend in its own process, as the real one runs.

bench/nullbackend.py and bench/replaybackend.py serve a FastAPI app on the real
backend's stack (uvicorn, uvloop and httptools) with `serve`; the benches start
them with `spawn` and wait for their "listening" line.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from typing import Any

import uvicorn


def serve(app: Any, port: int, name: str) -> None:
    """Serve `app` on 127.0.0.1:`port` until killed; says "`name` listening on URL" once up."""

    async def run() -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                access_log=False)
        server = uvicorn.Server(config)
        task = asyncio.ensure_future(server.serve())
        while not server.started:
            await asyncio.sleep(0.05)
        print(f"{name} listening on http://127.0.0.1:{port}", flush=True)
        await task

    runner_args: dict[str, Any] = {}
    try:
        import uvloop
        runner_args["loop_factory"] = uvloop.new_event_loop
    except ImportError:
        pass
    with asyncio.Runner(**runner_args) as runner:
        runner.run(run())


ROOT = Path(__file__).resolve().parents[1]


def spawn(module: str, port: int, *args: str) -> tuple[subprocess.Popen[str], str]:
    """`python -m module --port PORT ARGS` in its own process, once it listens;
    (process, base URL)."""
    proc = subprocess.Popen([sys.executable, "-m", module, "--port", str(port), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            cwd=ROOT)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "listening" not in line:
        proc.kill()
        raise SystemExit(f"{module} did not start: {line}{proc.stdout.read()}")
    return proc, f"http://127.0.0.1:{port}"
