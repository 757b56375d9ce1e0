"""The list of requests before the research committee, with each one's deadline: shared by
the committee's page, the social research page and Today's deadline panel."""

from __future__ import annotations

from romah_desktop.changes import Change
from romah_desktop.grammar import DAY, count_phrase
from romah_desktop.labels import label
from romah_desktop.services.committee.workspace import (
    CommitteeRow,
)
from romah_desktop.validation import format_money
from ui.widgets.tables import (
    RowsModel,
    dual,
)

# Changes after which the committee's lists are loaded again (ctx.sig_changed's kinds).
COMMITTEE_CHANGES = frozenset(
    {
        Change.REQUEST,
        Change.DECISION,
        Change.MEETING,
        Change.PRINT,
        Change.RESEARCH,
        Change.ESCALATION,
        Change.DECLARATION,
    }
)


def amount_text(halalas: int | None) -> str:
    """An amount in riyals as the committee's lists show it (blank when there is none)."""
    return "" if halalas is None else format_money(halalas)


class CommitteeQueueModel(RowsModel[CommitteeRow]):
    """Requests before the committee: number, person, type, amount, due date and days left
    (frozen while the clock is stopped), whether research reported, and escalation."""

    NUMBER, PERSON, TYPE, AMOUNT, DUE, DAYS, REPORT, FLAG = range(8)

    def headers(self) -> list[str]:
        return [
            self.tr("Number"),
            self.tr("Beneficiary"),
            self.tr("Type"),
            self.tr("Amount requested (SAR)"),
            self.tr("Committee's answer due"),
            self.tr("Days left"),
            self.tr("Research report"),
            self.tr("Escalated"),
        ]

    def cell(self, row: CommitteeRow, column: int) -> str:
        if column == self.NUMBER:
            return row.request_number
        if column == self.PERSON:
            return row.person_name
        if column == self.TYPE:
            return label(row.request_type)
        if column == self.AMOUNT:
            return amount_text(row.amount_requested_halalas)
        if column == self.DUE:
            return dual(row.deadline.due_on)
        if column == self.DAYS:
            return self.days_text(row)
        if column == self.REPORT:
            return self.tr("Yes") if row.has_report else self.tr("Not yet")
        if column == self.FLAG:
            return self.tr("Escalated") if row.escalated else ""
        return ""

    def days_text(self, row: CommitteeRow) -> str:
        days = row.days_left(self.today)
        if days is None:
            return ""
        if row.paused:
            return self.tr("Clock stopped: {days} left").format(days=count_phrase(days, DAY))
        if days < 0:
            return self.tr("Overdue by {days}").format(days=count_phrase(-days, DAY))
        if days == 0:
            return self.tr("Due today")
        return str(days)

    def tooltip(self, row: CommitteeRow, column: int) -> str | None:
        if column in (self.DUE, self.DAYS):
            return row.deadline.explain(self.today)
        if column == self.PERSON:
            return row.file_number
        return None

    def late(self, row: CommitteeRow) -> bool:
        return row.is_overdue(self.today)
