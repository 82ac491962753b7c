"""The paymentcard field on screen: card number, expiry, CVV, checked before confirming.

The three inputs make the one value app.paymentcard reads ("PAN;MM/YY;CVV"); a
value that would be refused is said under the inputs, in the screen's language,
before anything is confirmed or sent. The CVV is not echoed.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QWidget

from app import paymentcard


class CardInput(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.number = QLineEdit(self)
        self.number.setValidator(QRegularExpressionValidator(
            QRegularExpression(r"[0-9 ]{0,23}"), self.number))
        self.expiry = QLineEdit(self)
        self.expiry.setPlaceholderText("MM/YY")
        self.expiry.setMaxLength(5)
        self.cvv = QLineEdit(self)
        self.cvv.setEchoMode(QLineEdit.EchoMode.Password)
        self.cvv.setMaxLength(4)
        digits = Qt.InputMethodHint.ImhDigitsOnly  # an on-screen keyboard's digit layout
        for edit in (self.number, self.cvv):
            edit.setInputMethodHints(digits)
        self.expiry.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
        self.error = QLabel(self)
        self.error.setProperty("role", "warning")
        self.error.setWordWrap(True)
        self.error.hide()
        self._labels = [QLabel(self) for _ in range(3)]
        for col, (label, edit) in enumerate(zip(self._labels, (self.number, self.expiry,
                                                               self.cvv), strict=True)):
            label.setBuddy(edit)
            grid.addWidget(label, 0, col)
            grid.addWidget(edit, 1, col)
        grid.setColumnStretch(0, 3)
        grid.addWidget(self.error, 2, 0, 1, 3)
        self.retranslate()

    def set_parts(self, name: str) -> None:
        for part, edit in (("number", self.number), ("expiry", self.expiry), ("cvv", self.cvv)):
            edit.setObjectName(f"{name}-{part}")
        self.error.setObjectName(f"{name}-error")

    def retranslate(self) -> None:
        texts = (self.tr("Card number"), self.tr("Expiry (MM/YY)"),
                 self.tr("CVV (if the card has one)"))
        for label, edit, text in zip(self._labels, (self.number, self.expiry, self.cvv), texts,
                                     strict=True):
            label.setText(text)
            edit.setAccessibleName(text)

    def value(self) -> str:
        return paymentcard.join(self.number.text(), self.expiry.text(), self.cvv.text())

    def set_value(self, value: object) -> None:
        parts = str(value or "").split(";")
        for edit, part in zip((self.number, self.expiry, self.cvv), parts, strict=False):
            edit.setText(part)

    def check(self) -> bool:
        """True when the card would be accepted; otherwise says why, under the inputs."""
        try:
            paymentcard.parse(self.value())
        except paymentcard.PaymentCardError as exc:
            self.error.setText(self._reason(exc.reason))
            self.error.show()
            return False
        self.error.hide()
        return True

    def _reason(self, reason: str) -> str:
        return {"number": self.tr("The card number is not valid."),
                "month": self.tr("The expiry month must be 01 to 12."),
                "expired": self.tr("The card has expired."),
                }.get(reason, self.tr("Give the card number (13 to 19 digits), its expiry "
                                      "as MM/YY and, if it has one, its CVV."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
