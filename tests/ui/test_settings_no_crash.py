"""Saving Settings, again and again, leaves nothing behind that breaks a later save."""

from __future__ import annotations

import ast
from pathlib import Path

import shiboken6
from PySide6.QtCore import SIGNAL
from pytestqt.qtbot import QtBot

from romah_desktop.validation import make_national_id
from tests.ui.conftest import wait_idle
from ui.app import RomahApp
from ui.main_window import MainWindow
from ui.profile.dialog import ProfileDialog
from ui.qt import QApplication, QEvent, QLineEdit, Qt, QWidget


def save_settings(qtbot: QtBot, app: RomahApp, lang: str | None = None) -> MainWindow:
    """Click Save on the Settings page (choosing `lang` first, if given); return the window
    shown afterwards, once every job has delivered and deleted windows are gone."""
    window = app.window
    assert window is not None
    window.show_page("settings")
    wait_idle(qtbot, app)
    page = window.settings_page
    if lang is not None:
        page.language.setCurrentIndex(page.language.findData(lang))
    with qtbot.waitSignal(page.sig_saved, timeout=10_000):
        qtbot.mouseClick(page.save, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)
    # What was put up for deletion is deleted now, as the event loop would do.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert app.window is not None
    return app.window


def listeners(app: RomahApp) -> tuple[int, int]:
    """How many connections the context's signals have (one per screen that listens)."""
    assert app.ctx is not None
    return (
        app.ctx.receivers(SIGNAL("sig_changed(PyObject)")),
        app.ctx.receivers(SIGNAL("sig_signed_out()")),
    )


def register_someone(qtbot: QtBot, app: RomahApp) -> None:
    """Register a person through the profile editor: a write every screen hears about."""
    assert app.ctx is not None
    dialog = ProfileDialog(app.ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    wait_idle(qtbot, app)
    fields = {
        "first_name": "Huda",
        "father_name": "Salim",
        "grandfather_name": "Nasser",
        "family_name": "Harbi",
        "national_id": make_national_id("166666666"),
        "birth_date": "1988-03-14",
    }
    for field, text in fields.items():
        widget: QWidget = dialog.inputs[field]
        edit = getattr(widget, "edit", widget)
        assert isinstance(edit, QLineEdit)
        edit.setText(text)
        edit.editingFinished.emit()
    gender = dialog.inputs["gender"]
    gender.setCurrentIndex(gender.findData("F"))  # type: ignore[attr-defined]
    wait_idle(qtbot, app)
    with qtbot.waitSignal(dialog.sig_saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)


def test_saving_settings_many_times_then_writing_raises_nothing(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    listening = listeners(romah_app)
    assert listening[0] > 0
    with qtbot.captureExceptions() as exceptions:
        window = main_window
        for _ in range(3):
            window = save_settings(qtbot, romah_app)
        # The language did not change: the window the user works in stays the same one.
        assert window is main_window and shiboken6.isValid(main_window)
        # A change of language rebuilds the window, once per change, on the Settings page.
        window = save_settings(qtbot, romah_app, "en")
        assert window is not main_window
        assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight
        assert window.stack.currentWidget() is window.settings_page
        assert not shiboken6.isValid(main_window)
        english = window
        window = save_settings(qtbot, romah_app)
        window = save_settings(qtbot, romah_app, "ar")
        assert window is not english
        assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
        window = save_settings(qtbot, romah_app)
        # The windows that went took their connections with them.
        assert listeners(romah_app) == listening
        # Later writes are heard by the screens of the window shown, and by nothing that went.
        register_someone(qtbot, romah_app)
        window = save_settings(qtbot, romah_app)
    assert [f"{kind.__name__}: {error}" for kind, error, _trace in exceptions] == []
    qtbot.waitUntil(lambda: "admin" in window.status.user.text())


def test_screens_listen_to_the_context_through_their_own_methods() -> None:
    """A lambda or a function connected to the context would outlive the screen it captures
    (and fail on its deleted widgets at the next write); a screen's own method is disconnected
    by Qt when the screen is destroyed."""
    ui = Path(__file__).resolve().parents[2] / "ui"
    wrong = []
    for path in sorted(ui.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "connect"
                and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr in {"sig_changed", "sig_signed_out"}
                and ast.unparse(node.func.value.value) in {"ctx", "self.ctx"}
            ):
                continue
            receiver = node.args[0] if node.args else None
            root = receiver
            while isinstance(root, ast.Attribute):
                root = root.value
            if not (
                isinstance(receiver, ast.Attribute)
                and isinstance(root, ast.Name)
                and root.id == "self"
            ):
                wrong.append(f"{path.relative_to(ui.parent)}:{node.lineno}")
    assert wrong == []
