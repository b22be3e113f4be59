"""The digest calendar rule: when each meeting's digest (and preview) is due, and which are coming.

A meeting's digest is due once per channel the council has (one per transport); each is a
delivery of its own in the ledger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from radsbot.data.db import Session
from radsbot.data.destinations import Channel, channels
from radsbot.data.models import Council, Meeting
from radsbot.data.queries import digest_meetings


@dataclass(frozen=True)
class Due:
    """When a meeting's digest is due in one channel: preview (if any), posting, and the meeting's start."""

    meeting_id: int
    council_code: str
    channel: Channel
    preview_at: dt.datetime | None
    post_at: dt.datetime
    starts_at: dt.datetime


def due_times(council: Council, meeting: Meeting, tz: ZoneInfo, channel: Channel | None = None) -> Due:
    """The calendar rule: preview, posting and start of a meeting's digest under the council's settings.

    The digest is posted `digest_lead_days` before the meeting at `digest_hour` (never after the
    meeting starts); a preview goes to the secretariat a day before that when asked for. The
    times are the same in every channel; `channel` defaults to the council's first.
    """
    hour, minute = _clock(meeting.start_time)
    starts = dt.datetime.combine(meeting.date, dt.time(hour, minute), tz)
    post_day = meeting.date - dt.timedelta(days=council.digest_lead_days)
    post_at = min(dt.datetime.combine(post_day, dt.time(council.digest_hour), tz), starts)
    preview_at = post_at - dt.timedelta(days=1) if council.preview_first else None
    if channel is None:
        channel = next(iter(channels(council)), Channel("", ""))
    return Due(meeting.id, council.code, channel, preview_at, post_at, starts)


def upcoming_digests(
    session: Session,
    now: dt.datetime,
    tz: ZoneInfo,
    council: Council | None = None,
    transports: Collection[str] | None = None,
) -> list[Due]:
    """Digests of planned meetings that have not begun, one per channel (on `transports`, when
    given), soonest first."""
    pairs = digest_meetings(session, now.astimezone(tz).date(), council.id if council is not None else None)
    found = [
        due_times(c, m, tz, channel)
        for m, c in pairs
        for channel in channels(c)
        if transports is None or channel.transport in transports
    ]
    instant = now.astimezone(dt.UTC)  # an absolute comparison, also in the hour that comes twice
    return [d for d in found if d.starts_at > instant]


def _clock(text: str) -> tuple[int, int]:
    try:
        hour, minute = (int(p) for p in text.replace(".", ":").split(":")[:2])
        return hour, minute
    except ValueError:
        return 10, 0
