"""The research committee's screens: the page (`page`), its dialogs (`dialogs`). The queue
model they share with social research lives in `ui.pages.committee_queue`, Today's deadline
panel in `ui.pages.deadline_panel`; the names below keep their old import path."""

from ui.pages.committee.dialogs import CaseDialog, MeetingDialog
from ui.pages.committee.page import CommitteePage, PrintQueueModel, committee_pages
from ui.pages.committee_queue import COMMITTEE_CHANGES, CommitteeQueueModel

__all__ = [
    "COMMITTEE_CHANGES",
    "CaseDialog",
    "CommitteePage",
    "CommitteeQueueModel",
    "MeetingDialog",
    "PrintQueueModel",
    "committee_pages",
]
