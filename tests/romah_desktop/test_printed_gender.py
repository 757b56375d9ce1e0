"""Printed forms describe a woman in the feminine: her marital status and categories read
«مطلقة», «يتيمة», «مسنة» on the request form and the declaration, a man's «مطلق», «يتيم»,
«مسن». A paper printed while the forms still printed the masculine for everyone still
verifies: the two forms of one value are the same fact. A value that changed still differs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from db.base import utcnow
from db.enums import Category, Channel, Gender, MaritalStatus, RequestType, Role
from db.models import Beneficiary, PrintedPaper, User
from romah_desktop.labels import label
from romah_desktop.printing import FormKind, render_form, service, verify_code
from romah_desktop.printing.printed import printed_values
from romah_desktop.printing.records import load
from romah_desktop.printing.verification import compare
from romah_desktop.services.committee.requests import create_request, submit_request
from romah_desktop.services.context import Actor
from romah_desktop.services.intake.declarations import sign_declaration
from romah_desktop.services.intake.views import declaration_text, summarize
from romah_desktop.services.people.beneficiaries import register_beneficiary
from romah_desktop.validation import make_national_id
from romah_desktop.workspace import Workspace
from tests.romah_desktop.printing.conftest import read_pages, render_png

# Her marital status and categories as the forms printed them for everyone before.
MASCULINE = {"marital_status": "مطلق", "categories": "مسن، يتيم"}
FEMININE = {"marital_status": "مطلقة", "categories": "مسنة، يتيمة"}


@dataclass(frozen=True)
class Front:
    ws: Workspace
    clerk: Actor
    manager: Actor
    # gender → (person, declaration, request)
    records: dict[str, tuple[str, str, str]]


def _person(ws: Workspace, clerk: Actor, gender: str, first: str, serial: str) -> tuple[str, ...]:
    with ws.transaction() as session:
        person = register_beneficiary(
            session,
            clerk,
            {
                "first_name": first,
                "father_name": "محمد",
                "grandfather_name": "صالح",
                "family_name": "الدوسري",
                "national_id": make_national_id(serial),
                "gender": gender,
                "birth_date": "1950-03-01",
                "marital_status": "divorced",
                "phone": "0501234567",
                "city": "الرياض",
                "categories": "orphan, elderly",
                "housing_type": "rented",
                "household_size": "1",
            },
        )
        session.flush()
        declaration = sign_declaration(
            session,
            clerk,
            beneficiary_id=person.id,
            signer_name=person.full_name,
            text=declaration_text("ar", summarize(person)),
            signature_png=None,
        )
        request = create_request(
            session,
            clerk,
            beneficiary_id=person.id,
            request_type=RequestType.CASH,
            amount="1,000",
            justification="مساعدة نقدية.",
            channel=Channel.INTERVIEW,
        )
        session.flush()
        ids = (person.id, declaration.id, request.id)
    with ws.transaction() as session:
        submit_request(session, clerk, request.id, now=utcnow())
    return ids


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Front]:
    folder = tmp_path_factory.mktemp("gender")
    ws = Workspace.create(folder / "data", "RYD", "فرع الرياض", "admin", "admin-pass-1")
    actors = {}
    with ws.transaction() as session:
        admin = session.scalars(sa.select(User).where(User.username == "admin")).one()
        for role in (Role.INTERVIEWER, Role.BRANCH_MANAGER):
            user = User(
                username=f"user.{role.value}",
                full_name=f"موظف {role.value}",
                role=role,
                branch_id=admin.branch_id,
                password_hash="-",
            )
            session.add(user)
            session.flush()
            actors[role] = Actor.of(user)
    clerk = actors[Role.INTERVIEWER]
    records = {
        "F": _person(ws, clerk, "أنثى", "هند", "103456789"),
        "M": _person(ws, clerk, "ذكر", "سعد", "104567890"),
    }
    yield Front(ws, clerk, actors[Role.BRANCH_MANAGER], records)  # type: ignore[arg-type]
    ws.close()


def _record(front: Front, gender: str, kind: FormKind) -> str:
    _person_id, declaration, request = front.records[gender]
    return declaration if kind == FormKind.DECLARATION else request


def _values(front: Front, gender: str, kind: FormKind) -> dict[str, str]:
    with front.ws.db.session() as session:
        return printed_values(load(session, front.clerk, kind, _record(front, gender, kind)))


def _print(front: Front, gender: str, kind: FormKind) -> tuple[bytes, str]:
    """Print the form (committed, as printing does): the PDF and the paper's code."""
    record = _record(front, gender, kind)
    with front.ws.transaction() as session:
        data = render_form(session, front.clerk, kind, record)
        code = session.scalars(
            sa.select(PrintedPaper.code)
            .where(PrintedPaper.record_id == record, PrintedPaper.kind == kind)
            .order_by(PrintedPaper.created_at.desc(), PrintedPaper.id.desc())
        ).first()
    assert code is not None
    return data, code


def _verify(front: Front, code: str, marital: MaritalStatus | None = None):  # type: ignore[no-untyped-def]
    """Verify the paper, with the woman's marital status changed first (rolled back)."""
    with front.ws.db.session() as session:
        if marital is not None:
            woman = session.get(Beneficiary, front.records["F"][0])
            assert woman is not None
            woman.marital_status = marital
            session.flush()
        try:
            return verify_code(session, front.manager, code)
        finally:
            session.rollback()


KINDS = [FormKind.REQUEST, FormKind.DECLARATION]


def _bare(text: str) -> str:
    return "".join(text.split())


def _read(data: bytes) -> tuple[str, str]:
    """The PDF's text as pdftotext and as PDFium read it, without spaces (pdftotext puts the
    space of «مسن، يتيم» before the comma)."""
    pages = read_pages(data)
    return _bare("".join(p.text for p in pages)), _bare("".join(p.pdfium for p in pages))


@pytest.mark.parametrize("kind", KINDS)
def test_a_woman_s_form_describes_her_in_the_feminine(front: Front, kind: FormKind) -> None:
    values = _values(front, "F", kind)
    assert {k: values[k] for k in FEMININE} == FEMININE
    assert values["gender"] == "أنثى"
    data, _code = _print(front, "F", kind)
    for text in _read(data):
        assert "مطلقة" in text and _bare(FEMININE["categories"]) in text
        assert _bare(MASCULINE["categories"]) not in text


@pytest.mark.parametrize("kind", KINDS)
def test_a_man_s_form_describes_him_in_the_masculine(front: Front, kind: FormKind) -> None:
    values = _values(front, "M", kind)
    assert {k: values[k] for k in MASCULINE} == MASCULINE
    data, _code = _print(front, "M", kind)
    for text in _read(data):
        assert "مطلق" in text and _bare(MASCULINE["categories"]) in text
        assert "مطلقة" not in text and "مسنة" not in text


def test_the_woman_s_request_form_looks_right(front: Front, tmp_path: Path) -> None:
    data, _code = _print(front, "F", FormKind.REQUEST)
    pages = render_png(data, tmp_path / "request_woman")
    assert pages and all(page.stat().st_size > 10_000 for page in pages)


@pytest.fixture
def old_papers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Papers printed as the forms printed them before: the masculine for everyone."""
    real = service.printed_values

    def masculine(subject):  # type: ignore[no-untyped-def]
        values = real(subject)
        return {k: MASCULINE.get(k, v) for k, v in values.items()}

    monkeypatch.setattr(service, "printed_values", masculine)


@pytest.mark.parametrize("kind", KINDS)
def test_a_paper_printed_in_the_masculine_for_a_woman_still_matches(
    front: Front, kind: FormKind, old_papers: None
) -> None:
    _data, code = _print(front, "F", kind)
    result = _verify(front, code)
    assert result.printed["marital_status"] == "مطلق"
    assert result.now["marital_status"] == "مطلقة"
    assert result.ok and result.genuine and result.differences == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_changed_marital_status_still_differs(
    front: Front, kind: FormKind, monkeypatch: pytest.MonkeyPatch
) -> None:
    _data, new_code = _print(front, "F", kind)
    real = service.printed_values
    monkeypatch.setattr(service, "printed_values", lambda s: {**real(s), "marital_status": "مطلق"})
    _data, old_code = _print(front, "F", kind)
    if kind == FormKind.DECLARATION:
        # The declaration prints what she declared: a changed file does not change it.
        assert _verify(front, new_code, MaritalStatus.MARRIED).ok
        return
    for code, printed in ((new_code, "مطلقة"), (old_code, "مطلق")):
        result = _verify(front, code, MaritalStatus.MARRIED)
        assert not result.ok and result.genuine
        assert [(d.field, d.printed, d.now) for d in result.differences] == [
            ("marital_status", printed, "متزوجة")
        ]


def test_only_the_two_forms_of_one_value_of_a_label_field_are_the_same() -> None:
    assert compare(MASCULINE, FEMININE) == []
    assert compare(FEMININE, MASCULINE) == []
    # A different value, in either gender, differs.
    for printed in ("مطلقة", "مطلق"):
        found = compare({"marital_status": printed}, {"marital_status": "متزوجة"})
        assert [d.field for d in found] == ["marital_status"]
    # One category more or fewer, or in another order, is another fact.
    assert compare({"categories": "يتيم"}, {"categories": "مسنة، يتيمة"})
    assert compare({"categories": "يتيم، مسن"}, {"categories": "مسنة، يتيمة"})
    # A field whose value is not a label is compared as written.
    assert compare({"full_name": "مطلق"}, {"full_name": "مطلقة"})
    assert compare({"gender": "ذكر"}, {"gender": "أنثى"})
    # Not a loose match: a text that is not a label of the field's values differs.
    assert compare({"marital_status": "مطلق"}, {"marital_status": "مطلقة جدًا"})
    assert compare({"categories": "مطلق"}, {"categories": "مطلقة"})


def test_every_printed_vocabulary_with_feminine_names_is_printed_for_her_gender() -> None:
    """A vocabulary the forms print about the person whose values have feminine names is
    worded for her gender on paper (and its two forms are one fact when verifying)."""
    from romah_desktop.printing.printed import _DECLARED_ENUMS, GENDERED_LABELS

    printed = {**_DECLARED_ENUMS, "categories": Category}
    gendered = {
        key: kind
        for key, kind in printed.items()
        if any(
            label(m, "ar", gender=Gender.FEMALE) != label(m, "ar", gender=Gender.MALE) for m in kind
        )
    }
    assert gendered == GENDERED_LABELS == {"marital_status": MaritalStatus, "categories": Category}
