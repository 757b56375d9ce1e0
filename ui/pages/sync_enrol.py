"""The Sync screen's enrolment form: HQ's address, the one-time code, this laptop's name and how
HQ's certificate is trusted (the society's CA file or a fingerprint), each with its message."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ui.qt import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRect,
    Qt,
    QWidget,
    Signal,
)

_ADDRESS = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+(:\d{1,5})?(/\S*)?$")


def isolated(text: str) -> str:
    """`text` (a reason in English, say) kept in its own direction inside an Arabic line."""
    return f"\u2068{text}\u2069"


# A file path, an address, a fingerprint or a phrase in English inside a message: one
# left-to-right run.
_LATIN_RUN = re.compile(r"[A-Za-z0-9_/~][\x20-\x7e]{10,}[\x21-\x7e]")
_BREAK = "\u200b"


def _readable(text: str) -> str:
    """A message with its paths, addresses, fingerprints and English phrases kept left to
    right, each in one piece, and breakable where a long one would not fit the line."""

    def run(found: re.Match[str]) -> str:
        token = found.group(0)
        tail = ""
        if token[-1] in ".,;:)":  # the sentence's own punctuation stays outside
            token, tail = token[:-1], token[-1]
        pieces = re.sub(r"([/:])", "\\1" + _BREAK, token)
        pieces = re.sub(r"([0-9a-fA-F]{16})(?=[0-9a-fA-F])", "\\1" + _BREAK, pieces)
        return isolated(pieces) + tail

    return _LATIN_RUN.sub(run, text)


class _Message(QLabel):
    """A wrapped message whose least height is what its text needs at the width it has, so a
    long one is never cut by the form around it (the page scrolls instead)."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        need = 0
        width = self.contentsRect().width()
        if self.text() and width > 0:
            lines = self.fontMetrics().boundingRect(
                QRect(0, 0, width, 1 << 20), int(Qt.TextFlag.TextWordWrap), self.text()
            )
            margins = self.contentsMargins()
            need = lines.height() + margins.top() + margins.bottom()
        if need != self.minimumHeight():
            self.setMinimumHeight(need)


@dataclass(frozen=True)
class Enrolment:
    """What the form asks HQ for, checked as far as it can be without HQ."""

    server: str
    code: str
    name: str | None
    ca_file: Path | None
    pin: str | None


class EnrolmentBox(QGroupBox):
    """HQ's address, the enrolment code, the laptop's name and HQ's trust, with a message
    beside each field that cannot be sent as typed or that HQ's connection showed wrong."""

    sig_enrol = Signal(object)
    """Enrol was pressed on a form that can be sent; the argument is its `Enrolment`."""

    def __init__(self, may_enrol: bool, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Head office"), parent)
        form = QFormLayout(self)
        self.enrolled_label = _Message()
        self.enrolled_label.setObjectName("enrolled")
        form.addRow(self.enrolled_label)
        self.server = QLineEdit()
        self.server.setObjectName("server")
        self.server.setPlaceholderText("https://hq.example.org")
        self.server.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.code.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.laptop_name = QLineEdit()
        self.laptop_name.setObjectName("laptop_name")
        self.laptop_name.setPlaceholderText(self.tr("optional, e.g. Riyadh delegate 2"))
        self.ca_file = QLineEdit()
        self.ca_file.setObjectName("ca_file")
        self.ca_file.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.ca_file.setPlaceholderText("society-ca.pem")
        self.browse_ca = QPushButton(self.tr("Browse…"))
        self.browse_ca.setObjectName("browse_ca")
        self.browse_ca.clicked.connect(self.browse_ca_file)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.browse_ca)
        self.pin = QLineEdit()
        self.pin.setObjectName("pin")
        self.pin.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.pin.setPlaceholderText("sha256:3F:A2:…")
        self.pin.setToolTip(
            self.tr(
                "For an HQ with a certificate of its own: the fingerprint HQ gave you, as "
                "openssl x509 -noout -fingerprint -sha256 prints it."
            )
        )
        self.errors: dict[str, QLabel] = {}
        self.fields: dict[str, QLineEdit] = {}
        for key, title, edit, field in (
            ("server", self.tr("HQ address"), self.server, None),
            ("code", self.tr("Enrolment code"), self.code, None),
            ("name", self.tr("Name of this laptop"), self.laptop_name, None),
            ("ca_file", self.tr("Society CA certificate (optional)"), self.ca_file, ca_row),
            ("pin", self.tr("HQ certificate fingerprint, pin (optional)"), self.pin, None),
        ):
            form.addRow(title, field if field is not None else edit)
            error = _Message()
            error.setObjectName(f"{key}_error")
            error.setStyleSheet("color: #8c1414")
            error.hide()
            form.addRow(error)
            self.errors[key] = error
            self.fields[key] = edit
            edit.textEdited.connect(lambda _t, k=key: self.field_error(k, ""))
        self.enrol_button = QPushButton(self.tr("Enrol this laptop"))
        self.enrol_button.setObjectName("enrol")
        self.enrol_button.clicked.connect(self.submit)
        self.enrol_button.setEnabled(may_enrol)
        if not may_enrol:
            self.enrol_button.setToolTip(self.tr("Only a branch manager or HQ can enrol a laptop."))
        form.addRow(self.enrol_button)

    def show_state(self, enrolled: bool, server: str | None) -> None:
        """Say whether this laptop is enrolled, and where HQ is when it is."""
        if enrolled:
            self.enrolled_label.setText(
                self.tr("This laptop is enrolled with HQ at {server}.").format(server=server)
            )
            if not self.server.text():
                self.server.setText(server or "")
        else:
            self.enrolled_label.setText(
                self.tr(
                    "This laptop works on its own. Type HQ's address and the code HQ gave you "
                    "to enrol it; everything already on it is kept."
                )
            )

    def browse_ca_file(self) -> None:
        """Pick the society's CA certificate file."""
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Society CA certificate"),
            self.ca_file.text().strip() or str(Path.home()),
            self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"),
        )
        if path:
            self.ca_file.setText(path)
            self.field_error("ca_file", "")

    def field_error(self, key: str, text: str) -> None:
        """Show `text` beside the field `key` (hide its message when empty)."""
        self.errors[key].setText(_readable(text))
        self.errors[key].setVisible(bool(text))

    def refused(self, key: str, text: str) -> bool:
        """Say why HQ's connection refused the field `key` beside it and put the cursor
        there; False when the form has no such field."""
        if key not in self.errors:
            return False
        self.field_error(key, text)
        self.fields[key].setFocus()
        return True

    def enrolment_errors(self, server: str, code: str) -> dict[str, str]:
        """Messages (field → text) for a form that cannot be sent as typed."""
        errors: dict[str, str] = {}
        if not server:
            errors["server"] = self.tr("Type HQ's address, e.g. https://hq.example.org")
        elif not _ADDRESS.match(server):
            errors["server"] = self.tr(
                "This is not a web address: it starts with https:// (or http://) and has no "
                "spaces, e.g. https://hq.example.org"
            )
        if not code:
            errors["code"] = self.tr("Type the one-time enrolment code HQ gave you.")
        return errors

    def submit(self) -> None:
        """Check the form; send `sig_enrol` when it can go to HQ, else mark what is wrong."""
        server, code = self.server.text().strip(), self.code.text().strip()
        errors = self.enrolment_errors(server, code)
        for key in self.errors:
            self.field_error(key, errors.get(key, ""))
        if errors:
            (self.server if "server" in errors else self.code).setFocus()
            return
        ca_text, pin = self.ca_file.text().strip(), self.pin.text().strip()
        if ca_text and pin:
            self.refused(
                "pin", self.tr("Give HQ's CA file or its certificate fingerprint, not both.")
            )
            return
        self.sig_enrol.emit(
            Enrolment(
                server=server,
                code=code,
                name=self.laptop_name.text().strip() or None,
                ca_file=Path(ca_text).expanduser() if ca_text else None,
                pin=pin or None,
            )
        )
