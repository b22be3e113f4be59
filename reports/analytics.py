"""Latest value, trend, projection and verdict for one indicator's national series.

Input is a DataFrame with columns ``period``, ``period_end`` (datetime.date), ``value`` and
``is_example``, in any order. Rows missing a value or period_end are ignored; the rest are
sorted by ``period_end`` and, when several share a ``period_end``, the last one in input order
wins.

Trend: the least-squares slope in value units per year, with x = period_end as a fractional
year (year + day of year / days in that year, so 31 December 2025 is 2026.0). The fit uses the
points that ended at most ``window_years`` before the latest point, at most the ``max_points``
latest of them, and always at least the two latest points.

Verdict rule, as implemented in ``assess`` (reason codes in brackets):

1. No points -> NO_DATA ("no_data"). No target, or a target without value or date -> NO_TARGET
   ("no_target"); latest, change and trend are still given, projected to 31 December 2030.
2. The latest value meets the target (>= for "up", <= for "down") -> REACHED ("target_met").
3. The target date has passed (today > target date) and it is not met -> OFF_TRACK
   ("target_passed").
4. Only one point -> UNCERTAIN ("one_point"): no trend yet.
5. Otherwise project linearly from the latest point with the trend slope to the target date:
   projection = latest + slope * years, where years = target date - latest period_end in
   fractional years (0 if the latest point ends on or after the target date). With s = +1 for
   "up" and -1 for "down": gap = s * (target - latest), progress = s * slope * years and
   gap_ratio = progress / gap, rounded to 9 decimals so that exact ties survive float noise.
   gap_ratio >= 1 -> ON_TRACK; 0.75 <= gap_ratio < 1 -> UNCERTAIN; gap_ratio < 0.75 ->
   OFF_TRACK, which includes a flat trend or one in the wrong direction ("gap_ratio").

A projection is only made when there is a slope and its date is not before ``today``; it is
linear and not clamped (a falling series may be projected below zero). There is no staleness
rule: an old latest point keeps its verdict, and callers may compare ``latest.period_end``
with ``today`` to warn about it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd
from radsbot.data.words import N_, N_p, words
from radsbot.reports import formatting as fmt

HORIZON = dt.date(2030, 12, 31)  # the strategy's horizon, used when there is no target date
ON_TRACK_RATIO = 1.0
UNCERTAIN_RATIO = 0.75

_LABELS = (
    N_p("verdict", "On track"),
    N_p("verdict", "Uncertain"),
    N_p("verdict", "Off track"),
    N_p("verdict", "Reached"),
    N_p("verdict", "No target"),
    N_p("verdict", "No data"),
)


class Verdict(StrEnum):
    """How an indicator stands against its target."""

    ON_TRACK = "pa_sporet"
    UNCERTAIN = "usikkert"
    OFF_TRACK = "ikke_pa_sporet"
    REACHED = "nadd"
    NO_TARGET = "mangler_ambisjon"
    NO_DATA = "mangler_data"

    def label(self, lang: str = "nb") -> str:
        """The verdict as readers see it: "På sporet" (nb) or "On track" (en)."""
        return words(lang).text(_LABELS[list(Verdict).index(self)])


@dataclass(frozen=True)
class Target:
    """A target value to reach by a date; label and status are carried for display only."""

    value: float | None
    date: dt.date | None
    label: str = ""
    status: str = ""


@dataclass(frozen=True)
class Point:
    """One measurement of the series."""

    period: str
    period_end: dt.date
    value: float
    is_example: bool


@dataclass(frozen=True)
class Assessment:
    """The result of `assess`: latest values, trend, projection and verdict with its reason."""

    latest: Point | None
    previous: Point | None
    change: float | None
    slope_per_year: float | None
    projection: float | None
    projection_date: dt.date | None
    verdict: Verdict
    reason: str
    gap_ratio: float | None
    points_used: int
    has_example_data: bool
    target: Target | None
    direction: str


@dataclass(frozen=True)
class _Series:
    """The cleaned series as numpy arrays, sorted by period end, one row per period end."""

    periods: np.ndarray
    ends: np.ndarray  # datetime64[D]
    x: np.ndarray  # fractional years
    values: np.ndarray
    example: np.ndarray

    def point(self, i: int) -> Point:
        return Point(str(self.periods[i]), self.ends[i].item(), float(self.values[i]), bool(self.example[i]))


def _year_fraction(days: np.ndarray) -> np.ndarray:
    """Dates as fractional years: the share of its year elapsed at the end of each day."""
    years = days.astype("datetime64[Y]")
    start = years.astype("datetime64[D]")
    length = ((years + 1).astype("datetime64[D]") - start).astype(np.int64)
    day_of_year = (days - start).astype(np.int64) + 1
    return (years.astype(np.int64) + 1970) + day_of_year / length


def _prepare(series: pd.DataFrame | None) -> _Series:
    """Sort, clean and de-duplicate the series with vectorised numpy operations only."""
    if series is None or len(series) == 0:
        empty = np.array([])
        return _Series(empty, empty.astype("datetime64[D]"), empty, empty, empty.astype(bool))
    values = series["value"].to_numpy(dtype="float64", na_value=np.nan)
    ends = series["period_end"].to_numpy()
    if ends.dtype.kind != "M":
        # pandas converts date objects in C; numpy's own object -> datetime64 cast is ~15x slower.
        ends = pd.DatetimeIndex(ends).to_numpy()
    ends = ends.astype("datetime64[D]")
    example = series["is_example"].to_numpy(dtype=bool, na_value=False)
    keep = np.flatnonzero(np.isfinite(values) & ~np.isnat(ends))
    # A stable sort keeps input order among equal ends, so the last row of a run wins below.
    order = keep[np.argsort(ends[keep], kind="stable")]
    if len(order) > 1:
        sorted_ends = ends[order]
        order = order[np.append(sorted_ends[1:] != sorted_ends[:-1], True)]
    periods = series["period"].to_numpy()[order]
    return _Series(periods, ends[order], _year_fraction(ends[order]), values[order], example[order])


def _window_start(x: np.ndarray, window_years: float, max_points: int) -> int:
    """Index of the first point used for the trend (see the module docstring)."""
    n = len(x)
    start = int(np.searchsorted(x, x[-1] - window_years, side="left"))
    return max(0, min(max(start, n - max_points), n - 2))


def _slope(x: np.ndarray, y: np.ndarray) -> float:
    """Closed-form least-squares slope; x is centred to keep precision with years near 2000."""
    dx = x - x.mean()
    return float(dx @ (y - y.mean()) / (dx @ dx))


def trend(series: pd.DataFrame, *, window_years: float = 3.0, max_points: int = 8) -> float | None:
    """Least-squares slope per year over the recent points; None with fewer than two points."""
    s = _prepare(series)
    if len(s.values) < 2:
        return None
    start = _window_start(s.x, window_years, max_points)
    return _slope(s.x[start:], s.values[start:])


def change_since(series: pd.DataFrame, day: dt.date) -> float | None:
    """Latest value minus the last value whose period ended on or before `day`, or None."""
    s = _prepare(series)
    i = int(np.searchsorted(s.ends, np.datetime64(day, "D"), side="right")) - 1
    return None if i < 0 else float(s.values[-1] - s.values[i])


def assess(
    series: pd.DataFrame,
    target: Target | None,
    direction: str,
    today: dt.date,
    *,
    window_years: float = 3.0,
    max_points: int = 8,
    bounds: tuple[float | None, float | None] = (None, None),
) -> Assessment:
    """Assess a series against its target with the verdict rule in the module docstring.

    Args:
        series: national rows with period, period_end, value and is_example, in any order.
        target: the ambition, or None.
        direction: "up" when higher is better, "down" when lower is better.
        today: the reference day for "the target date has passed"; never read from the clock.
        window_years: how far back from the latest point the trend looks.
        max_points: the most points the trend uses (it always uses at least two).
        bounds: the values the indicator can take (0–100 for a percentage); the projected value
            is clipped to them for display, while the verdict uses the unclipped trend.

    Returns:
        The assessment; `reason` is a machine code: no_data, no_target, target_met,
        target_passed, one_point or gap_ratio.
    """
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")
    s = _prepare(series)
    n = len(s.values)
    latest = s.point(-1) if n else None
    previous = s.point(-2) if n > 1 else None
    start = _window_start(s.x, window_years, max_points) if n > 1 else 0
    slope = _slope(s.x[start:], s.values[start:]) if n > 1 else None
    # The ambition's value and date, when it has both.
    goal = (
        (target.value, target.date)
        if target is not None and target.value is not None and target.date is not None
        else None
    )
    horizon = goal[1] if goal is not None else HORIZON
    projected = slope is not None and horizon >= today
    years: float | None = None
    projection: float | None = None
    if slope is not None and latest is not None and projected:
        horizon_x = _year_fraction(np.array([horizon], dtype="datetime64[D]"))[0]
        years = max(0.0, float(horizon_x - s.x[-1]))
        projection = latest.value + slope * years
        low, high = bounds
        projection = max(projection, low) if low is not None else projection
        projection = min(projection, high) if high is not None else projection

    def verdict(v: Verdict, reason: str, ratio: float | None = None) -> Assessment:
        return Assessment(
            latest=latest,
            previous=previous,
            change=latest.value - previous.value if latest and previous else None,
            slope_per_year=slope,
            projection=projection,
            projection_date=horizon if projected else None,
            verdict=v,
            reason=reason,
            gap_ratio=ratio,
            points_used=n - start,
            has_example_data=bool(s.example[start:].any()),
            target=target,
            direction=direction,
        )

    if latest is None:
        return verdict(Verdict.NO_DATA, "no_data")
    if goal is None:
        return verdict(Verdict.NO_TARGET, "no_target")
    goal_value, goal_date = goal
    # Signed so that progress towards the target is positive for both directions.
    sign = 1.0 if direction == "up" else -1.0
    gap = sign * (goal_value - latest.value)
    if gap <= 0:  # latest >= target ("up") or latest <= target ("down")
        return verdict(Verdict.REACHED, "target_met")
    if today > goal_date:
        return verdict(Verdict.OFF_TRACK, "target_passed")
    if slope is None or years is None:  # years is set whenever there is a slope and time left
        return verdict(Verdict.UNCERTAIN, "one_point")
    ratio = round(sign * slope * years / gap, 9)
    if ratio >= ON_TRACK_RATIO:
        return verdict(Verdict.ON_TRACK, "gap_ratio", ratio)
    if ratio >= UNCERTAIN_RATIO:
        return verdict(Verdict.UNCERTAIN, "gap_ratio", ratio)
    return verdict(Verdict.OFF_TRACK, "gap_ratio", ratio)


def projection_line(assessment: Assessment) -> list[tuple[dt.date, float]]:
    """Two chart points, the latest value and the projection, or [] without a projection."""
    a = assessment
    if a.latest is None or a.projection is None or a.projection_date is None:
        return []
    return [(a.latest.period_end, a.latest.value), (a.projection_date, a.projection)]


# The sentence explaining each reason for a verdict (see `assess`).
_TEXTS = {
    "no_data": N_("There are no measurements for the indicator yet"),
    "no_target": N_("The indicator has no target; the latest value is {latest} ({period})"),
    "target_met": N_(
        "The latest value ({latest}, {period}) already meets the target of {target} for {month}"
    ),
    "target_passed": N_(
        "The target date, {month}, has passed without reaching the target of {target}; "
        "the latest value is {latest} ({period})"
    ),
    "one_point": N_(
        "There is only one measurement ({latest}, {period}), too early to estimate a trend towards "
        "the target of {target} for {month}"
    ),
    "gap_ratio": N_(
        "With the current trend ({slope} per year), {projection} is projected for {month}; "
        "the target is {target}"
    ),
}
_NO_TARGET_TREND = N_(", with a trend of {slope} per year")
_EXAMPLE = N_(" (based on example data)")


def explain(assessment: Assessment, lang: str = "nb", *, unit: str = "%") -> str:
    """One sentence explaining the verdict with numbers, in bokmål ("nb") or English ("en").

    Args:
        assessment: the result of `assess`.
        lang: "nb" or "en".
        unit: the indicator's unit: "%" (trend in percentage points) or a word such as "dager".

    Returns:
        For example "Med dagens trend (+2,1 prosentpoeng per år) anslås 27,4 % i desember 2029;
        ambisjonen er 30 %."
    """
    a, w = assessment, words(lang)
    if a.latest is None:
        return w._(_TEXTS["no_data"]) + "."
    target = a.target
    fields = {
        "latest": fmt.value(a.latest.value, unit, lang),
        "period": fmt.period(a.latest.period, lang),
        "slope": fmt.change(a.slope_per_year, unit, lang),
        "projection": fmt.value(a.projection, unit, lang),
        "target": fmt.value(target.value if target else None, unit, lang),
        "month": fmt.month(target.date if target else None, lang),
    }
    text = w._(_TEXTS[a.reason], **fields)
    if a.reason == "no_target" and a.slope_per_year is not None:
        text += w._(_NO_TARGET_TREND, **fields)
    if a.has_example_data:
        text += w._(_EXAMPLE)
    return text + "."
