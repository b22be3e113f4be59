"""The database itself refuses a status no enum member has (CHECK constraints), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from radsbot.data.db import ensure_ready, make_engine, session_factory
from radsbot.data.models import (
    Ambition,
    CouncilDestination,
    DigestDelivery,
    DigestPart,
    Indicator,
    Meeting,
    User,
)
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

INVALID = [
    (Indicator, "readiness", "nesten_klar"),
    (Indicator, "frequency", "daglig"),
    (Indicator, "direction", "flat"),
    (Ambition, "status", "kanskje"),
    (Meeting, "status", "utsatt"),
    (User, "role", "owner"),
    (DigestDelivery, "status", "sent"),
    (DigestDelivery, "transport", "irc"),
    (DigestPart, "thread", "dm"),
    (CouncilDestination, "transport", "email"),
    (CouncilDestination, "purpose", "archive"),
]


def let_through(url: str) -> list[str]:
    """Set one row of each status column to a value no member has, in plain SQL (past every check
    of ours): the columns whose database took it."""
    engine = make_engine(url)
    taken = []
    try:
        with session_factory(engine).begin() as s:  # a row of each table that has none in the seed
            meeting = s.scalar(select(Meeting.id).limit(1))
            row = DigestDelivery(meeting_id=meeting, transport="slack", address="#x", status="posted")
            s.add_all([row, User(chat_user_id="U0STAFF", role="staff")])
            s.flush()
            s.add(DigestPart(delivery_id=row.id, thread="post", part="digest:1", ref="1.2"))
        for model, column, value in INVALID:
            table = model.__table__
            try:
                with engine.begin() as conn:
                    first = conn.execute(select(table.c.id).limit(1)).scalar()
                    conn.execute(table.update().where(table.c.id == first).values({column: value}))
                taken.append(f"{table.name}.{column}")
            except IntegrityError as exc:
                assert f"ck_{table.name}_{column}" in str(exc), exc
    finally:
        engine.dispose()
    return taken


@pytest.mark.slow
def test_sqlite_refuses_invalid_statuses(tmp_path):
    url = f"sqlite:///{tmp_path / 'checks.sqlite3'}"
    engine = make_engine(url)
    ensure_ready(engine)
    engine.dispose()
    assert let_through(url) == []


@pytest.mark.postgres
@pytest.mark.slow
def test_postgresql_refuses_invalid_statuses(pg_db_url):
    assert let_through(pg_db_url) == []
