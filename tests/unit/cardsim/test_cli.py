"""The `cardsim` command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cardsim.card import VirtualCard
from cardsim.cli import build_parser, main


def test_new_and_info(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.json"
    assert (
        main(
            [
                "new",
                str(path),
                "--scp",
                "2",
                "--i",
                "15",
                "--cin",
                "0102030405060708",
                "--iin",
                "12345678",
                "--diversify",
                "emv",
            ]
        )
        == 0
    )
    card = VirtualCard.load(path)
    assert card.cin.hex() == "0102030405060708" and card.profile.scp == 2
    assert card.profile.scp_i == 0x15 and card.profile.kvn == 0x20
    capsys.readouterr()
    assert main(["info", str(path)]) == 0
    text = capsys.readouterr().out
    assert "CIN 0102030405060708" in text and "SCP02 i=15" in text and "A000000151000000" in text
    assert main(["info", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["iin"] == "12345678" and info["applications"][0]["kind"] == "ISD"


def test_new_refuses_to_overwrite_and_bad_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.json"
    assert main(["new", str(path)]) == 0
    assert main(["new", str(path)]) == 1
    assert main(["new", str(path), "--force", "--diversify", "emv"]) == 2
    assert "diversify" in capsys.readouterr().err


def test_info_on_garbage(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("[]")
    assert main(["info", str(path)]) == 1


def test_vpcd_arguments() -> None:
    args = build_parser().parse_args(["vpcd", "--card", "f.json", "--port", "35964"])
    assert (args.command, args.card, args.host, args.port) == ("vpcd", "f.json", "127.0.0.1", 35964)
    assert args.timing == "none"
    assert build_parser().parse_args(["vpcd", "--timing", "jcop4-contactless"]).timing == (
        "jcop4-contactless")


def test_vpcd_refuses_an_unknown_timing_profile(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["vpcd", "--timing", "jcop5"])
    assert exc.value.code == 2
    assert "invalid choice: 'jcop5'" in capsys.readouterr().err


def test_python_dash_m(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    done = subprocess.run(
        [sys.executable, "-m", "cardsim", "new", str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert done.returncode == 0, done.stderr
    assert path.exists()
