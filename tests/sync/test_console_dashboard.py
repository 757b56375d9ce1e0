"""HQ's dashboard figures, counted in SQL over the synced rows, on SQLite and PostgreSQL: the
same definitions as the laptops' reports (period, on-time rule, open complaints)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from db.engine import create_engine
from db.enums import FeedbackStatus, RequestStatus, ServiceType
from romah_desktop.services.committee.deadline import on_time_percent
from romah_desktop.services.reports.periods import MonthCalendar, gregorian_month
from romah_desktop.services.reports.scope import ReportScope
from sync.server.console.dashboard import dashboard, riyals
from sync.server.console.report_tables import REPORTS
from sync.server.migrate import upgrade
from sync.server.schema import hq_device, hq_quarantine, hq_row
from tests.helpers.postgres import postgres_schema

A, B = "a" * 36, "b" * 36
NOW = datetime(2025, 4, 10, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    if request.param == "sqlite":
        made = create_engine(f"sqlite+pysqlite:///{tmp_path / 'hq.sqlite3'}")
        upgrade(made)
        fill(made)
        yield made
        made.dispose()
        return
    with postgres_schema() as made:
        upgrade(made)
        fill(made)
        yield made


def _row(table: str, row_id: str, scope: str, **data: Any) -> dict[str, Any]:
    data.setdefault("deleted_at", None)
    return {"table_name": table, "row_id": row_id, "scope": scope, "data": data, "versions": {}}


def _request(
    row_id: str, scope: str, status: str, created: str, due: str | None, amount: int | None = None
) -> dict[str, Any]:
    return _row(
        "support_request",
        row_id,
        scope,
        status=status,
        created_at=created,
        committee_due_on=due,
        amount_requested_halalas=amount,
    )


def _decision(row_id: str, scope: str, request_id: str, outcome: str, on: str) -> dict[str, Any]:
    return _row(
        "committee_decision", row_id, scope, request_id=request_id, outcome=outcome, decided_on=on
    )


def fill(engine: sa.Engine) -> None:
    rows = [
        _row("branch", A, A, code="RYD", name="فرع الرياض"),
        _row("branch", B, B, code="JED", name="فرع جدة"),
        # Requests received in March 2025 (and some that are not).
        _request("r1", A, "submitted", "2025-03-05T10:00:00.123456+00:00", "2025-03-20", 100000),
        _request("r2", A, "approved", "2025-03-06T08:00:00+00:00", "2025-03-15", 50000),
        _request("r3", B, "rejected", "2025-03-07T08:00:00+00:00", "2025-03-12"),
        _request("r4", B, "draft", "2025-03-08T08:00:00+00:00", None),
        _request("r5", A, "approved", "2025-02-01T08:00:00+00:00", "2025-03-02"),
        {
            **_request("r6", A, "submitted", "2025-03-09T08:00:00+00:00", "2025-03-25"),
            "data": {
                "status": "submitted",
                "created_at": "2025-03-09T08:00:00+00:00",
                "committee_due_on": "2025-03-25",
                "deleted_at": "2025-03-10T00:00:00+00:00",
            },
        },
        _request("r7", B, "submitted", "2025-04-02T08:00:00+00:00", "2025-04-16"),
        _decision("c1", A, "r2", "approve", "2025-03-10"),
        _decision("c2", B, "r3", "need_info", "2025-03-08"),
        _decision("c3", B, "r3", "reject", "2025-03-14"),
        _decision("c4", A, "r5", "approve", "2025-02-20"),
        # Services delivered.
        _row(
            "service_delivery",
            "d1",
            A,
            service_type="cash",
            amount_halalas=150000,
            beneficiary_id="p1",
            delivered_on="2025-03-10",
        ),
        _row(
            "service_delivery",
            "d2",
            A,
            service_type="food_basket",
            amount_halalas=20000,
            beneficiary_id="p1",
            delivered_on="2025-03-11",
        ),
        _row(
            "service_delivery",
            "d3",
            B,
            service_type="cash",
            amount_halalas=30000,
            beneficiary_id="p2",
            delivered_on="2025-03-31",
        ),
        _row(
            "service_delivery",
            "d4",
            B,
            service_type="cash",
            amount_halalas=99900,
            beneficiary_id="p2",
            delivered_on="2025-04-01",
        ),
        # Surveys.
        _row(
            "satisfaction_survey",
            "s1",
            A,
            overall=5,
            speed=4,
            courtesy=None,
            clarity=None,
            collected_on="2025-03-02",
        ),
        _row(
            "satisfaction_survey",
            "s2",
            A,
            overall=3,
            speed=None,
            courtesy=None,
            clarity=None,
            collected_on="2025-03-03",
        ),
        _row(
            "satisfaction_survey",
            "s3",
            B,
            overall=4,
            speed=None,
            courtesy=5,
            clarity=None,
            collected_on="2025-03-04",
        ),
        _row(
            "satisfaction_survey",
            "s4",
            B,
            overall=1,
            speed=None,
            courtesy=None,
            clarity=None,
            collected_on="2025-04-04",
        ),
        # Complaints and suggestions.
        _row(
            "feedback",
            "f1",
            A,
            kind="complaint",
            status="open",
            received_on="2025-03-03",
            due_on="2025-03-10",
        ),
        _row(
            "feedback",
            "f2",
            A,
            kind="complaint",
            status="closed",
            received_on="2025-03-04",
            due_on="2025-03-11",
        ),
        _row(
            "feedback",
            "f3",
            B,
            kind="suggestion",
            status="open",
            received_on="2025-03-05",
            due_on=None,
        ),
        _row(
            "feedback",
            "f4",
            B,
            kind="complaint",
            status="assigned",
            received_on="2025-01-01",
            due_on="2025-05-01",
        ),
    ]
    device = {"prefix": "L1", "enrolled_at": NOW - timedelta(days=30)}
    with engine.begin() as connection:
        connection.execute(sa.insert(hq_row), rows)
        connection.execute(
            sa.insert(hq_device),
            [
                {
                    **device,
                    "id": "dev1",
                    "token_sha256": "1" * 64,
                    "branch_id": A,
                    "name": "laptop one",
                    "last_seen_at": NOW - timedelta(days=1),
                    "app_version": "1.2.0",
                    "waiting": 3,
                },
                {
                    **device,
                    "id": "dev2",
                    "token_sha256": "2" * 64,
                    "branch_id": B,
                    "name": "laptop two",
                    "prefix": "L2",
                    "last_seen_at": NOW - timedelta(days=5),
                    "app_version": "1.1.0",
                    "waiting": 0,
                },
            ],
        )
        held = {
            "table_name": "beneficiary",
            "row_id": "x",
            "change": {},
            "reason": "bad",
            "received_at": NOW,
            "settled": None,
        }
        connection.execute(
            sa.insert(hq_quarantine),
            [
                {**held, "device_id": "dev1", "device_seq": 1},
                {**held, "device_id": "dev1", "device_seq": 2},
                {**held, "device_id": "dev1", "device_seq": 3, "settled": "dismissed"},
            ],
        )


def scope(branch_id: str | None = None) -> ReportScope:
    return ReportScope(
        gregorian_month(2025, 3).period,
        branch_id,
        None,
        date(2025, 4, 10),
        MonthCalendar.GREGORIAN,
    )


# Each report reads a period's records either found by the index on their date or by reading
# its whole table (`NARROW_BELOW`): the figures are the same either way.
BOTH_WAYS = pytest.mark.parametrize("narrow_below", [0.0, 2.0], ids=["whole", "indexed"])


@BOTH_WAYS
def test_every_figure_across_branches(
    engine: sa.Engine, narrow_below: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync.server.console import dashboard as module

    monkeypatch.setattr(module, "NARROW_BELOW", narrow_below)
    board = dashboard(engine, scope(), now=NOW)
    assert [b.code for b in board.branches] == ["JED", "RYD"]
    # Requests received in the period, by branch and status (the deleted one not counted).
    assert board.requests[A][RequestStatus.SUBMITTED] == 1
    assert board.requests[A][RequestStatus.APPROVED] == 1
    assert board.requests[B][RequestStatus.REJECTED] == 1
    assert board.requests[B][RequestStatus.DRAFT] == 1
    assert sum(board.requests_total.values()) == 4
    assert board.requests_by_month[0][1] == 4
    assert board.amount_requested_halalas == 150000
    # The committee's deadline: requests whose answer fell due in March.
    assert (board.compliance[A].on_time, board.compliance[A].open_overdue) == (2, 1)
    assert (board.compliance[B].late, board.compliance[B].on_time) == (1, 0)
    total = board.compliance_total
    assert total.on_time_share == on_time_percent(2, 1, 1)
    # Services.
    assert board.services_total.deliveries == 3
    assert board.services_total.amount_halalas == 200000
    assert riyals(board.services_total.amount_halalas) == "2,000.00"
    assert board.services_total.people == 2
    assert board.services[A].people == 1
    assert board.services_by_type[ServiceType.CASH].amount_halalas == 180000
    # Satisfaction.
    assert board.satisfaction_total.surveys == 3
    assert board.satisfaction_total.overall == pytest.approx(4.0)
    assert board.satisfaction[B].courtesy == pytest.approx(5.0)
    assert board.overall_counts == {1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    # Complaints.
    assert board.complaints_total.received == 2
    assert board.complaints_total.suggestions == 1
    assert (board.complaints_total.open, board.complaints_total.overdue) == (2, 1)
    assert board.complaints_by_status[FeedbackStatus.CLOSED] == 1
    # Sync health.
    health = {d.id: d for d in board.devices}
    assert (health["dev1"].held, health["dev1"].waiting, health["dev1"].silent) == (2, 3, False)
    assert (health["dev2"].held, health["dev2"].silent) == (0, True)


@BOTH_WAYS
def test_one_branch(
    engine: sa.Engine, narrow_below: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync.server.console import dashboard as module

    monkeypatch.setattr(module, "NARROW_BELOW", narrow_below)
    board = dashboard(engine, scope(B), now=NOW)
    assert set(board.requests) == {B}
    assert board.compliance_total.late == 1
    assert board.services_total.deliveries == 1
    assert [d.id for d in board.devices] == ["dev2"]


def test_the_page_and_an_export(engine: sa.Engine, tmp_path: Path) -> None:
    import io

    import openpyxl
    from fastapi.testclient import TestClient

    from sync.server.app import create_app
    from sync.server.console import auth
    from sync.server.hub import Hub
    from sync.server.schema import hq_audit

    auth.add_user(engine, "omar", "عمر", "hq_auditor", "console-pass-1")
    token, _user = auth.sign_in(engine, "omar", "console-pass-1")
    app = create_app(Hub(engine), tmp_path / "blobs")
    with TestClient(app) as client:
        client.cookies.set("romah_hq_session", token)
        month = {"kind": "gregorian_month", "year": "2025", "month": "3"}
        page = client.get("/console/", params=month)
        assert page.status_code == 200
        assert "فرع الرياض" in page.text and 'class="bar"' in page.text
        assert "2,000.00" in page.text
        assert 'id="amount-requested">1,500.00<' in page.text
        wrong = client.get("/console/", params={"kind": "hijri_month", "month": "13"})
        assert wrong.status_code == 200 and 'role="alert"' in wrong.text
        answer = client.get("/console/export", params={**month, "report": "services"})
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
        book = openpyxl.load_workbook(io.BytesIO(answer.content))
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        assert rows[-1][1:] == (3, 2000.0, 2)
        assert client.get("/console/export", params={"report": "nope"}).status_code == 403
        for report in REPORTS:
            one = client.get("/console/export", params={**month, "report": report})
            assert one.status_code == 200, report
            assert openpyxl.load_workbook(io.BytesIO(one.content)).worksheets
    with engine.connect() as connection:
        actions = connection.execute(sa.select(hq_audit.c.action, hq_audit.c.target)).all()
    assert ("export_report", "services") in actions


def _lands(engine: sa.Engine, seq: int, row: dict[str, Any]) -> None:
    """A record synced by a laptop: its row and the numbered change that brought it."""
    from sync.server.schema import hq_change

    with engine.begin() as connection:
        connection.execute(sa.insert(hq_row), [row])
        connection.execute(
            sa.insert(hq_change).values(
                seq=seq,
                device_id="dev1",
                device_seq=seq,
                table_name=row["table_name"],
                row_id=row["row_id"],
                scope=row["scope"],
                data=row["data"],
                hlc=f"{seq:016d}-00000-dev1",
                echo=False,
                received_at=NOW,
            )
        )


def test_figures_are_counted_again_at_most_once_a_minute(
    engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync.server.console import dashboard as module

    first = dashboard(engine, scope(), now=NOW)
    assert first.counted_at is not None and not first.behind
    _lands(engine, 1, _request("r8", A, "submitted", "2025-03-20T08:00:00+00:00", "2025-04-03"))
    # Within the minute: the same count, saying that newer changes have arrived.
    kept = dashboard(engine, scope(), now=NOW)
    assert kept.behind and kept.counted_at == first.counted_at
    assert sum(kept.requests_total.values()) == 4
    # Counted now when asked for exact figures, and then exact until the data changes.
    exact = dashboard(engine, scope(), now=NOW, exact=True)
    assert not exact.behind and sum(exact.requests_total.values()) == 5
    assert dashboard(engine, scope(), now=NOW).counted_at == exact.counted_at
    # Once the minute has passed, the next view counts them again.
    _lands(engine, 2, _request("r9", B, "submitted", "2025-03-21T08:00:00+00:00", "2025-04-04"))
    monkeypatch.setattr(module, "FRESH_FOR_SECONDS", 0.0)
    later = dashboard(engine, scope(), now=NOW)
    assert not later.behind and sum(later.requests_total.values()) == 6


def test_each_report_finds_its_period_by_an_index(
    engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reports narrow their rows as the indexes of migration 0008 are spelt, so a month
    reads a month's records, not every record of the table."""
    from sync.server.console import dashboard as module

    monkeypatch.setattr(module, "NARROW_BELOW", 2.0)  # a period much shorter than the data

    postgres = engine.dialect.name == "postgresql"
    expected = {
        module.requests_figures: {"ix_hq_row_dash_request_created"},
        # SQLite, with a table this small, reads the few decisions rather than look each up.
        module.compliance_figures: {"ix_hq_row_dash_request_due"}
        | ({"ix_hq_row_dash_decision_request"} if postgres else set()),
        module.services_figures: {"ix_hq_row_dash_delivery_day"},
        module.satisfaction_figures: {"ix_hq_row_dash_survey_day"},
        module.complaints_figures: {"ix_hq_row_dash_feedback_day"},
    }
    if not postgres:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")  # as `PRAGMA optimize` would
    for report, indexes in expected.items():
        statements: list[tuple[str, Any]] = []

        def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
            statements.append((statement, parameters))  # noqa: B023

        with engine.connect() as connection:
            sa.event.listen(connection, "before_cursor_execute", seen)
            report(connection, postgres, scope())
            sa.event.remove(connection, "before_cursor_execute", seen)
            if postgres:
                # The rows are few: a sequential scan would win; the test is that the
                # indexes can serve the query at all.
                connection.exec_driver_sql("SET enable_seqscan = off")
            plans = []
            for statement, parameters in statements:
                explain = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
                rows = connection.exec_driver_sql(explain + statement, parameters).all()
                plans.append(" ".join(str(r[-1]) for r in rows))
        used = {name for name in indexes if any(name in plan for plan in plans)}
        assert used == indexes, (report.__name__, plans)


def test_the_page_says_when_it_counted_and_counts_again_on_request(
    engine: sa.Engine, tmp_path: Path
) -> None:
    import html
    import re

    from fastapi.testclient import TestClient

    from sync.server.app import create_app
    from sync.server.console import auth
    from sync.server.hub import Hub

    auth.add_user(engine, "omar", "عمر", "hq_auditor", "console-pass-1")
    token, _user = auth.sign_in(engine, "omar", "console-pass-1")
    app = create_app(Hub(engine), tmp_path / "blobs")
    month = {"kind": "gregorian_month", "year": "2025", "month": "3"}
    with TestClient(app) as client:
        client.cookies.set("romah_hq_session", token)
        page = client.get("/console/", params=month)
        assert "وقت احتساب الأرقام" in page.text and 'id="figures-behind"' not in page.text
        assert 'id="amount-requested">1,500.00<' in page.text
        row = _request("r8", A, "submitted", "2025-03-20T08:00:00+00:00", "2025-04-03", 200000)
        _lands(engine, 1, row)
        # Within the minute the page shows the last count and says laptops synced since.
        page = client.get("/console/", params=month)
        assert 'id="figures-behind"' in page.text
        assert 'id="amount-requested">1,500.00<' in page.text
        # Counted now on request, by a link: reading the figures changes nothing at HQ.
        found = re.search(r'id="count-now" href="([^"]+)"', page.text)
        assert found is not None
        link = html.unescape(found.group(1))
        assert "exact=1" in link and "kind=gregorian_month" in link and "year=2025" in link
        answer = client.get(link)
        assert 'id="amount-requested">3,500.00<' in answer.text
        assert 'id="figures-behind"' not in answer.text
        # And the next view shows that count.
        page = client.get("/console/", params=month)
        assert 'id="amount-requested">3,500.00<' in page.text
