"""An indicator's value at a period, and its history as a compact table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from radsbot.bot.handlers import names
from radsbot.bot.handlers.indicators import _alternatives, display_name, example_notice, value_text
from radsbot.bot.handlers.request import Request
from radsbot.bot.matching import Candidate
from radsbot.bot.replies import Button, Fact, Reply, Section
from radsbot.data import lookups, queries
from radsbot.data.models import Indicator
from radsbot.reports import formatting as fmt
from radsbot.reports import history
from radsbot.reports.analytics import Point
from radsbot.reports.history import AskedPeriod, Span

if TYPE_CHECKING:
    import pandas as pd

# A history stays compact in every transport: the latest rows only (the chart has all of them).
MAX_ROWS = 24


def _asked(req: Request, code: str, asked: AskedPeriod) -> Reply | tuple[Indicator, Span, pd.DataFrame]:
    """The indicator, the span asked and its series; or the answer when there is nothing to slice
    (an unknown code, or a composite whose values are its parts')."""
    indicator = lookups.indicator_by_code(req.session, code)
    if indicator is None:
        return names.unknown_code(req, code)
    series = queries.series(req.session, indicator.id)
    if series.empty and indicator.children:
        return _through_parts(req, indicator)
    return indicator, history.resolve(asked, req.today), series


def value_at_reply(
    req: Request, code: str, asked: AskedPeriod, alternatives: tuple[Candidate, ...] = ()
) -> Reply:
    """The value stored for the asked period, or plainly none with the nearest measurements."""
    subject = _asked(req, code, asked)
    if isinstance(subject, Reply):
        return subject
    indicator, span, series = subject
    point = history.value_at(series, span)
    when = _span_text(req, span)
    name = display_name(indicator)
    if point is not None:
        # The period as stored when it is not the one asked ("2024" answered by 4th quarter 2024).
        stored = point.period == span.label
        value = _value(req, indicator, point) if stored else value_text(req, indicator, point)
        summary = req._("{name}, {period}: {value}.", name=name, period=when, value=value)
        sections = [Section(facts=(Fact(fmt.period(point.period, req.lang), _value(req, indicator, point)),))]
        shown: list[Point] = [point]
    else:
        summary = req._("There is no measurement of {name} for {period}.", name=name, period=when)
        before, after = history.nearest(series, span)
        shown = [p for p in (before, after) if p is not None]
        facts = tuple(Fact(fmt.period(p.period, req.lang), _value(req, indicator, p)) for p in shown)
        heading = req._("The nearest measurements") if facts else ""
        text = "" if facts else req._("{code} has no measurements yet.", code=indicator.code)
        sections = [Section(heading=heading, text=text, facts=facts)]
    sections.append(_chart_button(req, indicator, alternatives))
    return Reply(
        title=f"{indicator.name} ({indicator.code})",
        summary=summary,
        sections=tuple(sections),
        notice=example_notice(req) if any(p.is_example for p in shown) else "",
        meta={"indicator": indicator.code, "period": span.label or span.start.isoformat()},
    )


def history_reply(
    req: Request, code: str, asked: AskedPeriod, alternatives: tuple[Candidate, ...] = ()
) -> Reply:
    """The measurements over the asked span as a table (period, value, example-data mark)."""
    subject = _asked(req, code, asked)
    if isinstance(subject, Reply):
        return subject
    indicator, span, series = subject
    found = history.within(series, span)
    name = display_name(indicator)
    if found:
        summary = req.ngettext(
            "{count} measurement of {name}, from {first} to {last}.",
            "{count} measurements of {name}, from {first} to {last}.",
            len(found),
            count=len(found),
            name=name,
            first=fmt.period(found[0].period, req.lang),
            last=fmt.period(found[-1].period, req.lang),
        )
    else:
        summary = req._(
            "There are no measurements of {name} for {period}.", name=name, period=_span_text(req, span)
        )
    shown = found[-MAX_ROWS:]
    table = tuple(Fact(fmt.period(p.period, req.lang), _value(req, indicator, p)) for p in shown)
    more = ""
    if len(found) > len(shown):
        more = req._(
            "The latest {shown} of {count} are shown; the chart shows them all.",
            shown=len(shown),
            count=len(found),
        )
    return Reply(
        title=req._("History: {name}", name=f"{indicator.name} ({indicator.code})"),
        summary=summary,
        sections=(Section(facts=table, context=more), _chart_button(req, indicator, alternatives)),
        notice=example_notice(req) if any(p.is_example for p in shown) else "",
        meta={"indicator": indicator.code, "count": str(len(found))},
    )


def _through_parts(req: Request, indicator: Indicator) -> Reply:
    """A composite has no values of its own: name its parts, each with the code to ask for."""
    parts = tuple(f"{display_name(c)}  →  {fmt.quoted(c.code, req.lang)}" for c in indicator.children)
    return Reply(
        title=f"{indicator.name} ({indicator.code})",
        summary=req._(
            "{name} has no values of its own; it is measured through its sub-indicators. "
            "Ask for one of them with the same period.",
            name=display_name(indicator),
        ),
        sections=(Section(items=parts), _chart_button(req, indicator, ())),
        meta={"indicator": indicator.code},
    )


def _value(req: Request, indicator: Indicator, point: Point) -> str:
    """ "5,4 %", with "(eksempeldata)" after it when it is example data."""
    return fmt.marked(fmt.value(point.value, indicator.unit, req.lang), point.is_example, req.lang)


def _span_text(req: Request, span: Span) -> str:
    """ "2024", "3. kvartal 2024", or "1. januar 2023 – 22. november 2026"."""
    if span.label:
        return fmt.period(span.label, req.lang)
    if span.start.year <= 1:
        return req._("all periods")
    return f"{fmt.date(span.start, req.lang)} – {fmt.date(span.end, req.lang)}"


def _chart_button(req: Request, indicator: Indicator, alternatives: tuple[Candidate, ...]) -> Section:
    return Section(
        buttons=(Button(req._("Show chart"), "show_chart", indicator.code),),
        context=_alternatives(req, alternatives),
    )
