"""The public dashboard's pages as data: every figure, verdict and text formatted once, here.

The web layer only renders these: the overview of every goal, a goal and an indicator (the meetings
and cases are in `dashboard_agenda`). Figures and verdicts come from `status` and `analytics`, words for the
charts from `chart_text`, formatting from `formatting`; meetings and cases only as
`radsbot.data.public` defines what is public.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from radsbot.data import lookups, public, queries
from radsbot.data.db import Session
from radsbot.data.models import Indicator
from radsbot.data.periods import quarter_of
from radsbot.data.words import words
from radsbot.reports import formatting as fmt
from radsbot.reports.analytics import Verdict, explain
from radsbot.reports.chart_text import ChartText, chart_text
from radsbot.reports.dashboard_agenda import CaseLink, case_link
from radsbot.reports.digest import Narrative, VerdictCount, ambition_text, narrative_of
from radsbot.reports.status import VERDICT_ORDER, IndicatorStatus, goal_status, indicator_status, overview


@dataclass(frozen=True)
class Row:
    """One indicator in a table: its figures formatted for readers."""

    code: str
    name: str
    value: str  # "15 % (eksempeldata)", "–"
    period: str  # "3. kvartal 2026"
    latest: str  # as the chat card writes it: "15 % (3. kvartal 2026, eksempeldata)", or "–"
    ambition: str  # "30 % innen desember 2029 (foreslått)"
    verdict: Verdict
    verdict_label: str
    trend: str  # "+2,1 prosentpoeng per år"; "–" without a trend
    explanation: str
    is_example: bool
    parts: tuple[Row, ...] = ()  # a composite reported through its parts


@dataclass(frozen=True)
class GoalCard:
    """A goal on the overview: counts per verdict over its rows, and the rows."""

    code: str
    label: str
    kind: str  # "overordnet" | "strategisk"
    counts: tuple[VerdictCount, ...]
    rows: tuple[Row, ...]
    has_example_data: bool


@dataclass(frozen=True)
class Overview:
    """Every goal with its highlighted (or all) indicators, counts per verdict, when data changed."""

    goals: tuple[GoalCard, ...]
    totals: tuple[VerdictCount, ...]
    version: str  # the dashboard draft whose indicators are highlighted: "v0.95"
    everything: bool  # all indicators rather than the highlighted ones
    changed: str  # "1. desember 2026", or "–"
    has_example_data: bool


@dataclass(frozen=True)
class GoalPage:
    """One goal: description, the newest published narrative, its indicators and its chart."""

    code: str
    label: str
    kind: str
    description: str
    narrative: Narrative
    narrative_quarter: str  # "2. kvartal 2026", "" without a narrative
    counts: tuple[VerdictCount, ...]
    rows: tuple[Row, ...]
    chart: ChartText
    has_example_data: bool


@dataclass(frozen=True)
class SeriesRow:
    """One value of an indicator's series."""

    period: str
    value: str
    is_example: bool
    note: str


@dataclass(frozen=True)
class PlanRef:
    """An indicator of the 2023 plan with its baseline and 2025 target, as the plan words them."""

    code: str
    number: str
    name: str
    baseline: str
    target: str


@dataclass(frozen=True)
class IndicatorPage:
    """One indicator: the card's facts, its series, the ambition's wording, the plan, the cases."""

    row: Row
    name: str
    goal_code: str
    goal_label: str
    parent: tuple[str, str] | None  # (code, name) of the composite it belongs to
    measures: str
    latest: str
    change: str
    readiness: str
    source: str
    frequency: str  # "arlig" | "kvartalsvis" | "lopende"
    indicator_set: str  # "dashbord" | "plan2023"
    unit: str
    ambition_wording: str
    ambition_source: str
    series: tuple[SeriesRow, ...]
    plan: tuple[PlanRef, ...]
    cases: tuple[CaseLink, ...]
    chart: ChartText
    composite: bool
    has_example_data: bool


def overview_page(
    session: Session, today: dt.date, lang: str = "nb", *, everything: bool = False, timezone: str = "UTC"
) -> Overview:
    """Every goal with its highlighted indicators (those of the newest dashboard draft), or all."""
    version = public.newest_dashboard_version(session)
    cards = []
    total: Counter = Counter()
    for goal in overview(session, today):
        shown = [s for s in goal.indicators if everything or version in s.indicator.dashboard_versions]
        counts = Counter(leaf.verdict for s in shown for leaf in s.leaves)
        total.update(counts)
        rows = tuple(to_row(s, lang) for s in shown)
        cards.append(
            GoalCard(
                goal.goal.code,
                goal.goal.label,
                goal.goal.kind,
                _counts(counts, lang),
                rows,
                any(_example(r) for r in rows),
            )
        )
    changed = public.data_changed_at(session)
    return Overview(
        goals=tuple(cards),
        totals=_counts(total, lang),
        version=version,
        everything=everything,
        changed=fmt.date(changed.astimezone(ZoneInfo(timezone)).date(), lang) if changed else "–",
        has_example_data=any(c.has_example_data for c in cards),
    )


def goal_page(session: Session, code: str, today: dt.date, lang: str = "nb") -> GoalPage | None:
    """A goal by code, with the narrative of the newest quarter that has ended; None if unknown."""
    goal = lookups.goal_by_code(session, code)
    if goal is None:
        return None
    status = goal_status(session, goal, today)
    # A quarter's narrative is published in the status report after the quarter: the running
    # quarter's text is still being written (it is what a digest preview shows staff).
    published = _previous_quarter(today)
    stored = queries.latest_narrative(session, goal.id, published)
    narrative = narrative_of(stored, stored.quarter if stored else published, lang)
    rows = tuple(to_row(leaf, lang) for s in status.indicators for leaf in s.leaves)
    return GoalPage(
        code=goal.code,
        label=goal.label,
        kind=goal.kind,
        description=goal.description.strip(),
        narrative=narrative,
        narrative_quarter=fmt.period(stored.quarter, lang) if stored else "",
        counts=_counts(status.counts, lang),
        rows=rows,
        chart=chart_text(status, lang),
        has_example_data=any(r.is_example for r in rows),
    )


def indicator_page(session: Session, code: str, today: dt.date, lang: str = "nb") -> IndicatorPage | None:
    """An indicator by its exact code, or None if there is none."""
    indicator = lookups.indicator_by_code(session, code)
    if indicator is None:
        return None
    status = indicator_status(session, indicator, today)
    ind, a = indicator, status.assessment
    row = to_row(status, lang)
    notes = dict(queries.latest_notes(session, ind.id))
    # Records, not itertuples(): pandas-stubs types a tuple's fields as any scalar at all.
    series = tuple(
        SeriesRow(
            fmt.period(r["period"], lang),
            fmt.value(r["value"], ind.unit, lang),
            bool(r["is_example"]),
            _note(notes.get(r["period"], "")),
        )
        for r in status.series.to_dict("records")
    )
    change = "–"
    if a.change is not None and a.previous is not None:
        change = f"{fmt.change(a.change, ind.unit, lang)} ({fmt.period(a.previous.period, lang)})"
    ambition = status.ambition
    return IndicatorPage(
        row=row,
        name=ind.name,
        goal_code=ind.goal.code,
        goal_label=ind.goal.label,
        parent=(ind.parent.code, ind.parent.name) if ind.parent is not None else None,
        measures=ind.measures.strip(),
        latest=row.latest,
        change=change,
        readiness=fmt.readiness(ind.readiness, lang),
        source=ind.source,
        frequency=ind.frequency,
        indicator_set=ind.indicator_set,
        unit=ind.unit,
        ambition_wording=ambition.wording.strip() if ambition else "",
        ambition_source=ambition.source_document if ambition else "",
        series=series,
        plan=tuple(_plan_ref(p, lang) for p in ind.plan_links),
        cases=tuple(case_link(c, lang) for c in public.cases_for_indicator(session, ind.id)),
        chart=chart_text(status, lang),
        composite=bool(status.children) and status.series.empty,
        has_example_data=_example(row) or any(s.is_example for s in series),
    )


def to_row(status: IndicatorStatus, lang: str) -> Row:
    """An indicator's figures formatted for a table row (a composite with its parts)."""
    ind, a = status.indicator, status.assessment
    value = "–"
    if a.latest:
        value = fmt.marked(fmt.value(a.latest.value, ind.unit, lang), a.latest.is_example, lang)
    composite = bool(status.children) and status.series.empty
    parts = tuple(to_row(leaf, lang) for leaf in status.leaves) if composite else ()
    trend = "–"
    if a.slope_per_year is not None:
        trend = words(lang)._("{change} per year", change=fmt.change(a.slope_per_year, ind.unit, lang))
    latest = "–"
    if a.latest:
        when = fmt.period(a.latest.period, lang)
        when = f"{when}, {fmt.EXAMPLE_MARK[lang]}" if a.latest.is_example else when
        latest = f"{fmt.value(a.latest.value, ind.unit, lang)} ({when})"
    return Row(
        code=ind.code,
        name=ind.short_name or ind.name,
        value=value,
        period=fmt.period(a.latest.period, lang) if a.latest else "–",
        latest=latest,
        ambition=ambition_text(status, lang),
        verdict=status.verdict,
        verdict_label=status.verdict.label(lang),
        trend=trend,
        explanation=explain(a, lang, unit=ind.unit),
        # Any example point in the series is drawn in the chart, so the row says so as well.
        is_example=status.has_example_data or bool(status.series["is_example"].any()),
        parts=parts,
    )


def _note(note: str) -> str:
    """A value's note without a leading "Eksempeldata: …" sentence, which the marking says already."""
    note = note.strip()
    if note.casefold().startswith("eksempeldata"):
        note = note.split(". ", 1)[1] if ". " in note else ""
    return note


def _example(row: Row) -> bool:
    return row.is_example or any(_example(p) for p in row.parts)


def _counts(counter: Counter, lang: str) -> tuple[VerdictCount, ...]:
    return tuple(VerdictCount(v, v.label(lang), counter.get(v, 0)) for v in VERDICT_ORDER)


def _previous_quarter(today: dt.date) -> str:
    """The last quarter that has ended by `today`: "2026-Q3" on 22 November 2026."""
    first_of_quarter = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return quarter_of(first_of_quarter - dt.timedelta(days=1))


def _plan_ref(plan: Indicator, lang: str) -> PlanRef:
    ambition = queries.primary_ambition(plan)
    baseline = target = "–"
    if ambition is not None:
        baseline = ambition.baseline_label or (
            fmt.value(ambition.baseline_value, plan.unit, lang)
            if ambition.baseline_value is not None
            else "–"
        )
        target = ambition.wording.strip() or (
            fmt.value(ambition.target_value, plan.unit, lang) if ambition.target_value is not None else "–"
        )
    return PlanRef(plan.code, plan.number, plan.name, baseline, target)
