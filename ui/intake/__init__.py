"""The guided intake: the policy's seven steps in one window, with drafts that survive anything."""

from ui.intake.drafts_dialog import DraftsDialog, resume_drafts
from ui.intake.wizard import IntakeWizard, open_intake, save_open_intakes

__all__ = ["DraftsDialog", "IntakeWizard", "open_intake", "resume_drafts", "save_open_intakes"]
