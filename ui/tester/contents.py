"""The tester's card contents tab: what GET STATUS says is on the card (read through the
backend, app/cardcontents.py), the backend's own view beside it, and the disagreements
with their fixes (mark Unstable, purge from the card, adopt into an application).

Read again after every delivery (the panel calls `refresh`) and after every fix.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import cardcontents as cc
from app.cards import identify
from app.catalog import app_descriptions
from app.errors import TouchpointError
from app.i18n import pick
from ui.context import UiContext
from ui.tasks import TaskGroup
from ui.usertext import technical_sentence

KIND_NAMES = {"isd": "Issuer Security Domain", "ssd": "Security Domain", "loadfile": "Load File",
              "module": "Module", "instance": "Application"}


class ContentsView(QWidget):
    """The card's registry as a tree, the backend's records, their disagreements."""

    states_read = Signal(dict)  # appId -> the app's state on the card read, per the backend

    def __init__(self, ctx: UiContext, busy: Callable[[], bool] = lambda: False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.busy = busy
        self.setObjectName("tester-contents")
        self.contents: cc.CardContents | None = None
        self._card: tuple[str, str | None] | None = None  # (CIN, IIN) of the last read
        self._apps: dict[str, str] = {}  # appId -> name, to adopt into
        self.tasks = TaskGroup("contents")
        col = QVBoxLayout(self)
        top = QHBoxLayout()
        self.read_button = QPushButton(self)
        self.read_button.setObjectName("contents-read")
        self.status = QLabel(self)
        self.status.setObjectName("contents-status")
        self.status.setWordWrap(True)
        top.addWidget(self.read_button)
        top.addWidget(self.status, 1)
        col.addLayout(top)
        split = QSplitter(Qt.Orientation.Vertical, self)
        self.tree = QTreeWidget(split)
        self.tree.setObjectName("contents-tree")
        self.tree.setColumnCount(6)
        self.backend_tree = QTreeWidget(split)
        self.backend_tree.setObjectName("contents-backend")
        self.backend_tree.setColumnCount(3)
        problems = QWidget(split)
        pcol = QVBoxLayout(problems)
        pcol.setContentsMargins(0, 0, 0, 0)
        self.problems = QListWidget(problems)
        self.problems.setObjectName("contents-disagreements")
        pcol.addWidget(self.problems, 1)
        fixes = QHBoxLayout()
        self.unstable_button = QPushButton(problems)
        self.unstable_button.setObjectName("contents-fix-unstable")
        self.purge_button = QPushButton(problems)
        self.purge_button.setObjectName("contents-fix-purge")
        self.adopt_combo = QComboBox(problems)
        self.adopt_combo.setObjectName("contents-adopt-app")
        self.adopt_button = QPushButton(problems)
        self.adopt_button.setObjectName("contents-fix-adopt")
        for w in (self.unstable_button, self.purge_button, self.adopt_combo, self.adopt_button):
            fixes.addWidget(w)
        fixes.addStretch(1)
        pcol.addLayout(fixes)
        split.addWidget(self.tree)
        split.addWidget(self.backend_tree)
        split.addWidget(problems)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 2)
        split.setStretchFactor(2, 1)
        col.addWidget(split, 1)
        self.read_button.clicked.connect(self.refresh)
        self.problems.currentRowChanged.connect(lambda _r: self._enable_fixes())
        self.unstable_button.clicked.connect(lambda: self._fix("unstable"))
        self.purge_button.clicked.connect(lambda: self._fix("purge"))
        self.adopt_button.clicked.connect(lambda: self._fix("adopt"))
        ctx.on_close(self.tasks.cancel)
        self.retranslate()
        self._enable_fixes()

    # -- reading ----------------------------------------------------------------------
    def refresh(self) -> None:
        self.tasks.spawn(self._refresh_async())

    async def _card_id(self) -> tuple[str, str | None]:
        ident = await identify(self.ctx.hub.reader())
        return ident.cin_hex, ident.iin.hex().upper() if ident.iin else None

    async def _refresh_async(self) -> None:
        if self.busy():
            self.status.setText(self.tr("A delivery is running; the contents are read after it."))
            return
        if not self.ctx.hub.present():
            self.status.setText(self.tr("No card to read."))
            return
        self.read_button.setEnabled(False)
        self.status.setText(self.tr("Reading the card contents…"))
        try:
            client = await self.ctx.client()
            self._card = await self._card_id()
            cin, iin = self._card
            self.contents = await cc.read_contents(client, self.ctx.hub.reader(), cin, iin)
            self._apps = {a: str(pick(d.get("name"), self.ctx.lang) or a)
                          for a, d in (await app_descriptions(client)).items()}
            self._show(self.contents)
        except TouchpointError as exc:
            self.status.setText(self.tr("The contents could not be read: %1").replace(
                "%1", technical_sentence(exc)))
        finally:
            self.read_button.setEnabled(True)

    def _show(self, contents: cc.CardContents) -> None:
        self.tree.clear()
        for root in contents.roots:
            self.tree.addTopLevelItem(self._item(root))
        self.tree.expandAll()
        for i in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(i)
        self.tree.setColumnWidth(3, min(self.tree.columnWidth(3), 220))  # hover: all of them
        self.backend_tree.clear()
        on_card = {aid for _k, aid in contents.card_elements()}
        self.adopt_combo.clear()
        for app in contents.backend:
            top = QTreeWidgetItem([f"{app.name} ({app.app_id})", app.state, ""])
            for kind, aid in app.elements:
                there = self.tr("on the card") if aid in on_card else (
                    self.tr("not on the card") if kind in cc.GP_KINDS else "")
                top.addChild(QTreeWidgetItem([aid, kind, there]))
            self.backend_tree.addTopLevelItem(top)
        self.backend_tree.expandAll()
        self.backend_tree.resizeColumnToContents(0)
        self.states_read.emit({app.app_id: app.state for app in contents.backend})
        for app_id, name in self._apps.items():
            self.adopt_combo.addItem(f"{name} ({app_id})", app_id)
        self.problems.clear()
        for d in contents.disagreements:
            item = QListWidgetItem(self._problem_text(d), self.problems)
            item.setData(Qt.ItemDataRole.UserRole, d)
        if contents.disagreements:
            self.problems.setCurrentRow(0)
        n = len(contents.disagreements)
        self.status.setText(self.tr("The card and the backend agree.") if n == 0 else
                            self.tr("%n disagreement(s) between the card and the backend.",
                                    "", n))
        self._enable_fixes()

    def _problem_text(self, d: cc.Disagreement) -> str:
        if d.problem == "missing":
            return self.tr("%1 %2 of application %3 is not on the card").replace(
                "%1", d.kind).replace("%2", d.aid).replace("%3", d.app_id)
        return self.tr("%1 %2 is on the card but no application accounts for it").replace(
            "%1", d.kind).replace("%2", d.aid)

    def _item(self, node: cc.Node) -> QTreeWidgetItem:
        item = QTreeWidgetItem([node.aid, KIND_NAMES.get(node.kind, node.kind), node.life_cycle,
                                ", ".join(node.privileges), node.domain, node.owner])
        item.setData(0, Qt.ItemDataRole.UserRole, node)
        for i in range(item.columnCount()):
            item.setToolTip(i, item.text(i))
        for child in node.children:
            item.addChild(self._item(child))
        return item

    # -- fixes ------------------------------------------------------------------------
    def selected(self) -> cc.Disagreement | None:
        item = self.problems.currentItem()
        found = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return found if isinstance(found, cc.Disagreement) else None

    def _enable_fixes(self) -> None:
        d = self.selected()
        fixes = d.fixes if d is not None else ()
        self.unstable_button.setEnabled("unstable" in fixes)
        self.purge_button.setEnabled("purge" in fixes)
        self.adopt_button.setEnabled("adopt" in fixes and self.adopt_combo.count() > 0)
        self.adopt_combo.setEnabled("adopt" in fixes)

    def _fix(self, fix: str) -> None:
        d = self.selected()
        if d is not None and self._card is not None and self.contents is not None:
            self.tasks.spawn(self._fix_async(fix, d))

    async def _fix_async(self, fix: str, d: cc.Disagreement) -> None:
        assert self._card is not None and self.contents is not None
        cin, iin = self._card
        self.status.setText(self.tr("Fixing…"))
        try:
            client = await self.ctx.client()
            if fix == "unstable":
                await cc.mark_unstable(client, cin, d.app_id, [d.aid])
            elif fix == "purge":
                await cc.purge(client, self.ctx.hub.reader(), cin, iin, d.aid)
            else:
                await cc.adopt(client, cin, str(self.adopt_combo.currentData()), d.kind, d.aid,
                               cc.parent_of(self.contents, d.aid))
        except TouchpointError as exc:
            self.status.setText(self.tr("The fix failed: %1").replace("%1",
                                                                      technical_sentence(exc)))
            return
        await self._refresh_async()

    # -- language ---------------------------------------------------------------------
    def title(self) -> str:
        """The tab's title (in this view's translation context)."""
        return self.tr("Card contents")

    def retranslate(self) -> None:
        self.read_button.setText(self.tr("Read the card"))
        self.tree.setHeaderLabels([self.tr("AID"), self.tr("Kind"), self.tr("Life cycle"),
                                   self.tr("Privileges"), self.tr("Associated domain"),
                                   self.tr("Application")])
        self.backend_tree.setHeaderLabels([self.tr("The backend's records"), self.tr("State"),
                                           self.tr("On the card")])
        self.unstable_button.setText(self.tr("Mark Unstable"))
        self.purge_button.setText(self.tr("Purge from the card"))
        self.adopt_button.setText(self.tr("Adopt into"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
