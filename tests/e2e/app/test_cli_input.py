"""`touchpoint run` with encrypted input, a paymentcard and user actions, end to end.

The CLI in-process against the real backend and demo SP (tests/e2e/app/conftest.py);
the virtual card from TOUCHPOINT_HOME. What fdsm's console form does is the model
(fidesmo/fdsm tool/src/main/java/com/fidesmo/fdsm/CommandLineFormHandler.java: askForField
re-asks a paymentcard until it matches PAN;MM/YY[;CVV]; handle() prints the action texts
and reads "Press ENTER to continue").
"""

from __future__ import annotations

import builtins
import io
import sys
from pathlib import Path

import pytest

from app import cli
from tests.e2e.app.conftest import DEVICE_TOKEN, SECRET_APP, Backend

CODE = "58203917"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TOUCHPOINT_HOME", str(tmp_path))
    monkeypatch.setenv("TOUCHPOINT_NO_PCSC", "1")
    monkeypatch.setenv("TOUCHPOINT_DEVICE_TOKEN", DEVICE_TOKEN)
    monkeypatch.delenv("TOUCHPOINT_BACKEND", raising=False)
    return tmp_path


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_encrypted_card_and_actions_from_the_command_line(env: Path, backend: Backend,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    url = ("--backend", backend.url)
    code, out, err = run("install", SECRET_APP, "--field", "nickname=cli", *url)
    assert code == 0, out + err

    trace = env / "trace.json"
    code, out, err = run("run", f"{SECRET_APP}/restore", "--field", f"code={CODE}",
                         "--trace-apdu", "--trace-file", str(trace), *url)
    assert code == 0, out + err
    assert CODE not in out + err + trace.read_text()

    # on a terminal: a wrong card is asked again, saying why; actions wait for ENTER
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    answers = iter(["4556737586899856;09/39", "4556 7375 8689 9855;09/39;321", ""])
    prompts: list[str] = []

    def fake_input(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(builtins, "input", fake_input)
    code, out, err = run("run", f"{SECRET_APP}/add-card", "--yes", *url)
    assert code == 0, out + err
    assert "check digit" in err and prompts[0] == prompts[1]
    assert "NUMBER;MM/YY;CVV" in prompts[0]
    assert backend.demo.cards_added[-1] == "9855"

    answers = iter(["", ""])
    prompts.clear()
    code, out, err = run("run", f"{SECRET_APP}/support", *url)
    assert code == 0, out + err
    assert "Please call +46 8 123 456" in err
    assert "Keep your card on the reader during the call." in err
    assert prompts == ["Press ENTER to continue ", "Press ENTER to continue "]

    def eof(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr(builtins, "input", eof)
    code, out, err = run("run", f"{SECRET_APP}/support", *url)
    assert code != 0  # Ctrl-D: not acknowledged, the delivery stops
