"""The digest delivery ledger: one row per meeting and destination, claimed before anything is posted.

A destination is a channel on one transport (data/destinations.py: Slack, Teams …); a meeting's
digest has a row per transport it goes to, each with its own lifecycle.

States of a row (`DigestDelivery.status`):

    preview          a worker is posting the preview to the secretariat (lease held)
    awaiting         the preview is posted; waiting for a staff member's approval
    approved         approved; posted at the due time (or at once if that has passed)
    posting          a worker holds the lease and is posting to the council's channel
    retry            posting failed; another attempt at `next_attempt_at`
    posted           done — never posted again
    failed           gave up (attempts used up, or the meeting began); secretariat told
    cancelled        a staff member cancelled the preview, or the meeting was cancelled
    expired          the meeting began before the digest was approved

Claims are atomic on every database: a row is created with INSERT … ON CONFLICT DO NOTHING,
and taken over only by an UPDATE whose WHERE clause repeats the state it expects, so exactly
one worker wins each race.

A thread's progress is recorded part by part (`digest_part`: the overview, each goal reply,
each continuation, each chart) as the transport takes them, by the transport's own opaque
reference (Slack: a message ts or a file id); recording a part renews the lease, and only
the worker holding the lease (the row's current `attempts`) can record. A worker that crashes
mid-thread leaves a lease that expires; the next one continues the thread from these parts,
after checking the channel for parts the transport took without our knowing (bot/digest_thread.py).
`posted` means the thread holds every planned part.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from radsbot.data.db import rowcount
from radsbot.data.destinations import Channel
from radsbot.data.model_base import Base
from radsbot.data.models import Council, DigestDelivery, DigestPart, Meeting
from radsbot.data.statuses import DeliveryState, ThreadKind
from sqlalchemy import select, update
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

S = DeliveryState
# Rows still waiting for a worker (a worker may take them over), and all rows not yet final.
WAITING_STATES = (S.PREVIEW, S.AWAITING, S.APPROVED, S.RETRY)
OPEN_STATES = (*WAITING_STATES, S.POSTING)
# The state a row is in while a worker posts each thread: the council's, and the preview.
THREAD_STATES = {ThreadKind.POST: S.POSTING, ThreadKind.PREVIEW: S.PREVIEW}


def channel_of(row: DigestDelivery) -> Channel:
    """The channel a ledger row posts to."""
    return Channel(row.transport, row.address)


def _utc(value: dt.datetime) -> dt.datetime:
    """Store times in UTC: SQLite keeps no offset, so every stored time must mean UTC."""
    return value.astimezone(dt.UTC) if value.tzinfo else value


def _insert(session: Session, model: type[Base] = DigestDelivery) -> postgresql.Insert | sqlite.Insert:
    """An INSERT with the dialect's ON CONFLICT clause at hand."""
    from sqlalchemy.dialects import postgresql, sqlite

    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)


def claim_new(
    session: Session,
    meeting_id: int,
    channel: Channel,
    status: str,
    worker: str,
    now: dt.datetime,
    lease: dt.timedelta,
) -> DigestDelivery | None:
    """Create the row in `status` if no row exists yet; None if another worker was first."""
    now = _utc(now)
    stmt = (
        _insert(session)
        .values(
            meeting_id=meeting_id,
            transport=channel.transport,
            address=channel.address,
            status=status,
            claimed_by=worker,
            claimed_at=now,
            lease_until=now + lease,
            attempts=1,
            last_error="",
            root_ref="",
            preview_address="",
            preview_ref="",
            approved_by="",
            failure_reported=False,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["meeting_id", "transport", "address"])
        .returning(DigestDelivery.id)
    )
    created = session.execute(stmt).scalar()
    return None if created is None else _reloaded(session, created)


def take_over(
    session: Session,
    row: DigestDelivery,
    expected: str,
    status: str,
    worker: str,
    now: dt.datetime,
    lease: dt.timedelta,
) -> DigestDelivery | None:
    """Move a row from `expected` to `status` under a new lease; None if someone else did first."""
    now = _utc(now)
    result = session.execute(
        update(DigestDelivery)
        # The attempts counter is the row's version: it changes on every take-over, so of two
        # workers that both saw an expired lease only the first one's UPDATE matches.
        .where(
            DigestDelivery.id == row.id,
            DigestDelivery.status == expected,
            DigestDelivery.attempts == row.attempts,
        )
        .values(
            status=status,
            claimed_by=worker,
            claimed_at=now,
            lease_until=now + lease,
            attempts=DigestDelivery.attempts + 1,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return _reloaded(session, row.id) if rowcount(result) == 1 else None


def transition(
    session: Session,
    row: DigestDelivery,
    expected: tuple[str, ...],
    now: dt.datetime,
    owned: bool = False,
    **values,
) -> DigestDelivery | None:
    """Set fields on a row if it is still in one of the `expected` states; the updated row.

    With `owned`, only if no other worker has taken the row over since `row` was read.
    """
    now = _utc(now)
    values = {k: _utc(v) if isinstance(v, dt.datetime) else v for k, v in values.items()}
    conditions = [DigestDelivery.id == row.id, DigestDelivery.status.in_(expected)]
    if owned:
        conditions.append(DigestDelivery.attempts == row.attempts)
    result = session.execute(
        update(DigestDelivery)
        .where(*conditions)
        .values(updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    return _reloaded(session, row.id) if rowcount(result) == 1 else None


def record_part(
    session: Session,
    row: DigestDelivery,
    thread: str,
    part: str,
    ref: str,
    now: dt.datetime,
    lease: dt.timedelta,
    **values,
) -> bool:
    """Record that the transport has one part of the thread, renewing the lease (and setting `values`).

    False when the worker no longer holds the row (its lease was taken over): it must stop.
    """
    held = transition(
        session,
        row,
        (THREAD_STATES[ThreadKind(thread)],),
        now,
        owned=True,
        lease_until=_utc(now) + lease,
        **values,
    )
    if held is None:
        return False
    session.execute(
        _insert(session, DigestPart)
        .values(delivery_id=row.id, thread=thread, part=part, ref=ref, posted_at=_utc(now))
        .on_conflict_do_nothing(index_elements=["delivery_id", "thread", "part"])
    )
    return True


def parts(session: Session, delivery_id: int, thread: str) -> dict[str, str]:
    """The parts of a thread the transport has, by key: its reference to each message or file."""
    return dict(
        session.execute(
            select(DigestPart.part, DigestPart.ref).where(
                DigestPart.delivery_id == delivery_id, DigestPart.thread == thread
            )
        ).all()
    )


def missing(session: Session, row: DigestDelivery) -> list[str]:
    """Labels of the planned parts the posted thread does not hold yet, in order, each once."""
    have = parts(session, row.id, ThreadKind.POST)
    labels = [p["label"] for p in row.parts_planned or () if p["key"] not in have]
    return list(dict.fromkeys(labels))


def _reloaded(session: Session, delivery_id: int) -> DigestDelivery | None:
    """The row as the database has it now (None: deleted meanwhile, with its meeting)."""
    return session.get(DigestDelivery, delivery_id, populate_existing=True)


def open_until(
    session: Session, day: dt.date, now: dt.datetime
) -> list[tuple[DigestDelivery, Meeting, Council]]:
    """Rows of meetings on or before `day` still waiting (preview, approval, retry), or being
    posted by a worker whose lease has expired (it died)."""
    stale = (DigestDelivery.status == S.POSTING) & (DigestDelivery.lease_until <= _utc(now))
    return [
        (row, meeting, council)
        for row, meeting, council in session.execute(
            select(DigestDelivery, Meeting, Council)
            .join(Meeting, DigestDelivery.meeting_id == Meeting.id)
            .join(Council, Meeting.council_id == Council.id)
            .where(DigestDelivery.status.in_(WAITING_STATES) | stale, Meeting.date <= day)
        ).all()
    ]


def get(session: Session, meeting_id: int, channel: Channel) -> DigestDelivery | None:
    """The ledger row of a meeting and channel."""
    return session.scalar(
        select(DigestDelivery).where(
            DigestDelivery.meeting_id == meeting_id,
            DigestDelivery.transport == channel.transport,
            DigestDelivery.address == channel.address,
        )
    )


def of_meeting(
    session: Session, meeting_id: int, channel: Channel, now: dt.datetime
) -> DigestDelivery | None:
    """The meeting's ledger row on the channel's transport, following the council's channel there
    until the digest is posted.

    A meeting's digest goes to one channel per transport. When the council's channel changed (a
    new channel, or the same one now written as an id instead of "#navn"), a row still waiting
    (preview, approval, retry) moves to `channel` with its approval; a row that is posted, being
    posted, closed, or whose overview is in the former channel already stays where it is and is
    returned as it is (its address then differs).
    """
    row = get(session, meeting_id, channel)
    if row is not None:
        return row
    other = latest(session, meeting_id, channel.transport)
    if other is None or other.status not in WAITING_STATES or other.root_ref:
        return other
    moved = session.execute(
        update(DigestDelivery)
        .where(
            DigestDelivery.id == other.id,
            DigestDelivery.address == other.address,
            DigestDelivery.status == other.status,
        )
        .values(address=channel.address, updated_at=_utc(now))
        .execution_options(synchronize_session=False)
    )
    return _reloaded(session, other.id) if rowcount(moved) == 1 else get(session, meeting_id, channel)


def latest(session: Session, meeting_id: int, transport: str | None = None) -> DigestDelivery | None:
    """The meeting's newest ledger row (on `transport`, when given), whatever its channel."""
    query = select(DigestDelivery).where(DigestDelivery.meeting_id == meeting_id)
    if transport is not None:
        query = query.where(DigestDelivery.transport == transport)
    return session.scalar(query.order_by(DigestDelivery.id.desc()).limit(1))


def by_id(session: Session, delivery_id: int) -> DigestDelivery | None:
    """A ledger row by id (for the Publiser/Avbryt buttons)."""
    return session.get(DigestDelivery, delivery_id)


def entries(session: Session, limit: int = 50) -> list[DigestDelivery]:
    """The newest ledger rows."""
    return list(session.scalars(select(DigestDelivery).order_by(DigestDelivery.id.desc()).limit(limit)))
