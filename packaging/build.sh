#!/usr/bin/env bash
# `make package`: one-folder PyInstaller build + self-test + tarball + .deb (packaging/build.py).
# Uses the project's virtualenv unless PYTHON names another interpreter; that
# environment needs the project installed and pyinstaller (pip install pyinstaller).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
if [ ! -x "$python" ]; then
    echo "package: no Python at $python (run make setup, or set PYTHON)" >&2
    exit 1
fi
cd "$root"
exec "$python" packaging/build.py "$@"
