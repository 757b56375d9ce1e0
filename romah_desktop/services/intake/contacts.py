"""Contacts on the policy's eight channels, with registered people or with inquirers."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.base import utcnow
from db.enums import Channel
from db.ids import new_id
from db.models import Contact
from romah_desktop.errors import NotFound
from romah_desktop.i18n import N_
from romah_desktop.permissions import Permission
from romah_desktop.services import audit
from romah_desktop.services.context import Actor
from romah_desktop.services.form_check import (
    FormCheck,
    choice,
    live_beneficiary,
    local_day,
    optional_date,
    optional_text,
    required_text,
)
from romah_desktop.validation import validate_mobile

# A laptop's clock may run a little ahead of the one that stamps the contact.
_CLOCK_SLACK = timedelta(minutes=5)


def _optional_mobile(value: str | None, field: str) -> str | None:
    if value is None or not value.strip():
        return None
    return validate_mobile(value, field)


def log_contact(
    session: Session,
    actor: Actor,
    *,
    channel: Channel,
    subject: str,
    beneficiary_id: str | None = None,
    inquirer_name: str | None = None,
    inquirer_phone: str | None = None,
    notes: str | None = None,
    letter_reference: str | None = None,
    letter_date: str | None = None,
    follow_up_on: str | None = None,
    occurred_at: datetime | None = None,
) -> Contact:
    """Log a contact in the actor's branch, with a registered person (`beneficiary_id`) or an
    inquirer who is not registered (`inquirer_name` is then required).

    A letter needs its reference number. `letter_date` and `follow_up_on` are typed dates,
    Gregorian or Hijri; the letter cannot be dated after the contact, nor the follow-up be
    set before it. `occurred_at` (timezone-aware, default now) cannot be in the future.
    Raises PermissionDenied, NotFound (the file), FormErrors; nothing is written then.
    """
    actor.require(Permission.LOG_CONTACT)
    person = live_beneficiary(session, actor, beneficiary_id) if beneficiary_id else None
    now = utcnow()
    moment = occurred_at or now
    form = FormCheck()
    chosen = form.run(choice, Channel, channel, "channel")
    clean_subject = form.run(required_text, subject, "subject", 300)
    if person is None:
        name = form.run(required_text, inquirer_name, "inquirer_name", 200)
    else:
        name = form.run(optional_text, inquirer_name, "inquirer_name", 200)
    phone = form.run(_optional_mobile, inquirer_phone, "inquirer_phone")
    clean_notes = form.run(optional_text, notes, "notes", 2000)
    if chosen == Channel.LETTER:
        reference = form.run(required_text, letter_reference, "letter_reference", 60)
    else:
        reference = form.run(optional_text, letter_reference, "letter_reference", 60)
    dated = form.run(optional_date, letter_date, "letter_date")
    follow_up = form.run(optional_date, follow_up_on, "follow_up_on")
    if moment > now + _CLOCK_SLACK:
        form.fail("occurred_at", N_("The time of the contact cannot be in the future."))
    day = local_day(moment)
    if dated is not None and dated > day:
        form.fail("letter_date", N_("The letter cannot be dated after the day of the contact."))
    if follow_up is not None and follow_up < day:
        form.fail("follow_up_on", N_("The follow-up cannot be before the day of the contact."))
    form.done()
    assert chosen is not None and clean_subject is not None
    contact = Contact(
        id=new_id(),
        branch_id=person.branch_id if person else actor.branch_id,
        beneficiary_id=person.id if person else None,
        inquirer_name=name,
        inquirer_phone=phone,
        channel=chosen,
        subject=clean_subject,
        notes=clean_notes,
        letter_reference=reference,
        letter_date=dated,
        occurred_at=moment,
        follow_up_on=follow_up,
        handled_by_user_id=actor.user_id,
    )
    session.add(contact)
    audit.record(session, actor, "contact.log", "contact", contact.id, {"channel": chosen.value})
    return contact


def due_follow_ups(session: Session, actor: Actor, on: date) -> list[Contact]:
    """The actor's branch's contacts whose follow-up falls on `on` or earlier and is not done,
    oldest first. Raises PermissionDenied."""
    actor.require(Permission.LOG_CONTACT)
    return list(
        session.scalars(
            sa.select(Contact)
            .where(
                Contact.branch_id == actor.branch_id,
                Contact.deleted_at.is_(None),
                Contact.follow_up_on.is_not(None),
                Contact.follow_up_on <= on,
            )
            .order_by(Contact.follow_up_on, Contact.occurred_at, Contact.id)
        )
    )


def complete_follow_up(
    session: Session, actor: Actor, contact_id: str, notes: str | None = None
) -> Contact:
    """Mark a contact's follow-up done (it leaves the due list), adding `notes` to the
    contact's notes. Raises PermissionDenied, NotFound, ValidationError (notes)."""
    actor.require(Permission.LOG_CONTACT)
    clean_notes = optional_text(notes, "notes", 2000)
    contact = session.get(Contact, contact_id)
    if contact is None or contact.deleted_at is not None:
        raise NotFound(N_("This contact was not found."))
    actor.require_branch(contact.branch_id)
    contact.follow_up_on = None
    if clean_notes:
        contact.notes = f"{contact.notes}\n{clean_notes}" if contact.notes else clean_notes
    audit.record(
        session,
        actor,
        "contact.follow_up_done",
        "contact",
        contact.id,
        {"fields": ["follow_up_on"]},
    )
    return contact
