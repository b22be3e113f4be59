"""Measurement periods and days: parse "2025", "2025-Q3", "2025-11" or "2025-11-01" into a
canonical period, and find the days written in a text (the one set of date patterns)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from radsbot.data.errors import DomainError
from radsbot.data.fields import quote
from radsbot.data.words import LOCALES, join, msg


class PeriodError(DomainError, ValueError):
    """A period or day that cannot be understood; the message says what to write."""


@dataclass(frozen=True, order=True)
class Period:
    """A canonical period: kind, label and the first and last day it covers."""

    end: dt.date
    start: dt.date
    kind: str  # year | quarter | month | date
    label: str  # "2025", "2025-Q3", "2025-11", "2025-11-01"


_YEAR = re.compile(r"^(\d{4})$")
# 2025-Q3, 2025Q3, 2025-K3, Q3 2025, K3-2025, 3. kvartal 2025
_QUARTER = (
    re.compile(r"^(\d{4})\s*[-/ ]?\s*[QK]([1-4])$", re.IGNORECASE),
    re.compile(r"^[QK]([1-4])\s*[-/ ]?\s*(\d{4})$", re.IGNORECASE),
    re.compile(r"^([1-4])\.?\s*kvartal\s*(\d{4})$", re.IGNORECASE),
)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
# A day as staff and chat users write it: 2025-11-20 (ISO) or 20.11.2025; as (year, month, day) groups.
ISO_DAY = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
NUMERIC_DAY = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")

FORMATS_HELP = msg("Write for example 2025, 2025-Q3, 2025-11 or 2025-11-01 (also 1.11.2025).")


def parse_period(raw: object) -> Period:
    """Parse a period written the way staff write them.

    Raises:
        PeriodError: with a Norwegian message naming the value and the accepted forms.
    """
    text = _as_text(raw)
    if not text:
        raise PeriodError(join(msg("The period is missing."), FORMATS_HELP))
    if m := _YEAR.match(text):
        year = _year(int(m[1]), text)
        return Period(dt.date(year, 12, 31), dt.date(year, 1, 1), "year", str(year))
    for i, pattern in enumerate(_QUARTER):
        if m := pattern.match(text):
            year, quarter = (int(m[1]), int(m[2])) if i == 0 else (int(m[2]), int(m[1]))
            return quarter_period(_year(year, text), quarter)
    if m := _MONTH.match(text):
        year, month = _year(int(m[1]), text), int(m[2])
        if not 1 <= month <= 12:
            problem = msg("{value} has month {month}, which does not exist.", value=quote(text), month=month)
            raise PeriodError(join(problem, FORMATS_HELP))
        last = calendar.monthrange(year, month)[1]
        return Period(dt.date(year, month, last), dt.date(year, month, 1), "month", f"{year}-{month:02d}")
    try:
        day = parse_day(text)
    except PeriodError as exc:
        raise PeriodError(join(exc.problem, FORMATS_HELP)) from None
    if day is not None:
        _year(day.year, text)
        return Period(day, day, "date", day.isoformat())
    raise PeriodError(
        join(msg("{value} is not a period Rådsbot understands.", value=quote(text)), FORMATS_HELP)
    )


def parse_day(text: str) -> dt.date | None:
    """A date written as 2025-11-20 or 20.11.2025, or None when the text is not written as a date.

    Raises:
        PeriodError: the text is written as a date that does not exist (2025-02-30).
    """
    text = text.strip()
    for pattern, order in ((ISO_DAY, (1, 2, 3)), (NUMERIC_DAY, (3, 2, 1))):
        if m := pattern.fullmatch(text):
            try:
                return dt.date(*(int(m[i]) for i in order))
            except ValueError:
                raise PeriodError(msg("{value} is not a valid date.", value=quote(text))) from None
    return None


def is_iso_day(text: str) -> bool:
    """Whether the text is written as an ISO date (2025-11-20), whether or not the day exists."""
    return ISO_DAY.fullmatch(text.strip()) is not None


def find_day(text: str) -> tuple[str, str] | None:
    """The first day of this century written in a (folded, lower-case) text, as ISO ("2025-11-20"),
    with the words it was written as; or None. The day is not checked.

    Written as 2025-11-20, 20.11.2025 or "20. november 2025" (month names in bokmål or English).
    """
    for m in ISO_DAY.finditer(text):
        if m[1].startswith("20"):
            return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", m[0]
    for m in NUMERIC_DAY.finditer(text):
        if m[3].startswith("20"):
            return f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}", m[0]
    months, pattern = _long_day()
    for m in pattern.finditer(text):
        if m[3].startswith("20"):
            return f"{m[3]}-{months[m[2]]:02d}-{int(m[1]):02d}", m[0]
    return None


@lru_cache(maxsize=1)
def _long_day() -> tuple[dict[str, int], re.Pattern]:
    """Month names of every language (from Babel's locale data) and the pattern of "20. november 2025"."""
    from babel.dates import get_month_names

    months = {
        name.casefold(): number
        for locale in LOCALES.values()
        for number, name in get_month_names("wide", locale=locale).items()
    }
    names = "|".join(sorted(months, key=len, reverse=True))
    return months, re.compile(rf"\b(\d{{1,2}})\.?\s*({names})\s+(\d{{4}})\b")


def quarter_period(year: int, quarter: int) -> Period:
    """The period of a calendar quarter."""
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    end = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
    return Period(end, dt.date(year, first_month, 1), "quarter", f"{year}-Q{quarter}")


def quarter_of(day: dt.date) -> str:
    """The quarter label ("2026-Q2") a day falls in."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _as_text(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    text = str(raw).strip()
    return "" if text.lower() in {"nan", "nat", "none"} else text


def _year(year: int, text: str) -> int:
    if not 1990 <= year <= 2100:
        problem = msg("{value} has the year {year}, outside 1990–2100.", value=quote(text), year=year)
        raise PeriodError(join(problem, FORMATS_HELP))
    return year
