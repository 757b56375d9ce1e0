"""Today, Requests, Contacts and the Library, driven in the real window as staff use them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
import shiboken6
import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from db.enums import Channel, RequestStatus, RequestType, Role
from db.models import Contact, User
from romah_desktop.changes import Change
from romah_desktop.dates import to_hijri
from romah_desktop.labels import label
from romah_desktop.services.committee.requests import create_request, submit_request
from romah_desktop.services.context import Actor
from romah_desktop.services.intake.contacts import log_contact
from romah_desktop.services.intake.declarations import sign_declaration
from romah_desktop.services.library import seed_relations_policy
from romah_desktop.services.people.beneficiaries import register_beneficiary
from romah_desktop.services.research import refer_to_research
from tests.helpers.people import person_form
from tests.ui.conftest import database_of, only_the_policy, screenshot, type_text, wait_idle
from ui import i18n
from ui.app import RomahApp
from ui.contacts_dialog import ContactDialog
from ui.main_window import MainWindow
from ui.pages.contacts import ContactsModel, ContactsPage
from ui.pages.library import LibraryPage
from ui.pages.requests import RequestDetailsDialog, RequestsModel, RequestsPage
from ui.pages.today import TodayPage
from ui.qt import QApplication, Qt, QWidget
from ui.widgets.tables import OVERDUE_BACKGROUND, RowRole, dual

PAGES: dict[str, type[QWidget]] = {
    "today": TodayPage,
    "requests": RequestsPage,
    "contacts": ContactsPage,
    "library": LibraryPage,
}


def snap(widget: QWidget, name: str) -> None:
    """A screenshot once the layout has caught up with the last change (no waiting)."""
    QApplication.processEvents()
    screenshot(widget, name)


def page(qtbot: QtBot, app: RomahApp, window: MainWindow, key: str) -> QWidget:
    """Show one of these pages in the window (added to it if the window does not have it)."""
    if not isinstance(window.pages.get(key), PAGES[key]):
        window.add_page(key, key, PAGES[key](window.ctx))
    window.show_page(key)
    wait_idle(qtbot, app)
    shown = window.pages[key]
    assert window.stack.currentWidget() is shown and shown.isVisible()
    return shown


def staff(app: RomahApp, role: Role) -> Actor:
    """Another user of the branch, for preparing records (nobody signs in as them)."""
    with database_of(app) as workspace, workspace.transaction() as session:
        admin = session.scalars(sa.select(User).where(User.username == "admin")).one()
        user = User(
            username=f"staff.{role.value}",
            full_name=f"موظف {role.value}",
            role=role,
            branch_id=admin.branch_id,
            password_hash="-",
        )
        session.add(user)
        session.flush()
        return Actor.of(user)


def person(app: RomahApp, clerk: Actor, **fields: str) -> str:
    with database_of(app) as workspace, workspace.transaction() as session:
        return register_beneficiary(session, clerk, person_form(**fields)).id


def submitted_request(app: RomahApp, clerk: Actor, beneficiary: str, days_ago: int) -> str:
    """A request submitted `days_ago` days ago: the committee's answer is due 14 days after."""
    with database_of(app) as workspace, workspace.transaction() as session:
        sign_declaration(
            session,
            clerk,
            beneficiary_id=beneficiary,
            signer_name="مقدم الطلب",
            text="أقر بصحة البيانات",
            signature_png=None,
        )
        request = create_request(
            session,
            clerk,
            beneficiary_id=beneficiary,
            request_type=RequestType.RENT,
            amount="2,500",
            justification="متأخرات إيجار",
            channel=Channel.INTERVIEW,
        )
        moment = datetime.now(UTC) - timedelta(days=days_ago)
        submit_request(session, clerk, request.id, now=moment)
        return request.id


def open_dialog(qtbot: QtBot, contacts: ContactsPage) -> ContactDialog:
    with qtbot.waitSignal(contacts.sig_dialog_opened) as opened:
        qtbot.mouseClick(contacts.log_button, Qt.MouseButton.LeftButton)
    dialog = opened.args[0]
    assert isinstance(dialog, ContactDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.focusWidget() is dialog.channel
    return dialog


def pick_person(qtbot: QtBot, dialog: ContactDialog, text: str) -> None:
    """Search the person by keyboard and take the first result with Enter."""
    with qtbot.waitSignal(dialog.picker.sig_results, timeout=15_000) as found:
        type_text(dialog.picker.query, text)
    assert found.args[0] >= 1
    with qtbot.waitSignal(dialog.picker.sig_picked):
        qtbot.keyClick(dialog.picker.query, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter in the search picks; it does not save
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.subject)
    assert not dialog.message.text()


def save_by_enter(qtbot: QtBot, dialog: ContactDialog) -> str:
    # The save queues on the worker behind the pages' first loads, which now import the
    # services after sign-in: on a loaded machine that has taken more than 5 s.
    with qtbot.waitSignal(dialog.sig_saved, timeout=15_000) as saved:
        qtbot.keyClick(dialog.subject, Qt.Key.Key_Return)
    return str(saved.args[0])


def shown_error(dialog: ContactDialog, field: str) -> str:
    error = dialog.errors[field]
    assert error.isVisible(), f"no message beside {field}"
    return error.text()


def wait_saved_and_idle(qtbot: QtBot, app: RomahApp) -> None:
    wait_idle(qtbot, app)


# --- contacts -------------------------------------------------------------------------------


def test_log_a_contact_by_keyboard_on_every_channel(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow], qtmodeltester
) -> None:
    window = window_as(Role.INTERVIEWER)
    clerk = window.ctx.actor
    person(romah_app, clerk, first_name="ريم", gender="أنثى")
    contacts = page(qtbot, romah_app, window, "contacts")
    assert isinstance(contacts, ContactsPage)
    qtmodeltester.check(contacts.model)
    assert contacts.log_button.isEnabled()
    saved: list[str] = []
    for number, channel in enumerate(Channel):
        dialog = open_dialog(qtbot, contacts)
        for _ in range(number):
            qtbot.keyClick(dialog.channel, Qt.Key.Key_Down)
        assert dialog.channel.currentData() == channel
        letter = channel == Channel.LETTER
        assert dialog.letter_reference.isVisible() == letter
        assert dialog.inputs["letter_date"].isVisible() == letter
        if number % 2 == 0:
            pick_person(qtbot, dialog, "ريم")
            assert "ريم" in dialog.person.text()
        else:
            dialog.inquiry.setFocus()
            qtbot.keyClick(dialog.inquiry, Qt.Key.Key_Space)
            assert dialog.inquiry.isChecked() and dialog.inquirer_name.isVisible()
            assert not dialog.picker.isVisible()
            type_text(dialog.inquirer_name, "سائل على قناة " + str(number))
            type_text(dialog.inquirer_phone, "0551234567")
        type_text(dialog.subject, f"استفسار {number}")
        if letter:
            # A letter needs its reference; a date that does not exist is explained beside it.
            dialog.inputs["letter_date"].setFocus()
            type_text(dialog.letter_date.edit, "1446/13/01 هـ")
            qtbot.keyClick(dialog.subject, Qt.Key.Key_Return)
            qtbot.waitUntil(lambda d=dialog: d.errors["letter_date"].isVisible())
            assert "الشهر" in shown_error(dialog, "letter_date")
            assert "يجب" in shown_error(dialog, "letter_reference")
            assert dialog.focusWidget() is dialog.letter_reference  # the first to correct
            assert dialog.isVisible() and dialog.subject.text() == f"استفسار {number}"
            assert dialog.letter_date.edit.text() == "1446/13/01 هـ"
            type_text(dialog.letter_reference, "1446/خ/77")
            dialog.letter_date.edit.clear()
            type_text(dialog.letter_date.edit, "1446/02/20 هـ")
            assert "2024/08/24" in dialog.letter_date.other.text()
        saved.append(save_by_enter(qtbot, dialog))
        wait_idle(qtbot, romah_app)
        qtbot.waitUntil(lambda d=dialog: not shiboken6.isValid(d))  # closed and let go

    assert contacts.model.rowCount() == 8
    rows = contacts.model.rows
    assert [r.id for r in rows] == list(reversed(saved))
    assert {r.channel for r in rows} == set(Channel)
    letter_row = next(r for r in rows if r.channel == Channel.LETTER)
    assert letter_row.letter_reference == "1446/خ/77"
    assert letter_row.letter_date == date(2024, 8, 24)
    model = contacts.model
    letter_index = model.index(rows.index(letter_row), ContactsModel.LETTER)
    # Both calendars in the cell, as every other date in the window (the finding: Hijri alone).
    assert letter_index.data() == "1446/خ/77 — 1446/02/20 هـ (2024/08/24 م)"
    assert "2024/08/24" in letter_index.data(Qt.ItemDataRole.ToolTipRole)
    when = model.index(rows.index(letter_row), ContactsModel.WHEN).data()
    assert " هـ (" in when and " م)" in when
    inquiry = next(r for r in rows if r.channel == Channel.PHONE)
    assert not inquiry.registered and inquiry.inquirer_phone == "+966551234567"
    assert model.index(rows.index(inquiry), ContactsModel.PERSON).data(
        Qt.ItemDataRole.ToolTipRole
    ) == ("0551234567")

    # The channel filter keeps one channel's contacts.
    contacts.channel.setCurrentIndex(contacts.channel.findData(Channel.WEBSITE))
    wait_idle(qtbot, romah_app)
    assert [r.channel for r in contacts.model.rows] == [Channel.WEBSITE]
    contacts.channel.setCurrentIndex(0)
    wait_idle(qtbot, romah_app)
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    snap(window, "contacts")


def test_bad_input_is_shown_beside_each_field_and_nothing_is_lost(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    window = window_as(Role.INTERVIEWER)
    contacts = page(qtbot, romah_app, window, "contacts")
    assert isinstance(contacts, ContactsPage)
    dialog = open_dialog(qtbot, contacts)
    # Registered person chosen but nobody picked: said beside the search.
    type_text(dialog.subject, "سؤال")
    qtbot.keyClick(dialog.subject, Qt.Key.Key_Return)
    assert shown_error(dialog, "beneficiary_id")
    assert dialog.focusWidget() is dialog.picker.query
    # An inquiry with every field wrong at once.
    dialog.inquiry.setFocus()
    qtbot.keyClick(dialog.inquiry, Qt.Key.Key_Space)
    type_text(dialog.inquirer_phone, "12345")
    dialog.subject.clear()
    type_text(dialog.notes, "ملاحظة مهمة")
    follow_up = dialog.follow_up_on.edit
    type_text(follow_up, "2020-01-01")
    qtbot.keyClick(dialog.inquirer_name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.errors["subject"].isVisible())
    assert not dialog.errors["beneficiary_id"].isVisible()
    for field in ("inquirer_name", "inquirer_phone", "subject", "follow_up_on"):
        assert any("\u0621" <= ch <= "\u064a" for ch in shown_error(dialog, field)), field
    assert dialog.focusWidget() is dialog.inquirer_name
    assert dialog.inquirer_phone.text() == "12345"
    assert dialog.notes.toPlainText() == "ملاحظة مهمة"
    assert follow_up.text() == "2020-01-01"
    snap(dialog, "contact_dialog_errors")

    # The same messages in English once the language is switched.
    i18n.set_language(romah_app.app, "en")
    qtbot.keyClick(dialog.inquirer_name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "follow-up" in dialog.errors["follow_up_on"].text())
    assert dialog.errors["subject"].isVisible()
    i18n.set_language(romah_app.app, "ar")

    # Corrected, it saves; nothing typed before had to be typed again.
    type_text(dialog.inquirer_name, "منيرة")
    dialog.inquirer_phone.clear()
    type_text(dialog.inquirer_phone, "٠٥٠١٢٣٤٥٦٧")
    type_text(dialog.subject, "كيف أسجل؟")
    follow_up.clear()
    contact_id = save_by_enter(qtbot, dialog)
    wait_idle(qtbot, romah_app)
    with database_of(romah_app) as workspace, workspace.db.session() as session:
        contact = session.get(Contact, contact_id)
        assert contact is not None and contact.beneficiary_id is None
        assert contact.inquirer_name == "منيرة" and contact.notes == "ملاحظة مهمة"
        assert contact.inquirer_phone == "+966501234567" and contact.follow_up_on is None


def test_the_dialog_from_a_persons_file(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow]
) -> None:
    window = window_as(Role.BRANCH_DELEGATE)
    beneficiary = person(romah_app, window.ctx.actor, first_name="سلمان")
    dialog = ContactDialog(window.ctx, beneficiary, window)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot, romah_app)
    assert "سلمان" in dialog.person.text()
    assert not dialog.picker.isVisible() and not dialog.registered.isVisible()
    for _ in range(list(Channel).index(Channel.BRANCH_DELEGATE)):
        qtbot.keyClick(dialog.channel, Qt.Key.Key_Down)
    type_text(dialog.subject, "زيارة ميدانية")
    type_text(dialog.follow_up_on.edit, to_hijri(date.today()))
    assert dialog.follow_up_on.other.text() == dual(date.today())
    snap(dialog, "contact_dialog")
    contact_id = save_by_enter(qtbot, dialog)
    wait_idle(qtbot, romah_app)
    with database_of(romah_app) as workspace, workspace.db.session() as session:
        contact = session.get(Contact, contact_id)
        assert contact is not None and contact.beneficiary_id == beneficiary
        assert contact.channel == Channel.BRANCH_DELEGATE


# --- today ----------------------------------------------------------------------------------


def test_a_follow_up_date_puts_the_contact_in_today(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow], qtmodeltester
) -> None:
    window = window_as(Role.INTERVIEWER)
    today_page = page(qtbot, romah_app, window, "today")
    assert isinstance(today_page, TodayPage)
    qtmodeltester.check(today_page.follow_ups)
    assert today_page.follow_ups.rowCount() == 0
    assert today_page.sections["follow_ups"].empty.isVisible()
    contacts = page(qtbot, romah_app, window, "contacts")
    assert isinstance(contacts, ContactsPage)
    dialog = open_dialog(qtbot, contacts)
    dialog.inquiry.setFocus()
    qtbot.keyClick(dialog.inquiry, Qt.Key.Key_Space)
    type_text(dialog.inquirer_name, "هند")
    type_text(dialog.subject, "تعود بالمستندات")
    type_text(dialog.follow_up_on.edit, to_hijri(date.today()))
    contact_id = save_by_enter(qtbot, dialog)
    wait_idle(qtbot, romah_app)

    # Another follow-up, due since yesterday; Today lists the most urgent one only.
    with database_of(romah_app) as workspace, workspace.transaction() as session:
        earlier = log_contact(
            session,
            window.ctx.actor,
            channel=Channel.PHONE,
            subject="وعد بالاتصال",
            inquirer_name="مها",
            follow_up_on=(date.today() - timedelta(days=1)).isoformat(),
            occurred_at=datetime.now(UTC) - timedelta(days=2),
        ).id
    today_page = window.pages["today"]
    assert isinstance(today_page, TodayPage)
    today_page.limit = 1
    page(qtbot, romah_app, window, "today")
    section = today_page.sections["follow_ups"]
    assert [r.id for r in today_page.follow_ups.rows] == [earlier]
    assert today_page.follow_ups.index(0, 0).data(RowRole.OVERDUE) is True  # late
    assert section.count.text() == "2" and section.more.isVisible()
    today_page.limit = 10
    today_page.refresh()
    wait_idle(qtbot, romah_app)
    assert [r.id for r in today_page.follow_ups.rows] == [earlier, contact_id]
    assert not section.more.isVisible() and section.view.isVisible()
    index = today_page.follow_ups.index(1, 0)
    assert index.data() == dual(date.today())
    assert not index.data(RowRole.OVERDUE)  # due today, not late
    assert today_page.follow_ups.index(1, 1).data() == "هند"
    assert not today_page.sections["referrals"].isVisible()  # not this role's work
    assert not today_page.sections["awaiting"].isVisible()

    # Done: it leaves the queue.
    section.view.setCurrentIndex(index)
    qtbot.mouseClick(today_page.done_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, romah_app)
    assert [r.id for r in today_page.follow_ups.rows] == [earlier]


def test_due_soon_and_overdue_requests_in_today_and_the_requests_list(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow], qtmodeltester
) -> None:
    window = window_as(Role.BRANCH_MANAGER)
    clerk = staff(romah_app, Role.INTERVIEWER)
    soon = submitted_request(romah_app, clerk, person(romah_app, clerk, first_name="فهد"), 12)
    late = submitted_request(romah_app, clerk, person(romah_app, clerk, first_name="نورة"), 20)
    later = submitted_request(romah_app, clerk, person(romah_app, clerk), 1)
    with database_of(romah_app) as workspace, workspace.transaction() as session:
        refer_to_research(
            session, clerk, beneficiary_id=person(romah_app, clerk), question="ما المستندات؟"
        )

    today_page = page(qtbot, romah_app, window, "today")
    assert isinstance(today_page, TodayPage)
    for model in (today_page.due_soon, today_page.overdue, today_page.referrals):
        qtmodeltester.check(model)
    assert [r.id for r in today_page.due_soon.rows] == [soon]
    assert today_page.due_soon.index(0, RequestsModel.DAYS).data() == "2"
    due = today_page.due_soon.index(0, RequestsModel.DUE).data()
    assert due == dual(date.today() + timedelta(days=2))
    assert [r.id for r in today_page.overdue.rows] == [late]
    late_index = today_page.overdue.index(0, RequestsModel.NUMBER)
    assert late_index.data(RowRole.OVERDUE) is True
    assert late_index.data(Qt.ItemDataRole.BackgroundRole) == OVERDUE_BACKGROUND
    assert "6" in today_page.overdue.index(0, RequestsModel.DAYS).data()
    assert today_page.due_soon.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert today_page.referrals.rowCount() == 1  # the manager answers referrals too
    assert not today_page.sections["awaiting"].isVisible()
    assert today_page.day is not None and later not in {r.id for r in today_page.day.due_soon}
    snap(window, "today")

    # Opening a late request from Today by keyboard shows it read-only.
    view = today_page.sections["overdue"].view
    view.setFocus()
    view.setCurrentIndex(late_index)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    details = today_page.details
    assert isinstance(details, RequestDetailsDialog)
    with qtbot.waitSignal(details.sig_loaded, timeout=15_000, raising=False):
        pass
    wait_idle(qtbot, romah_app)
    assert "نورة" in details.fields["person"].text()
    assert dual(date.today() - timedelta(days=6)) in details.fields["due"].text()
    assert details.decisions.count() == 1  # "no decision yet"
    snap(details, "request_details")
    details.close()

    requests = page(qtbot, romah_app, window, "requests")
    assert isinstance(requests, RequestsPage)
    qtmodeltester.check(requests.model)
    assert [r.id for r in requests.model.rows] == [later, late, soon]
    late_row = requests.model.row_of(late)
    assert requests.model.index(late_row, 0).data(RowRole.OVERDUE) is True
    assert requests.model.index(late_row, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert requests.model.index(requests.model.row_of(soon), 0).data(RowRole.OVERDUE) is False
    snap(window, "requests")

    # Filters: a status with no request, then a search by name.
    requests.status.setCurrentIndex(requests.status.findData(RequestStatus.APPROVED))
    wait_idle(qtbot, romah_app)
    assert requests.model.rowCount() == 0 and requests.count.text()
    requests.status.setCurrentIndex(requests.status.findData(RequestStatus.SUBMITTED))
    requests.request_type.setCurrentIndex(requests.request_type.findData(RequestType.RENT))
    wait_idle(qtbot, romah_app)
    assert requests.model.rowCount() == 3
    type_text(requests.query, "فهد")
    qtbot.keyClick(requests.query, Qt.Key.Key_Return)
    wait_idle(qtbot, romah_app)
    qtbot.waitUntil(lambda: [r.id for r in requests.model.rows] == [soon])
    # Select and press Enter: the request opens.
    requests.view.setFocus()
    requests.view.setCurrentIndex(requests.model.index(0, 0))
    with qtbot.waitSignal(requests.sig_opened):
        qtbot.keyClick(requests.view, Qt.Key.Key_Return)
    assert isinstance(requests.details, RequestDetailsDialog)
    wait_idle(qtbot, romah_app)
    assert requests.details.fields["status"].text() == label(RequestStatus.SUBMITTED)


def test_the_committee_sees_what_awaits_it(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow], qtmodeltester
) -> None:
    window = window_as(Role.COMMITTEE_MEMBER)
    clerk = staff(romah_app, Role.INTERVIEWER)
    first = submitted_request(romah_app, clerk, person(romah_app, clerk), 3)
    today_page = page(qtbot, romah_app, window, "today")
    assert isinstance(today_page, TodayPage)
    qtmodeltester.check(today_page.awaiting)
    assert today_page.sections["awaiting"].isVisible()
    assert not today_page.sections["follow_ups"].isVisible()
    assert [r.id for r in today_page.awaiting.rows] == [first]
    # Another request submitted meanwhile: the page follows the change.
    second = submitted_request(romah_app, clerk, person(romah_app, clerk), 5)
    window.ctx.sig_changed.emit({Change.REQUEST})
    wait_idle(qtbot, romah_app)
    assert [r.id for r in today_page.awaiting.rows] == [second, first]


def test_the_administrator_has_no_follow_ups_to_log(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow
) -> None:
    today_page = page(qtbot, romah_app, main_window, "today")
    assert isinstance(today_page, TodayPage)
    assert not today_page.sections["follow_ups"].isVisible()
    assert today_page.sections["overdue"].isVisible()
    contacts = page(qtbot, romah_app, main_window, "contacts")
    assert isinstance(contacts, ContactsPage)
    assert not contacts.log_button.isEnabled()


# --- paging ---------------------------------------------------------------------------------


def test_long_lists_are_fetched_a_page_at_a_time(
    qtbot: QtBot, romah_app: RomahApp, window_as: Callable[[Role], MainWindow], qtmodeltester
) -> None:
    window = window_as(Role.INTERVIEWER)
    with database_of(romah_app) as workspace, workspace.transaction() as session:
        for n in range(5):
            log_contact(
                session,
                window.ctx.actor,
                channel=Channel.WEBSITE,
                subject=f"سؤال {n}",
                inquirer_name="سائل",
            )
    contacts = page(qtbot, romah_app, window, "contacts")
    assert isinstance(contacts, ContactsPage)
    model = contacts.model
    qtmodeltester.check(model)
    model.page_size = 2
    loaded: list[int] = []
    model.sig_loaded.connect(loaded.append)
    contacts.reload()
    # The view has room for more: it asks for the next pages itself, one at a time.
    qtbot.waitUntil(lambda: model.rowCount() == 5 and not model.loading, timeout=15_000)
    wait_idle(qtbot, romah_app)
    assert loaded == [2, 4, 5] and not model.canFetchMore()
    assert [r.subject for r in model.rows] == [f"سؤال {n}" for n in (4, 3, 2, 1, 0)]
    # A refresh keeps everything that was scrolled to.
    contacts.refresh()
    wait_idle(qtbot, romah_app)
    assert model.rowCount() == 5


# --- library --------------------------------------------------------------------------------


def test_the_library_flags_an_overdue_review_and_searches(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow, qtmodeltester
) -> None:
    with database_of(romah_app) as workspace, workspace.transaction() as session:
        seed_relations_policy(session, main_window.ctx.actor)
    with database_of(romah_app) as workspace:
        only_the_policy(workspace)
    library = page(qtbot, romah_app, main_window, "library")
    assert isinstance(library, LibraryPage)
    qtmodeltester.check(library.model)
    qtmodeltester.check(library.proxy)
    assert library.model.rowCount() == 1
    index = library.proxy.index(0, 0)
    assert index.data(RowRole.OVERDUE) is True  # review was due 2024-12-25
    assert index.data(Qt.ItemDataRole.BackgroundRole) == OVERDUE_BACKGROUND
    # Hijri and Gregorian; the isolate keeps the Gregorian date in order in a right-to-left line.
    assert library.proxy.index(0, 3).data() == "1446/02/25 هـ (2024/08/29 م)"
    assert library.proxy.index(0, 4).data() == dual(date(2024, 12, 25))
    assert "لجنة البحث" in library.body.toPlainText()
    assert "2024/12/25" in library.title.text()
    snap(main_window, "library")

    type_text(library.query, "العلاقه")  # ة typed as ه still finds it
    assert library.proxy.rowCount() == 1
    library.query.clear()
    type_text(library.query, "اسبوعين")  # a word of the text, without hamza
    assert library.proxy.rowCount() == 1
    type_text(library.query, " كلمة-غير-موجودة")
    assert library.proxy.rowCount() == 0
    assert library.body.toPlainText() == ""
    library.query.clear()
    assert library.proxy.rowCount() == 1 and library.body.toPlainText()


@pytest.mark.parametrize("role", [Role.SOCIAL_RESEARCHER])
def test_a_researcher_sees_open_referrals(
    qtbot: QtBot,
    romah_app: RomahApp,
    window_as: Callable[[Role], MainWindow],
    qtmodeltester,
    role: Role,
) -> None:
    window = window_as(role)
    clerk = staff(romah_app, Role.INTERVIEWER)
    with database_of(romah_app) as workspace, workspace.transaction() as session:
        refer_to_research(
            session,
            clerk,
            beneficiary_id=person(romah_app, clerk, first_name="لمى", gender="أنثى"),
            question="هل يلزم صك الطلاق؟",
            assigned_to_user_id=window.ctx.actor.user_id,
        )
    today_page = page(qtbot, romah_app, window, "today")
    assert isinstance(today_page, TodayPage)
    qtmodeltester.check(today_page.referrals)
    assert today_page.sections["referrals"].isVisible()
    assert today_page.referrals.rowCount() == 1
    assert today_page.referrals.index(0, 1).data().startswith("لمى")
    assert today_page.referrals.index(0, 3).data() == "هل يلزم صك الطلاق؟"
