"""`touchpoint repair APP`: an Unstable app is uninstalled (purged) and installed again."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.e2e.app.conftest import DEVICE_TOKEN, SECRET_APP, Backend
from tests.e2e.app.test_cli import env, run

__all__ = ["env"]  # the fixture, shared with test_cli.py


def _state(url: list[str]) -> str:
    apps = {a["appId"]: a for a in json.loads(run("apps", "--json", *url)[1])}
    return str(apps[SECRET_APP]["state"])


def test_repair_uninstalls_then_installs(env: Path, backend: Backend) -> None:
    url = ["--backend", backend.url]
    code, out, _ = run("repair", SECRET_APP, *url)
    assert code == 1 and "Nothing to repair" in out  # NotInstalled: no uninstall allowed
    assert "HTTP" not in out and "/v3/" not in out
    code, out, err = run("install", SECRET_APP, "--field", "nickname=a", *url)
    assert code == 0, out + err
    cin = json.loads(run("card-info", "--json", *url)[1])["cin"]
    # the backend's repair hook: the app is Unstable, its elements still recorded
    r = httpx.post(f"{backend.url}/v3/devices/{cin}/elements/unstable",
                   json={"appId": SECRET_APP, "aids": []},
                   headers={"Authorization": f"Bearer {DEVICE_TOKEN}"}, timeout=10)
    assert r.status_code == 200, r.text
    assert _state(url) == "Unstable"
    code, out, err = run("repair", SECRET_APP, "--field", "nickname=b", *url)
    assert code == 0, out + err
    assert "Repaired: uninstall then install succeeded" in out
    assert _state(url) == "Installed"
    code, out, err = run("repair", SECRET_APP, "--service", "nope", *url)
    assert code == 1 and "no install service 'nope'" in err
