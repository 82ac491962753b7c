"""A real headless browser (Debian's chromium) with no network beyond 127.0.0.1.

`dump_dom(url)` loads a page, lets it run for a virtual-time budget (scripts, fetches of
the OpenAPI document, rendering) and returns the DOM as the page left it. The network is
cut twice: every host name but 127.0.0.1 resolves to nothing, and every request that
would leave the machine goes to a proxy at 127.0.0.1:9, where nothing listens (loopback
is never proxied). A fresh profile each time, no background traffic, no first-run pages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

import pytest

NO_NETWORK = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
              "--proxy-server=http://127.0.0.1:9"]
QUIET = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-default-apps", "--disable-extensions", "--mute-audio",
         "--disable-dev-shm-usage", "--metrics-recording-only"]


def chromium() -> str:
    """The browser's path; a skip without it, a failure under CI (the Makefile installs it)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("chromium is missing under CI (the Makefile installs it)")
        pytest.skip("chromium is not installed (Debian package chromium)")
    return found


def dump_dom(url: str, *, budget_ms: int = 20_000, timeout: float = 180.0) -> str:
    """The DOM of `url` after `budget_ms` of virtual time, networking off but loopback."""
    with tempfile.TemporaryDirectory(prefix="tp-chromium-") as profile:
        cmd = [chromium(), *QUIET, *NO_NETWORK, f"--user-data-dir={profile}",
               f"--virtual-time-budget={budget_ms}", "--dump-dom", url]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              check=False, env={**os.environ, "HOME": profile})
    if proc.returncode != 0:
        raise RuntimeError(f"chromium failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return proc.stdout
