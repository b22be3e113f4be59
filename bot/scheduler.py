"""Digest scheduling: post each council's digest once, a set number of days before each meeting.

The worker does not keep a schedule of its own. Every minute (APScheduler, `radsbot schedule`)
it reads the meeting calendar and the delivery ledger (data/deliveries.py) and does what is due:

* meetings added, moved or cancelled after start-up are honoured without a restart;
* a digest missed while the worker was down is posted when it is back, if the meeting has not
  begun — never after;
* exactly once per meeting and channel, also with several workers on one database: each post
  is claimed in the ledger first (INSERT … ON CONFLICT DO NOTHING), and only the claimant posts.

Crash between claim and post: the claim carries a lease (10 minutes by default). When a lease
expires without the post being recorded, the next worker looks for the digest in the channel
(Slack message metadata names the meeting) before posting: if the overview is there, it records
it as posted instead of posting again. We chose at-most-once for the overview over a complete
thread: a crash half-way through the thread is reported to the secretariat rather than
repeated. The cost is a delay of up to one lease after a crash. A retry after a failed post
looks first too: Slack may have taken the overview before a goal reply failed.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from bot.digest_calendar import Due, due_times, upcoming_digests
from bot.replies import Reply
from data import deliveries
from data.councils import council_by_code
from data.db import transaction
from data.models import Council, DigestDelivery, Meeting

log = logging.getLogger(__name__)


class DigestPublisher(Protocol):
    """Where digests go: the Slack implementation is bot/slack/digest_publisher.py."""

    def post_digest(self, channel: str, replies: list[Reply], meeting_id: int) -> str:
        """Post the overview and the threaded goal replies; return the overview's ts."""

    def find_digest(self, channel: str, meeting_id: int) -> str | None:
        """The ts of an already posted digest for the meeting in the channel, if any."""

    def post_preview(self, channel: str, replies: list[Reply], delivery_id: int) -> str:
        """Post the preview with Publiser/Avbryt buttons to the secretariat; return its ts."""

    def notify(self, channel: str, text: str) -> None:
        """Tell the secretariat something (a failure, an expired preview)."""


Composer = Callable[[Session, Council, Meeting, dt.date], list[Reply]]


@dataclass
class DigestScheduler:
    """Posts due digests; call `tick()` periodically (or with an explicit `now` in tests)."""

    sessions: sessionmaker[Session]
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
            return []  # posted (or closed) in the council's former channel: not again here
        if row is None:
            first = "preview" if due.preview_at else "posting"
            with transaction(self.sessions) as session:
                row = deliveries.claim_new(
                    session, due.meeting_id, due.channel, first, self.worker, now, self.lease
                )
            if row is None:
                return []  # another worker was first
            return self._preview(row, due, now) if first == "preview" else self._post(row, due, now)
        if row.status == "approved" and now >= due.post_at:
            return self._take_and_post(row, "approved", due, now)
        if row.status == "retry" and row.next_attempt_at and now >= _aware(row.next_attempt_at):
            # The failed attempt may have posted the overview before a goal reply failed: look first.
            return self._take_and_post(row, "retry", due, now, recover=True)
        if row.status in ("posting", "preview") and row.lease_until and now >= _aware(row.lease_until):
            if row.status == "preview":
                with transaction(self.sessions) as session:
                    row = deliveries.take_over(
                        session, row, "preview", "preview", self.worker, now, self.lease
                    )
                return self._preview(row, due, now) if row else []
            return self._take_and_post(row, "posting", due, now, recover=True)
        return []

    def _take_and_post(
        self, row: DigestDelivery, expected: str, due: Due, now: dt.datetime, recover: bool = False
    ) -> list[str]:
        with transaction(self.sessions) as session:
            row = deliveries.take_over(session, row, expected, "posting", self.worker, now, self.lease)
        if row is None:
            return []  # another worker was first
        if recover:
            ts = self.publisher.find_digest(due.channel, due.meeting_id)
            if ts:
                self._finish(row, now, ts)
                self.publisher.notify(
                    self._secretariat(due),
                    f"Sammendraget for møte {self._label(due)} ble funnet i "
                    f"{due.channel} etter et avbrudd; tråden kan være ufullstendig. Sjekk den.",
                )
                return [f"recovered {due.meeting_id} {due.channel}"]
        return self._post(row, due, now)

    def _post(self, row: DigestDelivery, due: Due, now: dt.datetime) -> list[str]:
        try:
            replies = self._compose(due, now)
            ts = self.publisher.post_digest(due.channel, replies, due.meeting_id)
        except Exception as exc:
            log.warning("Posting digest for meeting %s failed: %s", due.meeting_id, exc)
            return self._failed(row, due, now, exc)
        self._finish(row, now, ts)
        return [f"posted {due.meeting_id} {due.channel}"]

    def _finish(self, row: DigestDelivery, now: dt.datetime, ts: str) -> None:
        with transaction(self.sessions) as session:
            deliveries.transition(
                session, row, ("posting",), now, status="posted", message_ts=ts, posted_at=now, last_error=""
            )

    def _failed(self, row: DigestDelivery, due: Due, now: dt.datetime, exc: Exception) -> list[str]:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        retry_at = now + self.retry_base * 2 ** (row.attempts - 1)
        if row.attempts < self.max_attempts and retry_at < due.starts_at:
            with transaction(self.sessions) as session:
                deliveries.transition(
                    session,
                    row,
                    ("posting",),
                    now,
                    status="retry",
                    next_attempt_at=retry_at,
                    last_error=error,
                )
            return [f"retry {due.meeting_id} {due.channel} at {retry_at.isoformat()}"]
        with transaction(self.sessions) as session:
            row = (
                deliveries.transition(session, row, ("posting",), now, status="failed", last_error=error)
                or row
            )
        self._report(
            row,
            due,
            f"Sammendraget før møte {self._label(due)} kunne ikke postes i "
            f"{due.channel} etter {row.attempts} forsøk. Siste feil: {error}",
        )
        return [f"failed {due.meeting_id} {due.channel}"]

    def _preview(self, row: DigestDelivery, due: Due, now: dt.datetime) -> list[str]:
        channel = self._secretariat(due)
        try:
            replies = self._compose(due, now)
            ts = self.publisher.post_preview(channel, replies, row.id)
        except Exception as exc:
            log.warning("Preview for meeting %s failed: %s", due.meeting_id, exc)
            with transaction(self.sessions) as session:  # the lease expires and it is tried again
                deliveries.transition(session, row, ("preview",), now, last_error=str(exc)[:2000])
            return [f"preview failed {due.meeting_id}"]
        with transaction(self.sessions) as session:
            deliveries.transition(
                session, row, ("preview",), now, status="awaiting", preview_channel=channel, preview_ts=ts
            )
        return [f"preview {due.meeting_id} {channel}"]

    def _expire(self, now: dt.datetime) -> list[str]:
        """Close open rows of meetings that have begun or were cancelled; tell the secretariat."""
        done = []
        with self.sessions() as session:
            rows = deliveries.waiting_until(session, self._today(now) + dt.timedelta(days=1))
        for row, meeting, council in rows:
            due = self.due(council, meeting)
            if meeting.status != "cancelled" and now < due.starts_at:
                continue
            status = "cancelled" if meeting.status == "cancelled" else "expired"
            with transaction(self.sessions) as session:
                row = deliveries.transition(session, row, (row.status,), now, status=status)
            if row is None:
                continue
            if status == "expired":
                self._report(
                    row,
                    due,
                    f"Sammendraget før møte {self._label(due)} ble ikke postet: "
                    "møtet har begynt uten at det ble godkjent eller kunne postes.",
                )
            done.append(f"{status} {meeting.id} {row.channel}")
        return done

    def post_now(self, meeting_id: int, now: dt.datetime | None = None) -> str:
        """Post a meeting's digest at once (`radsbot digest --post`), through the same ledger.

        Raises:
            SchedulingError: the meeting has begun, or its digest is posted or being posted.
        """
        now = (now or self.now()).astimezone(dt.UTC)
        with transaction(self.sessions) as session:
            meeting = session.get(Meeting, meeting_id)
            due = self.due(meeting.council, meeting)
            row = deliveries.of_meeting(session, meeting_id, due.channel, now)
        if row is not None and row.channel != due.channel:
            if row.status in ("posted", "posting"):
                raise SchedulingError(f"{_already(row.status)} (i {row.channel}).")
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
            elif row.status in deliveries.WAITING_STATES:
                row = deliveries.take_over(session, row, row.status, "posting", self.worker, now, self.lease)
            else:
                raise SchedulingError(_already(row.status))
        if row is None:
            raise SchedulingError("En annen prosess poster sammendraget akkurat nå.")
        done = self._post(row, due, now)
        if not done[0].startswith("posted"):
            raise SchedulingError(
                f"Sammendraget kunne ikke postes nå ({done[0]}); se «radsbot schedule --status»."
            )
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
            return decide(session, delivery_id, user, status, now or self.now())

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

    def _label(self, due: Due) -> str:
        with self.sessions() as session:
            meeting = session.get(Meeting, due.meeting_id)
            return f"{meeting.council.short_name} {meeting.number} ({meeting.date:%d.%m.%Y})"

    def _report(self, row: DigestDelivery, due: Due, text: str) -> None:
        try:
            self.publisher.notify(self._secretariat(due), text)
        except Exception:
            log.exception("Could not report to the secretariat: %s", text)
            return
        with transaction(self.sessions) as session:
            deliveries.transition(session, row, (row.status,), self.now(), failure_reported=True)


class SchedulingError(Exception):
    """A refused approval or cancellation; the message is Norwegian."""


def decide(session: Session, delivery_id: int, user: str, status: str, now: dt.datetime) -> DigestDelivery:
    """Approve (`approved`) or cancel (`cancelled`) an awaiting preview, in the caller's transaction.

    Raises:
        SchedulingError: no such digest, or it is no longer awaiting a decision.
    """
    row = deliveries.by_id(session, delivery_id)
    if row is None:
        raise SchedulingError("Fant ikke dette sammendraget i loggen.")
    decided = deliveries.transition(session, row, ("awaiting",), now, status=status, approved_by=user)
    if decided is None:
        raise SchedulingError(_already(row.status))
    return decided


def _already(status: str) -> str:
    words = {
        "approved": "allerede godkjent",
        "cancelled": "avbrutt",
        "posted": "allerede postet",
        "expired": "utløpt – møtet har begynt",
        "failed": "feilet",
        "posting": "i ferd med å postes",
    }
    return f"Sammendraget er {words.get(status, status)} og kan ikke endres nå."


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; they were stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
