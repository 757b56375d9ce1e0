"""Every form rendered to PDF and to PNG, and read back: the words a reader expects, lines
right-aligned on the page, tables starting on the right, numbers and Latin in reading order,
nothing outside the margins. The PNGs are kept in bench/out/forms/ for people to look at."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from PIL import Image
from sqlalchemy.orm import Session

from db.enums import Gender, Role
from db.models import Beneficiary, PrintedPaper, SupportRequest
from romah_desktop.dates import format_dual
from romah_desktop.grammar import DAY, count_phrase
from romah_desktop.printing import FormKind, render_form
from romah_desktop.printing.arabic_text import ArabicShaper
from romah_desktop.printing.layout import MARGIN, PAGE_WIDTH, QR_SIZE, qr_modules
from romah_desktop.printing.papers import qr_payload
from romah_desktop.services.context import Actor
from romah_desktop.services.intake.declarations import sign_declaration
from romah_desktop.services.intake.views import declaration_text, summarize
from tests.romah_desktop.printing.conftest import (
    CODE,
    Page,
    TextRun,
    changed,
    nfkc,
    read_pages,
    record_of,
    render_png,
)
from tests.romah_desktop.printing.drawn import Drawn
from tests.romah_desktop.printing.scenario import (
    ADDRESS,
    BRANCH_ADDRESS,
    BRANCH_PHONE,
    FULL_NAME,
    JUSTIFICATION,
    REJECTION,
    SON,
    Branch1,
    signature_png,
)

FORMS_DIR = Path(__file__).resolve().parents[3] / "bench" / "out" / "forms"
RIGHT = PAGE_WIDTH - MARGIN
SCALE = 2.0
_rendered: dict[tuple[FormKind, str], tuple[bytes, list[Page], list[Path]]] = {}


def rendered(
    branch: Branch1, kind: FormKind, which: str = ""
) -> tuple[bytes, list[Page], list[Path]]:
    """The form's PDF, its pages read back and its PNGs (made once per test run)."""
    key = (kind, which)
    if key not in _rendered:
        with branch.ws.transaction() as session:
            data = render_form(
                session, branch[Role.INTERVIEWER], kind, record_of(branch, kind, which)
            )
        FORMS_DIR.mkdir(parents=True, exist_ok=True)
        pngs = render_png(
            data, FORMS_DIR / f"{kind.value}{'-' + which if which else ''}.png", SCALE
        )
        _rendered[key] = (data, read_pages(data), pngs)
    return _rendered[key]


_MARKS = re.compile("[\u064b-\u065f\u0670]")


def plain(text: str) -> str:
    """`text` without harakat, for the checks of wording (the marks themselves are checked in
    test_text_layer: their place on the page and in the text layer)."""
    return _MARKS.sub("", text)


def text_of(pages: list[Page]) -> str:
    return plain("\n".join(page.text for page in pages))


def drawn_of(pages: list[Page]) -> str:
    return "\n".join(line for page in pages for line in page.drawn)


def runs_with(pages: list[Page], text: str) -> list[TextRun]:
    return [run for page in pages for run in page.runs if plain(text) in plain(run.text)]


def contains(haystack: str, needle: str) -> bool:
    """Whether `needle` is read in `haystack`, spaces aside: pdftotext sets the space on the
    wrong side of a stop or a number in a right-to-left line ("الرياض ،حي")."""
    return "".join(nfkc(plain(needle)).split()) in "".join(nfkc(haystack).split())


def pdfium_of(pages: list[Page]) -> str:
    """The pages as PDFium reads them. pdftotext reads a bracket that closes on a number in a
    right-to-left line, or brackets around more than one word, the wrong way round ("(مبنى
    12)" as ")مبنى (12"): those are checked here, in the reader of Chrome and Edge."""
    return plain("\n".join(page.pdfium for page in pages))


ALL = [(kind, "") for kind in FormKind] + [(FormKind.DECISION, "rejection")]


@pytest.mark.parametrize(("kind", "which"), ALL, ids=lambda v: str(v) or "-")
def test_every_form_is_an_a4_pdf_with_its_fonts_embedded(
    branch: Branch1, kind: FormKind, which: str
) -> None:
    data, pages, pngs = rendered(branch, kind, which)
    assert data.startswith(b"%PDF")
    assert b"/FontFile2" in data  # the TrueType faces are embedded (subset)
    assert b"/Helvetica" not in data  # nothing fell back to a face without Arabic
    assert pages and all(round(page.width) == 595 and round(page.height) == 842 for page in pages)
    assert len(pngs) == len(pages)
    for page in pages:
        for run in page.runs:
            assert MARGIN - 1.5 <= run.left and run.right <= RIGHT + 1.5, run


@pytest.mark.parametrize(("kind", "which"), ALL, ids=lambda v: str(v) or "-")
def test_labels_are_right_aligned_at_the_margin(
    branch: Branch1, kind: FormKind, which: str
) -> None:
    _data, pages, _pngs = rendered(branch, kind, which)
    labels = [run for page in pages for run in page.runs if run.text.endswith(":")]
    rightmost = [run for run in labels if run.right > PAGE_WIDTH / 2 + 60]
    assert len(rightmost) >= 2
    # Labels of the first column, signature titles' rows and letters' lines start at the margin.
    for run in rightmost:
        if run.right > RIGHT - 20:
            assert run.right == pytest.approx(RIGHT, abs=1.5), run


@pytest.mark.parametrize(("kind", "which"), ALL, ids=lambda v: str(v) or "-")
def test_every_page_says_which_page_it_is_and_record_forms_carry_their_code(
    branch: Branch1, kind: FormKind, which: str
) -> None:
    _data, pages, _pngs = rendered(branch, kind, which)
    for number, page in enumerate(pages, start=1):
        # pdftotext moves the space on one side of a number: compare without spaces.
        assert f"صفحة{number}من{len(pages)}" in "".join(page.text.split())
    codes = {code for page in pages for code in CODE.findall("\n".join(page.drawn))}
    if kind in (FormKind.BLANK_REQUEST, FormKind.BLANK_DECLARATION):
        assert not codes
        assert contains(text_of(pages), "نموذج ورقي")
    else:
        assert len(codes) == 1
        assert all("رمز التحقق" in page.text for page in pages)


def test_the_qr_code_is_drawn_module_by_module(branch: Branch1) -> None:
    data, pages, pngs = rendered(branch, FormKind.RECEIPT)
    code = CODE.findall("\n".join(pages[0].drawn))[0]
    with branch.ws.db.session() as session:
        paper = session.scalars(sa.select(PrintedPaper).where(PrintedPaper.code == code)).one()
    # The QR carries the paper's proof: its code, the printing laptop and its signature.
    modules = qr_modules(qr_payload(code, paper.device_id, paper.signature))
    image = Image.open(pngs[0]).convert("L")
    unit = QR_SIZE / len(modules) * SCALE
    top = (MARGIN - 6) * SCALE  # the letterhead's top, from the page's top
    for r, row in enumerate(modules):
        for c, dark in enumerate(row):
            x = MARGIN * SCALE + (c + 0.5) * unit
            y = top + (r + 0.5) * unit
            assert (image.getpixel((int(x), int(y))) < 128) == dark, (r, c)


def test_request_form_prefilled_from_the_file(branch: Branch1) -> None:
    _data, pages, _pngs = rendered(branch, FormKind.REQUEST)
    text, drawn = text_of(pages), drawn_of(pages)
    for expected in ("(مبنى 12)", "(عقد الإيجار رقم 2024-0153)", "(الهوية الوطنية)"):
        assert contains(pdfium_of(pages), expected), expected  # brackets the right way
    for expected in (
        "طلب دعم مستفيد",
        FULL_NAME,  # the long four-part name, whole
        SON,  # عبدالله, in letters
        "الهوية الوطنية",
        "مسكن مستأجر",
        "1402/05/14 هـ (1982/03/09 م)",  # a Hijri date with its Gregorian day
        "حساب المواطن",
    ):
        assert contains(text, expected), expected
    for token in ("3,500.50", "2,500.75", "4,200.50", "1,200.50", "2024-0153", "+966501234567"):
        assert token in drawn, token
    assert "0153-2024" not in drawn and "50.500,3" not in drawn
    assert "LinaAbdulrahman" in drawn.replace(" ", "")
    assert "Al-Noor" in drawn


def test_a_long_name_wraps_inside_its_box(branch: Branch1) -> None:
    _data, pages, _pngs = rendered(branch, FormKind.RECEIPT)
    # In a two-column row the name takes two lines, both ending at the value's right edge.
    first = runs_with(pages, "عبدالرحمن عبدالعزيز")[0]
    second = runs_with(pages, "الدوسري")[0]
    assert second.top < first.bottom
    assert first.right == pytest.approx(second.right, abs=1.0)
    assert FULL_NAME not in pages[0].text.replace("\n", "")


def test_tables_start_on_the_right(branch: Branch1) -> None:
    _data, pages, _pngs = rendered(branch, FormKind.REQUEST)
    number_head = [run for run in runs_with(pages, "م") if run.text == "م"][0]
    name_head = [run for run in runs_with(pages, "الاسم") if run.text == "الاسم"][0]
    birth_head = runs_with(pages, "تاريخ الميلاد")[-1]
    assert number_head.left > name_head.right > birth_head.right
    assert RIGHT - 24 < number_head.left < number_head.right < RIGHT
    # The row's number is its first cell, at the right: read before the name on its line.
    first_member = runs_with(pages, "سارة محمد الدوسري")[0]
    assert first_member.text.startswith("1 سارة")
    assert RIGHT - 24 < first_member.right < RIGHT
    # The interview's steps: step 1 (receiving) is the top row, its number at the right.
    _data, steps, _pngs = rendered(branch, FormKind.INTERVIEW)
    receive = runs_with(steps, "استقبال المستفيد")[0]
    deliver = runs_with(steps, "تقديم الخدمة")[0]
    assert receive.top > deliver.top and receive.right == pytest.approx(deliver.right, abs=1)


def _ink_right_edge(image: Image.Image, run: TextRun) -> int:
    """The rightmost dark pixel in the band of a line of text."""
    top = int((image.height / SCALE - run.top) * SCALE) + 2
    bottom = int((image.height / SCALE - run.bottom) * SCALE) - 2
    band = image.crop((0, top, image.width, bottom)).point(lambda v: 255 if v < 140 else 0)
    box = band.getbbox()
    assert box is not None, run
    return box[2]


def test_receipt_lines_are_right_aligned_on_the_picture(branch: Branch1) -> None:
    _data, pages, pngs = rendered(branch, FormKind.RECEIPT)
    image = Image.open(pngs[0]).convert("L")
    starts = ["رُفع طلبك", "تردّ اللجنة خلال 14 يومًا", "قد يتصل بك", "احتفظ بهذا الإيصال"]
    for start in starts:
        run = runs_with(pages, start)[0]
        # The bullet sits at the margin (a reader's line of it starts with the bullet)…
        assert _ink_right_edge(image, run) == pytest.approx(RIGHT * SCALE, abs=3), start
        assert run.right == pytest.approx(RIGHT, abs=1.5), start
        assert run.text.startswith("•"), start
    # …and the lines that follow are indented by the bullet's room.
    continued = runs_with(pages, "الفرع بما ينقص")[0]
    assert continued.right == pytest.approx(RIGHT - 12, abs=1.5)


def test_receipt_says_what_happens_next_and_when(branch: Branch1) -> None:
    _data, pages, _pngs = rendered(branch, FormKind.RECEIPT)
    with branch.ws.transaction() as session:
        request = session.get(SupportRequest, branch.request)
        assert request is not None and request.committee_due_on is not None
        due, number = format_dual(request.committee_due_on), request.request_number
    text, drawn = text_of(pages), drawn_of(pages)
    assert contains(text, f"ستردّ لجنة البحث على طلبك في موعد أقصاه {due}.")
    assert contains(text, "خلال 14 يومًا")
    assert contains(text, "تقييمك لخدمتنا حقّ لك")
    assert number in drawn and BRANCH_PHONE in drawn
    assert contains(pdfium_of(pages), BRANCH_ADDRESS)  # "(مبنى 12)": see pdfium_of
    assert contains(text, "إيصال استلام طلب دعم")


def test_declaration_has_its_text_data_signature_and_fingerprint(branch: Branch1) -> None:
    data, pages, pngs = rendered(branch, FormKind.DECLARATION)
    text, drawn = text_of(pages), drawn_of(pages)
    assert contains(text.replace("\n", " "), f"أقرّ أنا {FULL_NAME}")
    assert contains(pdfium_of(pages), ADDRESS)
    assert "(SHA-256)" in drawn.replace(")", "(", 0) or "SHA-256" in drawn
    assert b"/Subtype /Image" in data  # the captured signature
    # The signature's ink (dark blue) is in the declarant's block, under the sentence saying
    # it was signed on the screen (on the page of the signatures).
    signed = plain("وقع المقر على الشاشة")
    [page] = [n for n, page in enumerate(pages) if signed in plain(page.text)]
    image = Image.open(pngs[page]).convert("RGB")
    caption = [run for run in pages[page].runs if plain("على الشاشة") in plain(run.text)][0]
    top = int((image.height / SCALE - caption.bottom) * SCALE)
    area = image.crop((int(PAGE_WIDTH / 2 * SCALE), top, image.width, top + int(130 * SCALE)))
    pixels = area.tobytes()
    assert any(
        pixels[i + 2] > 60 and pixels[i] < 60 for i in range(0, len(pixels), 3)
    )  # ink of the signature's colour


def test_interview_record_lists_the_steps_documents_and_notes(branch: Branch1) -> None:
    _data, pages, _pngs = rendered(branch, FormKind.INTERVIEW)
    text, drawn = text_of(pages), drawn_of(pages)
    for expected in (
        "محضر مقابلة",
        "استقبال المستفيد",
        "تقديم الخدمة",  # the step's own name, not the permission's
        "بطاقة الهوية الوطنية",
        "لا: منتهٍ",  # the expired lease contract
        "نورة عبدالله السبيعي",
        "حضر المستفيد مع ابنه عبدالله",
    ):
        assert contains(text, expected), expected
    assert "تسجيل تقديم خدمة" not in text
    assert "2024-0153" in drawn and "Follow-up:" in drawn


def test_decision_letters_say_the_decision(branch: Branch1) -> None:
    _data, approval, _pngs = rendered(branch, FormKind.DECISION)
    text = text_of(approval)
    assert contains(text, "الموافقة عليه") and contains(text, "المكرم/")
    assert "3,000.25" in drawn_of(approval)
    assert "Eng. Sami Al-Harbi".replace(" ", "") in drawn_of(approval).replace(" ", "")
    _data, rejection, _pngs = rendered(branch, FormKind.DECISION, "rejection")
    text = text_of(rejection)
    assert contains(text, "الاعتذار عن قبوله")
    assert REJECTION.split("(")[0].strip() in text
    assert "4,200.50" in drawn_of(rejection)


def test_delivery_receipt_has_signature_lines_for_each_party(branch: Branch1) -> None:
    _data, pages, _pngs = rendered(branch, FormKind.DELIVERY)
    text = text_of(pages)
    for expected in ("المستلم", "الموظف المسلِّم", "الشاهد", "التوقيع:", "أقرّ أنا الموقّع أدناه"):
        assert contains(text, expected), expected
    assert text.count("التوقيع:") == 3
    assert "88-1204" in drawn_of(pages) and "3,000.25" in drawn_of(pages)


def test_blank_forms_have_lines_to_fill_and_no_personal_data(branch: Branch1) -> None:
    _data, request, _pngs = rendered(branch, FormKind.BLANK_REQUEST)
    text = text_of(request)
    assert contains(text, "نموذج طلب دعم (فارغ)") and "الاسم الرباعي:" in text
    assert FULL_NAME not in text
    _data, declaration, _pngs = rendered(branch, FormKind.BLANK_DECLARATION)
    text = text_of(declaration)
    assert contains(text, "أقرّ أنا") and contains(text, "مسؤوليةً")
    assert "{full_name}" not in text
    assert JUSTIFICATION not in text


# --- the person's gender: every form speaks to and of a woman in the feminine -----------------

# Per form, what addresses or describes the person: (the masculine wording, the feminine one),
# each a pattern searched in every logical string handed to the shaper (harakat removed).
GENDERED: dict[FormKind, tuple[list[str], list[str]]] = {
    FormKind.REQUEST: (["مقدم الطلب"], ["مقدمة الطلب"]),
    FormKind.DECLARATION: (
        ["صاحب الهوية", "مسؤول مسؤولية", "^المقر:?$"],
        ["صاحبة الهوية", "مسؤولة مسؤولية", "^المقرة:?$"],
    ),
    FormKind.RECEIPT: (
        ["احتفظ ب", "فاحرص على", "وتوقع على", "أن تقدمه"],
        ["احتفظي ب", "فاحرصي على", "وتوقعين على", "أن تقدميه"],
    ),
    FormKind.INTERVIEW: (["^المستفيد:?$"], ["^المستفيدة:?$"]),
    FormKind.DECISION: (["المكرم/"], ["المكرمة/"]),
    FormKind.DELIVERY: (
        ["الموقع أدناه", "^المستلم$", "^المستفيد:$"],
        ["الموقعة أدناه", "^المستلمة$", "^المستفيدة:$"],
    ),
}


def _strings_drawn(
    monkeypatch: pytest.MonkeyPatch, session: Session, actor: Actor, kind: FormKind, record: str
) -> list[str]:
    """The logical strings the form hands to the text layer (before shaping and reordering)."""
    seen: list[str] = []
    for method in ("line", "lines"):  # what is drawn, not what is only measured
        original = getattr(ArabicShaper, method)

        def spy(self: ArabicShaper, text: str, *args: Any, _original: Any = original) -> Any:
            seen.append(plain(text))
            return _original(self, text, *args)

        monkeypatch.setattr(ArabicShaper, method, spy)
    render_form(session, actor, kind, record)
    monkeypatch.undo()
    return seen


def _gender_check(strings: list[str], kind: FormKind, woman: bool) -> None:
    masculine, feminine = GENDERED[kind]
    wanted, unwanted = (feminine, masculine) if woman else (masculine, feminine)
    for pattern in wanted:
        assert any(re.search(pattern, s) for s in strings), (kind, pattern)
    for pattern in unwanted:
        found = [s for s in strings if re.search(pattern, s)]
        assert not found, (kind, pattern, found)


@pytest.mark.parametrize("kind", list(GENDERED))
def test_every_form_addresses_a_woman_in_the_feminine(
    branch: Branch1, kind: FormKind, monkeypatch: pytest.MonkeyPatch
) -> None:
    clerk = branch[Role.INTERVIEWER]
    with changed(branch) as session:
        person = session.get(Beneficiary, branch.person)
        assert person is not None
        person.gender = Gender.FEMALE
        session.flush()
        record = record_of(branch, kind)
        if kind == FormKind.DECLARATION:
            # What she signs is in the feminine too (and printed as signed).
            record = sign_declaration(
                session,
                clerk,
                beneficiary_id=person.id,
                signer_name=FULL_NAME,
                text=declaration_text("ar", summarize(person)),
                signature_png=None,
                attachments_dir=branch.ws.attachments_dir,
            ).id
            session.flush()
        assert record is not None
        strings = _strings_drawn(monkeypatch, session, clerk, kind, record)
    _gender_check(strings, kind, woman=True)
    if kind == FormKind.DECLARATION:
        assert any("توقع المقرة أدناه" in s for s in strings)


@pytest.mark.parametrize("kind", list(GENDERED))
def test_every_form_addresses_a_man_in_the_masculine(
    branch: Branch1, kind: FormKind, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = record_of(branch, kind)
    assert record is not None
    with changed(branch) as session:
        strings = _strings_drawn(monkeypatch, session, branch[Role.INTERVIEWER], kind, record)
    _gender_check(strings, kind, woman=False)


def test_the_receipt_counts_the_days_in_arabic(
    branch: Branch1, monkeypatch: pytest.MonkeyPatch
) -> None:
    with changed(branch) as session:
        strings = _strings_drawn(
            monkeypatch, session, branch[Role.INTERVIEWER], FormKind.RECEIPT, branch.request
        )
        request = session.get(SupportRequest, branch.request)
        assert request is not None and request.committee_due_on and request.submitted_at
        days = (request.committee_due_on - request.submitted_at.astimezone().date()).days
    assert any(
        f"خلال {plain(count_phrase(days, DAY, 'ar', oblique=True))} من يوم" in s for s in strings
    )


# --- keeping the signing together -----------------------------------------------------------


def draw_declaration(
    branch: Branch1,
    monkeypatch: pytest.MonkeyPatch,
    extra: int,
    *,
    png: bytes | None,
    on_paper: bool = False,
) -> Drawn:
    """The declaration with `extra` sentences added to its text (signed on paper, or on the
    screen with the image `png`), drawn with the blocks spied."""
    from reportlab.pdfgen.canvas import Canvas

    from romah_desktop.printing import fonts
    from romah_desktop.printing.forms import draw_subject
    from romah_desktop.printing.records import load

    with branch.ws.db.session() as session:
        subject = load(session, branch[Role.INTERVIEWER], FormKind.DECLARATION, branch.declaration)
        stored = subject.declaration
        assert stored is not None
        declaration = SimpleNamespace(
            **{
                name: getattr(stored, name)
                for name in (
                    "declared_data",
                    "signer_name",
                    "signed_at",
                    "signature_sha256",
                    "content_sha256",
                )
            },
            text=stored.text + "\n" + " ".join(["وأتعهد بإبلاغ الجمعية بكل تغيير."] * extra),
        )
        if on_paper:
            declaration.signature_sha256 = None
        subject = dataclasses.replace(subject, declaration=declaration)
        monkeypatch.undo()
        drawn = Drawn().spy(monkeypatch)
        canvas = Canvas(io.BytesIO(), initialFontName=fonts.font_set().regular)
        draw_subject(canvas, subject, "ABCD-EFGH-JKMN-PQRS", png, qr_payload="romah:ABCD")
    return drawn


@pytest.mark.parametrize("captured", [True, False], ids=["captured", "on-paper"])
def test_the_signing_stays_together_on_a_page_with_the_qr(
    branch: Branch1, monkeypatch: pytest.MonkeyPatch, captured: bool
) -> None:
    png = signature_png() if captured else None
    moved = 0
    for extra in range(0, 44, 2):  # the text grows a line or two at a time, over a whole page
        drawn = draw_declaration(branch, monkeypatch, extra, png=png, on_paper=not captured)
        [page] = drawn.pages_with("signatures")
        kinds = drawn.pages()[page]
        moved += page > 1
        # The sentence and the signature come with the signature lines, never after them.
        before = kinds[: kinds.index("signatures")]
        assert "text" in before, (extra, kinds)
        assert page in drawn.pages_with("qr"), (extra, page)
        if captured:
            assert page in drawn.pages_with("image"), (extra, page)
        for number, on_page in drawn.pages().items():
            if "heading" in on_page:
                after = on_page[len(on_page) - on_page[::-1].index("heading") :]
                assert {"text", "row"} & set(after), (extra, number, on_page)
        assert not drawn.broken_words()
    assert moved  # some lengths push the signing to the second page


def test_a_captured_signature_is_the_declarant_s_signature_line(
    branch: Branch1, monkeypatch: pytest.MonkeyPatch
) -> None:
    inside: dict[str, list[str]] = {}
    for how, png in (("captured", signature_png()), ("not here", None), ("paper", None)):
        drawn = draw_declaration(branch, monkeypatch, 0, png=png, on_paper=how == "paper")
        inside[how] = [inner for _page, outer, inner in drawn.nested if outer == "signatures"]
    # Two signers, each with a line for the name, the signature and the date; the captured
    # image (or words saying it was captured, when the image is not on this computer) is in the
    # declarant's block in place of a line to sign on again.
    assert inside["paper"].count("dotted") == 6 and "image" not in inside["paper"]
    assert inside["captured"].count("dotted") == 5 and inside["captured"].count("image") == 1
    assert inside["not here"].count("dotted") == 5 and "image" not in inside["not here"]


@pytest.mark.parametrize(("kind", "which"), ALL, ids=lambda v: str(v) or "-")
def test_no_page_holds_only_signature_lines_and_no_heading_ends_a_page(
    branch: Branch1, monkeypatch: pytest.MonkeyPatch, kind: FormKind, which: str
) -> None:
    drawn = Drawn().spy(monkeypatch)
    with branch.ws.transaction() as session:
        render_form(session, branch[Role.INTERVIEWER], kind, record_of(branch, kind, which))
    pages = drawn.pages()
    for page in drawn.pages_with("signatures"):
        kinds = pages[page]
        assert {"text", "row"} & set(kinds[: kinds.index("signatures")]), (page, kinds)
        if kind not in (FormKind.BLANK_REQUEST, FormKind.BLANK_DECLARATION):
            assert page in drawn.pages_with("qr"), page  # the paper's proof on the signed page
    for page, kinds in pages.items():
        if "heading" in kinds:
            after = kinds[len(kinds) - kinds[::-1].index("heading") :]
            assert {"text", "row"} & set(after), (page, kinds)
    assert not drawn.broken_words()
