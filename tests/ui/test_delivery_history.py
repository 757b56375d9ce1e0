"""The deliveries already made on a request, as its delivery form lists them: each says whether
the beneficiary signed the receipt on the screen or on paper."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from db.enums import Role, ServiceType
from romah_desktop.services.delivery import deliver_service
from tests.romah_desktop.printing.scenario import signature_png
from tests.ui.conftest import database_of, wait_idle
from tests.ui.test_followthrough import approved_request, snap
from ui.app import RomahApp
from ui.main_window import MainWindow
from ui.pages.delivery import DeliveryDialog

SIGNED_ON_SCREEN = "الإيصال موقَّع على الشاشة"
SIGNED_ON_PAPER = "الإيصال موقَّع ورقيًا"


def test_the_delivery_history_says_how_each_receipt_was_signed(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    window = window_as(Role.INTERVIEWER)
    clerk = window.ctx.actor
    _person, request = approved_request(romah_app, clerk, approved="1,000")
    with database_of(romah_app) as workspace, workspace.transaction() as session:
        for amount, signature in (("300", signature_png()), ("200", None)):
            deliver_service(
                session,
                clerk,
                request_id=request,
                service_type=ServiceType.RENT,
                amount=amount,
                items=None,
                delivered_on=None,
                signature_png=signature,
                attachments_dir=workspace.attachments_dir,
            )
    dialog = DeliveryDialog(window.ctx, request, window)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.sig_loaded, timeout=15_000):
        dialog.show()
    wait_idle(qtbot, romah_app)
    assert dialog.history.isVisible() and dialog.history.count() == 2
    signed, on_paper = (dialog.history.item(n).text() for n in range(2))
    assert "300.00" in signed and SIGNED_ON_SCREEN in signed and SIGNED_ON_PAPER not in signed
    assert "200.00" in on_paper and SIGNED_ON_PAPER in on_paper
    assert SIGNED_ON_SCREEN not in on_paper
    snap(dialog, "delivery_history_signed")
