"""The digest's composition on the seeded database, and its Markdown and chat renderings."""

from __future__ import annotations

import datetime as dt

import pytest
from radsbot.data import queries
from radsbot.data.models import Council, Goal, GoalNarrative, Indicator, Measurement, Meeting
from radsbot.data.periods import parse_period, quarter_of
from radsbot.reports import formatting as fmt
from radsbot.reports.analytics import change_since
from radsbot.reports.digest import build_digest
from radsbot.reports.digest_markdown import to_markdown
from radsbot.reports.status import indicator_status
from sqlalchemy import select

TODAY = dt.date(2026, 11, 22)
FAKE_PNG = b"\x89PNG\r\n\x1a\n-not-drawn-"


def add_measurement(session, indicator: Indicator, period: str, value: float, *, example: bool = False):
    """Store one national value of an indicator."""
    p = parse_period(period)
    session.add(
        Measurement(
            indicator_id=indicator.id,
            period_kind=p.kind,
            period=p.label,
            period_start=p.start,
            period_end=p.end,
            value=value,
            is_example=example,
        )
    )


@pytest.fixture
def test_council(session) -> Council:
    """A council of its own with a held meeting on 1 October and a planned one on 30 November 2026."""
    council = Council(code="testrad", name="Testrådet for digitalisering", short_name="Testrådet")
    session.add(council)
    session.flush()
    session.add_all(
        [
            Meeting(council_id=council.id, number="1/2026", date=dt.date(2026, 10, 1), status="held"),
            Meeting(
                council_id=council.id,
                number="2/2026",
                date=dt.date(2026, 11, 30),
                status="planned",
                is_example=True,
            ),
        ]
    )
    session.flush()
    return council


@pytest.fixture
def meeting(session, test_council) -> Meeting:
    """The test council's planned meeting on 30 November 2026."""
    return session.scalar(
        select(Meeting).where(Meeting.council_id == test_council.id, Meeting.number == "2/2026")
    )


@pytest.fixture
def probe(session) -> Indicator:
    """A percentage indicator under Mål 2 with one value before and one after 1 October 2026."""
    goal = session.scalar(select(Goal).where(Goal.code == "mal2"))
    ind = Indicator(
        code="PROBE", name="Prøveindikator for sammendraget", goal_id=goal.id, unit="%", sort_order=99
    )
    session.add(ind)
    session.flush()
    add_measurement(session, ind, "2026-09-15", 40.0)
    add_measurement(session, ind, "2026-10-20", 44.5, example=True)
    session.flush()
    session.expire_all()
    return ind


@pytest.mark.slow
def test_every_goal_in_order_overarching_first(session, test_council, meeting):
    digest = build_digest(session, test_council, meeting, today=TODAY)
    goals = queries.goals(session)
    assert len(digest.goals) == len(goals) == 8
    assert [s.code for s in digest.goals] == [
        g.code for g in sorted(goals, key=lambda g: g.kind != "overordnet")
    ]
    assert [s.status.goal.kind for s in digest.goals] == ["overordnet"] * 3 + ["strategisk"] * 5
    assert digest.title == "Status nasjonal e-helsestrategi — før Testrådet 30. november 2026"
    assert digest.quarter == "2026-Q4" and digest.quarter_label == "4. kvartal 2026"
    assert len({s.chart_filename for s in digest.goals}) == 8


@pytest.mark.slow
def test_indicator_figures_equal_the_status_module(session, test_council, meeting):
    digest = build_digest(session, test_council, meeting, today=TODAY)
    since = dt.date(2026, 10, 1)
    rows = [r for s in digest.goals for r in s.indicators]
    assert rows, "the seeded catalogue has indicators"
    for row in rows:
        expected = indicator_status(session, row.status.indicator, TODAY, since=since)
        assert row.verdict == expected.verdict
        assert row.verdict_label == expected.verdict.label("nb")
        latest = expected.assessment.latest
        if latest is None:
            assert row.value == "–" and row.period == "–"
        else:
            assert row.value.startswith(fmt.value(latest.value, row.status.indicator.unit))
            assert row.period == fmt.period(latest.period)
    # The counts of the overview are the verdicts of each goal's own rows.
    for section in digest.goals:
        for count in section.counts:
            assert count.count == sum(r.verdict == count.verdict for r in section.indicators if r.own)
    total = {c.verdict: c.count for c in digest.totals}
    assert sum(total.values()) == sum(r.own for r in rows)


@pytest.mark.slow
def test_change_is_measured_since_the_previous_meeting(session, test_council, meeting, probe):
    digest = build_digest(session, test_council, meeting, today=TODAY)
    assert digest.previous_meeting.number == "1/2026"
    assert digest.previous_meeting.date == dt.date(2026, 10, 1)
    row = next(r for s in digest.goals for r in s.indicators if r.code == "PROBE")
    assert row.status.change_since_date == pytest.approx(4.5)
    assert row.change == fmt.change(4.5, "%") == "+4,5 prosentpoeng"
    # Every other indicator is compared with the same date.
    for r in (r for s in digest.goals for r in s.indicators):
        if r.status.change_since_date is not None:
            assert r.status.change_since_date == pytest.approx(
                change_since(r.status.series, dt.date(2026, 10, 1))
            )


def test_example_data_is_marked_everywhere_it_is_shown(session, test_council, meeting, probe):
    digest = build_digest(session, test_council, meeting, today=TODAY)
    section = next(s for s in digest.goals if s.code == "mal2")
    row = next(r for r in section.indicators if r.code == "PROBE")
    assert row.value == "44,5\u00a0% (eksempeldata)"
    assert row.is_example and section.has_example_data and digest.has_example_data
    assert "eksempeldata" in row.explanation
    assert "(eksempeldata)" in digest.meeting.label  # the planned meeting is example data
    assert any("eksempeldata" in n for n in digest.notices)
    for r in (r for s in digest.goals for r in s.indicators):
        if r.status.assessment.latest and r.status.assessment.latest.is_example:
            assert "eksempeldata" in r.value


def test_narrative_texts_are_the_stored_ones(session, test_council, meeting):
    goal = session.scalar(select(Goal).where(Goal.code == "mal3"))
    for old in session.scalars(select(GoalNarrative).where(GoalNarrative.goal_id == goal.id)):
        session.delete(old)
    stored = GoalNarrative(
        goal_id=goal.id,
        quarter="2026-Q4",
        overall_status=["Status én", "Status to"],
        selected=["Delmål 3B"],
        positive_events=["Godt nytt"],
        challenges=["Utfordring A", "Utfordring B"],
        strategic_questions=["Spørsmål?"],
        footnotes=["* Fotnote"],
    )
    session.add(stored)
    session.flush()
    digest = build_digest(session, test_council, meeting, today=TODAY)
    narrative = next(s for s in digest.goals if s.code == "mal3").narrative
    assert narrative.quarter == "2026-Q4" and narrative.note == ""
    assert [p.heading for p in narrative.parts] == [
        "Overordnet status",
        "Positive hendelser",
        "Utfordringer",
        "Viktige strategiske spørsmål",
    ]
    assert [list(p.items) for p in narrative.parts] == [
        stored.overall_status,
        stored.positive_events,
        stored.challenges,
        stored.strategic_questions,
    ]
    assert list(narrative.selected) == stored.selected and list(narrative.footnotes) == stored.footnotes


@pytest.mark.slow
def test_an_older_narrative_is_used_and_its_quarter_named(session, test_council, meeting):
    goal = session.scalar(select(Goal).where(Goal.code == "mal4"))
    stored = queries.latest_narrative(session, goal.id, "2026-Q4")
    if stored is None or stored.quarter == "2026-Q4":
        for old in session.scalars(select(GoalNarrative).where(GoalNarrative.goal_id == goal.id)):
            session.delete(old)
        stored = GoalNarrative(goal_id=goal.id, quarter="2026-Q2", overall_status=["Eldre status"])
        session.add(stored)
        session.flush()
    digest = build_digest(session, test_council, meeting, today=TODAY)
    narrative = next(s for s in digest.goals if s.code == "mal4").narrative
    assert narrative.quarter == stored.quarter
    assert list(narrative.parts[0].items) == list(stored.overall_status)
    assert fmt.period(stored.quarter) in narrative.note and "4. kvartal 2026" in narrative.note


def test_a_goal_without_narrative_says_so(session, test_council, meeting):
    goal = session.scalar(select(Goal).where(Goal.code == "mal1"))
    for old in session.scalars(select(GoalNarrative).where(GoalNarrative.goal_id == goal.id)):
        session.delete(old)
    session.flush()
    digest = build_digest(session, test_council, meeting, today=TODAY)
    section = next(s for s in digest.goals if s.code == "mal1")
    assert section.narrative.note == "Ingen statusvurdering er skrevet for dette målet for 4. kvartal 2026."
    assert section.narrative.parts == ()
    assert section.narrative.note in to_markdown(digest)


def test_without_a_meeting_the_current_quarter_is_covered(session, test_council):
    digest = build_digest(session, test_council, None, today=TODAY)
    assert digest.title == "Status nasjonal e-helsestrategi — 4. kvartal 2026"
    assert digest.meeting is None and digest.quarter == quarter_of(TODAY)
    # Changes are then measured since the council's last meeting before today.
    assert digest.previous_meeting.number == "1/2026"


@pytest.mark.slow
def test_markdown_has_every_goal_its_table_and_chart(session, test_council, meeting, probe):
    digest = build_digest(session, test_council, meeting, today=TODAY)
    text = to_markdown(digest)
    assert text.startswith(f"# {digest.title}\n")
    for section in digest.goals:
        assert f"## {section.label}" in text.replace("\\", "")
        assert f"]({section.chart_filename})" in text
    assert "| Indikator | Siste verdi | Periode | Ambisjon | Vurdering | Endring siden forrige møte |" in text
    assert "44,5\u00a0% (eksempeldata)" in text
    assert "Møtedatoen er eksempeldata" in text


def test_an_indicator_of_another_goal_that_the_narrative_features_is_shown_not_counted(
    session, test_council, meeting, probe
):
    goal = session.scalar(select(Goal).where(Goal.code == "mal3"))
    for old in session.scalars(select(GoalNarrative).where(GoalNarrative.goal_id == goal.id)):
        session.delete(old)
    session.add(GoalNarrative(goal_id=goal.id, quarter="2026-Q4", indicator_codes=["PROBE"]))
    session.flush()
    digest = build_digest(session, test_council, meeting, today=TODAY)
    mal2 = next(s for s in digest.goals if s.code == "mal2")
    mal3 = next(s for s in digest.goals if s.code == "mal3")
    (borrowed,) = [r for r in mal3.indicators if r.code == "PROBE"]
    assert borrowed.highlighted and not borrowed.own and mal3.indicators[0] is borrowed
    assert any(r.code == "PROBE" and r.own for r in mal2.indicators)
    assert sum(c.count for c in mal3.counts) == sum(r.own for r in mal3.indicators)
    # The chart of Mål 3 draws it too.
    assert "PROBE" in {leaf.indicator.code for s in mal3.status.indicators for leaf in s.leaves}
