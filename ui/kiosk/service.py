"""The service flow's pages: what the service is (and what it needs), progress, result,
and the user actions a service may ask for on the way (`acknowledge`).

The page shows; the kiosk window drives. `ask()` shows the description with
its fields and resolves with the values (or None on cancel); `show_progress`
follows the delivery's Progress; `show_result` keeps the DeliveryResult so a
language switch re-picks its message.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import markdown
from app.delivery import DeliveryResult, Outcome, Progress
from app.description import Field, ServiceDescription, UserAction
from ui import theme
from ui.images import ImageCache
from ui.labels import outcome_label, phase_label
from ui.usertext import outcome_sentence
from ui.widgets.actions import ActionsView
from ui.widgets.build import text_label
from ui.widgets.fields import FieldsForm
from ui.widgets.waitwatch import bar_value


class ServiceScreen(QWidget):
    done = Signal()  # the visitor closed the result page

    def __init__(self, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("service")
        self.language: str | None = None
        self.description: ServiceDescription | None = None
        self.result: DeliveryResult | None = None
        self.progress: Progress | None = None
        self.timed_out = False  # the delivery ended at the time limit (ui/kiosk/waiting.py)
        self._answer: asyncio.Future[dict[str, Any] | None] | None = None
        self._confirm_needed = False
        self.links_as_text = False  # the kiosk: an address to read, no link to tap
        self.stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 12, 32, 24)
        outer.addWidget(self.stack)

        # page 1: description, price, fields, confirm
        self.ask_page = QWidget()
        col = QVBoxLayout(self.ask_page)
        col.setSpacing(14)
        self.title = text_label(None, "service-title", "title", plain=True)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        icol = QVBoxLayout(inner)
        icol.setContentsMargins(0, 0, 0, 0)
        icol.setSpacing(14)
        self.text = QLabel()
        self.text.setObjectName("service-description")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setOpenExternalLinks(False)
        self.price = text_label(None, "service-price", "subtitle", wrap=False)
        self.form = FieldsForm(images)
        self.form.setObjectName("service-fields")
        icol.addWidget(self.text)
        icol.addWidget(self.price)
        icol.addWidget(self.form)
        icol.addStretch(1)
        scroll.setWidget(inner)
        row = QHBoxLayout()
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("service-cancel")
        self.confirm_button = QPushButton()
        self.confirm_button.setObjectName("service-confirm")
        self.confirm_button.setProperty("kind", "primary")
        self.cancel_button.clicked.connect(lambda: self._resolve(None))
        self.confirm_button.clicked.connect(self._confirm_clicked)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        row.addWidget(self.confirm_button)
        col.addWidget(self.title)
        col.addWidget(scroll, 1)
        col.addLayout(row)
        self.stack.addWidget(self.ask_page)

        # page 2: progress
        self.progress_page = QWidget()
        pcol = QVBoxLayout(self.progress_page)
        pcol.setSpacing(22)
        self.progress_title = text_label(None, role="title", plain=True)
        self.phase = text_label(None, "service-phase", "subtitle", wrap=False)
        self.bar = QProgressBar()
        self.bar.setObjectName("service-progress")
        self.bar.setRange(0, 0)
        self.keep = text_label(None, "keep-card", "warning", align=Qt.AlignmentFlag.AlignCenter)
        pcol.addStretch(1)
        pcol.addWidget(self.progress_title)
        pcol.addWidget(self.phase)
        pcol.addWidget(self.bar)
        pcol.addWidget(self.keep)
        pcol.addStretch(2)
        self.stack.addWidget(self.progress_page)

        # page 3: result
        self.result_page = QWidget()
        rcol = QVBoxLayout(self.result_page)
        rcol.setSpacing(22)
        self.result_icon = QLabel()
        self.result_icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.result_icon.setStyleSheet("font-size: 72px;")
        center = Qt.AlignmentFlag.AlignCenter
        self.result_title = text_label(None, "result-title", "title", align=center)
        self.result_text = text_label(None, "result-message", align=center, plain=True)
        self.result_hint = text_label(None, "result-hint", "muted", align=center)
        self.result_button = QPushButton()
        self.result_button.setObjectName("result-ok")
        self.result_button.setProperty("kind", "primary")
        self.result_button.clicked.connect(self.done)
        rcol.addStretch(1)
        rcol.addWidget(self.result_icon)
        rcol.addWidget(self.result_title)
        rcol.addWidget(self.result_text)
        rcol.addWidget(self.result_hint)
        rcol.addWidget(self.result_button, 0, Qt.AlignmentFlag.AlignHCenter)
        rcol.addStretch(2)
        self.stack.addWidget(self.result_page)

        # page 4: user actions (a phone call to make, ...), acknowledged to go on
        self.actions_page = QWidget()
        acol = QVBoxLayout(self.actions_page)
        self.actions_title = text_label(None, "actions-title", "title", plain=True)
        self.user_actions = ActionsView(self.actions_page)
        acol.addWidget(self.actions_title)
        acol.addWidget(self.user_actions, 1)
        self.stack.addWidget(self.actions_page)
        self.retranslate()

    def _confirm_clicked(self) -> None:
        if self.form.check():  # a value that would be refused is said here, not sent
            self._resolve(self.form.values())

    async def acknowledge(self, actions: tuple[UserAction, ...], language: str | None) -> bool:
        """Shows the service's user actions; True once the visitor says Done."""
        self.language = language
        self.actions_title.setText(self.description.title.pick(language)
                                   if self.description else "")
        self.stack.setCurrentWidget(self.actions_page)
        return await self.user_actions.ask(actions, language)

    # -- page 1 -------------------------------------------------------------------------
    async def ask(self, description: ServiceDescription, language: str | None,
                  fields: tuple[Field, ...] | None = None) -> dict[str, Any] | None:
        """Shows the service and waits for Confirm (the field values) or Cancel (None)."""
        self.description = description
        self.language = language
        if fields is None:  # the description's own; encrypted ones are asked in the session
            fields = () if description.encrypted else description.fields
        self.form.build(fields, language)
        self._confirm_needed = description.confirmation_required
        self._fill_description()
        self.stack.setCurrentWidget(self.ask_page)
        self.form.focus_first()
        self.cancel()
        self._answer = asyncio.get_running_loop().create_future()
        try:
            return await self._answer
        finally:
            self._answer = None

    def go_back(self) -> None:
        """Esc/Backspace: Cancel on the ask page, Back on the result page (else nothing)."""
        page = self.stack.currentWidget()
        if page is self.ask_page:
            self.cancel_button.click()
        elif page is self.result_page:
            self.result_button.click()

    def _resolve(self, value: dict[str, Any] | None) -> None:
        if self._answer is not None and not self._answer.done():
            self._answer.set_result(value)

    def cancel(self) -> None:
        """Ends a pending ask() with None, acknowledge() with False (card removed, idle reset)."""
        self._resolve(None)
        self.user_actions.cancel()

    def _fill_description(self) -> None:
        d = self.description
        if d is None:
            return
        lang = self.language
        self.title.setText(d.title.pick(lang))
        body = d.description.pick(lang)
        self.text.setText(markdown.to_html(body, link_color=theme.LINK,
                                           urls_as_text=self.links_as_text))
        self.text.setVisible(bool(body))
        price = None if d.price is None else self.tr("free") if d.price.free else d.price.text()
        self.price.setText(self.tr("Price: %1").replace("%1", price) if price else "")
        self.price.setVisible(bool(price))
        self.form.relabel(lang)
        self.confirm_button.setText(self.tr("Confirm") if self._confirm_needed
                                    else self.tr("Continue"))

    # -- page 2 -------------------------------------------------------------------------
    def start_progress(self) -> None:
        self.progress = None
        self.bar.setRange(0, 0)  # busy until the first batch says how many APDUs to expect
        self.stack.setCurrentWidget(self.progress_page)
        self._fill_progress()

    def show_progress(self, progress: Progress) -> None:
        self.progress = progress
        if progress.apdus_expected:  # 100 % only once done (waitwatch.bar_value)
            top, value = bar_value(progress)
            self.bar.setRange(0, top)
            self.bar.setValue(value)
        self._fill_progress()

    def _fill_progress(self) -> None:
        title = self.description.title.pick(self.language) if self.description else ""
        self.progress_title.setText(title or self.tr("Working"))
        p = self.progress
        self.phase.setText(phase_label(p.phase) if p else self.tr("Starting"))
        self.keep.setText(self.tr("Do not remove your card"))
        if p and p.apdus_expected:
            self.bar.setFormat(self.tr("%1 of %2 steps").replace("%1", str(p.apdus_done))
                               .replace("%2", str(p.apdus_expected)))

    # -- page 3 -------------------------------------------------------------------------
    def show_result(self, result: DeliveryResult) -> None:
        self.result = result
        self.stack.setCurrentWidget(self.result_page)
        self._fill_result()
        self.result_button.setFocus()

    def _fill_result(self) -> None:
        r = self.result
        if r is None:
            return
        ok = r.success
        self.result_icon.setText("✔" if ok else "✖")
        self.result_icon.setStyleSheet(f"font-size: 72px; color: {'#4cd964' if ok else '#ff6b6b'};")
        self.result_title.setText(outcome_label(r.outcome))
        # the service's own message; our messages of an abort are for logs, not the visitor
        message = (r.message.pick(self.language)
                   if r.outcome in (Outcome.SUCCESS, Outcome.FAILURE) else "")
        if _same_words(message, self.result_title.text()):
            message = ""  # "Done" above "Done.": the title says it already
        self.result_text.setText(message)
        self.result_text.setVisible(bool(message))
        hint = ""
        if r.outcome is Outcome.CARD_REMOVED:
            hint = self.tr("Hold your card to the reader again to see the application's state. "
                           "An unfinished application can be uninstalled.")
        elif r.outcome is Outcome.DIFFERENT_CARD:  # which card, and what to do
            hint = outcome_sentence(r.outcome)
        elif r.outcome in (Outcome.BACKEND_ERROR, Outcome.READER_ERROR):
            hint = self.tr("Please try again later or ask the staff for help.")
        if self.timed_out and r.outcome is Outcome.CANCELLED:
            self.result_title.setText(self.tr("This took too long"))
            hint = self.tr("The service did not answer in time. Nothing more was done. "
                           "Please try again later or ask the staff for help.")
        self.result_hint.setText(hint)
        self.result_hint.setVisible(bool(hint))
        self.result_button.setText(self.tr("Back to your applications"))

    def set_language(self, language: str) -> None:
        self.language = language
        if self.description:
            self._fill_description()
        self._fill_progress()
        self._fill_result()
        self.user_actions.relabel(language)
        if self.description:
            self.actions_title.setText(self.description.title.pick(language))

    def retranslate(self) -> None:
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setAccessibleDescription(self.tr("Goes back without changing your "
                                                            "card"))
        self.confirm_button.setAccessibleDescription(self.tr("Starts the service on your card"))
        self.result_button.setAccessibleDescription(self.tr("Shows your applications with their "
                                                            "state now"))
        self.confirm_button.setText(self.tr("Confirm") if self._confirm_needed
                                    else self.tr("Continue"))
        self.price.setAccessibleName(self.tr("Price"))
        self.bar.setAccessibleName(self.tr("Progress"))
        self._fill_progress()
        self._fill_result()
        if self.description:
            self._fill_description()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _same_words(a: str, b: str) -> bool:
    """True when two texts differ only in case, spaces and closing punctuation."""
    def norm(text: str) -> str:
        return text.strip().rstrip(".!¡¿?").strip().casefold()
    return bool(norm(a)) and norm(a) == norm(b)
