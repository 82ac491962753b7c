"""`touchpoint-backend apps ...` and README's "For Service Provider developers", step by step:
a real `touchpoint-backend serve` process on 127.0.0.1 (SQLite), the `apps` commands on its
database while it serves, the SP calls as README's curl lines make them, and `touchpoint run`
on the virtual card. Every command runs the entry point pyproject.toml declares."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from backend_stub.runner import free_port
from tests.helpers.capwriter import build_cap
from tests.helpers.entrypoints import ROOT, command, environ, run

APP = "11223344"
PACKAGE = bytes.fromhex("A00000061700" + APP + "01")
APPLET = bytes.fromhex("A00000061700" + APP + "0101")


class Served:
    def __init__(self, data: Path, home: Path) -> None:
        self.data = data
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.out = data.parent / "serve.out"
        self.proc: subprocess.Popen[bytes] | None = None

    def env(self, **extra: str) -> dict[str, str]:
        env = environ(self.home, **extra)
        env.pop("TOUCHPOINT_BACKEND_KEK", None)
        env.pop("TOUCHPOINT_DB_URL", None)
        return env

    def apps(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run("touchpoint-backend", "apps", *args, "--data-dir", str(self.data),
                   env=self.env())


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    s = Served(tmp_path / "backend", tmp_path / "home")
    s.home.mkdir()
    with s.out.open("wb") as out:  # README: `touchpoint-backend serve &` (here on a free port)
        s.proc = subprocess.Popen([*command("touchpoint-backend"), "serve", "--port",
                                   str(s.port), "--data-dir", str(s.data)], cwd=ROOT,
                                  env=s.env(), stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while b"listening on" not in s.out.read_bytes():
        assert s.proc.poll() is None and time.monotonic() < deadline, s.out.read_text()
        time.sleep(0.05)
    yield s
    s.proc.terminate()
    s.proc.wait(15)


def _basic(app_id: str, key: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{app_id}:{key}".encode()).decode()}


def _printed(stdout: str) -> tuple[str, str, str]:
    app_id = re.search(r"app id:\s+(\w+)", stdout)
    key = re.search(r"app key:\s+([0-9A-F]{32})", stdout)
    token = re.search(r"token:\s+(\S+)", stdout)
    assert app_id and key and token, stdout
    return app_id[1], key[1], token[1]


def test_the_sp_developer_walkthrough_of_the_readme(served: Served) -> None:
    # touchpoint-backend apps create "My app" --app-id 11223344
    made = served.apps("create", "My app", "--app-id", APP)
    assert made.returncode == 0, made.stderr
    app_id, key, token = _printed(made.stdout)
    assert app_id == APP and "shown this once" in made.stdout
    assert f"export FIDESMO_AUTH={APP}:{key}" in made.stdout
    auth = _basic(APP, key)
    base = f"{served.url}/v3/apps/{APP}"
    with httpx.Client(timeout=30) as http:
        # curl -u "$FIDESMO_AUTH" --data-binary @my.cap $B/capfiles (curl's default type)
        cap = build_cap(PACKAGE, [APPLET], package_name="com.example.myapp")
        up = http.post(f"{base}/capfiles", content=cap, headers={
            **auth, "Content-Type": "application/x-www-form-urlencoded"})
        assert up.status_code == 201, up.text
        lfdbh = up.json()["id"]
        recipe = {"description": {"title": {"en": "Install"}},
                  "actions": [{"endpoint": "/ccm/install", "content": {
                      "id": lfdbh, "searchBy": "lfdbh", "module": APPLET.hex().upper(),
                      "application": APPLET.hex().upper()}}],
                  "successMessage": {"en": "My app is installed."}}
        put = http.put(f"{base}/services/install/recipe", json=recipe, headers=auth)
        assert put.status_code in (200, 201), put.text
        desc = http.put(base, json={"name": {"en": "My app"}, "installServices": ["install"]},
                        headers=auth)
        assert desc.status_code == 200, desc.text
        # the token works as Bearer too
        assert http.get(base, headers={"Authorization": f"Bearer {token}"}).status_code == 200

    # export TOUCHPOINT_DEVICE_TOKEN=$(cat DATA_DIR/device-token); touchpoint run ...
    device = (served.data / "device-token").read_text().strip()
    env = served.env(TOUCHPOINT_DEVICE_TOKEN=device)
    ran = run("touchpoint", "run", f"{APP}/install", "--backend", served.url, "--trace-apdu",
              "--yes", env=env)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "Success: My app is installed." in ran.stdout
    assert ran.stdout.count(" >> ") > 5  # the install's APDUs, through the secure channel
    apps = json.loads(run("touchpoint", "apps", "--json", "--backend", served.url,
                          env=env).stdout)
    assert {a["appId"]: a["state"] for a in apps}[APP] == "Installed"

    # apps list, while the server runs
    listed = served.apps("list")
    assert listed.returncode == 0
    assert re.search(rf"^{APP}\s+published\s+1 services\s+1 CAP files\s+My app$",
                     listed.stdout, re.M), listed.stdout
    rows = json.loads(served.apps("list", "--json").stdout)
    assert rows == [{"appId": APP, "state": "published", "name": {"en": "My app"},
                     "services": 1, "capFiles": 1}]

    # rotate-key: the old key and token stop working, the new ones work
    rotated = served.apps("rotate-key", APP, "--json")
    assert rotated.returncode == 0, rotated.stderr
    new = json.loads(rotated.stdout)
    assert new["appId"] == APP and new["appKey"] != key and new["token"] != token
    with httpx.Client(timeout=30) as http:
        assert http.get(base, headers=auth).status_code == 401
        assert http.get(base, headers={"Authorization": f"Bearer {token}"}).status_code == 401
        assert http.get(base, headers=_basic(APP, new["appKey"])).status_code == 200
        assert http.get(base, headers={"app_id": APP, "app_key": new["appKey"]}
                        ).status_code == 200

    # delete: refused while a card holds the app, nothing changed; then --force
    refused = served.apps("delete", APP)
    assert refused.returncode == 1 and "1 card(s) hold this application" in refused.stderr
    assert json.loads(served.apps("list", "--json").stdout) == rows
    gone = served.apps("delete", APP, "--force", "--json")
    assert gone.returncode == 0, gone.stderr
    assert json.loads(gone.stdout) == {"appId": APP, "services": 1, "capFiles": 1, "cards": 1}
    assert served.apps("list").stdout == "no applications\n"
    with httpx.Client(timeout=30) as http:
        assert http.get(base, headers=_basic(APP, new["appKey"])).status_code == 401
    apps = json.loads(run("touchpoint", "apps", "--json", "--backend", served.url,
                          env=env).stdout)
    assert APP not in {a["appId"] for a in apps}


def test_bad_input_names_what_is_wrong_and_stores_nothing(served: Served) -> None:
    first = served.apps("create", "One", "--json")
    assert first.returncode == 0, first.stderr
    made = json.loads(first.stdout)
    assert re.fullmatch(r"[0-9a-f]{8}", made["appId"]) and re.fullmatch(r"[0-9A-F]{32}",
                                                                          made["appKey"])
    before = served.apps("list", "--json").stdout
    for args, status, words in (
            (["create", "Two", "--app-id", "zz"], 2, "appId"),
            (["create", "Two", "--app-id", made["appId"]], 1, "exists"),
            (["create", "Two", "--state", "gone"], 2, "invalid choice"),
            (["delete", "deadbeef"], 1, "unknown application"),
            (["rotate-key", "xyz"], 2, "appId"),
            (["delete"], 2, "APP_ID")):
        proc = served.apps(*args)
        assert proc.returncode == status, (args, proc.stderr)
        assert words in proc.stderr, (args, proc.stderr)
    assert served.apps("list", "--json").stdout == before
    # the credentials printed at creation still work: nothing was rotated by a failed call
    with httpx.Client(timeout=30) as http:
        rsp = http.get(f"{served.url}/v3/apps/{made['appId']}",
                       headers=_basic(made["appId"], made["appKey"]))
        assert rsp.status_code == 200, rsp.text


def test_the_log_file_of_serve_is_rotated(tmp_path: Path) -> None:
    """`serve --log-file` is a RotatingFileHandler: 2 MiB, five old files (here made small)."""
    log = tmp_path / "b.log"
    code = (
        "import logging, pathlib\n"
        "from backend_stub import logs\n"
        "logs.LOG_FILE_BYTES = 2000\n"
        f"logs.setup(logging.INFO, pathlib.Path({str(log)!r}))\n"
        "for i in range(400): logging.getLogger('backend_stub').info('line %d %s', i, 'x' * 40)\n")
    proc = subprocess.run([*command("touchpoint-backend")[:2], code], cwd=ROOT,
                          env=environ(tmp_path), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    files = sorted(p.name for p in tmp_path.glob("b.log*"))
    assert files == ["b.log", "b.log.1", "b.log.2", "b.log.3", "b.log.4", "b.log.5"]
    assert all(p.stat().st_size <= 2100 for p in tmp_path.glob("b.log*"))
    assert "line 399" in log.read_text()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def slow_backend(request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A backend (in this process) whose sessions wait 10 minutes for a silent touch point."""
    from tests.e2e.backend.conftest import database_url, start_backend

    b = start_backend(tmp_path_factory.mktemp("apps-backend"), database_url(request),
                      touchpoint_timeout=600.0)
    yield b
    b.runner.stop()


def test_apps_commands_on_sqlite_and_postgresql_while_it_serves(slow_backend: Any,
                                                                 tmp_path: Path) -> None:
    from tests.e2e.backend.conftest import DEVICE_TOKEN

    b = slow_backend
    where = ["--data-dir", str(b.db_path.parent), *(["--db", b.db_url] if b.db_url else [])]
    env = environ(tmp_path)
    for name in ("TOUCHPOINT_BACKEND_KEK", "TOUCHPOINT_DB_URL"):
        env.pop(name, None)

    def apps(*args: str) -> subprocess.CompletedProcess[str]:
        return run("touchpoint-backend", "apps", *args, *where, env=env)

    def stored() -> dict[str, Any]:
        snap = b.snapshot()
        return {t: snap[t] for t in ("apps", "services", "capfiles", "app_states")}

    made = apps("create", "Busy app", "--json")
    assert made.returncode == 0, made.stderr
    creds = json.loads(made.stdout)
    app_id = creds["appId"]
    with httpx.Client(base_url=b.url, timeout=30) as http:
        auth = _basic(app_id, creds["appKey"])
        assert http.get(f"/v3/apps/{app_id}", headers=auth).status_code == 200
        demo = b.runner.demo_url
        assert http.put(f"/v3/apps/{app_id}", headers=auth, json={
            "name": {"en": "Busy app"}, "serviceDescriptionUrl": f"{demo}/description",
            "serviceDeliveryUrl": f"{demo}/callback"}).status_code == 200
        assert http.put(f"/v3/apps/{app_id}/services/install", headers=auth
                        ).status_code == 201
        started = http.post("/v3/service/deliver", headers={
            "Authorization": f"Bearer {DEVICE_TOKEN}"}, json={
            "appId": app_id, "serviceId": "install", "fields": {"nickname": "q"},
            "cardId": {"iin": "11", "cin": "C0FFEE01", "platformVersion": 3}})
        assert started.status_code == 200, started.text
        session = started.json()["sessionId"]
        before = stored()
        busy = apps("delete", app_id, "--force")
        assert busy.returncode == 1, busy.stderr
        assert f"a session of this application is running ({session})" in busy.stderr
        assert stored() == before  # nothing deleted, not even in part
        assert http.get(f"/v3/apps/{app_id}", headers=auth).status_code == 200
        # end the session as its SP would (service/completed), then the app can go
        done = http.post("/service/completed", headers={**auth, "sessionId": session},
                         json={"success": False, "message": {"en": "stopped"}})
        assert done.status_code in (200, 204), done.text
        deadline = time.monotonic() + 20
        while (gone := apps("delete", app_id, "--json")).returncode != 0:
            assert "session" in gone.stderr and time.monotonic() < deadline, gone.stderr
            time.sleep(0.5)
        assert json.loads(gone.stdout)["appId"] == app_id
        assert http.get(f"/v3/apps/{app_id}", headers=auth).status_code == 401
    assert app_id not in {r["appId"] for r in json.loads(apps("list", "--json").stdout)}
