"""The case paper (toppnotat): a context built from a stored case, rendered into a Word template."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from radsbot.data.agenda import case_date, previous_decisions
from radsbot.data.db import Session
from radsbot.data.models import Case, Goal
from radsbot.data.words import words
from radsbot.reports import formatting as fmt
from radsbot.reports.analytics import explain
from radsbot.reports.chart_text import chart_text
from radsbot.reports.documents import Figure, checked_template, render
from radsbot.reports.papers import Råd, Sak, case_fields, council_fields
from radsbot.reports.status import GoalStatus, IndicatorStatus, indicator_status

TEMPLATE = "toppnotat.docx"
REQUIRED_FIELDS = ("sak.saksnummer", "sak.tittel")


def empty_section(lang: str = "nb") -> str:
    """What a paper's section shows when the stored case leaves it empty: "[Ikke utfylt]"."""
    return words(lang)._("[Not filled in]")


@dataclass(frozen=True)
class Indikatorstatus:
    """One row of "Status for indikatorene"."""

    kode: str
    navn: str
    siste_verdi: str
    periode: str
    ambisjon: str
    vurdering: str
    forklaring: str
    eksempeldata: bool


@dataclass(frozen=True)
class TidligereVedtak:
    """One row of "Vedtak fra tidligere behandlinger i rådsmodellen"."""

    saksnummer: str
    råd: str
    møte_og_dato: str
    tittel: str
    vedtak: str


@dataclass(frozen=True)
class Toppnotat:
    """Everything a toppnotat template may use (the fields of its fields included)."""

    råd: Råd
    sak: Sak
    indikatorer: list[Indikatorstatus]
    tidligere_vedtak: list[TidligereVedtak]
    eksempeldata: bool
    eksempeldata_merknad: str
    generert: str
    figur: object = field(default="")  # an inline chart image when rendered with a chart


@dataclass(frozen=True)
class _ChartHeading:
    """Stands in for a goal in a chart of a case's indicators that span several goals."""

    number: str

    def label_in(self, lang: str) -> str:
        """The chart's title: "Indikatorer i sak 40/25"."""
        return words(lang)._("Indicators in case {number}", number=self.number)


def build_context(
    session: Session,
    case: Case,
    *,
    today: dt.date,
    lang: str = "nb",
    statuses: list[IndicatorStatus] | None = None,
) -> Toppnotat:
    """The toppnotat context of a stored case, as of `today` for the indicators' status."""
    if statuses is None:
        statuses = linked_statuses(session, case, today)
    rows = [indicator_row(leaf, lang) for s in statuses for leaf in s.leaves]
    earlier = [decision_row(c, lang) for c in previous_decisions(session, case)]
    example = any(r.eksempeldata for r in rows)
    return Toppnotat(
        råd=council_fields(case.council),
        sak=case_fields(case, lang, empty=empty_section(lang)),
        indikatorer=rows,
        tidligere_vedtak=earlier,
        eksempeldata=example,
        eksempeldata_merknad=fmt.example_note(lang) if example else "",
        generert=fmt.date(today, lang),
    )


def linked_statuses(session: Session, case: Case, today: dt.date) -> list[IndicatorStatus]:
    """The status of the indicators the case is linked to, in the order of their goals."""
    ordered = sorted(case.indicators, key=lambda i: (i.goal_id, i.sort_order, i.code))
    return [indicator_status(session, ind, today) for ind in ordered]


def indicator_row(status: IndicatorStatus, lang: str = "nb") -> Indikatorstatus:
    """A status table row: latest value and period, ambition, verdict label and explanation."""
    ind, latest = status.indicator, status.assessment.latest
    unit = ind.unit
    if latest is None:
        value, period = "–", ""
    else:
        period = fmt.period(latest.period, lang)
        value = fmt.measurement(latest.value, unit, latest.period, latest.is_example, lang)
    return Indikatorstatus(
        kode=ind.code,
        navn=ind.short_name or ind.name,
        siste_verdi=value,
        periode=period,
        ambisjon=fmt.ambition(status.ambition, unit, lang),
        vurdering=status.verdict.label(lang),
        forklaring=explain(status.assessment, lang, unit=unit),
        eksempeldata=status.has_example_data,
    )


def decision_row(case: Case, lang: str = "nb") -> TidligereVedtak:
    """A previous-decisions row: the decision, or the proposed one marked as such."""
    day = case_date(case)
    council = case.council.display_name
    where = council if case.meeting is not None else (case.meeting_label or council)
    stamp = fmt.short_date(day, lang) if day else ""
    meeting = f"{where} {stamp}" if stamp and stamp not in where else where
    decision = case.decision.strip() or words(lang)._(
        "Proposed decision: {decision}", decision=case.proposed_decision.strip()
    )
    return TidligereVedtak(
        saksnummer=case.number,
        råd=council,
        møte_og_dato=meeting,
        tittel=case.title,
        vedtak=decision,
    )


def chart_subject(statuses: list[IndicatorStatus], case: Case) -> IndicatorStatus | GoalStatus | None:
    """What the case's chart shows: its one indicator, or its indicators as a goal's small multiples."""
    leaves = [leaf for s in statuses for leaf in s.leaves]
    if not leaves:
        return None
    if len(leaves) == 1:
        return leaves[0]
    goals = {s.indicator.goal_id for s in statuses}
    if len(goals) == 1:
        return GoalStatus(statuses[0].indicator.goal, tuple(statuses))
    # Indicators of several goals: titled by the case instead (charts and chart texts read only
    # the goal's label_in).
    return GoalStatus(cast("Goal", _ChartHeading(case.number)), tuple(statuses))


def chart_figure(statuses: list[IndicatorStatus], case: Case, lang: str = "nb") -> Figure | None:
    """The case's chart with its text alternative, or None when no indicator is linked."""
    from radsbot.reports.charts import goal_chart, indicator_chart

    subject = chart_subject(statuses, case)
    if subject is None:
        return None
    png = goal_chart(subject, lang) if isinstance(subject, GoalStatus) else indicator_chart(subject, lang)
    return Figure(png, chart_text(subject, lang).full)


def toppnotat_docx(
    session: Session,
    case: Case,
    *,
    today: dt.date,
    lang: str = "nb",
    template: Path | None = None,
    chart: bool = True,
) -> bytes:
    """The case paper as .docx bytes, from the shipped template or a custom one.

    Raises:
        TemplateProblem: the custom template has syntax errors, unknown or missing fields.
    """
    source, name = checked_template(template, TEMPLATE, Toppnotat, REQUIRED_FIELDS)
    statuses = linked_statuses(session, case, today)
    context = build_context(session, case, today=today, lang=lang, statuses=statuses)
    figure = chart_figure(statuses, case, lang) if chart else None
    images = {"figur": figure} if figure else {}
    title = words(lang)._("Case paper {number}: {title}", number=case.number, title=case.title)
    return render(source, context, images, name, lang=lang, title=title)


def toppnotat_filename(case: Case) -> str:
    """A file name for the paper: "toppnotat-nuit-41-25.docx"."""
    return f"{fmt.file_stem('toppnotat', case.council.code, case.number)}.docx"
