"""app package."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def version() -> str:
    """The installed distribution's version (`-V/--version`)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("se-touchpoint")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def add_version_argument(parser: argparse.ArgumentParser, prog: str) -> None:
    """-V/--version, looking the version up only when asked (importlib.metadata costs
    ~30 ms, too much on the kiosk's way to its first frame)."""
    import argparse

    class _Version(argparse.Action):
        def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
            print(f"{prog} {version()}")
            parser.exit(0)

    parser.add_argument("-V", "--version", action=_Version, nargs=0,
                        help="print the version and exit")
