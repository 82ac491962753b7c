"""The commands as their users drive them (issue 16 points 1 and 2): versions, exit statuses,
log levels, the APDU traffic level, --trace-api, the reader default. Every test runs the
entry point pyproject.toml declares, in a subprocess (tests/helpers/entrypoints.py)."""

from __future__ import annotations

import json
import re
import sys
import textwrap
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.e2e.app.conftest import DEVICE_TOKEN, SECRET_APP, Backend
from tests.helpers.entrypoints import ROOT, declared, environ, run


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path


def test_touchpoint_is_a_console_script_and_touchpoint_gui_a_gui_script() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    # ui.main:main hands a sub-command to app.cli (app/ never imports ui/, DESIGN.md)
    assert project["scripts"]["touchpoint"] == "ui.main:main"
    assert project["gui-scripts"] == {"touchpoint-gui": "ui.main:gui"}
    # make run opens the window through the gui-script; the desktop file's `touchpoint`
    # with no sub-command opens it too (the frozen bundle has that one executable)
    assert "$(VENV)/bin/touchpoint-gui" in (ROOT / "Makefile").read_text()
    desktop = (ROOT / "packaging/linux/org.setouchpoint.TouchPoint.desktop").read_text()
    assert re.search(r"^Exec=touchpoint$", desktop, re.M)


@pytest.mark.parametrize("name, flag", [("touchpoint", "-V"), ("touchpoint", "--version"),
                                        ("touchpoint-backend", "-V"), ("cardsim", "--version"),
                                        ("cardsim", "-V"), ("touchpoint-gui", "--version")])
def test_version(home: Path, name: str, flag: str) -> None:
    proc = run(name, flag, env=environ(home))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"{name} {version('se-touchpoint')}"


@pytest.mark.parametrize("name, args", [
    ("touchpoint", ["frobnicate"]),
    ("touchpoint", ["readers", "--bogus"]),
    ("touchpoint", ["run", "73656372"]),                  # APP/SERVICE expected
    ("touchpoint", ["run", "--field", "novalue", "73656372/install"]),
    ("touchpoint", ["card-info", "--log-level", "loud"]),
    ("touchpoint-gui", ["--mode", "nowhere"]),
    ("touchpoint-backend", ["serve", "--port", "eighty"]),
    ("touchpoint-backend", ["apps", "create"]),
    ("touchpoint-backend", []),
    ("cardsim", ["new"]),
])
def test_usage_errors_exit_2(home: Path, name: str, args: list[str]) -> None:
    proc = run(name, *args, env=environ(home))
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stderr.strip(), "a usage error says what is wrong"


def test_failures_exit_1(home: Path) -> None:
    proc = run("touchpoint", "apps", "--backend", "http://127.0.0.1:9", env=environ(home))
    assert proc.returncode == 1 and "cannot reach the backend" in proc.stderr
    proc = run("cardsim", "info", str(home / "missing.json"), env=environ(home))
    assert proc.returncode == 1


def test_a_bad_log_level_variable_is_a_usage_error_naming_it(home: Path) -> None:
    for name, args in (("touchpoint", ["readers"]), ("touchpoint-backend", ["serve"])):
        proc = run(name, *args, env=environ(home, TOUCHPOINT_LOG_LEVEL="chatty"))
        assert proc.returncode == 2, proc.stderr
        assert "TOUCHPOINT_LOG_LEVEL='chatty'" in proc.stderr and "traffic" in proc.stderr


def test_log_levels_from_flags_and_the_variable(home: Path) -> None:
    quiet = run("touchpoint", "card-info", "--offline", env=environ(home))
    assert quiet.returncode == 0 and " INFO " not in quiet.stderr
    for how in (["-v"], ["--log-level", "info"]):
        proc = run("touchpoint", "card-info", *how, env=environ(home))
        assert proc.returncode == 0, proc.stderr
        assert "INFO touchpoint: " in proc.stderr and "the bundled backend at" in proc.stderr
    proc = run("touchpoint", "card-info", env=environ(home, TOUCHPOINT_LOG_LEVEL="info"))
    assert "the bundled backend at http://127.0.0.1:" in proc.stderr
    # --log-level wins over -v and the variable
    proc = run("touchpoint", "card-info", "-vv", "--log-level", "warning",
               env=environ(home, TOUCHPOINT_LOG_LEVEL="debug"))
    assert proc.returncode == 0 and " INFO " not in proc.stderr and " DEBUG " not in proc.stderr


def _traffic(stderr: str) -> list[str]:
    return [line.split("TRAFFIC app.traffic: ", 1)[1] for line in stderr.splitlines()
            if "TRAFFIC app.traffic: " in line]


@pytest.mark.slow
def test_traffic_level_logs_every_apdu_the_trace_sees_masked_as_the_trace(home: Path) -> None:
    trace_file = home / "trace.json"
    proc = run("touchpoint", "run", f"{SECRET_APP}/install", "--yes", "-vvv",
               "--trace-file", str(trace_file), env=environ(home))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = _traffic(proc.stderr)
    trace = json.loads(trace_file.read_text())
    apdus = [e for e in trace if e["direction"] in (">>", "<<")]
    assert len(apdus) > 20  # an install: SELECT, secure channel, LOAD blocks, INSTALL
    logged = [line.split()[1:3] for line in lines if line.split()[1] in (">>", "<<")]
    # the same exchanges, in order, with the same (redacted) bytes as the saved trace
    assert logged == [[e["direction"], e["apdu"]] for e in apdus]
    assert f"INFO touchpoint: running {SECRET_APP}/install" in proc.stderr  # and above


def test_traffic_masks_what_the_trace_masks(tmp_path: Path) -> None:
    """A PIN in a VERIFY is masked in the trace; the TRAFFIC line shows the trace's bytes."""
    code = textwrap.dedent("""
        import logging, time
        from app import logs
        from app.trace import Trace
        logs.setup(logs.TRAFFIC)
        t = Trace()
        now = time.time()
        t.record(bytes.fromhex("0020000104313233340000"), bytes.fromhex("9000"), now, now)
        t.record(bytes.fromhex("00A4040000"), bytes.fromhex("9000"), now, now)
        t.flush()
        print(t.entries[0].data.hex().upper())
    """)
    import subprocess

    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ(tmp_path),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    masked = proc.stdout.strip()
    lines = _traffic(proc.stderr)
    assert len(lines) == 4
    assert masked != "0020000104313233340000"  # the trace redacts the PIN
    assert lines[0].split()[2] == masked and "31323334" not in proc.stderr
    assert lines[2].split()[2] == "00A4040000"


def test_trace_api_logs_requests_and_answers_with_credentials_masked(home: Path,
                                                                    backend: Backend) -> None:
    env = environ(home, TOUCHPOINT_DEVICE_TOKEN=DEVICE_TOKEN)
    proc = run("touchpoint", "apps", "--json", "--backend", backend.url, "--trace-api", env=env)
    assert proc.returncode == 0, proc.stderr
    assert re.search(rf"INFO app.api: > GET {re.escape(backend.url)}/v3/apps\?states=published",
                     proc.stderr)
    assert re.search(r"INFO app.api: < 200 GET /v3/apps \(\d+\.\d ms\) \[", proc.stderr)
    assert re.search(rf"< 200 GET /v3/apps/{SECRET_APP} .*\"appId\":\"{SECRET_APP}\"",
                     proc.stderr)
    assert "authorization: ***" in proc.stderr
    assert DEVICE_TOKEN not in proc.stderr and DEVICE_TOKEN not in proc.stdout
    # without the flag, nothing of it
    proc = run("touchpoint", "apps", "--json", "--backend", backend.url, "-vv", env=env)
    assert proc.returncode == 0 and "app.api" not in proc.stderr


def test_trace_api_masks_credential_members_of_json_bodies() -> None:
    from app.apitrace import mask_body

    body = b'{"appId": "11223344", "appKey": "00112233445566778899AABBCCDDEEFF", ' \
           b'"token": "tp_secret", "nested": [{"password": "x", "pin": "1234"}], "n": 1}'
    shown = json.loads(mask_body(body))
    assert shown == {"appId": "11223344", "appKey": "***", "token": "***",
                     "nested": [{"password": "***", "pin": "***"}], "n": 1}


def test_touchpoint_reader_is_the_default_reader(home: Path) -> None:
    proc = run("touchpoint", "card-info", "--offline", "--json",
               env=environ(home, TOUCHPOINT_READER="no-such-reader"))
    assert proc.returncode == 1 and "no reader matches 'no-such-reader'" in proc.stderr
    proc = run("touchpoint", "card-info", "--offline", "--json",
               env=environ(home, TOUCHPOINT_READER="virtual"))
    assert proc.returncode == 0 and json.loads(proc.stdout)["reader"] == "Virtual card (cardsim)"
    # --reader still wins over the variable
    proc = run("touchpoint", "card-info", "--offline", "--json", "--reader", "virtual",
               env=environ(home, TOUCHPOINT_READER="no-such-reader"))
    assert proc.returncode == 0, proc.stderr


def test_uncaught_exceptions_and_fatal_signals_are_written_to_the_log(tmp_path: Path) -> None:
    import subprocess

    log = tmp_path / "t.log"
    code = textwrap.dedent(f"""
        import logging, threading, faulthandler
        from pathlib import Path
        from app import logs
        logs.setup(logging.INFO, log_file=Path({str(log)!r}))
        t = threading.Thread(target=lambda: 1 / 0, name="worker-7")
        t.start(); t.join()
        faulthandler._sigsegv()
    """)
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ(tmp_path),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    text = log.read_text()
    assert "CRITICAL touchpoint: uncaught exception in thread worker-7" in text
    assert "ZeroDivisionError" in text
    assert "Fatal Python error: Segmentation fault" in text

    code = textwrap.dedent(f"""
        import logging
        from pathlib import Path
        from app import logs
        logs.setup(logging.INFO, log_file=Path({str(log)!r}))
        raise RuntimeError("the main thread fails")
    """)
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ(tmp_path),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "CRITICAL touchpoint: uncaught exception" in log.read_text()
    assert "RuntimeError: the main thread fails" in log.read_text()


def test_the_bundled_backend_logs_into_the_log_folder(home: Path) -> None:
    proc = run("touchpoint", "card-info", "--json", env=environ(home))
    assert proc.returncode == 0, proc.stderr
    assert not (home / "backend.log").exists()  # no longer appended forever in the data dir
    out = (home / "log" / "backend.out").read_text()
    assert "touchpoint-backend listening on http://127.0.0.1:" in out
    first = (home / "log" / "backend.log").stat().st_size
    assert run("touchpoint", "card-info", "--json", env=environ(home)).returncode == 0
    # backend.out is this launch's only; backend.log goes on (rotated by the backend)
    assert (home / "log" / "backend.out").read_text().count("listening on") == 1
    assert (home / "log" / "backend.log").stat().st_size >= first
    # -vv raises the level of a bundled backend it starts (a running one keeps its own)
    assert " DEBUG " not in (home / "log" / "backend.log").read_text()
    assert run("touchpoint", "backend", "stop", env=environ(home)).returncode == 0
    assert run("touchpoint", "card-info", "--json", "-vv", env=environ(home)).returncode == 0
    assert " DEBUG " in (home / "log" / "backend.log").read_text()


def test_readme_and_help_say_the_same(home: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    def help_of(name: str, *args: str) -> str:
        proc = run(name, *args, "--help", env=environ(home))
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    helps = {"touchpoint": help_of("touchpoint", "run"), "touchpoint-gui": help_of(
        "touchpoint-gui"), "touchpoint-backend": help_of("touchpoint-backend", "serve"),
             "apps": help_of("touchpoint-backend", "apps")}
    for option in ("-v", "--log-level", "--trace-api", "$TOUCHPOINT_LOG_LEVEL"):
        assert option in readme
        assert option in helps["touchpoint"], option
    assert "$TOUCHPOINT_READER" in helps["touchpoint"] and "$TOUCHPOINT_READER" in readme
    assert "platform" in helps["touchpoint"] and "platform applet's SELECT" in readme
    for level in ("traffic", "debug", "info", "warning", "error"):
        assert level in helps["touchpoint"] and level in readme
    assert "--trace-api" in helps["touchpoint-gui"] and "--log-level" in helps["touchpoint-gui"]
    assert "--log-file" in helps["touchpoint-backend"] and "--log-file FILE" in readme
    assert "rotated at 2 MiB" in helps["touchpoint-backend"] and "rotated at 2 MiB" in readme
    for sub in ("create", "list", "rotate-key", "delete"):
        assert re.search(rf"touchpoint-backend apps (\w+, )*`?(apps )?{sub}\b", readme) or \
            f"apps {sub}" in readme, sub
        assert sub in helps["apps"]
    assert declared().keys() >= {"touchpoint", "touchpoint-gui", "touchpoint-backend",
                                 "cardsim"}
