"""DESIGN.md's layering, read from the imports of every module (the `ast`, nothing is run).

- app/ never imports ui/ or backend_stub/;
- ui/ imports app/ only (besides Qt, the standard library and third-party packages);
- backend_stub/ and cardsim/ import nothing of each other; cardsim/ depends on no other
  package of this repo at all;
- no package imports the tests or the benchmarks.

Every import counts: at the top, inside a function, under `if TYPE_CHECKING:`, relative
(`from ..x import y`), and `importlib.import_module("...")` / `__import__("...")` with a
literal name, so a layer cannot be crossed by importing late or by name.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = ("app", "ui", "backend_stub", "cardsim", "tests", "bench")
# package -> the packages of this repo it must not import
FORBIDDEN: dict[str, frozenset[str]] = {
    "app": frozenset({"ui", "backend_stub", "tests", "bench"}),
    "ui": frozenset({"backend_stub", "cardsim", "tests", "bench"}),
    "backend_stub": frozenset({"cardsim", "tests", "bench"}),
    "cardsim": frozenset({"app", "ui", "backend_stub", "tests", "bench"}),
}
DYNAMIC = {"import_module", "__import__"}


@dataclass(frozen=True)
class Violation:
    path: str  # relative to the tree's root
    line: int
    imported: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} imports {self.imported}"


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(root: Path, path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file at `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = _module_name(root, path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.append((node.lineno, name))
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else \
                func.id if isinstance(func, ast.Name) else ""
            first = node.args[0]
            if called in DYNAMIC and isinstance(first, ast.Constant) and \
                    isinstance(first.value, str):
                found.append((node.lineno, first.value))
    return found


def violations(root: Path) -> list[Violation]:
    """Every import in the packages under `root` that crosses a forbidden line."""
    out: list[Violation] = []
    for package, forbidden in FORBIDDEN.items():
        for path in sorted((root / package).rglob("*.py")):
            for line, name in imports_of(root, path):
                top = name.split(".")[0]
                if top in forbidden:
                    out.append(Violation(path.relative_to(root).as_posix(), line, name))
    return out


def test_every_module_keeps_the_layers() -> None:
    found = violations(ROOT)
    assert not found, "imports across the layers of DESIGN.md:\n" + "\n".join(map(str, found))


def test_the_packages_are_where_the_check_looks() -> None:
    for package in FORBIDDEN:  # a moved or renamed package would otherwise pass unseen
        assert len(list((ROOT / package).rglob("*.py"))) > 3, package
    own = [name for _line, name in imports_of(ROOT, ROOT / "ui" / "kiosk" / "view.py")]
    assert "app.errors" in own and "app.catalog" in own  # top-level and in functions


# -- the check itself, on a made-up tree ---------------------------------------------------
def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for package in FORBIDDEN:
        (tmp_path / package).mkdir(exist_ok=True)
        (tmp_path / package / "__init__.py").write_text("")
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


ALLOWED_IMPORTS = {
    "app/ok.py": "import asyncio\nimport httpx\nfrom app.i18n import pick\nimport cardsim.card\n"
                 "from . import i18n\n",
    "ui/ok.py": "from PySide6.QtCore import Qt\nfrom app.delivery import DeliveryRunner\n"
                "from ui import theme\nfrom .widgets import fields\n",
    "backend_stub/ok.py": "from backend_stub.engine import x\nfrom .store import y\n"
                          "import fastapi\n",
    "cardsim/ok.py": "from cryptography.hazmat.primitives import cmac\nfrom .card import Card\n",
}


def test_a_tree_that_keeps_the_layers_passes(tmp_path: Path) -> None:
    assert violations(_tree(tmp_path, ALLOWED_IMPORTS)) == []


@pytest.mark.parametrize(("path", "text", "imported"), [
    ("app/late.py", "def gui():\n    from ui.main import main\n    return main\n", "ui.main"),
    ("app/typed.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                     "    from ui.context import UiContext\n", "ui.context"),
    ("app/engine.py", "import backend_stub.engine.core as core\n", "backend_stub.engine.core"),
    ("app/by_name.py", "import importlib\nGUI = importlib.import_module('ui.main')\n", "ui.main"),
    ("app/sub/rel.py", "from ...ui import theme\n", "ui"),
    ("ui/deep.py", "from backend_stub.store import Store\n", "backend_stub.store"),
    ("ui/card.py", "from cardsim.card import VirtualCard\n", "cardsim.card"),
    ("ui/helper.py", "from tests.ui.helpers import tap\n", "tests.ui.helpers"),
    ("cardsim/keys.py", "from backend_stub.compiler.scp03 import derive\n",
     "backend_stub.compiler.scp03"),
    ("cardsim/tlv.py", "from app.tlv import parse\n", "app.tlv"),
    ("backend_stub/fake.py", "import cardsim\n", "cardsim"),
    ("backend_stub/dyn.py", "__import__('cardsim.card')\n", "cardsim.card"),
])
def test_a_forbidden_import_is_found(tmp_path: Path, path: str, text: str,
                                     imported: str) -> None:
    root = _tree(tmp_path, {**ALLOWED_IMPORTS, path: text})
    found = violations(root)
    assert [(v.path, v.imported) for v in found] == [(path, imported)]
    assert str(found[0]).startswith(f"{path}:{found[0].line} imports ")


def test_adding_a_forbidden_import_to_a_clean_module_makes_the_check_fail(
        tmp_path: Path) -> None:
    """The same module, before and after one forbidden line is added."""
    root = _tree(tmp_path, ALLOWED_IMPORTS)
    assert violations(root) == []
    module = root / "app" / "ok.py"
    module.write_text(module.read_text() + "from ui.kiosk.view import KioskView\n")
    assert violations(root) == [Violation("app/ok.py", 6, "ui.kiosk.view")]
