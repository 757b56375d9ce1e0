"""The branch's details: the manager sets the name, phone, address and working days; each wrong
value is refused with its Arabic message and nothing is written; an enrolled laptop keeps what
HQ sets; the receipt prints the phone that was set."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import sqlalchemy as sa

from db.base import utcnow
from db.enums import Role
from db.models import AuditEvent, Branch, Device, OutboxEntry
from romah_desktop import settings
from romah_desktop.errors import FormErrors, PermissionDenied
from romah_desktop.printing import FormKind, render_form
from romah_desktop.services.branch import branch_details, update_branch_details
from romah_desktop.services.context import Actor, this_device
from romah_desktop.workspace import Workspace
from tests.romah_desktop.printing.conftest import nfkc, record_of
from tests.romah_desktop.printing.scenario import build

WEEK = ("sun", "mon", "tue", "wed", "thu")


def _messages(error: FormErrors) -> dict[str, str]:
    return {e.field: e.text("ar") for e in error.errors}


def test_the_manager_sets_the_details_and_it_is_audited(workspace: Workspace, admin: Actor) -> None:
    with workspace.transaction() as session:
        saved = update_branch_details(
            session,
            admin,
            "  فرع الرياض - الملقا ",
            "٠١١٢٣٤٥٦٧٨",  # Arabic-Indic digits, as a keyboard may type them
            "الرياض، حي الملقا",
            ["sat", *WEEK],
        )
    assert saved.name == "فرع الرياض - الملقا" and saved.phone == "0112345678"
    assert saved.working_days == (*WEEK, "sat") and not saved.from_hq
    with workspace.db.session() as session:
        assert branch_details(session) == saved
        [event] = session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "branch.details")
        ).all()
        # The fields that changed, not their values.
        assert event.details == {"fields": ["address", "name", "phone", "working_days"]}
        # A standalone laptop's branch record goes to the outbox like any change.
        assert session.scalar(sa.select(sa.func.count()).where(OutboxEntry.table_name == "branch"))
    with workspace.transaction() as session:
        update_branch_details(
            session, admin, saved.name, "0112345678", "الرياض، حي الملقا", [*WEEK, "sat"]
        )
    with workspace.db.session() as session:  # nothing changed: nothing audited
        assert (
            session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "branch.details"))
            == 1
        )


def test_bad_details_are_refused_in_arabic_and_nothing_is_written(
    workspace: Workspace, admin: Actor
) -> None:
    with pytest.raises(FormErrors) as refused, workspace.transaction() as session:
        update_branch_details(session, admin, "   ", "12345", "x" * 301, ["sun", "friday"])
    messages = _messages(refused.value)
    assert set(messages) == {"name", "phone", "address", "working_days"}
    assert "يجب تعبئة" in messages["name"]
    assert "رقم هاتف سعوديًا" in messages["phone"]
    assert "sun" in messages["working_days"] and "اكتب الأيام" in messages["working_days"]
    with pytest.raises(FormErrors) as no_day, workspace.transaction() as session:
        update_branch_details(session, admin, "فرع الرياض", "", "", [])
    assert _messages(no_day.value) == {"working_days": "اختر يوم عمل واحدًا على الأقل."}
    with workspace.db.session() as session:
        details = branch_details(session)
        assert (details.name, details.phone, details.working_days) == ("فرع الرياض", None, WEEK)
        assert not session.scalar(
            sa.select(sa.func.count()).where(AuditEvent.action == "branch.details")
        )


def test_only_who_changes_the_settings_changes_the_details(
    workspace: Workspace, actor_for: Callable[[Role], Actor]
) -> None:
    for role in (Role.INTERVIEWER, Role.SOCIAL_RESEARCHER, Role.COMMITTEE_MEMBER):
        with pytest.raises(PermissionDenied), workspace.transaction() as session:
            update_branch_details(session, actor_for(role), "فرع مزور", "", "", WEEK)
    with workspace.db.session() as session:
        assert branch_details(session).name == "فرع الرياض"


def test_an_enrolled_laptop_keeps_what_hq_sets(workspace: Workspace, admin: Actor) -> None:
    with workspace.transaction() as session:
        device = this_device(session)
        session.execute(
            sa.update(Device).where(Device.id == device.device_id).values(enrolled_at=utcnow())
        )
        session.execute(
            sa.update(Branch).where(Branch.id == device.branch_id).values(phone="0114567890")
        )
    with pytest.raises(FormErrors) as refused, workspace.transaction() as session:
        update_branch_details(session, admin, "فرع آخر", "0500000000", "", WEEK)
    messages = _messages(refused.value)
    assert set(messages) == {"name", "phone"}
    assert "المركز الرئيسي" in messages["phone"]
    # The laptop's own working days stay its own until HQ sets them.
    with workspace.transaction() as session:
        saved = update_branch_details(session, admin, "فرع الرياض", "0114567890", "", WEEK[:4])
    assert saved.from_hq and saved.working_days == WEEK[:4] and not saved.working_days_from_hq
    with workspace.transaction() as session:
        session.execute(
            sa.update(Branch)
            .where(Branch.id == this_device(session).branch_id)
            .values(settings={"working_days": "sat sun mon tue wed"})  # not as HQ writes it
        )
    with workspace.db.session() as session:
        assert not branch_details(session).working_days_from_hq  # a malformed value is ignored
    with workspace.transaction() as session:
        session.execute(
            sa.update(Branch)
            .where(Branch.id == this_device(session).branch_id)
            .values(settings={"working_days": "sun mon tue wed sat"})
        )
    with pytest.raises(FormErrors) as days, workspace.transaction() as session:
        update_branch_details(session, admin, "فرع الرياض", "0114567890", "", WEEK)
    assert set(_messages(days.value)) == {"working_days"}
    with workspace.db.session() as session:
        details = branch_details(session)
        assert details.working_days_from_hq
        assert details.working_days == ("sun", "mon", "tue", "wed", "sat")


def test_the_working_days_setting_is_checked_like_every_setting() -> None:
    days = settings.SETTINGS["working_days"]
    assert settings.checked(days, "THU, sun ،mon") == "sun mon thu"
    assert settings.branch_settings_problem({"working_days": "sun mon"}) is None
    assert settings.branch_settings_problem({"working_days": "someday"}) is not None
    assert settings.branch_settings_problem({"working_days": 5}) is not None


def test_the_receipt_prints_the_phone_the_manager_set(tmp_path: Path) -> None:
    branch = build(tmp_path)
    try:
        manager = branch[Role.BRANCH_MANAGER]
        with branch.ws.transaction() as session:
            update_branch_details(
                session, manager, "فرع الرياض", "0115550123", "الرياض، حي النخيل", WEEK
            )
        with branch.ws.transaction() as session:
            data = render_form(
                session,
                branch[Role.INTERVIEWER],
                FormKind.RECEIPT,
                record_of(branch, FormKind.RECEIPT),
            )
        # As Chrome's and Edge's viewers read it (PDFium).
        document = pdfium.PdfDocument(data)
        try:
            text = nfkc("".join(page.get_textpage().get_text_range() for page in document))
        finally:
            document.close()
        assert "0115550123" in text
        assert "حي النخيل" in text
    finally:
        branch.ws.close()
