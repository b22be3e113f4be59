"""The digest calendar rule: when each meeting's digest (and preview) is due, and which are coming."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from radsbot.data.db import Session
from radsbot.data.models import Council, Meeting
from radsbot.data.queries import digest_meetings


@dataclass(frozen=True)
class Due:
    """When a meeting's digest is due: preview (if any), posting, and the meeting's start."""

    meeting_id: int
    council_code: str
    channel: str
    preview_at: dt.datetime | None
    post_at: dt.datetime
    starts_at: dt.datetime


def due_times(council: Council, meeting: Meeting, tz: ZoneInfo) -> Due:
    """The calendar rule: preview, posting and start of a meeting's digest under the council's settings.

    The digest is posted `digest_lead_days` before the meeting at `digest_hour` (never after the
    meeting starts); a preview goes to the secretariat a day before that when asked for.
    """
    hour, minute = _clock(meeting.start_time)
    starts = dt.datetime.combine(meeting.date, dt.time(hour, minute), tz)
    post_day = meeting.date - dt.timedelta(days=council.digest_lead_days)
    post_at = min(dt.datetime.combine(post_day, dt.time(council.digest_hour), tz), starts)
    preview_at = post_at - dt.timedelta(days=1) if council.preview_first else None
    return Due(meeting.id, council.code, council.slack_channel, preview_at, post_at, starts)


def upcoming_digests(
    session: Session, now: dt.datetime, tz: ZoneInfo, council: Council | None = None
) -> list[Due]:
    """Digests of planned meetings (of councils with a channel) that have not begun, soonest first."""
    pairs = digest_meetings(session, now.astimezone(tz).date(), council.id if council is not None else None)
    found = [due_times(c, m, tz) for m, c in pairs]
    instant = now.astimezone(dt.UTC)  # an absolute comparison, also in the hour that comes twice
    return [d for d in found if d.starts_at > instant]


def _clock(text: str) -> tuple[int, int]:
    try:
        hour, minute = (int(p) for p in text.replace(".", ":").split(":")[:2])
        return hour, minute
    except ValueError:
        return 10, 0
