"""backend_stub package."""


def version() -> str:
    """The installed distribution's version (`-V/--version`)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("se-touchpoint")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"
