"""`touchpoint --self-test` from the source tree: every step for real, and its failures."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import selftest
from app.cli import main as cli_main
from tests.packaging.conftest import ROOT

STEPS = ["resources", "gui", "backend", "card", "install", "uninstall"]


def _no_display_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["TOUCHPOINT_HOME"] = str(home)
    return env


def test_self_test_passes_with_no_display(tmp_path: Path) -> None:
    home = tmp_path / "home"
    proc = subprocess.run([sys.executable, "-m", "app.cli", "--self-test"], cwd=ROOT,
                          env=_no_display_env(home), capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[-1] == "self-test passed"
    for step in STEPS:
        assert any(line.startswith(f"ok    {step}") for line in lines), (step, proc.stdout)
    assert "now Installed" in proc.stdout and "now NotInstalled" in proc.stdout
    # it worked in a temporary folder: the user's data directory was not touched
    assert not home.exists() or not any(home.iterdir())


async def test_run_self_test_steps_and_restores_environment(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TOUCHPOINT_HOME", str(tmp_path / "mine"))
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    seen: list[selftest.StepResult] = []
    report = await selftest.run_self_test(gui=False, emit=seen.append)
    assert report.ok, [s.line() for s in report.steps]
    assert [s.name for s in report.steps] == [s for s in STEPS if s != "gui"]
    assert seen == report.steps
    assert os.environ["TOUCHPOINT_HOME"] == str(tmp_path / "mine")
    assert "PYTHON_KEYRING_BACKEND" not in os.environ
    assert not (tmp_path / "mine").exists()


def test_cli_hook_missing_demo_data_fails_clearly(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    empty = tmp_path / "no-demo"
    empty.mkdir()
    monkeypatch.setenv("TOUCHPOINT_DEMO_DIR", str(empty))
    out = io.StringIO()
    assert cli_main(["--self-test", "--no-gui"], out=out) == 1
    text = out.getvalue()
    assert "FAIL  resources" in text
    assert f"demo data missing in {empty}: secret-app.json, keystore.cap" in text
    assert "TOUCHPOINT_DEMO_DIR" in text
    assert text.rstrip().endswith("self-test FAILED")
    assert "backend" not in text.split("FAIL  resources", 1)[1]  # stopped at the first failure


def test_gui_step_reports_a_crashing_window(monkeypatch: pytest.MonkeyPatch) -> None:
    crash = "import sys; sys.stderr.write('qt.qpa.plugin: could not load the platform\\n'); " \
            "sys.exit(3)"
    monkeypatch.setattr(selftest, "self_command", lambda: [sys.executable, "-c", crash])
    with pytest.raises(selftest.SelfTestError) as info:
        selftest.check_gui(30.0, {})
    message = str(info.value)
    assert "status 3" in message
    assert "could not load the platform" in message


def test_gui_step_reports_a_window_that_never_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selftest, "self_command",
                        lambda: [sys.executable, "-c", "import time; time.sleep(30)"])
    with pytest.raises(selftest.SelfTestError, match="first frame within 1 s"):
        selftest.check_gui(1.0, {})


def test_self_command_and_paths_follow_the_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TOUCHPOINT_DEMO_DIR", raising=False)
    monkeypatch.delenv("TOUCHPOINT_QM_DIR", raising=False)
    assert selftest.frozen() is False
    assert selftest.self_command() == [sys.executable, "-m", "ui.main"]
    assert selftest.bundle_root() == ROOT
    assert selftest.demo_dir() == ROOT / "resources" / "demo"
    assert selftest.qm_dir() == ROOT / "ui" / "translations"


def test_unknown_self_test_option_is_refused() -> None:
    out = io.StringIO()
    assert selftest.main(["--gui-only"], out=out) == 1
    assert "unknown option '--gui-only'" in out.getvalue()
    assert "self-test" in out.getvalue() and "passed" not in out.getvalue()
