"""Every form rendered to PDF and to PNG, and read back: the words a reader expects, lines
right-aligned on the page, tables starting on the right, numbers and Latin in reading order,
nothing outside the margins. The PNGs are kept in bench/out/forms/ for people to look at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from db.enums import Role
from db.models import PrintedPaper, SupportRequest
from romah_desktop.dates import format_dual
from romah_desktop.printing import FormKind, render_form
from romah_desktop.printing.layout import MARGIN, PAGE_WIDTH, QR_SIZE, qr_modules
from romah_desktop.printing.papers import qr_payload
from tests.romah_desktop.printing.conftest import Page, TextRun, read_pages, render_png
from tests.romah_desktop.printing.scenario import (
    ADDRESS,
    BRANCH_ADDRESS,
    BRANCH_PHONE,
    FULL_NAME,
    JUSTIFICATION,
    REJECTION,
    SON,
    Branch1,
)

FORMS_DIR = Path(__file__).resolve().parents[3] / "bench" / "out" / "forms"
RIGHT = PAGE_WIDTH - MARGIN
SCALE = 2.0
CODE = re.compile(r"(?<![0-9A-Z-])[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}(?![0-9A-Z-])")


def record_of(branch: Branch1, kind: FormKind, which: str = "") -> str | None:
    return {
        FormKind.REQUEST: branch.request,
        FormKind.RECEIPT: branch.request,
        FormKind.DECLARATION: branch.declaration,
        FormKind.INTERVIEW: branch.interview,
        FormKind.DECISION: branch.rejection if which == "rejection" else branch.decision,
        FormKind.DELIVERY: branch.delivery,
    }.get(kind)


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
    """`text` without harakat: PDFium moves a mark next to the wrong letter when it reads an
    Arabic line back (the page itself draws it over the right one: see the PNGs)."""
    return _MARKS.sub("", text)


def text_of(pages: list[Page]) -> str:
    return plain("\n".join(page.text for page in pages))


def drawn_of(pages: list[Page]) -> str:
    return "\n".join(line for page in pages for line in page.drawn)


def runs_with(pages: list[Page], text: str) -> list[TextRun]:
    return [run for page in pages for run in page.runs if plain(text) in plain(run.text)]


def contains(haystack: str, needle: str) -> bool:
    return plain(needle) in haystack


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
        # Drawn right to left: "صفحة", the page, "من", then the count on the far left.
        assert f"{len(pages)}نم{number}ةحفص" in "".join(page.drawn[-1:])
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
    for expected in (
        "طلب دعم مستفيد",
        FULL_NAME,  # the long four-part name, whole
        SON,  # عبدالله, in letters
        "(مبنى 12)",  # brackets facing the right way
        "(عقد الإيجار رقم 2024-0153)",
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
    first_member = runs_with(pages, "سارة محمد الدوسري")[0]
    row_one = [
        run
        for run in pages[0].runs
        if run.text == "1" and abs(run.top - first_member.top) < 6 and run.left > MARGIN + 100
    ]
    assert row_one and row_one[0].left > first_member.right
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
        # The bullet sits at the margin; the text after it is indented by the same amount.
        assert _ink_right_edge(image, run) == pytest.approx(RIGHT * SCALE, abs=3), start
        assert run.right == pytest.approx(RIGHT - 12, abs=1.5), start
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
    assert BRANCH_ADDRESS in text
    assert contains(text, "إيصال استلام طلب دعم")


def test_declaration_has_its_text_data_signature_and_fingerprint(branch: Branch1) -> None:
    data, pages, pngs = rendered(branch, FormKind.DECLARATION)
    text, drawn = text_of(pages), drawn_of(pages)
    assert contains(text.replace("\n", " "), f"أقرّ أنا {FULL_NAME}")
    assert ADDRESS in text
    assert "(SHA-256)" in drawn.replace(")", "(", 0) or "SHA-256" in drawn
    assert b"/Subtype /Image" in data  # the captured signature
    # The signature's ink (dark blue) is on the first page, under its caption.
    image = Image.open(pngs[0]).convert("RGB")
    caption = runs_with(pages, "توقيع المقرّ")[0]
    top = int((image.height / SCALE - caption.bottom) * SCALE)
    area = image.crop((0, top, image.width, top + int(80 * SCALE)))
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
    assert contains(text, "الموافقة عليه") and "المكرم/" in text
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
