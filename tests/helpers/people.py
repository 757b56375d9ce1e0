"""Valid beneficiary forms for tests, as a clerk would type them."""

from __future__ import annotations

import itertools

from sqlalchemy.orm import Session

from db.enums import Channel, RequestType
from db.models import Beneficiary, SupportRequest
from romah_desktop.services.committee.requests import create_request, submit_request
from romah_desktop.services.context import Actor
from romah_desktop.services.intake.declarations import sign_declaration
from romah_desktop.services.intake.views import declaration_text, summarize
from romah_desktop.services.people.beneficiaries import register_beneficiary
from romah_desktop.validation import make_national_id

_counter = itertools.count(1)


def person_form(**overrides: str) -> dict[str, str]:
    """A complete, valid registration form with a fresh national ID each call."""
    n = next(_counter)
    form = {
        "first_name": "عبدالله",
        "father_name": "محمد",
        "grandfather_name": "علي",
        "family_name": "القحطاني",
        "national_id": make_national_id(f"1{n:08d}"),
        "gender": "ذكر",
        "birth_date": f"19{60 + n % 40:02d}-0{1 + n % 9}-1{n % 10}",
        "phone": f"05{n:08d}",
        "city": "الرياض",
    }
    form.update(overrides)
    return form


def declared_rent_request(
    session: Session, clerk: Actor, **overrides: str
) -> tuple[Beneficiary, SupportRequest]:
    """A person registered (`person_form(**overrides)`), their declaration signed and a rent
    request of 12,000 riyals submitted to the committee, as the front desk does it."""
    person = register_beneficiary(session, clerk, person_form(**overrides))
    session.flush()
    sign_declaration(
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
        request_type=RequestType.RENT,
        amount="12,000",
        justification="إيجار متأخر.",
        channel=Channel.INTERVIEW,
    )
    session.flush()
    submit_request(session, clerk, request.id)
    return person, request
