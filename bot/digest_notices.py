"""What the scheduler tells the secretariat, in its language: what failed, what is missing, what to do.

The technical error stays in the log and the ledger (`last_error`); these texts only say what
went wrong in words the secretariat can act on (each transport explains its own errors: Publisher.explain).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from radsbot.bot.publisher import Trouble
from radsbot.data.models import Meeting
from radsbot.data.words import words
from radsbot.reports import formatting as fmt


def label(meeting: Meeting, lang: str = "nb") -> str:
    """The meeting as the notices name it: "NUIT 4/2026 (03.12.2026)"."""
    return f"{meeting.council.short_name} {meeting.number} ({fmt.short_date(meeting.date, lang)})"


def post_command(meeting: Meeting) -> str:
    """The command that posts (or finishes) this meeting's digest by hand."""
    return f"«radsbot digest --council {meeting.council.code} --meeting {meeting.number} --post»"


def listing(names: list[str], lang: str = "nb") -> str:
    """ "A", "A og B", "A, B og C"."""
    return words(lang).both(names) if names else ""


def at(moment: dt.datetime, tz: ZoneInfo, lang: str = "nb") -> str:
    """ "3. desember 2026 kl. 08.01" in the calendar's time zone."""
    local = moment.astimezone(tz)
    clock = fmt.clock(f"{local:%H:%M}", lang)
    return words(lang)._("{date} at {time}", date=fmt.date(local.date(), lang), time=clock)


def retrying(meeting: Meeting, channel: str, trouble: Trouble, when: str, lang: str = "nb") -> str:
    """A failure someone must fix, reported at once: it is tried again at `when`."""
    w = words(lang)
    return w._(
        "The digest before meeting {meeting} could not be posted in {channel}. {trouble} "
        "Rådsbot tries again {when}.",
        meeting=label(meeting, lang),
        channel=channel,
        trouble=w.text(trouble.problem),
        when=when,
    )


def gave_up(
    meeting: Meeting, channel: str, attempts: int, trouble: Trouble, missing: list[str], lang: str = "nb"
) -> str:
    """No more attempts: what is (not) in the channel, why, and how to finish it by hand."""
    w = words(lang)
    fields = {
        "meeting": label(meeting, lang),
        "channel": channel,
        "trouble": w.text(trouble.problem),
        "tries": w.ngettext("{count} attempt", "{count} attempts", attempts, count=attempts),
        "command": post_command(meeting),
    }
    if missing:
        return w._(
            "The digest before meeting {meeting} is posted in {channel}, but the thread lacks {missing}. "
            "{trouble} Rådsbot gave up after {tries}. When the error is fixed, {command} finishes the "
            "thread (without a new overview).",
            missing=listing(missing, lang),
            **fields,
        )
    return w._(
        "The digest before meeting {meeting} could not be posted in {channel}. {trouble} Rådsbot gave "
        "up after {tries}. When the error is fixed, it can be posted with {command} before the meeting "
        "begins.",
        **fields,
    )


def incomplete_at_start(meeting: Meeting, channel: str, missing: list[str], lang: str = "nb") -> str:
    """The meeting began with the thread still missing parts."""
    return words(lang)._(
        "Meeting {meeting} has begun, and the digest's thread in {channel} is incomplete: it lacks "
        "{missing}. Rådsbot posts nothing more after the meeting has begun; add what is missing "
        "yourself if it is needed.",
        meeting=label(meeting, lang),
        channel=channel,
        missing=listing(missing, lang),
    )


def expired(meeting: Meeting, lang: str = "nb") -> str:
    """The meeting began before the digest was approved or could be posted."""
    return words(lang)._(
        "The digest before meeting {meeting} was not posted: the meeting began before it was "
        "approved or could be posted.",
        meeting=label(meeting, lang),
    )
