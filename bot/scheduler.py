"""Digest scheduling: post each council's digest once, a set number of days before each meeting.

The worker does not keep a schedule of its own. Every minute (APScheduler, `radsbot schedule`)
it reads the meeting calendar and the delivery ledger (data/deliveries.py) and does what is due:

* meetings added, moved or cancelled after start-up are honoured without a restart;
* a digest missed while the worker was down is posted when it is back, if the meeting has not
  begun — never after;
* exactly once per meeting and channel, also with several workers on one database: each post
  is claimed in the ledger first (INSERT … ON CONFLICT DO NOTHING), and only the claimant posts;
* a thread is complete before it counts as posted: the ledger records each part of the thread
  (overview, goal replies, continuations, charts) as Slack takes it, and a retry or a worker
  recovering from a crash posts only what is missing, never a second overview.

Crash mid-post: the claim carries a lease (10 minutes by default, renewed with every part).
When a lease expires, the next worker takes the digest over, looks in the channel for what the
crashed worker posted but could not record (Slack message metadata names each part), and
finishes the thread. The cost of a crash is a delay of up to one lease. Every post, preview,
retry, failure, recovery, expiry and cancellation is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

from radsbot.bot import digest_notices as notices
from radsbot.bot.digest_calendar import Due, due_times, upcoming_digests
from radsbot.bot.digest_decisions import SchedulingError, already, decide
from radsbot.bot.digest_thread import DigestPublisher, LeaseLost, Progress, Trouble, ledger_progress
from radsbot.bot.replies import Reply
from radsbot.data import deliveries
from radsbot.data.access import audit
from radsbot.data.councils import council_by_code
from radsbot.data.db import Session, SessionFactory, transaction
from radsbot.data.models import Council, DigestDelivery, Meeting

log = logging.getLogger(__name__)

__all__ = ["DigestPublisher", "DigestScheduler", "SchedulingError", "decide"]

SCHEDULER = "scheduler"  # the audit log's actor for what the worker does on its own


Composer = Callable[[Session, Council, Meeting, dt.date], list[Reply]]


@dataclass
class DigestScheduler:
    """Posts due digests; call `tick()` periodically (or with an explicit `now` in tests)."""

    sessions: SessionFactory
    publisher: DigestPublisher
    compose: Composer
    timezone: str = "Europe/Oslo"
    worker: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    lease: dt.timedelta = dt.timedelta(minutes=10)
    max_attempts: int = 5
    retry_base: dt.timedelta = dt.timedelta(minutes=1)

    @property
    def tz(self) -> ZoneInfo:
        """The calendar's time zone."""
        return ZoneInfo(self.timezone)

    def now(self) -> dt.datetime:
        """The current time in the calendar's time zone."""
        return dt.datetime.now(self.tz)

    # -- the calendar --------------------------------------------------------------------

    def due(self, council: Council, meeting: Meeting) -> Due:
        """The due times of one meeting's digest under the council's settings."""
        return due_times(council, meeting, self.tz)

    def upcoming(self, session: Session, now: dt.datetime, council: Council | None = None) -> list[Due]:
        """Digests of planned meetings that have not begun, soonest first."""
        return upcoming_digests(session, now, self.tz, council)

    # -- the periodic job ------------------------------------------------------------------

    def tick(self, now: dt.datetime | None = None) -> list[str]:
        """Do everything that is due at `now`; returns a log of what was done."""
        # Compared in UTC: wall-clock times compare wrongly in the hour that comes twice in October.
        now = (now or self.now()).astimezone(dt.UTC)
        done: list[str] = []
        with self.sessions() as session:
            dues = [d for d in self.upcoming(session, now) if (d.preview_at or d.post_at) <= now]
        for due in dues:
            try:
                done.extend(self._advance(due, now))
            except Exception:  # one meeting's trouble must not stop the others
                log.exception("Digest for meeting %s failed", due.meeting_id)
        done.extend(self._expire(now))
        return done

    def _advance(self, due: Due, now: dt.datetime) -> list[str]:
        with transaction(self.sessions) as session:
            row = deliveries.of_meeting(session, due.meeting_id, due.channel, now)
        if row is not None and row.channel != due.channel:
            if not _begun_thread(row):
                return []  # posted (or closed) in the council's former channel: not again here
            due = replace(due, channel=row.channel)  # a thread is finished where it began
        if row is None:
            first = "preview" if due.preview_at else "posting"
            with transaction(self.sessions) as session:
                row = deliveries.claim_new(
                    session, due.meeting_id, due.channel, first, self.worker, now, self.lease
                )
            if row is None:
                return []  # another worker was first
            return self._preview(row, due, now) if first == "preview" else self._post(row, due, now)[0]
        if row.status == "approved" and now >= due.post_at:
            return self._take_and_post(row, "approved", due, now)
        if row.status == "retry" and row.next_attempt_at and now >= _aware(row.next_attempt_at):
            return self._take_and_post(row, "retry", due, now)
        if row.status in ("posting", "preview") and _expired_lease(row, now):
            return self._recover(row, due, now)
        return []

    def _take_and_post(self, row: DigestDelivery, expected: str, due: Due, now: dt.datetime) -> list[str]:
        with transaction(self.sessions) as session:
            row = deliveries.take_over(session, row, expected, "posting", self.worker, now, self.lease)
        return self._post(row, due, now)[0] if row else []  # None: another worker was first

    def _recover(self, row: DigestDelivery, due: Due, now: dt.datetime) -> list[str]:
        """A worker died holding the digest (its lease expired): take it over and finish it."""
        crashed = row.claimed_by
        with transaction(self.sessions) as session:
            row = deliveries.take_over(session, row, row.status, row.status, self.worker, now, self.lease)
            if row is None:
                return []
            self._audit(session, "digest_recover", row, previous=crashed, step=row.status)
        if row.status == "preview":
            return self._preview(row, due, now)
        return [f"recovering {due.meeting_id} {due.channel}", *self._post(row, due, now)[0]]

    def _post(
        self, row: DigestDelivery, due: Due, now: dt.datetime, actor: str = SCHEDULER
    ) -> tuple[list[str], Trouble | None]:
        """Post what the thread is missing; `posted` once it is whole. Returns the log and any trouble."""
        progress = self._progress(row, "post", due.channel, now)
        try:
            replies = self._compose(due, now)
            ts = self.publisher.post_digest(due.channel, replies, due.meeting_id, progress)
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
                ("posting",),
                now,
                owned=True,
                status="posted",
                message_ts=ts,
                posted_at=now,
                last_error="",
            )
            if done is None:
                return [f"lost {due.meeting_id} {due.channel}"], None
            parts = len(deliveries.parts(session, row.id, "post"))
            self._audit(session, "digest_post", done, actor=actor, ts=ts, parts=parts)
        return [f"posted {due.meeting_id} {due.channel}"], None

    def _failed(
        self, row: DigestDelivery, due: Due, now: dt.datetime, exc: Exception, actor: str
    ) -> tuple[list[str], Trouble]:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        trouble = self.publisher.explain(exc, due.channel)
        retry_at = now + self.retry_base * 2 ** (row.attempts - 1)
        if row.attempts < self.max_attempts and retry_at < due.starts_at:
            with transaction(self.sessions) as session:
                retrying = deliveries.transition(
                    session,
                    row,
                    ("posting",),
                    now,
                    owned=True,
                    status="retry",
                    next_attempt_at=retry_at,
                    last_error=error,
                )
                if retrying is None:
                    return [f"lost {due.meeting_id} {due.channel}"], trouble
                self._audit(session, "digest_retry", retrying, "failed", actor=actor, error=error[:500])
            if trouble.needs_action and row.attempts == 1:  # the first failure someone must fix
                with self.sessions() as session:
                    meeting = session.get(Meeting, due.meeting_id)
                    text = notices.retrying(meeting, due.channel, trouble, notices.at(retry_at, self.tz))
                self._tell(due, text)
            return [f"retry {due.meeting_id} {due.channel} at {retry_at.isoformat()}"], trouble
        with transaction(self.sessions) as session:
            failed = deliveries.transition(
                session, row, ("posting",), now, owned=True, status="failed", last_error=error
            )
            if failed is None:
                return [f"lost {due.meeting_id} {due.channel}"], trouble
            missing = deliveries.missing(session, failed) if failed.message_ts else []
            self._audit(
                session, "digest_failed", failed, "failed", actor=actor, error=error[:500], missing=missing
            )
            text = notices.gave_up(
                session.get(Meeting, due.meeting_id), due.channel, row.attempts, trouble, missing
            )
        self._report(failed, due, text)
        return [f"failed {due.meeting_id} {due.channel}"], trouble

    def _preview(self, row: DigestDelivery, due: Due, now: dt.datetime) -> list[str]:
        channel = self._secretariat(due)
        progress = self._progress(row, "preview", channel, now)
        try:
            replies = self._compose(due, now)
            ts = self.publisher.post_preview(channel, replies, row.id, progress)
        except LeaseLost:
            return [f"lost preview {due.meeting_id}"]
        except Exception as exc:
            log.warning("Preview for meeting %s failed: %s", due.meeting_id, exc, exc_info=True)
            error = f"{type(exc).__name__}: {exc}"[:2000]
            with transaction(self.sessions) as session:  # the lease expires and it is tried again
                if deliveries.transition(session, row, ("preview",), now, owned=True, last_error=error):
                    self._audit(session, "digest_preview", row, "failed", error=error[:500], preview=channel)
            return [f"preview failed {due.meeting_id}"]
        with transaction(self.sessions) as session:
            done = deliveries.transition(
                session,
                row,
                ("preview",),
                now,
                owned=True,
                status="awaiting",
                preview_channel=channel,
                preview_ts=ts,
            )
            if done is None:
                return [f"lost preview {due.meeting_id}"]
            self._audit(session, "digest_preview", done, preview=channel, ts=ts)
        return [f"preview {due.meeting_id} {channel}"]

    def _progress(self, row: DigestDelivery, thread: str, channel: str, now: dt.datetime) -> Progress:
        """The thread's progress from the ledger, recording each new part under this worker's lease."""
        return ledger_progress(self.sessions, row, thread, channel, now, self.lease)

    def _expire(self, now: dt.datetime) -> list[str]:
        """Close open rows of meetings that have begun or were cancelled; tell the secretariat."""
        done = []
        with self.sessions() as session:
            rows = deliveries.open_until(session, self._today(now) + dt.timedelta(days=1), now)
        for row, meeting, council in rows:
            due = self.due(council, meeting)
            if meeting.status != "cancelled" and now < due.starts_at:
                continue
            cancelled = meeting.status == "cancelled"
            status = "cancelled" if cancelled else ("failed" if row.message_ts else "expired")
            with transaction(self.sessions) as session:
                row = deliveries.transition(session, row, (row.status,), now, status=status)
                if row is None:
                    continue
                missing = deliveries.missing(session, row) if row.message_ts else []
                action = "digest_cancelled" if cancelled else "digest_expired"
                self._audit(session, action, row, "ok" if cancelled else "failed", missing=missing)
                meeting = session.get(Meeting, meeting.id)
                if status == "failed":
                    text = notices.incomplete_at_start(meeting, row.channel, missing) if missing else ""
                else:
                    text = "" if cancelled else notices.expired(meeting)
            if text:
                self._report(row, due, text)
            done.append(f"{status} {meeting.id} {row.channel}")
        return done

    def post_now(self, meeting_id: int, now: dt.datetime | None = None, actor: str = "cli") -> str:
        """Post a meeting's digest at once (`radsbot digest --post`), through the same ledger.

        A digest that failed, is waiting for a retry, or whose worker died is taken over and its
        thread finished (never a second overview).

        Raises:
            SchedulingError: the meeting has begun, or its digest is posted or being posted.
        """
        now = (now or self.now()).astimezone(dt.UTC)
        with transaction(self.sessions) as session:
            meeting = session.get(Meeting, meeting_id)
            due = self.due(meeting.council, meeting)
            row = deliveries.of_meeting(session, meeting_id, due.channel, now)
        if row is not None and row.channel != due.channel:
            if row.status == "posted" or (row.status == "posting" and not _expired_lease(row, now)):
                raise SchedulingError(f"{already(row.status)} (i {row.channel}).")
            if _begun_thread(row):
                due = replace(due, channel=row.channel)  # finish the thread where it began
            else:
                row = None  # failed or closed in the former channel: a manual post may go to the new one
        if not due.channel:
            raise SchedulingError(
                "Rådet har ingen kanal. Sett den med «radsbot council set KODE --channel #kanal»."
            )
        if now >= due.starts_at:
            raise SchedulingError("Møtet har begynt; sammendraget postes ikke etter møtestart.")
        with transaction(self.sessions) as session:
            if row is None:
                row = deliveries.claim_new(
                    session, meeting_id, due.channel, "posting", self.worker, now, self.lease
                )
            elif row.status in (*deliveries.WAITING_STATES, "failed") or (
                row.status == "posting" and _expired_lease(row, now)
            ):
                row = deliveries.take_over(session, row, row.status, "posting", self.worker, now, self.lease)
            else:
                raise SchedulingError(already(row.status))
        if row is None:
            raise SchedulingError("En annen prosess poster sammendraget akkurat nå.")
        done, trouble = self._post(row, due, now, actor)
        if not done[0].startswith("posted"):
            reason = f" {trouble.text}" if trouble else ""
            if done[0].startswith("retry"):
                then = "Planleggeren prøver igjen; se «radsbot schedule --status»."
            elif done[0].startswith("failed"):
                then = "Rådsbot har gitt opp; rett feilen og kjør kommandoen på nytt."
            else:
                then = "En annen prosess har tatt over sammendraget."
            raise SchedulingError(f"Sammendraget kunne ikke postes nå.{reason} {then}")
        return due.channel

    # -- approvals from the secretariat ---------------------------------------------------

    def approve(self, delivery_id: int, user: str, now: dt.datetime | None = None) -> DigestDelivery:
        """Approve an awaiting preview; it is posted at the due time (at once if that has passed)."""
        return self._decide(delivery_id, user, "approved", now)

    def cancel(self, delivery_id: int, user: str, now: dt.datetime | None = None) -> DigestDelivery:
        """Cancel an awaiting preview: nothing is posted for that meeting."""
        return self._decide(delivery_id, user, "cancelled", now)

    def _decide(self, delivery_id: int, user: str, status: str, now: dt.datetime | None) -> DigestDelivery:
        with transaction(self.sessions) as session:
            return decide(session, delivery_id, user, status, now or self.now(), via=SCHEDULER)

    # -- helpers -----------------------------------------------------------------------------

    def _compose(self, due: Due, now: dt.datetime) -> list[Reply]:
        with self.sessions() as session:
            meeting = session.get(Meeting, due.meeting_id)
            return self.compose(session, meeting.council, meeting, self._today(now))

    def _today(self, now: dt.datetime) -> dt.date:
        """The calendar's date at `now`."""
        return now.astimezone(self.tz).date()

    def _secretariat(self, due: Due) -> str:
        with self.sessions() as session:
            council = council_by_code(session, due.council_code)
            return council.secretariat_channel or council.slack_channel

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
            target=f"{meeting.council.code} {meeting.number}",
            outcome=outcome,
            meeting_id=row.meeting_id,
            channel=row.channel,
            worker=self.worker,
            attempt=row.attempts,
            **details,
        )

    def _tell(self, due: Due, text: str) -> bool:
        """A notice to the secretariat; False (logged) when even that fails."""
        try:
            self.publisher.notify(self._secretariat(due), text)
        except Exception:
            log.exception("Could not tell the secretariat: %s", text)
            return False
        return True

    def _report(self, row: DigestDelivery, due: Due, text: str) -> None:
        if self._tell(due, text):
            with transaction(self.sessions) as session:
                deliveries.transition(session, row, (row.status,), self.now(), failure_reported=True)


def _begun_thread(row: DigestDelivery) -> bool:
    """Whether the row's overview is in its channel and the thread may still be finished."""
    return bool(row.message_ts) and row.status in ("retry", "posting", "failed")


def _expired_lease(row: DigestDelivery, now: dt.datetime) -> bool:
    return row.lease_until is not None and now >= _aware(row.lease_until)


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; they were stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
