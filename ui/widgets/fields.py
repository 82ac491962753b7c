"""The inputs a Service Description asks for: edit, checkbox, date, option, plus text and image.

Values go out the way the backend's other clients send them (as app/cli.py
does): text as typed, checkbox "true"/"false", date "YYYY-MM-DD", option
the index of the choice as a string, paymentcard "PAN;MM/YY;CVV" (checked by
check() before a screen confirms). Labels are multilanguage and re-picked
on a language switch; values the user already entered are kept.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.description import Field, inputs
from ui.images import ImageCache
from ui.widgets.cardinput import CardInput

# a pattern of digits only ("[0-9]{6,12}", "\d+"): an on-screen keyboard shows its digits
_DIGITS = re.compile(r"(?:\[0-9\]|\\d)(?:\{\d+(?:,\d*)?\}|[+*?])?")


def takes_digits(f: Field) -> bool:
    pattern = f.raw.get("pattern")
    return f.raw.get("inputType") in ("number", "numeric", "digits") or (
        isinstance(pattern, str) and _DIGITS.fullmatch(pattern) is not None)


class FieldsForm(QWidget):
    def __init__(self, images: ImageCache | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.images = images
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.form.setVerticalSpacing(10)
        self.fields: tuple[Field, ...] = ()
        self._inputs: dict[str, Any] = {}
        self._labels: dict[str, QLabel] = {}
        self._errors: dict[str, QLabel] = {}  # what is wrong, shown under the field
        self._choices: dict[str, list[QRadioButton]] = {}
        self._language: str | None = None

    def build(self, fields: tuple[Field, ...], language: str | None,
              values: dict[str, Any] | None = None) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self._inputs.clear()
        self._labels.clear()
        self._errors.clear()
        self._choices.clear()
        self.fields = tuple(fields)
        self._language = language
        for f in self.fields:
            self._add(f, (values or {}).get(f.id))
        self.relabel(language)

    def _add(self, f: Field, value: Any) -> None:
        label = QLabel(self)
        label.setWordWrap(True)
        self._labels[f.id] = label
        widget: QWidget
        if f.type == "checkbox":
            box = QCheckBox(self)
            box.setChecked(str(value).lower() in ("true", "1", "yes"))
            widget = box
        elif f.type == "date":
            date = QDateEdit(self)
            date.setCalendarPopup(True)
            date.setDisplayFormat("yyyy-MM-dd")
            parsed = QDate.fromString(str(value), "yyyy-MM-dd") if value else QDate()
            date.setDate(parsed if parsed.isValid() else QDate.currentDate())
            widget = date
        elif f.type == "option":
            holder = QWidget(self)
            col = QVBoxLayout(holder)
            col.setContentsMargins(0, 0, 0, 0)
            group = QButtonGroup(holder)
            buttons = []
            for i in range(len(f.labels)):
                rb = QRadioButton(holder)
                rb.setObjectName(f"field-{f.id}-{i}")
                group.addButton(rb, i)
                col.addWidget(rb)
                buttons.append(rb)
            chosen = int(value) if str(value).isdigit() and int(value) < len(buttons) else 0
            if buttons:
                buttons[chosen].setChecked(True)
            self._choices[f.id] = buttons
            widget = holder
        elif f.type == "paymentcard":
            card = CardInput(self)
            card.set_parts(f"field-{f.id}")
            card.set_value(value)
            widget = card
        elif f.type == "text":
            text = QLabel(self)
            text.setWordWrap(True)
            widget = text
        elif f.type == "image":
            img = QLabel(self)
            ref = f.raw.get("url") or f.raw.get("image") or f.raw.get("value")
            if self.images is not None and isinstance(ref, str):
                img.setPixmap(self.images.pixmap(ref, 160, f.id))
            widget = img
        else:  # edit and anything unknown: free text is always answerable
            edit = QLineEdit(self)
            edit.setText("" if value is None else str(value))
            if takes_digits(f):
                edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
            widget = edit
        widget.setObjectName(f"field-{f.id}")
        self._inputs[f.id] = widget
        if not f.is_input:
            self.form.addRow(widget)
            label.hide()
        else:
            label.setBuddy(widget)
            self.form.addRow(label, widget)
            error = QLabel(self)
            error.setObjectName(f"field-{f.id}-error")
            error.setProperty("role", "warning")
            error.setWordWrap(True)
            error.hide()
            self._errors[f.id] = error
            self.form.addRow(error)
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(lambda _t, e=error: e.hide())

    def relabel(self, language: str | None) -> None:
        self._language = language
        for f in self.fields:
            text = f.label.pick(language) or f.id
            # a wrapping label asks for a narrow width: wrap only what cannot fit a line
            self._labels[f.id].setWordWrap(len(text) > 60)
            self._labels[f.id].setText(text)
            widget = self._inputs[f.id]
            widget.setAccessibleName(text)
            widget.setAccessibleDescription(self.tr("Asked by the service: %1").replace(
                "%1", text))
            if f.type == "text" and isinstance(widget, QLabel):
                widget.setText(text)
            if f.type == "checkbox" and isinstance(widget, QCheckBox):
                widget.setText(text)
                self._labels[f.id].hide()
            if isinstance(widget, CardInput):
                widget.retranslate()
            error = self._errors.get(f.id)
            if error is not None and not error.isHidden():
                self.show_problem(f.id, error.property("reason"))
            for i, rb in enumerate(self._choices.get(f.id, [])):
                rb.setText(f.labels[i].pick(language) or str(i))

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self.inputs:
            w = self._inputs[f.id]
            if isinstance(w, QCheckBox):
                out[f.id] = "true" if w.isChecked() else "false"
            elif isinstance(w, QDateEdit):
                out[f.id] = w.date().toString("yyyy-MM-dd")
            elif f.type == "option":
                buttons = self._choices.get(f.id, [])
                out[f.id] = str(next((i for i, b in enumerate(buttons) if b.isChecked()), 0))
            elif isinstance(w, QLineEdit):
                out[f.id] = w.text()
            elif isinstance(w, CardInput):
                out[f.id] = w.value()
        return out

    def check(self) -> bool:
        """True when every value would be accepted; each one that would not gets its
        reason shown under it, and the first one the focus."""
        ok = True
        for f in self.inputs:
            w = self._inputs[f.id]
            if isinstance(w, CardInput):
                good = w.check()
                target: QWidget = w.number
            else:
                reason = f.problem(w.text()) if isinstance(w, QLineEdit) else None
                self.show_problem(f.id, reason)
                good, target = reason is None, w
            if not good and ok:
                target.setFocus(Qt.FocusReason.OtherFocusReason)
            ok = ok and good
        return ok

    def show_problem(self, field_id: str, reason: str | None) -> None:
        error = self._errors.get(field_id)
        if error is None:
            return
        error.setProperty("reason", reason)
        error.setText(self._reason(reason) if reason else "")
        error.setVisible(reason is not None)

    def problem_text(self, field_id: str) -> str:
        """The reason shown under the field ("" when none is)."""
        error = self._errors.get(field_id)
        return error.text() if error is not None and not error.isHidden() else ""

    def _reason(self, reason: str) -> str:
        return {"required": self.tr("Please fill this in."),
                "too-short": self.tr("This is too short."),
                "too-long": self.tr("This is too long."),
                }.get(reason, self.tr("This is not in the form asked for."))

    def input(self, field_id: str) -> QWidget:
        return self._inputs[field_id]

    @property
    def inputs(self) -> tuple[Field, ...]:
        """The fields shown that take a value."""
        return inputs(self.fields)

    def needs_input(self) -> bool:
        return bool(self.inputs)

    def focus_first(self) -> None:
        if self.inputs:
            self._inputs[self.inputs[0].id].setFocus(Qt.FocusReason.OtherFocusReason)
