"""The administrator's branches and users pages, in a real browser, against a real HQ process;
what they change reaches an enrolled laptop of the branch at its next sync."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from db.enums import Role
from db.models import Branch, User
from romah_desktop import settings
from romah_desktop.workspace import Workspace
from sync.client import SyncClient
from sync.server.console import auth
from sync.server.console.audit import recent
from tests.console.conftest import CONSOLE_PASSWORD, screenshot, sign_in, submit
from tests.sync.helpers import HQProcess


def _errors(page: object, form: str) -> str:
    return str(page.inner_text(form))  # type: ignore[attr-defined]


def test_a_branch_is_added_and_bad_input_keeps_what_was_typed(
    page: object, hq_server: HQProcess, tmp_path: Path
) -> None:
    sign_in(page, "amal")
    page.click("nav.main >> text=الفروع")  # type: ignore[attr-defined]
    assert page.url.endswith("/console/branches")  # type: ignore[attr-defined]
    assert "فرع الرياض" in page.inner_text("#branches")  # type: ignore[attr-defined]

    page.fill("#add-branch input[name=code]", "د1")  # type: ignore[attr-defined]
    page.fill("#add-branch input[name=phone]", "12ab")  # type: ignore[attr-defined]
    page.fill("#add-branch textarea[name=address]", "حي الشاطئ")  # type: ignore[attr-defined]
    assert submit(page, "#add-branch") == 400
    text = _errors(page, "#add-branch")
    assert "بعض الحقول تحتاج إلى تصحيح" in text
    assert "رمز الفرع من 2 إلى 10 أحرف لاتينية" in text
    assert "يجب تعبئة هذا الحقل" in text
    assert "هذا ليس رقم هاتف سعوديًا" in text
    assert page.input_value("#add-branch input[name=code]") == "د1"  # type: ignore[attr-defined]
    assert page.input_value("#add-branch input[name=phone]") == "12ab"  # type: ignore[attr-defined]
    assert page.input_value("#add-branch textarea[name=address]") == "حي الشاطئ"  # type: ignore[attr-defined]
    screenshot(page, "branches-bad-input", tmp_path)

    page.fill("#add-branch input[name=code]", "ryd")  # type: ignore[attr-defined]
    page.fill("#add-branch input[name=name]", "فرع الدمام")  # type: ignore[attr-defined]
    page.fill("#add-branch input[name=phone]", "013 812 3456")  # type: ignore[attr-defined]
    assert submit(page, "#add-branch") == 400
    assert "يوجد فرع برمز RYD من قبل" in _errors(page, "#add-branch")
    assert page.input_value("#add-branch input[name=name]") == "فرع الدمام"  # type: ignore[attr-defined]

    page.fill("#add-branch input[name=code]", "dmm")  # type: ignore[attr-defined]
    assert submit(page, "#add-branch") == 200
    assert "أُضيف الفرع DMM" in page.inner_text("main .notice")  # type: ignore[attr-defined]
    row = page.inner_text("#branches tr[data-code=DMM]")  # type: ignore[attr-defined]
    assert "فرع الدمام" in row and "013 812 3456" in row and "حي الشاطئ" in row
    screenshot(page, "branches", tmp_path)
    assert [("branch_add", "DMM")] == [
        (a["action"], a["target"]) for a in recent(hq_server.hub.engine) if a["action"] != "sign_in"
    ]


def test_a_branch_and_its_users_changed_in_the_console_reach_its_laptop(
    page: object, hq_server: HQProcess, laptop: tuple[Workspace, SyncClient], tmp_path: Path
) -> None:
    workspace, client = laptop
    sign_in(page, "amal")
    page.goto("/console/branches")  # type: ignore[attr-defined]
    page.click("#branches tr[data-code=RYD] >> text=تعديل الفرع")  # type: ignore[attr-defined]
    assert page.input_value("#edit-branch input[name=phone]") == "+966112345678"  # type: ignore[attr-defined]
    assert "laptop" in page.inner_text("#branch-laptops")  # type: ignore[attr-defined]
    page.fill("#edit-branch input[name=phone]", "0114567890")  # type: ignore[attr-defined]
    page.fill("#edit-branch textarea[name=address]", "الرياض، حي الملز")  # type: ignore[attr-defined]
    assert submit(page, "#edit-branch") == 200
    assert "حُفظ الفرع" in page.inner_text("main .notice")  # type: ignore[attr-defined]
    screenshot(page, "branch", tmp_path)

    # A branch user: bad input first, then good, then a role and the account disabled.
    page.click("nav.main >> text=المستخدمون")  # type: ignore[attr-defined]
    page.select_option("#add-user select[name=branch]", label="فرع الرياض (RYD)")  # type: ignore[attr-defined]
    page.fill("#add-user input[name=username]", "Nora Q")  # type: ignore[attr-defined]
    page.fill("#add-user input[name=full_name]", "نورة الدوسري")  # type: ignore[attr-defined]
    page.select_option("#add-user select[name=role]", "social_researcher")  # type: ignore[attr-defined]
    page.fill("#add-user input[name=password]", "short")  # type: ignore[attr-defined]
    assert submit(page, "#add-user") == 400
    text = _errors(page, "#add-user")
    assert "يتكون اسم المستخدم من 2 إلى 60 حرفًا لاتينيًا" in text
    assert "يجب ألا يقل طول كلمة المرور عن 8 أحرف" in text
    assert page.input_value("#add-user input[name=full_name]") == "نورة الدوسري"  # type: ignore[attr-defined]
    assert page.input_value("#add-user select[name=role]") == "social_researcher"  # type: ignore[attr-defined]
    screenshot(page, "users-bad-input", tmp_path)
    page.fill("#add-user input[name=username]", "nora")  # type: ignore[attr-defined]
    page.fill("#add-user input[name=password]", "nora-pass-1")  # type: ignore[attr-defined]
    assert submit(page, "#add-user") == 200
    assert "أُضيف المستخدم nora" in page.inner_text("main .notice")  # type: ignore[attr-defined]
    row = page.inner_text("#branch-users tr[data-username=nora]")  # type: ignore[attr-defined]
    assert "أخصائي" in row or "البحث" in row, row
    screenshot(page, "users", tmp_path)

    client.sync()
    with workspace.db.session() as session:
        branch = session.scalars(sa.select(Branch).where(Branch.code == "RYD")).one()
        assert (branch.phone, branch.address) == ("0114567890", "الرياض، حي الملز")
        nora = session.scalars(sa.select(User).where(User.username == "nora")).one()
        assert (nora.full_name, nora.role, nora.active) == (
            "نورة الدوسري",
            Role.SOCIAL_RESEARCHER,
            True,
        )

    page.click("#branch-users tr[data-username=nora] >> text=إدارة المستخدم")  # type: ignore[attr-defined]
    page.select_option("#user-role select[name=role]", "branch_manager")  # type: ignore[attr-defined]
    assert submit(page, "#user-role") == 200
    page.fill("#user-password input[name=password]", "abc")  # type: ignore[attr-defined]
    assert submit(page, "#user-password") == 400
    assert "يجب ألا يقل طول كلمة المرور عن 8 أحرف" in _errors(page, "#user-password")
    page.once("dialog", lambda dialog: dialog.accept())  # type: ignore[attr-defined]
    assert submit(page, "#user-active") == 200
    assert "عُطّل المستخدم nora" in page.inner_text("main .notice")  # type: ignore[attr-defined]
    screenshot(page, "user", tmp_path)

    client.sync()
    with workspace.db.session() as session:
        nora = session.scalars(sa.select(User).where(User.username == "nora")).one()
        assert (nora.role, nora.active) == (Role.BRANCH_MANAGER, False)
    actions = [a["action"] for a in reversed(recent(hq_server.hub.engine))]
    assert actions[-4:] == ["branch_edit", "user_add", "user_role", "user_disable"]


def test_branch_settings_set_in_the_console_are_what_the_branchs_laptop_uses(
    page: object, hq_server: HQProcess, laptop: tuple[Workspace, SyncClient], tmp_path: Path
) -> None:
    workspace, client = laptop
    sign_in(page, "amal")
    page.goto("/console/branches")  # type: ignore[attr-defined]
    page.click("#branches tr[data-code=RYD] >> text=تعديل الفرع")  # type: ignore[attr-defined]
    form = "#branch-settings"
    assert "الإعدادات التي تتلقاها أجهزة الفرع" in page.inner_text("main")  # type: ignore[attr-defined]
    page.fill(f"{form} input[name=committee_answer_days]", "0")  # type: ignore[attr-defined]
    assert submit(page, form) == 400
    assert "اختر عددًا من 1 إلى 90" in _errors(page, form)
    assert page.input_value(f"{form} input[name=committee_answer_days]") == "0"  # type: ignore[attr-defined]
    page.fill(f"{form} input[name=committee_answer_days]", "10")  # type: ignore[attr-defined]
    assert submit(page, form) == 200
    assert "حُفظت إعدادات الفرع" in page.inner_text("main .notice")  # type: ignore[attr-defined]
    assert page.input_value(f"{form} input[name=committee_answer_days]") == "10"  # type: ignore[attr-defined]
    assert page.input_value(f"{form} input[name=lockout_attempts]") == ""  # type: ignore[attr-defined]
    screenshot(page, "branch-settings", tmp_path)

    client.sync()
    with workspace.db.session() as session:
        assert settings.get(session, "committee_answer_days") == 10
        assert settings.set_by_hq(session) == {"committee_answer_days"}
    assert "branch_settings" in [a["action"] for a in recent(hq_server.hub.engine)]


def test_an_hq_steward_is_added_signs_in_and_an_administrator_unlocks_an_account(
    page: object, hq_server: HQProcess, tmp_path: Path
) -> None:
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(auth.SignInRefused):
            auth.sign_in(hq_server.hub.engine, "sara", "wrong password")
    sign_in(page, "amal")
    page.goto("/console/users")  # type: ignore[attr-defined]
    assert "مقفل" in page.inner_text("#hq-users tr[data-username=sara]")  # type: ignore[attr-defined]

    page.fill("#add-hq-user input[name=username]", "sami")  # type: ignore[attr-defined]
    page.fill("#add-hq-user input[name=full_name]", "سامي الحربي")  # type: ignore[attr-defined]
    page.select_option("#add-hq-user select[name=role]", "hq_steward")  # type: ignore[attr-defined]
    page.fill("#add-hq-user input[name=password]", "short")  # type: ignore[attr-defined]
    assert submit(page, "#add-hq-user") == 400
    assert "يجب ألا يقل طول كلمة المرور عن 8 أحرف" in _errors(page, "#add-hq-user")
    assert page.input_value("#add-hq-user input[name=full_name]") == "سامي الحربي"  # type: ignore[attr-defined]
    page.fill("#add-hq-user input[name=password]", "sami-pass-1")  # type: ignore[attr-defined]
    assert submit(page, "#add-hq-user") == 200
    assert "أُضيف مستخدم المركز الرئيسي sami" in page.inner_text("main .notice")  # type: ignore[attr-defined]

    # The administrator's own account: no way to disable it, and no demotion.
    page.click("#hq-users tr[data-username=amal] >> text=إدارة المستخدم")  # type: ignore[attr-defined]
    assert page.query_selector("#user-active") is None  # type: ignore[attr-defined]
    page.select_option("#user-role select[name=role]", "hq_auditor")  # type: ignore[attr-defined]
    submit(page, "#user-role")
    assert "لا يمكنك تعطيل حسابك" in page.inner_text("main .problem")  # type: ignore[attr-defined]
    screenshot(page, "user-hq-self", tmp_path)

    page.goto("/console/users")  # type: ignore[attr-defined]
    page.click("#hq-users tr[data-username=sara] >> text=إدارة المستخدم")  # type: ignore[attr-defined]
    screenshot(page, "user-hq-locked", tmp_path)
    assert submit(page, "#user-unlock") == 200
    assert "فُك قفل حساب sara" in page.inner_text("main .notice")  # type: ignore[attr-defined]
    screenshot(page, "users-hq", tmp_path)

    sign_in(page, "sara", CONSOLE_PASSWORD)
    assert page.url.endswith("/console/")  # type: ignore[attr-defined]
    sign_in(page, "sami", "sami-pass-1")
    assert page.url.endswith("/console/")  # type: ignore[attr-defined]
    assert "سامي الحربي" in page.inner_text("header")  # type: ignore[attr-defined]
    assert "المستخدمون" not in page.inner_text("nav.main")  # type: ignore[attr-defined]
    answer = page.goto("/console/users")  # type: ignore[attr-defined]
    assert answer.status == 403
    actions = [a["action"] for a in recent(hq_server.hub.engine)]
    assert "hq_user_add" in actions and "hq_user_unlock" in actions
