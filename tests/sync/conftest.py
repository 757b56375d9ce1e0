"""HQ and laptops for sync tests: HQ in process (FastAPI's test client) or as a real server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from db.engine import create_engine
from romah_desktop.services.context import Actor
from romah_desktop.workspace import Workspace
from sync.client import SyncClient
from sync.enrolment import enrol
from sync.server.app import create_app
from sync.server.hub import Hub
from sync.server.migrate import upgrade
from tests.helpers.postgres import postgres_schema

PASSWORD = "branch-pass-1"


@dataclass
class HQ:
    hub: Hub
    http: httpx.Client
    url: str
    data_dir: Path


@dataclass
class Laptop:
    name: str
    workspace: Workspace
    client: SyncClient

    def sync(self) -> dict[str, int]:
        return self.client.sync().as_dict()

    def login(self, username: str) -> Actor:
        return self.workspace.login(username, PASSWORD)

    def sign(self, username: str, signer_name: str, signature_png: bytes, **person: str) -> str:
        """Register a person and take their signed declaration; the signature's hash."""
        from romah_desktop.services.intake.declarations import sign_declaration
        from romah_desktop.services.people.beneficiaries import register_beneficiary
        from tests.helpers.people import person_form

        clerk = self.login(username)
        with self.workspace.transaction() as session:
            registered = register_beneficiary(session, clerk, person_form(**person))
            declaration = sign_declaration(
                session,
                clerk,
                beneficiary_id=registered.id,
                signer_name=signer_name,
                text="أقر بصحة البيانات.",
                signature_png=signature_png,
            )
            assert declaration.signature_sha256 is not None
            return declaration.signature_sha256


def make_hub(url: str) -> Hub:
    engine = create_engine(url)
    upgrade(engine)
    return Hub(engine)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def hq(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HQ]:
    """HQ (on SQLite, then on PostgreSQL) with branches RYD and JED, a manager and an
    interviewer in each."""
    data_dir = tmp_path / "hq"
    data_dir.mkdir()
    if request.param == "sqlite":
        yield from _hq(make_hub(f"sqlite+pysqlite:///{data_dir / 'hq.sqlite3'}"), data_dir)
        return
    with postgres_schema() as engine:
        upgrade(engine)
        yield from _hq(Hub(engine), data_dir)


def _hq(hub: Hub, data_dir: Path) -> Iterator[HQ]:
    from romah_desktop.services.users import user_credentials

    for code, name in (("RYD", "فرع الرياض"), ("JED", "فرع جدة")):
        hub.add_branch(code, name, "+966112345678")
        hashed = user_credentials(PASSWORD)
        hub.add_user(f"manager.{code.lower()}", f"مدير {name}", "branch_manager", code, hashed)
        hub.add_user(f"clerk.{code.lower()}", f"موظف {name}", "interviewer", code, hashed)
    app = create_app(hub, data_dir / "blobs")
    with TestClient(app, base_url="http://hq.test") as http:
        yield HQ(hub, http, "http://hq.test", data_dir)
    hub.engine.dispose()


@pytest.fixture
def laptop(hq: HQ, tmp_path: Path) -> Iterator[Callable[[str, str], Laptop]]:
    """Enrol a new laptop in a branch and run its first sync."""
    made: list[Laptop] = []

    def make(name: str, branch: str = "RYD") -> Laptop:
        code = hq.hub.new_enrolment_code(branch)
        workspace = enrol(tmp_path / name, hq.url, code, name, client=hq.http)
        client = SyncClient(workspace.db, workspace.attachments_dir, client=hq.http)
        machine = Laptop(name, workspace, client)
        machine.sync()
        made.append(machine)
        return machine

    yield make
    for machine in made:
        machine.workspace.close()
