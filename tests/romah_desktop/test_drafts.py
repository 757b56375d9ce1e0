"""Drafts: saved atomically, each user sees their own, and a kill mid-write corrupts nothing."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from romah_desktop.drafts import (
    Draft,
    DraftNotFound,
    DraftUnreadable,
    discard_draft,
    drafts_dir,
    list_drafts,
    load_draft,
    new_draft,
    save_draft,
)

ROOT = Path(__file__).resolve().parents[2]


def test_save_load_list_and_discard(tmp_path: Path) -> None:
    draft = new_draft("huda", "intake", "نورة — إيجار", {"page": 2, "subject": "طلب مساعدة"})
    saved = save_draft(tmp_path, draft)
    assert saved.updated_at >= draft.updated_at
    loaded = load_draft(tmp_path, draft.id, "huda")
    assert loaded == saved
    assert loaded.data == {"page": 2, "subject": "طلب مساعدة"}
    # The file is plain UTF-8 JSON, readable by a person who must rescue it by hand.
    text = (drafts_dir(tmp_path) / f"{draft.id}.json").read_text(encoding="utf-8")
    assert "طلب مساعدة" in text
    assert [d.id for d in list_drafts(tmp_path, "huda")] == [draft.id]
    assert discard_draft(tmp_path, draft.id) is True
    assert discard_draft(tmp_path, draft.id) is False
    assert list_drafts(tmp_path, "huda") == []
    with pytest.raises(DraftNotFound):
        load_draft(tmp_path, draft.id, "huda")


def test_a_user_sees_only_their_own_drafts_newest_first(tmp_path: Path) -> None:
    first = save_draft(tmp_path, new_draft("huda", "intake", "first"))
    other = save_draft(tmp_path, new_draft("sara", "intake", "sara's"))
    second = save_draft(tmp_path, new_draft("huda", "intake", "second"))
    save_draft(tmp_path, new_draft("huda", "survey", "another kind"))
    assert [d.title for d in list_drafts(tmp_path, "huda", "intake")] == ["second", "first"]
    assert [d.id for d in list_drafts(tmp_path, "sara")] == [other.id]
    with pytest.raises(DraftNotFound):
        load_draft(tmp_path, first.id, "sara")
    # Saving again moves a draft to the top.
    save_draft(tmp_path, first)
    assert [d.id for d in list_drafts(tmp_path, "huda", "intake")] == [first.id, second.id]


def test_no_drafts_folder_means_no_drafts(tmp_path: Path) -> None:
    assert list_drafts(tmp_path / "never-made", "huda") == []


@pytest.mark.parametrize("bad_id", ["../../etc/passwd", "", "x" * 36, "ABC"])
def test_an_id_is_never_a_path(tmp_path: Path, bad_id: str) -> None:
    with pytest.raises(DraftNotFound):
        load_draft(tmp_path, bad_id, "huda")
    draft = Draft(bad_id, "huda", "intake")
    with pytest.raises(DraftNotFound):
        save_draft(tmp_path, draft)
    assert not any(tmp_path.rglob("*"))


def test_data_that_is_not_json_is_refused_before_touching_the_disk(tmp_path: Path) -> None:
    draft = save_draft(tmp_path, new_draft("huda", "intake", data={"n": 1}))
    with pytest.raises(TypeError):
        save_draft(tmp_path, Draft(draft.id, "huda", "intake", data={"when": object()}))
    assert load_draft(tmp_path, draft.id, "huda").data == {"n": 1}
    assert sorted(p.name for p in drafts_dir(tmp_path).iterdir()) == [f"{draft.id}.json"]


def test_an_unreadable_file_is_skipped_in_the_list_and_reported_on_load(tmp_path: Path) -> None:
    good = save_draft(tmp_path, new_draft("huda", "intake", "good"))
    broken = new_draft("huda", "intake")
    (drafts_dir(tmp_path) / f"{broken.id}.json").write_text("{not json", encoding="utf-8")
    assert [d.id for d in list_drafts(tmp_path, "huda")] == [good.id]
    with pytest.raises(DraftUnreadable) as raised:
        load_draft(tmp_path, broken.id, "huda")
    assert re.search("[\u0600-\u06ff]", raised.value.text("ar"))


def test_stale_partial_files_are_swept_fresh_ones_kept(tmp_path: Path) -> None:
    save_draft(tmp_path, new_draft("huda", "intake"))
    folder = drafts_dir(tmp_path)
    stale = folder / ".dead-writer.part"
    fresh = folder / ".live-writer.part"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    assert len(list_drafts(tmp_path, "huda")) == 1
    assert not stale.exists() and fresh.exists()


_WRITER = """
import sys
from pathlib import Path
from romah_desktop.drafts import Draft, load_draft, save_draft

data_dir, draft_id = Path(sys.argv[1]), sys.argv[2]
blob = "ب" * 1_000_000  # 2 MB on disk: a write takes a while
first = n = load_draft(data_dir, draft_id, "huda").data["n"]
while True:
    n += 1
    save_draft(data_dir, Draft(draft_id, "huda", "intake", data={"n": n, "blob": blob + str(n)}))
    if n == first + 1:
        print("writing", flush=True)
"""


def test_a_process_killed_while_saving_leaves_a_complete_version(tmp_path: Path) -> None:
    draft = save_draft(tmp_path, new_draft("huda", "intake", data={"n": 0, "blob": "0"}))
    rng = random.Random(20240829)
    seen = 0
    for _round in range(15):
        child = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(tmp_path), draft.id],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "writing"
        # Killed at a random moment of its saving loop: the delay is the experiment here.
        time.sleep(rng.uniform(0, 0.03))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
        assert child.returncode == -signal.SIGKILL
        survivor = load_draft(tmp_path, draft.id, "huda")
        n = survivor.data["n"]
        assert survivor.data["blob"] == "ب" * 1_000_000 + str(n)
        # At least the save it announced is there, and nothing older than what was seen.
        assert n > seen
        seen = n
        assert [d.id for d in list_drafts(tmp_path, "huda")] == [draft.id]
