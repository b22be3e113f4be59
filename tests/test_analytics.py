"""Hand-computed checks of reports.analytics: trend, projection, verdict rule and explain().

Annual periods end on 31 December, which as a fractional year is year + 1.0 exactly
(365/365 or 366/366), so the slopes below are plain arithmetic on whole years.
"""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from radsbot.reports.analytics import (
    Assessment,
    Target,
    Verdict,
    assess,
    change_since,
    explain,
    projection_line,
    trend,
)

TODAY = dt.date(2026, 3, 1)
END_2029 = dt.date(2029, 12, 31)
NBSP = "\u00a0"


def annual(values: dict[int, float], example: set[int] = frozenset()) -> pd.DataFrame:
    """An annual series {year: value}; years in `example` are flagged as example data."""
    return pd.DataFrame(
        {
            "period": [str(y) for y in values],
            "period_end": [dt.date(y, 12, 31) for y in values],
            "value": [float(v) for v in values.values()],
            "is_example": [y in example for y in values],
        }
    )


RISE = annual({2023: 20, 2024: 22, 2025: 24})  # +2 a year


def run(series: pd.DataFrame, value: float | None, day: dt.date | None = END_2029, **kw):
    direction = kw.pop("direction", "up")
    return assess(series, Target(value, day), direction, kw.pop("today", TODAY), **kw)


# --- The verdict rule -------------------------------------------------------------------------


def test_steady_rise_reaches_target_in_time_is_on_track():
    # x = 2024, 2025, 2026; mean x 2025, dx = -1, 0, 1; mean y 22, dy = -2, 0, 2
    # slope = sum(dx*dy) / sum(dx^2) = 4 / 2 = 2.0 per year
    # years to 31.12.2029 = 2030.0 - 2026.0 = 4; projection = 24 + 2*4 = 32
    # gap = 30 - 24 = 6; progress = 2*4 = 8; gap_ratio = 8/6 = 1.333333333
    a = run(RISE, 30)
    assert a.verdict is Verdict.ON_TRACK and a.reason == "gap_ratio"
    assert a.slope_per_year == pytest.approx(2.0, abs=1e-12)
    assert a.projection == pytest.approx(32.0, abs=1e-9)
    assert a.projection_date == END_2029
    assert a.gap_ratio == pytest.approx(4 / 3, abs=1e-9)
    assert (a.latest.period, a.latest.value, a.previous.value, a.change) == ("2025", 24, 22, 2)
    assert a.points_used == 3 and a.has_example_data is False


def test_projection_exactly_on_target_is_on_track():
    # gap = 32 - 24 = 8 = progress 2*4, so gap_ratio is exactly 1 -> ON_TRACK (>= 1)
    a = run(RISE, 32)
    assert (a.verdict, a.gap_ratio) == (Verdict.ON_TRACK, 1.0)


def test_just_short_is_uncertain():
    # gap = 33 - 24 = 9; progress 8; gap_ratio = 8/9 = 0.888888889, in [0.75, 1)
    a = run(RISE, 33)
    assert a.verdict is Verdict.UNCERTAIN and a.reason == "gap_ratio"
    assert 0.75 <= a.gap_ratio < 1
    assert a.gap_ratio == pytest.approx(8 / 9, abs=1e-9)


def test_gap_ratio_of_exactly_three_quarters_is_uncertain():
    # 20, 21.5, 23: slope 1.5; progress 1.5*4 = 6; gap = 31 - 23 = 8; 6/8 = 0.75
    a = run(annual({2023: 20, 2024: 21.5, 2025: 23}), 31)
    assert (a.verdict, a.gap_ratio) == (Verdict.UNCERTAIN, 0.75)
    # just below: gap = 31.5 - 23 = 8.5; 6/8.5 = 0.705882353 < 0.75 -> OFF_TRACK
    b = run(annual({2023: 20, 2024: 21.5, 2025: 23}), 31.5)
    assert (b.verdict, b.gap_ratio) == (Verdict.OFF_TRACK, pytest.approx(6 / 8.5, abs=1e-9))


def test_decimal_data_exactly_on_target_survives_float_noise():
    # 20.1, 20.4, 20.7: slope 0.3; projection 20.7 + 0.3*4 = 21.9 = target -> ratio exactly 1.
    # In floats the slope is 0.29999999999999893 and the raw ratio 0.999999999999997;
    # rounding to 9 decimals keeps the exact tie ON_TRACK.
    a = run(annual({2023: 20.1, 2024: 20.4, 2025: 20.7}), 21.9)
    assert (a.verdict, a.gap_ratio) == (Verdict.ON_TRACK, 1.0)


def test_far_short_is_off_track():
    # gap = 40 - 24 = 16; progress 8; gap_ratio = 0.5 < 0.75
    a = run(RISE, 40)
    assert (a.verdict, a.reason) == (Verdict.OFF_TRACK, "gap_ratio")
    assert a.gap_ratio == pytest.approx(0.5, abs=1e-9)
    assert a.projection == pytest.approx(32.0)


def test_target_already_met_is_reached_even_after_the_target_date():
    assert run(RISE, 24).verdict is Verdict.REACHED  # 24 >= 24
    late = run(RISE, 20, dt.date(2024, 12, 31))  # date passed, but met: rule 2 before rule 3
    assert (late.verdict, late.reason, late.gap_ratio) == (Verdict.REACHED, "target_met", None)
    assert late.projection is None  # no projection to a date in the past


def test_target_date_passed_and_not_met_is_off_track():
    a = run(RISE, 30, dt.date(2025, 12, 31), today=dt.date(2026, 1, 1))
    assert (a.verdict, a.reason) == (Verdict.OFF_TRACK, "target_passed")
    assert a.projection is None and projection_line(a) == []
    assert a.slope_per_year == pytest.approx(2.0)  # the trend is still reported


def test_target_date_today_has_not_passed():
    # today == target date: rule 3 does not apply; years = 0 (latest ends on the date),
    # so progress 0 and gap_ratio 0 -> OFF_TRACK by rule 5
    a = run(RISE, 30, dt.date(2025, 12, 31), today=dt.date(2025, 12, 31))
    assert (a.verdict, a.reason) == (Verdict.OFF_TRACK, "gap_ratio")
    assert (a.gap_ratio, a.projection) == (0.0, 24.0)


def test_one_point_is_uncertain():
    a = run(annual({2025: 24}), 30)
    assert (a.verdict, a.reason) == (Verdict.UNCERTAIN, "one_point")
    assert a.slope_per_year is None and a.projection is None and a.gap_ratio is None
    assert (a.previous, a.change, a.points_used) == (None, None, 1)


def test_flat_series_below_target_is_off_track():
    a = run(annual({2023: 24, 2024: 24, 2025: 24}), 30)
    assert (a.verdict, a.reason) == (Verdict.OFF_TRACK, "gap_ratio")
    assert (a.slope_per_year, a.gap_ratio, a.projection) == (0.0, 0.0, 24.0)


@pytest.mark.parametrize(
    "frame",
    [
        annual({}),
        annual({2024: 20, 2025: 24}).assign(value=np.nan),  # missing values are ignored
        pd.DataFrame(columns=["period", "period_end", "value", "is_example"]),
    ],
)
def test_no_points_is_no_data(frame):
    a = run(frame, 30)
    assert (a.verdict, a.reason, a.latest, a.points_used) == (Verdict.NO_DATA, "no_data", None, 0)
    assert projection_line(a) == []


@pytest.mark.parametrize("target", [None, Target(30, None), Target(None, END_2029)])
def test_missing_target_is_no_target_but_still_projects_to_2030(target):
    a = assess(RISE, target, "up", TODAY)
    assert (a.verdict, a.reason) == (Verdict.NO_TARGET, "no_target")
    # to 31.12.2030: years = 2031.0 - 2026.0 = 5; projection = 24 + 2*5 = 34
    assert a.projection_date == dt.date(2030, 12, 31)
    assert a.projection == pytest.approx(34.0)
    assert a.gap_ratio is None


def test_falling_processing_time_where_lower_is_better():
    # 159 days (2023) -> 106 days (2025): x = 2024, 2026; slope = (106 - 159) / 2 = -26.5/year
    days = annual({2023: 159, 2025: 106})
    # Target 60 days by 31.12.2027: years = 2028 - 2026 = 2; projection = 106 - 53 = 53
    # down: gap = -(60 - 106) = 46; progress = -(-26.5 * 2) = 53; ratio = 53/46 = 1.152173913
    a = run(days, 60, dt.date(2027, 12, 31), direction="down")
    assert a.slope_per_year == pytest.approx(-26.5)
    assert a.projection == pytest.approx(53.0)
    assert a.gap_ratio == pytest.approx(53 / 46, abs=1e-9)
    assert a.verdict is Verdict.ON_TRACK
    # Same target one year earlier: years 1; projection 79.5; ratio 26.5/46 = 0.576 -> OFF_TRACK
    b = run(days, 60, dt.date(2026, 12, 31), direction="down")
    assert b.projection == pytest.approx(79.5)
    assert (b.verdict, b.gap_ratio) == (Verdict.OFF_TRACK, pytest.approx(26.5 / 46, abs=1e-9))
    # 53 <= 60: already met for a lower-is-better indicator
    assert run(annual({2025: 53}), 60, direction="down").verdict is Verdict.REACHED


def test_rising_where_lower_is_better_is_off_track():
    # 100, 110, 120 days: slope +10; target 60 by 2027: years 2, projection 140
    # gap = -(60 - 120) = 60; progress = -(10 * 2) = -20; ratio = -1/3
    a = run(annual({2023: 100, 2024: 110, 2025: 120}), 60, dt.date(2027, 12, 31), direction="down")
    assert a.projection == pytest.approx(140.0)
    assert (a.verdict, a.gap_ratio) == (Verdict.OFF_TRACK, pytest.approx(-1 / 3, abs=1e-9))


def test_invalid_direction_is_rejected():
    with pytest.raises(ValueError, match="direction"):
        assess(RISE, Target(30, END_2029), "sideways", TODAY)


# --- Input handling ---------------------------------------------------------------------------


def test_unsorted_input_and_any_column_order_give_the_same_result():
    frame = annual({2021: 15, 2022: 19, 2023: 20, 2024: 22, 2025: 24})
    shuffled = frame.iloc[[3, 0, 4, 2, 1]][["value", "is_example", "period_end", "period"]]
    assert assess(shuffled, Target(30, END_2029), "up", TODAY) == run(frame, 30)
    assert run(shuffled, 30).latest.period == "2025"
    # period_end given as datetime64 instead of date objects
    as_datetime = shuffled.assign(period_end=pd.to_datetime(shuffled["period_end"]))
    assert run(as_datetime, 30) == run(frame, 30)


def test_duplicate_period_end_keeps_the_last_row():
    frame = pd.concat([RISE, annual({2025: 25}).assign(period="2025-Q4")], ignore_index=True)
    a = run(frame, 30)
    assert (a.latest.period, a.latest.value, a.points_used) == ("2025-Q4", 25.0, 3)


def test_duplicates_in_a_long_unsorted_series_keep_the_last_row_in_input_order():
    # 40 annual values, then a correction (+100) of each, all in reverse order: corrections win.
    original = annual({y: y - 1980 for y in range(1986, 2026)})
    corrected = original.assign(value=original["value"] + 100)
    frame = pd.concat([original.iloc[::-1], corrected.iloc[::-1]], ignore_index=True)
    a = assess(frame, None, "up", TODAY, window_years=100, max_points=100)
    assert (a.latest.value, a.previous.value, a.points_used) == (145.0, 144.0, 40)
    assert change_since(frame, dt.date(1986, 12, 31)) == 145.0 - 106.0


OLD_AND_NEW = annual({2019: 10, 2020: 10, 2021: 10, 2023: 20, 2024: 22, 2025: 24})


def test_window_ignores_old_points():
    # window 3 years back from x = 2026.0 keeps x >= 2023.0: 2023, 2024, 2025 -> slope 2.0
    assert run(OLD_AND_NEW, 30).slope_per_year == pytest.approx(2.0)
    assert run(OLD_AND_NEW, 30).points_used == 3
    # all six: x = 2020, 2021, 2022, 2024, 2025, 2026 (mean 2023) -> dx = -3, -2, -1, 1, 2, 3
    # y mean 96/6 = 16 -> dy = -6, -6, -6, 4, 6, 8; Sxy = 18+12+6+4+12+24 = 76; Sxx = 28
    # slope = 76/28 = 19/7 = 2.714285714
    wide = run(OLD_AND_NEW, 30, window_years=10)
    assert (wide.slope_per_year, wide.points_used) == (pytest.approx(19 / 7), 6)
    # max_points=4: x = 2022, 2024, 2025, 2026 (mean 2024.25), y = 10, 20, 22, 24 (mean 19)
    # dx = -2.25, -0.25, 0.75, 1.75; dy = -9, 1, 3, 5; Sxy = 20.25-0.25+2.25+8.75 = 31
    # Sxx = 5.0625+0.0625+0.5625+3.0625 = 8.75; slope = 31/8.75 = 124/35 = 3.542857143
    capped = run(OLD_AND_NEW, 30, window_years=10, max_points=4)
    assert (capped.slope_per_year, capped.points_used) == (pytest.approx(124 / 35), 4)
    assert trend(OLD_AND_NEW, window_years=10, max_points=4) == pytest.approx(124 / 35)


def test_window_includes_its_boundary_and_always_two_points():
    # 2022 ends at x = 2023.0 = 2026.0 - 3: included. x mean 2024.5, dx = -1.5, -.5, .5, 1.5;
    # y = 10, 20, 22, 24 (mean 19), dy = -9, 1, 3, 5; Sxy = 13.5-0.5+1.5+7.5 = 22; Sxx = 5 -> 4.4
    assert trend(annual({2022: 10, 2023: 20, 2024: 22, 2025: 24})) == pytest.approx(4.4)
    # Only the latest point lies in the window, so the previous one is used too: 14/6
    assert trend(annual({2019: 10, 2025: 24})) == pytest.approx(14 / 6)
    assert trend(annual({2025: 24})) is None


def test_example_flag_follows_the_points_used():
    outside = annual(OLD_AND_NEW.set_index("period")["value"].rename(int).to_dict(), {2019})
    assert run(outside, 30).has_example_data is False  # 2019 is outside the 3-year window
    assert run(outside, 30, window_years=10).has_example_data is True
    latest = run(annual({2024: 22, 2025: 24}, {2025}), 30)
    assert latest.has_example_data is True and latest.latest.is_example is True
    assert latest.previous.is_example is False


def test_change_since():
    assert change_since(RISE, dt.date(2024, 12, 31)) == 2.0  # 24 - 22: 2024 ended that day
    assert change_since(RISE, dt.date(2024, 12, 30)) == 4.0  # 24 - 20: 2024 had not ended
    assert change_since(RISE, dt.date(2030, 1, 1)) == 0.0  # the latest itself
    assert change_since(RISE, dt.date(2023, 12, 30)) is None
    assert change_since(annual({}), dt.date(2025, 1, 1)) is None


def test_quarterly_series():
    ends = [dt.date(2025, 3, 31), dt.date(2025, 6, 30), dt.date(2025, 9, 30), dt.date(2025, 12, 31)]
    frame = pd.DataFrame(
        {
            "period": [f"2025-Q{q}" for q in range(1, 5)],
            "period_end": ends,
            "value": [10.0, 11.0, 12.0, 13.0],
            "is_example": False,
        }
    )
    # Days of year 90, 181, 273, 365 (of 365): x = 2025 + d/365. In days: mean 227.25,
    # dx = -137.25, -46.25, 45.75, 137.75; dy = -1.5, -0.5, 0.5, 1.5
    # Sxy = 205.875 + 23.125 + 22.875 + 206.625 = 458.5
    # Sxx = 18837.5625 + 2139.0625 + 2093.0625 + 18975.0625 = 42044.75
    # slope = 458.5 / 42044.75 per day * 365 = 669410/168179 = 3.980342373 per year
    slope = 669410 / 168179
    # Target 20 by 31.12.2027: years 2; projection 13 + 2*slope = 20.960684747
    # gap 7; ratio = 2*slope/7 = 1.137240678 -> ON_TRACK
    a = run(frame, 20, dt.date(2027, 12, 31))
    assert a.slope_per_year == pytest.approx(slope, rel=1e-12)
    assert a.projection == pytest.approx(13 + 2 * slope)
    assert (a.verdict, a.gap_ratio) == (Verdict.ON_TRACK, pytest.approx(2 * slope / 7))
    assert (a.latest.period, a.previous.period, a.change) == ("2025-Q4", "2025-Q3", 1.0)


def test_projection_line():
    a = run(RISE, 30)
    assert projection_line(a) == [(dt.date(2025, 12, 31), 24.0), (END_2029, pytest.approx(32.0))]
    assert projection_line(run(annual({2025: 24}), 30)) == []


# --- Labels and explanations ------------------------------------------------------------------


def test_verdict_values_and_labels():
    assert Verdict.OFF_TRACK == "ikke_pa_sporet" and Verdict("nadd") is Verdict.REACHED
    nb = ["På sporet", "Usikkert", "Ikke på sporet", "Nådd", "Mangler ambisjon", "Mangler data"]
    en = ["On track", "Uncertain", "Off track", "Reached", "No target", "No data"]
    assert [v.label() for v in Verdict] == nb
    assert [v.label("en") for v in Verdict] == en


def test_explain_trend_in_norwegian_and_english():
    # 21.5, 23, 24.5: slope 1.5; projection 24.5 + 1.5*4 = 30.5; target 32 -> ratio 6/7.5 = 0.8
    a = run(annual({2023: 21.5, 2024: 23, 2025: 24.5}), 32)
    assert a.verdict is Verdict.UNCERTAIN
    assert explain(a) == (
        f"Med dagens trend (+1,5 prosentpoeng per år) anslås 30,5{NBSP}% i desember 2029; "
        f"ambisjonen er 32{NBSP}%."
    )
    assert explain(a, "en") == (
        f"With the current trend (+1.5 percentage points per year), 30.5{NBSP}% is projected "
        f"for December 2029; the target is 32{NBSP}%."
    )


def test_explain_days_and_counts():
    a = run(annual({2023: 159, 2025: 106}), 60, dt.date(2027, 12, 31), direction="down")
    assert explain(a, unit="dager") == (
        "Med dagens trend (−26,5 dager per år) anslås 53 dager i desember 2027; ambisjonen er 60 dager."
    )
    assert "(−26.5 days per year), 53 days is projected" in explain(a, "en", unit="dager")
    # "antall" is shown as a plain number: +1 150 a year from 1 000 to 2 150
    b = assess(annual({2024: 1000, 2025: 2150}), None, "up", TODAY)
    assert explain(b, unit="antall") == (
        f"Indikatoren mangler ambisjon; siste måling er 2{NBSP}150 (2025), og trenden er +1{NBSP}150 per år."
    )


def test_explain_other_reasons():
    assert "har nådd ambisjonen på 30" in explain(run(annual({2025: 31}), 30))
    passed = explain(run(RISE, 30, dt.date(2025, 12, 31), today=dt.date(2026, 6, 1)), "nb")
    assert passed.startswith("Fristen desember 2025 er passert") and f"24{NBSP}%" in passed
    one = explain(run(annual({2025: 24}), 30), "en")
    assert one.startswith("There is only one measurement") and "December 2029" in one
    assert explain(run(annual({}), 30)) == "Det finnes ingen målinger for indikatoren ennå."
    quarter = explain(assess(annual({2025: 24}).assign(period="2025-Q3"), None, "up", TODAY))
    assert "(3. kvartal 2025)" in quarter


def test_explain_marks_example_data():
    a = run(annual({2024: 22, 2025: 24}, {2025}), 30)
    assert explain(a).endswith(f"ambisjonen er 30{NBSP}% (bygger på eksempeldata).")
    assert explain(a, "en").endswith("(based on example data).")


# --- Properties and performance ---------------------------------------------------------------


def _year_fraction(day: dt.date) -> float:
    """Independent reference for x: year + day of year / days in the year."""
    length = 366 if calendar.isleap(day.year) else 365
    return day.year + day.timetuple().tm_yday / length


days = st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31))
values = st.floats(-1000, 1000, allow_nan=False, allow_subnormal=False)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.tuples(days, values, st.booleans()), max_size=12),
    target_value=st.none() | values,
    target_date=st.none() | days,
    direction=st.sampled_from(["up", "down"]),
    today=days,
)
@pytest.mark.slow
def test_assess_is_consistent_with_the_rule(rows, target_value, target_date, direction, today):
    frame = pd.DataFrame(
        {
            "period": [d.isoformat() for d, _, _ in rows],
            "period_end": [d for d, _, _ in rows],
            "value": [v for _, v, _ in rows],
            "is_example": [e for _, _, e in rows],
        }
    )
    a = assess(frame, Target(target_value, target_date), direction, today)
    assert isinstance(a, Assessment)
    by_end = {d: v for d, v, _ in rows}  # later rows overwrite earlier ones with the same end
    if not by_end:
        assert a.verdict is Verdict.NO_DATA
        return
    latest = by_end[max(by_end)]
    assert a.latest.value == latest and a.latest.period_end == max(by_end)
    assert 1 <= a.points_used <= min(8, len(by_end))
    assert (a.slope_per_year is None) == (len(by_end) == 1)
    if target_value is None or target_date is None:
        assert a.verdict is Verdict.NO_TARGET
        return
    met = latest >= target_value if direction == "up" else latest <= target_value
    assert (a.verdict is Verdict.REACHED) == met
    assert (a.reason == "target_passed") == (not met and today > target_date)
    assert (a.reason == "one_point") == (not met and today <= target_date and len(by_end) == 1)
    assert (a.gap_ratio is not None) == (a.reason == "gap_ratio")
    if a.verdict is Verdict.ON_TRACK:
        assert a.gap_ratio >= 1
    if a.reason == "gap_ratio" and a.verdict is Verdict.UNCERTAIN:
        assert 0.75 <= a.gap_ratio < 1
    if a.reason == "gap_ratio" and a.verdict is Verdict.OFF_TRACK:
        assert a.gap_ratio < 0.75
    if a.reason == "gap_ratio":
        years = max(0.0, _year_fraction(target_date) - _year_fraction(max(by_end)))
        assert a.projection == pytest.approx(latest + a.slope_per_year * years, abs=1e-6)
    if len(by_end) >= 2:
        # With an unlimited window the slope equals numpy's own least-squares fit.
        xs = [_year_fraction(d) for d in sorted(by_end)]
        ys = [by_end[d] for d in sorted(by_end)]
        full = trend(frame, window_years=100, max_points=100)
        assert full == pytest.approx(np.polyfit(xs, ys, 1)[0], rel=1e-6, abs=1e-6)


def test_projection_is_clipped_to_the_bounds_but_the_verdict_is_not():
    # 159 → 106 days over one year: slope −53/yr; four years on the raw projection is −106 days.
    frame = pd.DataFrame(
        {
            "period": ["2024", "2025"],
            "period_end": [dt.date(2024, 12, 31), dt.date(2025, 12, 31)],
            "value": [159.0, 106.0],
            "is_example": [False, False],
        }
    )
    target = Target(60.0, dt.date(2029, 12, 31))
    raw = assess(frame, target, "down", dt.date(2026, 1, 1))
    clipped = assess(frame, target, "down", dt.date(2026, 1, 1), bounds=(0.0, None))
    assert raw.projection == pytest.approx(-106.0)
    assert clipped.projection == 0.0
    assert clipped.verdict == raw.verdict == Verdict.ON_TRACK
    assert clipped.gap_ratio == raw.gap_ratio
