"""Bad requests to HQ: each is refused with a 4xx and a reason a person can read, never a 500,
and HQ stores nothing for it."""

from __future__ import annotations

import gzip
import hashlib
import json
from typing import Any

import pytest
import sqlalchemy as sa

from sync.protocol import (
    MAX_BODY_BYTES,
    MAX_CHANGES_PER_PUSH,
    OFFSET_HEADER,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    TOTAL_HEADER,
)
from sync.server.schema import hq_blob, hq_change, hq_device, hq_quarantine, hq_row
from tests.sync.conftest import HQ


@pytest.fixture
def device(hq: HQ) -> dict[str, str]:
    """The headers of an enrolled laptop (enrolled over HTTP, with no database of its own)."""
    headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    asked = {
        "code": hq.hub.new_enrolment_code("RYD"),
        "device_id": "01900000-0000-7000-8000-00000000beef",
        "name": "laptop",
        "prefix": "BEEF",
    }
    answer = hq.http.post("/v1/enrol", content=_json(asked), headers=headers)
    assert answer.status_code == 200, answer.text
    token = answer.json()["token"]
    return {**headers, "Authorization": f"Bearer {asked['device_id']}.{token}"}


def _stored(hq: HQ) -> tuple[int, ...]:
    with hq.hub.engine.connect() as connection:
        return tuple(
            int(connection.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
            for t in (hq_row, hq_change, hq_quarantine, hq_blob, hq_device)
        )


def _change(**overrides: Any) -> dict[str, Any]:
    change: dict[str, Any] = {
        "s": 1,
        "t": "beneficiary",
        "r": "01900000-0000-7000-8000-000000000001",
        "o": "i",
        "c": {"first_name": "سارة"},
        "b": {},
        "h": "0001700000000000-00000-device",
    }
    change.update(overrides)
    return change


def _refused(hq: HQ, method: str, path: str, **request: Any) -> tuple[int, str]:
    before = _stored(hq)
    answer = hq.http.request(method, path, **request)
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:300])
    reason = answer.json()["reason"]
    assert isinstance(reason, str) and reason.strip()
    assert _stored(hq) == before, "HQ stored something for a refused request"
    return answer.status_code, reason


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


_MALFORMED_PUSHES = {
    "malformed-json": b"{not json",
    "empty": b"",
    "a-list": b"[]",
    "changes-not-a-list": _json({"changes": "all of them"}),
    "sequence-not-a-number": _json({"changes": [_change(s="one")]}),
    "sequence-zero": _json({"changes": [_change(s=0)]}),
    "unknown-operation": _json({"changes": [_change(o="x")]}),
    "fields-not-an-object": _json({"changes": [_change(c=["not", "a", "dict"])]}),
    "id-too-long": _json({"changes": [_change(r="x" * 37)]}),
    "unknown-key": _json({"changes": [_change(extra=1)]}),
    "base-not-a-number": _json({"changes": [_change(b={"first_name": "seven"})]}),
    "too-many-changes": _json({"changes": [_change()] * (MAX_CHANGES_PER_PUSH + 1)}),
}


def test_a_malformed_push_is_refused(hq: HQ, device) -> None:
    for name, body in _MALFORMED_PUSHES.items():
        status, _ = _refused(hq, "POST", "/v1/push", content=body, headers=device)
        assert status == 422, name


def test_unknown_tables_and_fields_are_quarantined_not_stored_as_records(hq: HQ, device) -> None:
    """Well-formed changes HQ cannot apply are answered one by one with the reason; the record
    tables stay untouched (only the quarantine keeps the change, for a person to see)."""
    changes = [
        _change(s=101, t="no_such_table"),
        _change(s=102, c={"no_such_field": "x"}),
        _change(s=103, t="branch", c={"name": "فرع"}),
        _change(s=104, o="u", c={"first_name": "x"}, r="01900000-0000-7000-8000-00000000dead"),
    ]
    rows_before, changes_before = _stored(hq)[:2]
    answer = hq.http.post("/v1/push", content=_json({"changes": changes}), headers=device)
    assert answer.status_code == 200
    reasons = {r["s"]: r.get("q") for r in answer.json()["results"]}
    assert all(reasons[s] for s in (101, 102, 103, 104)), reasons
    assert "no_such_table" in reasons[101] and "no_such_field" in reasons[102]
    assert _stored(hq)[:2] == (rows_before, changes_before)
    assert _stored(hq)[2] == 4  # quarantined, shown at HQ


def test_a_laptop_cannot_rewrite_another_laptops_signing_key(hq: HQ, device) -> None:
    """A device record names the key that signs that laptop's printed papers: another laptop
    of the branch may not change it (its forged papers would then verify there)."""
    other = "01900000-0000-7000-8000-00000000cafe"
    change = _change(s=201, t="device", r=other, o="u", c={"signing_key": "A" * 43 + "="})
    rows_before, changes_before = _stored(hq)[:2]
    answer = hq.http.post("/v1/push", content=_json({"changes": [change]}), headers=device)
    assert answer.status_code == 200
    (result,) = answer.json()["results"]
    assert "only its own device record" in result["q"]
    assert _stored(hq)[:2] == (rows_before, changes_before)


def test_a_stamp_far_in_the_future_is_refused_with_the_reason(hq: HQ, device) -> None:
    far = "9001700000000000-00000-device"
    answer = hq.http.post("/v1/push", content=_json({"changes": [_change(h=far)]}), headers=device)
    assert "future" in answer.json()["results"][0]["q"]


def test_an_oversized_body_is_refused(hq: HQ, device) -> None:
    body = b" " * (MAX_BODY_BYTES + 1)
    status, reason = _refused(hq, "POST", "/v1/push", content=body, headers=device)
    assert status == 413 and "larger" in reason


def test_a_zip_bomb_is_refused(hq: HQ, device) -> None:
    padding = json.dumps({"changes": []})[:-2] + " " * (100 * 1024 * 1024) + "]}"
    bomb = gzip.compress(padding.encode(), compresslevel=9)
    assert len(bomb) < MAX_BODY_BYTES
    headers = {**device, "Content-Encoding": "gzip"}
    status, reason = _refused(hq, "POST", "/v1/push", content=bomb, headers=headers)
    assert status == 413 and "decompressed" in reason


def test_a_body_that_is_not_gzip_is_refused(hq: HQ, device) -> None:
    headers = {**device, "Content-Encoding": "gzip"}
    assert _refused(hq, "POST", "/v1/push", content=b"plain", headers=headers)[0] == 400


def test_requests_without_a_valid_credential_are_refused(hq: HQ, device) -> None:
    device_id = device["Authorization"].removeprefix("Bearer ").split(".")[0]
    credentials = [
        None,
        "Basic dXNlcjpwYXNz",
        "Bearer ",
        "Bearer nobody.nothing",
        f"Bearer {device_id}.wrong",
        f"Bearer {device_id}",
    ]
    for method, path in (("POST", "/v1/push"), ("GET", "/v1/pull"), ("POST", "/v1/blobs/missing")):
        for authorization in credentials:
            headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
            if authorization is not None:
                headers["Authorization"] = authorization
            body = _json({"changes": [_change()]}) if method == "POST" else None
            status, reason = _refused(hq, method, path, content=body, headers=headers)
            assert (status, "credential" in reason) == (401, True), (path, authorization)


def test_a_request_without_the_protocol_header_is_told_to_update(hq: HQ, device) -> None:
    headers = {"Authorization": device["Authorization"]}
    status, reason = _refused(hq, "GET", "/v1/pull", headers=headers)
    assert status == 426 and "update" in reason


def test_bad_pull_parameters_are_refused(hq: HQ, device) -> None:
    for params in ({"after": -1}, {"limit": 0}, {"limit": 10**6}, {"after": "soon"}):
        assert _refused(hq, "GET", "/v1/pull", params=params, headers=device)[0] == 422, params


def test_a_pull_cursor_past_hqs_sequences_is_refused(hq: HQ, device: dict[str, str]) -> None:
    """HQ's sequences are BIGINT: a cursor of 2^63 or more is refused, not a 500."""
    for params in ({"after": 2**63}, {"after": 10**40}, {"own_from": 2**63}):
        assert _refused(hq, "GET", "/v1/pull", params=params, headers=device)[0] == 422, params


def test_an_enrolment_with_a_nul_character_is_refused(hq: HQ) -> None:
    """PostgreSQL's text cannot hold a NUL character: it is refused as malformed, not a 500
    (with a valid code, so that it is the NUL that is refused)."""
    headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    for field, value in (("device_id", "d\x00"), ("name", "\x00"), ("prefix", "A\x00")):
        asked = {"device_id": "d1", "name": "x", "prefix": "AB12", field: value}
        asked["code"] = hq.hub.new_enrolment_code("RYD")
        body = _json(asked)
        assert _refused(hq, "POST", "/v1/enrol", content=body, headers=headers)[0] == 422, field


def test_a_used_or_invented_enrolment_code_is_refused(hq: HQ) -> None:
    headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    asked = {"code": "AAAA-BBBB-CCCC", "device_id": "d1", "name": "x", "prefix": "AB12"}
    status, reason = _refused(hq, "POST", "/v1/enrol", content=_json(asked), headers=headers)
    assert status == 403 and "code" in reason
    status, _ = _refused(hq, "POST", "/v1/enrol", content=b"{", headers=headers)
    assert status == 422


_FILE = b"a scanned national ID card"
_SHA = hashlib.sha256(_FILE).hexdigest()


def test_bad_file_uploads_are_refused(hq: HQ, device) -> None:
    size = str(len(_FILE))
    uploads = {
        "bad-hash": ("not-a-hash", "0", size, _FILE),
        "offset-ahead": (_SHA, "5", size, _FILE),
        "negative-offset": (_SHA, "-1", size, _FILE),
        "total-not-a-number": (_SHA, "0", "seven", _FILE),
        "past-total": (_SHA, "0", "3", _FILE),
        "content-does-not-match": (_SHA, "0", size, b"x" * len(_FILE)),
    }
    for name, (sha256, offset, total, body) in uploads.items():
        headers = {**device, OFFSET_HEADER: offset, TOTAL_HEADER: total}
        _refused(hq, "PUT", f"/v1/blobs/{sha256}", content=body, headers=headers)
        assert not list((hq.data_dir / "blobs").rglob(f"{_SHA}*")), name


def test_bad_file_requests_are_refused(hq: HQ, device) -> None:
    _refused(hq, "POST", "/v1/blobs/missing", content=_json({"hashes": ["zz"]}), headers=device)
    assert _refused(hq, "GET", f"/v1/blobs/{_SHA}", headers=device)[0] == 404
    assert _refused(hq, "GET", "/v1/blobs/..%2F..%2Fhq.sqlite3", headers=device)[0] == 404


def test_unknown_paths_and_methods_answer_with_a_reason(hq: HQ, device) -> None:
    assert _refused(hq, "GET", "/v1/nothing-here", headers=device)[0] == 404
    assert _refused(hq, "DELETE", "/v1/push", headers=device)[0] == 405
