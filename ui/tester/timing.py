"""The tester's choice of card timing: how long the virtual card takes per command.

So an SP tester sees how long a service takes on a real card (the figures and
their sources are in cardsim/timing.py), not the virtual card's 0.1 ms.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QComboBox, QFormLayout, QWidget

from app.errors import TouchpointError
from ui.readers import ReaderHub
from ui.widgets.build import labelled

log = logging.getLogger(__name__)

PROFILES = ("none", "jcop4-contact", "jcop4-contactless", "desfire-ev1")


class TimingChooser(QWidget):
    """A labelled combo box; choosing applies the profile to the hub's virtual card."""

    def __init__(self, hub: ReaderHub, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox(self)
        self.combo.setObjectName("tester-timing")
        self.label = labelled(form, self.combo)
        self.retranslate()
        current = hub.virtual_timing or "none"
        self.combo.setCurrentIndex(max(0, self.combo.findData(current)))
        self.combo.currentIndexChanged.connect(self._chosen)

    def _chosen(self, index: int) -> None:
        profile = self.combo.itemData(index)
        try:
            self.hub.set_virtual_timing(profile)
        except TouchpointError as exc:  # an unknown profile cannot come from this list
            log.error("card timing %s: %s", profile, exc)

    def retranslate(self) -> None:
        names = {
            "none": self.tr("Instant (virtual card)"),
            "jcop4-contact": self.tr("JCOP4, contact"),
            "jcop4-contactless": self.tr("JCOP4, contactless"),
            "desfire-ev1": self.tr("DESFire EV1, contactless"),
        }
        current = self.combo.currentData() or self.hub.virtual_timing or "none"
        self.combo.blockSignals(True)
        self.combo.clear()
        for key in PROFILES:
            self.combo.addItem(names[key], key)
        self.combo.setCurrentIndex(max(0, self.combo.findData(current)))
        self.combo.blockSignals(False)
        self.label.setText(self.tr("Card timing"))
        self.combo.setToolTip(self.tr("How long the virtual card takes per command: as a "
                                      "real card of this kind"))
