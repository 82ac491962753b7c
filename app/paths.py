"""Where the touch point's files are: its data folder and the files shipped beside the packages.

One place for every rule, so the CLI, the UI and the self-test agree, in the
source tree, in site-packages and in the frozen bundle alike. Each path has
an environment override, for tests, kiosks and bundles.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_dir

HOME_ENV = "TOUCHPOINT_HOME"
DEMO_DIR_ENV = "TOUCHPOINT_DEMO_DIR"
QM_DIR_ENV = "TOUCHPOINT_QM_DIR"
VIRTUAL_CARD_FILE = "virtual-card.json"


def data_dir() -> Path:
    """Where the touch point keeps its state ($TOUCHPOINT_HOME, else the user's data folder);
    made when missing."""
    override = os.environ.get(HOME_ENV)
    path = Path(override) if override else Path(user_data_dir("se-touchpoint", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def virtual_card_file() -> Path:
    """The state file of the embedded virtual card, unless one is given."""
    return data_dir() / VIRTUAL_CARD_FILE


def frozen() -> bool:
    """True inside a PyInstaller build (sys.frozen is set by its bootloader)."""
    return bool(getattr(sys, "frozen", False))


def bundle_root() -> Path:
    """The folder holding the packages: the source tree, site-packages or the frozen bundle."""
    return Path(__file__).resolve().parents[1]


def demo_dir() -> Path:
    """$TOUCHPOINT_DEMO_DIR, else resources/demo beside the packages (the backend's rule too)."""
    override = os.environ.get(DEMO_DIR_ENV)
    return Path(override) if override else bundle_root() / "resources" / "demo"


def qm_dir() -> Path:
    """Where the compiled translations (`.qm`) are: $TOUCHPOINT_QM_DIR, else ui/translations
    beside the packages."""
    override = os.environ.get(QM_DIR_ENV)
    return Path(override) if override else bundle_root() / "ui" / "translations"


def write_atomic(path: str | os.PathLike[str], text: str, *, newline: str | None = None) -> Path:
    """Writes `text` to `path` through a temporary file beside it: an export or a log that
    fails half-way never replaces a good one."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.tmp")
    with open(tmp, "w", encoding="utf-8", newline=newline) as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return target
