"""What the papers say about the branch and about the recipient's signature: every form's
letterhead carries the branch's phone and address (HQ's record of the branch; the laptop's own
branch on a blank form), nothing stands in for them when the branch has none, and the delivery
receipt prints the signature captured on the screen, or says it was signed on paper.

The words are checked as the forms hand them to the layout (the PDF's text comes back in
presentation forms), the signature as an image object on the page."""

from __future__ import annotations

from typing import Any

import pypdfium2 as pdfium
import pytest
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import Branch, ServiceDelivery
from romah_desktop.i18n import translate
from romah_desktop.printing import FormKind, layout, render_form
from romah_desktop.printing.kinds import RECORD_KINDS
from romah_desktop.services.intake.declarations import default_attachments_dir, store_attachment
from tests.romah_desktop.printing.conftest import changed, record_of
from tests.romah_desktop.printing.scenario import (
    BRANCH_ADDRESS,
    BRANCH_PHONE,
    Branch1,
    signature_png,
)

RIGHT = layout.PAGE_WIDTH - layout.MARGIN


def ar(text: str, **values: Any) -> str:
    return translate(text, "ar", **values)


class Spy:
    """The logical text the forms hand to the layout: single lines, paragraphs, callouts,
    bullets, and label/value pairs."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.lines: list[str] = []
        self.pairs: list[tuple[str, str]] = []
        self.placed: list[tuple[str, float, float]] = []  # single lines: (text, x, baseline)
        draw_text = layout.draw_text

        def text_spy(canvas: Any, text: str, **kwargs: Any) -> float:
            self.lines.append(text)
            self.placed.append((text, kwargs["x"], kwargs["y"]))
            return draw_text(canvas, text, **kwargs)

        monkeypatch.setattr(layout, "draw_text", text_spy)
        for name in ("paragraph", "callout"):
            original = getattr(layout.Sheet, name)

            def block_spy(
                sheet: Any, text: str, *a: Any, _original: Any = original, **k: Any
            ) -> Any:
                self.lines.append(text)
                return _original(sheet, text, *a, **k)

            monkeypatch.setattr(layout.Sheet, name, block_spy)
        bullets, fields = layout.Sheet.bullets, layout.Sheet.fields

        def bullets_spy(sheet: Any, items: list[str], *a: Any, **k: Any) -> None:
            self.lines.extend(items)
            bullets(sheet, items, *a, **k)

        def fields_spy(sheet: Any, pairs: list[tuple[str, str]], **k: Any) -> None:
            self.pairs.extend(pairs)
            fields(sheet, pairs, **k)

        monkeypatch.setattr(layout.Sheet, "bullets", bullets_spy)
        monkeypatch.setattr(layout.Sheet, "fields", fields_spy)

    def clear(self) -> None:
        self.lines.clear()
        self.pairs.clear()

    def all_text(self) -> list[str]:
        return self.lines + [f"{label} {value}" for label, value in self.pairs]


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    return Spy(monkeypatch)


def render(session: Session, branch: Branch1, kind: FormKind) -> bytes:
    return render_form(session, branch[Role.INTERVIEWER], kind, record_of(branch, kind))


def images(data: bytes) -> list[list[tuple[float, float, float, float]]]:
    """Each page's image objects, as (left, bottom, right, top) in points."""
    document = pdfium.PdfDocument(data)
    try:
        return [
            [obj.get_bounds() for obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE])]
            for page in document
        ]
    finally:
        document.close()


# --- the branch's contact lines -----------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", [*RECORD_KINDS, FormKind.BLANK_REQUEST, FormKind.BLANK_DECLARATION]
)
def test_every_form_heads_with_the_branch_phone_and_address(
    branch: Branch1, spy: Spy, kind: FormKind
) -> None:
    """A record's form with its branch; a blank form with the laptop's own."""
    with changed(branch) as session:
        render(session, branch, kind)
    heads = [line for line in spy.lines if line.startswith("فرع الرياض")]
    assert heads, spy.lines[:5]
    assert BRANCH_PHONE in heads[0] and BRANCH_ADDRESS in heads[0]


@pytest.mark.parametrize("kind", [*RECORD_KINDS, FormKind.BLANK_REQUEST])
def test_a_branch_without_phone_or_address_prints_no_stand_in(
    branch: Branch1, spy: Spy, kind: FormKind
) -> None:
    with changed(branch) as session:
        for row in session.query(Branch).all():
            row.phone, row.address = None, None
        session.flush()
        render(session, branch, kind)
    heads = [line for line in spy.lines if line.startswith("فرع الرياض")]
    assert heads == ["فرع الرياض"], heads
    # The beneficiary's own address is printed; the branch's contact lines are left out.
    labels = {ar("Phone:"), ar("Address:")}
    assert [pair for pair in spy.pairs if pair[0] in labels and pair[1] == "—"] == []
    assert not any(ar("Phone: {phone}", phone="") in line for line in spy.all_text())


def test_the_receipt_gives_the_branch_phone_and_address_to_contact(
    branch: Branch1, spy: Spy
) -> None:
    with changed(branch) as session:
        render(session, branch, FormKind.RECEIPT)
    assert (ar("Phone:"), BRANCH_PHONE) in spy.pairs
    assert (ar("Address:"), BRANCH_ADDRESS) in spy.pairs


# --- the recipient's signature on the delivery receipt ------------------------------------------


def test_a_delivery_signed_on_the_screen_prints_the_signature_above_the_recipients_block(
    branch: Branch1, spy: Spy
) -> None:
    png = signature_png()
    with changed(branch) as session:
        stored = store_attachment(
            session, png, "image/png", default_attachments_dir(session), "receipt-signature.png"
        )
        delivery = session.get(ServiceDelivery, branch.delivery)
        assert delivery is not None
        delivery.receipt_signature_sha256 = stored.sha256
        session.flush()
        data = render(session, branch, FormKind.DELIVERY)
    assert ar("The recipient's signature:") in spy.lines
    assert not any("ورقي" in line for line in spy.lines)
    found = images(data)
    assert [len(boxes) for boxes in found] == [1]
    left, bottom, right, top = found[0][0]
    # The recipient's block: its title, on the right, first of the three.
    titles = [(x, y) for text, x, y in spy.placed if text == ar("Recipient")]
    assert len(titles) == 1 and titles[0][0] == pytest.approx(RIGHT)
    title = titles[0][1] + layout.styles().label.size
    # Right above the recipient's block, against the right margin, within its third.
    assert title <= bottom <= title + 12
    assert right == pytest.approx(RIGHT, abs=2) and left > RIGHT - layout.PAGE_WIDTH / 3
    assert top - bottom > 20


def test_a_delivery_signed_on_paper_says_so(branch: Branch1, spy: Spy) -> None:
    with changed(branch) as session:
        data = render(session, branch, FormKind.DELIVERY)
    assert ar("Signed on paper: the recipient signs below.") in spy.lines
    assert all(boxes == [] for boxes in images(data))


def test_a_signature_not_synced_yet_is_named_by_its_fingerprint(branch: Branch1, spy: Spy) -> None:
    sha = "ab" * 32
    with changed(branch) as session:
        delivery = session.get(ServiceDelivery, branch.delivery)
        assert delivery is not None
        delivery.receipt_signature_sha256 = sha
        session.flush()
        data = render(session, branch, FormKind.DELIVERY)
    assert any(sha[:16] in line for line in spy.lines)
    assert not any(line == ar("Signed on paper: the recipient signs below.") for line in spy.lines)
    assert all(boxes == [] for boxes in images(data))


def test_an_address_too_long_for_the_letterhead_is_given_in_full_on_the_receipt(
    branch: Branch1, spy: Spy
) -> None:
    long_address = "، ".join([BRANCH_ADDRESS] * 5)
    with changed(branch) as session:
        for row in session.query(Branch).all():
            row.address = long_address
        session.flush()
        render(session, branch, FormKind.RECEIPT)
    heads = [line for line in spy.lines if line.startswith("فرع الرياض")]
    assert heads == [f"فرع الرياض · {ar('Phone: {phone}', phone=BRANCH_PHONE)}"]
    assert (ar("Address:"), long_address) in spy.pairs
