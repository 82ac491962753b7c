"""Schemathesis (a real OpenAPI fuzzer) against a real backend: uvicorn on 127.0.0.1 with the
demo SP, on a real SQLite file, once per kind of credentials (touch point, SP, admin).

Every phase runs (the schema's examples, coverage, fuzzing and the stateful phase that
chains calls through the answers' ids) with a fixed budget (FUZZ_EXAMPLES cases per
operation) and a fixed seed. The checks: no 5xx, every status code and answer body as
/openapi.json declares, and every undeclared method answered 405 with an Allow header.

The admin run leaves out the two routes that rotate or remove an app's credentials: on
the demo's own apps they would lock the demo SP (and the SP run) out. A second backend
without the demo fuzzes those two with POST /admin/apps, so they are tested too.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from backend_stub.config import make_settings
from backend_stub.runner import Runner, free_port
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


def run_schemathesis(url: str, out: Path, name: str, *args: str) -> dict[str, Any]:
    """One `schemathesis run`; returns its JSON report with `requests` (from its HAR file)
    and `seconds` added. Fails the test with schemathesis' own output on any failure."""
    report, har = out / f"{name}.json", out / f"{name}.har"
    cmd = [sys.executable, "-m", "schemathesis.cli", "run", f"{url}/openapi.json",
           "--checks", CHECKS, "-n", str(FUZZ_EXAMPLES), "--seed", str(SEED), "-w", "1",
           "--generation-database", "none", "--request-timeout", "30", "--no-color",
           "--report", "json,har", "--report-json-path", str(report),
           "--report-har-path", str(har), *args]
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    seconds = time.monotonic() - start
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    doc: dict[str, Any] = json.loads(report.read_text())
    doc["requests"] = len(json.loads(har.read_text())["log"]["entries"])
    doc["seconds"] = seconds
    print(f"schemathesis {name}: {doc['requests']} requests, "
          f"{doc['test_cases']['generated']} cases in {seconds:.1f} s")
    return doc


def check_report(doc: dict[str, Any]) -> None:
    assert doc["exit_code"] == 0 and doc["complete"]
    assert doc["failures"] == [] and doc["errors"] == []
    assert doc["test_cases"]["with_failures"] == 0
    assert all(p["status"] == "success" for p in doc["phases"].values()), doc["phases"]
    assert doc["operations"]["tested"] >= 30


def test_fuzz_with_touch_point_token(fuzzed: tuple[Backend, str], tmp_path: Path) -> None:
    b, _key = fuzzed
    check_report(run_schemathesis(b.url, tmp_path, "device",
                                  "-H", f"Authorization: Bearer {DEVICE_TOKEN}"))


def test_fuzz_with_sp_credentials(fuzzed: tuple[Backend, str], tmp_path: Path) -> None:
    b, key = fuzzed
    check_report(run_schemathesis(b.url, tmp_path, "sp", "-a", f"{TEST_APP}:{key}"))


def test_fuzz_with_admin_token(fuzzed: tuple[Backend, str], tmp_path: Path) -> None:
    b, key = fuzzed
    check_report(run_schemathesis(b.url, tmp_path, "admin",
                                  "-H", f"Authorization: Bearer {ADMIN_TOKEN}",
                                  "--exclude-path-regex", ROTATING))
    with httpx.Client(base_url=b.url) as c:  # the demo and the SP app still work as before
        assert c.get(f"/v3/apps/{TEST_APP}", auth=(TEST_APP, key)).status_code == 200
        assert c.get("/health").json() == {"status": "ok"}


def test_fuzz_credential_routes_without_the_demo(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, device_token=DEVICE_TOKEN, admin_token=ADMIN_TOKEN)
    runner = Runner(settings, port=free_port(), demo=False).start_in_thread()
    try:
        doc = run_schemathesis(runner.url, tmp_path, "admin-apps",
                               "-H", f"Authorization: Bearer {ADMIN_TOKEN}",
                               "--include-path-regex", r"^/admin/apps")
        check_report({**doc, "operations": {"tested": 30}})
        assert doc["operations"]["tested"] == 4
    finally:
        runner.stop()
