"""What the scheduler tells the secretariat, in Norwegian: what failed, what is missing, what to do.

The technical error stays in the log and the ledger (`last_error`); these texts only say what
went wrong in words the secretariat can act on (each transport explains its own errors: Publisher.explain).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from radsbot.bot.publisher import Trouble
from radsbot.data.models import Meeting
from radsbot.reports import formatting as fmt


def label(meeting: Meeting) -> str:
    """The meeting as the notices name it: "NUIT 4/2026 (03.12.2026)"."""
    return f"{meeting.council.short_name} {meeting.number} ({meeting.date:%d.%m.%Y})"


def post_command(meeting: Meeting) -> str:
    """The command that posts (or finishes) this meeting's digest by hand."""
    return f"«radsbot digest --council {meeting.council.code} --meeting {meeting.number} --post»"


def listing(names: list[str]) -> str:
    """ "A", "A og B", "A, B og C"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} og {names[-1]}"


def at(moment: dt.datetime, tz: ZoneInfo) -> str:
    """ "3. desember 2026 kl. 08.01" in the calendar's time zone."""
    local = moment.astimezone(tz)
    return f"{fmt.date(local.date())} kl. {fmt.clock(f'{local:%H:%M}')}"


def retrying(meeting: Meeting, channel: str, trouble: Trouble, when: str) -> str:
    """A failure someone must fix, reported at once: it is tried again at `when`."""
    return (
        f"Sammendraget før møte {label(meeting)} kunne ikke postes i {channel}. {trouble.text} "
        f"Rådsbot prøver igjen {when}."
    )


def gave_up(meeting: Meeting, channel: str, attempts: int, trouble: Trouble, missing: list[str]) -> str:
    """No more attempts: what is (not) in the channel, why, and how to finish it by hand."""
    tries = "1 forsøk" if attempts == 1 else f"{attempts} forsøk"
    if missing:
        return (
            f"Sammendraget før møte {label(meeting)} er postet i {channel}, men tråden mangler "
            f"{listing(missing)}. {trouble.text} Rådsbot har gitt opp etter {tries}. Når feilen er "
            f"rettet, fullfører {post_command(meeting)} tråden (uten en ny oversikt)."
        )
    return (
        f"Sammendraget før møte {label(meeting)} kunne ikke postes i {channel}. {trouble.text} "
        f"Rådsbot har gitt opp etter {tries}. Når feilen er rettet, kan det postes med "
        f"{post_command(meeting)} før møtet begynner."
    )


def incomplete_at_start(meeting: Meeting, channel: str, missing: list[str]) -> str:
    """The meeting began with the thread still missing parts."""
    return (
        f"Møtet {label(meeting)} har begynt, og tråden med sammendraget i {channel} er ufullstendig: "
        f"den mangler {listing(missing)}. Rådsbot poster ikke mer etter møtestart; legg inn det som "
        "mangler selv om det trengs."
    )


def expired(meeting: Meeting) -> str:
    """The meeting began before the digest was approved or could be posted."""
    return (
        f"Sammendraget før møte {label(meeting)} ble ikke postet: møtet har begynt uten at det ble "
        "godkjent eller kunne postes."
    )
