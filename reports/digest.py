"""The pre-meeting digest as data: title, quarter, overview and one section per goal.

Modelled on the quarterly status report (Status nasjonal e-helsestrategi Q2 2026): per goal
Overordnet status, Utvalgte indikatorer, Positive hendelser, Utfordringer and Viktige
strategiske spørsmål, with a chart. Every text a reader sees is formatted here once, so the
Markdown, Word and chat renderers show the same words and the same example-data markings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from radsbot.data import queries
from radsbot.data.db import Session
from radsbot.data.models import Council, GoalNarrative, Meeting
from radsbot.data.periods import quarter_of
from radsbot.data.words import words
from radsbot.reports import formatting as fmt
from radsbot.reports.analytics import Verdict, explain
from radsbot.reports.digest_texts import labels, parts
from radsbot.reports.status import VERDICT_ORDER, GoalStatus, IndicatorStatus, overview, total_counts


@dataclass(frozen=True)
class MeetingRef:
    """A meeting as the digest names it."""

    id: int
    number: str
    date: dt.date
    label: str  # "4/2026, 26. november 2026 (eksempeldata)"
    is_example: bool


@dataclass(frozen=True)
class VerdictCount:
    """How many indicators have one verdict."""

    verdict: Verdict
    label: str
    count: int


@dataclass(frozen=True)
class IndicatorRow:
    """One reported indicator with its figures formatted for readers."""

    status: IndicatorStatus
    code: str
    name: str
    value: str  # "18,9 % (eksempeldata)" or "–"
    period: str  # "2. kvartal 2026"
    ambition: str  # "30 % innen desember 2029 (foreslått)"
    verdict: Verdict
    verdict_label: str
    change: str  # change since the council's previous meeting
    explanation: str
    is_example: bool
    highlighted: bool  # named in the goal narrative
    own: bool  # False for an indicator of another goal that this goal's narrative features


@dataclass(frozen=True)
class NarrativePart:
    """A heading of the narrative and its points."""

    heading: str
    items: tuple[str, ...]
    numbered: bool  # the report numbers events, challenges and questions; status is bulleted


@dataclass(frozen=True)
class Narrative:
    """The secretariat's narrative for a goal, or a plain note that there is none."""

    quarter: str  # the quarter it was written for; "" when none exists
    note: str  # says when it is old or missing
    parts: tuple[NarrativePart, ...]  # Overordnet status, Positive hendelser, …
    selected: tuple[str, ...]  # the narrative's "Utvalgte indikatorer og strategiske delmål"
    footnotes: tuple[str, ...]


@dataclass(frozen=True)
class GoalSection:
    """One goal: counts, indicators, narrative and the name of its chart file."""

    status: GoalStatus
    code: str
    label: str
    counts: tuple[VerdictCount, ...]
    indicators: tuple[IndicatorRow, ...]
    narrative: Narrative
    chart_filename: str
    has_example_data: bool

    def table(self, lab: dict[str, str]) -> tuple[list[str], list[list[str]]]:
        """The indicator table every renderer shows: its header and one row per indicator."""
        head = [lab["indicator"], lab["value"], lab["period"], lab["ambition"], lab["verdict"], lab["change"]]
        rows = [
            [
                f"{r.name} ({lab['highlighted']})" if r.highlighted else r.name,
                r.value,
                r.period,
                r.ambition,
                r.verdict_label,
                r.change,
            ]
            for r in self.indicators
        ]
        return head, rows


@dataclass(frozen=True)
class Digest:
    """Everything the digest shows, for one council and one meeting or quarter."""

    title: str
    council_code: str
    council_name: str
    meeting: MeetingRef | None
    previous_meeting: MeetingRef | None
    quarter: str  # "2026-Q4"
    quarter_label: str  # "4. kvartal 2026"
    today: dt.date
    lang: str
    totals: tuple[VerdictCount, ...]
    goals: tuple[GoalSection, ...]
    notices: tuple[str, ...]
    has_example_data: bool

    @property
    def labels(self) -> dict[str, str]:
        """Column and field labels in the digest's language, shared by every renderer."""
        return labels(self.lang)

    def overview_table(self) -> tuple[list[str], list[list[str]]]:
        """Verdict counts per goal and in total: the header and the rows, the total row last."""
        lab = self.labels
        head = [lab["goal"], *(c.label for c in self.totals), lab["total"]]
        rows = [
            [s.label, *(str(c.count) for c in s.counts), str(sum(c.count for c in s.counts))]
            for s in self.goals
        ]
        rows.append(
            [lab["total"], *(str(c.count) for c in self.totals), str(sum(c.count for c in self.totals))]
        )
        return head, rows

    @property
    def facts(self) -> tuple[tuple[str, str], ...]:
        """(label, value) lines under the title: council, meeting, quarter, previous meeting, date."""
        lab = self.labels
        facts = [(lab["council"], self.council_name)]
        if self.meeting:
            facts.append((lab["meeting"], self.meeting.label))
        facts.append((lab["quarter"], self.quarter_label))
        if self.previous_meeting:
            facts.append((lab["previous"], self.previous_meeting.label))
        facts.append((lab["made"], fmt.date(self.today, self.lang)))
        return tuple(facts)

    @property
    def slug(self) -> str:
        """A file name stem: "sammendrag-nuit-2026-11-26" or "sammendrag-nuit-2026-Q4"."""
        when = self.meeting.date.isoformat() if self.meeting else self.quarter
        return fmt.file_stem("sammendrag", self.council_code, when)


def build_digest(
    session: Session,
    council: Council,
    meeting: Meeting | None = None,
    *,
    today: dt.date,
    lang: str = "nb",
) -> Digest:
    """Compose the digest for a council's meeting, or for the current quarter without one.

    The verdicts are as of `today`; changes are measured since the council's meeting before
    this one (before `today` when no meeting is named).
    """
    w = words(lang)
    quarter = quarter_of(meeting.date if meeting else today)
    quarter_label = fmt.period(quarter, lang)
    previous = (
        queries.previous_meeting(session, meeting) if meeting else _last_meeting(session, council, today)
    )
    since = previous.date if previous else None
    goals = _ordered_goals(session, today, since)
    sections = _sections(session, goals, quarter, since, lang)
    title = w._("National e-health strategy status")
    if meeting:
        before = w._("before {council} {date}", council=council.short_name, date=fmt.date(meeting.date, lang))
        title = f"{title} — {before}"
    else:
        title = f"{title} — {quarter_label}"
    has_example = any(s.has_example_data for s in sections)
    notices = tuple(
        text
        for text, shown in (
            (
                w._("The meeting date is example data (planned meeting calendar)."),
                bool(meeting and meeting.is_example),
            ),
            (fmt.example_note(lang), has_example),
            (w._("No earlier meeting to compare with."), previous is None),
        )
        if shown
    )
    return Digest(
        title=title,
        council_code=council.code,
        council_name=council.short_name,
        meeting=_meeting_ref(meeting, lang) if meeting else None,
        previous_meeting=_meeting_ref(previous, lang) if previous else None,
        quarter=quarter,
        quarter_label=quarter_label,
        today=today,
        lang=lang,
        totals=_counts(total_counts(goals), lang),
        goals=sections,
        notices=notices,
        has_example_data=has_example or bool(meeting and meeting.is_example),
    )


def goal_sections(
    session: Session, quarter: str, *, today: dt.date, lang: str = "nb"
) -> tuple[GoalSection, ...]:
    """Every goal as the digest shows it for a quarter, with no meeting to compare with."""
    return _sections(session, _ordered_goals(session, today, None), quarter, None, lang)


def _ordered_goals(session: Session, today: dt.date, since: dt.date | None) -> list[GoalStatus]:
    """The overarching goals first, then the strategic ones, as the status report orders them."""
    return sorted(overview(session, today, since=since), key=lambda g: g.goal.kind != "overordnet")


def _sections(
    session: Session, goals: list[GoalStatus], quarter: str, since: dt.date | None, lang: str
) -> tuple[GoalSection, ...]:
    by_code = {s.indicator.code: s for g in goals for s in g.indicators}
    return tuple(
        _goal_section(session, g, i, quarter, since, lang, by_code) for i, g in enumerate(goals, start=1)
    )


def draw_charts(
    digest: Digest, on_step: Callable[[int, int, GoalSection], None] | None = None
) -> dict[str, bytes]:
    """One PNG per goal, keyed by the goal's chart file name; `on_step` reports progress.

    Charts kept from an earlier digest (or chat answer) whose data have not changed are reused;
    the others are drawn in parallel processes.
    """
    from radsbot.reports.charts import goal_charts

    for i, section in enumerate(digest.goals, start=1):
        if on_step:
            on_step(i, len(digest.goals), section)
    drawn = goal_charts([section.status for section in digest.goals], digest.lang)
    return {section.chart_filename: png for section, png in zip(digest.goals, drawn, strict=True)}


def _last_meeting(session: Session, council: Council, today: dt.date) -> Meeting | None:
    earlier = [m for m in queries.meetings(session, council.id) if m.date < today]
    return earlier[-1] if earlier else None


def _meeting_ref(meeting: Meeting, lang: str) -> MeetingRef:
    label = fmt.marked(fmt.meeting(meeting.number, meeting.date, lang), meeting.is_example, lang)
    return MeetingRef(meeting.id, meeting.number, meeting.date, label, meeting.is_example)


def _counts(counter, lang: str) -> tuple[VerdictCount, ...]:
    return tuple(VerdictCount(v, v.label(lang), counter.get(v, 0)) for v in VERDICT_ORDER)


def _goal_section(
    session: Session,
    goal: GoalStatus,
    index: int,
    quarter: str,
    since: dt.date | None,
    lang: str,
    by_code: dict[str, IndicatorStatus],
) -> GoalSection:
    stored = queries.latest_narrative(session, goal.goal.id, quarter)
    narrative = narrative_of(stored, quarter, lang)
    featured = list(stored.indicator_codes) if stored else []
    own = {s.indicator.code for parent in goal.indicators for s in (parent, *parent.leaves)}
    # The report may feature an indicator of another goal (Mål 2 shows PLL): it is shown here too,
    # in the table and the chart, but counted only under its own goal.
    borrowed = tuple(by_code[c] for c in featured if c not in own and c in by_code)
    rows = [
        _indicator_row(
            leaf, since, lang, {leaf.indicator.code, parent.indicator.code} & set(featured), own=True
        )
        for parent in goal.indicators
        for leaf in parent.leaves
    ]
    rows += [
        _indicator_row(leaf, since, lang, True, own=False) for parent in borrowed for leaf in parent.leaves
    ]
    # The indicators the narrative names come first, as in the quarterly report.
    rows.sort(key=lambda r: not r.highlighted)
    return GoalSection(
        status=GoalStatus(goal.goal, goal.indicators + borrowed, goal.counts),
        code=goal.goal.code,
        label=goal.goal.label_in(lang),
        counts=_counts(goal.counts, lang),
        indicators=tuple(rows),
        narrative=narrative,
        chart_filename=f"graf-{index:02d}-{goal.goal.code}.png",
        has_example_data=any(r.is_example for r in rows),
    )


def narrative_of(stored: GoalNarrative | None, quarter: str, lang: str) -> Narrative:
    """A goal's stored narrative for readers, with a note when it is older than `quarter` or missing."""
    w = words(lang)
    quarter_label = fmt.period(quarter, lang)
    if stored is None:
        note = w._(
            "No status assessment has been written for this goal for {quarter}.", quarter=quarter_label
        )
        return Narrative("", note, (), (), ())
    note = (
        ""
        if stored.quarter == quarter
        else w._(
            "The status assessment is from {old}; none has been written for {quarter}.",
            old=fmt.period(stored.quarter, lang),
            quarter=quarter_label,
        )
    )
    lists = (stored.overall_status, stored.positive_events, stored.challenges, stored.strategic_questions)
    shown = tuple(
        NarrativePart(heading, tuple(items), i > 0)
        for i, (heading, items) in enumerate(zip(parts(lang), lists, strict=True))
    )
    return Narrative(stored.quarter, note, shown, tuple(stored.selected), tuple(stored.footnotes))


def _indicator_row(
    status: IndicatorStatus, since: dt.date | None, lang: str, highlighted, *, own: bool
) -> IndicatorRow:
    ind, a = status.indicator, status.assessment
    # Any example point in the series is drawn in the chart, so the row says so as well.
    is_example = status.has_example_data or bool(status.series["is_example"].any())
    value = "–"
    if a.latest:
        value = fmt.marked(fmt.value(a.latest.value, ind.unit, lang), a.latest.is_example, lang)
    return IndicatorRow(
        status=status,
        code=ind.code,
        name=ind.name,
        value=value,
        period=fmt.period(a.latest.period, lang) if a.latest else "–",
        ambition=ambition_text(status, lang),
        verdict=status.verdict,
        verdict_label=status.verdict.label(lang),
        change=_change_text(status, since, lang),
        explanation=explain(a, lang, unit=ind.unit),
        is_example=is_example,
        highlighted=bool(highlighted),
        own=own,
    )


def ambition_text(status: IndicatorStatus, lang: str = "nb") -> str:
    """An indicator's ambition as every surface shows it (reports.formatting.ambition)."""
    return fmt.ambition(status.ambition, status.indicator.unit, lang)


def _change_text(status: IndicatorStatus, since: dt.date | None, lang: str) -> str:
    latest = status.assessment.latest
    if since is None or latest is None:
        return "–"
    if latest.period_end <= since:
        return words(lang)._("No new measurement")
    if status.change_since_date is None:
        return words(lang)._("No measurement before the previous meeting")
    return fmt.change(status.change_since_date, status.indicator.unit, lang)
