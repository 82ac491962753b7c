"""The demo data in resources/demo/: App Descriptions, services, recipes, CAP files, logos."""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEMO_DIR_ENV = "TOUCHPOINT_DEMO_DIR"
APP_FILES = ("secret-app.json", "hello-app.json")
SECRET_APP_ID = "73656372"  # noqa: S105 (an appId)


def demo_dir() -> Path:
    """resources/demo of the source tree (override with $TOUCHPOINT_DEMO_DIR)."""
    override = os.environ.get(DEMO_DIR_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "resources" / "demo"


@dataclass(frozen=True)
class DemoApp:
    """One demo application as stored in its JSON file."""

    app_id: str
    doc: dict[str, Any]
    folder: Path

    @property
    def served_by_demo_sp(self) -> bool:
        return self.doc.get("served") == "demo-sp"

    def description(self) -> dict[str, Any]:
        """The App Description with `file:` logos turned into data URIs."""
        desc = dict(self.doc["app"])
        for key in ("logo", "featureGraphic"):
            value = desc.get(key)
            if isinstance(value, str) and value.startswith("file:"):
                path = self.folder / value[5:]
                mime = "image/svg+xml" if path.suffix == ".svg" else "image/png"
                desc[key] = f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode()
        return desc

    def services(self) -> dict[str, dict[str, Any]]:
        return dict(self.doc.get("services", {}))

    def cap_files(self) -> dict[str, bytes]:
        return {name: (self.folder / name).read_bytes() for name in self.doc.get("capfiles", [])}

    def recipes(self, lfdbh: dict[str, str]) -> dict[str, dict[str, Any]]:
        """Recipes with `{lfdbh:FILE}` placeholders replaced by the uploaded CAP ids."""
        out = {}
        for service_id, name in self.doc.get("recipes", {}).items():
            text = (self.folder / name).read_text(encoding="utf-8")
            for cap_name, cap_id in lfdbh.items():
                text = text.replace("{lfdbh:" + cap_name + "}", cap_id)
            out[service_id] = json.loads(text)
        return out


def load_apps(folder: Path | None = None) -> list[DemoApp]:
    base = folder or demo_dir()
    apps = []
    for name in APP_FILES:
        doc = json.loads((base / name).read_text(encoding="utf-8"))
        apps.append(DemoApp(doc["appId"], doc, base))
    return apps


def secret_app(folder: Path | None = None) -> DemoApp:
    return next(a for a in load_apps(folder) if a.app_id == SECRET_APP_ID)
