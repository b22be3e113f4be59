"""Measurement periods: parse "2025", "2025-Q3", "2025-11" or "2025-11-01" into a canonical period."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from radsbot.data.fields import quote


class PeriodError(ValueError):
    """A period that cannot be understood; the message is Norwegian and says what to write."""


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
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NO_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")

FORMATS_HELP = "Skriv for eksempel 2025, 2025-Q3, 2025-11 eller 2025-11-01 (også 1.11.2025)."


def parse_period(raw: object) -> Period:
    """Parse a period written the way staff write them.

    Raises:
        PeriodError: with a Norwegian message naming the value and the accepted forms.
    """
    text = _as_text(raw)
    if not text:
        raise PeriodError(f"Perioden mangler. {FORMATS_HELP}")
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
            raise PeriodError(f"{quote(text)} har måned {month}, som ikke finnes. {FORMATS_HELP}")
        last = calendar.monthrange(year, month)[1]
        return Period(dt.date(year, month, last), dt.date(year, month, 1), "month", f"{year}-{month:02d}")
    try:
        day = parse_day(text)
    except PeriodError as exc:
        raise PeriodError(f"{exc} {FORMATS_HELP}") from None
    if day is not None:
        _year(day.year, text)
        return Period(day, day, "date", day.isoformat())
    raise PeriodError(f"{quote(text)} er ikke en periode Rådsbot forstår. {FORMATS_HELP}")


def parse_day(text: str) -> dt.date | None:
    """A date written as 2025-11-20 or 20.11.2025, or None when the text is not written as a date.

    Raises:
        PeriodError: the text is written as a date that does not exist (2025-02-30).
    """
    text = text.strip()
    for pattern, order in ((_ISO_DATE, (1, 2, 3)), (_NO_DATE, (3, 2, 1))):
        if m := pattern.match(text):
            try:
                return dt.date(*(int(m[i]) for i in order))
            except ValueError:
                raise PeriodError(f"{quote(text)} er ikke en gyldig dato.") from None
    return None


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
        raise PeriodError(f"{quote(text)} har året {year}, som er utenfor 1990–2100. {FORMATS_HELP}")
    return year
