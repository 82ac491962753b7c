"""The installed commands, run as pip's wrapper scripts run them: `from MODULE import FUNC;
sys.exit(FUNC())`, with MODULE:FUNC read from pyproject.toml, so a test of `touchpoint ...`
tests the entry point the wheel declares (and this worktree's code, via PYTHONPATH)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def declared() -> dict[str, str]:
    """Command name -> "module:function", console and gui scripts together."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {**project.get("scripts", {}), **project.get("gui-scripts", {})}


def command(name: str) -> list[str]:
    module, func = declared()[name].split(":")
    return [sys.executable, "-c", f"import sys; from {module} import {func}; sys.exit({func}())"]


def environ(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("TOUCHPOINT_LOG_LEVEL", "TOUCHPOINT_READER", "TOUCHPOINT_BACKEND",
                        "TOUCHPOINT_DEVICE_TOKEN")}
    env.update(PYTHONPATH=str(ROOT), TOUCHPOINT_HOME=str(home), QT_QPA_PLATFORM="offscreen",
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring", TOUCHPOINT_NO_PCSC="1")
    env.update(extra)
    return env


def run(name: str, *args: str, env: dict[str, str], timeout: float = 120,
        stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*command(name), *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout, input=stdin,
                          stdin=None if stdin is not None else subprocess.DEVNULL)
