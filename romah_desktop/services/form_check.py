"""Form helpers shared by the workflow services: every field's problem noted before a write."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import ParamSpec, TypeVar

from sqlalchemy.orm import Session

from db.models import Beneficiary, SupportRequest
from romah_desktop.dates import parse_date
from romah_desktop.errors import FormErrors, ValidationError
from romah_desktop.i18n import N_
from romah_desktop.services.context import Actor
from romah_desktop.services.people.beneficiaries import get_beneficiary
from romah_desktop.validation import parse_money, validate_text

P = ParamSpec("P")
T = TypeVar("T")
E = TypeVar("E", bound=Enum)


class FormCheck:
    """Collects every field's problem, so that a form is answered all at once and nothing is
    written while any field is wrong."""

    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    def run(self, check: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
        """The result of `check`, or None after noting the ValidationError it raised."""
        try:
            return check(*args, **kwargs)
        except ValidationError as error:
            self.errors.append(error)
            return None

    def fail(self, field: str, message: str, **params: object) -> None:
        self.errors.append(ValidationError(field, message, **params))

    def ok(self, field: str) -> bool:
        """Whether `field` has no problem noted so far."""
        return all(error.field != field for error in self.errors)

    def done(self) -> None:
        """Raise FormErrors with every problem noted, if any."""
        if self.errors:
            raise FormErrors(list(self.errors))


def required_text(value: str | None, field: str, max_length: int) -> str:
    """Trimmed text that must be filled in. Raises ValidationError(field, ...)."""
    return validate_text(value or "", field, max_length=max_length, required=True)


def optional_text(value: str | None, field: str, max_length: int) -> str | None:
    """Trimmed text, or None when blank. Raises ValidationError(field, ...)."""
    return validate_text(value or "", field, max_length=max_length) or None


def optional_date(value: str | None, field: str) -> date | None:
    """A typed date (Gregorian or Hijri, see dates.parse_date), or None when blank.

    Raises ValidationError(field, ...)."""
    if value is None or not value.strip():
        return None
    return parse_date(value, field)


def optional_money(value: str | None, field: str) -> int | None:
    """An amount in riyals as halalas, or None when blank. Raises ValidationError(field, ...)."""
    if value is None or not value.strip():
        return None
    return parse_money(value, field)


def choice(enum_class: type[E], value: object, field: str) -> E:
    """`value` as a member of `enum_class` (a member or its stored value).

    Raises ValidationError(field, ...) for anything else."""
    if isinstance(value, enum_class):
        return value
    for member in enum_class:
        if member.value == value:
            return member
    raise ValidationError(field, N_("Please choose one of the options in the list."))


def local_day(moment: datetime) -> date:
    """The calendar day of `moment` on this laptop's clock."""
    return moment.astimezone().date()


def live_beneficiary(session: Session, actor: Actor, beneficiary_id: str) -> Beneficiary:
    """A live file in a branch the actor may see. Raises NotFound or PermissionDenied."""
    return get_beneficiary(session, actor, beneficiary_id)


def linked_request(
    session: Session, form: FormCheck, request_id: str | None, beneficiary_id: str
) -> SupportRequest | None:
    """The request `request_id` when it is one of the beneficiary's; notes a problem on the
    field "request_id" otherwise."""
    if request_id is None:
        return None
    request = session.get(SupportRequest, request_id)
    if (
        request is None
        or request.deleted_at is not None
        or request.beneficiary_id != beneficiary_id
    ):
        form.fail("request_id", N_("This request is not one of this beneficiary's requests."))
        return None
    return request
