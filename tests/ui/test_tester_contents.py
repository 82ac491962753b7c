"""The tester's card contents tab (issue 19, point 1), on the real bundled backend and the
virtual card: the tree after an install equals cardsim's own state file, and a disagreement
made on purpose (a raw DELETE in a secure channel the test opens itself) is shown and fixed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QTreeWidgetItem

from app import cardcontents as cc
from backend_stub.compiler.base import CardContext
from backend_stub.compiler.keys import CardKeys
from backend_stub.compiler.script import ccm_delete
from cardsim.card import VirtualCard
from tests.ui.conftest import run
from tests.ui.helpers import SECRET, run_to_fields, shown, tap
from ui.tester import panel as tester

CARD_KEY = bytes(range(0x40, 0x50))  # cardsim's default static keys
ISD = "A000000151000000"


def card_file(path: Path) -> tuple[set[Any], set[Any]]:
    """(applications with their domain, load files with domain and modules) of the state file."""
    reg = json.loads(path.read_text(encoding="utf-8"))["registry"]
    apps = {(a["aid"], a["sd"] or (ISD if a["aid"] != ISD else "")) for a in reg["apps"]}
    return apps, {(e["aid"], e["sd"], tuple(e["modules"])) for e in reg["elfs"]}


def shown_tree(view: Any) -> tuple[set[Any], set[Any]]:
    """The same two sets, read off the widget's rows (AID, kind, ..., domain = column 4)."""
    apps, elfs = set(), set()

    def walk(item: QTreeWidgetItem) -> None:
        kind, aid, domain = item.text(1), item.text(0), item.text(4)
        if kind == "Load File":
            mods = tuple(item.child(i).text(0) for i in range(item.childCount())
                         if item.child(i).text(1) == "Module")
            elfs.add((aid, domain, mods))
        elif kind in ("Issuer Security Domain", "Security Domain", "Application"):
            apps.add((aid, domain))
        for i in range(item.childCount()):
            walk(item.child(i))

    for i in range(view.tree.topLevelItemCount()):
        walk(view.tree.topLevelItem(i))
    return apps, elfs


def raw_delete(card: VirtualCard, aid: str) -> None:
    script = ccm_delete(ctx=CardContext(keys=CardKeys.single(CARD_KEY)),
                        aid=bytes.fromhex(aid), with_related=True)
    batch = script.first_batch()
    while batch:
        batch = script.next_batch([bytes(card.transmit(c.apdu)) for c in batch])


def _agree(view: Any) -> bool:
    return view.status.text() == "The card and the backend agree."


def test_contents_tab_after_install_and_fixes(make_ctx: Any, qtbot: Any, tmp_path: Path) -> None:
    ctx = make_ctx(virtual_present=True, kiosk=False)
    path = tmp_path / "card.json"
    run(qtbot, ctx.hub.new_virtual_card(VirtualCard.create(path)))
    panel = shown(qtbot, tester.TesterPanel(ctx), (1366, 768), exposed=False)
    view = panel.contents
    panel.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: panel.app_combo.findData(SECRET) >= 0, timeout=10_000)
    panel.select(SECRET, "install")
    run_to_fields(qtbot, panel, "contents")
    tap(qtbot, panel.fields_send)
    qtbot.waitUntil(lambda: panel.result is not None, timeout=20_000)
    assert panel.result.success, panel.result.error
    # read again by itself after the delivery
    qtbot.waitUntil(lambda: view.contents is not None and _agree(view), timeout=20_000)
    assert shown_tree(view) == card_file(path)
    top = view.tree.topLevelItem(0)
    assert (top.text(0), top.text(2)) == (ISD, "SECURED")
    assert "Security Domain" in top.text(3)
    rows = [view.backend_tree.topLevelItem(i).text(0)
            for i in range(view.backend_tree.topLevelItemCount())]
    assert any(SECRET in r for r in rows)
    assert not view.unstable_button.isEnabled() and view.problems.count() == 0

    # behind the backend's back: the applet instance goes
    assert view.contents is not None
    applet = next(n for n in view.contents.nodes() if n.kind == "instance" and n.owner == SECRET)
    raw_delete(ctx.hub.virtual.card, applet.aid)
    tap(qtbot, view.read_button)
    qtbot.waitUntil(lambda: view.problems.count() == 1, timeout=20_000)
    assert applet.aid in view.problems.item(0).text()
    assert "is not on the card" in view.problems.item(0).text()
    assert view.unstable_button.isEnabled() and not view.purge_button.isEnabled()
    tap(qtbot, view.unstable_button)
    qtbot.waitUntil(lambda: _agree(view) and view.problems.count() == 0, timeout=20_000)
    state = run(qtbot, _states(ctx))
    assert state[SECRET] == "Unstable"

    # an element no application accounts for: the package, forgotten by the backend
    pkg = next(n for n in view.contents.nodes() if n.kind == "loadfile" and n.owner == SECRET)
    cin = ctx.hub.virtual.card.cin.hex().upper()
    run(qtbot, _forget(ctx, cin, pkg.aid))
    tap(qtbot, view.read_button)
    qtbot.waitUntil(lambda: view.problems.count() == 1, timeout=20_000)
    assert "no application accounts for it" in view.problems.item(0).text()
    assert view.purge_button.isEnabled() and view.adopt_button.isEnabled()
    tap(qtbot, view.purge_button)
    qtbot.waitUntil(lambda: _agree(view) and view.problems.count() == 0, timeout=20_000)
    assert pkg.aid not in {aid for aid, _sd, _m in card_file(path)[1]}
    assert shown_tree(view) == card_file(path)


async def _states(ctx: Any) -> dict[str, str]:
    client = await ctx.client()
    return await client.device_apps(ctx.hub.virtual.card.cin.hex().upper())  # type: ignore[no-any-return]


async def _forget(ctx: Any, cin: str, aid: str) -> None:
    await cc.mark_unstable(await ctx.client(), cin, SECRET, [aid])
