"""Chat events already received, so that a transport's retries are handled once across replicas."""

from __future__ import annotations

import datetime as dt

from radsbot.data.db import rowcount
from radsbot.data.models import SlackEvent
from sqlalchemy import delete
from sqlalchemy.orm import Session


def record_event(session: Session, event_id: str, now: dt.datetime | None = None) -> bool:
    """Record an event id; True when it is new, False when some process has recorded it already.

    One INSERT … ON CONFLICT DO NOTHING RETURNING, so two replicas racing on the same retry
    cannot both win (RETURNING, because psycopg reports no rowcount here); the caller commits.
    """
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        insert: postgresql.Insert | sqlite.Insert = postgresql.insert(SlackEvent)
    elif dialect == "sqlite":
        insert = sqlite.insert(SlackEvent)
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(f"no conflict-ignoring insert for {dialect}")
    statement = (
        insert.values(event_id=event_id, received_at=now or dt.datetime.now(dt.UTC))
        .on_conflict_do_nothing(index_elements=[SlackEvent.event_id])
        .returning(SlackEvent.event_id)
    )
    return session.execute(statement).scalar_one_or_none() is not None


def prune_events(session: Session, before: dt.datetime) -> int:
    """Forget event ids received before `before` (retries stop long before); returns how many."""
    return rowcount(session.execute(delete(SlackEvent).where(SlackEvent.received_at < before)))
