"""The indicator card and the indicator chart."""

from __future__ import annotations

from collections import Counter

from radsbot.bot.handlers import names
from radsbot.bot.handlers.request import Request
from radsbot.bot.matching import Candidate
from radsbot.bot.replies import Attachment, Button, Fact, Reply, Section
from radsbot.data import lookups, queries
from radsbot.data.models import Indicator
from radsbot.reports import formatting as fmt
from radsbot.reports.analytics import Point, explain
from radsbot.reports.chart_text import chart_text
from radsbot.reports.status import VERDICT_ORDER, IndicatorStatus, indicator_status

# Which facts come first for each aspect of the question; the rest follow in card order.
CARD_ORDER = (
    "goal",
    "set",
    "latest",
    "change",
    "trend",
    "ambition",
    "verdict",
    "readiness",
    "source",
    "frequency",
)
ASPECT_FIRST = {
    "ambition": ("ambition", "verdict", "latest"),
    "source": ("source", "frequency", "readiness"),
    "value": ("latest", "change"),
    "trend": ("trend", "change", "latest"),
    "frequency": ("frequency", "source"),
    "readiness": ("readiness", "source"),
}


def indicator_reply(
    req: Request, code: str, aspect: str = "status", alternatives: tuple[Candidate, ...] = ()
) -> Reply:
    """The card for one indicator, with the emphasis the question asked for."""
    indicator = lookups.indicator_by_code(req.session, code)
    if indicator is None:
        return names.unknown_code(req, code)
    status = indicator_status(req.session, indicator, req.today)
    facts = _facts(req, status)
    first = ASPECT_FIRST.get(aspect, ())
    order = list(first) + [k for k in CARD_ORDER if k not in first]
    shown = tuple(facts[k] for k in order if k in facts)
    sections = [
        Section(text=_lead(req, status, aspect), facts=shown, context=_small_print(req, indicator, status))
    ]
    if not is_composite(status):
        sections.append(
            Section(
                heading=req._("Assessment"), text=explain(status.assessment, req.lang, unit=indicator.unit)
            )
        )
    if status.children:
        sections.append(
            Section(
                heading=req._("Sub-indicators"), items=tuple(_child_line(req, c) for c in status.children)
            )
        )
    sections.append(
        Section(
            buttons=(Button(req._("Show chart"), "show_chart", indicator.code),),
            context=_alternatives(req, alternatives),
        )
    )
    return Reply(
        title=f"{indicator.name} ({indicator.code})",
        summary=_summary(req, status, aspect),
        sections=tuple(s for s in sections if s != Section()),
        notice=example_notice(req) if _shows_example(status) else "",
        meta={"indicator": indicator.code, "aspect": aspect, "verdict": status.verdict.value},
    )


def chart_reply(req: Request, code: str, alternatives: tuple[Candidate, ...] = ()) -> Reply:
    """The indicator's chart as a PNG attachment, with the verdict sentence."""
    from radsbot.reports.charts import indicator_chart, parts_chart

    indicator = lookups.indicator_by_code(req.session, code)
    if indicator is None:
        return names.unknown_code(req, code)
    status = indicator_status(req.session, indicator, req.today)
    # A composite without values of its own is drawn as its parts, one panel each.
    composite = is_composite(status)
    png = parts_chart(status, req.lang) if composite else indicator_chart(status, req.lang)
    alt = chart_text(status, req.lang).full
    example = any(_shows_example(s) or bool(s.series["is_example"].any()) for s in (status, *status.leaves))
    text = (
        verdict_counts(req, _leaf_counts(status))
        if composite
        else explain(status.assessment, req.lang, unit=indicator.unit)
    )
    named = f"{indicator.name} ({indicator.code})"
    return Reply(
        title=req._("Chart: {name}", name=named),
        summary=req._("The development of {name}, with target and projection.", name=indicator.code),
        sections=(Section(text=text, context=_alternatives(req, alternatives)),),
        attachments=(Attachment(f"{indicator.code.lower()}.png", indicator.name, png, alt=alt),),
        notice=example_notice(req) if example else "",
        meta={"indicator": indicator.code},
    )


def example_notice(req: Request) -> str:
    """The notice on an answer that shows example data."""
    return req._(
        "Example data: some of the figures shown are illustrative example data, not official figures."
    )


def value_text(req: Request, indicator: Indicator, point: Point | None) -> str:
    """ "14,2 % (3. kvartal 2026)", marked when the value is example data."""
    if point is None:
        return req._("no measurements yet")
    return fmt.measurement(point.value, indicator.unit, point.period, point.is_example, req.lang)


def short_label(indicator: Indicator) -> str:
    """The short name, or the name when the short name is missing or only the code."""
    short = indicator.short_name
    return short if short and short.casefold() != indicator.code.casefold() else indicator.name


def display_name(indicator: Indicator) -> str:
    """ "Digital dialog fastlege (DDFL)": the short name (or the name) with the code."""
    return f"{short_label(indicator)} ({indicator.code})"


def _facts(req: Request, status: IndicatorStatus) -> dict[str, Fact]:
    ind, a = status.indicator, status.assessment
    goal = ind.goal.label_in(req.lang)
    facts = {
        "goal": Fact(req._("Goal"), goal),
        "latest": Fact(req._("Latest value"), value_text(req, ind, a.latest)),
        "ambition": Fact(req._("Target"), fmt.ambition(status.ambition, ind.unit, req.lang)),
        "verdict": Fact(req._("Assessment"), status.verdict.label(req.lang)),
        "readiness": Fact(req._("Data status"), fmt.readiness(ind.readiness, req.lang)),
        "source": Fact(req._("Source"), ind.source or "–"),
        "frequency": Fact(req._("Updated"), fmt.frequency(ind.frequency, req.lang)),
    }
    if a.change is not None and a.previous is not None:
        change = fmt.change(a.change, ind.unit, req.lang)
        since = fmt.period(a.previous.period, req.lang)
        facts["change"] = Fact(req._("Change"), req._("{change} since {period}", change=change, period=since))
    if a.slope_per_year is not None:
        facts["trend"] = Fact(req._("Trend"), _per_year(req, a.slope_per_year, ind.unit))
    if is_composite(status):
        parts = req._("made up of {count} sub-indicators (see below)", count=len(status.children))
        facts["latest"] = Fact(req._("Latest value"), parts)
        facts["verdict"] = Fact(req._("Assessment"), verdict_counts(req, _leaf_counts(status)))
    if ind.indicator_set != "dashbord":
        facts["set"] = Fact(req._("Indicator set"), fmt.indicator_set(ind.indicator_set, req.lang))
    if ind.parent is not None:
        facts["goal"] = Fact(req._("Part of"), f"{ind.parent.name} ({ind.parent.code}) – {goal}")
    return facts


def _per_year(req: Request, slope: float, unit: str) -> str:
    return req._("{change} per year", change=fmt.change(slope, unit, req.lang))


def _summary(req: Request, status: IndicatorStatus, aspect: str) -> str:
    """One sentence answering the question the way it was asked."""
    ind, a = status.indicator, status.assessment
    name = display_name(ind)
    latest = value_text(req, ind, a.latest)
    frequency = fmt.frequency(ind.frequency, req.lang).lower()
    if aspect == "ambition":
        if fmt.has_ambition(status.ambition):
            ambition = fmt.ambition(status.ambition, ind.unit, req.lang)
            return req._("The target for {name} is {ambition}.", name=name, ambition=ambition)
        return req._("No target has been proposed for {name}.", name=name)
    if aspect == "source":
        if ind.source:
            return req._(
                "The source for {name} is {source}; the figures are updated {frequency}.",
                name=name,
                source=ind.source,
                frequency=frequency,
            )
        return req._(
            "The source for {name} is not settled yet; the figures are updated {frequency}.",
            name=name,
            frequency=frequency,
        )
    if aspect == "value" and a.latest is not None:
        return req._("{name}: {latest}.", name=name, latest=latest)
    if aspect == "trend":
        if a.slope_per_year is None:
            return req._("There are too few measurements to show a trend for {name}.", name=name)
        trend = _per_year(req, a.slope_per_year, ind.unit)
        return req._(
            "The trend for {name} is {trend}; the latest value is {latest}.",
            name=name,
            trend=trend,
            latest=latest,
        )
    if aspect == "frequency":
        return req._("{name} is updated {frequency}.", name=name, frequency=frequency)
    if aspect == "readiness":
        readiness = fmt.readiness(ind.readiness, req.lang)
        return req._("Data status for {name}: {readiness}.", name=name, readiness=readiness)
    verdict = status.verdict.label(req.lang)
    if is_composite(status):
        counts = verdict_counts(req, _leaf_counts(status))
        return req._(
            "{code} is made up of {count} sub-indicators: {counts}.",
            code=ind.code,
            count=len(status.children),
            counts=counts,
        )
    if a.latest is None:
        return req._("{code}: no measurements yet – {verdict}.", code=ind.code, verdict=verdict)
    return req._("{code}: {latest} – {verdict}.", code=ind.code, latest=latest, verdict=verdict)


def _lead(req: Request, status: IndicatorStatus, aspect: str) -> str:
    """The first text of the card: the ambition's wording when asked about the ambition."""
    ambition = status.ambition
    if aspect == "ambition" and ambition is not None and ambition.wording:
        return _wording(req, ambition.wording)
    return ""


def _wording(req: Request, wording: str) -> str:
    """The ambition in the document's own words, as stored."""
    return req._("From the document: “{wording}”", wording=wording.strip())


def _small_print(req: Request, indicator: Indicator, status: IndicatorStatus) -> str:
    """What the indicator measures, the ambition's wording when there is none, and the latest note."""
    parts = []
    if indicator.measures:
        parts.append(req._("About: {measures}", measures=indicator.measures.strip()))
    ambition = status.ambition
    # The document's words when the ambition fact cannot show them (there is no target).
    if ambition is not None and ambition.wording and not fmt.has_ambition(ambition):
        parts.append(_wording(req, ambition.wording))
    latest = status.assessment.latest
    if latest is not None:
        notes = dict(queries.latest_notes(req.session, indicator.id))
        note = notes.get(latest.period, "").strip()
        # A leading "Eksempeldata: …" sentence repeats the notice; the rest of the note informs.
        if note.casefold().startswith("eksempeldata"):
            note = note.split(". ", 1)[1] if ". " in note else ""
        if note:
            parts.append(f"{fmt.period(latest.period, req.lang)}: {note}")
    return "\n".join(parts)


def is_composite(status: IndicatorStatus) -> bool:
    """Whether the indicator is reported through its parts only (no series of its own)."""
    return bool(status.children) and status.series.empty


def verdict_counts(req: Request, counts: Counter) -> str:
    """ "På sporet 2 · Usikkert 1 · Mangler data 3"."""
    parts = [f"{v.label(req.lang)} {counts[v]}" for v in VERDICT_ORDER if counts.get(v)]
    return " · ".join(parts) or req._("no indicators")


def _leaf_counts(status: IndicatorStatus) -> Counter:
    return Counter(leaf.verdict for leaf in status.leaves)


def _child_line(req: Request, child: IndicatorStatus) -> str:
    ind = child.indicator
    latest = value_text(req, ind, child.assessment.latest)
    return f"{ind.code} – {short_label(ind)}: {latest} · {child.verdict.label(req.lang)}"


def _shows_example(status: IndicatorStatus) -> bool:
    """Whether any number on the card (latest, previous, trend, parts) is example data."""
    a = status.assessment
    points = (p for p in (a.latest, a.previous) if p is not None)
    return status.has_example_data or any(p.is_example for p in points)


def _alternatives(req: Request, alternatives: tuple[Candidate, ...]) -> str:
    if not alternatives:
        return ""
    shown = ", ".join(names.label(req, c) for c in alternatives)
    return req._("Did you mean another one? {names}", names=shown)
