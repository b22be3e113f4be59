"""What the scheduler does with one claimed ledger row: post, preview, retry, give up, report.

Each step goes through the Publisher of the row's transport and records its outcome in the
ledger (data/deliveries.py) under the worker's lease, with an audit row in the same
transaction; the secretariat is told, in its language, what needs a person. bot/scheduler.py
decides which step is due.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from radsbot.bot import digest_notices as notices
from radsbot.bot.digest_calendar import Due
from radsbot.bot.digest_thread import (
    LeaseLost,
    Progress,
    digest_thread,
    ledger_progress,
    post_thread,
    preview_replies,
    preview_thread,
)
from radsbot.bot.publisher import Publisher, Trouble
from radsbot.bot.replies import Reply
from radsbot.data import deliveries
from radsbot.data.access import audit
from radsbot.data.councils import council_by_code
from radsbot.data.db import Session, SessionFactory, transaction
from radsbot.data.destinations import Channel, secretariat_of
from radsbot.data.models import Council, DigestDelivery, Meeting
from radsbot.data.statuses import DeliveryState, ThreadKind

log = logging.getLogger(__name__)

S = DeliveryState
SCHEDULER = "scheduler"  # the audit log's actor for what the worker does on its own

Composer = Callable[[Session, Council, Meeting, dt.date], list[Reply]]


@dataclass
class DigestSteps:
    """The steps on one ledger row, and what they need: the database, a Publisher per transport,
    the digest composer, the calendar's time zone and the worker's lease and retry rules."""

    sessions: SessionFactory
    publishers: Mapping[str, Publisher]
    compose: Composer
    timezone: str = "Europe/Oslo"
    worker: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    lease: dt.timedelta = dt.timedelta(minutes=10)
    max_attempts: int = 5
    retry_base: dt.timedelta = dt.timedelta(minutes=1)
    lang: str = "nb"

    @property
    def tz(self) -> ZoneInfo:
        """The calendar's time zone."""
        return ZoneInfo(self.timezone)

    def now(self) -> dt.datetime:
        """The current time in the calendar's time zone."""
        return dt.datetime.now(self.tz)

    def publisher(self, channel: Channel) -> Publisher:
        """The Publisher of the channel's transport."""
        return self.publishers[channel.transport]

    def _post(
        self, row: DigestDelivery, due: Due, now: dt.datetime, actor: str = SCHEDULER
    ) -> tuple[list[str], Trouble | None]:
        """Post what the thread is missing; `posted` once it is whole. Returns the log and any trouble."""
        publisher = self.publisher(due.channel)
        progress = self._progress(row, ThreadKind.POST, due.channel.address, now)
        try:
            replies = self._compose(due, now)
            ref = post_thread(
                publisher, digest_thread(due.channel.address, due.meeting_id), replies, progress, self.lang
            )
        except LeaseLost:
            log.warning("Digest for meeting %s was taken over by another worker; stopping", due.meeting_id)
            return [f"lost {due.meeting_id} {due.channel}"], None
        except Exception as exc:
            log.warning("Posting digest for meeting %s failed: %s", due.meeting_id, exc, exc_info=True)
            return self._failed(row, due, now, exc, actor)
        with transaction(self.sessions) as session:
            done = deliveries.transition(
                session,
                row,
                (S.POSTING,),
                now,
                owned=True,
                status=S.POSTED,
                root_ref=ref,
                posted_at=now,
                last_error="",
            )
            if done is None:
                return [f"lost {due.meeting_id} {due.channel}"], None
            parts = len(deliveries.parts(session, row.id, ThreadKind.POST))
            self._audit(session, "digest_post", done, actor=actor, ref=ref, parts=parts)
        return [f"posted {due.meeting_id} {due.channel}"], None

    def _failed(
        self, row: DigestDelivery, due: Due, now: dt.datetime, exc: Exception, actor: str
    ) -> tuple[list[str], Trouble]:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        trouble = self.publisher(due.channel).explain(exc, due.channel.address)
        retry_at = now + self.retry_base * 2 ** (row.attempts - 1)
        if row.attempts < self.max_attempts and retry_at < due.starts_at:
            with transaction(self.sessions) as session:
                retrying = deliveries.transition(
                    session,
                    row,
                    (S.POSTING,),
                    now,
                    owned=True,
                    status=S.RETRY,
                    next_attempt_at=retry_at,
                    last_error=error,
                )
                if retrying is None:
                    return [f"lost {due.meeting_id} {due.channel}"], trouble
                self._audit(session, "digest_retry", retrying, "failed", actor=actor, error=error[:500])
            if trouble.needs_action and row.attempts == 1:  # the first failure someone must fix
                with self.sessions() as session:
                    meeting = session.get(Meeting, due.meeting_id)
                    when = notices.at(retry_at, self.tz, self.lang)
                    channel = str(due.channel)
                    text = notices.retrying(meeting, channel, trouble, when, self.lang) if meeting else ""
                if text:  # no notice of a meeting deleted meanwhile
                    self._tell(due, text)
            return [f"retry {due.meeting_id} {due.channel} at {retry_at.isoformat()}"], trouble
        with transaction(self.sessions) as session:
            failed = deliveries.transition(
                session, row, (S.POSTING,), now, owned=True, status=S.FAILED, last_error=error
            )
            if failed is None:
                return [f"lost {due.meeting_id} {due.channel}"], trouble
            missing = deliveries.missing(session, failed) if failed.root_ref else []
            self._audit(
                session, "digest_failed", failed, "failed", actor=actor, error=error[:500], missing=missing
            )
            meeting = session.get(Meeting, due.meeting_id)
            channel = str(due.channel)
            text = (
                notices.gave_up(meeting, channel, row.attempts, trouble, missing, self.lang)
                if meeting
                else ""
            )
        if text:  # no notice of a meeting deleted meanwhile
            self._report(failed, due, text)
        return [f"failed {due.meeting_id} {due.channel}"], trouble

    def _preview(self, row: DigestDelivery, due: Due, now: dt.datetime) -> list[str]:
        channel = self._secretariat(due)
        progress = self._progress(row, ThreadKind.PREVIEW, channel.address, now)
        try:
            replies = preview_replies(self._compose(due, now), row.id, self.lang)
            ref = post_thread(
                self.publisher(channel), preview_thread(channel.address, row.id), replies, progress, self.lang
            )
        except LeaseLost:
            return [f"lost preview {due.meeting_id}"]
        except Exception as exc:
            log.warning("Preview for meeting %s failed: %s", due.meeting_id, exc, exc_info=True)
            error = f"{type(exc).__name__}: {exc}"[:2000]
            with transaction(self.sessions) as session:  # the lease expires and it is tried again
                if deliveries.transition(session, row, (S.PREVIEW,), now, owned=True, last_error=error):
                    self._audit(
                        session, "digest_preview", row, "failed", error=error[:500], preview=channel.address
                    )
            return [f"preview failed {due.meeting_id}"]
        with transaction(self.sessions) as session:
            done = deliveries.transition(
                session,
                row,
                (S.PREVIEW,),
                now,
                owned=True,
                status=S.AWAITING,
                preview_address=channel.address,
                preview_ref=ref,
            )
            if done is None:
                return [f"lost preview {due.meeting_id}"]
            self._audit(session, "digest_preview", done, preview=channel.address, ref=ref)
        return [f"preview {due.meeting_id} {channel}"]

    def _progress(self, row: DigestDelivery, thread: str, address: str, now: dt.datetime) -> Progress:
        """The thread's progress from the ledger, recording each new part under this worker's lease."""
        return ledger_progress(self.sessions, row, thread, address, now, self.lease)

    def _compose(self, due: Due, now: dt.datetime) -> list[Reply]:
        with self.sessions() as session:
            meeting = session.get(Meeting, due.meeting_id)
            if meeting is None:  # deleted since it was claimed: the caller's failure path handles it
                raise LookupError(f"meeting {due.meeting_id} no longer exists")
            return self.compose(session, meeting.council, meeting, self._today(now))

    def _today(self, now: dt.datetime) -> dt.date:
        """The calendar's date at `now`."""
        return now.astimezone(self.tz).date()

    def _secretariat(self, due: Due) -> Channel:
        """Where the secretariat hears of this delivery: on the same transport."""
        with self.sessions() as session:
            council = council_by_code(session, due.council_code)
            secretariat = secretariat_of(council, due.channel.transport) if council else None
            return secretariat or due.channel

    def _audit(
        self, session: Session, action: str, row: DigestDelivery, outcome: str = "ok", **details
    ) -> None:
        """An audit row for the digest of `row`'s meeting, in the caller's transaction."""
        meeting = session.get(Meeting, row.meeting_id)
        actor = details.pop("actor", SCHEDULER)
        audit(
            session,
            actor,
            action,
            target=f"{meeting.council.code} {meeting.number}" if meeting else str(row.meeting_id),
            outcome=outcome,
            meeting_id=row.meeting_id,
            transport=row.transport,
            channel=row.address,
            worker=self.worker,
            attempt=row.attempts,
            **details,
        )

    def _tell(self, due: Due, text: str) -> bool:
        """A notice to the secretariat; False (logged) when even that fails."""
        try:
            channel = self._secretariat(due)
            self.publisher(channel).notify(channel.address, text)
        except Exception:
            log.exception("Could not tell the secretariat: %s", text)
            return False
        return True

    def _report(self, row: DigestDelivery, due: Due, text: str) -> None:
        if self._tell(due, text):
            with transaction(self.sessions) as session:
                deliveries.transition(session, row, (row.status,), self.now(), failure_reported=True)


def begun_thread(row: DigestDelivery) -> bool:
    """Whether the row's overview is in its channel and the thread may still be finished."""
    return bool(row.root_ref) and row.status in (S.RETRY, S.POSTING, S.FAILED)


def expired_lease(row: DigestDelivery, now: dt.datetime) -> bool:
    """Whether the worker holding the row has let its lease run out (it died)."""
    return row.lease_until is not None and now >= aware(row.lease_until)


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; they were stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
