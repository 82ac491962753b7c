"""`touchpoint replay FILE`: a GPPro-style trace sent to the embedded virtual card again."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest

from app import cli, gpptrace
from app.identity import read_identity
from app.paths import virtual_card_file
from app.readers.virtual import VirtualReader
from app.trace import Trace


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TOUCHPOINT_HOME", str(tmp_path))
    monkeypatch.setenv("TOUCHPOINT_NO_PCSC", "1")
    monkeypatch.delenv("TOUCHPOINT_BACKEND", raising=False)
    return tmp_path


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


async def _record(path: Path) -> Trace:
    """The identity reading of the user's virtual card, as a trace."""
    reader = VirtualReader(path=virtual_card_file())
    trace = Trace()
    try:
        await read_identity(lambda apdu: reader.transmit(apdu, observer=trace.record))
    finally:
        await reader.close()
    gpptrace.save(trace.entries, path)
    return trace


def test_replay_of_a_plain_trace_gives_the_same_answers(env: Path) -> None:
    log = env / "colleague.txt"
    trace = asyncio.run(_record(log))
    code, out, err = run("replay", str(log), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["ok"] and report["reader"] == "Virtual card (cardsim)"
    assert len(report["steps"]) == len(trace.commands())
    assert all(s["same"] for s in report["steps"])
    code, out, _ = run("replay", str(log))
    assert code == 0
    assert f"{len(trace.commands())} same answers, 0 different" in out


def test_replay_of_a_secure_channel_trace_says_why_it_stopped(env: Path) -> None:
    log = env / "scp.txt"
    log.write_text("A>> T=1 (4+0008) 00A40400 08 A00000015100000000\n"
                   "A<< (0000+2) (3ms) 9000\n"
                   "A>> T=1 (4+0008) 80500000 08 1111111111111111 00\n"
                   "A<< (0029+2) (9ms) 0000000000000000000030037000000000000000000000000000"
                   "000000 9000\n"
                   "A>> T=1 (4+0016) 84820100 10 22222222222222223333333333333333\n"
                   "A<< (0000+2) (5ms) 9000\n")
    code, out, _ = run("replay", str(log))
    assert code == 1
    assert "stopped: command 3: answer" in out
    assert "recorded cryptogram and MACs do not verify on this session" in out


def test_a_bad_file_is_named(env: Path) -> None:
    bad = env / "bad.txt"
    bad.write_text("A>> T=1 (4+0002) 80CA9F7F 00\n")
    code, _, err = run("replay", str(bad))
    assert code == 1 and "line 1: (4+0002) but the data has 0 bytes" in err
