"""Random work on three laptops in two branches, synced in random, partial, repeated and
interrupted ways: after a quiet round of syncs every laptop and HQ hold the same records, and
every value anyone typed is either current or kept in a conflict record.

HQ runs in process over SQLite (the same Hub the server uses). Enrolling laptops is slow, so
one HQ with its enrolled laptops is built once and each example starts from a copy of its files.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule

from db.engine import create_engine
from db.models import Beneficiary, SyncConflict
from romah_desktop.services.context import Actor
from romah_desktop.services.people.beneficiaries import (
    delete_beneficiary,
    register_beneficiary,
    update_beneficiary,
)
from romah_desktop.workspace import Workspace
from sync.client import SyncClient, SyncProblem, SyncReport
from sync.enrolment import enrol
from sync.server.app import create_app
from sync.server.hub import Hub
from sync.server.schema import hq_row
from tests.helpers.people import person_form
from tests.sync.helpers import (
    BRANCHES,
    PASSWORD,
    actor_of,
    differences,
    dump,
    hq_people,
    laptop_people,
)

HQ_URL = "http://hq.test"
LAPTOPS = (("a", "RYD"), ("b", "RYD"), ("c", "JED"))
FIELDS = ("city", "district", "address", "notes")
EXAMPLES = int(os.environ.get("ROMAH_STATEFUL_EXAMPLES", "200"))
STEPS = int(os.environ.get("ROMAH_STATEFUL_STEPS", "12"))


class Flaky:
    """The laptop's network: HQ's test client, cut after a number of requests (optionally
    after HQ has done the work, so the answer is lost), remembering the last push sent."""

    def __init__(self, http: TestClient) -> None:
        self.http = http
        self.fail_after: int | None = None
        self.lose_answer = False
        self.last_push: tuple[bytes, dict[str, str]] | None = None

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        if method == "POST" and url.endswith("/v1/push"):
            self.last_push = (kwargs.get("content") or b"", dict(kwargs.get("headers") or {}))
        if self.fail_after is not None:
            if self.fail_after == 0:
                if self.lose_answer:
                    self.http.request(method, url, **kwargs)
                raise httpx.ReadError("connection cut")
            self.fail_after -= 1
        return self.http.request(method, url, **kwargs)

    def close(self) -> None:
        pass


_template: dict[str, Any] = {}


def _build_template() -> dict[str, Any]:
    """HQ with branches RYD and JED and three enrolled, synced laptops, as files to copy."""
    if _template:
        return _template
    from romah_desktop.services.users import user_credentials

    root = Path(tempfile.mkdtemp(prefix="romah-stateful-"))
    atexit.register(shutil.rmtree, root, True)
    hq_dir = root / "hq"
    hq_dir.mkdir()
    engine = create_engine(f"sqlite+pysqlite:///{hq_dir / 'hq.sqlite3'}")
    from sync.server.migrate import upgrade

    upgrade(engine)
    hub = Hub(engine)
    hashed = user_credentials(PASSWORD)
    branch_ids = {}
    for code, name in BRANCHES:
        branch_ids[code] = hub.add_branch(code, name, "+966112345678")
        hub.add_user(f"manager.{code.lower()}", name, "branch_manager", code, hashed)
    actors: dict[str, Actor] = {}
    with TestClient(create_app(hub, hq_dir / "blobs"), base_url=HQ_URL) as http:
        workspaces = []
        for name, branch in LAPTOPS:
            workspace = enrol(root / name, HQ_URL, hub.new_enrolment_code(branch), name, http)
            SyncClient(workspace.db, workspace.attachments_dir, client=http).sync()
            actors[name] = actor_of(workspace, f"manager.{branch.lower()}")
            workspaces.append(workspace)
        # A few people every laptop of the branch already holds, so that the first edits of
        # an example can already race each other.
        for workspace, (name, _branch) in zip(workspaces, LAPTOPS, strict=True):
            with workspace.transaction() as session:
                for _ in range(2):
                    register_beneficiary(
                        session, actors[name], person_form(), confirmed_not_duplicate=True
                    )
        for _ in range(2):
            for workspace in workspaces:
                SyncClient(workspace.db, workspace.attachments_dir, client=http).sync()
        for workspace in workspaces:
            workspace.close()
    engine.dispose()
    _template.update(root=root, actors=actors, branch_ids=branch_ids)
    return _template


@dataclass
class Machine:
    name: str
    branch_id: str
    actor: Actor
    workspace: Workspace
    net: Flaky
    client: SyncClient = field(init=False)

    def __post_init__(self) -> None:
        self.client = SyncClient(
            self.workspace.db,
            self.workspace.attachments_dir,
            client=self.net,  # type: ignore[arg-type]
        )

    def live_people(self) -> list[str]:
        with self.workspace.db.session() as session:
            return list(
                session.scalars(
                    sa.select(Beneficiary.id)
                    .where(Beneficiary.deleted_at.is_(None))
                    .order_by(Beneficiary.id)
                )
            )


class SyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        template = _build_template()
        self.root = Path(tempfile.mkdtemp(prefix="romah-example-"))
        shutil.copytree(template["root"], self.root, dirs_exist_ok=True)
        self.hub = Hub(create_engine(f"sqlite+pysqlite:///{self.root / 'hq' / 'hq.sqlite3'}"))
        self.http = TestClient(create_app(self.hub, self.root / "hq" / "blobs"), base_url=HQ_URL)
        self.http.__enter__()
        self.laptops = [
            Machine(
                name,
                template["branch_ids"][branch],
                template["actors"][name],
                Workspace.unlock(self.root / name, f"manager.{branch.lower()}", PASSWORD)[0],
                Flaky(self.http),
            )
            for name, branch in LAPTOPS
        ]
        self.counter = 0
        # (record, field, value) of every value typed, and those a person knowingly replaced.
        self.written: set[tuple[str, str, str]] = set()
        self.replaced: set[tuple[str, str, str]] = set()

    def _value(self, name: str) -> str:
        self.counter += 1
        return f"{name} {self.counter}"

    # -- work on a laptop ---------------------------------------------------------------

    @rule(laptop=st.integers(0, 2))
    def register(self, laptop: int) -> None:
        machine = self.laptops[laptop]
        city = self._value("مدينة")
        with machine.workspace.transaction() as session:
            person = register_beneficiary(
                session, machine.actor, person_form(city=city), confirmed_not_duplicate=True
            )
            self.written.add((person.id, "city", city))

    @rule(laptop=st.integers(0, 2), pick=st.integers(0, 50), name=st.sampled_from(FIELDS))
    def edit(self, laptop: int, pick: int, name: str) -> None:
        machine = self.laptops[laptop]
        people = machine.live_people()
        if not people:
            return
        person_id = people[pick % len(people)]
        value = self._value(name)
        with machine.workspace.transaction() as session:
            person = session.get(Beneficiary, person_id)
            assert person is not None
            old = getattr(person, name)
            update_beneficiary(session, machine.actor, person_id, {name: value})
        if old is not None:
            self.replaced.add((person_id, name, old))
        self.written.add((person_id, name, value))

    @rule(laptop=st.integers(0, 2), pick=st.integers(0, 50))
    def delete(self, laptop: int, pick: int) -> None:
        machine = self.laptops[laptop]
        people = machine.live_people()
        if people:
            with machine.workspace.transaction() as session:
                delete_beneficiary(session, machine.actor, people[pick % len(people)], "ملف مكرر")

    # -- ways of syncing ----------------------------------------------------------------

    @rule(laptop=st.integers(0, 2))
    def sync(self, laptop: int) -> None:
        self.laptops[laptop].client.sync()

    @rule(laptop=st.integers(0, 2), batch=st.integers(1, 4))
    def push_only(self, laptop: int, batch: int) -> None:
        client = self.laptops[laptop].client
        client.push_batch = batch
        try:
            client._push(SyncReport(), None)
        finally:
            client.push_batch = 2000

    @rule(laptop=st.integers(0, 2), page=st.integers(1, 4))
    def pull_one_page(self, laptop: int, page: int) -> None:
        machine = self.laptops[laptop]
        machine.client.pull_page = page
        machine.net.fail_after = 1
        try:
            machine.client._pull(SyncReport(), None)
        except SyncProblem:
            pass
        finally:
            machine.client.pull_page = 2000
            machine.net.fail_after = None

    @rule(laptop=st.integers(0, 2))
    def replay_last_push(self, laptop: int) -> None:
        """The same batch arrives again (a proxy or a retry sent it twice)."""
        sent = self.laptops[laptop].net.last_push
        if sent is not None:
            body, headers = sent
            answer = self.http.post(f"{HQ_URL}/v1/push", content=body, headers=headers)
            assert answer.status_code == 200, answer.text

    @rule(
        laptop=st.integers(0, 2),
        after=st.integers(0, 4),
        lose_answer=st.booleans(),
        batch=st.integers(1, 3),
    )
    def interrupted_sync(self, laptop: int, after: int, lose_answer: bool, batch: int) -> None:
        machine = self.laptops[laptop]
        machine.net.fail_after, machine.net.lose_answer = after, lose_answer
        machine.client.push_batch = machine.client.pull_page = batch
        try:
            machine.client.sync()
        except SyncProblem:
            pass
        finally:
            machine.net.fail_after, machine.net.lose_answer = None, False
            machine.client.push_batch = machine.client.pull_page = 2000

    # -- the promise --------------------------------------------------------------------

    def teardown(self) -> None:
        try:
            self._check_quiet_round()
        finally:
            for machine in self.laptops:
                machine.client.close()
                machine.workspace.close()
            self.http.__exit__(None, None, None)
            self.hub.engine.dispose()
            shutil.rmtree(self.root, ignore_errors=True)

    def _check_quiet_round(self) -> None:
        for _ in range(2):
            for machine in self.laptops:
                machine.client.sync()
        for machine in self.laptops:
            at_hq = hq_people(self.hub.engine, machine.branch_id)
            mine = laptop_people(machine.workspace.db.engine)
            assert dump(mine) == dump(at_hq), (machine.name, differences(at_hq, mine))
            assert self._conflict_ids(machine) == self._hq_conflicts(machine.branch_id).keys()
            assert machine.client.state().waiting == 0
        current = {
            (row_id, name, str(data[name]))
            for row_id, data in hq_people(self.hub.engine).items()
            for name in FIELDS
            if data[name] is not None
        }
        kept: set[tuple[str, str, str]] = set()
        for conflict in self._hq_conflicts(None).values():
            for key in ("winner_value", "other_value", "resolved_value"):
                if conflict.get(key) is not None:
                    kept.add((conflict["row_id"], conflict["field"], str(conflict[key])))
        lost = self.written - self.replaced - current - kept
        assert not lost, f"values typed and lost: {sorted(lost)}"

    def _conflict_ids(self, machine: Machine) -> set[str]:
        with machine.workspace.db.session() as session:
            return set(session.scalars(sa.select(SyncConflict.id)))

    def _hq_conflicts(self, branch_id: str | None) -> dict[str, dict[str, Any]]:
        query = sa.select(hq_row.c.row_id, hq_row.c.data).where(
            hq_row.c.table_name == "sync_conflict"
        )
        if branch_id is not None:
            query = query.where(hq_row.c.scope == branch_id)
        with self.hub.engine.connect() as connection:
            return {row_id: dict(data) for row_id, data in connection.execute(query)}


SyncMachine.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestSyncConverges = SyncMachine.TestCase
