"""The charts' text alternative: what each chart shows, in words, from the data it was drawn from."""

from __future__ import annotations

import datetime as dt

import pytest
from radsbot.data.models import Ambition, Goal, Indicator
from radsbot.reports import formatting as fmt
from radsbot.reports.chart_text import chart_text
from radsbot.reports.status import goal_status, indicator_status
from sqlalchemy import select

from tests.test_digest import add_measurement

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def goal(session) -> Goal:
    """A goal of its own, so that the seed's indicators do not take part."""
    goal = Goal(code="testmal", kind="strategisk", number=9, name="Testmålet", sort_order=99)
    session.add(goal)
    session.flush()
    return goal


def said(subject, lang: str = "nb"):
    """The chart text with non-breaking spaces as plain ones, to compare with readable strings."""
    text = chart_text(subject, lang)
    return type(text)(
        text.summary.replace(fmt.NBSP, " "), tuple(d.replace(fmt.NBSP, " ") for d in text.details)
    )


def make(session, goal, code, values, *, unit="%", target=None, example=False, short=""):
    """An indicator of the test goal with national values {period: value} and an optional target."""
    ind = Indicator(code=code, name=f"Indikatoren {code}", short_name=short, goal_id=goal.id, unit=unit)
    session.add(ind)
    session.flush()
    for period, value in values.items():
        add_measurement(session, ind, period, value, example=example)
    if target:
        value, day, label = target
        session.add(Ambition(indicator_id=ind.id, target_value=value, target_date=day, target_label=label))
    session.flush()
    session.refresh(ind)
    return ind


def test_a_rising_indicator_says_from_what_to_what_and_the_ambition(session, goal):
    """The sentence of the brief: first and latest value with their periods, then the ambition."""
    ind = make(
        session,
        goal,
        "PLLT",
        {"2022": 0.2, "2024": 4.0, "2026-Q3": 15},
        short="Legemiddellisten",
        target=(30, dt.date(2029, 12, 31), "desember 2029"),
    )
    status = indicator_status(session, ind, TODAY)
    text = said(status).summary
    assert text.startswith(
        "Legemiddellisten (PLLT) har økt fra 0,2 % i 2022 til 15 % i 3. kvartal 2026; "
        "ambisjonen er 30 % innen desember 2029."
    )
    # The verdict rests on the projection, so the projection is named, and then the verdict.
    projected = fmt.value(status.assessment.projection, "%").replace(fmt.NBSP, " ")
    assert f"Med dagens trend anslås {projected} i desember 2029." in text
    assert text.endswith(f"Vurdering: {status.verdict.label()}.")
    assert chart_text(status).details == ()


def test_falling_unchanged_and_single_values(session, goal):
    """Days going down, a flat series, one count on a day: each says what the chart shows."""
    days = make(session, goal, "DAGER", {"2023": 159, "2025": 106}, unit="dager")
    flat = make(session, goal, "FLAT", {"2024": 50.04, "2025": 49.98})
    one = make(session, goal, "EN", {"2025-11-01": 2150}, unit="pasienter")
    assert said(indicator_status(session, days, TODAY)).summary.startswith(
        "Indikatoren DAGER (DAGER) har gått ned fra 159 dager i 2023 til 106 dager i 2025."
    )
    assert said(indicator_status(session, flat, TODAY)).summary.startswith(
        "Indikatoren FLAT (FLAT) er uendret, 50,0 % både i 2024 og i 2025."
    )
    assert said(indicator_status(session, one, TODAY)).summary.startswith(
        "Indikatoren EN (EN) har én måling: 2 150 pasienter per 1. november 2025."
    )


@pytest.mark.slow
def test_no_values_names_the_readiness(session, goal):
    """An empty chart says there are no measurements, and how far the data source is."""
    empty = make(session, goal, "TOM", {})
    text = said(indicator_status(session, empty, TODAY)).summary
    assert (
        text == "Indikatoren TOM (TOM) har ingen målinger ennå (datastatus: under arbeid). "
        "Vurdering: Mangler data."
    )


def test_example_values_are_marked_as_in_chat(session, goal):
    """Example values carry «(eksempeldata)», exactly as the chat card marks them."""
    ind = make(session, goal, "EKS", {"2024": 10, "2025": 12}, example=True)
    text = said(indicator_status(session, ind, TODAY)).summary
    assert "fra 10 % (eksempeldata) i 2024 til 12 % (eksempeldata) i 2025" in text


def test_english(session, goal):
    """With lang="en" the sentence is English and the numbers English-formatted."""
    ind = make(session, goal, "ENG", {"2022": 0.5, "2025": 2150.5}, unit="pasienter")
    text = said(indicator_status(session, ind, TODAY), "en").summary
    assert text.startswith(
        "Indikatoren ENG (ENG) has risen from 0.5 patients in 2022 to 2,150 patients in 2025"
    )
    assert text.endswith("Assessment: No target.")


def test_goal_chart_has_one_sentence_per_panel(session):
    """A goal's small multiples: a summary naming the goal and count, and every panel in words."""
    goal = session.scalar(select(Goal).where(Goal.code == "mal2"))
    status = goal_status(session, goal, TODAY)
    leaves = [leaf for s in status.indicators for leaf in s.leaves]
    text = said(status)
    assert text.summary.startswith(f"Graf over {goal.label}: utviklingen for {len(leaves)} indikatorer")
    assert len(text.details) == len(leaves)
    for leaf, sentence in zip(leaves, text.details, strict=True):
        assert f"({leaf.indicator.code})" in sentence
        assert sentence.endswith(f"Vurdering: {leaf.verdict.label()}.")
    assert text.full.startswith(text.summary) and text.details[-1] in text.full


def test_composite_without_own_values_describes_its_parts(session):
    """A composite drawn as its parts says so and describes each part."""
    composites = session.scalars(select(Indicator).where(Indicator.composite.is_(True)))
    statuses = (indicator_status(session, i, TODAY) for i in composites if i.children)
    status = next(s for s in statuses if s.series.empty)
    text = said(status)
    assert f"{len(status.leaves)} delindikatorer" in text.summary
    assert len(text.details) == len(status.leaves) > 1
    assert all(f"({leaf.indicator.code})" in s for leaf, s in zip(status.leaves, text.details, strict=True))
