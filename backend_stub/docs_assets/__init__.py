"""Swagger UI and ReDoc, served by the backend itself at /docs and /redoc (api/docs.py), so
the API documentation works on an offline kiosk or laptop. Unmodified files of the npm
packages (see VERSIONS.txt for the versions, the command and the archives' SHA-256), each
under its own license: LICENSE-swagger-ui and NOTICE-swagger-ui (Apache-2.0),
LICENSE-redoc (MIT), and the bundled libraries' notices in the *.LICENSE.txt files."""

from __future__ import annotations

from pathlib import Path

ASSETS = Path(__file__).resolve().parent
