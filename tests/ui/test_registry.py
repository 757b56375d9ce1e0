"""The beneficiary registry page, driven as a clerk would: search as you type in Arabic, by
national ID and mobile, filter, move with the keyboard and open a file."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from db.enums import Category, RegistrationStatus, Role
from romah_desktop.changes import Change
from romah_desktop.labels import label
from romah_desktop.services.people.beneficiaries import register_beneficiary
from romah_desktop.services.people.importer import import_beneficiaries
from romah_desktop.services.people.registry import RegistryRow
from romah_desktop.validation import make_national_id
from tests.helpers.people import person_form
from tests.ui.conftest import database_of, screenshot, type_text, wait_idle
from ui.app import RomahApp
from ui.i18n import set_language
from ui.main_window import MainWindow
from ui.pages.beneficiaries import BeneficiariesPage
from ui.qt import QApplication, Qt, QWidget
from ui.registry import model as registry_model
from ui.registry.model import PAGE_SIZE, BeneficiaryListModel, Column, RegistryRole


@dataclass(frozen=True)
class People:
    ahmad: str
    abdullah: str
    sara: str


def add_people(app: RomahApp) -> People:
    """Three people of the Riyadh branch, as the tests below expect them."""
    assert app.workspace is not None and app.ctx is not None
    admin = app.ctx.actor
    forms = {
        "ahmad": person_form(
            first_name="أحمد",
            father_name="سعيد",
            grandfather_name="إبراهيم",
            family_name="الغامدي",
            national_id=make_national_id("155500011"),
            phone="0551112233",
            city="الرياض",
            categories="widow",
        ),
        "abdullah": person_form(
            first_name="عبدالله",
            father_name="فهد",
            grandfather_name="ناصر",
            family_name="السبيعي",
            national_id=make_national_id("255500022"),
            phone="0562223344",
            city="الخرج",
            categories="orphan",
        ),
        "sara": person_form(
            first_name="سارة",
            father_name="خالد",
            grandfather_name="عمر",
            family_name="الحربي",
            national_id=make_national_id("155500033"),
            phone="0573334455",
            city="الدمام",
            categories="widow, low_income",
        ),
    }
    statuses = {
        "ahmad": RegistrationStatus.REGISTERED,
        "sara": RegistrationStatus.SUSPENDED,
    }
    ids: dict[str, str] = {}
    with app.workspace.transaction() as session:
        for name, form in forms.items():
            person = register_beneficiary(session, admin, form)
            # Test setup: the intake steps normally move the status.
            person.registration_status = statuses.get(name, RegistrationStatus.IN_PROGRESS)
            ids[name] = person.id
    return People(**ids)


def show_registry(qtbot: QtBot, app: RomahApp, window: MainWindow) -> BeneficiariesPage:
    """The registry page in the window (wired in, or added here), shown and loaded."""
    page = next((p for p in window.pages.values() if isinstance(p, BeneficiariesPage)), None)
    if page is None:
        page = BeneficiariesPage(window.ctx)
        window.add_page("beneficiaries", page.tr("Beneficiaries"), page)
    key = next(k for k, p in window.pages.items() if p is page)
    window.show_page(key)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 or page.empty.isVisible(), timeout=10_000)
    # The whole list is read after the first rows are painted; the count comes with it.
    loading = page.tr("Loading the beneficiaries…")
    qtbot.waitUntil(lambda: page.count.text() != loading, timeout=10_000)
    wait_idle(qtbot, app)
    return page


@pytest.fixture
def people(romah_app: RomahApp, main_window: MainWindow) -> People:
    return add_people(romah_app)


@pytest.fixture
def page(qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow, people: People):
    return show_registry(qtbot, romah_app, main_window)


def search(qtbot: QtBot, page: BeneficiariesPage, text: str) -> list[str]:
    """Type `text` into an emptied search box; return the ids on screen once they arrive."""
    page.search.clear()
    page.search.setFocus()
    with qtbot.waitSignal(page.sig_listed, timeout=10_000):
        type_text(page.search, text)
    assert page.search.text() == text
    return page.model.ids()


def shown_names(page: BeneficiariesPage) -> list[str]:
    model = page.model
    return [model.index(r, Column.NAME).data() for r in range(model.rowCount())]


@pytest.fixture
def profiles(page: BeneficiariesPage, monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The files the page asked the profile window to show (it is another screen's own;
    test_the_profile_opens_when_it_exists opens the real one)."""
    shown: list[str | None] = []
    monkeypatch.setattr(page, "_show_profile", shown.append)
    return shown


def close_profiles(page: BeneficiariesPage) -> None:
    """Put away the file windows the page opened (without their unsaved-changes question)."""
    for dialog in page.findChildren(QWidget):
        if dialog.isWindow() and dialog.isVisible():
            dialog.hide()
            dialog.deleteLater()


# --- the list ---------------------------------------------------------------------------------


def test_the_list_shows_every_file_with_its_facts_right_to_left(
    qtbot: QtBot, qtmodeltester, romah_app: RomahApp, page: BeneficiariesPage, people: People
) -> None:
    model = page.model
    assert model.ids() == [people.ahmad, people.abdullah, people.sara]  # by file number
    assert shown_names(page) == [
        "أحمد سعيد إبراهيم الغامدي",
        "عبدالله فهد ناصر السبيعي",
        "سارة خالد عمر الحربي",
    ]
    ahmad = [model.index(0, c).data() for c in Column]
    assert ahmad[Column.FILE_NUMBER].startswith("RYD-")
    assert ahmad[Column.NATIONAL_ID] == make_national_id("155500011")
    assert ahmad[Column.PHONE] == "0551112233"
    assert ahmad[Column.CITY] == "الرياض"
    assert ahmad[Column.STATUS] == label(RegistrationStatus.REGISTERED, "ar")
    assert ahmad[Column.CATEGORIES] == label(Category.WIDOW, "ar") == "أرملة"
    sara = model.index(2, Column.CATEGORIES).data()
    assert sara == f"{label(Category.LOW_INCOME, 'ar')}، {label(Category.WIDOW, 'ar')}"
    assert page.count.text() == "عدد الملفات: 3"
    assert isinstance(model.index(1, 0).data(RegistryRole.ROW), RegistryRow)
    assert model.index(1, 0).data(RegistryRole.ID) == people.abdullah
    # Reading order: the file number, the first column, is on the right in Arabic.
    assert page.layoutDirection() == Qt.LayoutDirection.RightToLeft
    table = page.table
    assert table.columnViewportPosition(Column.FILE_NUMBER) > table.columnViewportPosition(
        Column.NAME
    )
    qtmodeltester.check(model)
    wait_idle(qtbot, romah_app)
    screenshot(page.window(), "registry")


def test_the_model_passes_the_model_tester_while_rows_arrive(
    qtbot: QtBot, qtmodeltester, romah_app: RomahApp, main_window: MainWindow, people: People
) -> None:
    model = BeneficiaryListModel(main_window.ctx)
    qtmodeltester.check(model)  # empty
    model.set_ids([people.sara, "a-file-that-is-gone", people.ahmad])
    qtmodeltester.check(model)  # placeholders, the rows requested
    assert model.index(0, Column.NAME).data() == "جارٍ التحميل…"
    assert model.index(0, 0).data(RegistryRole.LOADED) is False
    with qtbot.waitSignal(model.sig_page_loaded, timeout=10_000):
        pass
    assert model.index(0, Column.NAME).data() == "سارة خالد عمر الحربي"
    assert model.index(1, Column.NAME).data() == "هذا الملف لم يعد متاحًا"
    assert model.index(1, 0).data(RegistryRole.ROW) is None
    assert model.index(1, 0).data(RegistryRole.LOADED) is True
    qtmodeltester.check(model)
    wait_idle(qtbot, romah_app)


def test_rows_scrolled_away_are_forgotten_and_fetched_again(
    qtbot: QtBot,
    romah_app: RomahApp,
    main_window: MainWindow,
    people: People,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(registry_model, "MAX_CACHED_ROWS", 2)  # 4,000 in the app
    model = BeneficiaryListModel(main_window.ctx)
    model.set_ids([people.ahmad, people.abdullah, people.sara])
    model.index(0, 0).data()  # the view asks: the page is fetched
    with qtbot.waitSignal(model.sig_page_loaded, timeout=10_000):
        pass
    assert [model.is_loaded(r) for r in range(3)] == [False, True, True]
    with qtbot.waitSignal(model.sig_page_loaded, timeout=10_000):
        assert model.index(0, Column.NAME).data() == "جارٍ التحميل…"
    assert model.index(0, Column.NAME).data() == "أحمد سعيد إبراهيم الغامدي"
    wait_idle(qtbot, romah_app)


# --- search as you type -----------------------------------------------------------------------


SEARCHES = [
    ("أحمد", ["ahmad"]),
    ("احمد", ["ahmad"]),  # without the hamza
    ("ابراهيم", ["ahmad"]),
    ("احمد الغام", ["ahmad"]),  # the last word still being typed
    ("عبد الله", ["abdullah"]),  # in two words
    ("عبدالله السبيعي", ["abdullah"]),
    ("ساره", ["sara"]),  # ة typed as ه
    (make_national_id("255500022"), ["abdullah"]),
    ("1555000", ["ahmad", "sara"]),  # the start of a national ID
    ("0551112233", ["ahmad"]),
    ("+966 57 333 4455", ["sara"]),
    ("٠٥٦٢٢٢٣٣٤٤", ["abdullah"]),  # Arabic-Indic digits
]


def test_search_as_you_type(qtbot: QtBot, page: BeneficiariesPage, people: People) -> None:
    # One window for every search: signing in is the slow part of a test.
    for text, expected in SEARCHES:
        found = search(qtbot, page, text)
        assert sorted(found) == sorted(getattr(people, name) for name in expected), text
        assert page.count.text() == f"النتائج المطابقة: {len(expected)}", text
        assert page.table.isVisible() and not page.empty.isVisible(), text


def test_clearing_the_search_shows_everyone_again(
    qtbot: QtBot, page: BeneficiariesPage, people: People
) -> None:
    assert search(qtbot, page, "السبيعي") == [people.abdullah]
    with qtbot.waitSignal(page.sig_listed, timeout=10_000) as listed:
        qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert listed.args == [3] and page.search.text() == ""
    assert page.model.ids() == [people.ahmad, people.abdullah, people.sara]


def test_no_match_says_so_in_place_of_the_list(
    qtbot: QtBot, page: BeneficiariesPage, people: People
) -> None:
    assert search(qtbot, page, "زبيدة") == []
    assert page.empty.isVisible() and not page.table.isVisible()
    assert page.empty.text().startswith("لا يوجد أحد يطابق «زبيدة».")
    assert page.count.text() == "النتائج المطابقة: 0"
    screenshot(page.window(), "registry_no_match")
    assert search(qtbot, page, "احمد") == [people.ahmad]
    assert page.table.isVisible() and not page.empty.isVisible()


# --- filters ----------------------------------------------------------------------------------


def choose(qtbot: QtBot, page: BeneficiariesPage, combo, value: str | None) -> list[str]:
    with qtbot.waitSignal(page.sig_listed, timeout=10_000):
        combo.setCurrentIndex(combo.findData(value))
    return page.model.ids()


def test_filters_by_status_and_category(
    qtbot: QtBot, page: BeneficiariesPage, people: People
) -> None:
    status, category = page.status_filter, page.category_filter
    assert status.itemText(0) == "كل الحالات"
    assert status.itemText(status.findData(RegistrationStatus.SUSPENDED.value)) == label(
        RegistrationStatus.SUSPENDED, "ar"
    )
    assert choose(qtbot, page, status, RegistrationStatus.REGISTERED.value) == [people.ahmad]
    assert choose(qtbot, page, status, RegistrationStatus.SUSPENDED.value) == [people.sara]
    assert choose(qtbot, page, status, None) == [people.ahmad, people.abdullah, people.sara]
    assert choose(qtbot, page, category, Category.WIDOW.value) == [people.ahmad, people.sara]
    assert choose(qtbot, page, category, Category.ORPHAN.value) == [people.abdullah]
    # A filter and a search together.
    assert choose(qtbot, page, category, Category.WIDOW.value) == [people.ahmad, people.sara]
    assert search(qtbot, page, "ساره") == [people.sara]
    assert choose(qtbot, page, status, RegistrationStatus.REGISTERED.value) == []
    assert page.empty.isVisible() and "ساره" in page.empty.text()
    page.search.clear()
    assert choose(qtbot, page, category, Category.ELDERLY.value) == []
    assert page.empty.text() == "لا توجد ملفات تطابق عوامل التصفية هذه."


# --- opening a file ---------------------------------------------------------------------------


def test_keyboard_type_down_enter_opens_the_file(
    qtbot: QtBot, page: BeneficiariesPage, people: People, profiles: list[str | None]
) -> None:
    assert sorted(search(qtbot, page, "1555000")) == sorted([people.ahmad, people.sara])
    second = page.model.ids()[1]
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.table.hasFocus()
    assert page.current_id() == page.model.ids()[0]
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.current_id() == second
    with qtbot.waitSignal(page.sig_open_file, timeout=1_000) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [second]
    assert profiles == [second]


def test_enter_in_the_search_box_opens_the_only_match(
    qtbot: QtBot, page: BeneficiariesPage, people: People, profiles: list[str | None]
) -> None:
    assert search(qtbot, page, "عبد الله") == [people.abdullah]
    with qtbot.waitSignal(page.sig_open_file, timeout=1_000) as opened:
        qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert opened.args == [people.abdullah]
    assert profiles == [people.abdullah]


def test_double_click_opens_the_file_once(
    qtbot: QtBot, page: BeneficiariesPage, people: People, profiles: list[str | None]
) -> None:
    opened: list[str] = []
    page.sig_open_file.connect(opened.append)
    table = page.table
    rect = table.visualRect(page.model.index(2, Column.NAME))
    # A real double-click is a press and release, then the double-click event.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [people.sara]
    assert profiles == [people.sara]


def test_the_profile_opens_when_it_exists(
    qtbot: QtBot, romah_app: RomahApp, page: BeneficiariesPage, people: People
) -> None:
    try:
        from ui.profile.dialog import ProfileDialog
    except ModuleNotFoundError:
        pytest.skip("the profile dialog is not part of this build yet")

    def open_dialogs() -> list[ProfileDialog]:
        return [d for d in page.findChildren(ProfileDialog) if d.isVisible()]

    page.open_file(people.ahmad)
    page.open_file(people.ahmad)  # a second time: the same window comes forward
    wait_idle(qtbot, romah_app)
    (ahmad,) = open_dialogs()
    assert ahmad.beneficiary_id == people.ahmad
    page.open_new_file()
    wait_idle(qtbot, romah_app)
    (new,) = [d for d in open_dialogs() if d is not ahmad]
    # The new person's window saves (as its Save button would): the list shows them, chosen.
    made: list[str] = []
    page.ctx.run(
        lambda session, actor: register_beneficiary(session, actor, person_form()).id,
        made.append,
        changes={Change.BENEFICIARY},
    )
    wait_idle(qtbot, romah_app)
    with qtbot.waitSignal(page.sig_listed, timeout=10_000):
        new.sig_saved.emit(made[0])
    assert page.current_id() == made[0]
    page.open_file(made[0])  # that window, not another
    page.open_new_file()  # a blank one for the next person
    wait_idle(qtbot, romah_app)
    assert len(open_dialogs()) == 3
    close_profiles(page)


def test_new_beneficiary_button_and_shortcut(
    qtbot: QtBot, page: BeneficiariesPage, profiles: list[str | None]
) -> None:
    assert page.new_file.isEnabled()
    with qtbot.waitSignal(page.sig_new_file, timeout=1_000):
        qtbot.mouseClick(page.new_file, Qt.MouseButton.LeftButton)
    page.search.setFocus()
    with qtbot.waitSignal(page.sig_new_file, timeout=1_000):
        qtbot.keyClick(page.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert profiles == [None, None]


def test_a_committee_member_can_look_but_not_register(
    qtbot: QtBot, romah_app: RomahApp, window_as
) -> None:
    window = window_as(Role.COMMITTEE_MEMBER)
    page = show_registry(qtbot, romah_app, window)
    assert page.empty.isVisible()
    assert page.empty.text() == "لا يوجد مستفيدون مسجَّلون بعد."
    assert not page.new_file.isEnabled()
    opened: list[bool] = []
    page.sig_new_file.connect(lambda: opened.append(True))
    qtbot.mouseClick(page.new_file, Qt.MouseButton.LeftButton)
    assert opened == []


def test_in_english_the_list_reads_left_to_right(
    qtbot: QtBot, qapp: QApplication, romah_app: RomahApp, main_window: MainWindow, people: People
) -> None:
    set_language(qapp, "en")
    page = BeneficiariesPage(main_window.ctx)
    qtbot.addWidget(page)
    page.resize(1000, 500)
    with qtbot.waitSignal(page.sig_listed, timeout=10_000):
        page.show()
    assert page.layoutDirection() == Qt.LayoutDirection.LeftToRight
    table = page.table
    assert table.columnViewportPosition(Column.FILE_NUMBER) < table.columnViewportPosition(
        Column.NAME
    )
    header = page.model.headerData(Column.NATIONAL_ID, Qt.Orientation.Horizontal)
    assert header == "ID number"
    assert page.count.text() == "Files: 3"
    assert page.model.index(0, Column.STATUS).data() == "Registered"
    screenshot(page, "registry_english")
    assert search(qtbot, page, "زبيدة") == []
    assert page.empty.text().startswith("No one matches “زبيدة”.")
    wait_idle(qtbot, romah_app)


# --- keeping up with changes ------------------------------------------------------------------


def test_a_new_registration_appears_without_losing_the_search(
    qtbot: QtBot, romah_app: RomahApp, page: BeneficiariesPage, people: People
) -> None:
    assert search(qtbot, page, "الغامدي") == [people.ahmad]
    form = person_form(first_name="خديجة", family_name="الغامدي")

    def register(session, actor) -> str:
        return register_beneficiary(session, actor, form).id

    made: list[str] = []
    with qtbot.waitSignal(page.sig_listed, timeout=10_000) as listed:
        page.ctx.run(register, made.append, changes={Change.BENEFICIARY})
    assert listed.args == [2]
    assert set(page.model.ids()) == {people.ahmad, made[0]}
    assert page.search.text() == "الغامدي"
    # The whole list read before the registration is not reused when the search is cleared.
    with qtbot.waitSignal(page.sig_listed, timeout=10_000) as listed:
        page.search.clear()
    assert listed.args == [4] and made[0] in page.model.ids()


def test_the_chosen_person_stays_chosen_when_the_list_is_read_again(
    qtbot: QtBot, page: BeneficiariesPage, people: People
) -> None:
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert page.current_id() == people.sara
    with qtbot.waitSignal(page.sig_listed, timeout=10_000):
        page.ctx.run(
            lambda session, actor: register_beneficiary(session, actor, person_form()),
            changes={Change.BENEFICIARY},
        )
    assert page.model.rowCount() == 4
    assert page.current_id() == people.sara
    # A new search starts on its best match, even when the chosen person is among the matches.
    found = search(qtbot, page, "1555000")
    assert people.sara in found and page.current_id() == found[0]


def test_signing_out_empties_the_list(
    qtbot: QtBot, romah_app: RomahApp, page: BeneficiariesPage
) -> None:
    model = page.model
    romah_app.ctx.sign_out()
    assert model.rowCount() == 0


# --- thousands of people ----------------------------------------------------------------------


def test_thousands_of_people_load_a_page_at_a_time(
    qtbot: QtBot, romah_app: RomahApp, main_window: MainWindow, tmp_path: Path
) -> None:
    people = 3_000
    LAST = ["family_name", "gender"]  # noqa: N806
    fathers = ("خالد", "سعد", "فهد", "ناصر", "علي")
    sheet = tmp_path / "people.csv"
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["national_id", "first_name", "father_name", "grandfather_name"] + LAST)
        writer.writerows(
            [make_national_id(f"1{n:08d}"), "محمد", fathers[n % 5], "سالم", "الشهري", "ذكر"]
            for n in range(people)
        )
    with database_of(romah_app) as workspace, workspace.transaction() as session:
        report = import_beneficiaries(session, main_window.ctx.actor, sheet)
    assert report.imported == people
    page = show_registry(qtbot, romah_app, main_window)
    model = page.model
    # The first page comes first; the whole list of ids follows in a second job.
    qtbot.waitUntil(lambda: model.rowCount() == people, timeout=10_000)
    wait_idle(qtbot, romah_app)
    assert page.count.text() == "عدد الملفات: 3,000"
    # Only what was on screen was fetched.
    assert model.is_loaded(0) and not model.is_loaded(people - 1)
    assert model.index(people - 1, 0).data(RegistryRole.ID) is not None
    with qtbot.waitSignal(model.sig_page_loaded, timeout=10_000) as loaded:
        page.table.scrollToBottom()
        QApplication.processEvents()
    assert loaded.args[0] >= people - 2 * PAGE_SIZE
    wait_idle(qtbot, romah_app)
    assert model.index(people - 1, Column.NAME).data() == "محمد علي سالم الشهري"  # 2,999 % 5 = 4
    # The search narrows 3,000 people as you type.
    assert len(search(qtbot, page, "محمد فه")) == people // 5
    assert page.count.text() == "النتائج المطابقة: 600"
    assert model.index(0, Column.NAME).data() == "محمد فهد سالم الشهري"
