"""The printed forms, drawn on A4 pages with the layout toolkit.

Forms are printed in Arabic whatever the window's language: they are the society's papers,
signed and kept by Arabic readers. Their wording is written in English here and translated
with the Arabic catalogue (`resources/translations/ar/printing.po`), like every other text.
"""

# ReportLab, qrcode and python-bidi ship no type hints.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import date
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from db.enums import DecisionOutcome, IncomeSourceType
from db.models import Branch
from romah_desktop.dates import format_dual
from romah_desktop.grammar import DAY, count_phrase, translate_for
from romah_desktop.i18n import N_
from romah_desktop.labels import label
from romah_desktop.names import NAME_PARTS, four_part_name
from romah_desktop.printing import layout, printed
from romah_desktop.printing.arabic_text import shaper
from romah_desktop.printing.kinds import FORM_LANGUAGE, FormKind, form_title
from romah_desktop.printing.layout import Column, Letterhead, Sheet
from romah_desktop.printing.records import Subject
from romah_desktop.services.intake.declarations import DECLARED_FIELDS
from romah_desktop.services.intake.views import declaration_template
from romah_desktop.services.people.household import Relationship

__all__ = ["draw_blank", "draw_subject"]

SOCIETY_LATIN = "Romah Society for Non-profit Development"
DASH = "—"

# The gender of the person the form being drawn is about: its texts address and describe them
# in their grammar (the feminine wording is in resources/translations/ar/feminine/). Set by the
# entry points, draw_subject and draw_blank, before they draw anything.
_person_gender: ContextVar[str | None] = ContextVar("person_gender", default=None)


def _(text: str, **params: object) -> str:
    """The forms' translator: every literal passed to it is in the Arabic catalogue (checked by
    tests/test_translations.py, which looks for calls to `_`), worded for the person's gender."""
    return translate_for(_person_gender.get(), text, FORM_LANGUAGE, **params)


# --- values as printed (one home: printed.py, so a paper's kept values are what it shows) ---

_money = printed.money
_day = printed.day
_moment = printed.moment
_label = printed.enum_label
_text = printed.text


# The room for the branch's line in the letterhead: between the QR on the left and the
# society's mark on the right.
_BRANCH_LINE_WIDTH = layout.PAGE_WIDTH - 2 * layout.MARGIN - layout.QR_SIZE - 56


def _branch_line(branch: Branch | None) -> str:
    """The branch's name, address and phone as HQ's record of the branch has them; what the
    branch has not been given is left out (no stand-in that looks like a number). An address
    too long for the line is left to the forms that give it in full (the receipt)."""
    if branch is None:
        return ""
    phone = _("Phone: {phone}", phone=branch.phone) if branch.phone else None
    address = (branch.address or "").strip() or None
    whole = " · ".join(p for p in (branch.name, address, phone) if p)
    small = layout.styles().small
    if address and shaper().width(whole, small.font, small.size) > _BRANCH_LINE_WIDTH:
        whole = " · ".join(p for p in (branch.name, phone) if p)
    return whole


def _letterhead(
    subject: Subject | None,
    kind: FormKind,
    subtitle: str,
    code: str | None,
    qr_payload: str | None = None,
    branch: Branch | None = None,
) -> Letterhead:
    """The top and bottom of the pages; the branch is the record's (`subject`'s), or for a
    blank form `branch` (the laptop's own)."""
    return Letterhead(
        society=_("Romah Society for Non-profit Development"),
        society_latin=SOCIETY_LATIN,
        branch=_branch_line(subject.branch if subject is not None else branch),
        title=form_title(kind, FORM_LANGUAGE),
        subtitle=subtitle,
        code=code,
        qr_payload=qr_payload,
        code_label=_("Verification code:"),
        footer_note=(
            _("Printed on {date}", date=format_dual(date.today()))
            if subject is not None
            else _("Paper form: enter it in Romah Desktop as soon as possible.")
        ),
        page_label=_("Page {page} of {pages}"),
        continued=_("continued"),
        formal=kind == FormKind.DECISION,
    )


def _sheet(canvas: Canvas, head: Letterhead) -> Sheet:
    return Sheet(
        canvas,
        head,
        labels={"name": _("Name:"), "signature": _("Signature:"), "date": _("Date:")},
    )


# --- support request (filled in or blank) ---------------------------------------------------


def _request_form(sheet: Sheet, subject: Subject | None) -> None:
    blank = subject is None
    person = subject.person if subject is not None else None
    request = subject.request if subject is not None else None
    facts: Mapping[str, Any] = subject.facts if subject is not None else {}

    def value(text: str) -> str:
        return "" if blank else text

    sheet.heading(_("The request"))
    sheet.fields(
        [
            (_("Request number:"), value(request.request_number if request else "")),
            (
                _("Date of the request:"),
                value(_day(request.created_at.astimezone().date()) if request else ""),
            ),
            (_("Type of request:"), value(_label(request.request_type) if request else "")),
            (
                _("Amount requested:"),
                value(_money(request.amount_requested_halalas) if request else ""),
            ),
            (_("Channel:"), value(_label(request.channel) if request else "")),
        ],
        blank=blank,
    )
    sheet.heading(_("The applicant"))
    sheet.fields(
        [(_("Full name (four parts):"), value(person.full_name if person else ""))],
        columns=1,
        label_share=0.19,
        blank=blank,
    )
    id_type = _label(person.id_type) if person else ""
    # What describes the person, in the person's gender.
    gender = person.gender if person else None
    categories = printed.categories(person.categories, gender) if person else ""
    sheet.fields(
        [
            (_("ID number:"), value(f"{person.national_id} ({id_type})" if person else "")),
            (_("File number:"), value(person.file_number if person else "")),
            (_("Gender:"), value(_label(person.gender) if person else "")),
            (_("Date of birth:"), value(_day(person.birth_date) if person else "")),
            (_("Nationality:"), value(_text(person.nationality) if person else "")),
            (
                _("Marital status:"),
                value(_label(person.marital_status, gender) if person else ""),
            ),
            (_("Mobile:"), value(_text(facts.get("phone")))),
            (_("City and district:"), value(_place(person) if person else "")),
            (_("Housing:"), value(_label(person.housing_type) if person else "")),
            (_("Monthly rent:"), value(_money(person.monthly_rent_halalas) if person else "")),
            (_("Household size:"), value(_text(person.household_size) if person else "")),
            (
                _("Monthly income:"),
                value(_money(person.monthly_income_halalas) if person else ""),
            ),
        ],
        blank=blank,
    )
    sheet.fields(
        [
            (_("Address:"), value(_text(person.address) if person else "")),
            (_("Categories:"), value(categories)),
        ],
        columns=1,
        label_share=0.19,
        blank=blank,
    )
    sheet.heading(_("Household members"))
    columns = [
        Column(_("No."), 0.45, "center"),
        Column(_("Name"), 3.2),
        Column(_("Relationship"), 1.3),
        Column(_("Date of birth"), 2.3),
        Column(_("ID number"), 1.5, "center"),
        Column(_("Dependent"), 0.9, "center"),
    ]
    if subject is None:
        # Two empty lines a row: room for handwriting.
        sheet.table(columns, [[str(n), "\n", "", "", "", ""] for n in range(1, 7)])
    elif subject.household:
        sheet.table(
            columns,
            [
                [
                    str(n),
                    m.full_name,
                    _relationship(m.relationship),
                    _day(m.birth_date),
                    _text(m.national_id),
                    _("Yes") if m.is_dependent else _("No"),
                ]
                for n, m in enumerate(subject.household, start=1)
            ],
        )
    else:
        sheet.paragraph(_("No household members are recorded in the file."))
    if subject is not None and subject.incomes:
        sheet.heading(_("Sources of income"))
        sheet.table(
            [
                Column(_("No."), 0.45, "center"),
                Column(_("Source"), 3),
                Column(_("Monthly amount"), 2),
            ],
            [
                [
                    str(n),
                    label(IncomeSourceType(i.source), FORM_LANGUAGE),
                    _money(i.monthly_amount_halalas),
                ]
                for n, i in enumerate(subject.incomes, start=1)
            ],
        )
    sheet.heading(_("Reasons for the request"))
    if request is not None:
        sheet.paragraph(request.justification)
    else:
        sheet.fields([("", "")] * 5, columns=1, label_share=0.0, blank=True)
    sheet.gap(4)

    def signing(kept: Sheet) -> None:  # the sentence signed and the signatures: one page
        kept.paragraph(
            _(
                "I confirm that the information in this request is correct and complete, and I "
                "agree that the society may verify it with the relevant authorities."
            )
        )
        kept.gap(6)
        kept.signatures(
            [_("Applicant"), _("Receiving officer")],
            [person.full_name if person else None, subject.staff if subject else None],
        )

    sheet.keep(signing)


def _relationship(value: str) -> str:
    try:
        return label(Relationship(value), FORM_LANGUAGE)
    except ValueError:
        return value


def _place(person: Any) -> str:
    parts = [p for p in (person.city, person.district) if p]
    return "، ".join(parts) if parts else DASH


# --- declaration (signed or blank) ----------------------------------------------------------

# How each declared field is labelled on the form; the fields themselves and their order are
# the declaration's own (DECLARED_FIELDS). The name is printed whole, and the long fields on
# their own lines.
_DECLARED_LABELS = {
    "file_number": N_("File number:"),
    "national_id": N_("ID number:"),
    "id_type": N_("Type of ID:"),
    "gender": N_("Gender:"),
    "birth_date": N_("Date of birth:"),
    "nationality": N_("Nationality:"),
    "marital_status": N_("Marital status:"),
    "phone": N_("Mobile:"),
    "city": N_("City:"),
    "district": N_("District:"),
    "address": N_("Address:"),
    "categories": N_("Categories:"),
    "housing_type": N_("Housing:"),
    "monthly_rent_halalas": N_("Monthly rent:"),
    "household_size": N_("Household size:"),
    "monthly_income_halalas": N_("Monthly income:"),
    "iban": N_("IBAN:"),
}
_DECLARED_WIDE = ("address", "categories")
_DECLARED_GRID = tuple(
    (key, _DECLARED_LABELS[key])
    for key in DECLARED_FIELDS
    if key not in NAME_PARTS and key not in _DECLARED_WIDE
)


_declared_value = printed.declared_value


def _declaration_form(sheet: Sheet, subject: Subject, signature_png: bytes | None) -> None:
    declaration = subject.declaration
    assert declaration is not None
    data = declaration.declared_data
    sheet.heading(_("The declaration"))
    sheet.paragraph(declaration.text)
    sheet.gap(4)
    sheet.heading(_("The data declared"))
    name = four_part_name(str(data.get(k) or "") for k in NAME_PARTS)
    gender = printed.declared_gender(subject)
    sheet.fields([(_("Full name (four parts):"), name or DASH)], columns=1, label_share=0.19)
    sheet.fields(
        [(_(text), _declared_value(key, data.get(key), gender)) for key, text in _DECLARED_GRID]
    )
    sheet.fields(
        [
            (_(_DECLARED_LABELS[key]), _declared_value(key, data.get(key), gender))
            for key in _DECLARED_WIDE
        ],
        columns=1,
        label_share=0.19,
    )
    sheet.heading(_("Signature"))
    sheet.keep(lambda kept: _declaration_signing(kept, subject, signature_png))


def _declaration_signing(sheet: Sheet, subject: Subject, signature_png: bytes | None) -> None:
    """Who signed and when, the sentence on the signature, the fingerprint and the signature
    lines: kept on one page. A signature captured on the screen is printed on the declarant's
    signature line, which then asks for no second signature."""
    declaration = subject.declaration
    assert declaration is not None
    sheet.fields(
        [
            (_("Signer:"), declaration.signer_name),
            (_("Date signed:"), _moment(declaration.signed_at)),
        ]
    )
    captured: bytes | str | None = None
    if signature_png and layout.readable_image(signature_png):
        captured = signature_png
    elif declaration.signature_sha256 is not None:  # the image is not at hand, or damaged
        captured = _("Signed on the screen")
    if isinstance(captured, bytes):
        sheet.paragraph(
            _(
                "The declarant signed on the screen; that signature is printed on the "
                "declarant's signature line below."
            )
        )
    elif signature_png is not None:
        sheet.paragraph(_("The stored signature image cannot be read."))
    elif declaration.signature_sha256 is not None:
        sheet.paragraph(
            _(
                "The signature image is not on this computer yet (it arrives with the next "
                "sync); its fingerprint is {sha}.",
                sha=declaration.signature_sha256[:16],
            )
        )
    else:
        sheet.paragraph(_("Signed on paper: the declarant signs below."))
    sheet.gap(2)
    sheet.paragraph(
        _("Content fingerprint (SHA-256): {sha}", sha=declaration.content_sha256[:32]),
        layout.styles().small,
    )
    sheet.paragraph(declaration.content_sha256[32:], layout.styles().small)
    if subject.superseded:
        sheet.callout(_("This declaration was replaced by a newer one."))
    sheet.gap(6)
    sheet.signatures(
        [_("Declarant"), _("Officer who took the declaration")],
        [declaration.signer_name, subject.staff],
        [captured, None],
    )


def _declaration_template() -> str:
    return declaration_template(FORM_LANGUAGE)


BLANK = "…………………………"


def _blank_declaration_form(sheet: Sheet) -> None:
    text = _declaration_template().format(full_name=BLANK * 2, national_id=BLANK, file_number=BLANK)
    sheet.heading(_("The declaration"))
    sheet.paragraph(text)
    sheet.gap(4)
    sheet.heading(_("The data declared"))
    sheet.fields([(_("Full name (four parts):"), "")], columns=1, label_share=0.19, blank=True)
    sheet.fields(
        [(_(text), "") for key, text in _DECLARED_GRID if key != "file_number"]
        + [(_(_DECLARED_LABELS["file_number"]), "")],
        blank=True,
    )

    def signing(kept: Sheet) -> None:  # the last lines filled in and the signatures: one page
        kept.fields(
            [(_(_DECLARED_LABELS[key]), "") for key in _DECLARED_WIDE],
            columns=1,
            label_share=0.19,
            blank=True,
        )
        kept.gap(6)
        kept.signatures([_("Declarant"), _("Officer who took the declaration")])

    sheet.keep(signing)


# --- receipt --------------------------------------------------------------------------------


def _receipt_form(sheet: Sheet, subject: Subject) -> None:
    request = subject.request
    assert request is not None and request.committee_due_on is not None
    person = subject.person
    submitted = request.submitted_at
    days = (request.committee_due_on - submitted.astimezone().date()).days if submitted else None
    sheet.heading(_("Your request"))
    sheet.fields(
        [
            (_("Request number:"), request.request_number),
            (_("Submitted on:"), _day(submitted.astimezone().date()) if submitted else DASH),
            (_("Name:"), person.full_name),
            (_("ID number:"), person.national_id),
            (_("Type of request:"), _label(request.request_type)),
            (_("Amount requested:"), _money(request.amount_requested_halalas)),
        ]
    )
    sheet.gap(4)
    sheet.callout(
        _(
            "The research committee will answer your request by {date} at the latest.",
            date=format_dual(request.committee_due_on),
        )
    )
    sheet.heading(_("What happens next"))
    steps = [
        _(
            "Your request has been passed to the society's research committee, which studies "
            "it and answers with an approval or an apology."
        ),
        _(
            "The committee answers within {period} of the day you submitted the request, "
            "that is by the date above. If it needs more information, the branch tells you "
            "what is missing, and the period continues once you provide it.",
            period=(
                count_phrase(days, DAY, FORM_LANGUAGE, oblique=True) if days is not None else DASH
            ),
        ),
        _(
            "A social researcher may call you to complete some information or to arrange a "
            "home visit, so please keep your phone within reach."
        ),
        _(
            "If the request is approved, your registration is completed and the service is "
            "delivered to you; you sign a receipt when you receive it."
        ),
        _(
            "Rating our service is your right and helps us improve it. Your suggestions and "
            "complaints are welcome at any time, and each one is followed up."
        ),
        _("Keep this receipt, and give the request number whenever you contact us."),
    ]
    sheet.bullets(steps)
    sheet.heading(_("Contact the branch"))
    branch = subject.branch
    # What HQ has not given the branch yet is left out: a dash would read as "no phone".
    contact = [(_("Branch:"), branch.name)]
    if branch.phone:
        contact.append((_("Phone:"), branch.phone))
    sheet.fields(contact)
    lines = []
    if branch.address and branch.address.strip():
        lines.append((_("Address:"), branch.address.strip()))
    if subject.working_days:
        lines.append((_("Working days:"), printed.day_names(subject.working_days)))
    if lines:
        sheet.fields(lines, columns=1, label_share=0.19)
    sheet.gap(6)
    sheet.signatures([_("Receiving officer")], [subject.staff])


# --- interview record -----------------------------------------------------------------------


def _interview_form(sheet: Sheet, subject: Subject) -> None:
    interview = subject.interview
    assert interview is not None
    person = subject.person
    sheet.heading(_("The interview"))
    sheet.fields(
        [
            (_("Beneficiary:"), person.full_name),
            (_("File number:"), person.file_number),
            (_("Interviewer:"), _text(subject.staff)),
            (_("Channel:"), _label(interview.channel)),
            (_("Start:"), _moment(interview.started_at)),
            (
                _("End:"),
                _moment(interview.finished_at)
                if interview.finished_at
                else _("The interview is still open"),
            ),
        ]
    )
    sheet.heading(_("The policy's steps"))
    sheet.table(
        [Column(_("No."), 0.45, "center"), Column(_("Step"), 4), Column(_("State"), 1.5)],
        [
            [str(n), name, state]
            for n, (name, state) in enumerate(printed.step_rows(subject), start=1)
        ],
    )
    sheet.heading(_("Documents checked"))
    if subject.documents:
        sheet.table(
            [
                Column(_("No."), 0.45, "center"),
                Column(_("Document"), 2.0),
                Column(_("Number"), 1.3, "center"),
                Column(_("Expiry date"), 2.7),
                Column(_("Valid on the day of submission"), 1.3, "center"),
            ],
            [
                [
                    str(n),
                    label(check.doc_type, FORM_LANGUAGE),
                    _text(check.number),
                    _day(check.expiry_date),
                    _("Yes") if check.valid_on_submission else _("No: expired"),
                ]
                for n, check in enumerate(subject.documents, start=1)
            ],
        )
    else:
        sheet.paragraph(_("No documents were checked in this interview."))
    sheet.heading(_("Notes"))

    def signing(kept: Sheet) -> None:  # the notes signed and the signatures: one page
        kept.paragraph(interview.notes or DASH)
        kept.gap(8)
        kept.signatures([_("Interviewer"), _("Beneficiary")], [subject.staff, person.full_name])

    sheet.keep(signing)


# --- committee decision letter --------------------------------------------------------------


def _decision_form(sheet: Sheet, subject: Subject) -> None:
    decision, request = subject.decision, subject.request
    assert decision is not None and request is not None
    st = layout.styles()
    number = request.request_number
    submitted = _day(request.submitted_at.astimezone().date()) if request.submitted_at else DASH
    decided = format_dual(decision.decided_on)
    sheet.paragraph(_("To: {name}", name=subject.person.full_name), st.label)
    sheet.paragraph(_("ID number: {number}", number=subject.person.national_id))
    sheet.gap(8)
    sheet.paragraph(_("Peace be upon you, and the mercy and blessings of God."))
    sheet.gap(4)
    if decision.outcome == DecisionOutcome.APPROVE:
        sheet.paragraph(
            _(
                "The society's research committee has studied your support request number "
                "{number}, submitted on {submitted}, and decided on {decided} to approve it.",
                number=number,
                submitted=submitted,
                decided=decided,
            )
        )
        if decision.approved_amount_halalas is not None:
            sheet.gap(2)
            sheet.callout(
                _("Approved amount: {amount}", amount=_money(decision.approved_amount_halalas))
            )
        sheet.paragraph(
            _(
                "The branch will contact you to arrange the delivery of the service. Please "
                "bring your ID card and this letter when you come."
            )
        )
    elif decision.outcome == DecisionOutcome.REJECT:
        sheet.paragraph(
            _(
                "The society's research committee has studied your support request number "
                "{number}, submitted on {submitted}, and decided on {decided} that it cannot "
                "be approved, for the following reason:",
                number=number,
                submitted=submitted,
                decided=decided,
            )
        )
        sheet.gap(2)
        sheet.callout(decision.reason or DASH)
        sheet.paragraph(
            _(
                "You may submit a new request whenever your circumstances change, and the "
                "branch will gladly answer your questions about this decision."
            )
        )
    else:
        sheet.paragraph(
            _(
                "The society's research committee has studied your support request number "
                "{number}, submitted on {submitted}, and needs the following to complete its "
                "study (noted on {decided}):",
                number=number,
                submitted=submitted,
                decided=decided,
            )
        )
        sheet.gap(2)
        sheet.callout(decision.reason or DASH)
        sheet.paragraph(
            _(
                "Please provide it to the branch; the committee's period continues from the "
                "day you do."
            )
        )
    sheet.gap(6)
    sheet.fields([(_("Committee members:"), _text(decision.members))], columns=1, label_share=0.22)
    if subject.superseded:
        sheet.callout(_("This decision was corrected by a later decision of the committee."))
    sheet.gap(6)

    def signing(kept: Sheet) -> None:  # the regards and the signatures: one page
        kept.paragraph(_("With our best regards,"))
        kept.paragraph(_("The research committee, {branch}", branch=subject.branch.name), st.label)
        kept.gap(10)
        kept.signatures([_("Head of the committee"), _("Branch manager")])

    sheet.keep(signing)


# --- service delivery receipt ---------------------------------------------------------------


def _delivery_form(sheet: Sheet, subject: Subject, signature_png: bytes | None) -> None:
    delivery = subject.delivery
    assert delivery is not None
    person = subject.person
    sheet.heading(_("The service delivered"))
    sheet.fields(
        [
            (_("Beneficiary:"), person.full_name),
            (_("ID number:"), person.national_id),
            (_("Request number:"), _text(subject.facts.get("request_number"))),
            (_("Service:"), _label(delivery.service_type)),
            (_("Amount:"), _money(delivery.amount_halalas)),
            (_("Date of delivery:"), _day(delivery.delivered_on)),
        ]
    )
    sheet.fields([(_("Items:"), _text(delivery.items))], columns=1, label_share=0.19)
    sheet.gap(6)
    sheet.paragraph(
        _(
            "I, the undersigned, confirm that I have received in full the service described "
            "above from Romah Society for Non-profit Development."
        )
    )
    sheet.gap(8)
    labels = [_("Recipient"), _("Delivering officer"), _("Witness")]
    names = [person.full_name, subject.staff, None]
    _recipient_signature(sheet, delivery.receipt_signature_sha256, signature_png, labels, names)
    sheet.signatures(labels, names)


# The box of the recipient's captured signature: within the first of three signature blocks.
_RECEIPT_SIGNATURE = (150.0, 56.0)


def _recipient_signature(
    sheet: Sheet,
    sha: str | None,
    png: bytes | None,
    labels: list[str],
    names: list[str | None],
) -> None:
    """How the recipient signed, kept on one page with the signature blocks under it: the
    image captured on the screen, right above the recipient's block (the first, on the right);
    its fingerprint while the image has not reached this computer; or that they sign the
    paper."""
    st = layout.styles()
    row_labels = tuple(sheet.labels.get(key, "") for key in ("name", "signature", "date"))
    blocks = layout.signature_height(labels, sheet.width, names, row_labels) + 6
    if png is None:
        if sha is None:
            text = _("Signed on paper: the recipient signs below.")
        else:
            text = _(
                "The signature image is not on this computer yet (it arrives with the next "
                "sync); its fingerprint is {sha}.",
                sha=sha[:16],
            )
        lines = len(shaper().wrap(text, st.body.font, st.body.size, sheet.width))
        sheet.room(lines * st.body.leading + blocks)
        sheet.paragraph(text)
        return
    width, height = _RECEIPT_SIGNATURE
    sheet.room(st.label.leading + height + 4 + blocks)
    sheet.paragraph(_("The recipient's signature:"), st.label)
    try:
        sheet.image(png, width=width, height=height)
    except (ValueError, OSError):
        sheet.paragraph(_("The stored signature image cannot be read."))


# --- entry points ---------------------------------------------------------------------------

_SUBTITLES: dict[FormKind, Callable[[Subject], str]] = {
    FormKind.REQUEST: lambda s: _("Request number: {number}", number=s.facts["request_number"]),
    FormKind.RECEIPT: lambda s: _("Request number: {number}", number=s.facts["request_number"]),
    FormKind.DECLARATION: lambda s: _("File number: {number}", number=s.person.file_number),
    FormKind.INTERVIEW: lambda s: _("File number: {number}", number=s.person.file_number),
    FormKind.DECISION: lambda s: _("Request number: {number}", number=s.facts["request_number"]),
    FormKind.DELIVERY: lambda s: _("File number: {number}", number=s.person.file_number),
}


def draw_subject(
    canvas: Canvas,
    subject: Subject,
    code: str,
    signature_png: bytes | None = None,
    qr_payload: str | None = None,
) -> int:
    """Draw the form of a loaded record, with its verification code (and the QR of
    `qr_payload`, the paper's proof), on new pages of `canvas`. Returns the number of pages."""
    _person_gender.set(subject.person.gender)
    head = _letterhead(subject, subject.kind, _SUBTITLES[subject.kind](subject), code, qr_payload)
    sheet = _sheet(canvas, head)
    if subject.kind == FormKind.REQUEST:
        _request_form(sheet, subject)
    elif subject.kind == FormKind.DECLARATION:
        _declaration_form(sheet, subject, signature_png)
    elif subject.kind == FormKind.RECEIPT:
        _receipt_form(sheet, subject)
    elif subject.kind == FormKind.INTERVIEW:
        _interview_form(sheet, subject)
    elif subject.kind == FormKind.DECISION:
        _decision_form(sheet, subject)
    else:
        _delivery_form(sheet, subject, signature_png)
    sheet.close()
    return sheet.page


def draw_blank(canvas: Canvas, kind: FormKind, branch: Branch | None = None) -> int:
    """Draw a blank paper form (request or declaration) to fill in by hand, headed with
    `branch` (the laptop's own). Returns the pages."""
    _person_gender.set(None)
    subtitle = _("To be filled in by hand when no laptop is at hand.")
    head = _letterhead(None, kind, subtitle, None, branch=branch)
    sheet = _sheet(canvas, head)
    if kind == FormKind.BLANK_REQUEST:
        _request_form(sheet, None)
    else:
        _blank_declaration_form(sheet)
    sheet.close()
    return sheet.page
