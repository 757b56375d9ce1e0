"""Errors a user can act on. Each carries an English message translated when shown."""

from __future__ import annotations

from enum import Enum

from romah_desktop.i18n import N_, translate


class RomahError(Exception):
    """Base of the errors the app reports to a person as one clear sentence."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def text(self, lang: str | None = None) -> str:
        """The message in `lang` (default: the current language)."""
        # Imported here: labels imports the enums, which need nothing from errors.
        from romah_desktop.grammar import Count
        from romah_desktop.labels import label

        params = {
            k: label(v, lang)
            if isinstance(v, Enum)
            else v.phrase(lang)
            if isinstance(v, Count)
            else v
            for k, v in self.params.items()
        }
        return translate(self.message, lang, **params)

    def __str__(self) -> str:
        return self.text("en")


class ValidationError(RomahError):
    """A value a person typed is not acceptable; `field` names the form field."""

    def __init__(self, field: str, message: str, **params: object) -> None:
        super().__init__(message, **params)
        self.field = field


class FormErrors(RomahError):
    """Several fields are wrong at once; nothing was written."""

    def __init__(self, errors: list[ValidationError]) -> None:
        super().__init__(N_("Some fields need correcting."))
        self.errors = errors

    def text(self, lang: str | None = None) -> str:
        return "\n".join(f"{e.field}: {e.text(lang)}" for e in self.errors)


class PermissionDenied(RomahError):
    """The acting user's role does not allow this action; nothing was written."""


class NotFound(RomahError):
    """The record asked for does not exist (or is deleted)."""


class AuthenticationError(RomahError):
    """Wrong user name or password, or a locked account."""


class Conflict(RomahError):
    """The action contradicts the current state of a record (e.g. a decided request)."""
