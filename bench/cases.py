"""The measures: search, registering one person, importing a sheet, generating demo data."""

from __future__ import annotations

import random
import statistics
import tempfile
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import sqlalchemy as sa

from bench.build import PASSWORD, make_demo
from bench.stats import Measure, format_seconds, repeat, timed
from db.enums import Role
from db.models import Beneficiary, BeneficiaryPhone
from romah_desktop.demo import vocabulary as demo_data
from romah_desktop.services.context import Actor
from romah_desktop.services.people.beneficiaries import (
    PossibleDuplicate,
    find_people,
    register_beneficiary,
)
from romah_desktop.services.people.importer import import_beneficiaries
from romah_desktop.services.people.sheets import COLUMNS, write_sheet
from romah_desktop.services.users import add_user
from romah_desktop.validation import format_mobile_local, make_iban, make_national_id
from romah_desktop.workspace import Workspace

SEARCH_TARGET_S = 0.010
REGISTER_TARGET_S = 0.005
IMPORT_TARGET_S = 10.0
IMPORT_ROWS = 10_000
# The demo data of a 200,000-person branch well within ten minutes, in proportion.
DEMO_TARGET_S_PER_PERSON = 600 / 200_000

# What a clerk types: one or two words, with and without hamza (أ/ا, ة/ه, ئ/ي), and the
# start of a name still being typed.
NAME_QUERIES = (
    "محمد",
    "أحمد",
    "احمد",
    "إبراهيم",
    "ابراهيم",
    "عائشة",
    "عايشه",
    "أسماء",
    "اسما",
    "هيفاء",
    "القحطاني",
    "عبدالرح",
    "نورة الدوسري",
    "نوره الدوسري",
    "محمد القحطاني",
    "عبد الله الغامدي",
    "فاطمة العتيبي",
    "ابراهيم الحربي",
    "سارة الشمري",
    "خالد المطيري",
)


CLERK = "bench.clerk"


def open_as(data_dir: Path) -> tuple[Workspace, Actor, Actor]:
    """Open the working copy with the administrator's password; return it, its administrator
    and a front-desk clerk."""
    workspace, admin = Workspace.unlock(data_dir, "admin", PASSWORD)
    add_clerk(workspace, admin)
    return workspace, admin, workspace.login(CLERK, PASSWORD)


def add_clerk(workspace: Workspace, admin: Actor) -> None:
    """The front-desk clerk the measures act as (password PASSWORD)."""
    with workspace.transaction() as session:
        add_user(session, admin, CLERK, "موظف الاستقبال", Role.INTERVIEWER, PASSWORD)


def search_queries(workspace: Workspace, seed: int) -> dict[str, list[str]]:
    """What a clerk searches for, by kind: names, national IDs of real people (whole and their
    first digits) and their mobiles (05…)."""
    rng = random.Random(seed)
    with workspace.db.session() as session:
        total = int(session.scalar(sa.select(sa.func.count()).select_from(Beneficiary)) or 0)
        # Real people of the database, picked at random.
        picks = sorted(rng.sample(range(total), min(10, total)))
        ids = [
            session.scalar(
                sa.select(Beneficiary.national_id).order_by(Beneficiary.id).offset(n).limit(1)
            )
            for n in picks
        ]
        phones = [
            session.scalar(
                sa.select(BeneficiaryPhone.number).order_by(BeneficiaryPhone.id).offset(n).limit(1)
            )
            for n in picks
        ]
    national_ids = [i for i in ids if i]
    return {
        "search by name": list(NAME_QUERIES),
        "search by national ID": national_ids,
        "search by national ID prefix": [i[: rng.randint(4, 7)] for i in national_ids],
        "search by mobile (05…)": [format_mobile_local(p) for p in phones if p],
    }


def search(workspace: Workspace, clerk: Actor, repetitions: int, seed: int) -> list[Measure]:
    """find_people for names, national IDs (full and the first digits) and mobiles (05…)."""
    kinds = search_queries(workspace, seed)
    measures = []
    with workspace.db.session() as session:
        for name, queries in kinds.items():
            measure = Measure(name, target_s=SEARCH_TARGET_S)
            medians: dict[str, float] = {}
            for query in queries:
                samples = repeat(partial(find_people, session, clerk, query), repetitions)
                medians[query] = statistics.median(samples)
                measure.samples += samples
            measure.note = f"{len(queries)} queries"
            if name == "search by name":
                slowest = sorted(medians, key=medians.__getitem__, reverse=True)[:3]
                measure.note += "; slowest: " + ", ".join(
                    f"{q} {format_seconds(medians[q])}" for q in slowest
                )
            measures.append(measure)
    overall = Measure("search, all kinds", target_s=SEARCH_TARGET_S)
    for measure in measures:
        overall.samples += measure.samples
    return [*measures, overall]


def _free_ids(workspace: Workspace, rng: random.Random, count: int) -> list[str]:
    """`count` valid national IDs that no file has yet."""
    found: list[str] = []
    while len(found) < count:
        wanted = {make_national_id(f"1{rng.randrange(10**8):08d}") for _ in range(count)}
        with workspace.db.session() as session:
            taken = set(
                session.scalars(
                    sa.select(Beneficiary.national_id).where(Beneficiary.national_id.in_(wanted))
                )
            )
        found += sorted(wanted - taken - set(found))
    return found[:count]


def _person(rng: random.Random, national_id: str) -> dict[str, str]:
    """A new person's row as typed on the registration form or in a sheet."""
    female = rng.random() < 0.6
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(70 * 365))
    return {
        "national_id": national_id,
        "first_name": rng.choice(demo_data.FEMALE_NAMES if female else demo_data.MALE_NAMES),
        "father_name": rng.choice(demo_data.MALE_NAMES),
        "grandfather_name": rng.choice(demo_data.MALE_NAMES),
        "family_name": rng.choice(demo_data.SAUDI_FAMILIES),
        "gender": "أنثى" if female else "ذكر",
        "birth_date": born.isoformat(),
        "phone": f"05{rng.choice('0345689')}{rng.randrange(10**7):07d}",
        "city": rng.choice(list(demo_data.CITIES)),
        "iban": make_iban(f"80{rng.randrange(10**18):018d}"),
        "household_size": str(rng.randint(1, 9)),
        "monthly_income": str(rng.randrange(500, 9000, 50)),
    }


def new_people(workspace: Workspace, count: int, seed: int) -> list[dict[str, str]]:
    """`count` new people's forms, with national IDs no file has yet."""
    rng = random.Random(seed)
    return [_person(rng, i) for i in _free_ids(workspace, rng, count)]


def register(workspace: Workspace, clerk: Actor, repetitions: int, seed: int) -> Measure:
    """register_beneficiary, each in its own transaction (commit, outbox and audit included)."""
    warmup = 5
    forms = new_people(workspace, repetitions + warmup + 20, seed)
    measure = Measure("register one beneficiary (own transaction)", target_s=REGISTER_TARGET_S)
    done = 0
    for form in forms:
        if done == repetitions + warmup:
            break
        samples: list[float] = []
        try:
            with timed(samples), workspace.transaction() as session:
                register_beneficiary(session, clerk, form)
        except PossibleDuplicate:
            continue  # same name and birth date as someone on file: not a new person
        if done >= warmup:
            measure.samples += samples
        done += 1
    return measure


def write_import_sheets(workspace: Workspace, folder: Path, runs: int, seed: int) -> list[Path]:
    """`runs` sheets of IMPORT_ROWS new people each, alternating .xlsx and .csv."""
    rng = random.Random(seed)
    ids = _free_ids(workspace, rng, IMPORT_ROWS * runs * 2)
    keys = [c.key for c in COLUMNS]
    sheets = []
    for run in range(runs * 2):
        chunk = ids[run * IMPORT_ROWS : (run + 1) * IMPORT_ROWS]
        rows = [[_person(rng, i)[k] for k in keys] for i in chunk]
        path = folder / f"import-{run}.{'xlsx' if run % 2 == 0 else 'csv'}"
        write_sheet(path, rows, "ar")
        sheets.append(path)
    return sheets


def import_sheets(workspace: Workspace, admin: Actor, sheets: list[Path]) -> list[Measure]:
    """import_beneficiaries of each sheet, end to end: reading the file to the commit."""
    measures = {
        suffix: Measure(
            f"import {IMPORT_ROWS:,} new people (.{suffix})",
            target_s=IMPORT_TARGET_S,
            target_on="median",
        )
        for suffix in ("xlsx", "csv")
    }
    for path in sheets:
        measure = measures[path.suffix.lstrip(".")]
        with timed(measure.samples), workspace.transaction() as session:
            report = import_beneficiaries(session, admin, path)
        if report.imported != IMPORT_ROWS:
            measure.note = f"imported {report.imported} of {IMPORT_ROWS} rows"
    return list(measures.values())


def demo_fresh(people: int, seed: int) -> Measure:
    """Generating `people` demo people into a new database (commit included)."""
    with tempfile.TemporaryDirectory(prefix="romah-bench-") as folder:
        build = make_demo(Path(folder) / "data", people, seed, show_progress=False)
    return Measure(
        f"demo data, {people:,} people (new database)",
        samples=[build.wall_s],
        target_s=people * DEMO_TARGET_S_PER_PERSON,
        target_on="median",
        note=f"{build.rows:,} rows, CPU {build.cpu_s:.0f} s",
    )
