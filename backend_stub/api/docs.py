"""/docs (Swagger UI) and /redoc from the package: no CDN, so they work offline.

FastAPI's own pages load their JavaScript and CSS from jsDelivr (and ReDoc its fonts
from Google), which leaves them blank on a kiosk or a laptop without a network. Here
the same pages load the copies in backend_stub/docs_assets/ (served at /docs-assets),
and /openapi.json declares the credentials (api/security.py) so Swagger UI has an
Authorize button.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from backend_stub.api.security import merge_together
from backend_stub.docs_assets import ASSETS

ASSETS_PATH = "/docs-assets"
# nothing that would reach out of the machine: no validator badge, no fonts
SWAGGER_PARAMETERS = {"validatorUrl": None, "persistAuthorization": False,
                      "deepLinking": True, "displayRequestDuration": True}


def install_docs(app: FastAPI) -> None:
    """Serve /docs, /redoc and their assets from the package; the app must have been made
    with `docs_url=None, redoc_url=None` (FastAPI's CDN pages off)."""
    app.mount(ASSETS_PATH, StaticFiles(directory=ASSETS), name="docs-assets")
    openapi = app.openapi

    def with_security() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = merge_together(openapi())
        return app.openapi_schema

    app.openapi = with_security  # type: ignore[method-assign]

    def urls(request: Request) -> tuple[str, str]:
        root = request.scope.get("root_path", "").rstrip("/")
        return root + (app.openapi_url or "/openapi.json"), root + ASSETS_PATH

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        spec, assets = urls(request)
        return get_swagger_ui_html(
            openapi_url=spec, title=f"{app.title} - API",
            swagger_js_url=f"{assets}/swagger-ui-bundle.js",
            swagger_css_url=f"{assets}/swagger-ui.css",
            swagger_favicon_url=f"{assets}/favicon-32x32.png",
            swagger_ui_parameters=SWAGGER_PARAMETERS)

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        spec, assets = urls(request)
        return get_redoc_html(openapi_url=spec, title=f"{app.title} - API",
                              redoc_js_url=f"{assets}/redoc.standalone.js",
                              redoc_favicon_url=f"{assets}/favicon-32x32.png",
                              with_google_fonts=False)
