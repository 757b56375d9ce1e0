"""The kinds of printed form."""

from __future__ import annotations

from enum import StrEnum

from romah_desktop.i18n import N_, translate

__all__ = ["FORM_LANGUAGE", "RECORD_KINDS", "FormKind", "form_title"]

# Forms are printed in Arabic whatever the window's language (see forms.py).
FORM_LANGUAGE = "ar"


class FormKind(StrEnum):
    """A printed form; all but the blank ones are printed from a record."""

    REQUEST = "request"
    DECLARATION = "declaration"
    RECEIPT = "receipt"
    INTERVIEW = "interview"
    DECISION = "decision"
    DELIVERY = "delivery"
    BLANK_REQUEST = "blank-request"
    BLANK_DECLARATION = "blank-declaration"


# The forms printed from a record, and so carrying a verification code.
RECORD_KINDS = (
    FormKind.REQUEST,
    FormKind.DECLARATION,
    FormKind.RECEIPT,
    FormKind.INTERVIEW,
    FormKind.DECISION,
    FormKind.DELIVERY,
)

# The forms' titles (they are titles, not the display names of a vocabulary).
_TITLES: dict[FormKind, str] = {
    FormKind.REQUEST: N_("Beneficiary support request"),
    FormKind.DECLARATION: N_("Declaration that the data is correct"),
    FormKind.RECEIPT: N_("Receipt of a support request"),
    FormKind.INTERVIEW: N_("Interview record"),
    FormKind.DECISION: N_("Research committee's decision letter"),
    FormKind.DELIVERY: N_("Service delivery receipt"),
    FormKind.BLANK_REQUEST: N_("Support request form (blank)"),
    FormKind.BLANK_DECLARATION: N_("Declaration form (blank)"),
}


def form_title(kind: FormKind, lang: str | None = None) -> str:
    """The name of a form in `lang` (default: the current language)."""
    return translate(_TITLES[FormKind(kind)], lang)
