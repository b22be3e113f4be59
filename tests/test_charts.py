"""Charts: valid PNGs for one indicator and for goals with few, many or no measured indicators."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image
from radsbot.data import queries
from radsbot.data.models import Goal, Indicator
from radsbot.reports.charts import goal_chart, indicator_chart
from radsbot.reports.status import goal_status, indicator_status
from sqlalchemy import select

from tests.test_digest import add_measurement

TODAY = dt.date(2026, 11, 22)


def size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG, after checking that it is one."""
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        image.load()
        return image.size


@pytest.mark.slow
def test_indicator_chart_for_the_chat_is_a_png(session):
    indicator = next(i for i in queries.indicators(session) if not queries.series(session, i.id).empty)
    width, height = size(indicator_chart(indicator_status(session, indicator, TODAY)))
    assert width == 750 and 300 <= height <= 600


@pytest.mark.slow
def test_goal_chart_grows_with_its_indicators_and_keeps_every_panel(session):
    goal = session.scalar(select(Goal).where(Goal.code == "mal5"))
    few = goal_status(session, goal, TODAY)
    few_size = size(goal_chart(few))
    for n in range(10):
        ind = Indicator(
            code=f"EKSTRA{n}",
            name=f"Ekstra indikator nummer {n} med et langt norsk navn som må brytes",
            goal_id=goal.id,
            unit="antall" if n % 2 else "%",
            sort_order=100 + n,
        )
        session.add(ind)
        session.flush()
        if n % 3:
            add_measurement(session, ind, "2024", 10.0 * n, example=True)
            add_measurement(session, ind, "2025", 12.0 * n + 1500 * (n % 2))
    session.flush()
    session.expire_all()
    goal = session.scalar(select(Goal).where(Goal.code == "mal5"))
    many = goal_status(session, goal, TODAY)
    leaves = [leaf for s in many.indicators for leaf in s.leaves]
    assert len(leaves) >= 10
    png = goal_chart(many)
    width, height = size(png)
    rows = -(-len(leaves) // 3)
    assert width == 3 * 420 and height > few_size[1] and height >= rows * 200


@pytest.mark.slow
def test_goal_without_any_measurement_still_draws(session):
    goal = Goal(code="tomt", kind="strategisk", number=9, name="Et mål uten målinger", sort_order=99)
    session.add(goal)
    session.flush()
    session.add(Indicator(code="TOM", name="Indikator uten data", goal_id=goal.id))
    session.flush()
    session.expire_all()
    goal = session.scalar(select(Goal).where(Goal.code == "tomt"))
    width, height = size(goal_chart(goal_status(session, goal, TODAY)))
    assert width == 420 and height > 200


def _span_label(ax, x: float) -> str:
    """The year label whose span (the year between two boundary ticks) contains x."""
    for pos, label in zip(ax.get_xticks(minor=True), ax.get_xticklabels(minor=True), strict=True):
        if label.get_text() and pos - 0.5 <= x <= pos + 0.5:
            return label.get_text()
    return ""


def _calendar_x(day: dt.date) -> float:
    """Where a day belongs on a calendar axis whose x = Y.0 is 1 January of year Y."""
    return day.year + (day - dt.date(day.year, 1, 1)).days / 365.25


@pytest.mark.slow
def test_every_dated_measurement_is_drawn_in_its_own_year(session):
    """The real DHO point of 1 November 2025 is drawn late in 2025, not a year early."""
    from radsbot.reports.charts import indicator_figure

    checked = 0
    for indicator in queries.indicators(session):
        series = queries.series(session, indicator.id)
        if series.empty:
            continue
        fig = indicator_figure(indicator_status(session, indicator, TODAY))
        ax = fig.axes[0]
        drawn = sorted({round(float(x), 6) for line in ax.get_lines() for x in line.get_xdata()})
        for end in series["period_end"]:
            x = min(drawn, key=lambda d, e=end: abs(d - _calendar_x(e)))
            assert abs(x - _calendar_x(end)) < 0.01, (indicator.code, end, x)
            # An end-of-year value sits on the boundary after its year; anything else inside its year.
            year = end.year
            assert _span_label(ax, x - 1e-3) == str(year), (indicator.code, end)
            checked += 1
    assert checked > 200
    dho = session.scalar(select(Indicator).where(Indicator.code == "DHO_KOMMUNE"))
    ax = indicator_figure(indicator_status(session, dho, TODAY)).axes[0]
    real = dt.date(2025, 11, 1)
    assert _span_label(ax, _calendar_x(real)) == "2025"


@pytest.mark.slow
def test_charts_as_svg_keep_their_text_and_escape_stored_names(session):
    """SVG output: well-formed, text kept as text, a hostile stored name escaped; same data, same bytes."""
    from xml.etree import ElementTree

    from radsbot.reports.charts import parts_chart

    indicator = session.scalar(select(Indicator).where(Indicator.code == "PLL"))
    indicator.name = "<script>alert(1)</script> Legemiddellisten"
    status = indicator_status(session, indicator, TODAY)
    svg = indicator_chart(status, image="svg")
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = " ".join(t for t in root.itertext())
    assert "<script>alert(1)</script> Legemiddellisten" in texts  # as text, parsed back from escapes
    assert b"<script" not in svg and not list(root.iter("{http://www.w3.org/2000/svg}script"))
    assert "Ambisjon" in texts
    assert indicator_chart(status, image="svg") == svg
    goal = session.scalar(select(Goal).where(Goal.code == "mal5"))
    goal_svg = ElementTree.fromstring(goal_chart(goal_status(session, goal, TODAY), image="svg"))
    assert goal_svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert goal.label_in("nb") in " ".join(goal_svg.itertext())  # the title is text, not paths
    composite = next(i for i in queries.indicators(session) if i.children)
    assert parts_chart(indicator_status(session, composite, TODAY), image="svg").startswith(b"<?xml")
    with pytest.raises(ValueError):
        indicator_chart(status, image="gif")
