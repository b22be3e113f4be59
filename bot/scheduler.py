"""Digest scheduling: post each council's digest once per channel, a set number of days before each meeting.

The worker does not keep a schedule of its own. Every minute (APScheduler, `radsbot schedule`)
it reads the meeting calendar and the delivery ledger (data/deliveries.py) and does what is due:

* meetings added, moved or cancelled after start-up are honoured without a restart;
* a digest missed while the worker was down is posted when it is back, if the meeting has not
  begun — never after;
* exactly once per meeting and channel, also with several workers on one database: each post
  is claimed in the ledger first (INSERT … ON CONFLICT DO NOTHING), and only the claimant posts;
* a thread is complete before it counts as posted: the ledger records each part of the thread
  (overview, goal replies, continuations, charts) as the transport takes it, and a retry or a
  worker recovering from a crash posts only what is missing, never a second overview.

A council may have a channel on several transports (Slack, Teams); each is a delivery of its
own, posted through that transport's Publisher (bot/publisher.py), with its own preview and
notices in the secretariat's channel on the same transport.

Crash mid-post: the claim carries a lease (10 minutes by default, renewed with every part).
When a lease expires, the next worker takes the digest over, looks in the channel for what the
crashed worker posted but could not record (each part is keyed), and finishes the thread. The
cost of a crash is a delay of up to one lease. Every post, preview, retry, failure, recovery,
expiry and cancellation is written to the audit log (bot/digest_steps.py does each step).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace

from radsbot.bot import digest_notices as notices
from radsbot.bot.digest_calendar import Due, due_times, upcoming_digests
from radsbot.bot.digest_decisions import SchedulingError, already, decide
from radsbot.bot.digest_steps import SCHEDULER, DigestSteps, aware, begun_thread, expired_lease
from radsbot.bot.publisher import Publisher
from radsbot.data import deliveries
from radsbot.data.db import Session, transaction
from radsbot.data.destinations import Channel, channels
from radsbot.data.models import Council, DigestDelivery, Meeting
from radsbot.data.statuses import DeliveryState, MeetingStatus
from radsbot.data.words import join, msg

log = logging.getLogger(__name__)

__all__ = ["DigestScheduler", "Publisher", "SchedulingError", "decide"]

S = DeliveryState


class DigestScheduler(DigestSteps):
    """Posts due digests; call `tick()` periodically (or with an explicit `now` in tests)."""

    # -- the calendar --------------------------------------------------------------------

    def due(self, council: Council, meeting: Meeting, channel: Channel | None = None) -> Due:
        """The due times of one meeting's digest under the council's settings."""
        return due_times(council, meeting, self.tz, channel)

    def upcoming(self, session: Session, now: dt.datetime, council: Council | None = None) -> list[Due]:
        """Digests of planned meetings that have not begun, per channel this worker can post to."""
        return upcoming_digests(session, now, self.tz, council, self.publishers)

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
                log.exception("Digest for meeting %s in %s failed", due.meeting_id, due.channel)
        done.extend(self._expire(now))
        return done

    def _advance(self, due: Due, now: dt.datetime) -> list[str]:
        with transaction(self.sessions) as session:
            row = deliveries.of_meeting(session, due.meeting_id, due.channel, now)
        if row is not None and row.address != due.channel.address:
            if not begun_thread(row):
                return []  # posted (or closed) in the council's former channel: not again here
            due = replace(due, channel=deliveries.channel_of(row))  # a thread is finished where it began
        if row is None:
            first = S.PREVIEW if due.preview_at else S.POSTING
            with transaction(self.sessions) as session:
                row = deliveries.claim_new(
                    session, due.meeting_id, due.channel, first, self.worker, now, self.lease
                )
            if row is None:
                return []  # another worker was first
            return self._preview(row, due, now) if first == S.PREVIEW else self._post(row, due, now)[0]
        if row.status == S.APPROVED and now >= due.post_at:
            return self._take_and_post(row, S.APPROVED, due, now)
        if row.status == S.RETRY and row.next_attempt_at and now >= aware(row.next_attempt_at):
            return self._take_and_post(row, S.RETRY, due, now)
        if row.status in (S.POSTING, S.PREVIEW) and expired_lease(row, now):
            return self._recover(row, due, now)
        return []

    def _take_and_post(self, row: DigestDelivery, expected: str, due: Due, now: dt.datetime) -> list[str]:
        with transaction(self.sessions) as session:
            taken = deliveries.take_over(session, row, expected, S.POSTING, self.worker, now, self.lease)
        return self._post(taken, due, now)[0] if taken else []  # None: another worker was first

    def _recover(self, row: DigestDelivery, due: Due, now: dt.datetime) -> list[str]:
        """A worker died holding the digest (its lease expired): take it over and finish it."""
        crashed = row.claimed_by
        with transaction(self.sessions) as session:
            taken = deliveries.take_over(session, row, row.status, row.status, self.worker, now, self.lease)
            if taken is None:
                return []
            self._audit(session, "digest_recover", taken, previous=crashed, step=taken.status)
        if taken.status == S.PREVIEW:
            return self._preview(taken, due, now)
        return [f"recovering {due.meeting_id} {due.channel}", *self._post(taken, due, now)[0]]

    def _expire(self, now: dt.datetime) -> list[str]:
        """Close open rows of meetings that have begun or were cancelled; tell the secretariat."""
        done = []
        with self.sessions() as session:
            rows = deliveries.open_until(session, self._today(now) + dt.timedelta(days=1), now)
        for row, meeting, council in rows:
            if row.transport not in self.publishers:
                continue  # another worker's transport: it closes its own rows
            due = self.due(council, meeting, deliveries.channel_of(row))
            if meeting.status != MeetingStatus.CANCELLED and now < due.starts_at:
                continue
            cancelled = meeting.status == MeetingStatus.CANCELLED
            status = S.CANCELLED if cancelled else (S.FAILED if row.root_ref else S.EXPIRED)
            with transaction(self.sessions) as session:
                closed = deliveries.transition(session, row, (row.status,), now, status=status)
                if closed is None:
                    continue
                missing = deliveries.missing(session, closed) if closed.root_ref else []
                action = "digest_cancelled" if cancelled else "digest_expired"
                self._audit(session, action, closed, "ok" if cancelled else "failed", missing=missing)
                # Read again in this session for the notice; a meeting deleted meanwhile gets none.
                current = session.get(Meeting, meeting.id)
                if current is None:
                    text = ""
                elif status == S.FAILED:
                    channel = str(due.channel)
                    text = (
                        notices.incomplete_at_start(current, channel, missing, self.lang) if missing else ""
                    )
                else:
                    text = "" if cancelled else notices.expired(current, self.lang)
            if text:
                self._report(closed, due, text)
            done.append(f"{status} {meeting.id} {due.channel}")
        return done

    # -- by hand ---------------------------------------------------------------------------

    def post_now(self, meeting_id: int, now: dt.datetime | None = None, actor: str = "cli") -> str:
        """Post a meeting's digest at once in every channel of the council (`radsbot digest
        --post`), through the same ledger; returns where it was posted ("#kanal").

        A digest that failed, is waiting for a retry, or whose worker died is taken over and its
        thread finished (never a second overview).

        Raises:
            SchedulingError: the meeting has begun, its digest is posted or being posted, or a
                channel could not be posted to (the others are posted all the same).
        """
        now = (now or self.now()).astimezone(dt.UTC)
        with self.sessions() as session:
            meeting = session.get(Meeting, meeting_id)
            if meeting is None:  # deleted since the caller found it
                raise SchedulingError(
                    msg("Found no meeting {meeting}{where}.", meeting=f"(id {meeting_id})", where="")
                )
            targets = [c for c in channels(meeting.council) if c.transport in self.publishers]
            due = self.due(meeting.council, meeting)
        if not targets:
            raise SchedulingError(
                msg("The council has no channel. Set it with «radsbot council set CODE --channel #channel».")
            )
        posted, problems = [], []
        for channel in targets:
            try:
                posted.append(self._post_now(replace(due, channel=channel), now, actor))
            except SchedulingError as exc:
                problems.append(exc.problem)
        if problems:
            raise SchedulingError(join(*problems))
        return notices.listing([str(c) for c in posted], self.lang)

    def _post_now(self, due: Due, now: dt.datetime, actor: str) -> Channel:
        """Post (or finish) the digest in one channel; where it was posted."""
        with transaction(self.sessions) as session:
            row = deliveries.of_meeting(session, due.meeting_id, due.channel, now)
        if row is not None and row.address != due.channel.address:
            if row.status == S.POSTED or (row.status == S.POSTING and not expired_lease(row, now)):
                channel = str(deliveries.channel_of(row))
                raise SchedulingError(
                    msg("{problem} (in {channel}).", problem=already(row.status), channel=channel)
                )
            if begun_thread(row):
                due = replace(due, channel=deliveries.channel_of(row))  # finish the thread where it began
            else:
                row = None  # failed or closed in the former channel: a manual post may go to the new one
        if now >= due.starts_at:
            raise SchedulingError(
                msg("The meeting has begun; the digest is not posted after the meeting starts.")
            )
        with transaction(self.sessions) as session:
            if row is None:
                row = deliveries.claim_new(
                    session, due.meeting_id, due.channel, S.POSTING, self.worker, now, self.lease
                )
            elif row.status in (*deliveries.WAITING_STATES, S.FAILED) or (
                row.status == S.POSTING and expired_lease(row, now)
            ):
                row = deliveries.take_over(session, row, row.status, S.POSTING, self.worker, now, self.lease)
            else:
                raise SchedulingError(already(row.status))
        if row is None:
            raise SchedulingError(msg("Another process is posting the digest right now."))
        done, trouble = self._post(row, due, now, actor)
        if not done[0].startswith("posted"):
            if done[0].startswith("retry"):
                then = msg("The scheduler tries again; see «radsbot schedule --status».")
            elif done[0].startswith("failed"):
                then = msg("Rådsbot has given up; fix the error and run the command again.")
            else:
                then = msg("Another process has taken the digest over.")
            reason = (trouble.problem,) if trouble else ()
            raise SchedulingError(join(msg("The digest could not be posted now."), *reason, then))
        return due.channel

    # -- approvals from the secretariat ---------------------------------------------------

    def approve(self, delivery_id: int, user: str, now: dt.datetime | None = None) -> DigestDelivery:
        """Approve an awaiting preview; it is posted at the due time (at once if that has passed)."""
        return self._decide(delivery_id, user, S.APPROVED, now)

    def cancel(self, delivery_id: int, user: str, now: dt.datetime | None = None) -> DigestDelivery:
        """Cancel an awaiting preview: nothing is posted for that meeting."""
        return self._decide(delivery_id, user, S.CANCELLED, now)

    def _decide(self, delivery_id: int, user: str, status: str, now: dt.datetime | None) -> DigestDelivery:
        with transaction(self.sessions) as session:
            return decide(session, delivery_id, user, status, now or self.now(), via=SCHEDULER)
