"""Tests of the staff's reference library and its review dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from db.base import utcnow
from db.enums import ReferenceKind, Role
from db.models import ReferenceDocument
from db.models.local import OutboxEntry
from romah_desktop.errors import Conflict, FormErrors, NotFound, PermissionDenied
from romah_desktop.labels import label
from romah_desktop.services.library import (
    RELATIONS_POLICY_TITLE,
    document_versions,
    library_titles,
    publish_reference,
    reference_documents,
    search_library,
    seed_relations_policy,
)
from romah_desktop.workspace import Workspace
from tests.conftest import ADMIN_PASSWORD
from tests.romah_desktop.test_intake import (
    World,
    arabic,
    field_error,
    make_world,
    refused,
    world_fixture,
)

world = world_fixture("library")


def publish(world: World, **changes: Any) -> str:
    """Publish a document as head office; return its id."""
    values: dict[str, Any] = {
        "kind": ReferenceKind.RESEARCH_GUIDE,
        "title": "دليل خدمات البحث الاجتماعي",
        "version": "1.0",
        "approved_on": "2024-01-10",
        "review_due_on": "2025-01-10",
        "body": None,
        **changes,
    }
    with world.ws.transaction() as session:
        return publish_reference(session, world[Role.HQ_ADMIN], **values).id


def empty_library(world: World) -> None:
    """Take the documents a new workspace starts with out of its library (tombstoned), for the
    tests that publish their own from nothing."""
    with world.ws.transaction() as session:
        for document in session.scalars(sa.select(ReferenceDocument)):
            document.deleted_at = utcnow()


def test_the_relations_policy_is_seeded_with_its_dates(tmp_path: Path) -> None:
    mine = make_world(tmp_path)
    admin = mine[Role.HQ_ADMIN]
    with mine.ws.transaction() as session:
        policy = seed_relations_policy(session, admin)
        policy_id = policy.id
        assert policy.kind == ReferenceKind.RELATIONS_POLICY
        assert policy.title == RELATIONS_POLICY_TITLE
        # Approved on 1446/02/25 هـ, which is 2024-08-29; review expected on 2024-12-25.
        assert policy.approved_on == date(2024, 8, 29)
        assert policy.review_due_on == date(2024, 12, 25)
        assert policy.body is not None and "\n" not in policy.body  # one paragraph
        assert "لجنة البحث" in policy.body
    # Seeding again changes nothing.
    with mine.ws.db.session() as session:
        count = session.scalar(sa.select(sa.func.count()).select_from(ReferenceDocument))
    with mine.ws.transaction() as session:
        assert seed_relations_policy(session, admin).id == policy_id
    with mine.ws.db.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(ReferenceDocument)) == count
        clerk = mine.clerk
        before_review = reference_documents(session, clerk, date(2024, 12, 25))
        assert {d.id: overdue for d, overdue in before_review}[policy_id] is False
        after_review = reference_documents(session, clerk, date(2024, 12, 26))
        assert {d.id: overdue for d, overdue in after_review}[policy_id] is True
    assert label(ReferenceKind.RELATIONS_POLICY, "ar") == "سياسة تنظيم العلاقة مع المستفيدين"
    mine.ws.close()


def test_a_new_version_replaces_the_old_one_in_the_library(world: World) -> None:
    empty_library(world)
    title = "اللائحة الأساسية للجمعية"
    old = publish(world, kind=ReferenceKind.BYLAWS, title=title, review_due_on=None)
    new = publish(
        world,
        kind=ReferenceKind.BYLAWS,
        title=title,
        version="2.0",
        approved_on="1446/06/01 هـ",
        review_due_on="1447/06/01 هـ",
        body="نص اللائحة",
    )
    with world.ws.db.session() as session:
        listed = reference_documents(session, world.clerk, date(2025, 1, 1))
        ids = [d.id for d, _ in listed]
        assert new in ids and old not in ids
        # The bylaws come first: the library follows the order of the kinds.
        assert listed[0][0].kind == ReferenceKind.BYLAWS
    error = refused(
        world.ws,
        Conflict,
        lambda s: publish_reference(
            s,
            world[Role.HQ_ADMIN],
            kind=ReferenceKind.BYLAWS,
            title=title,
            version="2.0",
            approved_on=None,
            review_due_on=None,
            body=None,
        ),
    )
    assert "2.0" in arabic(error)


def test_a_document_without_a_review_date_is_never_overdue(world: World) -> None:
    item = publish(
        world,
        title="نموذج طلب دعم مستفيد",
        kind=ReferenceKind.SUPPORT_REQUEST_FORM,
        review_due_on=None,
    )
    with world.ws.db.session() as session:
        listed = dict(
            (d.id, overdue)
            for d, overdue in reference_documents(session, world.clerk, date(2077, 1, 1))
        )
        assert listed[item] is False


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "memo"}, "kind"),
        ({"title": " "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"version": ""}, "version"),
        ({"version": "1" * 21}, "version"),
        ({"approved_on": "2024/08/29"}, "approved_on"),
        ({"review_due_on": "1446/13/01 هـ"}, "review_due_on"),
        ({"review_due_on": "2024-01-10"}, "review_due_on"),  # not after the approval
        ({"body": "a\x07b"}, "body"),
    ],
)
def test_publish_bad_input(world: World, changes: dict[str, Any], field: str) -> None:
    values: dict[str, Any] = {
        "kind": ReferenceKind.SUPPORT_POLICY_GUIDE,
        "title": "دليل سياسة الدعم للمستفيدين",
        "version": "1.0",
        "approved_on": "2024-01-10",
        "review_due_on": None,
        "body": None,
        **changes,
    }
    error = refused(
        world.ws, FormErrors, lambda s: publish_reference(s, world[Role.HQ_ADMIN], **values)
    )
    field_error(error, field)


@pytest.mark.parametrize("role", [Role.BRANCH_MANAGER, Role.INTERVIEWER])
def test_only_head_office_publishes(world: World, role: Role) -> None:
    error = refused(
        world.ws,
        PermissionDenied,
        lambda s: publish_reference(
            s,
            world[role],
            kind=ReferenceKind.BYLAWS,
            title="لائحة",
            version="1",
            approved_on=None,
            review_due_on=None,
            body=None,
        ),
    )
    arabic(error)
    refused(world.ws, PermissionDenied, lambda s: seed_relations_policy(s, world[role]))


def test_every_role_reads_the_library(world: World) -> None:
    with world.ws.db.session() as session:
        for role in Role:
            reference_documents(session, world[role], date(2024, 1, 1))


def test_versions_are_kept_and_listed_newest_first(tmp_path: Path) -> None:
    mine = make_world(tmp_path)
    empty_library(mine)
    title = "دليل سياسة الدعم للمستفيدين"
    first = publish(
        mine,
        kind=ReferenceKind.SUPPORT_POLICY_GUIDE,
        title=title,
        review_due_on="2024-06-01",
        body="الإصدار الأول",
    )
    second = publish(
        mine,
        kind=ReferenceKind.SUPPORT_POLICY_GUIDE,
        title=title,
        version="1.1",
        approved_on="2024-05-20",
        review_due_on="2025-05-20",
        body="الإصدار الثاني",
    )
    today = date(2024, 9, 1)
    with mine.ws.db.session() as session:
        for asked in (first, second):
            versions = document_versions(session, mine.clerk, asked, today)
            assert [(v.id, v.current) for v in versions] == [(second, True), (first, False)]
            # The old version's review date passed, but it was replaced, not left unreviewed.
            assert [v.review_overdue for v in versions] == [False, False]
            assert versions[1].body == "الإصدار الأول"
        with pytest.raises(NotFound):
            document_versions(session, mine.clerk, "nope", today)
        titles = library_titles(session, mine[Role.HQ_ADMIN])
        assert titles == [(ReferenceKind.SUPPORT_POLICY_GUIDE, title)]
        with pytest.raises(PermissionDenied):
            library_titles(session, mine.clerk)
        # Documents belong to no branch: every laptop's library has them.
        assert not hasattr(ReferenceDocument, "branch_id")
    mine.ws.close()


def test_the_library_search_ignores_spelling_variants(tmp_path: Path) -> None:
    mine = make_world(tmp_path)
    empty_library(mine)
    admin = mine[Role.HQ_ADMIN]
    with mine.ws.transaction() as session:
        policy = seed_relations_policy(session, admin).id
    form = publish(
        mine,
        kind=ReferenceKind.SUPPORT_REQUEST_FORM,
        title="نموذج طلب دعم مستفيد",
        review_due_on=None,
        body="يعبّأ النموذج بخط واضح ويُرفق به صورة الهوية الوطنية",
    )
    today = date(2024, 9, 1)

    def found(query: str) -> list[str]:
        with mine.ws.db.session() as session:
            return [d.id for d, _ in search_library(session, mine.clerk, query, today)]

    assert found("") == [form, policy]  # in the order of the kinds
    assert found("العلاقه") == [policy]  # ة typed as ه
    assert found("اسبوعين") == [policy]  # أسبوعين without its hamza
    assert found("الهويه الوطنيه") == [form]  # every word, anywhere in the text
    assert found("Beneficiary support request form") == [form]  # the kind's English name
    assert found("الهوية أسبوعين") == []
    with mine.ws.db.session() as session:
        overdue = dict(
            (d.id, late) for d, late in search_library(session, mine.clerk, "", date(2025, 1, 1))
        )
        assert overdue == {policy: True, form: False}
    mine.ws.close()


def test_a_new_workspace_has_the_policy_and_its_four_tools(tmp_path: Path) -> None:
    mine = make_world(tmp_path)
    with mine.ws.db.session() as session:
        found = reference_documents(session, mine.clerk, date(2024, 9, 1))
        kinds = {d.kind: d for d, overdue in found if not overdue}
        assert set(kinds) == set(ReferenceKind) and len(found) == 5
        for document in kinds.values():
            assert document.approved_on == date(2024, 8, 29)
            assert document.review_due_on is not None and document.body
            assert "جمعية رومة" in document.body  # each says whose reference document it is
        assert kinds[ReferenceKind.RELATIONS_POLICY].review_due_on == date(2024, 12, 25)
        assert kinds[ReferenceKind.BYLAWS].review_due_on == date(2025, 8, 29)
        assert kinds[ReferenceKind.SUPPORT_REQUEST_FORM].title == "طلب دعم مستفيد"
        # Published like any document: audited, and waiting in the outbox to sync.
        outbox = session.scalar(
            sa.select(sa.func.count())
            .select_from(OutboxEntry)
            .where(OutboxEntry.table_name == "reference_document")
        )
        assert outbox == 5
    mine.ws.close()
    # Opening the workspace again seeds nothing more.
    again, _ = Workspace.unlock(tmp_path / "data", "admin", ADMIN_PASSWORD)
    with again.db.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(ReferenceDocument)) == 5
    again.close()
