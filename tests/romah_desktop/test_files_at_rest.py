"""Files beside the database at rest: a stolen laptop's drafts, signatures, scans and crash
reports reveal no one's name or national ID, and only their owner may open them."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from db.enums import Role
from db.files import attachment_path
from db.keys import FileCipher, new_key
from db.models import SignedDeclaration
from romah_desktop.drafts import (
    DraftUnreadable,
    drafts_dir,
    list_drafts,
    load_draft,
    new_draft,
    save_draft,
)
from romah_desktop.logs import setup_logging, write_crash_report
from romah_desktop.printing import render_form
from romah_desktop.printing.kinds import FormKind
from romah_desktop.protection import (
    encrypt_existing_files,
    file_cipher,
    intact_attachment,
    read_protected,
)
from romah_desktop.services.context import Actor
from romah_desktop.services.intake.declarations import (
    PNG_MAGIC,
    sign_declaration,
    store_attachment,
)
from romah_desktop.services.people.beneficiaries import register_beneficiary
from romah_desktop.validation import make_national_id
from romah_desktop.workspace import Workspace
from tests.helpers.people import person_form

NAME = "نورة عبدالرحمن السبيعي"
FIRST, FATHER, FAMILY = "نورة", "عبدالرحمن", "السبيعي"
NATIONAL_ID = make_national_id("108642097")


def _png_with_text(text: str) -> bytes:
    """A 2×2 grey PNG whose tEXt chunk carries `text`."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x80\x80" * 2)
    return (
        PNG_MAGIC
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"Comment\x00" + text.encode("utf-8"))
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


# A signature and a scan that carry the person's name and number, as a scanned ID card does.
SIGNATURE = _png_with_text(f"signed by {NAME} {NATIONAL_ID}")
SCAN = b"%PDF-1.4 scanned national ID card " + f"{NAME} {NATIONAL_ID}".encode() * 20


@pytest.fixture
def files(workspace: Workspace) -> Iterator[FileCipher]:
    """The workspace's file cipher (made here when the workspace does not make one)."""
    cipher = getattr(workspace, "files", None)
    if not isinstance(cipher, FileCipher):
        cipher = FileCipher(new_key())
        workspace.db.session_info["file_cipher"] = cipher
    yield cipher


def _secrets() -> list[bytes]:
    found = [NATIONAL_ID.encode("ascii"), FIRST.encode("utf-8"), FAMILY.encode("utf-8")]
    found += [NAME.encode("utf-16-le"), NATIONAL_ID.encode("utf-16-le")]
    # JSON's escapes, should anything write the name as \\uXXXX.
    found.append("".join(f"\\u{ord(c):04x}" for c in FAMILY).encode("ascii"))
    return found


def _leaks(folder: Path) -> list[str]:
    """Every file under `folder` holding the name or the national ID, as `grep -r` would."""
    return [
        f"{path.relative_to(folder)}: {secret!r}"
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        for secret in _secrets()
        if secret in path.read_bytes()
    ]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _register_and_sign(workspace: Workspace, actor: Actor) -> tuple[str, str]:
    form = person_form(
        first_name=FIRST, father_name=FATHER, grandfather_name="محمد", family_name=FAMILY
    )
    form["national_id"] = NATIONAL_ID
    with workspace.transaction() as session:
        person = register_beneficiary(session, actor, form)
        declaration = sign_declaration(
            session,
            actor,
            beneficiary_id=person.id,
            signer_name=NAME,
            text="أقر بأن البيانات المقدمة صحيحة.",
            signature_png=SIGNATURE,
        )
        scan = store_attachment(session, SCAN, "application/pdf", workspace.attachments_dir)
        return declaration.id, scan.sha256


@pytest.fixture
def clerk(actor_for: Callable[[Role], Actor]) -> Actor:
    return actor_for(Role.INTERVIEWER)


def test_signatures_scans_and_drafts_hold_no_name_or_id_and_are_private(
    workspace: Workspace, clerk: Actor, files: FileCipher
) -> None:
    admin = clerk
    declaration_id, scan_sha = _register_and_sign(workspace, clerk)
    draft = new_draft(
        admin.username,
        "intake",
        f"{NAME} — إيجار",
        {"person": {"name": NAME, "national_id": NATIONAL_ID}, "subject": "طلب إيجار"},
    )
    save_draft(workspace.data_dir, draft, cipher=files)

    data = workspace.data_dir
    stored = [p for p in (data / "attachments").rglob("*") if p.is_file()]
    assert len(stored) == 2 and len(list(drafts_dir(data).iterdir())) == 1
    assert _leaks(data / "attachments") == []
    assert _leaks(drafts_dir(data)) == []
    # Nor does anything name the draft's owner.
    assert not [p for p in drafts_dir(data).iterdir() if admin.username.encode() in p.read_bytes()]
    assert all(admin.username not in p.name for p in drafts_dir(data).iterdir())

    for folder in [data / "attachments", drafts_dir(data), *{p.parent for p in stored}]:
        assert _mode(folder) == 0o700, folder
    for path in [*stored, *drafts_dir(data).iterdir()]:
        assert _mode(path) == 0o600, path

    # Their owner reads them all back, addressed by the plaintext's hash.
    assert load_draft(data, draft.id, admin.username, cipher=files).data["person"] == {
        "name": NAME,
        "national_id": NATIONAL_ID,
    }
    assert [d.id for d in list_drafts(data, admin.username, cipher=files)] == [draft.id]
    assert list_drafts(data, "someone.else", cipher=files) == []
    assert intact_attachment(workspace.attachments_dir, scan_sha, files) == SCAN
    with workspace.db.session() as session:
        declaration = session.get(SignedDeclaration, declaration_id)
        assert declaration is not None
        assert declaration.signature_sha256 == hashlib.sha256(SIGNATURE).hexdigest()
        assert intact_attachment(workspace.attachments_dir, declaration.signature_sha256, files)
        # The printed declaration still carries the signature image (opened with the key).
        with_signature = render_form(session, admin, FormKind.DECLARATION, declaration_id)
    signature_file = attachment_path(workspace.attachments_dir, declaration.signature_sha256)
    signature_file.unlink()
    with workspace.db.session() as session:
        without = render_form(session, admin, FormKind.DECLARATION, declaration_id)
    assert b"/Subtype /Image" in with_signature and b"/Subtype /Image" not in without


def test_another_key_or_a_moved_file_opens_nothing(
    workspace: Workspace, clerk: Actor, files: FileCipher
) -> None:
    admin = clerk
    _declaration_id, scan_sha = _register_and_sign(workspace, clerk)
    draft = save_draft(workspace.data_dir, new_draft(admin.username, "intake", NAME), cipher=files)
    thief = FileCipher(new_key())
    with pytest.raises(DraftUnreadable):
        load_draft(workspace.data_dir, draft.id, admin.username, cipher=thief)
    assert list_drafts(workspace.data_dir, admin.username, cipher=thief) == []
    assert intact_attachment(workspace.attachments_dir, scan_sha, thief) is None

    # A file copied over another address does not pass for it.
    signature_sha = hashlib.sha256(SIGNATURE).hexdigest()
    source = attachment_path(workspace.attachments_dir, scan_sha)
    attachment_path(workspace.attachments_dir, signature_sha).write_bytes(source.read_bytes())
    assert intact_attachment(workspace.attachments_dir, signature_sha, files) is None
    # Storing that content again repairs it.
    with workspace.transaction() as session:
        store_attachment(session, SIGNATURE, "image/png", workspace.attachments_dir)
    assert intact_attachment(workspace.attachments_dir, signature_sha, files) == SIGNATURE


def test_a_session_without_the_cipher_refuses_to_store_in_clear(
    workspace: Workspace, admin: Actor
) -> None:
    workspace.db.session_info.pop("file_cipher", None)
    with workspace.db.session() as session:
        with pytest.raises(RuntimeError):
            file_cipher(session)
        with pytest.raises(RuntimeError):
            store_attachment(session, SCAN, "application/pdf", workspace.attachments_dir)
    assert (
        not (workspace.data_dir / "attachments").exists()
        or _leaks(workspace.data_dir / "attachments") == []
    )


def _fails_with_personal_data(national_id: str, name: str) -> None:
    person = {"national_id": national_id, "name": name}
    try:
        int(person["name"])
    except ValueError as error:
        raise LookupError(f"no file for {person['national_id']} ({person['name']})") from error


def test_a_crash_report_keeps_where_not_who(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    log_file = setup_logging(folder)
    try:
        _fails_with_personal_data(NATIONAL_ID, NAME)
    except LookupError as error:
        report = write_crash_report(folder, error)
    text = report.read_text(encoding="utf-8")
    assert "LookupError" in text and "ValueError" in text
    assert "_fails_with_personal_data" in text and "test_files_at_rest.py" in text
    assert "direct cause" in text
    logging.getLogger("romah").handlers[0].flush()
    for written in (report, log_file):
        content = written.read_bytes()
        assert not [s for s in _secrets() if s in content], written
        assert _mode(written) == 0o600
    assert "LookupError" in log_file.read_text(encoding="utf-8")
    assert _mode(folder) == 0o700
    # The same failure for another person leaves the same fingerprint.
    try:
        _fails_with_personal_data(make_national_id("198765432"), "سارة خالد العتيبي")
    except LookupError as error:
        again = write_crash_report(folder, error).read_text(encoding="utf-8")
    assert again.splitlines()[-1] == text.splitlines()[-1]


def test_files_written_before_encryption_read_and_are_encrypted_once(
    workspace: Workspace, admin: Actor, files: FileCipher
) -> None:
    data = workspace.data_dir
    # As the previous version left them: plain files, 0644 in 0755 folders.
    sha = hashlib.sha256(SCAN).hexdigest()
    old_scan = attachment_path(workspace.attachments_dir, sha)
    old_scan.parent.mkdir(parents=True, mode=0o755)
    old_scan.write_bytes(SCAN)
    old_partial = old_scan.with_name("f" * 64 + ".part")
    old_partial.write_bytes(SCAN[:40])
    draft = new_draft(admin.username, "intake", NAME, {"national_id": NATIONAL_ID})
    drafts_dir(data).mkdir(mode=0o755)
    old_draft = drafts_dir(data) / f"{draft.id}.json"
    old_draft.write_text(
        json.dumps(
            {
                "format": 1,
                "id": draft.id,
                "username": admin.username,
                "kind": "intake",
                "title": NAME,
                "created_at": "2025-01-01T08:00:00+00:00",
                "updated_at": "2025-01-01T08:00:00+00:00",
                "data": {"national_id": NATIONAL_ID},
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    logs = data / "logs"
    logs.mkdir(mode=0o755)
    old_report = logs / "crash-20250101-080000-000000.txt"
    old_report.write_text(
        "device d1 user admin\nTraceback (most recent call last):\n"
        '  File "/app/romah_desktop/x.py", line 3, in register\n    check(person)\n'
        f"ValueError: duplicate national ID {NATIONAL_ID} for {NAME}\n",
        encoding="utf-8",
    )
    for path in (old_scan, old_draft, old_report):
        os.chmod(path, 0o644)

    # Still readable as they are...
    assert load_draft(data, draft.id, admin.username, cipher=files).title == NAME
    assert intact_attachment(workspace.attachments_dir, sha, files) == SCAN
    assert read_protected(old_draft, files, "anything").startswith(b'{"format"')

    # ...until the upgrade encrypts them in place.
    seen: list[tuple[int, int]] = []
    assert encrypt_existing_files(data, files, lambda done, total: seen.append((done, total))) == 2
    assert seen[-1][0] == seen[-1][1] == 4
    assert _leaks(data / "attachments") == [] and _leaks(drafts_dir(data)) == []
    assert _leaks(logs) == []
    report = old_report.read_text(encoding="utf-8")
    assert "ValueError: (message withheld" in report and "in register" in report
    assert not old_partial.exists()
    assert FileCipher.is_encrypted(old_scan.read_bytes())
    assert load_draft(data, draft.id, admin.username, cipher=files).data == {
        "national_id": NATIONAL_ID
    }
    assert intact_attachment(workspace.attachments_dir, sha, files) == SCAN
    for path in data.rglob("*"):
        assert _mode(path) == (0o700 if path.is_dir() else 0o600), path
    assert _mode(data) == 0o700

    # Once is enough: a second run changes nothing.
    before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file() and p.suffix != ".db"}
    assert encrypt_existing_files(data, files) == 0
    assert {p: p.read_bytes() for p in before} == before
