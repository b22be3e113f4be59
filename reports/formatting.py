"""Numbers, values, dates and periods formatted for readers: Norwegian bokmål by default (babel)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal

LOCALES = {"nb": "nb_NO", "en": "en_GB"}
# Units shown after the number with a space; "%" gets a (non-breaking) space too, as in "30,5 %".
UNIT_WORDS = {
    "nb": {"antall": ""},
    "en": {
        "antall": "",
        "dager": "days",
        "kommuner": "municipalities",
        "søknader": "applications",
        "pasienter": "patients",
        "helsefellesskap": "health communities",
        "brukere": "users",
        "oppslag": "look-ups",
        "helseregistre": "health registries",
        "virksomheter": "organisations",
        "besøk per måned": "visits per month",
        "plass": "place",
        "prosjekter": "projects",
    },
}
NBSP = "\u00a0"
# How far an indicator's data source is: the words for the stored values.
READINESS = {
    "nb": {"klar": "Klar", "under_arbeid": "Under arbeid", "fremtidig": "Fremtidig"},
    "en": {"klar": "Ready", "under_arbeid": "In progress", "fremtidig": "Future"},
}
# Values and meetings that are example data say so wherever they are shown.
EXAMPLE_MARK = {"nb": "eksempeldata", "en": "example data"}
EXAMPLE_NOTE = {
    "nb": "Tall merket «eksempeldata» er illustrerende, ikke offisielle tall.",
    "en": "Figures marked “example data” are illustrative, not official figures.",
}


@lru_cache(maxsize=4096)
def number(value: float, lang: str = "nb", decimals: int | None = None) -> str:
    """A number with the locale's separators: 30,5 and 115 678 in bokmål."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() or abs(value) >= 100 else 1
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    # + 0.0 turns a negative zero (an imported "-0", or −0.04 rounded) into 0: no "-0 %".
    return format_decimal(round(value, decimals) + 0.0, format=pattern, locale=LOCALES[lang])


def plain_number(value: float, lang: str = "nb") -> str:
    """A number as spreadsheets read it: every decimal kept, no grouping; "30,5" in bokmål."""
    # Fifteen significant digits are what a float holds exactly and what Excel shows.
    return format_decimal(float(f"{value:.15g}") + 0.0, format="0.###############", locale=LOCALES[lang])


def value(val: float | None, unit: str = "%", lang: str = "nb", decimals: int | None = None) -> str:
    """A measured value with its unit: "30,5 %", "2 150", "106 dager"; "–" when missing."""
    if val is None:
        return "–"
    text = number(val, lang, decimals)
    if unit == "%":
        return f"{text}{NBSP}%"
    word = UNIT_WORDS.get(lang, {}).get(unit, unit)
    return f"{text} {word}".rstrip()


def change(delta: float | None, unit: str = "%", lang: str = "nb") -> str:
    """A signed change: "+2,1 prosentpoeng", "−53 dager"; "–" when missing."""
    if delta is None:
        return "–"
    magnitude = number(abs(delta), lang)
    if not any(ch in "123456789" for ch in magnitude):  # rounds to zero: no direction to show
        delta, magnitude = 0.0, number(0.0, lang)
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    if unit == "%":
        return f"{sign}{magnitude} {'prosentpoeng' if lang == 'nb' else 'percentage points'}"
    word = UNIT_WORDS.get(lang, {}).get(unit, unit)
    return f"{sign}{magnitude} {word}".rstrip()


def date(day: dt.date | None, lang: str = "nb") -> str:
    """A date as "20. november 2025" (or "20 November 2025")."""
    if day is None:
        return "–"
    pattern = "d. MMMM y" if lang == "nb" else "d MMMM y"
    return _babel_date(day, pattern, locale=LOCALES[lang])


def meeting_number(number: str, day: dt.date | None, lang: str = "nb") -> str:
    """A meeting's number ("4/2025"), or its date ("13. februar 2025") when no document numbers it.

    Such meetings are stored under their ISO date ("2025-02-13"), which readers should not see.
    """
    return number if "/" in number else date(day, lang)


def target(val: float, unit: str, label: str, day: dt.date | None, lang: str = "nb") -> str:
    """An ambition's target and when: "30 % innen desember 2029" (just "30 %" without a date).

    A stored label ("desember 2029", "4. kvartal 2027") is bokmål; English shows the date's month.
    """
    text = value(val, unit, lang)
    when = (label if lang == "nb" or not day else "") or (month(day, lang) if day else "")
    return f"{text} {'innen' if lang == 'nb' else 'by'} {when}" if when else text


def marked(text: str, is_example: bool, lang: str = "nb") -> str:
    """The text with " (eksempeldata)" after it when what it shows is example data."""
    return f"{text} ({EXAMPLE_MARK[lang]})" if is_example else text


def readiness(value: str, lang: str = "nb") -> str:
    """An indicator's data readiness for readers: "Klar", "Under arbeid" or "Fremtidig"."""
    return READINESS[lang].get(value, value)


def file_stem(kind: str, council_code: str, ref: str) -> str:
    """A document's file name without extension: "toppnotat-nuit-41-25", "sammendrag-nuit-2026-Q4"."""
    return f"{kind}-{council_code}-{ref.replace('/', '-')}"


def clock(hhmm: str, lang: str = "nb") -> str:
    """A time of day "10:00" as "10.00" in bokmål (as the council papers write it), "10:00" in English."""
    return hhmm.replace(":", ".") if lang == "nb" else hhmm


def month(day: dt.date | None, lang: str = "nb") -> str:
    """A month as "desember 2029"."""
    if day is None:
        return "–"
    return _babel_date(day, "MMMM y", locale=LOCALES[lang])


def period(label: str, lang: str = "nb") -> str:
    """A period label for readers: "2025", "3. kvartal 2025", "november 2025", "1. november 2025"."""
    parts = label.split("-")
    if len(parts) == 1:
        return label
    if parts[1].startswith("Q"):
        quarter = parts[1][1:]
        return f"{quarter}. kvartal {parts[0]}" if lang == "nb" else f"Q{quarter} {parts[0]}"
    if len(parts) == 2:
        return month(dt.date(int(parts[0]), int(parts[1]), 1), lang)
    return date(dt.date.fromisoformat(label), lang)
