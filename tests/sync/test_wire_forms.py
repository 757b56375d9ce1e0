"""What a small sync costs on the wire: push bodies in the dictionary coding, the credential
as the secret alone, and only the headers HQ reads. A laptop uses the newer forms only once
HQ has said it reads them, and goes back to the older ones when an app server refuses them
(one not yet upgraded behind the same address): nothing is lost either way."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from db.local_state import local_value, set_local_value
from sync import codings
from sync.client import HQ_CODINGS_KEY, SyncClient
from sync.protocol import (
    MAX_INFLATED_BYTES,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    BodyTooLarge,
    encode_raw,
    inflate,
)
from sync.server.schema import hq_row
from tests.sync.conftest import HQ, Laptop
from tests.sync.test_flow import _edit, _register

MakeLaptop = Callable[..., Laptop]
DEVICE = "01a2536e-76f6-716e-9979-d041db8db3a4"


# -- the coding ------------------------------------------------------------------------------


@given(st.binary(max_size=4000), st.sampled_from([DEVICE, "dev-1", "٣"]))
def test_a_pressed_body_reads_back_as_sent(raw: bytes, device_id: str) -> None:
    body, headers = encode_raw(raw, device_id)
    assert inflate(body, headers.get("Content-Encoding"), device_id) == raw


def test_the_dictionary_is_fixed_for_the_coding_name() -> None:
    # Laptops and HQ of different versions must press with the same words: changing them
    # needs a new coding name (and this checksum).
    assert codings.DICTIONARY_CODING == "rz1"
    assert hashlib.sha256(codings.dictionary(DEVICE)).hexdigest() == (
        "8ce68e954dc84623604f5068e9c4a5ac4c5dce5350d746fcc7cd0d32d88cc818"
    ), hashlib.sha256(codings.dictionary(DEVICE)).hexdigest()


def test_a_one_field_change_presses_to_half_its_gzip() -> None:
    change = (
        '{"changes":[{"s":42,"t":"beneficiary","r":"01a2536e-794c-7839-9c85-dbbb682112ee",'
        '"o":"u","c":{"household_size":3,"hlc":"0001796696078759-00000-' + DEVICE + '",'
        '"updated_at":"2026-12-08T02:14:38.759856+00:00"},"b":{"household_size":8,"*":8},'
        '"h":"0001796696078759-00000-' + DEVICE + '"}]}'
    ).encode()
    pressed, headers = encode_raw(change, DEVICE)
    assert headers == {"Content-Encoding": "rz1"}
    assert len(pressed) * 2 <= len(gzip.compress(change, 9, mtime=0)), len(pressed)


def test_a_short_body_is_sent_as_it_is() -> None:
    assert encode_raw(b"{}", DEVICE) == (b"{}", {})


def test_a_cut_or_swollen_pressed_body_is_refused() -> None:
    raw = json.dumps({"changes": [{"s": n} for n in range(200)]}).encode()
    body, _ = encode_raw(raw, DEVICE)
    with pytest.raises(ValueError, match="not valid rz1: it ends early"):
        inflate(body[:-3], "rz1", DEVICE)
    with pytest.raises(ValueError, match="not valid rz1"):
        inflate(b"\xff" + body, "rz1", DEVICE)
    bomb, _ = encode_raw(b" " * (MAX_INFLATED_BYTES + 1), DEVICE)
    with pytest.raises(BodyTooLarge):
        inflate(bomb, "rz1", DEVICE)


def test_hq_reads_the_coding_only_from_the_device_that_sent_it(hq: HQ) -> None:
    body, _ = encode_raw(json.dumps({"code": "ABCD-EFGH", "device_id": DEVICE}).encode(), DEVICE)
    answer = hq.http.post(
        "/v1/enrol",
        content=body,
        headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Content-Encoding": "rz1"},
    )
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == "coding"
    assert "unsupported content encoding 'rz1'" in answer.json()["reason"]


# -- the laptop and HQ -----------------------------------------------------------------------


class _Recorder(httpx.BaseTransport):
    """HQ's test transport, keeping each request and answer as they crossed."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.seen: list[tuple[httpx.Request, httpx.Response]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        answer = self.inner.handle_request(request)
        answer.read()
        self.seen.append((request, answer))
        return answer

    def pushes(self) -> list[tuple[httpx.Request, httpx.Response]]:
        return [(q, a) for q, a in self.seen if q.url.path == "/v1/push"]


class _OlderServer(_Recorder):
    """HQ as an app server of the version before these forms: it does not say it reads them,
    refuses a credential without the device id (401) and a body it cannot decode (400),
    as that version did."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        credential = request.headers.get("Authorization", "")
        if credential and "." not in credential:
            answer = httpx.Response(401, json={"reason": "The device credential is not valid"})
        elif request.headers.get("Content-Encoding") not in (None, "gzip"):
            reason = f"unsupported content encoding {request.headers['Content-Encoding']!r}"
            answer = httpx.Response(400, json={"reason": reason, "code": "refused"})
        else:
            answer = self.inner.handle_request(request)
            answer.read()
            if request.url.path == "/v1/pull":
                page = answer.json()
                page.pop("codings", None)
                answer = httpx.Response(200, json=page)
        self.seen.append((request, answer))
        return answer


def _client(hq: HQ, machine: Laptop, transport: httpx.BaseTransport) -> SyncClient:
    http = httpx.Client(transport=transport, base_url=hq.url)
    return SyncClient(machine.workspace.db, machine.workspace.attachments_dir, client=http)


def _sent(request: httpx.Request, device_id: str) -> dict[str, Any]:
    body = inflate(request.content, request.headers.get("Content-Encoding"), device_id)
    return dict(json.loads(body))


def _hq_value(hq: HQ, row_id: str, column: str) -> Any:
    with hq.hub.engine.connect() as connection:
        data = connection.execute(sa.select(hq_row.c.data).where(hq_row.c.row_id == row_id)).one()
    stored = data[0] if isinstance(data[0], dict) else json.loads(data[0])
    return stored[column]


def test_a_one_field_push_carries_only_what_hq_reads(hq: HQ, laptop: MakeLaptop) -> None:
    machine = laptop("one")
    person = _register(machine, "clerk.ryd", first_name="سارة")
    recorder = _Recorder(hq.http._transport)
    client = _client(hq, machine, recorder)
    client.sync()
    _edit(machine, "clerk.ryd", person, city="جدة")
    client.sync()
    [(request, answer)] = recorder.pushes()[-1:]
    secret = client.transport().credential.partition(".")[2]  # type: ignore[union-attr]
    assert dict(request.headers) == {
        "host": "hq.test",
        PROTOCOL_HEADER.lower(): str(PROTOCOL_VERSION),
        "authorization": f"Bearer {secret}",
        "content-encoding": "rz1",
        "content-length": str(len(request.content)),
    }
    sent = _sent(request, machine.workspace.device_id())["changes"]
    [change] = [c for c in sent if c["t"] == "beneficiary"]  # and the edit's audit event
    assert (change["r"], change["c"]["city"]) == (person, "جدة")
    assert "content-type" not in answer.headers
    assert answer.json()["results"][0]["g"] > 0
    assert _hq_value(hq, person, "city") == "جدة"
    # Remembered: the next run of the app presses from its first push on.
    with machine.workspace.db.engine.connect() as connection:
        assert local_value(connection, HQ_CODINGS_KEY) == "rz1"
    again = _Recorder(hq.http._transport)
    _edit(machine, "clerk.ryd", person, city="الدمام")
    _client(hq, machine, again).sync()
    assert again.seen[0][0].url.path != "/v1/pull"
    assert again.pushes()[0][0].headers["Content-Encoding"] == "rz1"
    assert _hq_value(hq, person, "city") == "الدمام"


def test_a_laptop_speaks_the_older_forms_until_hq_says_it_reads_the_newer(
    hq: HQ, laptop: MakeLaptop
) -> None:
    machine = laptop("one")
    with machine.workspace.db.engine.begin() as connection:
        set_local_value(connection, HQ_CODINGS_KEY, "")  # as a laptop enrolled with it
    older = _OlderServer(hq.http._transport)
    client = _client(hq, machine, older)
    people = [_register(machine, "clerk.ryd", first_name=name) for name in ("هند", "ريم", "لمى")]
    client.sync()
    client.sync()
    assert older.pushes(), "nothing was pushed"
    for request, answer in older.seen:
        assert "." in request.headers["Authorization"], request.url
        assert request.headers.get("Content-Encoding") in (None, "gzip"), request.url
        assert answer.status_code == 200, request.url
    for person in people:
        assert _hq_value(hq, person, "first_name") in ("هند", "ريم", "لمى")


def test_an_older_app_server_behind_the_same_address_gets_the_older_forms(
    hq: HQ, laptop: MakeLaptop
) -> None:
    machine = laptop("one")
    client = _client(hq, machine, _Recorder(hq.http._transport))
    client.sync()  # HQ says it reads the newer forms
    assert client.transport().pressed
    # The load balancer now sends the laptop to a server not yet upgraded.
    older = _OlderServer(hq.http._transport)
    client.transport().client = httpx.Client(transport=older, base_url=hq.url)
    person = _register(machine, "clerk.ryd", first_name="نورة")
    _edit(machine, "clerk.ryd", person, city="جدة")
    report = client.sync()
    assert report.pushed >= 2 and not client.transport().pressed
    refused = [q for q, a in older.seen if a.status_code >= 400]
    assert refused and all(q.url.path in ("/v1/push", "/v1/held") for q in refused)
    assert older.seen[-1][1].status_code == 200
    assert _hq_value(hq, person, "city") == "جدة"


def test_hq_finds_the_device_by_its_secret_and_still_reads_the_older_credential(
    hq: HQ, laptop: MakeLaptop
) -> None:
    machine = laptop("one")
    credential = machine.client.transport().credential
    assert credential is not None
    device_id, _, secret = credential.partition(".")
    assert len(secret) == 32  # 192 random bits, URL-safe base64
    protocol = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    for sent, status in (
        (f"Bearer {secret}", 200),
        (f"Bearer {device_id}.{secret}", 200),
        (f"Bearer {secret[:-1]}", 401),
        (f"Bearer {device_id}", 401),
        (f"Bearer .{secret}", 401),
        ("Bearer ", 401),
    ):
        answer = hq.http.get("/v1/held?low=1&high=1", headers={**protocol, "Authorization": sent})
        assert answer.status_code == status, (sent, answer.text)
    hq.hub.revoke_device(device_id)
    answer = hq.http.get(
        "/v1/held?low=1&high=1", headers={**protocol, "Authorization": f"Bearer {secret}"}
    )
    assert (answer.status_code, answer.json()["code"]) == (403, "revoked")
