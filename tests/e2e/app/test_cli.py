"""The `touchpoint` command line, end to end (exit status, output, JSON)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import cli
from tests.e2e.app.conftest import DEVICE_TOKEN, SECRET_APP, Backend


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TOUCHPOINT_HOME", str(tmp_path))
    monkeypatch.setenv("TOUCHPOINT_NO_PCSC", "1")  # "no hardware", even if pcscd runs
    monkeypatch.setenv("TOUCHPOINT_DEVICE_TOKEN", DEVICE_TOKEN)
    monkeypatch.delenv("TOUCHPOINT_BACKEND", raising=False)
    return tmp_path


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_readers_json(env: Path) -> None:
    code, out, _ = run("readers", "--json")
    assert code == 0
    readers = json.loads(out)
    assert readers == [{"name": "Virtual card (cardsim)", "kind": "virtual", "cardPresent": True}]


def test_card_info_offline(env: Path) -> None:
    code, out, _ = run("card-info", "--json", "--offline")
    assert code == 0
    info = json.loads(out)
    assert len(info["cin"]) >= 14 and info["reader"] == "Virtual card (cardsim)"
    assert info["isdAid"] == "A000000151000000"
    # the virtual card keeps its identity between runs (state file in TOUCHPOINT_HOME)
    assert json.loads(run("card-info", "--json", "--offline")[1])["cin"] == info["cin"]
    assert (env / "virtual-card.json").exists()


def test_install_apps_uninstall_against_a_backend_url(env: Path, backend: Backend) -> None:
    url = ["--backend", backend.url]
    code, out, _ = run("apps", "--json", "--lang", "sv", *url)
    assert code == 0
    apps = {a["appId"]: a for a in json.loads(out)}
    assert apps[SECRET_APP]["name"] == "Den hemliga applikationen"
    assert apps[SECRET_APP]["state"] == "NotInstalled"
    assert apps[SECRET_APP]["actions"] == [
        {"action": "install", "serviceId": "install", "label": "Installera"}]

    trace_file = env / "trace.json"
    code, out, err = run("install", SECRET_APP, "--field", "nickname=cli", "--trace-apdu",
                         "--trace-file", str(trace_file), *url)
    assert code == 0, out + err
    assert "Success" in out
    assert "INITIALIZE UPDATE" in out and "LOAD [block 0] (secure)" in out
    saved = json.loads(trace_file.read_text())
    assert any(e["name"] == "EXTERNAL AUTHENTICATE (secure)" for e in saved)
    assert DEVICE_TOKEN not in out + err + trace_file.read_text()

    apps = {a["appId"]: a for a in json.loads(run("apps", "--json", *url)[1])}
    assert apps[SECRET_APP]["state"] == "Installed"
    assert {a["action"] for a in apps[SECRET_APP]["actions"]} == {"uninstall", "suspend"}

    code, out, _ = run("install", SECRET_APP, "--field", "nickname=again", *url)
    assert code == 1 and "not-allowed" in out  # 412: already installed

    code, out, _ = run("uninstall", SECRET_APP, *url)
    assert code == 0, out
    apps = {a["appId"]: a for a in json.loads(run("apps", "--json", *url)[1])}
    assert apps[SECRET_APP]["state"] == "NotInstalled"


def test_failures_exit_1_with_a_message(env: Path, backend: Backend) -> None:
    code, _, err = run("run", "73656372", "--backend", backend.url)
    assert code == 2 and "APP/SERVICE" in err  # a usage error, as argparse's
    code, _, err = run("install", "00000000", "--backend", backend.url)
    assert code == 1 and "404" in err
    code, _, err = run("install", SECRET_APP, "--service", "nope", "--backend", backend.url)
    assert code == 1 and "no install service 'nope'" in err
    code, _, err = run("apps", "--reader", "no-such-reader", "--backend", backend.url)
    assert code == 1 and "no reader matches" in err
    code, _, err = run("apps", "--backend", "http://127.0.0.1:9")
    assert code == 1 and "cannot reach the backend" in err
    code, _, err = run("frobnicate")
    assert code == 2  # argparse says why on sys.stderr


def test_help_lists_the_sub_commands(env: Path) -> None:
    code, out, _ = run("--help")
    assert code == 0
    assert "readers" in out and "card-info" in out


@pytest.mark.slow
def test_touchpoint_run_with_no_arguments_installs_the_demo_app(env: Path) -> None:
    """The acceptance case: no arguments, no hardware -> bundled backend + virtual card."""
    exe = Path(sys.executable).parent / "touchpoint"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "app.cli"]
    environ = dict(os.environ)
    environ.pop("TOUCHPOINT_DEVICE_TOKEN", None)  # the bundled backend gets a fresh one
    proc = subprocess.run([*cmd, "run"], capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL, env=environ)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Success" in proc.stdout
    # state persisted: the same virtual card and backend database say Installed next time
    proc = subprocess.run([*cmd, "apps", "--json"], capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL, env=environ)
    assert proc.returncode == 0, proc.stderr
    states = {a["appId"]: a["state"] for a in json.loads(proc.stdout)}
    assert states[SECRET_APP] == "Installed"
