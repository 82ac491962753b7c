"""Issue 19, point 4: at 1280×800 and 1366×768 every control of the tester and of the staff
tab, the progress bar and the Save buttons stay inside the window, whatever the service form
holds (the settings column scrolls). Real window, offscreen, real backend and virtual card."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QProgressBar,
    QScrollArea,
    QWidget,
)

from app.description import Field
from ui.windows import DesktopWindow

CONTROLS = (QAbstractButton, QComboBox, QLineEdit, QProgressBar, QAbstractItemView)
MANY = tuple(Field(f"f{i}", "edit", {"en": f"Field number {i}"}) for i in range(40))
# what a window manager's title bar and a desktop panel leave of a 768 px screen
TITLE_AND_PANEL = 768 - 37


def _inside(widget: QWidget, window: QWidget) -> QRect:
    top_left = widget.mapTo(window, widget.rect().topLeft())
    return QRect(top_left, widget.size())


def _check(panel: QWidget, window: QWidget, scroller: QScrollArea) -> int:
    """Every visible control is inside the window; those of the scrolling column are inside
    its viewport's scrollable content. Returns how many controls were checked."""
    area = window.rect()
    assert area.contains(_inside(scroller, window)), scroller.objectName()
    content = scroller.widget()
    n = 0
    for w in panel.findChildren(QWidget):
        if not isinstance(w, CONTROLS) or not w.isVisibleTo(window):
            continue
        if content.isAncestorOf(w):  # reached by scrolling
            assert content.rect().contains(QRect(w.mapTo(content, w.rect().topLeft()),
                                                 w.size())), w.objectName()
        else:
            rect = _inside(w, window)
            assert area.contains(rect), f"{w.objectName() or type(w).__name__} at {rect} " \
                                        f"outside {area}"
        n += 1
    return n


@pytest.mark.parametrize("size", [(1280, 800), (1366, 768)])
def test_tester_and_staff_fit_a_laptop(make_ctx: Any, qtbot: Any, size: tuple[int, int],
                                       tmp_path: Path) -> None:
    from app.pinstore import PinStore

    # no staff PIN: the Tester tab is open (with one it is behind the PIN, issue 18)
    ctx = make_ctx(virtual_present=True, kiosk=False, pins=PinStore(tmp_path, use_keyring=False))
    window = DesktopWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.show_tab("tester")
    assert window.minimumSizeHint().height() <= TITLE_AND_PANEL, window.minimumSizeHint()
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size, timeout=5000)

    window.show_tab("tester")
    tester = window.tester
    tester.fields.build(MANY, "en")  # a service form of many fields, as a run asks for it
    tester.fields_box.show()
    tester.fields_send.show()
    qtbot.waitUntil(lambda: tester.settings_area.verticalScrollBar().maximum() > 0)
    # the form alone is taller than the window: without the scrolling it could not fit
    assert tester.settings_area.widget().sizeHint().height() > size[1]
    for page in range(tester.tabs.count()):  # each tab's Save buttons
        tester.tabs.setCurrentIndex(page)
        qtbot.wait(20)
        assert _check(tester, window, tester.settings_area) > 10
    tester.tabs.setCurrentIndex(0)
    qtbot.wait(20)
    for needed in (tester.run_button, tester.cancel_button, tester.bar, tester.fields_send,
                   tester.tabs.save_text_button, tester.tabs.save_json_button):
        assert needed.isVisibleTo(window)
        assert window.rect().contains(_inside(needed, window)), needed.objectName()

    window._staff_unlocked()
    window.show_tab("staff")
    staff = window.staff
    # unlocking refreshes the app list, and describing the chosen service rebuilds the form:
    # let that settle first, or it replaces MANY with the service's own fields (CI stop 21)
    qtbot.waitUntil(lambda: staff.app_combo.count() > 0 and len(staff.tasks) == 0,
                    timeout=10_000)
    staff.fields.build(MANY, "en")
    qtbot.waitUntil(lambda: staff.setup_area.verticalScrollBar().maximum() > 0)
    assert staff.setup_area.widget().sizeHint().height() > size[1]
    assert _check(staff, window, staff.setup_area) > 5
    for needed in (staff.start_button, staff.stop_button, staff.export_button):
        assert needed.isVisibleTo(window)
        assert window.rect().contains(_inside(needed, window)), needed.objectName()
