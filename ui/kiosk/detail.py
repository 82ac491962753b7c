"""One application: what it is, its state on this card, and only the actions that state allows."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app import markdown
from app.catalog import Action, AppEntry
from ui import theme
from ui.images import ImageCache
from ui.labels import action_hint, action_label, state_label
from ui.widgets.build import text_label

# The action row's fixed slots, left to right; kinds in one slot never show together
# (install only when NotInstalled, repair only when Unstable; suspend/unsuspend).
ACTION_SLOTS: tuple[tuple[str, ...], ...] = (("install", "repair"), ("suspend", "unsuspend"),
                                             ("uninstall",))


class DetailScreen(QWidget):
    action = Signal(object, object)  # AppEntry, Action
    back = Signal()
    link = Signal(str)  # a link in the description was activated (the kiosk ignores it)

    def __init__(self, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detail")
        self.images = images
        self.entry: AppEntry | None = None
        self.feature: str | None = None
        self.links_as_text = False  # the kiosk: an address to read, no link to tap
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 12, 32, 24)
        outer.setSpacing(12)
        head = QHBoxLayout()
        head.setSpacing(20)
        self.logo = QLabel(self)
        self.logo.setFixedSize(112, 112)
        names = QVBoxLayout()
        self.name = text_label(self, "detail-name", "title", plain=True)
        self.org = text_label(self, "detail-org", "subtitle", plain=True)
        self.badge = QLabel(self)
        self.badge.setObjectName("detail-state")
        names.addWidget(self.name)
        names.addWidget(self.org)
        names.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignLeft)
        head.addWidget(self.logo, 0, Qt.AlignmentFlag.AlignTop)
        head.addLayout(names, 1)
        outer.addLayout(head)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        col = QVBoxLayout(body)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(16)
        self.advice = text_label(body, "unstable-advice", "advice")
        self.description = text_label(body, "detail-description", "body")
        self.description.setTextFormat(Qt.TextFormat.RichText)
        self.description.setOpenExternalLinks(False)
        self.description.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.description.linkActivated.connect(self.link)
        self.graphic = QLabel(body)
        self.graphic.setObjectName("feature-graphic")
        self.graphic.setAlignment(Qt.AlignmentFlag.AlignLeft)
        col.addWidget(self.advice)
        col.addWidget(self.description)
        col.addWidget(self.graphic)
        # install services to choose from, shown when Install is pressed and there are several
        self.choice_title = QLabel(body)
        self.choice_title.setProperty("role", "subtitle")
        self.choice_box = QVBoxLayout()
        col.addWidget(self.choice_title)
        col.addLayout(self.choice_box)
        col.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        self.buttons_row = QHBoxLayout()
        self.buttons_row.setSpacing(14)
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("back")
        self.back_button.clicked.connect(self.back)
        outer.addLayout(self.buttons_row)
        self.buttons_row.addWidget(self.back_button)
        self.buttons_row.addStretch(1)
        # one fixed slot per action, always in the row: a state shows or hides its
        # buttons, the others keep their place (Uninstall never moves into Suspend's)
        self.action_buttons: dict[str, QPushButton] = {}
        self.slots: list[QWidget] = []
        for kinds in ACTION_SLOTS:
            slot = QWidget(self)
            slot.setObjectName("slot-" + "-".join(kinds))
            policy = slot.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            slot.setSizePolicy(policy)
            inner = QHBoxLayout(slot)
            inner.setContentsMargins(0, 0, 0, 0)
            for kind in kinds:
                b = QPushButton(slot)
                b.setObjectName(f"action-{kind}")
                b.setProperty("kind", "danger" if kind == "uninstall" else "primary"
                              if kind in ("install", "unsuspend", "repair") else "")
                b.clicked.connect(lambda _=False, k=kind: self._pressed(k))
                b.hide()
                inner.addWidget(b)
                self.action_buttons[kind] = b
            self.slots.append(slot)
            self.buttons_row.addWidget(slot)
        self.choice_buttons: list[QPushButton] = []
        self.retranslate()

    # -- content ------------------------------------------------------------------------
    def show_entry(self, entry: AppEntry, feature_graphic: str | None = None) -> None:
        self.entry = entry
        self.feature = feature_graphic
        self.logo.setPixmap(self.images.pixmap(entry.logo, 112, entry.name))
        self.logo.setAccessibleName(entry.name)
        self.name.setText(entry.name)
        self.org.setText(entry.organization)
        self.description.setText(markdown.to_html(entry.description, link_color=theme.LINK,
                                                  urls_as_text=self.links_as_text))
        self.description.setAccessibleDescription(markdown.to_plain(entry.description))
        self.set_feature(feature_graphic)
        self._hide_choice()
        self._show_buttons(entry)
        self.retranslate()

    def set_feature(self, ref: str | None) -> None:
        self.feature = ref
        if ref:
            pm = self.images.pixmap(ref, 360, self.entry.name if self.entry else "?")
            self.graphic.setPixmap(pm)
            self.graphic.show()
        else:
            self.graphic.clear()
            self.graphic.hide()

    def _show_buttons(self, entry: AppEntry) -> None:
        kinds = set(self._kinds(entry))
        for kind, b in self.action_buttons.items():
            b.setVisible(kind in kinds)
        for slot, slot_kinds in zip(self.slots, ACTION_SLOTS, strict=True):
            slot.setVisible(any(k in kinds for k in slot_kinds))

    def _size_slots(self) -> None:
        """Each slot as wide as its widest label in this language: the row never reflows."""
        for slot, kinds in zip(self.slots, ACTION_SLOTS, strict=True):
            width = max(self.action_buttons[k].sizeHint().width() for k in kinds)
            slot.setMinimumWidth(width)
            for k in kinds:
                self.action_buttons[k].setMinimumWidth(width)

    @staticmethod
    def _kinds(entry: AppEntry) -> list[str]:
        kinds: list[str] = []
        for a in entry.actions:
            if a.kind not in kinds:
                kinds.append(a.kind)
        return kinds

    def _pressed(self, kind: str) -> None:
        entry = self.entry
        if entry is None:
            return
        actions = [a for a in entry.actions if a.kind == kind]
        if len(actions) == 1:
            self.action.emit(entry, actions[0])
        elif actions:
            self._show_choice(actions)

    def _show_choice(self, actions: list[Action]) -> None:
        self._hide_choice()
        self.choice_title.setText(self.tr("Choose how to install"))
        self.choice_title.show()
        for i, a in enumerate(actions):
            b = QPushButton(a.label, self)
            b.setObjectName(f"install-choice-{i}")
            b.setProperty("kind", "primary")
            b.clicked.connect(lambda _=False, act=a: self.action.emit(self.entry, act))
            self.choice_box.addWidget(b)
            self.choice_buttons.append(b)

    def _hide_choice(self) -> None:
        for b in self.choice_buttons:
            b.deleteLater()
        self.choice_buttons.clear()
        self.choice_title.hide()

    def visible_actions(self) -> list[str]:
        """The action buttons a visitor can press now (tests compare them with the state)."""
        slot_of = {k: slot for slot, kinds in zip(self.slots, ACTION_SLOTS, strict=True)
                   for k in kinds}
        return [k for k, b in self.action_buttons.items()
                if not b.isHidden() and not slot_of[k].isHidden()]

    # -- language -----------------------------------------------------------------------
    def retranslate(self) -> None:
        self.back_button.setText(self.tr("Back"))
        self.back_button.setAccessibleName(self.tr("Back to the applications"))
        self.back_button.setAccessibleDescription(self.tr("Shows all the applications of your "
                                                          "card again"))
        for kind, b in self.action_buttons.items():
            b.setText(action_label(kind))
            b.setAccessibleName(action_label(kind))
            b.setAccessibleDescription(action_hint(kind))
        self._size_slots()
        entry = self.entry
        if entry is None:
            return
        bg, fg = (c.name() for c in theme.badge_colors(entry.state))  # in the look in use
        self.badge.setText(state_label(entry.state))
        self.badge.setStyleSheet(f"background: {bg}; color: {fg}; border-radius: 14px; "
                                 f"border: 2px solid {fg}; padding: 4px 14px; "
                                 f"font-size: {theme.look().px(18)}px; font-weight: bold;")
        self.badge.setAccessibleName(self.tr("State: %1").replace("%1",
                                                                  state_label(entry.state)))
        self.advice.setText(self.tr("Something went wrong the last time this application was "
                                    "changed on your card. Tap Repair: it is uninstalled, then "
                                    "installed again."))
        self.advice.setVisible(entry.state == "Unstable")
        if self.choice_buttons:
            self.choice_title.setText(self.tr("Choose how to install"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
