"""Desktop integration and kiosk files: consistent with each other, and valid for the tools
that read them (desktop-file-validate, appstreamcli, systemd-analyze, systemd-sysusers)."""

from __future__ import annotations

import configparser
import re
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.packaging.conftest import APP_ID, PACKAGING, ROOT, require_tool

LINUX = PACKAGING / "linux"
KIOSK = LINUX / "kiosk"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
UNIT = KIOSK / "se-touchpoint-kiosk.service"


def _desktop() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser


def _unit(path: Path) -> dict[str, list[tuple[str, str]]]:
    """systemd unit syntax: sections of repeatable keys (configparser refuses repeats)."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            sections.setdefault(current, [])
            continue
        assert current is not None, f"{path.name}: key outside a section: {line}"
        key, _, value = line.partition("=")
        sections[current].append((key.strip(), value.strip()))
    return sections


def _values(section: list[tuple[str, str]], key: str) -> list[str]:
    return [v for k, v in section if k == key]


# -- .desktop ------------------------------------------------------------------------------
def test_desktop_entry_launches_touchpoint_with_the_app_icon() -> None:
    entry = _desktop()["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "touchpoint" and entry["TryExec"] == "touchpoint"
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")
    for lang in ("sv", "de", "es"):  # the UI's languages
        assert entry[f"Name[{lang}]"] and entry[f"Comment[{lang}]"]
    kiosk = _desktop()["Desktop Action Kiosk"]
    assert kiosk["Exec"] == "touchpoint --kiosk"
    assert entry["Actions"] == "Kiosk;"


def test_desktop_file_validates() -> None:
    tool = require_tool("desktop-file-validate", "desktop-file-utils")
    proc = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "error:" not in proc.stdout + proc.stderr


# -- AppStream -----------------------------------------------------------------------------
def test_metainfo_matches_desktop_file_icons_and_version() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license")
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    assert root.findtext("icon") == APP_ID
    with open(ROOT / "pyproject.toml", "rb") as fh:
        version = tomllib.load(fh)["project"]["version"]
    releases = [r.get("version") for r in root.iter("release")]
    assert releases and releases[0] == version, "newest <release> must be pyproject's version"
    assert {b.text for b in root.iter("binary")} == {"touchpoint", "touchpoint-backend",
                                                      "cardsim"}
    assert {c.text for c in root.iter("category")} == set(
        filter(None, _desktop()["Desktop Entry"]["Categories"].split(";")))


def test_metainfo_validates() -> None:
    tool = require_tool("appstreamcli", "appstream")
    proc = subprocess.run([tool, "validate", "--no-net", str(METAINFO)], capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not re.search(r"^[EW]: ", proc.stdout, re.MULTILINE), proc.stdout


# -- icons ---------------------------------------------------------------------------------
def test_icons_are_rendered_from_the_svg(qapp) -> None:  # type: ignore[no-untyped-def]
    # pytest-qt's QApplication: a bare QGuiApplication here would make every later
    # widget test in this process abort ("QWidget without QApplication").
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(ICONS / "touchpoint.svg"))
    assert renderer.isValid()
    for size in SIZES:
        image = QImage(str(ICONS / f"touchpoint-{size}.png"))
        assert not image.isNull(), size
        assert (image.width(), image.height()) == (size, size)
        assert image.pixelColor(size // 2, size // 2).alpha() == 255  # opaque middle
        if size >= 32:
            assert image.pixelColor(0, 0).alpha() == 0  # rounded, transparent corner
        # the PNG is the SVG rendered: re-render and compare (after an SVG edit, run
        # packaging/make_icons.py)
        fresh = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        fresh.fill(Qt.GlobalColor.transparent)
        painter = QPainter(fresh)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        committed = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
        diff = sum(abs(committed.pixelColor(x, y).red() - fresh.pixelColor(x, y).red())
                   for x in range(0, size, max(1, size // 32)) for y in range(0, size,
                                                                               max(1, size // 32)))
        samples = len(range(0, size, max(1, size // 32))) ** 2
        assert diff / samples < 8, f"touchpoint-{size}.png is out of date"


# -- kiosk ---------------------------------------------------------------------------------
def test_kiosk_unit_runs_touchpoint_under_cage_unprivileged_and_restarts() -> None:
    unit = _unit(UNIT)
    service, section_unit = unit["Service"], unit["Unit"]
    assert _values(service, "User") == ["touchpoint"]
    assert _values(service, "Group") == ["touchpoint"]
    exec_start = _values(service, "ExecStart")
    assert len(exec_start) == 1
    assert re.fullmatch(r"/usr/bin/cage (-\w+ )*-- /usr/bin/touchpoint --kiosk", exec_start[0])
    assert "-s" not in exec_start[0].split()  # no VT switching for visitors
    assert _values(service, "Restart") == ["on-failure"]
    assert _values(section_unit, "StartLimitIntervalSec") == ["0"]
    assert "pcscd.socket" in " ".join(_values(section_unit, "Wants"))
    assert "pcscd.socket" in " ".join(_values(section_unit, "After"))
    assert _values(service, "PAMName") == ["login"]
    assert _values(service, "TTYPath") == ["/dev/tty1"]
    assert _values(section_unit, "Conflicts") == ["getty@tty1.service"]
    env = dict(v.split("=", 1) for v in _values(service, "Environment"))
    state = _values(service, "StateDirectory")
    assert state == ["se-touchpoint"]
    assert env["TOUCHPOINT_HOME"] == f"/var/lib/{state[0]}"
    assert env["PYTHON_KEYRING_BACKEND"] == "keyring.backends.null.Keyring"
    assert env["QT_QPA_PLATFORM"] == "wayland"
    assert _values(service, "NoNewPrivileges") == ["yes"]
    assert _values(unit["Install"], "WantedBy") == ["graphical.target"]


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    tool = require_tool("systemd-analyze", "systemd")
    # cage need not be installed here: verify the unit with a stand-in command
    text = re.sub(r"^ExecStart=/usr/bin/cage.*$", "ExecStart=/bin/true --kiosk",
                  UNIT.read_text(), flags=re.MULTILINE)
    (tmp_path / UNIT.name).write_text(text)
    # the drop-in on a stand-in pcscd.service (repeated sections merge, as drop-ins do)
    (tmp_path / "pcscd.service").write_text(
        "[Service]\nExecStart=/bin/true\n\n" + (KIOSK / "pcscd-restart.conf").read_text())
    for name in (UNIT.name, "pcscd.service"):
        proc = subprocess.run([tool, "verify", "--man=no", str(tmp_path / name)],
                              capture_output=True, text=True, check=False)
        problems = [line for line in (proc.stdout + proc.stderr).splitlines()
                    if re.search(r"Unknown|Invalid|Failed|bad-setting|not valid", line)]
        assert proc.returncode == 0 and not problems, (name, proc.stdout + proc.stderr)


def test_drop_ins_restart_pcscd_and_pass_the_token_as_a_credential() -> None:
    pcscd = _unit(KIOSK / "pcscd-restart.conf")
    assert _values(pcscd["Service"], "Restart") == ["on-failure"]
    token = _unit(KIOSK / "se-touchpoint-token.conf")["Service"]
    assert _values(token, "LoadCredential") == ["device-token:/etc/se-touchpoint/device-token"]
    assert _values(token, "ExecStart")[0] == ""  # resets the unit's command first
    assert _values(token, "ExecStart")[1].endswith("--kiosk --token-file %d/device-token")


def test_sysusers_creates_the_kiosk_user(tmp_path: Path) -> None:
    tool = require_tool("systemd-sysusers", "systemd")
    proc = subprocess.run([tool, f"--root={tmp_path}", "--dry-run",
                           str(KIOSK / "se-touchpoint.sysusers")],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Creating user 'touchpoint'" in proc.stdout + proc.stderr


def test_polkit_rule_grants_pcsc_to_the_kiosk_user_only() -> None:
    rule = (KIOSK / "se-touchpoint-pcsc.rules").read_text()
    assert "org.debian.pcsc-lite.access_pcsc" in rule
    assert "org.debian.pcsc-lite.access_card" in rule
    assert 'subject.user == "touchpoint"' in rule
    assert rule.count("{") == rule.count("}") and rule.count("(") == rule.count(")")


def test_kiosk_guide_covers_every_kiosk_file_and_the_secrets() -> None:
    guide = (PACKAGING / "KIOSK.md").read_text()
    for path in KIOSK.iterdir():
        assert path.name in guide, f"KIOSK.md does not mention {path.name}"
    for needed in ("cage", "pcscd", "libccid", "Restart=on-failure", "PYTHON_KEYRING_BACKEND",
                   "0600", "LoadCredential", "--set-staff-pin", "--self-test",
                   "systemctl enable se-touchpoint-kiosk.service"):
        assert needed in guide, needed
