"""Verify a printed form: the code typed from the paper (or its scanned QR) finds the paper's
record; the screen says whether the paper is genuine, and lists every value printed on it
beside the record's value now, the differing ones marked, so a clerk compares line by line."""

from __future__ import annotations

from romah_desktop.printing import Verification, verify_code
from ui.context import AppContext, error_text
from ui.printing.preview import ERROR_STYLE
from ui.qt import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.form_rows import fit_to_screen

MATCH_STYLE = "#verify_verdict { color: #1b5e20; font-weight: bold; }"
MISMATCH_STYLE = "#verify_verdict { color: #b00020; font-weight: bold; }"


class VerifyDialog(QDialog):
    """Type or paste a printed form's code; see whether the paper matches the record."""

    sig_verified = Signal(object)
    """The code was checked; the argument is the Verification."""

    sig_failed = Signal(str)
    """The code could not be checked; the argument is the message shown."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result: Verification | None = None
        self._checking = False
        self.setObjectName("verify_form")
        self.setWindowTitle(self.tr("Verify a printed form"))
        self.resize(760, 560)

        intro = QLabel(
            self.tr(
                "Type or paste the verification code printed at the foot of the form. A paper "
                "from another branch can be checked once this laptop has synced."
            )
        )
        intro.setWordWrap(True)
        self.code = QLineEdit()
        self.code.setObjectName("verify_code")
        self.code.setAccessibleName(self.tr("Verification code"))
        self.code.setClearButtonEnabled(True)
        # Codes are Latin letters and digits: they read left to right in any language.
        self.code.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.code.returnPressed.connect(self.verify)
        self.code.textEdited.connect(lambda _text: self._set_error(""))
        code_label = QLabel(self.tr("&Code"))
        code_label.setBuddy(self.code)
        self.error = QLabel()
        self.error.setObjectName("verify_code_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        self.verify_button = QPushButton(self.tr("&Verify"))
        self.verify_button.setObjectName("verify_button")
        self.verify_button.clicked.connect(self.verify)
        row = QHBoxLayout()
        row.addWidget(code_label)
        row.addWidget(self.code, 1)
        row.addWidget(self.verify_button)

        self.verdict = QLabel()
        self.verdict.setObjectName("verify_verdict")
        self.verdict.setWordWrap(True)
        font = self.verdict.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.verdict.setFont(font)
        self.summary = QLabel()
        self.summary.setObjectName("verify_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.values_title = QLabel(self.tr("Every value printed on the paper, and the record now:"))
        self.values = QTableWidget(0, 3)
        self.values.setObjectName("verify_values")
        self.values.setAccessibleName(self.tr("Printed values and the record now"))
        self.values.setHorizontalHeaderLabels(
            [self.tr("Value"), self.tr("As printed"), self.tr("In the record now")]
        )
        self.values.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.values.setWordWrap(True)
        self.values.verticalHeader().hide()
        self.values.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.result_box = QFrame()
        self.result_box.setObjectName("verify_result")
        self.result_box.setFrameShape(QFrame.Shape.StyledPanel)
        result_layout = QVBoxLayout(self.result_box)
        result_layout.addWidget(self.verdict)
        result_layout.addWidget(self.summary)
        result_layout.addWidget(self.values_title)
        result_layout.addWidget(self.values, 1)
        self.result_box.hide()

        close = QPushButton(self.tr("Close"))
        close.setObjectName("verify_close")
        close.setAutoDefault(False)
        close.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.result_box, 1)
        # Empty space below the code until there is a result, which then takes it.
        self._filler = layout.count()
        layout.addStretch(1)
        self._layout = layout
        layout.addLayout(bottom)
        fit_to_screen(self)
        self.code.setFocus()

    def verify(self) -> None:
        """Check the code typed against the records (on the worker)."""
        if self._checking:
            return
        code = self.code.text().strip()
        if not code:
            self._set_error(self.tr("Type or paste the code printed on the form."))
            self.code.setFocus()
            return
        self._checking = True
        self.verify_button.setEnabled(False)
        self._set_error("")
        self.ctx.run(
            lambda session, actor: verify_code(session, actor, code),
            self._show,
            self._failed,
            owner=self,
        )

    def _show(self, result: Verification) -> None:
        self._checking = False
        self.verify_button.setEnabled(True)
        self.result = result
        if result.ok:
            self.verdict.setText(self.tr("✓ The paper is genuine and matches the record."))
            self.verdict.setStyleSheet(MATCH_STYLE)
        else:
            if not result.found:
                verdict = self.tr("✗ No paper was printed with this code.")
            elif not result.genuine:
                verdict = self.tr("✗ The paper is not genuine.")
            else:
                verdict = self.tr("✗ The paper does not match the record now.")
            self.verdict.setText(verdict)
            self.verdict.setStyleSheet(MISMATCH_STYLE)
        self.summary.setText(result.summary or "")
        self.summary.setVisible(bool(result.summary))
        self._fill(result)
        self.result_box.show()
        self._layout.setStretch(self._filler, 0)
        self.sig_verified.emit(result)

    def _fill(self, result: Verification) -> None:
        differing = {d.field for d in result.differences}
        rows = [
            (name, title, printed, now)
            for name, (title, printed, now) in zip(result.printed, result.lines(), strict=True)
        ] + [(d.field, d.label, None, d.now) for d in result.differences if d.printed is None]
        self.values.setRowCount(len(rows))
        absent = self.tr("(not in the record now)")
        for row, (name, title, printed, now) in enumerate(rows):
            mark = "✗ " if name in differing else ""
            cells = [mark + title, printed or "—", now if now is not None else absent]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if name in differing:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.values.setItem(row, column, item)
        self.values.resizeRowsToContents()
        first = next((r for r, (name, *_rest) in enumerate(rows) if name in differing), None)
        if first is not None:
            self.values.scrollToItem(
                self.values.item(first, 0), QAbstractItemView.ScrollHint.PositionAtCenter
            )
        shown = bool(rows)
        self.values_title.setVisible(shown)
        self.values.setVisible(shown)

    def differing_rows(self) -> list[int]:
        """The rows of the table whose printed value differs from the record now."""
        return [
            row
            for row in range(self.values.rowCount())
            if (item := self.values.item(row, 0)) is not None and item.text().startswith("✗")
        ]

    def _failed(self, error: BaseException) -> None:
        self._checking = False
        self.verify_button.setEnabled(True)
        text = error_text(error)
        self.result = None
        self.result_box.hide()
        self._layout.setStretch(self._filler, 1)
        # Beside the code, which stays as typed: a typing mistake is corrected there.
        self._set_error(text)
        self.code.setFocus()
        self.sig_failed.emit(text)

    def _set_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
