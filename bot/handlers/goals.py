"""A goal with its indicators and verdicts, the overview of every goal, and a goal's chart."""

from __future__ import annotations

from collections import Counter

from radsbot.bot.handlers import names
from radsbot.bot.handlers.indicators import example_notice, short_label, value_text, verdict_counts
from radsbot.bot.handlers.request import Request
from radsbot.bot.narrative_edit import ACTION, button_value
from radsbot.bot.replies import Attachment, Button, Fact, Reply, Section
from radsbot.data import lookups, queries
from radsbot.data.access import allowed
from radsbot.data.narratives import HEADINGS
from radsbot.data.periods import quarter_of
from radsbot.reports import formatting as fmt
from radsbot.reports.chart_text import chart_text
from radsbot.reports.digest import narrative_of
from radsbot.reports.status import VERDICT_ORDER, IndicatorStatus, goal_status, overview, total_counts


def goal_reply(req: Request, code: str, section: str = "") -> Reply:
    """One goal: its description, status text, counts per verdict and each indicator with its verdict.

    With `section` ("challenges" …), only that part of the goal's newest status text.
    """
    goal = lookups.goal_by_code(req.session, code)
    if goal is None:
        return names.not_found_reply(req, code, (), "goal")
    if section:
        return narrative_section_reply(req, goal, section)
    status = goal_status(req.session, goal, req.today)
    lines = tuple(line for s in status.indicators for line in _indicator_lines(req, s))
    counts = verdict_counts(req, status.counts)
    label = goal.label_in(req.lang)
    chart = Button(req._("Show chart for the goal"), "show_goal_chart", goal.code)
    return Reply(
        title=label,
        summary=req._("{label}: {counts}.", label=label, counts=counts),
        sections=(
            Section(
                heading=fmt.goal_kind(goal.kind, req.lang),
                text=goal.description.strip(),
                facts=_count_facts(req, status.counts),
            ),
            _overall_status(req, goal),
            Section(
                heading=req._("Indicators"),
                text="" if lines else req._("No indicators belong to this goal yet."),
                items=lines,
                buttons=(chart,) if lines else (),
            ),
        ),
        notice=example_notice(req) if status.has_example_data else "",
        meta={"goal": goal.code},
    )


def narrative_section_reply(req: Request, goal, section: str) -> Reply:
    """One part of a goal's newest status text for this quarter (an older one named as older)."""
    quarter = quarter_of(req.today)
    stored = queries.latest_narrative(req.session, goal.id, quarter)
    narrative = narrative_of(stored, quarter, req.lang)
    heading = req._(HEADINGS[section])
    label = goal.label_in(req.lang)
    items = tuple(getattr(stored, section) or ()) if stored else ()
    when = fmt.period(stored.quarter, req.lang) if stored else fmt.period(quarter, req.lang)
    return Reply(
        title=f"{heading} – {label}",
        summary=req._("{section} for {goal} ({quarter}).", section=heading, goal=label, quarter=when),
        sections=(
            Section(
                text=narrative.note or ("" if items else req._("No points are written under this heading.")),
                items=items,
                context=req._("From the status assessment for {quarter}.", quarter=when) if stored else "",
                buttons=_edit_button(req, goal.code, section),
            ),
        ),
        meta={"goal": goal.code, "section": section},
    )


def _edit_button(req: Request, goal_code: str, section: str) -> tuple[Button, ...]:
    """Staff may replace the section (a form in the chat client); others see no button."""
    if not allowed(req.session, req.user, "narrative", req.admins):
        return ()
    return (Button(req._("Change the text"), ACTION, button_value(goal_code, section)),)


def _overall_status(req: Request, goal) -> Section:
    """The overall status of the goal's newest status text, with the quarter it was written for."""
    quarter = quarter_of(req.today)
    stored = queries.latest_narrative(req.session, goal.id, quarter)
    narrative = narrative_of(stored, quarter, req.lang)
    if stored is None:
        return Section(heading=req._(HEADINGS["overall_status"]), text=narrative.note)
    return Section(
        heading=req._(HEADINGS["overall_status"]),
        text=narrative.note,
        items=tuple(stored.overall_status),
        context=req._(
            "From the status assessment for {quarter}.", quarter=fmt.period(stored.quarter, req.lang)
        ),
    )


def overview_reply(req: Request) -> Reply:
    """Every goal with its counts per verdict and its indicators' codes (also the App Home)."""
    goals = overview(req.session, req.today)
    total = total_counts(goals)
    sections = tuple(
        Section(
            heading=g.goal.label_in(req.lang),
            text=verdict_counts(req, g.counts),
            items=tuple(_overview_line(req, s) for s in g.indicators),
        )
        for g in goals
    )
    summary = req._(
        "{total} indicators in {goals} goals: {counts}.",
        total=sum(total.values()),
        goals=len(goals),
        counts=verdict_counts(req, total),
    )
    hint = req._("Write “goal 3” or “status PLL” for details.")
    return Reply(
        title=req._("Overview: National e-health strategy"),
        summary=summary,
        sections=(*sections, Section(context=hint)),
        notice=example_notice(req) if any(g.has_example_data for g in goals) else "",
        meta={"view": "overview"},
    )


def goal_chart_reply(req: Request, code: str) -> Reply:
    """Small multiples of a goal's indicators as a PNG attachment."""
    from radsbot.reports.charts import goal_chart

    goal = lookups.goal_by_code(req.session, code)
    if goal is None:
        return names.not_found_reply(req, code, (), "goal")
    status = goal_status(req.session, goal, req.today)
    png, alt = goal_chart(status, req.lang), chart_text(status, req.lang).full
    example = status.has_example_data or any(
        bool(leaf.series["is_example"].any()) for s in status.indicators for leaf in s.leaves
    )
    label = goal.label_in(req.lang)
    return Reply(
        title=req._("Chart: {name}", name=label),
        summary=req._("The development of the indicators under {name}.", name=label),
        sections=(Section(text=verdict_counts(req, status.counts)),),
        attachments=(Attachment(f"{goal.code.lower()}.png", label, png, alt=alt),),
        notice=example_notice(req) if example else "",
        meta={"goal": goal.code},
    )


def _count_facts(req: Request, counts: Counter) -> tuple[Fact, ...]:
    return tuple(Fact(v.label(req.lang), str(counts[v])) for v in VERDICT_ORDER if counts.get(v))


def _indicator_lines(req: Request, status: IndicatorStatus) -> list[str]:
    """The indicator with latest value and verdict; a composite's parts follow, indented."""
    ind = status.indicator
    head = f"{ind.code} – {short_label(ind)}"
    if status.children and status.series.empty:
        return [head] + [
            f"↳ {c.indicator.code} – {short_label(c.indicator)}: "
            f"{value_text(req, c.indicator, c.assessment.latest)} · {c.verdict.label(req.lang)}"
            for c in status.children
        ]
    return [f"{head}: {value_text(req, ind, status.assessment.latest)} · {status.verdict.label(req.lang)}"]


def _overview_line(req: Request, status: IndicatorStatus) -> str:
    ind = status.indicator
    verdicts = Counter(leaf.verdict for leaf in status.leaves)
    if len(status.leaves) > 1:
        verdict = ", ".join(f"{v.label(req.lang)} {verdicts[v]}" for v in VERDICT_ORDER if verdicts.get(v))
    else:
        verdict = status.verdict.label(req.lang)
    return f"{ind.code} – {short_label(ind)}: {verdict}"
