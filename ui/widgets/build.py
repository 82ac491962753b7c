"""Small builders for the desktop panels' forms, so each panel says only what differs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)


def text_label(parent: QWidget | None, name: str = "", role: str = "", *, wrap: bool = True,
               align: Qt.AlignmentFlag | None = None, plain: bool = False) -> QLabel:
    """A label named for tests and styling, in a style sheet `role` (title, subtitle, ...);
    `plain` for texts from outside (app names, SP texts), which are never markup."""
    label = QLabel(parent)
    if name:
        label.setObjectName(name)
    if role:
        label.setProperty("role", role)
    label.setWordWrap(wrap)
    if align is not None:
        label.setAlignment(align)
    if plain:
        label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def rows_table(parent: QWidget, name: str, model: QAbstractItemModel,
               stretch: int) -> QTableView:
    """A read-only table of whole rows over `model`; column `stretch` takes the free width."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def labelled(form: QFormLayout, widget: QWidget) -> QLabel:
    """Add `widget` to `form` with a label (its text is set on retranslate) whose buddy it
    is: the label's mnemonic focuses the field and screen readers name the field by it."""
    label = QLabel(widget.parentWidget())
    label.setBuddy(widget)
    form.addRow(label, widget)
    return label


def button_row(parent: QWidget, *names: str, primary: bool = False
               ) -> tuple[QHBoxLayout, list[QPushButton]]:
    """Buttons side by side, named for tests and styling; with `primary` the first one
    is the panel's main action and the second starts disabled (a stop/cancel button)."""
    row = QHBoxLayout()
    buttons = []
    for name in names:
        button = QPushButton(parent)
        button.setObjectName(name)
        row.addWidget(button)
        buttons.append(button)
    if primary:
        buttons[0].setProperty("kind", "primary")
        buttons[1].setEnabled(False)
    return row, buttons


def ask_file(parent: QWidget, title: str, name_filter: str, chosen: Callable[[str], object],
             *, save_suffix: str | None = None) -> None:
    """A file dialog that calls `chosen(path)`; with `save_suffix` it asks where to save.
    open(), never exec(): a nested loop would stall the asyncio tasks."""
    dialog = QFileDialog(parent, title)
    dialog.setNameFilter(name_filter)
    if save_suffix is None:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(save_suffix)
    dialog.fileSelected.connect(chosen)
    language = parent.window().property(TOUCH_KEYBOARD)
    if isinstance(language, str):  # a touch screen (the kiosk): the dialog gets a keyboard
        touch_keyboard(dialog, language)
    dialog.open()


TOUCH_KEYBOARD = "touchKeyboard"  # a window's property: the language of its touch keyboard


def touch_keyboard(dialog: QFileDialog, language: str) -> None:
    """The kiosk's on-screen keyboard under a file dialog's own (Qt's, not the desktop's:
    only Qt's can hold it), for its file name and folder fields."""
    from ui.widgets.touchkeyboard import KeyboardFollower, TouchKeyboard

    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    for edit in dialog.findChildren(QLineEdit):  # a completer's popup would take the taps
        edit.setCompleter(None)  # type: ignore[arg-type]  # meant for the keyboard's keys
    keyboard = TouchKeyboard(dialog)
    keyboard.set_language(language)
    grid = dialog.layout()
    if isinstance(grid, QGridLayout):
        grid.addWidget(keyboard, grid.rowCount(), 0, 1, grid.columnCount())
    KeyboardFollower(dialog, keyboard)
    dialog.setProperty(TOUCH_KEYBOARD, language)
