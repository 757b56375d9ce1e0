"""Enrolling from the Sync screen with HQ's certificate trusted through the society's CA file or
a pinned fingerprint, against a real `romah-hq serve` over HTTPS; bad trust input is named
beside its field, in Arabic, and nothing typed is lost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from romah_desktop.cli.window import LaptopSync
from tests.sync.helpers import HQProcess
from tests.sync.test_tls import Certificates, society  # noqa: F401 (fixture)
from tests.ui.conftest import screenshot, wait_idle
from tests.ui.test_sync_page import hq, show, sync_window  # noqa: F401 (fixtures)
from ui import pages
from ui.app import RomahApp
from ui.main_window import MainWindow
from ui.pages.sync import SyncPage
from ui.qt import QApplication, Qt

Society = tuple[HQProcess, Certificates]


def _page(qtbot: QtBot, app: RomahApp, window: MainWindow) -> SyncPage:
    """The Sync screen with the sync the app ships (the real network, TLS checks and all)."""
    page = show(qtbot, app, window)
    assert page.runner is not None
    page.runner.service = page.service = LaptopSync()
    return page


def _type(qtbot: QtBot, page: SyncPage, **fields: str) -> None:
    for name, text in fields.items():
        edit = getattr(page, name)
        edit.clear()
        qtbot.keyClicks(edit, text)


def _refused(qtbot: QtBot, app: RomahApp, page: SyncPage, field: str) -> str:
    """Press Enrol, wait for the refusal; the message beside `field` (the only one shown)."""
    assert page.runner is not None
    with qtbot.waitSignal(page.runner.sig_failed, timeout=20_000):
        qtbot.mouseClick(page.enrol_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)
    shown = {key for key, label in page.errors.items() if not label.isHidden()}
    assert shown == {field}, (shown, page.message.text())
    assert page.enrol_button.isEnabled()
    assert page.state is not None and not page.state.enrolled
    # Without the marks that keep a path or a fingerprint left to right and breakable.
    return re.sub("[\u200b\u2068\u2069]", "", page.errors[field].text())


def test_bad_trust_input_is_named_beside_its_field_then_the_ca_file_enrols(
    qtbot: QtBot,
    romah_app: RomahApp,
    sync_window: MainWindow,  # noqa: F811
    society: Society,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hq_process, certificates = society
    page = _page(qtbot, romah_app, sync_window)
    code = hq_process.hub.new_enrolment_code("RYD")
    _type(qtbot, page, server=hq_process.url, code=code, laptop_name="ryd-window")

    missing = tmp_path / "no-such-ca.pem"
    _type(qtbot, page, ca_file=str(missing))
    said = _refused(qtbot, romah_app, page, "ca_file")
    assert "تتعذّر قراءة ملف جهة التصديق" in said and str(missing) in said
    QApplication.processEvents()
    screenshot(page, "sync_enrol_ca_refused")
    typed = (page.server.text(), page.code.text(), page.laptop_name.text(), page.ca_file.text())
    assert typed == (hq_process.url, code, "ryd-window", str(missing))

    notes = tmp_path / "notes.pem"
    notes.write_text("not a certificate\n")
    _type(qtbot, page, ca_file=str(notes))
    assert page.errors["ca_file"].isHidden()  # typing again clears the field's message
    assert "لا يحوي الملف" in _refused(qtbot, romah_app, page, "ca_file")

    # Both ways of trusting HQ at once: said at once, nothing sent.
    qtbot.keyClicks(page.pin, "sha256:00")
    qtbot.mouseClick(page.enrol_button, Qt.MouseButton.LeftButton)
    assert not page.runner.running  # type: ignore[union-attr]
    assert not page.errors["pin"].isHidden() and "لا كليهما" in page.errors["pin"].text()

    page.ca_file.clear()
    _type(qtbot, page, pin="sha256:not-hex")
    assert "بصمة الشهادة" in _refused(qtbot, romah_app, page, "pin")
    assert page.pin.text() == "sha256:not-hex"

    # A well-formed fingerprint of another certificate: HQ's does not match it.
    _type(qtbot, page, pin="sha256:" + "ab" * 32)
    assert "sha256:" + "ab" * 32 in _refused(qtbot, romah_app, page, "pin")
    QApplication.processEvents()
    screenshot(page, "sync_enrol_pin_refused")

    # Neither: the system's authorities do not know the society's CA.
    page.pin.clear()
    _refused(qtbot, romah_app, page, "server")

    # Plain HTTP to another machine is refused before anything is sent.
    _type(qtbot, page, server="http://10.20.30.40:8443")
    assert "HTTP" in _refused(qtbot, romah_app, page, "server")

    QApplication.processEvents()
    screenshot(page, "sync_enrol_refused")

    # The Browse button fills the field with the file picked.
    monkeypatch.setattr(
        pages.sync_enrol.QFileDialog,
        "getOpenFileName",
        lambda *_args: (str(certificates.ca_file), ""),
    )
    qtbot.mouseClick(page.browse_ca, Qt.MouseButton.LeftButton)
    assert page.ca_file.text() == str(certificates.ca_file)

    _type(qtbot, page, server=hq_process.url)
    assert page.runner is not None
    with qtbot.waitSignal(page.runner.sig_finished, timeout=30_000):
        qtbot.mouseClick(page.enrol_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, romah_app)
    assert page.state is not None and page.state.enrolled
    assert page.state.server == hq_process.url
    assert all(label.isHidden() for label in page.errors.values())


def test_a_pinned_fingerprint_enrols_and_syncs(
    qtbot: QtBot,
    romah_app: RomahApp,
    sync_window: MainWindow,  # noqa: F811
    society: Society,  # noqa: F811
) -> None:
    hq_process, certificates = society
    page = _page(qtbot, romah_app, sync_window)
    code = hq_process.hub.new_enrolment_code("RYD")
    # As `openssl x509 -noout -fingerprint -sha256` prints it.
    _type(qtbot, page, server=hq_process.url, code=code, pin=certificates.pin)
    assert page.runner is not None
    with qtbot.waitSignal(page.runner.sig_finished, timeout=30_000):
        qtbot.mouseClick(page.enrol_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, romah_app)
    assert page.state is not None and page.state.enrolled
    # A later sync checks HQ the same way.
    with qtbot.waitSignal(page.runner.sig_finished, timeout=30_000):
        qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, romah_app)
    assert page.state.enrolled
