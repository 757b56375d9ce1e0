"""HQ's bulk push gives exactly what pushing the same changes one by one gives, and its fast
decoder takes exactly the bodies the reference model takes, with the same errors for the rest."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import ValidationError

from sync.protocol import (
    MAX_CHANGES_PER_PUSH,
    SEQ_LIMIT,
    PushResult,
    change_dict,
    decode_push,
    push_request,
)
from sync.server.hub import DeviceAuth, Hub
from sync.server.migrate import upgrade
from sync.server.schema import hq_change, hq_duplicate, hq_quarantine, hq_row
from tests.helpers.postgres import postgres_schema
from tests.sync.conftest import make_hub

ONE = "01900000-0000-7000-8000-00000000a001"  # the laptop whose batch is compared
TWO = "01900000-0000-7000-8000-00000000b002"  # another laptop of the branch
P1, P2, P3, P4 = (f"01900000-0000-7000-8000-0000000000{n:02d}" for n in range(1, 5))
PHONE = "01900000-0000-7000-8000-0000000000f1"
GHOST = "01900000-0000-7000-8000-0000000000ff"  # a record HQ never received
_START = int(time.time() * 1000) - 3_600_000


def _stamp(n: int, device: str) -> str:
    """The n-th clock stamp of the test's timeline (a second apart, an hour ago)."""
    return f"{_START + n * 1000:016d}-00000-{device}"


def _change(
    s: int, table: str, row: str, op: str, values: dict[str, Any], stamp: str, **base: int
) -> dict[str, Any]:
    values = {**values, "hlc": stamp}
    if op == "i":
        values["id"] = row
    return {"s": s, "t": table, "r": row, "o": op, "c": values, "b": base, "h": stamp}


def _person(national_id: str, city: str) -> dict[str, Any]:
    return {
        "first_name": "سارة",
        "family_name": "القحطاني",
        "national_id": national_id,
        "city": city,
        "district": "النسيم",
    }


def _body(*changes: dict[str, Any]) -> bytes:
    return json.dumps({"changes": list(changes)}, ensure_ascii=False).encode()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def two_hqs(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[tuple[Hub, Hub]]:
    """Two empty HQs on the same kind of database."""
    if request.param == "sqlite":
        hubs = [make_hub(f"sqlite+pysqlite:///{tmp_path / f'hq{n}.sqlite3'}") for n in (1, 2)]
        yield hubs[0], hubs[1]
        for hub in hubs:
            hub.engine.dispose()
        return
    with postgres_schema() as first, postgres_schema() as second:
        for engine in (first, second):
            upgrade(engine)
        yield Hub(first), Hub(second)


def _prepared(hub: Hub) -> tuple[DeviceAuth, DeviceAuth]:
    """Branch RYD with two laptops; P1 and P2 from the first, then P1's city and district
    changed by the second (so the first laptop's later edits of them are concurrent)."""
    branch = hub.add_branch("RYD", "فرع الرياض", "+966112345678")
    for device, prefix in ((ONE, "ONE"), (TWO, "TWO")):
        hub.enrol(hub.new_enrolment_code("RYD"), device, prefix.lower(), prefix, "RYD")
    one, two = DeviceAuth(ONE, branch), DeviceAuth(TWO, branch)
    made = hub.push(
        one,
        decode_push(
            _body(
                _change(1, "beneficiary", P1, "i", _person("1000000001", "الرياض"), _stamp(1, ONE)),
                _change(2, "beneficiary", P2, "i", _person("1000000002", "جدة"), _stamp(2, ONE)),
            )
        ),
    )
    assert [r.q for r in made] == [None, None], made
    p1 = made[0].g
    assert p1 is not None
    # The second laptop's edit is stamped 5: the first laptop's city edit below (stamped 4)
    # is older and loses; its district edit (stamped 6) is newer and wins.
    edited = hub.push(
        two,
        decode_push(
            _body(
                _change(
                    1,
                    "beneficiary",
                    P1,
                    "u",
                    {"city": "مكة", "district": "العزيزية"},
                    _stamp(5, TWO),
                    city=p1,
                    district=p1,
                )
            )
        ),
    )
    assert edited[0].q is None and edited[0].w is None, edited
    return one, two


def _mixed_batch(p1: int, p2: int) -> list[dict[str, Any]]:
    """New rows, a plain update, an older concurrent edit that loses, a newer one that wins
    (kept as a conflict), refusals to quarantine, a row changed twice, a duplicate person."""
    return [
        _change(3, "beneficiary", P3, "i", _person("1000000003", "الدمام"), _stamp(7, ONE)),
        _change(
            4,
            "beneficiary_phone",
            PHONE,
            "i",
            {"beneficiary_id": P3, "number": "+966512345678", "is_primary": False},
            _stamp(8, ONE),
        ),
        _change(5, "beneficiary", P2, "u", {"first_name": "نورة"}, _stamp(9, ONE), first_name=p2),
        _change(6, "beneficiary", P1, "u", {"city": "الطائف"}, _stamp(4, ONE), city=p1),
        _change(7, "beneficiary", P1, "u", {"district": "الملز"}, _stamp(6, ONE), district=p1),
        _change(8, "beneficiary", GHOST, "u", {"city": "أبها"}, _stamp(10, ONE)),
        _change(9, "beneficiary", P2, "u", {"birth_date": "not-a-date"}, _stamp(11, ONE)),
        _change(10, "beneficiary", P3, "u", {"city": "الخبر"}, _stamp(12, ONE)),
        _change(11, "beneficiary", P4, "i", _person("1000000001", "تبوك"), _stamp(13, ONE)),
        _change(12, "no_such_table", P4, "i", {"x": 1}, _stamp(14, ONE)),
    ]


def _held(hub: Hub, branch: str) -> dict[str, Any]:
    """Everything HQ holds, with what differs between two HQs by nature (HQ's own device id
    and clock, ids it makes for conflicts, branch ids) put in canonical terms."""
    with hub.engine.connect() as connection:
        hq = hub.meta(connection, "hq_device_id")
        rows = connection.execute(sa.select(hq_row).order_by(hq_row.c.table_name)).all()
        changes = connection.execute(sa.select(hq_change).order_by(hq_change.c.seq)).all()
        quarantined = connection.execute(
            sa.select(hq_quarantine).order_by(hq_quarantine.c.device_seq)
        ).all()
        duplicates = connection.execute(sa.select(hq_duplicate)).all()
    made: dict[str, str] = {}  # conflict ids, named by the order HQ made them

    def same(value: Any) -> Any:
        if isinstance(value, str):
            if value == hq or value == branch:
                return {hq: "hq", branch: "branch"}[value]
            if value in made:
                return made[value]
            if hq and value.endswith(hq):
                return "hq-stamp"
        if isinstance(value, dict):
            return {k: same(v) for k, v in value.items() if k not in ("created_at", "updated_at")}
        return value

    for change in changes:
        if change.table_name == "sync_conflict":
            made[change.row_id] = f"conflict-{len(made)}"
    return {
        "rows": sorted(
            (r.table_name, same(r.row_id), same(r.scope), same(r.data), r.versions) for r in rows
        ),
        "feed": [
            (
                c.seq,
                same(c.device_id),
                c.device_seq,
                c.table_name,
                same(c.row_id),
                same(c.scope),
                same(c.data),
                same(c.hlc),
                c.won,
                c.echo,
                c.digest,
            )
            for c in changes
        ],
        "quarantine": [
            (q.device_id, q.device_seq, q.table_name, q.row_id, q.change, q.reason, q.digest)
            for q in quarantined
        ],
        "duplicates": sorted((d.national_id, d.row_ids, d.status) for d in duplicates),
    }


def _answers(results: list[PushResult]) -> list[tuple[Any, ...]]:
    return [(r.s, r.g, r.w, r.q) for r in results]


def test_a_mixed_batch_gives_exactly_what_one_change_at_a_time_gives(
    two_hqs: tuple[Hub, Hub],
) -> None:
    whole, single = two_hqs
    devices = [_prepared(hub) for hub in (whole, single)]
    with whole.engine.connect() as connection:
        p1, p2 = (
            connection.execute(
                sa.select(hq_change.c.seq).where(
                    hq_change.c.device_id == ONE, hq_change.c.device_seq == s
                )
            ).scalar_one()
            for s in (1, 2)
        )
    batch = _mixed_batch(p1, p2)

    at_once = whole.push(devices[0][0], decode_push(_body(*batch)))
    one_by_one = [r for c in batch for r in single.push(devices[1][0], decode_push(_body(c)))]

    assert _answers(at_once) == _answers(one_by_one)
    held = _held(whole, devices[0][0].branch_id)
    assert held == _held(single, devices[1][0].branch_id)
    # What the batch did, so the comparison above is not of two empty or failed pushes.
    answers = {r.s: r for r in at_once}
    assert all(answers[s].q is None for s in (3, 4, 5, 6, 7, 10, 11))
    assert answers[6].w == [] and answers[7].w is None  # the older city lost, the district won
    assert all(answers[s].q for s in (8, 9, 12))
    assert "no such record" in str(answers[8].q) and "birth_date" in str(answers[9].q)
    conflicts = [r for r in held["rows"] if r[0] == "sync_conflict"]
    assert {r[3]["field"] for r in conflicts} >= {"city", "district"}
    assert [d[0] for d in held["duplicates"]] == ["1000000001"]

    # The same batch again, to either HQ, is answered as the first time and stores nothing.
    for hub, (one, _two) in zip((whole, single), devices, strict=True):
        before = _held(hub, one.branch_id)
        assert _answers(hub.push(one, decode_push(_body(*batch)))) == _answers(at_once)
        assert _held(hub, one.branch_id) == before


# -- the codec ------------------------------------------------------------------------------

_GOOD = {"s": 1, "t": "beneficiary", "r": P1, "o": "u", "c": {"city": "الرياض"}, "h": "x"}


def _raw(**changed: Any) -> bytes:
    return _body({**_GOOD, **changed})


_BODIES = {
    "plain": _raw(),
    "with-base-and-user": _raw(b={"city": 3, "*": 2}, u=TWO),
    "user-null": _raw(u=None),
    "values-of-every-kind": _raw(
        c={"a": None, "b": True, "c": 2**70, "d": -0.0, "e": 1e300, "f": [1, {"g": "\x00"}]}
    ),
    "longest-names": _raw(t="t" * 60, r="r" * 36, h="h" * 80, c={"k" * 60: 1}),
    "largest-sequence": _raw(s=SEQ_LIMIT - 1, b={"city": SEQ_LIMIT - 1}),
    "as-many-as-allowed": _body(*[{**_GOOD, "s": n} for n in range(1, MAX_CHANGES_PER_PUSH + 1)]),
    "duplicate-keys": (
        b'{"changes":[{"s":1,"s":2,"t":"a","r":"b","o":"i","c":{"x":1,"x":2},"h":"z"}]}'
    ),
    "whitespace": b' \n{"changes" : [ ] }\t',
    # Taken by the reference model's lax rules: the fast decoder leaves them to it.
    "sequence-as-text": _raw(s="7"),
    "sequence-as-float": _raw(s=7.0),
    "base-as-text": _raw(b={"city": "3"}),
    # Refused, with the reference model's error.
    "not-json": b"{not json",
    "empty": b"",
    "a-list": b"[]",
    "trailing": _raw() + b"x",
    "bom": b"\xef\xbb\xbf" + _raw(),
    "not-utf8": _raw(c={"city": "x"}).replace(b'"x"', b'"\xff"'),
    "lone-surrogate": _raw().replace("الرياض".encode(), b"\\ud800"),
    "nan": _raw(c={"city": 1}).replace(b"1}", b"NaN}"),
    "infinite": _raw(c={"city": 1}).replace(b"1}", b"1e999}"),
    "sequence-zero": _raw(s=0),
    "sequence-beyond-bigint": _raw(s=SEQ_LIMIT),
    "negative-base": _raw(b={"city": -1}),
    "base-beyond-bigint": _raw(b={"city": SEQ_LIMIT}),
    "bool-sequence": _raw(s=True),
    "unknown-operation": _raw(o="x"),
    "unknown-key": _raw(x=1),
    "unknown-top-key": _body(_GOOD)[:-1] + b',"x":1}',
    "missing-stamp": _body({k: v for k, v in _GOOD.items() if k != "h"}),
    "empty-table": _raw(t=""),
    "table-too-long": _raw(t="t" * 61),
    "id-too-long": _raw(r="r" * 37),
    "stamp-too-long": _raw(h="h" * 81),
    "field-name-too-long": _raw(c={"k" * 61: 1}),
    "base-name-too-long": _raw(b={"k" * 61: 1}),
    "empty-user": _raw(u=""),
    "fields-not-an-object": _raw(c=["a"]),
    "base-null": _raw(b=None),
    "nul-in-table": _raw(t="a\x00"),
    "nul-in-id": _raw(r="a\x00"),
    "nul-in-stamp": _raw(h="a\x00"),
    "nul-in-user": _raw(u="a\x00"),
    "nul-in-field-name": _raw(c={"a\x00": 1}),
    "nul-in-base-name": _raw(b={"a\x00": 1}),
    "too-many": _body(*[{**_GOOD, "s": n} for n in range(1, MAX_CHANGES_PER_PUSH + 2)]),
}


def _errors(exc: ValidationError) -> list[Any]:
    return [(e["type"], e["loc"], e["msg"]) for e in exc.errors()]


@pytest.mark.parametrize("name", sorted(_BODIES))
def test_the_fast_decoder_takes_and_refuses_what_the_model_does(name: str) -> None:
    body = _BODIES[name]
    try:
        expected = [c.model_dump() for c in push_request.validate_json(body).changes]
    except ValidationError as exc:
        with pytest.raises(ValidationError) as refused:
            decode_push(body)
        assert _errors(refused.value) == _errors(exc)
        return
    got = [change_dict(c) for c in decode_push(body)]
    # As text: equal with the same types too (True == 1 == 1.0), and NaN equal to itself.
    assert json.dumps(got, sort_keys=True) == json.dumps(expected, sort_keys=True)
