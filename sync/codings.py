"""The dictionary coding of a push body (`Content-Encoding: rz1`).

A one-field push is mostly words both sides know already: the wire format's keys, the names
of tables and columns, and the laptop's own device id, which is in the clock stamp of every
change it sends (twice). zlib compresses against a preset dictionary of them, so such a body
is about half its gzip. The format is raw deflate (RFC 1951) with that dictionary: no header
or checksum, 10 bytes that would be a tenth of the body (TCP and TLS check the bytes, HQ
reads the body as strictly as any other, and one that does not end where deflate says it
ends is refused).

The dictionary is fixed for the coding's name: laptops and HQ of different versions must
agree on it byte for byte. A new table or column only makes the coding a little less good;
changing the words needs a new coding name (a test holds their checksum).
"""

from __future__ import annotations

import zlib
from functools import lru_cache

DICTIONARY_CODING = "rz1"

# Column names, the rarer first: deflate reaches the last words of the dictionary with the
# shortest distances.
_COLUMNS = """
    action active amount_halalas amount_requested_halalas answer answered_at
    approved_amount_halalas approved_on author_user_id body categories checked_on city
    clarity closed_at collected_on comment committee_due_on completed_steps content_sha256
    courtesy created_by_user_id current_step decided_on decision_id declared_data
    delivered_by_user_id delivered_on details device_seq district doc_type due_on
    enrolled_at entity escalated_at escalated_by_user_id expiry_date extra_roles family_name
    father_name field file_number filename findings finished_at first_name follow_up_on
    form_kind grandfather_name handled_by_user_id has_disability hash held_on household_size
    housing_type iban id_type in_education inquirer_name inquirer_phone interviewer_id
    is_dependent is_primary issue_date items justification label letter_date
    letter_reference marital_status media_type meeting_id meeting_number members
    members_present monthly_amount_halalas monthly_income_halalas monthly_rent_halalas
    nationality note other_device_id other_hlc other_value outcome overall password_hash
    paused_on phone prefix prev_hash printed printed_by_user_id private_key_box public_key
    question queued_at queued_by_user_id reason receipt_signature_sha256 received_on
    recommendation record_id referral_id referred_by_user_id registration_status
    relationship request_number request_type resolved_at resolved_by resolved_value response
    resumed_on review_due_on revoked_at role row_id service_type settings sha256 signature
    signature_sha256 signed_at signer_name signing_key size source speed started_at subject
    submitted_at table_name username valid_on_submission verified_by_user_id version
    visit_date winner_device_id winner_hlc winner_value address assigned_to_user_id
    attachment_sha256 birth_date code contact_id device_id entity_id full_name gender name
    national_id number occurred_at printed_at supersedes_id text title user_id
    recorded_by_user_id kind status channel notes request_id branch_id beneficiary_id
    created_at deleted_at field_versions hlc id origin_device_id updated_at
"""
_TABLES = """
    attachment audit_event beneficiary beneficiary_phone branch committee_decision
    committee_meeting contact deadline_escalation deadline_pause device document_check
    feedback household_member income_source interview print_queue_item printed_paper
    reference_document research_referral research_report satisfaction_survey
    service_delivery signed_declaration support_request sync_conflict user_account
"""
# Pieces of changes as a laptop sends them (an insert, an update); the device id comes last.
_SKELETON = (
    '"deleted_at":null,"created_at":"202'
    '{"changes":[{"s":1,"t":"beneficiary","r":"01","o":"i","c":{"id":"01'
    '"},"u":"01"},{"s":1,"t":"beneficiary","r":"01","o":"u","c":{'
    '"updated_at":"202","hlc":"0001","b":{"*":1},"h":"0001'
    '.000000+00:00"},"b":{"*":'
)


def _words() -> bytes:
    columns = "".join(f'"{name}":' for name in _COLUMNS.split())
    tables = "".join(f'"t":"{name}",' for name in _TABLES.split())
    return (columns + tables + _SKELETON).encode()


_WORDS = _words()


@lru_cache(maxsize=64)
def dictionary(device_id: str) -> bytes:
    """The preset dictionary of bodies the device `device_id` sends."""
    return _WORDS + f"-00000-{device_id}".encode()


def press(raw: bytes, device_id: str, level: int) -> bytes:
    """`raw` in the dictionary coding of `device_id`."""
    presser = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS, zdict=dictionary(device_id))
    return presser.compress(raw) + presser.flush()


def unpresser(device_id: str) -> zlib._Decompress:
    """A decompressor of bodies in the dictionary coding of `device_id`."""
    return zlib.decompressobj(-zlib.MAX_WBITS, zdict=dictionary(device_id))
