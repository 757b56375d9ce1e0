"""The values a form prints, as the paper shows them.

Each print of a form keeps these values, signed by the printing laptop (see papers.py), and a
verification shows them beside the same values computed from the record now. The forms draw
their values with the formatters here, so what is kept is what the paper shows. Values are
text in the forms' language; a table's rows are one value each ("household.2").
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, datetime
from enum import Enum
from typing import Any

from db.enums import (
    Category,
    Gender,
    HousingType,
    IdType,
    IncomeSourceType,
    InterviewStep,
    MaritalStatus,
)
from romah_desktop.dates import format_dual
from romah_desktop.i18n import N_, translate
from romah_desktop.labels import label
from romah_desktop.names import NAME_PARTS, four_part_name
from romah_desktop.printing.kinds import FORM_LANGUAGE, FormKind
from romah_desktop.printing.records import FACT_LABELS, Subject
from romah_desktop.validation import format_money
from romah_desktop.weekdays import DAY_NAMES

__all__ = [
    "DASH",
    "GENDERED_LABELS",
    "OPTIONAL_VALUES",
    "PRINTED_LABELS",
    "categories",
    "day",
    "day_names",
    "declared_gender",
    "enum_label",
    "field_label",
    "moment",
    "money",
    "printed_values",
    "same_label_value",
    "text",
]

DASH = "—"
_CELL = " · "
_LIST = "، "

# The printed values that describe the person, by the vocabulary of their labels: printed in
# the person's gender (a woman «مطلقة», a man «مطلق»). A paper printed before the forms did so
# reads «مطلق» for her: the two forms of one value are the same fact (same_label_value).
GENDERED_LABELS: dict[str, type[Enum]] = {
    "marital_status": MaritalStatus,
    "categories": Category,
}


def _(text: str, **values: Any) -> str:
    return translate(text, FORM_LANGUAGE, **values)


def money(halalas: int | None) -> str:
    """An amount in halalas as printed: "10,000.25 ريال"."""
    return DASH if halalas is None else _("{amount} riyals", amount=format_money(halalas))


def day(value: date | None) -> str:
    """A date as printed, Hijri and Gregorian side by side."""
    return DASH if value is None else format_dual(value)


def moment(value: datetime | None) -> str:
    """A timestamp as this computer's local day (Hijri and Gregorian) and time."""
    if value is None:
        return DASH
    local = value.astimezone()
    return f"{format_dual(local.date())} {local:%H:%M}"


def local_day(value: datetime | None) -> str:
    """The local day of a timestamp, as printed."""
    return DASH if value is None else format_dual(value.astimezone().date())


def enum_label(value: Enum | None, gender: Gender | str | None = None) -> str:
    """The printed name of `value`; `gender` that of the person it describes, for a value
    about her (her marital status: «مطلقة», not «مطلق»)."""
    return DASH if value is None else label(value, FORM_LANGUAGE, gender)


def categories(values: Iterable[str] | None, gender: Gender | str | None) -> str:
    """The person's categories as printed, worded for her `gender`: «مسنة، يتيمة»."""
    return _LIST.join(_enum_text(Category, c, gender) for c in values or []) or DASH


@functools.cache
def _named_values(kind: type[Enum]) -> dict[str, object]:
    """Each printed name of a value of `kind`, masculine and feminine, → that value (a name
    that two values share is left out: it says neither)."""
    named: dict[str, object] = {}
    shared: set[str] = set()
    for member in kind:
        for gender in (Gender.MALE, Gender.FEMALE):
            name = label(member, FORM_LANGUAGE, gender)
            if named.setdefault(name, member.value) != member.value:
                shared.add(name)
    return {name: value for name, value in named.items() if name not in shared}


def _label_values(field: str, printed: str) -> tuple[object, ...] | None:
    """The values a printed label field names, in order; None for another field, or for a
    text that is not the names of its values."""
    kind = GENDERED_LABELS.get(field)
    if kind is None:
        return None
    named = _named_values(kind)
    found = tuple(named.get(name) for name in printed.split(_LIST))
    return None if None in found else found


def same_label_value(field: str, printed: str, now: str) -> bool:
    """Whether two texts of a field that describes the person say the same values, each in
    either gender: «مطلق» printed for a woman before the forms printed her gender is her
    «مطلقة» now. Another field, another value or a text that names no value: False."""
    values = _label_values(field, printed)
    return values is not None and values == _label_values(field, now)


def text(value: object) -> str:
    return DASH if value is None or value == "" else str(value)


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


# Labels of the printed values that are not facts of the record (see records.FACT_LABELS).
PRINTED_LABELS: dict[str, str] = {
    **FACT_LABELS,
    "branch": N_("Branch"),
    "branch_phone": N_("Branch phone"),
    "branch_address": N_("Branch address"),
    "branch_working_days": N_("Working days"),
    "declaration_text": N_("Text of the declaration"),
    "steps": N_("The policy's steps"),
    "first_name": N_("First name"),
    "iban": N_("IBAN"),
    "place": N_("City and district"),
}


# Printed values a paper may lack and the record may not give: the forms began printing them
# after papers were already printed, and HQ does not know the working days a branch's laptops
# keep themselves. Missing on either side they are no difference; on both, they are compared.
OPTIONAL_VALUES = frozenset({"branch_working_days"})


def day_names(days: Iterable[str]) -> str:
    """Days of the week ("sun", "mon" …) as printed, in the order given: «الأحد، الاثنين»."""
    return _LIST.join(_(DAY_NAMES[d]) for d in days) or DASH


def field_label(name: str, lang: str | None = None) -> str:
    """What a printed value is called ("Household members 2" for a table's second row)."""
    base, _dot, row = name.partition(".")
    title = translate(PRINTED_LABELS.get(base, base), lang)
    return f"{title} {row}" if row else title


def _person(subject: Subject) -> dict[str, str]:
    person = subject.person
    return {
        "full_name": person.full_name,
        "national_id": text(person.national_id),
        "file_number": text(person.file_number),
    }


def _branch(subject: Subject) -> dict[str, str]:
    branch = subject.branch
    return {"branch": branch.name, "branch_phone": text(branch.phone)}


def _rows(name: str, rows: list[list[str]]) -> dict[str, str]:
    return {f"{name}.{n}": _CELL.join(cells) for n, cells in enumerate(rows, start=1)}


def _request(subject: Subject) -> dict[str, str]:
    request, person = subject.request, subject.person
    assert request is not None
    gender = person.gender
    values = {
        "request_number": request.request_number,
        "created_at": local_day(request.created_at),
        "request_type": enum_label(request.request_type),
        "amount_requested": money(request.amount_requested_halalas),
        "channel": enum_label(request.channel),
        **_person(subject),
        "id_type": enum_label(person.id_type),
        "gender": enum_label(person.gender),
        "birth_date": day(person.birth_date),
        "nationality": text(person.nationality),
        "marital_status": enum_label(person.marital_status, gender),
        "phone": text(subject.facts.get("phone")),
        "place": "، ".join(p for p in (person.city, person.district) if p) or DASH,
        "housing_type": enum_label(person.housing_type),
        "monthly_rent": money(person.monthly_rent_halalas),
        "household_size": text(person.household_size),
        "monthly_income": money(person.monthly_income_halalas),
        "address": text(person.address),
        "categories": categories(person.categories, gender),
        **_rows(
            "household",
            [
                [
                    m.full_name,
                    _relationship(m.relationship),
                    day(m.birth_date),
                    text(m.national_id),
                    _yes_no(m.is_dependent),
                ]
                for m in subject.household
            ],
        ),
        **_rows(
            "incomes",
            [
                [label(IncomeSourceType(i.source), FORM_LANGUAGE), money(i.monthly_amount_halalas)]
                for i in subject.incomes
            ],
        ),
        "justification": text(request.justification),
        "staff": text(subject.staff),
    }
    return values


def _relationship(value: str) -> str:
    from romah_desktop.services.people.household import Relationship

    return _enum_text(Relationship, value)


def _enum_text(kind: type[Enum], value: Any, gender: Gender | str | None = None) -> str:
    """The printed label of `value` as a `kind` (about a person of `gender`), or the value
    itself if it is not one."""
    try:
        return label(kind(value), FORM_LANGUAGE, gender)
    except ValueError:
        return str(value)


def _receipt(subject: Subject) -> dict[str, str]:
    request = subject.request
    assert request is not None
    branch = subject.branch
    return {
        "request_number": request.request_number,
        "submitted_at": local_day(request.submitted_at),
        **_person(subject),
        "request_type": enum_label(request.request_type),
        "amount_requested": money(request.amount_requested_halalas),
        "committee_due_on": day(request.committee_due_on),
        **_branch(subject),
        "branch_address": text(branch.address),
        **(
            {"branch_working_days": day_names(subject.working_days)} if subject.working_days else {}
        ),
        "staff": text(subject.staff),
    }


_DECLARED_ENUMS: dict[str, type[Enum]] = {
    "id_type": IdType,
    "gender": Gender,
    "marital_status": MaritalStatus,
    "housing_type": HousingType,
}


def declared_value(key: str, value: Any, gender: Gender | str | None = None) -> str:
    """A declared field's value as the declaration prints it; `gender` is the declarant's,
    for the values that describe her."""
    if value is None or value == "" or value == []:
        return DASH
    if key in _DECLARED_ENUMS:
        return _enum_text(_DECLARED_ENUMS[key], value, gender if key in GENDERED_LABELS else None)
    if key.endswith("_halalas") and isinstance(value, int):
        return money(value)
    if key == "birth_date" and isinstance(value, str):
        try:
            return format_dual(date.fromisoformat(value))
        except ValueError:
            return value
    if key == "categories" and isinstance(value, list):
        return categories(value, gender)
    return str(value)


def declared_gender(subject: Subject) -> Gender | str | None:
    """The gender the declaration's values are worded for: the declared one (the person's in
    the file if the declaration has none)."""
    assert subject.declaration is not None
    return subject.declaration.declared_data.get("gender") or subject.person.gender


def _declaration(subject: Subject) -> dict[str, str]:
    from romah_desktop.services.intake.declarations import DECLARED_FIELDS

    declaration = subject.declaration
    assert declaration is not None
    data = declaration.declared_data
    values = {
        "declaration_text": declaration.text,
        "full_name": four_part_name(str(data.get(k) or "") for k in NAME_PARTS) or DASH,
    }
    gender = declared_gender(subject)
    for key in DECLARED_FIELDS:
        if key not in NAME_PARTS:
            name = key.removesuffix("_halalas")
            values[name] = declared_value(key, data.get(key), gender)
    values |= {
        "signer_name": declaration.signer_name,
        "signed_at": moment(declaration.signed_at),
        "content": declaration.content_sha256,
        "staff": text(subject.staff),
    }
    return values


# The steps' own names: labels.LABELS cannot tell InterviewStep.DELIVER_SERVICE from
# Permission.DELIVER_SERVICE (equal strings are one dictionary key), and the permission's
# label ("record a service delivery") replaced the step's.
STEP_NAMES = {
    InterviewStep.RECEIVE: N_("Receiving the person"),
    InterviewStep.COLLECT_VERIFY: N_("Collecting and verifying the data"),
    InterviewStep.REFER: N_("Referral to social research"),
    InterviewStep.DECLARE: N_("Signed declaration"),
    InterviewStep.INFORM: N_("Informing about the committee"),
    InterviewStep.COMPLETE_REGISTRATION: N_("Completing the registration"),
    InterviewStep.DELIVER_SERVICE: N_("Delivering the service"),
}


def _step_state(step: InterviewStep, subject: Subject) -> str:
    interview = subject.interview
    assert interview is not None
    done = set(interview.completed_steps or [])
    if step.value in done:
        return _("Done")
    if step == interview.current_step and interview.finished_at is None:
        return _("In progress")
    order = list(InterviewStep)
    later_done = any(s.value in done for s in order[order.index(step) + 1 :])
    if later_done:
        return _("Not needed")
    return _("Not reached")


def step_rows(subject: Subject) -> list[tuple[str, str]]:
    """Each step of the policy and its state in the interview, as the record prints them."""
    return [(_(STEP_NAMES[step]), _step_state(step, subject)) for step in InterviewStep]


def _interview(subject: Subject, steps: list[tuple[str, str]]) -> dict[str, str]:
    interview = subject.interview
    assert interview is not None
    person = subject.person
    return {
        "full_name": person.full_name,
        "file_number": text(person.file_number),
        "staff": text(subject.staff),
        "channel": enum_label(interview.channel),
        "started_at": moment(interview.started_at),
        "finished_at": (
            moment(interview.finished_at)
            if interview.finished_at
            else _("The interview is still open")
        ),
        **_rows("steps", [[name, state] for name, state in steps]),
        **_rows(
            "documents",
            [
                [
                    label(check.doc_type, FORM_LANGUAGE),
                    text(check.number),
                    day(check.expiry_date),
                    _("Yes") if check.valid_on_submission else _("No: expired"),
                ]
                for check in subject.documents
            ],
        ),
        "notes": interview.notes or DASH,
    }


def _decision(subject: Subject) -> dict[str, str]:
    decision, request = subject.decision, subject.request
    assert decision is not None and request is not None
    return {
        **_person(subject),
        "request_number": request.request_number,
        "submitted_at": local_day(request.submitted_at),
        "decided_on": day(decision.decided_on),
        "outcome": enum_label(decision.outcome),
        "approved_amount": money(decision.approved_amount_halalas),
        "reason": text(decision.reason),
        "members": text(decision.members),
        **_branch(subject),
    }


def _delivery(subject: Subject) -> dict[str, str]:
    delivery = subject.delivery
    assert delivery is not None
    return {
        **_person(subject),
        "request_number": text(subject.facts.get("request_number")),
        "service_type": enum_label(delivery.service_type),
        "amount": money(delivery.amount_halalas),
        "delivered_on": day(delivery.delivered_on),
        "items": text(delivery.items),
        "staff": text(subject.staff),
    }


def printed_values(subject: Subject) -> dict[str, str]:
    """Every value the form of `subject` prints, as printed, in the order a reader meets
    them."""
    if subject.kind == FormKind.REQUEST:
        return _request(subject)
    if subject.kind == FormKind.RECEIPT:
        return _receipt(subject)
    if subject.kind == FormKind.DECLARATION:
        return _declaration(subject)
    if subject.kind == FormKind.INTERVIEW:
        return _interview(subject, step_rows(subject))
    if subject.kind == FormKind.DECISION:
        return _decision(subject)
    if subject.kind == FormKind.DELIVERY:
        return _delivery(subject)
    raise ValueError(f"{subject.kind} is not printed from a record")
