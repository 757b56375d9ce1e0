"""The signed declaration of a person's file: signing, storing the signature, verifying it."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.base import utcnow
from db.canonical import canonical_json
from db.ids import new_id
from db.models import Attachment, Beneficiary, SignedDeclaration
from db.outbox import to_json_value
from romah_desktop.errors import Conflict, ValidationError
from romah_desktop.i18n import N_
from romah_desktop.permissions import Permission
from romah_desktop.protection import ATTACHMENTS_FOLDER, file_cipher, write_attachment
from romah_desktop.services import audit
from romah_desktop.services.context import Actor
from romah_desktop.services.form_check import (
    FormCheck,
    linked_request,
    live_beneficiary,
    required_text,
)
from romah_desktop.services.people.beneficiaries import primary_phone, stored_values

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_SIGNATURE_BYTES = 1_000_000

# The fields a signed declaration covers, in the order a person reads them. Staff's own notes
# on the file are not part of what the person declares.
DECLARED_FIELDS = (
    "file_number",
    "first_name",
    "father_name",
    "grandfather_name",
    "family_name",
    "national_id",
    "id_type",
    "gender",
    "birth_date",
    "nationality",
    "marital_status",
    "phone",
    "city",
    "district",
    "address",
    "categories",
    "housing_type",
    "monthly_rent_halalas",
    "household_size",
    "monthly_income_halalas",
    "iban",
)


def declared_values(person: Beneficiary, phone: str | None) -> dict[str, Any]:
    """What a declaration covers, as JSON values: the file's `DECLARED_FIELDS`, with `phone`
    (the file's primary mobile) for the phone."""
    stored = stored_values(person)
    data: dict[str, Any] = {}
    for key in DECLARED_FIELDS:
        if key == "file_number":
            data[key] = person.file_number
        elif key == "phone":
            data[key] = phone
        else:
            data[key] = to_json_value(stored[key])
    return data


def declared_snapshot(session: Session, person: Beneficiary) -> dict[str, Any]:
    """The person's file as it stands, as JSON values: what a declaration covers."""
    return declared_values(person, primary_phone(session, person.id))


def declaration_hash(declared_data: dict[str, Any], text: str, signature_sha256: str | None) -> str:
    """SHA-256 of the canonical JSON of what was declared, the declaration's text and the
    signature image's hash."""
    content = {"declared_data": declared_data, "text": text, "signature_sha256": signature_sha256}
    return hashlib.sha256(canonical_json(content)).hexdigest()


def default_attachments_dir(session: Session) -> Path:
    """The ``attachments`` folder beside the session's SQLite database file (as in a
    workspace). Raises ValueError for a database that is not a file."""
    url = session.get_bind().engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise ValueError("this database is not a file; pass attachments_dir")
    return Path(url.database).resolve().parent / ATTACHMENTS_FOLDER


def store_attachment(
    session: Session,
    data: bytes,
    media_type: str,
    attachments_dir: Path,
    filename: str | None = None,
) -> Attachment:
    """Write `data` encrypted with the session's file cipher, addressed by the SHA-256 of
    `data` under `attachments_dir`, and return its Attachment row, reusing the row (and the
    file, if it is intact) of the same content. A file written in a transaction that is later
    rolled back stays behind, harmlessly: it is addressed by its content. Raises RuntimeError
    (a session without a file cipher), OSError."""
    sha = write_attachment(attachments_dir, data, file_cipher(session))
    row = session.scalar(sa.select(Attachment).where(Attachment.sha256 == sha))
    if row is None:
        row = Attachment(sha256=sha, media_type=media_type, size=len(data), filename=filename)
        session.add(row)
    return row


def checked_signature(value: bytes | None) -> bytes | None:
    """A captured signature image as stored: a PNG of at most MAX_SIGNATURE_BYTES, or None
    (signed on paper). Raises ValidationError on the field "signature"."""
    if value is None:
        return None
    if not value.startswith(PNG_MAGIC):
        raise ValidationError("signature", N_("The signature must be a PNG image."))
    if len(value) > MAX_SIGNATURE_BYTES:
        raise ValidationError(
            "signature",
            N_("The signature image is too large (at most {max} kilobytes)."),
            max=MAX_SIGNATURE_BYTES // 1000,
        )
    return value


def _superseded_ids(session: Session, beneficiary_id: str) -> set[str]:
    return {
        ref
        for ref in session.scalars(
            sa.select(SignedDeclaration.supersedes_id).where(
                SignedDeclaration.beneficiary_id == beneficiary_id,
                SignedDeclaration.supersedes_id.is_not(None),
            )
        )
        if ref is not None
    }


def sign_declaration(
    session: Session,
    actor: Actor,
    *,
    beneficiary_id: str,
    signer_name: str,
    text: str,
    signature_png: bytes | None,
    request_id: str | None = None,
    supersedes_id: str | None = None,
    attachments_dir: Path | None = None,
    now: datetime | None = None,
) -> SignedDeclaration:
    """Record the applicant's signed statement that their file's current data is correct.

    The declaration keeps a snapshot of the file and a SHA-256 over the snapshot, the text and
    the signature image's hash; it is immutable. The signature (a PNG, or None for a paper
    signature) is stored content-addressed under `attachments_dir` (default: beside the
    database). `supersedes_id` names the declaration this one replaces. Raises
    PermissionDenied, NotFound (the file), FormErrors, Conflict (the superseded declaration
    was already replaced).
    """
    actor.require(Permission.TAKE_DECLARATION)
    person = live_beneficiary(session, actor, beneficiary_id)
    form = FormCheck()
    name = form.run(required_text, signer_name, "signer_name", 200)
    body = form.run(required_text, text, "text", 5000)
    signature = form.run(checked_signature, signature_png)
    linked_request(session, form, request_id, person.id)
    if supersedes_id is not None:
        old = session.get(SignedDeclaration, supersedes_id)
        if old is None or old.beneficiary_id != person.id:
            form.fail("supersedes_id", N_("This declaration is not one of this person's."))
    form.done()
    if supersedes_id is not None and supersedes_id in _superseded_ids(session, person.id):
        raise Conflict(N_("This declaration was already replaced by a newer one."))
    assert name is not None and body is not None
    signature_sha = None
    if signature is not None:
        folder = attachments_dir or default_attachments_dir(session)
        signature_sha = store_attachment(
            session, signature, "image/png", folder, "signature.png"
        ).sha256
    data = declared_snapshot(session, person)
    declaration = SignedDeclaration(
        id=new_id(),
        beneficiary_id=person.id,
        request_id=request_id,
        text=body,
        declared_data=data,
        signature_sha256=signature_sha,
        content_sha256=declaration_hash(data, body, signature_sha),
        signer_name=name,
        signed_at=now or utcnow(),
        recorded_by_user_id=actor.user_id,
        supersedes_id=supersedes_id,
    )
    session.add(declaration)
    audit.record(
        session,
        actor,
        "declaration.sign",
        "signed_declaration",
        declaration.id,
        {"signature": signature_sha is not None, "supersedes": supersedes_id is not None},
    )
    return declaration


def verify_declaration(declaration: SignedDeclaration) -> bool:
    """Whether the declaration's stored hash matches its content (False: it was altered)."""
    expected = declaration_hash(
        declaration.declared_data, declaration.text, declaration.signature_sha256
    )
    return expected == declaration.content_sha256


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _same_data(declared: dict[str, Any], current: dict[str, Any]) -> bool:
    # A field added to the file after the declaration, still empty, changes nothing declared.
    for key in declared.keys() | current.keys():
        old, new = declared.get(key), current.get(key)
        if old != new and not (_empty(old) and _empty(new)):
            return False
    return True


def declaration_is_current(session: Session, declaration: SignedDeclaration) -> bool:
    """Whether the declaration still covers the file: False when the file changed since it was
    signed, when the file is deleted, or when a newer declaration replaced it."""
    person = session.get(Beneficiary, declaration.beneficiary_id)
    if person is None or person.deleted_at is not None:
        return False
    if declaration.id in _superseded_ids(session, person.id):
        return False
    return _same_data(declaration.declared_data, declared_snapshot(session, person))


def current_declaration(session: Session, beneficiary_id: str) -> SignedDeclaration | None:
    """The newest intact declaration that still covers the person's file, if any."""
    declarations = session.scalars(
        sa.select(SignedDeclaration)
        .where(
            SignedDeclaration.beneficiary_id == beneficiary_id,
            SignedDeclaration.deleted_at.is_(None),
        )
        .order_by(SignedDeclaration.signed_at.desc(), SignedDeclaration.id.desc())
    ).all()
    for declaration in declarations:
        if verify_declaration(declaration) and declaration_is_current(session, declaration):
            return declaration
    return None
