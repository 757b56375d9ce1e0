"""`romah-hq admin add`: HQ's first console user is made on the command line, run as an
administrator runs it, and can then sign in to the console."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from sync.server.app import create_app
from sync.server.console import auth
from sync.server.schema import hq_audit, hq_user
from tests.sync.helpers import ROOT, HQProcess

PASSWORD = "first-admin-pass"


@pytest.fixture
def hq(tmp_path: Path) -> Iterator[HQProcess]:
    server = HQProcess(tmp_path / "hq", f"sqlite+pysqlite:///{tmp_path / 'hq' / 'hq.sqlite3'}")
    yield server
    server.close()


def run(hq: HQProcess, *args: str, password: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        hq.command(*args),
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "ROMAH_PASSWORD": password},
        cwd=ROOT,
        check=False,
    )


def users(hq: HQProcess) -> list[tuple[str, str, str]]:
    with hq.hub.engine.connect() as connection:
        rows = connection.execute(
            sa.select(hq_user.c.username, hq_user.c.full_name, hq_user.c.role).order_by(
                hq_user.c.username
            )
        )
        return [tuple(r) for r in rows]


def test_the_first_administrator_is_added_and_signs_in(hq: HQProcess) -> None:
    user_id = hq.admin(
        "admin", "add", "Amal", "--full-name", "أمل العتيبي", env={"ROMAH_PASSWORD": PASSWORD}
    )
    assert len(user_id) == 36
    assert users(hq) == [("amal", "أمل العتيبي", "hq_admin")]
    with hq.hub.engine.connect() as connection:
        entry = connection.execute(sa.select(hq_audit)).one()
    assert (entry.username, entry.action, entry.target) == ("command line", "hq_user_add", "Amal")
    assert entry.detail == {"role": "hq_admin"}
    assert entry.user_id is None

    # Through the console's sign-in form.
    with TestClient(create_app(hq.hub, hq.data_dir / "blobs"), follow_redirects=False) as http:
        form = http.get("/console/login").text
        token = form.split('name="login_csrf" value="', 1)[1].split('"', 1)[0]
        response = http.post(
            "/console/login",
            data={"username": "amal", "password": PASSWORD, "next": "", "login_csrf": token},
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/console/"
        assert http.get("/console/").status_code == 200


def test_another_role_can_be_given(hq: HQProcess) -> None:
    hq.admin("admin", "add", "omar", "--role", "hq_auditor", env={"ROMAH_PASSWORD": PASSWORD})
    assert users(hq) == [("omar", "omar", "hq_auditor")]
    token, user = auth.sign_in(hq.hub.engine, "omar", PASSWORD)
    assert token and user.role == "hq_auditor"


def test_a_short_password_or_a_taken_name_is_refused_in_one_sentence(hq: HQProcess) -> None:
    short = run(hq, "admin", "add", "amal", password="short")
    assert short.returncode == 1
    assert short.stdout == ""
    assert len(short.stderr.strip().splitlines()) == 1
    assert "Traceback" not in short.stderr
    assert "8" in short.stderr  # the least number of characters
    assert users(hq) == []

    assert run(hq, "admin", "add", "amal", password=PASSWORD).returncode == 0
    taken = run(hq, "admin", "add", "AMAL", "--role", "hq_steward", password=PASSWORD + "x")
    assert taken.returncode == 1
    assert taken.stderr.strip() == "The user name amal is taken."
    assert users(hq) == [("amal", "amal", "hq_admin")]

    bad_role = run(hq, "admin", "add", "sara", "--role", "root", password=PASSWORD)
    assert bad_role.returncode != 0
    assert "Traceback" not in bad_role.stderr
    assert users(hq) == [("amal", "amal", "hq_admin")]
    # Only the one user made was recorded.
    with hq.hub.engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(hq_audit)).scalar() == 1
