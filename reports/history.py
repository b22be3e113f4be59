"""A series sliced by the period a question asks for: the value at a period, and a history.

Periods asked for in chat ("2024", "3. kvartal 2024", "i fjor", "forrige kvartal", "siste tre år",
"siden 2022") are resolved against the asking day into a span of days; a measurement belongs to
the span when its period ends inside it, so "2024" finds the yearly value of 2024 and, for a
quarterly series, the value of 4th quarter 2024 (the one at the end of the year).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from radsbot.data.periods import quarter_period
from radsbot.reports.analytics import Point, _prepare


@dataclass(frozen=True)
class AskedPeriod:
    """A period as asked: kind "year", "quarter", "last_year", "this_year", "last_quarter",
    "last_years" (`number` of them), "since" (from `year`) or "all"."""

    kind: str
    year: int | None = None
    number: int = 0


@dataclass(frozen=True)
class Span:
    """The days a period covers, and its label ("2024", "2024-Q3") when it is one stored period."""

    start: dt.date
    end: dt.date
    label: str = ""


def resolve(asked: AskedPeriod, today: dt.date) -> Span:
    """The days an asked period covers, relative periods counted back from `today`."""
    if asked.kind in ("year", "last_year", "this_year"):
        offset = {"year": 0, "last_year": 1, "this_year": 0}[asked.kind]
        year = asked.year if asked.kind == "year" and asked.year else today.year - offset
        return Span(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))
    if asked.kind in ("quarter", "last_quarter"):
        if asked.kind == "quarter" and asked.year:
            year, quarter = asked.year, asked.number
        else:
            current = (today.month - 1) // 3 + 1
            year, quarter = (today.year, current - 1) if current > 1 else (today.year - 1, 4)
        period = quarter_period(year, quarter)
        return Span(period.start, period.end, period.label)
    if asked.kind == "last_years":
        years = max(1, asked.number)
        return Span(_years_back(today, years), today)
    if asked.kind == "since" and asked.year:
        return Span(dt.date(asked.year, 1, 1), today)
    return Span(dt.date.min, today)


def _years_back(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def points(series: pd.DataFrame | None) -> list[Point]:
    """The series as points, oldest first (one per period end, rows without a value left out)."""
    s = _prepare(series)
    return [s.point(i) for i in range(len(s.values))]


def within(series: pd.DataFrame | None, span: Span) -> list[Point]:
    """The measurements whose period ends inside the span, oldest first."""
    return [p for p in points(series) if span.start <= p.period_end <= span.end]


def value_at(series: pd.DataFrame | None, span: Span) -> Point | None:
    """The measurement at the end of the span: the last one whose period ends inside it, or None."""
    found = within(series, span)
    return found[-1] if found else None


def nearest(series: pd.DataFrame | None, span: Span) -> tuple[Point | None, Point | None]:
    """The last measurement before the span and the first after it (None where there is none)."""
    every = points(series)
    before = [p for p in every if p.period_end < span.start]
    after = [p for p in every if p.period_end > span.end]
    return (before[-1] if before else None, after[0] if after else None)
