"""app.catalog: what a screen shows of each application, per state on the card."""

from __future__ import annotations

import base64

import pytest

from app.catalog import allowed_actions, build_catalog, decode_logo, entry

DESC = {
    "name": {"en": "Secret", "sv": "Hemlig"},
    "organization": {"name": {"en": "Demo Ltd"}},
    "description": {"en": "Keeps a **key**. See [site](https://example.com)."},
    "logo": "https://example.com/logo.svg",
    "installServices": ["install", "install-pro"],
    "uninstallService": "uninstall",
    "suspendService": "suspend",
    "unsuspendService": "unsuspend",
}


@pytest.mark.parametrize(
    ("state", "kinds"),
    [("NotInstalled", ["install", "install"]), ("Installed", ["uninstall", "suspend"]),
     ("Suspended", ["unsuspend", "uninstall"]),
     ("Unstable", ["uninstall", "repair", "repair"])],  # a repair per install service
)
def test_actions_per_state(state: str, kinds: list[str]) -> None:
    assert [a.kind for a in allowed_actions(DESC, state)] == kinds


def test_one_install_choice_per_install_service_with_titles() -> None:
    acts = allowed_actions(DESC, "NotInstalled", "sv",
                           {"install": {"en": "Basic", "sv": "Bas"}})
    assert [(a.service_id, a.label) for a in acts] == [
        ("install", "Installera: Bas"), ("install-pro", "Installera (install-pro)")]
    single = dict(DESC, installServices=["only"])
    assert [(a.service_id, a.label) for a in allowed_actions(single, "NotInstalled")] == [
        ("only", "Install")]


def test_app_without_suspend_service_offers_no_suspend() -> None:
    desc = {k: v for k, v in DESC.items() if k not in ("suspendService", "unsuspendService")}
    assert [a.kind for a in allowed_actions(desc, "Installed")] == ["uninstall"]


def test_entry_and_catalog_json() -> None:
    e = entry("73656372", DESC, "Installed", "sv")
    assert e.name == "Hemlig" and e.organization == "Demo Ltd"
    assert e.state_label == "Installed"  # no language given for state_label: en
    data = e.to_json()
    assert data["appId"] == "73656372" and data["state"] == "Installed"
    assert data["actions"][0] == {"action": "uninstall", "serviceId": "uninstall",
                                  "label": "Avinstallera"}
    cat = build_catalog({"b": {"name": {"en": "Zeta"}}, "a": {"name": {"en": "alpha"}}},
                        {"b": "Installed", "a": "Weird"})
    assert [c.app_id for c in cat] == ["b", "a"]  # the backend's order, not the name's
    assert cat[1].state == "NotInstalled"  # unknown states are not trusted


def test_logo_references() -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(10)
    uri = "data:image/png;base64," + base64.b64encode(png).decode()
    logo = decode_logo(uri)
    assert logo is not None and logo.mime == "image/png" and logo.data == png
    svg = decode_logo("data:image/svg+xml,%3Csvg%2F%3E")
    assert svg is not None and svg.data == b"<svg/>"
    assert decode_logo("https://x/y.png").url == "https://x/y.png"  # type: ignore[union-attr]
    for bad in ("javascript:alert(1)", "data:text/html,<b>", "data:image/png;base64,@@@", "",
                None, "file:///etc/passwd"):
        assert decode_logo(bad) is None


def test_catalog_order_is_the_same_in_every_language() -> None:
    """Issue 18 point 4: tiles do not re-sort by translated name (a tap after a language
    switch opened the other app)."""
    descs = {"x1": {"name": {"en": "Alpha", "de": "Zeta"}},
             "x2": {"name": {"en": "Beta", "de": "Anton"}}}
    orders = {lang: [e.app_id for e in build_catalog(descs, {}, lang)]
              for lang in ("en", "de", "sv", "es")}
    assert set(map(tuple, orders.values())) == {("x1", "x2")}
