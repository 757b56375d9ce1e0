"""The seven steps of the guided intake in the policy's order; each step lives in its own module
under `ui.intake.steps`."""

from __future__ import annotations

from ui.intake.base import StepPage
from ui.intake.steps.declare import DeclarePage
from ui.intake.steps.deliver import DeliverPage
from ui.intake.steps.receive import ReceivePage
from ui.intake.steps.refer import ReferPage
from ui.intake.steps.register import RegisterPage
from ui.intake.steps.submit import SubmitPage
from ui.intake.steps.verify import DocumentRow, VerifyPage

PAGES: tuple[type[StepPage], ...] = (
    ReceivePage,
    VerifyPage,
    ReferPage,
    DeclarePage,
    SubmitPage,
    RegisterPage,
    DeliverPage,
)

__all__ = [
    "PAGES",
    "DeclarePage",
    "DeliverPage",
    "DocumentRow",
    "ReceivePage",
    "ReferPage",
    "RegisterPage",
    "SubmitPage",
    "VerifyPage",
]
