"""/docs and /redoc work with no network: a real headless chromium, cut off from everything
but 127.0.0.1 (tests/helpers/browser.py), renders every operation of /openapi.json from
the JavaScript and CSS the backend serves out of its package.

A control page shows the cut is real: FastAPI's stock page (Swagger UI from jsDelivr),
served on 127.0.0.1 with the same OpenAPI document, renders no operation at all.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.openapi.docs import get_swagger_ui_html

from tests.e2e.backend.conftest import Backend, start_backend
from tests.helpers.browser import dump_dom

ASSETS = Path(__file__).resolve().parents[3] / "backend_stub" / "docs_assets"


@pytest.fixture(scope="module")
def sqlite_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    b = start_backend(tmp_path_factory.mktemp("docs"))
    yield b
    b.runner.stop()


def _operations(spec: dict) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, ops in spec["paths"].items() for method in ops}


def test_swagger_ui_renders_every_operation_offline(sqlite_backend: Backend) -> None:
    spec = httpx.get(f"{sqlite_backend.url}/openapi.json").json()
    dom = dump_dom(f"{sqlite_backend.url}/docs")
    shown = set(re.findall(r'class="opblock opblock-(\w+)[^"]*".*?data-path="([^"]+)"', dom))
    assert {(m.upper(), p) for m, p in shown} == _operations(spec)
    assert 'class="btn authorize' in dom  # the security schemes give /docs its button
    sources = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', dom)
    assert sources and all(s.startswith("/docs-assets/") for s in sources), sources


def test_redoc_renders_every_operation_offline(sqlite_backend: Backend) -> None:
    spec = httpx.get(f"{sqlite_backend.url}/openapi.json").json()
    dom = dump_dom(f"{sqlite_backend.url}/redoc")
    sections = set(re.findall(r'data-section-id="operation/([^"]+)"', dom))
    ids = {op["operationId"] for ops in spec["paths"].values() for op in ops.values()}
    assert sections == ids
    assert "fonts.googleapis.com" not in dom


def test_the_cdn_page_stays_blank_without_network(sqlite_backend: Backend,
                                                  tmp_path: Path) -> None:
    (tmp_path / "openapi.json").write_bytes(
        httpx.get(f"{sqlite_backend.url}/openapi.json").content)
    (tmp_path / "index.html").write_bytes(
        get_swagger_ui_html(openapi_url="/openapi.json", title="cdn").body)  # jsDelivr URLs
    handler = functools.partial(_Quiet, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        dom = dump_dom(f"http://127.0.0.1:{server.server_address[1]}/index.html",
                       budget_ms=5_000)
    finally:
        server.shutdown()
        thread.join(timeout=10)
    assert "cdn.jsdelivr.net" in dom
    assert "opblock" not in dom


def test_assets_and_their_licenses_are_served(sqlite_backend: Backend) -> None:
    with httpx.Client(base_url=sqlite_backend.url) as c:
        for name in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"):
            resp = c.get(f"/docs-assets/{name}")
            assert resp.status_code == 200 and resp.content == (ASSETS / name).read_bytes()
        assert "Apache License" in c.get("/docs-assets/LICENSE-swagger-ui").text
        assert "MIT License" in c.get("/docs-assets/LICENSE-redoc").text


def test_openapi_declares_the_real_credentials(sqlite_backend: Backend) -> None:
    spec = httpx.get(f"{sqlite_backend.url}/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["deviceToken"] == {"type": "http", "scheme": "bearer",
                                      "description": schemes["deviceToken"]["description"]}
    assert schemes["appBasic"]["scheme"] == "basic"
    assert (schemes["appId"]["in"], schemes["appId"]["name"]) == ("header", "app_id")
    assert (schemes["appKey"]["in"], schemes["appKey"]["name"]) == ("header", "app_key")
    ops = {(m.upper(), p): op for p, o in spec["paths"].items() for m, op in o.items()}
    sp_forms = [{"appId": [], "appKey": []}, {"appBasic": []}, {"appToken": []}]
    assert ops[("POST", "/transceive")]["security"] == sp_forms  # id and key together
    assert ops[("POST", "/admin/apps")]["security"] == [{"adminToken": []}]
    assert ops[("POST", "/v3/service/deliver")]["security"] == [
        {"deviceToken": []}, {"adminToken": []}, *sp_forms]
    assert "security" not in ops[("GET", "/health")]


def test_declared_schemes_change_no_answer(sqlite_backend: Backend) -> None:
    # the declared schemes never refuse: the backend's own checks still answer, as before
    with httpx.Client(base_url=sqlite_backend.url) as c:
        malformed = c.post("/transceive", headers={"Authorization": "Basic !!!"}, json={})
        assert malformed.status_code == 401
        assert malformed.json()["message"] == "malformed Basic credentials"
        none = c.get("/admin/apps")
        assert none.status_code == 401 and none.json()["error"] == "unauthorized"
        device = c.get("/admin/apps", headers=sqlite_backend.device())
        assert device.status_code == 401  # a device token is not the admin's
        assert c.get("/admin/apps", headers=sqlite_backend.admin()).status_code == 200


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass
