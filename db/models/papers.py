"""Printed papers: what each print of a form showed, signed by the printing laptop."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from db.base import AppendOnly, Base, uuid_fk


class PrintedPaper(AppendOnly, Base):
    """One printed form: its typed code, the record it was printed from, every value printed
    on it as the paper shows it, and the printing device's Ed25519 signature over them.

    Never changed: a new print is a new paper. It reaches HQ with the branch's next sync, so
    HQ (and every laptop of the branch) can show what any paper said."""

    __tablename__ = "printed_paper"

    code: Mapped[str] = mapped_column(sa.String(19), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    record_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    device_id: Mapped[str] = mapped_column(sa.String(36))
    printed_at: Mapped[datetime]
    user_id: Mapped[str | None] = mapped_column(sa.String(36))
    branch_id: Mapped[str] = uuid_fk("branch.id")
    printed: Mapped[dict[str, Any]]
    signature: Mapped[str] = mapped_column(sa.String(88))
