"""A branch with one record of every kind a form is printed from, with the tricky strings
the forms must get right: a long four-part name that wraps, عبدالله, mixed Arabic and Latin,
parentheses, hyphenated numbers, amounts with decimals and Hijri dates."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from PIL import Image, ImageDraw

from db.base import utcnow
from db.enums import Channel, DecisionOutcome, DocumentType, RequestType, Role, ServiceType
from db.models import Branch, User
from romah_desktop.services.committee.requests import (
    create_request,
    record_decision,
    record_service_delivery,
    submit_request,
)
from romah_desktop.services.context import Actor
from romah_desktop.services.intake.declarations import sign_declaration
from romah_desktop.services.intake.interview import (
    advance_interview,
    finish_interview,
    record_document_check,
    start_interview,
)
from romah_desktop.services.intake.views import declaration_text, summarize
from romah_desktop.services.people.beneficiaries import register_beneficiary
from romah_desktop.services.people.household import add_household_member, add_income_source
from romah_desktop.validation import make_national_id
from romah_desktop.workspace import Workspace

ADMIN_PASSWORD = "admin-pass-1"
FIRST = "عبدالرحمن"
FATHER = "عبدالعزيز"
GRANDFATHER = "عبدالمحسن"
FAMILY = "آل عبدالرحمن الدوسري"
FULL_NAME = f"{FIRST} {FATHER} {GRANDFATHER} {FAMILY}"
SON = "عبدالله عبدالرحمن الدوسري"
ADDRESS = "طريق الأمير تركي (مبنى 12)، شقة 2024-0153"
JUSTIFICATION = (
    "الأسرة متأخرة في سداد الإيجار منذ ثلاثة أشهر (عقد الإيجار رقم 2024-0153)، "
    "ورب الأسرة يعمل بعقد مؤقت لدى شركة Al-Noor Trading براتب لا يكفي، "
    "والمبلغ المتأخر 3,500.50 ريال."
)
MEMBERS = "أ. خالد العتيبي، د. منى القحطاني، Eng. Sami Al-Harbi"
REJECTION = "الدخل الشهري للأسرة (4,200.50 ريال) يتجاوز الحد المعتمد لهذا النوع من الدعم."
BRANCH_PHONE = "0114567890"
BRANCH_ADDRESS = "الرياض، حي الملقا، طريق الأمير تركي (مبنى 12)"


def signature_png() -> bytes:
    """A hand-drawn-looking signature, as the signature pad would save it."""
    image = Image.new("RGBA", (360, 120), (255, 255, 255, 0))
    pen = ImageDraw.Draw(image)
    points = [(20, 80), (60, 30), (90, 95), (130, 40), (170, 85), (210, 35), (260, 90), (330, 50)]
    pen.line(points, fill=(10, 30, 90, 255), width=5, joint="curve")
    pen.line([(40, 100), (320, 100)], fill=(10, 30, 90, 255), width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@dataclass(frozen=True)
class Branch1:
    """Ids of the records of the scenario and the users who made them."""

    ws: Workspace
    actors: dict[Role, Actor]
    person: str
    declaration: str
    interview: str
    request: str
    decision: str
    delivery: str
    rejected_request: str
    rejection: str
    draft: str
    day: date

    def __getitem__(self, role: Role) -> Actor:
        return self.actors[role]


def build(folder: Path) -> Branch1:
    """Make the workspace and every record, as the staff would through the services."""
    ws = Workspace.create(folder / "data", "RYD", "فرع الرياض", "admin", ADMIN_PASSWORD)
    names = {
        Role.INTERVIEWER: "نورة عبدالله السبيعي",
        Role.COMMITTEE_MEMBER: "خالد سعد العتيبي",
        Role.BRANCH_MANAGER: "منى محمد القحطاني",
        Role.SOCIAL_RESEARCHER: "سامي علي الحربي",
        Role.BRANCH_DELEGATE: "فهد ناصر الشهري",
    }
    with ws.transaction() as session:
        admin = session.scalars(sa.select(User).where(User.username == "admin")).one()
        branch = session.get(Branch, admin.branch_id)
        assert branch is not None
        branch.phone, branch.address = BRANCH_PHONE, BRANCH_ADDRESS
        actors = {Role.HQ_ADMIN: Actor.of(admin)}
        for role, full_name in names.items():
            user = User(
                username=f"user.{role.value}",
                full_name=full_name,
                role=role,
                branch_id=admin.branch_id,
                password_hash="-",
            )
            session.add(user)
            session.flush()
            actors[role] = Actor.of(user)
    clerk, committee = actors[Role.INTERVIEWER], actors[Role.COMMITTEE_MEMBER]
    today = date.today()
    with ws.transaction() as session:
        person = register_beneficiary(
            session,
            clerk,
            {
                "first_name": FIRST,
                "father_name": FATHER,
                "grandfather_name": GRANDFATHER,
                "family_name": FAMILY,
                "national_id": make_national_id("102345678"),
                "gender": "ذكر",
                "birth_date": "1402/05/14 هـ",
                "nationality": "سعودي",
                "marital_status": "متزوج",
                "phone": "0501234567",
                "city": "الرياض",
                "district": "الملقا",
                "address": ADDRESS,
                "categories": "دخل محدود",
                "housing_type": "إيجار",
                "monthly_rent": "2,500.75",
                "household_size": "4",
                "monthly_income": "4,200.50",
            },
        )
        session.flush()
        for member in (
            {"full_name": "سارة محمد الدوسري", "relationship": "زوجة", "birth_date": "1990-03-12"},
            {"full_name": SON, "relationship": "ابن", "birth_date": "1443/09/01 هـ"},
            {"full_name": "Lina Abdulrahman", "relationship": "ابنة", "birth_date": "2019-11-30"},
        ):
            add_household_member(session, clerk, person.id, member)
        add_income_source(
            session, clerk, person.id, {"source": "salary", "monthly_amount": "3,000"}
        )
        add_income_source(
            session, clerk, person.id, {"source": "citizen_account", "monthly_amount": "1,200.50"}
        )
        interview = start_interview(session, clerk, person.id, Channel.INTERVIEW)
        record_document_check(
            session,
            clerk,
            beneficiary_id=person.id,
            doc_type=DocumentType.NATIONAL_ID_CARD,
            number=person.national_id,
            issue_date="2020-01-05",
            expiry_date="2030-01-05",
        )
        record_document_check(
            session,
            clerk,
            beneficiary_id=person.id,
            doc_type=DocumentType.LEASE_CONTRACT,
            number="2024-0153",
            issue_date="2023-01-01",
            expiry_date="2024-01-01",
        )
        declaration = sign_declaration(
            session,
            clerk,
            beneficiary_id=person.id,
            signer_name=FULL_NAME,
            text=declaration_text("ar", summarize(person)),
            signature_png=signature_png(),
            attachments_dir=ws.attachments_dir,
        )
        request = create_request(
            session,
            clerk,
            beneficiary_id=person.id,
            request_type=RequestType.RENT,
            amount="3,500.50",
            justification=JUSTIFICATION,
            channel=Channel.INTERVIEW,
        )
        rejected = create_request(
            session,
            clerk,
            beneficiary_id=person.id,
            request_type=RequestType.CASH,
            amount="1,000",
            justification="مساعدة نقدية لشراء مستلزمات المدرسة (الفصل الدراسي الأول).",
            channel=Channel.PHONE,
        )
        draft = create_request(
            session,
            clerk,
            beneficiary_id=person.id,
            request_type=RequestType.FOOD,
            amount=None,
            justification="سلة غذائية شهرية.",
            channel=Channel.INTERVIEW,
        )
        session.flush()
        for step in ("collect_verify", "declare", "inform"):
            advance_interview(session, clerk, interview.id, step)  # type: ignore[arg-type]
        finish_interview(
            session,
            clerk,
            interview.id,
            "حضر المستفيد مع ابنه عبدالله، وقدّم عقد الإيجار (رقم 2024-0153) المنتهي؛ "
            "طُلب منه إحضار العقد المجدد. Follow-up: home visit.",
        )
    with ws.transaction() as session:
        submit_request(session, clerk, request.id, now=utcnow())
        submit_request(session, clerk, rejected.id, now=utcnow())
    with ws.transaction() as session:
        decision = record_decision(
            session,
            committee,
            request.id,
            outcome=DecisionOutcome.APPROVE,
            approved_amount="3,000.25",
            reason=None,
            decided_on=today,
            members=MEMBERS,
        )
        rejection = record_decision(
            session,
            committee,
            rejected.id,
            outcome=DecisionOutcome.REJECT,
            approved_amount=None,
            reason=REJECTION,
            decided_on=today,
            members=MEMBERS,
        )
    with ws.transaction() as session:
        delivery = record_service_delivery(
            session,
            clerk,
            request_id=request.id,
            service_type=ServiceType.RENT,
            amount="3,000.25",
            items="دفعة إيجار (الربع الأول) بشيك رقم 88-1204",
            delivered_on=today,
        )
    return Branch1(
        ws,
        actors,
        person.id,
        declaration.id,
        interview.id,
        request.id,
        decision.id,
        delivery.id,
        rejected.id,
        rejection.id,
        draft.id,
        today,
    )
