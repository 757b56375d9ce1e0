"""The staff's reference library: bylaws, guides, forms and policies, with their approval and
review dates (a policy whose review date has passed is shown as due for review).

Head office publishes; the documents belong to no branch, so every laptop receives them by
sync. A new version is a new row: the old versions stay, listed under the newest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.enums import ReferenceKind
from db.ids import new_id
from db.models import ReferenceDocument
from romah_desktop.arabic import normalize_arabic
from romah_desktop.errors import Conflict, NotFound
from romah_desktop.i18n import N_
from romah_desktop.labels import label
from romah_desktop.permissions import Permission
from romah_desktop.resources import resources_dir
from romah_desktop.services import audit
from romah_desktop.services.context import Actor
from romah_desktop.services.form_check import (
    FormCheck,
    choice,
    optional_date,
    optional_text,
    required_text,
)

MAX_BODY = 200_000

# The board approved the policy on 1446/02/25 AH (2024-08-29) and set its review for
# 2024-12-25. The body is our own summary; the policy's text is not copied.
RELATIONS_POLICY_TITLE = "سياسة تنظيم العلاقة مع المستفيدين"
RELATIONS_POLICY_VERSION = "1.0"
RELATIONS_POLICY_APPROVED_ON = "1446/02/25 هـ"
RELATIONS_POLICY_REVIEW_DUE_ON = "2024-12-25"
# The reference documents' texts, in resources/library/.
LIBRARY_FOLDER = "library"


@dataclass(frozen=True)
class SeededDocument:
    """A document every new workspace's library starts with, its body in resources/library/."""

    kind: ReferenceKind
    title: str
    approved_on: str
    review_due_on: str
    file: str
    version: str = "1.0"

    def body(self) -> str:
        return (resources_dir() / LIBRARY_FOLDER / self.file).read_text(encoding="utf-8").strip()


# The policy and the four tools it puts in the staff's hands. The tools were approved with the
# policy; none has a review date of its own, so each is reviewed a year after its approval.
SEEDED = (
    SeededDocument(
        ReferenceKind.RELATIONS_POLICY,
        RELATIONS_POLICY_TITLE,
        RELATIONS_POLICY_APPROVED_ON,
        RELATIONS_POLICY_REVIEW_DUE_ON,
        "relations-policy.md",
        RELATIONS_POLICY_VERSION,
    ),
    SeededDocument(
        ReferenceKind.BYLAWS, "اللائحة الأساسية للجمعية", "2024-08-29", "2025-08-29", "bylaws.md"
    ),
    SeededDocument(
        ReferenceKind.RESEARCH_GUIDE,
        "دليل خدمات البحث الاجتماعي",
        "2024-08-29",
        "2025-08-29",
        "research-guide.md",
    ),
    SeededDocument(
        ReferenceKind.SUPPORT_POLICY_GUIDE,
        "دليل سياسة الدعم للمستفيدين",
        "2024-08-29",
        "2025-08-29",
        "support-policy-guide.md",
    ),
    SeededDocument(
        ReferenceKind.SUPPORT_REQUEST_FORM,
        "طلب دعم مستفيد",
        "2024-08-29",
        "2025-08-29",
        "support-request-form.md",
    ),
)


def _existing(
    session: Session, kind: ReferenceKind, title: str, version: str
) -> ReferenceDocument | None:
    return session.scalar(
        sa.select(ReferenceDocument).where(
            ReferenceDocument.kind == kind,
            ReferenceDocument.title == title,
            ReferenceDocument.version == version,
            ReferenceDocument.deleted_at.is_(None),
        )
    )


def publish_reference(
    session: Session,
    actor: Actor,
    *,
    kind: ReferenceKind,
    title: str,
    version: str,
    approved_on: str | None,
    review_due_on: str | None,
    body: str | None,
) -> ReferenceDocument:
    """Publish a document (or a new version of one) to every branch's reference library.

    Dates are typed text, Gregorian or Hijri; the review date must come after the approval.
    Raises PermissionDenied, FormErrors, Conflict (this version is already published).
    """
    actor.require(Permission.PUBLISH_REFERENCE)
    return _publish(session, actor, kind, title, version, approved_on, review_due_on, body)


def _publish(
    session: Session,
    actor: Actor,
    kind: ReferenceKind,
    title: str,
    version: str,
    approved_on: str | None,
    review_due_on: str | None,
    body: str | None,
) -> ReferenceDocument:
    form = FormCheck()
    chosen = form.run(choice, ReferenceKind, kind, "kind")
    clean_title = form.run(required_text, title, "title", 200)
    clean_version = form.run(required_text, version, "version", 20)
    approved = form.run(optional_date, approved_on, "approved_on")
    review = form.run(optional_date, review_due_on, "review_due_on")
    clean_body = form.run(optional_text, body, "body", MAX_BODY)
    if approved is not None and review is not None and review <= approved:
        form.fail("review_due_on", N_("The review date must come after the approval date."))
    form.done()
    assert chosen is not None and clean_title is not None and clean_version is not None
    if _existing(session, chosen, clean_title, clean_version) is not None:
        raise Conflict(
            N_("Version {version} of this document is already published."), version=clean_version
        )
    document = ReferenceDocument(
        id=new_id(),
        kind=chosen,
        title=clean_title,
        version=clean_version,
        approved_on=approved,
        review_due_on=review,
        body=clean_body,
    )
    session.add(document)
    audit.record(
        session,
        actor,
        "reference.publish",
        "reference_document",
        document.id,
        {"kind": chosen.value, "version": clean_version},
    )
    return document


def reference_documents(
    session: Session, actor: Actor, today: date
) -> list[tuple[ReferenceDocument, bool]]:
    """The library: the newest published version of each document, by kind and title, each with
    whether its review is overdue (its review date is before `today`). Raises PermissionDenied.
    """
    actor.require(Permission.VIEW_BENEFICIARIES)
    documents = session.scalars(
        sa.select(ReferenceDocument)
        .where(ReferenceDocument.deleted_at.is_(None))
        .order_by(ReferenceDocument.created_at, ReferenceDocument.id)
    ).all()
    newest: dict[tuple[ReferenceKind, str], ReferenceDocument] = {}
    for document in documents:
        newest[(document.kind, document.title)] = document
    order = list(ReferenceKind)
    ordered = sorted(newest.values(), key=lambda d: (order.index(d.kind), d.title))
    return [(d, review_overdue(d, today)) for d in ordered]


def _seed(session: Session, actor: Actor, seeded: SeededDocument) -> ReferenceDocument:
    existing = _existing(session, seeded.kind, seeded.title, seeded.version)
    if existing is not None:
        return existing
    return _publish(
        session,
        actor,
        seeded.kind,
        seeded.title,
        seeded.version,
        seeded.approved_on,
        seeded.review_due_on,
        seeded.body(),
    )


def seed_relations_policy(session: Session, actor: Actor) -> ReferenceDocument:
    """Publish the board-approved beneficiary relations policy (approved 2024-08-29, review
    due 2024-12-25) with a summary as its body; when it is already published, return it and
    write nothing. Raises PermissionDenied."""
    actor.require(Permission.PUBLISH_REFERENCE)
    return _seed(session, actor, SEEDED[0])


def seed_library(session: Session, actor: Actor) -> list[ReferenceDocument]:
    """Publish the policy and its four reference tools (`SEEDED`), as a new workspace does once
    when it is created, in the name of its first user whatever their role: each is audited and
    synced like any published document; one already published is left as it is."""
    return [_seed(session, actor, seeded) for seeded in SEEDED]


def review_overdue(document: ReferenceDocument, today: date) -> bool:
    """Whether the document's review date is before `today` (never without a review date)."""
    return document.review_due_on is not None and document.review_due_on < today


def _search_key(document: ReferenceDocument) -> str:
    # The kind's name in both languages: a search may be typed in either.
    return normalize_arabic(
        " ".join(
            (
                label(document.kind, "ar"),
                label(document.kind, "en"),
                document.title,
                document.version,
                document.body or "",
            )
        )
    )


def search_library(
    session: Session, actor: Actor, query: str, today: date
) -> list[tuple[ReferenceDocument, bool]]:
    """The newest version of each document whose kind, title, version or text has every word
    of `query` (Arabic-aware: hamza forms, ta marbuta, diacritics and digits do not matter),
    in the library's order, each with whether its review is overdue. A blank query lists
    them all. Raises PermissionDenied."""
    words = normalize_arabic(query).split()
    found = reference_documents(session, actor, today)
    if not words:
        return found
    return [(d, overdue) for d, overdue in found if all(w in _search_key(d) for w in words)]


@dataclass(frozen=True)
class ReferenceVersion:
    """One published version of a reference document."""

    id: str
    kind: ReferenceKind
    title: str
    version: str
    approved_on: date | None
    review_due_on: date | None
    published_at: datetime
    body: str | None
    current: bool
    review_overdue: bool


def document_versions(
    session: Session, actor: Actor, document_id: str, today: date
) -> list[ReferenceVersion]:
    """Every published version of the document `document_id` belongs to (same kind and
    title), newest first; the newest is the current one. Only the current version's review
    can be overdue: an old version was replaced, not left unreviewed.
    Raises PermissionDenied, NotFound."""
    actor.require(Permission.VIEW_BENEFICIARIES)
    document = session.get(ReferenceDocument, document_id)
    if document is None or document.deleted_at is not None:
        raise NotFound(N_("This reference document was not found."))
    versions = session.scalars(
        sa.select(ReferenceDocument)
        .where(
            ReferenceDocument.kind == document.kind,
            ReferenceDocument.title == document.title,
            ReferenceDocument.deleted_at.is_(None),
        )
        .order_by(ReferenceDocument.created_at.desc(), ReferenceDocument.id.desc())
    ).all()
    return [
        ReferenceVersion(
            id=v.id,
            kind=v.kind,
            title=v.title,
            version=v.version,
            approved_on=v.approved_on,
            review_due_on=v.review_due_on,
            published_at=v.created_at,
            body=v.body,
            current=number == 0,
            review_overdue=number == 0 and review_overdue(v, today),
        )
        for number, v in enumerate(versions)
    ]


def library_titles(session: Session, actor: Actor) -> list[tuple[ReferenceKind, str]]:
    """The (kind, title) of every document in the library, for publishing a new version of
    one. Raises PermissionDenied."""
    actor.require(Permission.PUBLISH_REFERENCE)
    rows = session.execute(
        sa.select(ReferenceDocument.kind, ReferenceDocument.title)
        .where(ReferenceDocument.deleted_at.is_(None))
        .distinct()
    ).all()
    order = list(ReferenceKind)
    return sorted(((k, t) for k, t in rows), key=lambda kt: (order.index(kt[0]), kt[1]))
