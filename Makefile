# The two commands a new user needs: `make run` and `make test`.
# Both set everything up first: Debian packages (when root; otherwise the one
# apt command to run is printed), a .venv with the project and its extras.

PYTHON ?= $(shell for p in python3.11 python3.12 python3.13 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(not (3,11) <= sys.version_info[:2] < (3,14))' 2>/dev/null && { echo $$p; break; }; done)
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed

# pcscd + the vpcd driver: the real PC/SC stack the virtual card plugs into.
# swig + libpcsclite-dev: to build pyscard. The rest: what Qt needs on a bare machine.
SYSTEM_PACKAGES := pcscd vsmartcard-vpcd libccid swig libpcsclite-dev build-essential \
	python3-venv libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 \
	libdbus-1-3 libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
	libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xkb1 fonts-dejavu-core \
	libwayland-client0 libwayland-cursor0 libwayland-egl1 \
	desktop-file-utils appstream systemd postgresql postgresql-client \
	dpkg-dev chromium


.PHONY: run screenshots test lint bench setup system-packages translations package wheel clean

# The GUI on the embedded default: bundled backend (started on 127.0.0.1 with a
# per-launch token), the demo Service Provider's apps, the virtual card.
run: setup
	$(VENV)/bin/touchpoint-gui

# Every screen in en/sv/es/de, rendered offscreen into docs/screenshots/.
screenshots: setup
	QT_QPA_PLATFORM=offscreen PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring \
		$(PY) scripts/screenshots.py

test: setup
	QT_QPA_PLATFORM=offscreen PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring \
		$(PY) -m pytest -q -p no:cacheprovider; rc=$$?; \
		if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 1; fi; exit $$rc

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench: setup
	$(PY) -m bench.compile
	$(PY) -m bench.cardsim_mac
	$(PY) -m bench.pcsc
	$(PY) -m bench.backend
	$(PY) -m bench.overhead
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.ui
	$(PY) -m bench.overhead --rounds 3 --timing jcop4-contactless
	$(PY) -m bench.cli
	$(PY) -m bench.ws
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.staff

setup: system-packages $(STAMP) translations

# Qt translations: ui/translations/*.ts (sources, in git) -> .qm (built, ignored by git).
translations: $(STAMP)
	@for ts in ui/translations/*.ts; do \
		[ -e "$$ts" ] || continue; qm="$${ts%.ts}.qm"; \
		if [ ! -e "$$qm" ] || [ "$$ts" -nt "$$qm" ]; then \
			$(VENV)/bin/pyside6-lrelease -silent "$$ts" -qm "$$qm" || exit 1; fi; \
	done

# A one-folder build (PyInstaller), its tarball and a .deb, in dist/.
package: setup
	packaging/build.sh

wheel: setup
	$(PY) -m build

system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing system packages:$$missing"; \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
		else \
			echo "Missing system packages. Run:"; \
			echo "  sudo apt-get install -y$$missing"; \
			exit 1; \
		fi; \
	fi

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 to 3.13 is required"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,dev,package,nfc,postgres]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
