"""Drafts: saved atomically and encrypted, each user sees their own, and a kill mid-write
corrupts nothing."""

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

from db.keys import FileCipher, new_key
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
KEY = new_key()
FILES = FileCipher(KEY)


def test_save_load_list_and_discard(tmp_path: Path) -> None:
    draft = new_draft("huda", "intake", "نورة — إيجار", {"page": 2, "subject": "طلب مساعدة"})
    saved = save_draft(tmp_path, draft, cipher=FILES)
    assert saved.updated_at >= draft.updated_at
    loaded = load_draft(tmp_path, draft.id, "huda", cipher=FILES)
    assert loaded == saved
    assert loaded.data == {"page": 2, "subject": "طلب مساعدة"}
    # The file is encrypted: what was typed, and whose draft it is, are not in it.
    raw = (drafts_dir(tmp_path) / f"{draft.id}.json").read_bytes()
    assert FileCipher.is_encrypted(raw)
    assert "طلب مساعدة".encode() not in raw and b"huda" not in raw
    assert [d.id for d in list_drafts(tmp_path, "huda", cipher=FILES)] == [draft.id]
    assert discard_draft(tmp_path, draft.id) is True
    assert discard_draft(tmp_path, draft.id) is False
    assert list_drafts(tmp_path, "huda", cipher=FILES) == []
    with pytest.raises(DraftNotFound):
        load_draft(tmp_path, draft.id, "huda", cipher=FILES)


def test_a_user_sees_only_their_own_drafts_newest_first(tmp_path: Path) -> None:
    first = save_draft(tmp_path, new_draft("huda", "intake", "first"), cipher=FILES)
    other = save_draft(tmp_path, new_draft("sara", "intake", "sara's"), cipher=FILES)
    second = save_draft(tmp_path, new_draft("huda", "intake", "second"), cipher=FILES)
    save_draft(tmp_path, new_draft("huda", "survey", "another kind"), cipher=FILES)
    assert [d.title for d in list_drafts(tmp_path, "huda", "intake", cipher=FILES)] == [
        "second",
        "first",
    ]
    assert [d.id for d in list_drafts(tmp_path, "sara", cipher=FILES)] == [other.id]
    with pytest.raises(DraftNotFound):
        load_draft(tmp_path, first.id, "sara", cipher=FILES)
    # Saving again moves a draft to the top.
    save_draft(tmp_path, first, cipher=FILES)
    assert [d.id for d in list_drafts(tmp_path, "huda", "intake", cipher=FILES)] == [
        first.id,
        second.id,
    ]


def test_no_drafts_folder_means_no_drafts(tmp_path: Path) -> None:
    assert list_drafts(tmp_path / "never-made", "huda", cipher=FILES) == []


@pytest.mark.parametrize("bad_id", ["../../etc/passwd", "", "x" * 36, "ABC"])
def test_an_id_is_never_a_path(tmp_path: Path, bad_id: str) -> None:
    with pytest.raises(DraftNotFound):
        load_draft(tmp_path, bad_id, "huda", cipher=FILES)
    draft = Draft(bad_id, "huda", "intake")
    with pytest.raises(DraftNotFound):
        save_draft(tmp_path, draft, cipher=FILES)
    assert not any(tmp_path.rglob("*"))


def test_data_that_is_not_json_is_refused_before_touching_the_disk(tmp_path: Path) -> None:
    draft = save_draft(tmp_path, new_draft("huda", "intake", data={"n": 1}), cipher=FILES)
    with pytest.raises(TypeError):
        save_draft(
            tmp_path, Draft(draft.id, "huda", "intake", data={"when": object()}), cipher=FILES
        )
    assert load_draft(tmp_path, draft.id, "huda", cipher=FILES).data == {"n": 1}
    assert sorted(p.name for p in drafts_dir(tmp_path).iterdir()) == [f"{draft.id}.json"]


def test_an_unreadable_file_is_skipped_in_the_list_and_reported_on_load(tmp_path: Path) -> None:
    good = save_draft(tmp_path, new_draft("huda", "intake", "good"), cipher=FILES)
    broken = new_draft("huda", "intake")
    (drafts_dir(tmp_path) / f"{broken.id}.json").write_text("{not json", encoding="utf-8")
    assert [d.id for d in list_drafts(tmp_path, "huda", cipher=FILES)] == [good.id]
    with pytest.raises(DraftUnreadable) as raised:
        load_draft(tmp_path, broken.id, "huda", cipher=FILES)
    assert re.search("[\u0600-\u06ff]", raised.value.text("ar"))


def test_stale_partial_files_are_swept_fresh_ones_kept(tmp_path: Path) -> None:
    save_draft(tmp_path, new_draft("huda", "intake"), cipher=FILES)
    folder = drafts_dir(tmp_path)
    stale = folder / ".dead-writer.part"
    fresh = folder / ".live-writer.part"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    assert len(list_drafts(tmp_path, "huda", cipher=FILES)) == 1
    assert not stale.exists() and fresh.exists()


_WRITER = """
import sys
from pathlib import Path
from db.keys import FileCipher
from romah_desktop.drafts import Draft, load_draft, save_draft

data_dir, draft_id = Path(sys.argv[1]), sys.argv[2]
FILES = FileCipher(bytes.fromhex(sys.argv[3]))
blob = "ب" * 1_000_000  # 2 MB on disk: a write takes a while
first = n = load_draft(data_dir, draft_id, "huda", cipher=FILES).data["n"]
while True:
    n += 1
    draft = Draft(draft_id, "huda", "intake", data={"n": n, "blob": blob + str(n)})
    save_draft(data_dir, draft, cipher=FILES)
    if n == first + 1:
        print("writing", flush=True)
"""


def test_a_process_killed_while_saving_leaves_a_complete_version(tmp_path: Path) -> None:
    draft = save_draft(
        tmp_path, new_draft("huda", "intake", data={"n": 0, "blob": "0"}), cipher=FILES
    )
    rng = random.Random(20240829)
    seen = 0
    for _round in range(15):
        child = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(tmp_path), draft.id, KEY.hex()],
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
        survivor = load_draft(tmp_path, draft.id, "huda", cipher=FILES)
        n = survivor.data["n"]
        assert survivor.data["blob"] == "ب" * 1_000_000 + str(n)
        # At least the save it announced is there, and nothing older than what was seen.
        assert n > seen
        seen = n
        assert [d.id for d in list_drafts(tmp_path, "huda", cipher=FILES)] == [draft.id]
