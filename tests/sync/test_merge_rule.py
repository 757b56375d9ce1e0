"""The per-field merge rule of the sync contract (`sync.merge`), on its own: no database."""

from __future__ import annotations

from db.values import ONE_OF
from sync import merge
from sync.merge import Outcome, Write

# Clock stamps sort as text and end with the writing device's id.
EARLY = "0001700000000000:0000:device-a"
LATE = "0001700000000500:0000:device-b"


def test_an_edit_based_on_the_current_version_is_a_plain_update() -> None:
    outcome = merge.field_outcome(
        current_version=7, base_version=7, current_value="الرياض", incoming_value="أبها"
    )
    assert outcome is Outcome.UPDATE


def test_a_field_the_record_does_not_hold_yet_is_an_update_whatever_the_versions() -> None:
    outcome = merge.field_outcome(
        current_version=9, base_version=0, current_value=None, incoming_value="x", held=False
    )
    assert outcome is Outcome.UPDATE


def test_edits_to_different_fields_both_take() -> None:
    # One laptop changed the city (now version 8); the other, based on version 7 of every
    # field, changes only the phone: the phone was not touched since, so it is an update.
    versions = {"city": 8, "phone": 7}
    assert (
        merge.field_outcome(
            current_version=versions["phone"],
            base_version=7,
            current_value="0500000000",
            incoming_value="0511111111",
        )
        is Outcome.UPDATE
    )


def test_the_same_field_changed_concurrently_to_the_same_value_is_no_conflict() -> None:
    outcome = merge.field_outcome(
        current_version=8, base_version=7, current_value="أبها", incoming_value="أبها"
    )
    assert outcome is Outcome.AGREE


def test_the_same_field_changed_concurrently_to_another_value_is_a_conflict() -> None:
    outcome = merge.field_outcome(
        current_version=8, base_version=7, current_value="أبها", incoming_value="جدة"
    )
    assert outcome is Outcome.CONFLICT


def test_the_winner_of_a_conflict_is_the_later_stamp_whichever_arrives_first() -> None:
    early, late = Write("أبها", "device-a", EARLY), Write("جدة", "device-b", LATE)
    assert merge.settle(late, early) == (late, early)
    assert merge.settle(early, late) == (late, early)


def test_the_loser_is_kept_as_an_open_conflict() -> None:
    early, late = Write("أبها", "device-a", EARLY), Write("جدة", "device-b", LATE)
    winner, loser = merge.settle(early, late)
    record = merge.conflict_record("beneficiary", "row-1", "city", winner, loser)
    assert record["status"] == "open"
    assert record["kind"] == "field"
    assert (record["winner_value"], record["winner_device_id"]) == ("جدة", "device-b")
    assert (record["other_value"], record["other_device_id"], record["other_hlc"]) == (
        "أبها",
        "device-a",
        EARLY,
    )


def test_a_status_conflict_is_a_transition() -> None:
    one, two = Write("approved", "device-a", EARLY), Write("rejected", "device-b", LATE)
    assert merge.conflict_record("support_request", "r", "status", two, one)["kind"] == (
        "transition"
    )


def test_stamps_only_move_forward() -> None:
    assert merge.takes_stamp(LATE, EARLY)
    assert not merge.takes_stamp(EARLY, LATE)
    assert merge.takes_stamp(EARLY, "")


def test_a_pulled_value_takes_only_when_newer_and_not_edited_here() -> None:
    assert merge.pulled_value_takes(12, 8, edited_here=False)
    # This laptop's own change, acknowledged as version 12, is not undone by older news.
    assert not merge.pulled_value_takes(10, 12, edited_here=False)
    assert not merge.pulled_value_takes(12, 12, edited_here=False)
    # An edit not pushed yet is kept; HQ settles it and sends the result back.
    assert not merge.pulled_value_takes(12, 8, edited_here=True)


def test_of_two_rows_holding_a_one_of_flag_the_later_write_keeps_it() -> None:
    early, late = Write(True, "device-a", EARLY), Write(True, "device-b", LATE)
    assert merge.keep_one({"row-1": early, "row-2": late}) == ("row-2", ["row-1"])
    assert merge.keep_one({"row-2": late, "row-1": early}) == ("row-2", ["row-1"])
    # One write that set the flag on two rows: the row id decides, the same everywhere.
    assert merge.keep_one({"row-1": late, "row-2": late}) == ("row-2", ["row-1"])
    assert merge.keep_one({"only": early}) == ("only", [])


def test_a_one_of_rule_picks_the_same_winner_as_settle() -> None:
    early, late = Write(True, "device-a", EARLY), Write(True, "device-b", LATE)
    winner, _ = merge.settle(early, late)
    kept, _ = merge.keep_one({"a": early, "b": late})
    assert {"a": early, "b": late}[kept] is winner


def test_a_person_has_one_primary_phone_by_a_declared_one_of_rule() -> None:
    (rule,) = [r for r in ONE_OF if r.table == "beneficiary_phone"]
    assert (rule.group, rule.flag, rule.parent) == ("beneficiary_id", "is_primary", "beneficiary")


def test_the_row_that_lost_a_one_of_flag_is_kept_as_a_conflict() -> None:
    cleared, lost = Write(False, "hq", LATE), Write(True, "device-a", EARLY)
    record = merge.conflict_record("beneficiary_phone", "p", "is_primary", cleared, lost, "one_of")
    kept = (record["kind"], record["winner_value"], record["other_value"])
    assert kept == ("one_of", False, True)
