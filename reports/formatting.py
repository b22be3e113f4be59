"""One formatter per concept, for every surface (chat, digest, documents): numbers, values with
their unit and period, dates, ambitions, verdicts, changes, meetings and goals.

Words come from the message catalogue (radsbot.data.words), numbers and dates from Babel in
the reader's locale: bokmål by default (`30,5 %`, `20. november 2025`), or English.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache

from babel.numbers import format_decimal
from radsbot.data.units import NBSP, unit_name, with_unit
from radsbot.data.words import (
    LANGUAGES,
    LOCALES,
    N_,
    STORED_LANGUAGE,
    N_n,
    N_p,
    did_you_mean,
    goal_label,
    words,
)

__all__ = ["LOCALES", "NBSP", "did_you_mean", "goal_label", "unit_name"]

PERCENTAGE_POINTS = N_n("{value} percentage point", "{value} percentage points")
# How far an indicator's data source is: the words for the stored values.
READINESS = {
    "klar": N_p("readiness", "Ready"),
    "under_arbeid": N_p("readiness", "In progress"),
    "fremtidig": N_p("readiness", "Future"),
}
FREQUENCY = {
    "arlig": N_p("frequency", "Annually"),
    "kvartalsvis": N_p("frequency", "Quarterly"),
    "lopende": N_p("frequency", "Continuously"),
}
AMBITION_STATUS = {"foreslått": N_p("ambition", "proposed"), "vedtatt": N_p("ambition", "adopted")}
MEETING_STATUS = {
    "planned": N_p("meeting status", "planned"),
    "held": N_p("meeting status", "held"),
    "cancelled": N_p("meeting status", "cancelled"),
}
GOAL_KINDS = {"overordnet": N_p("goal", "Overarching goal"), "strategisk": N_p("goal", "Strategic goal")}
INDICATOR_SETS = {"plan2023": N_p("indicator set", "Plan for realisation (2023)")}


class _ByLanguage(Mapping[str, str]):
    """{language: text} for a message, for callers that look a text up by language."""

    def __init__(self, message: str) -> None:
        self._message = message

    def __getitem__(self, lang: str) -> str:
        return words(lang)._(self._message)

    def __iter__(self):
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)


_EXAMPLE_NOTE = N_("Figures marked “example data” are illustrative, not official figures.")
# {language: text} for the modules that look these up by language (bot/digest_replies.py).
EXAMPLE_NOTE = _ByLanguage(_EXAMPLE_NOTE)
EXAMPLE_MARK = _ByLanguage(N_("example data"))


def example_note(lang: str = "nb") -> str:
    """The note under figures that include example data."""
    return words(lang)._(_EXAMPLE_NOTE)


@lru_cache(maxsize=4096)
def number(value: float, lang: str = "nb", decimals: int | None = None) -> str:
    """A number with the locale's separators: 30,5 and 115 678 in bokmål."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() or abs(value) >= 100 else 1
    return words(lang).number(value, decimals)


def plain_number(value: float, lang: str = "nb") -> str:
    """A number as spreadsheets read it: every decimal kept, no grouping; "30,5" in bokmål."""
    # Fifteen significant digits are what a float holds exactly and what Excel shows.
    return format_decimal(float(f"{value:.15g}") + 0.0, format="0.###############", locale=LOCALES[lang])


def value(val: float | None, unit: str = "%", lang: str = "nb", decimals: int | None = None) -> str:
    """A measured value with its unit: "30,5 %", "2 150", "106 dager"; "–" when missing."""
    if val is None:
        return "–"
    return with_unit(number(val, lang, decimals), unit, lang)


def change(delta: float | None, unit: str = "%", lang: str = "nb") -> str:
    """A signed change: "+2,1 prosentpoeng", "−53 dager"; "–" when missing."""
    if delta is None:
        return "–"
    magnitude = number(abs(delta), lang)
    if not any(ch in "123456789" for ch in magnitude):  # rounds to zero: no direction to show
        delta, magnitude = 0.0, number(0.0, lang)
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    if unit == "%":
        return sign + words(lang).text(PERCENTAGE_POINTS.fill(1 if magnitude == "1" else 2, value=magnitude))
    return sign + with_unit(magnitude, unit, lang)


def date(day: dt.date | None, lang: str = "nb") -> str:
    """A date as "20. november 2025" (or "20 November 2025")."""
    return "–" if day is None else words(lang).date(day)


def short_date(day: dt.date | None, lang: str = "nb") -> str:
    """A date in digits, as tables and notices write it: "20.11.2025" (or "20/11/2025")."""
    return "–" if day is None else words(lang).short_date(day)


def month(day: dt.date | None, lang: str = "nb") -> str:
    """A month as "desember 2029"."""
    return "–" if day is None else words(lang).month(day)


def clock(hhmm: str, lang: str = "nb") -> str:
    """A time of day "10:00" as the language writes it: "10.00" in bokmål (as the council papers
    write it), "10:00" in English."""
    hours, sep, minutes = hhmm.partition(":")
    if not sep:
        return hhmm
    return words(lang).pgettext("time of day", "{hours}:{minutes}", hours=hours, minutes=minutes)


def period(label: str, lang: str = "nb") -> str:
    """A period label for readers: "2025", "3. kvartal 2025", "november 2025", "1. november 2025"."""
    parts = label.split("-")
    if len(parts) == 1:
        return label
    if parts[1].startswith("Q"):
        return words(lang).pgettext("period", "Q{quarter} {year}", quarter=parts[1][1:], year=parts[0])
    if len(parts) == 2:
        return month(dt.date(int(parts[0]), int(parts[1]), 1), lang)
    return date(dt.date.fromisoformat(label), lang)


def measurement(val: float, unit: str, period_label: str, is_example: bool, lang: str = "nb") -> str:
    """A value with its period: "14,2 % (3. kvartal 2026)", "(eksempeldata)" after it for example data."""
    return marked(f"{value(val, unit, lang)} ({period(period_label, lang)})", is_example, lang)


def example_mark(lang: str = "nb") -> str:
    """The words that mark example data: "eksempeldata"."""
    return EXAMPLE_MARK[lang]


def marked(text: str, is_example: bool, lang: str = "nb") -> str:
    """The text with " (eksempeldata)" after it when what it shows is example data."""
    return f"{text} ({example_mark(lang)})" if is_example else text


def target(val: float, unit: str, label: str, day: dt.date | None, lang: str = "nb") -> str:
    """An ambition's target and when: "30 % innen desember 2029" (just "30 %" without a date).

    A stored label ("desember 2029", "4. kvartal 2027") is bokmål: readers of another language
    get the date's month instead.
    """
    text = value(val, unit, lang)
    when = (label if lang == STORED_LANGUAGE or not day else "") or (month(day, lang) if day else "")
    return words(lang)._("{target} by {when}", target=text, when=when) if when else text


def has_ambition(ambition) -> bool:
    """Whether an ambition says what to reach: a target value, or the document's own words."""
    if ambition is None or ambition.status == "ikke_foreslått":
        return False
    return ambition.target_value is not None or bool((ambition.wording or "").strip())


def ambition(ambition, unit: str, lang: str = "nb") -> str:
    """An indicator's ambition, the same on every surface.

    "30 % innen desember 2029 (foreslått)" with a target value; the document's own words,
    as stored, for an ambition without one ("«Øke med 20 %» (vedtatt)"); "Ingen ambisjon
    foreslått" when there is none, or none was proposed.
    """
    w = words(lang)
    if not has_ambition(ambition):
        return w._("No target proposed")
    if ambition.target_value is not None:
        text = target(ambition.target_value, unit, ambition.target_label, ambition.target_date, lang)
    else:
        text = w.pgettext("quoted", "“{text}”", text=ambition.wording.strip())
    return f"{text} ({ambition_status(ambition.status, lang)})"


def ambition_status(status: str, lang: str = "nb") -> str:
    """An ambition's status for readers: "foreslått", "vedtatt" (other stored values as stored)."""
    return _stored(AMBITION_STATUS, status, lang)


def verdict(verdict, lang: str = "nb") -> str:
    """The on-track verdict as readers see it: "På sporet", "Mangler data" …"""
    return verdict.label(lang)


def readiness(value: str, lang: str = "nb") -> str:
    """An indicator's data readiness for readers: "Klar", "Under arbeid" or "Fremtidig"."""
    return _stored(READINESS, value, lang)


def frequency(value: str, lang: str = "nb") -> str:
    """How often an indicator is updated: "Årlig", "Kvartalsvis", "Løpende"."""
    return _stored(FREQUENCY, value, lang)


def goal_kind(kind: str, lang: str = "nb") -> str:
    """ "Overordnet mål" or "Strategisk mål"; "" for a kind no table knows."""
    return _stored(GOAL_KINDS, kind, lang, unknown="")


def indicator_set(name: str, lang: str = "nb") -> str:
    """The indicator set an indicator belongs to, for readers ("Plan for realisering (2023)")."""
    return _stored(INDICATOR_SETS, name, lang)


def meeting_status(status: str, lang: str = "nb") -> str:
    """A meeting's status: "planlagt", "avholdt" or "avlyst" (capitalise it for a label)."""
    return _stored(MEETING_STATUS, status, lang)


def _stored(table: dict, value: str, lang: str, *, unknown: str | None = None) -> str:
    """A stored value's words for readers; a value the table lacks as stored (or `unknown`)."""
    known = table.get(value)
    if known is None:
        return value if unknown is None else unknown
    return words(lang).text(known)


def meeting_number(number: str, day: dt.date | None, lang: str = "nb") -> str:
    """A meeting's number ("4/2025"), or its date ("13. februar 2025") when no document numbers it.

    Such meetings are stored under their ISO date ("2025-02-13"), which readers should not see.
    """
    return number if "/" in number else date(day, lang)


def meeting(number: str, day: dt.date | None, lang: str = "nb", *, short: bool = False) -> str:
    """A meeting by number and date: "4/2025, 20. november 2025" (or "4/2025, 20.11.2025"); just
    the date for a meeting no document numbers."""
    when = short_date(day, lang) if short else date(day, lang)
    return f"{number}, {when}" if "/" in number else when


def quoted(text: str, lang: str = "nb") -> str:
    """A command or phrase to type, quoted as the language quotes: «status PLL», “status PLL”."""
    return words(lang).pgettext("quoted", "“{text}”", text=text)


def file_stem(kind: str, council_code: str, ref: str) -> str:
    """A document's file name without extension: "toppnotat-nuit-41-25", "sammendrag-nuit-2026-Q4"."""
    return f"{kind}-{council_code}-{ref.replace('/', '-')}"
