"""The same models and migrations run on PostgreSQL, where HQ keeps its data."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from db.engine import Database
from db.enums import Gender, IdType, Role
from db.migrate import current_revision, head_revision, upgrade
from db.models import Beneficiary, Branch, OutboxEntry, SignedDeclaration, User
from db.outbox import AppendOnlyError, DeviceContext
from tests.helpers.postgres import postgres_schema

pytestmark = pytest.mark.postgres


def _branch_user_person(session: Session) -> tuple[User, Beneficiary]:
    branch = Branch(code="HQ", name="المركز الرئيسي")
    session.add(branch)
    session.flush()
    user = User(
        username="u", full_name="U", role=Role.HQ_ADMIN, branch_id=branch.id, password_hash="x"
    )
    person = Beneficiary(
        file_number="HQ-0001-000001",
        branch_id=branch.id,
        first_name="نورة",
        father_name="سعد",
        grandfather_name="علي",
        family_name="الدوسري",
        national_id="1000000008",
        id_type=IdType.NATIONAL_ID,
        gender=Gender.FEMALE,
    )
    session.add_all([user, person])
    session.flush()
    return user, person


def test_migrations_and_change_tracking_on_postgres() -> None:
    with postgres_schema() as engine:
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        db = Database(engine, DeviceContext.new("device-pg"))
        with db.transaction() as session:
            _branch_user_person(session)
        with db.transaction() as session:
            stored = session.scalars(sa.select(Beneficiary)).one()
            stored.city = "الدمام"
        with db.session() as session:
            ops = session.scalars(sa.select(OutboxEntry.op).order_by(OutboxEntry.seq)).all()
            assert ops == ["insert", "insert", "insert", "update"]
            stored = session.scalars(sa.select(Beneficiary)).one()
            assert stored.created_at.tzinfo is not None and stored.family_name == "الدوسري"


def test_append_only_is_enforced_by_the_session_on_postgres() -> None:
    with postgres_schema() as engine:
        upgrade(engine)
        db = Database(engine, DeviceContext.new("device-pg"))
        with db.transaction() as session:
            user, person = _branch_user_person(session)
            session.add(
                SignedDeclaration(
                    beneficiary_id=person.id,
                    text="t",
                    declared_data={},
                    content_sha256="0" * 64,
                    signer_name="a",
                    signed_at=person.created_at,
                    recorded_by_user_id=user.id,
                )
            )
        with pytest.raises(AppendOnlyError), db.transaction() as session:
            declaration = session.scalars(sa.select(SignedDeclaration)).one()
            declaration.text = "changed"
        with db.session() as session:
            assert session.scalars(sa.select(SignedDeclaration.text)).one() == "t"
