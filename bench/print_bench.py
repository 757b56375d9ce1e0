"""`python -m bench.print_bench [--record]`: printed forms.

Makes a branch database of its own (a few seconds, in a temporary folder): 100 people, each
with a household, a signed declaration and a support request submitted today, half of them
decided. Then measures, quoting median and 95th percentile:

* one form in process: `render_form` of a receipt, each time another person's (so nothing is
  served from the caches that a reprint of the same form would hit), in its own transaction
  with the audit event — target median ≤ 15 ms; and each other kind for information;
* a day's batch of 100 receipts in one PDF with `render_batch` — target ≤ 1 s;
* `romah print receipt` as a whole process, from start to the PDF written, sign-in included
  — target median ≤ 500 ms.

Wall time and this process's CPU time are both given: on a shared machine the wall time
stretches with the load, the CPU time much less. With --record, a dated section with the
machine is appended to bench/RESULTS.md. The PNGs of one form of each kind are written to
bench/out/forms/bench-*.png, to look at.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from bench.report import record, section
from bench.stats import Measure, format_seconds
from db.base import utcnow
from db.enums import Channel, DecisionOutcome, RequestType, Role, ServiceType
from db.models import SupportRequest
from romah_desktop.printing import FormKind, render_batch, render_form
from romah_desktop.services.committee.requests import (
    create_request,
    record_decision,
    record_service_delivery,
    submit_request,
)
from romah_desktop.services.context import Actor
from romah_desktop.services.intake.declarations import sign_declaration
from romah_desktop.services.intake.views import declaration_text, summarize
from romah_desktop.services.people.beneficiaries import register_beneficiary
from romah_desktop.services.people.household import add_household_member
from romah_desktop.services.users import add_user
from romah_desktop.validation import make_national_id
from romah_desktop.workspace import Workspace

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
FORMS = HERE / "out" / "forms"
PASSWORD = "bench-password-1"
PEOPLE = 100
FORM_TARGET_S = 0.015
BATCH_TARGET_S = 1.0
COLD_TARGET_S = 0.5

_FIRST = ("عبدالله", "محمد", "نورة", "عبدالرحمن", "فاطمة", "خالد", "هيفاء", "سارة", "فهد", "منى")
_FAMILY = ("القحطاني", "الدوسري", "العتيبي", "الغامدي", "الشمري", "آل عبدالرحمن الحربي")


def build(folder: Path) -> tuple[Workspace, Actor, dict[str, list[str]]]:
    """The branch and its records; returns the workspace, a clerk and the ids of each kind."""
    workspace = Workspace.create(folder / "data", "RYD", "فرع الرياض", "admin", PASSWORD)
    admin = workspace.login("admin", PASSWORD)
    with workspace.transaction() as session:
        add_user(session, admin, "bench.clerk", "نورة عبدالله السبيعي", Role.INTERVIEWER, PASSWORD)
        add_user(
            session, admin, "bench.committee", "خالد سعد العتيبي", Role.COMMITTEE_MEMBER, PASSWORD
        )
    clerk = workspace.login("bench.clerk", PASSWORD)
    committee = workspace.login("bench.committee", PASSWORD)
    ids: dict[str, list[str]] = {"request": [], "declaration": [], "decision": [], "delivery": []}
    for n in range(PEOPLE):
        with workspace.transaction() as session:
            person = register_beneficiary(
                session,
                clerk,
                {
                    "first_name": _FIRST[n % len(_FIRST)],
                    "father_name": _FIRST[(n * 7 + 3) % len(_FIRST)],
                    "grandfather_name": "عبدالمحسن",
                    "family_name": _FAMILY[n % len(_FAMILY)],
                    "national_id": make_national_id(f"1{n + 10_000_000:08d}"),
                    "gender": "ذكر" if n % 2 else "أنثى",
                    "birth_date": f"19{60 + n % 35}-0{1 + n % 9}-1{n % 10}",
                    "phone": f"05{n + 10_000_000:08d}",
                    "city": "الرياض",
                    "address": f"حي الملقا، شارع {n + 1} (مبنى 2024-{n:04d})",
                    "household_size": str(2 + n % 6),
                    "monthly_income": f"{2_000 + 37 * n:,}.50",
                },
                confirmed_not_duplicate=True,
            )
            session.flush()
            add_household_member(
                session,
                clerk,
                person.id,
                {"full_name": "عبدالله محمد الدوسري", "relationship": "ابن"},
            )
            declaration = sign_declaration(
                session,
                clerk,
                beneficiary_id=person.id,
                signer_name=person.full_name,
                text=declaration_text("ar", summarize(person)),
                signature_png=None,
                attachments_dir=workspace.attachments_dir,
            )
            request = create_request(
                session,
                clerk,
                beneficiary_id=person.id,
                request_type=RequestType.RENT,
                amount=f"{1_500 + n * 10:,}.50",
                justification="الأسرة متأخرة في سداد الإيجار (العقد رقم 2024-0153) منذ ثلاثة أشهر.",
                channel=Channel.INTERVIEW,
            )
            session.flush()
            submit_request(session, clerk, request.id, now=utcnow())
            ids["request"].append(request.id)
            ids["declaration"].append(declaration.id)
        if n % 2 == 0:
            with workspace.transaction() as session:
                decision = record_decision(
                    session,
                    committee,
                    request.id,
                    outcome=DecisionOutcome.APPROVE,
                    approved_amount="1,000.25",
                    reason=None,
                    decided_on=date.today(),
                    members="أ. خالد العتيبي، د. منى القحطاني",
                )
                ids["decision"].append(decision.id)
            with workspace.transaction() as session:
                delivery = record_service_delivery(
                    session,
                    clerk,
                    request_id=request.id,
                    service_type=ServiceType.RENT,
                    amount="1,000.25",
                    items="دفعة إيجار (الربع الأول)",
                    delivered_on=date.today(),
                )
                ids["delivery"].append(delivery.id)
    return workspace, clerk, ids


def _timed(action: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def measure(workspace: Workspace, clerk: Actor, ids: dict[str, list[str]]) -> list[Measure]:
    def printer(kind: FormKind, records: list[str]) -> Callable[[], object]:
        turn = iter(records * 10)

        def render() -> bytes:
            with workspace.transaction() as session:
                return render_form(session, clerk, kind, next(turn))

        return render

    # Warm up once: the fonts are registered and the form's fixed texts shaped the first time.
    with workspace.transaction() as session:
        render_form(session, clerk, FormKind.RECEIPT, ids["request"][-1])
    measures = []
    receipts = ids["request"][:-1]
    wall, cpu = _timed(printer(FormKind.RECEIPT, receipts), len(receipts))
    measures.append(
        Measure(
            "one receipt in process (a new person each time)",
            wall,
            target_s=FORM_TARGET_S,
            target_on="median",
            note=f"CPU median {format_seconds(sorted(cpu)[len(cpu) // 2])}",
        )
    )
    for kind, key in (
        (FormKind.REQUEST, "request"),
        (FormKind.DECLARATION, "declaration"),
        (FormKind.DECISION, "decision"),
        (FormKind.DELIVERY, "delivery"),
        (FormKind.BLANK_REQUEST, None),
    ):
        records = ids[key] if key else [""]
        render = printer(kind, records)
        render()  # this kind's fixed texts
        wall, cpu = _timed(render, min(30, len(records) * 3))
        measures.append(
            Measure(
                f"one form: {kind.value} (information)",
                wall,
                note=f"CPU median {format_seconds(sorted(cpu)[len(cpu) // 2])}",
            )
        )
    with workspace.db.session() as session:
        day = session.scalar(sa.select(sa.func.max(SupportRequest.submitted_at)))
    assert day is not None
    batch_day = day.astimezone().date()
    pages: list[int] = []

    def batch() -> None:
        with workspace.transaction() as session:
            data = render_batch(session, clerk, FormKind.RECEIPT, batch_day)
        pages.append(data.count(b"/Type /Page\n"))

    wall, cpu = _timed(batch, 3)
    measures.append(
        Measure(
            f"a day's batch of {PEOPLE} receipts in one PDF",
            wall,
            target_s=BATCH_TARGET_S,
            target_on="median",
            note=f"CPU median {format_seconds(sorted(cpu)[1])}",
        )
    )
    measures.append(cold_print(workspace, ids["request"][0]))
    return measures


def cold_print(workspace: Workspace, request_id: str, runs: int = 7) -> Measure:
    """`romah print receipt` run as its own process, as a clerk runs it from a terminal."""
    with workspace.db.session() as session:
        request = session.get(SupportRequest, request_id)
        assert request is not None
        number = request.request_number
    env = {**os.environ, "ROMAH_PASSWORD": PASSWORD}
    samples = []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "receipt.pdf"
        command = [
            sys.executable,
            "-m",
            "romah_desktop",
            "--data-dir",
            str(workspace.data_dir),
            "--user",
            "bench.clerk",
            "print",
            "receipt",
            "--id",
            number,
            "--out",
            str(out),
        ]
        for _ in range(runs + 1):
            start = time.perf_counter()
            subprocess.run(command, env=env, check=True, capture_output=True)
            samples.append(time.perf_counter() - start)
    return Measure(
        "cold `romah print receipt`, a whole process with sign-in",
        samples[1:],  # the first run fills the disk cache
        target_s=COLD_TARGET_S,
        target_on="median",
    )


def save_pictures(workspace: Workspace, clerk: Actor, ids: dict[str, list[str]]) -> None:
    import pypdfium2 as pdfium

    FORMS.mkdir(parents=True, exist_ok=True)
    for kind, key in (
        (FormKind.RECEIPT, "request"),
        (FormKind.DECISION, "decision"),
        (FormKind.DELIVERY, "delivery"),
    ):
        with workspace.transaction() as session:
            data = render_form(session, clerk, kind, ids[key][0])
        document = pdfium.PdfDocument(data)
        for number, page in enumerate(document, start=1):
            page.render(scale=1.5).to_pil().save(FORMS / f"bench-{kind.value}-{number}.png")
        document.close()


def table(measures: list[Measure]) -> str:
    lines = [
        "| measure | n | median | p95 | target | met |",
        "|---|---:|---:|---:|---|:-:|",
    ]
    for m in measures:
        target = "–" if m.target_s is None else f"{m.target_on} ≤ {format_seconds(m.target_s)}"
        met = {None: "–", True: "yes", False: "**no**"}[m.met]
        name = f"{m.name} ({m.note})" if m.note else m.name
        lines.append(
            f"| {name} | {len(m.samples)} | {format_seconds(m.median)} | "
            f"{format_seconds(m.p95)} | {target} | {met} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.print_bench", description=__doc__)
    parser.add_argument("--record", action="store_true", help="append the results to RESULTS.md")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="romah-print-bench-") as folder:
        print(f"Making {PEOPLE} people with their requests…", file=sys.stderr)
        workspace, clerk, ids = build(Path(folder))
        try:
            print("Printing…", file=sys.stderr)
            measures = measure(workspace, clerk, ids)
            save_pictures(workspace, clerk, ids)
        finally:
            workspace.close()
    print(table(measures))
    missed = [m.name for m in measures if m.met is False]
    print("All targets met." if not missed else f"Targets missed: {', '.join(missed)}.")
    if args.record:
        text = section(
            measures,
            None,
            PEOPLE,
            [
                f"Printed forms (`python -m bench.print_bench`): {PEOPLE} people, each with a "
                "household, a declaration and a request submitted today",
                f"Load average (1 min) at the start: {load:.1f}",
            ],
        )
        # A heading of its own, like the other benchmark modules' sections.
        text = text.replace(
            f"— {PEOPLE:,} people", "— printed forms (`python -m bench.print_bench`)", 1
        )
        record(RESULTS, text)
        print(f"Recorded in {RESULTS.relative_to(HERE.parent)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
