"""Charts: valid PNGs for one indicator and for goals with few, many or no measured indicators."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image
from sqlalchemy import select

from data import queries
from data.models import Goal, Indicator
from reports.charts import goal_chart, indicator_chart
from reports.status import goal_status, indicator_status
from tests.test_digest import add_measurement

TODAY = dt.date(2026, 11, 22)


def size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG, after checking that it is one."""
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        image.load()
        return image.size


def test_indicator_chart_for_the_chat_is_a_png(session):
    indicator = next(i for i in queries.indicators(session) if not queries.series(session, i.id).empty)
    width, height = size(indicator_chart(indicator_status(session, indicator, TODAY)))
    assert width == 750 and 300 <= height <= 600


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
