"""Schemathesis (a real OpenAPI fuzzer) against a real backend: uvicorn on 127.0.0.1 with the
demo SP, on a real SQLite file, once per kind of credentials (touch point, SP, admin).

Every phase runs (the schema's examples, coverage, fuzzing and the stateful phase that
chains calls through the answers' ids) with a fixed budget (FUZZ_EXAMPLES cases per
operation in the fuzzing phases) and a fixed seed; the runs go at once, one process
each. The checks: no 5xx, every status code and answer body as /openapi.json declares,
and every undeclared method answered 405 with an Allow header.

The admin run leaves out the two routes that rotate or remove an app's credentials: on
the demo's own apps they would lock the demo SP (and the SP run) out. A second backend
without the demo fuzzes those two with POST /admin/apps, so they are tested too.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import JSON

from backend_stub.config import make_settings
from backend_stub.jsonlimits import decode_json
from backend_stub.runner import Runner, free_port
from backend_stub.store.models import Base
from tests.e2e.backend.conftest import ADMIN_TOKEN, DEVICE_TOKEN, TEST_APP, Backend, start_backend

FUZZ_EXAMPLES = 3
SEED = 14
CHECKS = ("not_a_server_error,status_code_conformance,response_schema_conformance,"
          "unsupported_method")
ROTATING = r"^/admin/apps/\{appId\}"  # PUT .../credentials and DELETE /admin/apps/{appId}


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Backend, str]]:
    """A demo backend on SQLite with one more SP app whose credentials the SP run uses."""
    b = start_backend(tmp_path_factory.mktemp("fuzz"))
    demo = b.runner.demo_url
    with httpx.Client(base_url=b.url) as c:
        created = c.post("/admin/apps", headers=b.admin(), json={
            "appId": TEST_APP, "serviceDescriptionUrl": f"{demo}/description",
            "serviceDeliveryUrl": f"{demo}/callback"})
        assert created.status_code == 201, created.text
        key = created.json()["appKey"]
        assert c.put(f"/v3/apps/{TEST_APP}/services/install",
                     auth=(TEST_APP, key)).status_code == 201
    yield b, key
    b.runner.stop()


def schemathesis_cmd(url: str, out: Path, name: str, *args: str) -> list[str]:
    report, har = out / f"{name}.json", out / f"{name}.har"
    return [sys.executable, "-m", "schemathesis.cli", "run", f"{url}/openapi.json",
            "--checks", CHECKS, "-n", str(FUZZ_EXAMPLES), "--seed", str(SEED), "-w", "1",
            "--generation-database", "none", "--request-timeout", "30", "--no-color",
            "--report", "json,har", "--report-json-path", str(report),
            "--report-har-path", str(har), *args]


@pytest.fixture(scope="module")
def reports(fuzzed: tuple[Backend, str],
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict[str, Any]]]:
    """Every run at once (each is one process, mostly generating cases): their JSON
    reports, with `requests` (counted in their HAR files), `seconds` and `output` added."""
    b, key = fuzzed
    out = tmp_path_factory.mktemp("fuzz-reports")
    bare = Runner(make_settings(out / "bare", device_token=DEVICE_TOKEN,
                                admin_token=ADMIN_TOKEN), port=free_port(),
                  demo=False).start_in_thread()
    admin = ("-H", f"Authorization: Bearer {ADMIN_TOKEN}")
    runs = {
        "device": schemathesis_cmd(b.url, out, "device",
                                   "-H", f"Authorization: Bearer {DEVICE_TOKEN}"),
        "sp": schemathesis_cmd(b.url, out, "sp", "-a", f"{TEST_APP}:{key}"),
        "admin": schemathesis_cmd(b.url, out, "admin", *admin,
                                  "--exclude-path-regex", ROTATING),
        "admin-apps": schemathesis_cmd(bare.url, out, "admin-apps", *admin,
                                       "--include-path-regex", r"^/admin/apps"),
    }
    start = time.monotonic()
    try:
        # cwd: schemathesis keeps a cache in ./.schemathesis
        procs = {name: subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, cwd=out) for name, cmd in runs.items()}
        outputs = {name: proc.communicate(timeout=600)[0] for name, proc in procs.items()}
    finally:
        bare.stop()
    seconds = time.monotonic() - start
    docs: dict[str, dict[str, Any]] = {}
    for name, proc in procs.items():
        path = out / f"{name}.json"
        doc: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
        har = out / f"{name}.har"
        doc["requests"] = len(json.loads(har.read_text())["log"]["entries"]) \
            if har.exists() else 0
        doc["output"] = outputs[name][-6000:]
        doc["returncode"] = proc.returncode
        docs[name] = doc
    total = sum(d["requests"] for d in docs.values())
    print(f"schemathesis: {total} requests in {seconds:.1f} s ("
          + ", ".join(f"{n} {d['requests']}" for n, d in docs.items()) + ")")
    yield docs


def check_report(doc: dict[str, Any], operations: int) -> None:
    assert doc["returncode"] == 0, doc["output"]
    assert doc["exit_code"] == 0 and doc["complete"], doc["output"]
    assert doc["failures"] == [] and doc["errors"] == [], doc["output"]
    assert doc["test_cases"]["with_failures"] == 0
    assert all(p["status"] == "success" for p in doc["phases"].values()), doc["phases"]
    assert doc["operations"]["tested"] >= operations
    assert doc["requests"] >= doc["test_cases"]["generated"] > 0


def test_fuzz_with_touch_point_token(reports: dict[str, dict[str, Any]]) -> None:
    check_report(reports["device"], 40)


def test_fuzz_with_sp_credentials(reports: dict[str, dict[str, Any]]) -> None:
    check_report(reports["sp"], 40)


def test_fuzz_with_admin_token(reports: dict[str, dict[str, Any]],
                               fuzzed: tuple[Backend, str]) -> None:
    check_report(reports["admin"], 40)
    b, key = fuzzed
    with httpx.Client(base_url=b.url) as c:  # the demo and the SP app still work as before
        assert c.get(f"/v3/apps/{TEST_APP}", auth=(TEST_APP, key)).status_code == 200
        assert c.get("/health").json() == {"status": "ok"}


def test_fuzz_credential_routes_without_the_demo(reports: dict[str, dict[str, Any]]) -> None:
    check_report(reports["admin-apps"], 4)
    assert reports["admin-apps"]["operations"]["tested"] == 4


def test_everything_the_fuzzers_stored_is_within_the_limits(
        reports: dict[str, dict[str, Any]], fuzzed: tuple[Backend, str]) -> None:
    """Stored JSON is re-validated here, in a test, never on the serving path: after some
    5,000 fuzzed requests every JSON value in the store still passes the input limits."""
    b, _key = fuzzed
    con = sqlite3.connect(f"file:{b.db_path}?mode=ro", uri=True)
    checked = 0
    try:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if type(column.type) is not JSON:
                    continue
                for (text,) in con.execute(f'SELECT "{column.name}" FROM "{table.name}" '
                                           f'WHERE "{column.name}" IS NOT NULL'):
                    decode_json(text.encode() if isinstance(text, str) else text)
                    checked += 1
    finally:
        con.close()
    assert checked > 10  # the demo apps, their recipes, and what the fuzzers stored
