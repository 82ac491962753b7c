"""Issue 13's size rule: no module in app/ or ui/ over 450 lines, so each keeps one job.

A module that would grow past it is split by job (the way app/readers/ split into
base, worker and transport) rather than squeezed.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 450


def oversized(root: Path, packages: tuple[str, ...] = ("app", "ui")) -> dict[str, int]:
    """Module path -> line count, for every module over LIMIT lines."""
    sizes = {str(p.relative_to(root)): len(p.read_text(encoding="utf-8").splitlines())
             for package in packages for p in sorted((root / package).rglob("*.py"))}
    return {path: n for path, n in sizes.items() if n > LIMIT}


def test_no_module_over_the_limit() -> None:
    assert oversized(ROOT) == {}, f"split these modules by job (limit {LIMIT} lines)"


def test_the_rule_sees_a_long_module(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "ui").mkdir()
    (tmp_path / "app" / "short.py").write_text("x = 1\n" * LIMIT)
    (tmp_path / "ui" / "long.py").write_text("x = 1\n" * (LIMIT + 1))
    assert oversized(tmp_path) == {"ui/long.py": LIMIT + 1}
