"""HQ's data-steward rules behind the console, without a browser: a held change retried once
its cause is put right or dismissed with a note, a conflict never settled with a value its
field cannot hold, and a person found across branches however their name is spelt."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from db.models import OutboxEntry, SyncQuarantine
from romah_desktop.services.context import this_device
from sync.server import admin, cli, devices
from sync.server.schema import hq_change, hq_row
from sync.server.store import Refused
from tests.helpers.people import person_form
from tests.sync.conftest import HQ, Laptop
from tests.sync.helpers import (
    edit_person,
    hq_data,
    person_in,
    push_raw,
    raw_device,
    raw_stamp,
    register_person,
)

MakeLaptop = Callable[..., Laptop]
STEWARD = "sara"


# -- helpers -------------------------------------------------------------------------------


def _head(hq: HQ) -> int:
    with hq.hub.engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.max(hq_change.c.seq))).scalar() or 0)


def _set_active(hq: HQ, username: str, active: bool) -> None:
    (user,) = [u for u in devices.branch_users(hq.hub) if u["username"] == username]
    with hq.hub.writing() as connection:
        assert devices.set_user_active(hq.hub, connection, str(user["id"]), active)


def _device_id(machine: Laptop) -> str:
    with machine.workspace.db.session() as session:
        return this_device(session).device_id


def _laptop_held(machine: Laptop) -> list[tuple[str, str, str]]:
    """The laptop's own quarantine entries not yet settled there: (direction, row, reason)."""
    with machine.workspace.db.session() as session:
        rows = session.execute(
            sa.select(SyncQuarantine.direction, SyncQuarantine.row_id, SyncQuarantine.reason)
            .where(SyncQuarantine.dismissed_at.is_(None))
            .order_by(SyncQuarantine.id)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def _quarantine_cli(hq: HQ, monkeypatch: pytest.MonkeyPatch) -> str:
    """What `romah-hq quarantine` prints over HQ's database."""
    monkeypatch.setattr(cli, "open_hub", lambda _url: hq.hub)
    done = CliRunner().invoke(cli.main, ["--data-dir", str(hq.data_dir), "quarantine"])
    assert done.exit_code == 0, done.output
    return done.output


def _neither_retried_nor_dismissed(hq: HQ, quarantine_id: int) -> None:
    with pytest.raises(Refused) as retried:
        admin.retry_quarantined(hq.hub, quarantine_id, STEWARD)
    with pytest.raises(Refused) as dismissed:
        admin.dismiss_quarantined(hq.hub, quarantine_id, STEWARD, "a note")
    assert retried.value.status == dismissed.value.status == 404


# -- 1. retry a change held because its user was disabled ----------------------------------


def test_a_change_held_for_a_disabled_clerk_is_applied_when_retried_after_enabling(
    hq: HQ, laptop: MakeLaptop
) -> None:
    one, two = laptop("one"), laptop("two")
    person_id = register_person(one.workspace, city="الرياض")
    one.sync(), two.sync()
    _set_active(hq, "clerk.ryd", False)
    # The laptop has not heard yet: the clerk still signs in there and edits the file.
    edit_person(one.workspace, person_id, city="الدمام")
    # Held at HQ: the edit, and the audit row written with it.
    assert one.sync()["quarantined"] == 2
    audit_row, held = hq.hub.quarantined()
    assert (audit_row["table_name"], held["table_name"]) == ("audit_event", "beneficiary")
    assert "disabled" in held["reason"] and held["row_id"] == person_id
    assert held["device_id"] == _device_id(one)
    assert hq_data(hq.hub.engine, "beneficiary", person_id)["city"] == "الرياض"
    head = _head(hq)

    # Retried while the clerk is still disabled: held as the same entry, with the reason.
    reason = admin.retry_quarantined(hq.hub, held["id"], STEWARD)
    assert reason is not None and "disabled" in reason
    again = admin.quarantined_change(hq.hub, held["id"])
    assert again is not None
    assert again["settled"] is None and again["settled_by"] is None
    assert again["reason"] == reason and again["device_seq"] == held["device_seq"]
    assert [q["id"] for q in hq.hub.quarantined()] == [audit_row["id"], held["id"]]
    assert hq_data(hq.hub.engine, "beneficiary", person_id)["city"] == "الرياض"
    assert _head(hq) == head

    # Enabled again at HQ (a change of HQ's own), then retried: applied.
    _set_active(hq, "clerk.ryd", True)
    head = _head(hq)
    assert admin.retry_quarantined(hq.hub, held["id"], STEWARD, note="enabled again") is None
    settled = admin.quarantined_change(hq.hub, held["id"])
    assert settled is not None
    assert settled["settled"] == "retried" and settled["settled_by"] == STEWARD
    assert settled["settled_at"] is not None and settled["note"] == "enabled again"
    assert settled["device"] == "one"
    assert [q["id"] for q in hq.hub.quarantined()] == [audit_row["id"]]
    assert [q["id"] for q in admin.quarantined(hq.hub, held=False)] == [held["id"]]
    assert hq_data(hq.hub.engine, "beneficiary", person_id)["city"] == "الدمام"
    with hq.hub.engine.connect() as connection:
        entry = connection.execute(
            sa.select(hq_change.c.seq, hq_change.c.data, hq_change.c.echo).where(
                hq_change.c.device_id == held["device_id"],
                hq_change.c.device_seq == held["device_seq"],
            )
        ).one()
    assert entry.seq > head and entry.data["city"] == "الدمام" and entry.echo is False
    # A settled entry is settled: neither retried nor dismissed again.
    _neither_retried_nor_dismissed(hq, held["id"])

    assert admin.retry_quarantined(hq.hub, audit_row["id"], STEWARD) is None
    assert hq.hub.quarantined() == []

    # Another laptop of the branch receives it with its next sync.
    assert two.sync()["quarantined"] == 0
    assert person_in(two.workspace, person_id).city == "الدمام"

    # The laptop that made it pulls it back (its record learns HQ's version) ...
    laptop_before = _laptop_held(one)
    assert [(d, r) for d, r, _ in laptop_before] == [
        ("push", audit_row["row_id"]),
        ("push", person_id),
    ]
    assert one.sync()["quarantined"] == 0
    # ... which closes the laptop's note of HQ's first refusal: HQ has applied it.
    assert _laptop_held(one) == []
    mine = person_in(one.workspace, person_id)
    assert mine.city == "الدمام"
    assert (mine.field_versions or {}).get("city") == entry.seq
    # ... and, sending the same change again from its outbox, is answered accepted.
    sent = (audit_row["device_seq"], held["device_seq"])
    with one.workspace.db.engine.begin() as connection:
        resent = connection.execute(
            sa.update(OutboxEntry).where(OutboxEntry.seq.in_(sent)).values(pushed_at=None)
        ).rowcount
    assert resent == 2
    head = _head(hq)
    assert one.sync()["quarantined"] == 0
    with one.workspace.db.session() as session:
        for seq in sent:
            outbox = session.get(OutboxEntry, seq)
            assert outbox is not None and outbox.pushed_at is not None
    assert _head(hq) == head  # answered as the change it became, not merged twice
    assert len(admin.quarantined(hq.hub, held=False)) == 2 and hq.hub.quarantined() == []
    assert _laptop_held(one) == []  # and no new entry


# -- 2. dismiss with a note ----------------------------------------------------------------


def test_a_held_change_is_dismissed_only_with_a_note_and_once(
    hq: HQ, laptop: MakeLaptop, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = laptop("one")
    person_id = register_person(one.workspace, birth_date="1980-02-03")
    one.sync()
    with hq.hub.engine.connect() as connection:
        versions = dict(
            connection.execute(
                sa.select(hq_row.c.versions).where(
                    hq_row.c.table_name == "beneficiary", hq_row.c.row_id == person_id
                )
            ).scalar_one()
        )
    raw = raw_device(hq.http, hq.hub)
    stamp = raw_stamp()
    change = {
        "s": 1,
        "t": "beneficiary",
        "r": person_id,
        "o": "u",
        "c": {"birth_date": "not-a-date"},
        "b": {"birth_date": versions["birth_date"], "*": max(versions.values())},
        "h": stamp,
    }
    refusal = push_raw(hq.http, raw, change)[0]["q"]
    assert "birth_date" in refusal
    (held,) = hq.hub.quarantined()
    assert held["device_id"] in _quarantine_cli(hq, monkeypatch)
    before = hq_data(hq.hub.engine, "beneficiary", person_id)
    head = _head(hq)

    for blank in ("", "   \n"):
        with pytest.raises(Refused) as refused:
            admin.dismiss_quarantined(hq.hub, held["id"], STEWARD, blank)
        assert refused.value.status == 422 and "note" in refused.value.reason
    assert [q["id"] for q in hq.hub.quarantined()] == [held["id"]]

    admin.dismiss_quarantined(hq.hub, held["id"], STEWARD, "  تاريخ غير صحيح  ")
    kept = admin.quarantined_change(hq.hub, held["id"])
    assert kept is not None
    assert kept["settled"] == "dismissed" and kept["settled_by"] == STEWARD
    assert kept["settled_at"] is not None and kept["note"] == "تاريخ غير صحيح"
    assert kept["reason"] == held["reason"] and kept["change"] == held["change"]
    assert kept["device"] == "raw"
    assert hq.hub.quarantined() == []
    assert [q["id"] for q in admin.quarantined(hq.hub, held=False)] == [held["id"]]
    listed = _quarantine_cli(hq, monkeypatch)
    assert "Nothing is quarantined." in listed and held["device_id"] not in listed
    assert hq_data(hq.hub.engine, "beneficiary", person_id) == before
    assert _head(hq) == head
    # Its laptop's repeat push is still answered with the refusal, and still not applied.
    assert push_raw(hq.http, raw, change)[0]["q"] == refusal
    assert hq_data(hq.hub.engine, "beneficiary", person_id)["birth_date"] == "1980-02-03"

    _neither_retried_nor_dismissed(hq, held["id"])
    after = admin.quarantined_change(hq.hub, held["id"])
    assert after is not None and after["note"] == "تاريخ غير صحيح"
    assert after["settled"] == "dismissed"


# -- 3. unknown entries ----------------------------------------------------------------------


def test_an_unknown_quarantine_entry_is_refused_with_404(hq: HQ) -> None:
    head = _head(hq)
    assert admin.quarantined_change(hq.hub, 424242) is None
    _neither_retried_nor_dismissed(hq, 424242)
    assert admin.quarantined(hq.hub, held=False) == [] and _head(hq) == head


# -- 4. a conflict is never settled with a value its field cannot hold ----------------------


def test_a_conflict_is_not_resolved_with_a_value_its_field_cannot_hold(
    hq: HQ, laptop: MakeLaptop
) -> None:
    one, two = laptop("one"), laptop("two")
    person_id = register_person(one.workspace, birth_date="1980-02-03")
    one.sync(), two.sync()
    edit_person(one.workspace, person_id, birth_date="1981-01-01")
    edit_person(two.workspace, person_id, birth_date="1982-01-01")
    one.sync(), two.sync(), one.sync()
    (found,) = [c for c in hq.hub.conflicts() if c["field"] == "birth_date"]
    conflict_id = str(found["id"])
    before = hq_data(hq.hub.engine, "beneficiary", person_id)
    shown = admin.conflict(hq.hub, conflict_id)
    assert shown is not None and shown["current"] == before["birth_date"]
    assert {shown["winner_by"], shown["other_by"]} == {"one", "two"}
    head = _head(hq)

    for bad in ("1990-13-45", "9999-01-01", "not-a-date", 5, ["1983-04-05"], {"y": 1983}):
        with pytest.raises(Refused) as refused:
            admin.resolve_conflict(hq.hub, conflict_id, bad, STEWARD)
        assert refused.value.status == 422 and "birth_date" in refused.value.reason, bad
        assert _head(hq) == head, bad
    assert hq_data(hq.hub.engine, "beneficiary", person_id) == before
    assert conflict_id in {str(c["id"]) for c in hq.hub.conflicts()}

    admin.resolve_conflict(hq.hub, conflict_id, "1983-04-05", STEWARD)
    assert _head(hq) == head + 2  # the record, then the conflict closed
    assert hq_data(hq.hub.engine, "beneficiary", person_id)["birth_date"] == "1983-04-05"
    with pytest.raises(Refused) as refused:
        admin.resolve_conflict(hq.hub, conflict_id, "1984-01-01", STEWARD)
    assert refused.value.status == 409 and _head(hq) == head + 2
    with pytest.raises(Refused) as refused:
        admin.resolve_conflict(hq.hub, "no-such-conflict", "1984-01-01", STEWARD)
    assert refused.value.status == 404
    assert two.sync()["quarantined"] == 0
    assert person_in(two.workspace, person_id).birth_date == date(1983, 4, 5)


# -- 5. finding a person across branches ---------------------------------------------------


def test_people_are_found_by_any_spelling_of_their_name_id_or_file_number(
    hq: HQ, laptop: MakeLaptop
) -> None:
    riyadh, jeddah = laptop("ryd"), laptop("jed", "JED")
    ahmad = register_person(riyadh.workspace, first_name="أحمد", family_name="الزهراني")
    fatima = register_person(riyadh.workspace, first_name="فاطمة", family_name="الغامدي")
    layla = register_person(riyadh.workspace, first_name="ليلى", family_name="العتيبي")
    shared = person_form(first_name="مصطفى", family_name="الشهري")
    kept = register_person(riyadh.workspace, **shared)
    closed = register_person(jeddah.workspace, "clerk.jed", **shared)
    riyadh.sync(), jeddah.sync()

    def ids(query: str) -> list[str]:
        return [p["id"] for p in admin.search_people(hq.hub, query)]

    for spelling in ("أحمد", "احمد", "إحمد", "آحمد", "أَحْمَد", "احم", "احمد الزهراني", "الزهر"):
        assert ids(spelling) == [ahmad], spelling
    for spelling in ("فاطمة", "فاطمه", "فَاطِمَة", "فاطمه الغامدي"):
        assert ids(spelling) == [fatima], spelling
    for spelling in ("ليلى", "ليلي", "لَيْلَى"):
        assert ids(spelling) == [layla], spelling
    # Each word at the start of a word of the name: not inside one, and every word counts.
    assert ids("حمد") == [] and ids("احمد الغامدي") == [] and ids("   ") == []

    person = hq_data(hq.hub.engine, "beneficiary", ahmad)
    national_id, file_number = str(person["national_id"]), str(person["file_number"])
    assert ids(national_id) == [ahmad]
    arabic_digits = national_id.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert ids(arabic_digits) == [ahmad]
    assert ids(file_number) == [ahmad] and ids(file_number.lower()) == [ahmad]
    (found,) = admin.search_people(hq.hub, file_number)
    assert found["branch"] == "فرع الرياض" and found["closed"] is False
    assert found["name"] == "أحمد محمد علي الزهراني"

    # The same person at two branches, merged: the closed file is marked and comes last.
    (case,) = hq.hub.duplicates()
    before = admin.search_people(hq.hub, "مصطفي الشهري")
    assert {p["id"] for p in before} == {kept, closed}
    assert not any(p["closed"] for p in before)
    admin.merge_duplicate(hq.hub, case["id"], kept, note="نفس الشخص")
    for query in ("مصطفي الشهري", shared["national_id"]):
        found_both = admin.search_people(hq.hub, query)
        assert [(p["id"], p["closed"]) for p in found_both] == [(kept, False), (closed, True)]
        assert [p["branch"] for p in found_both] == ["فرع الرياض", "فرع جدة"]
    assert [p["id"] for p in admin.search_people(hq.hub, "مصطفى", limit=1)] == [kept]
