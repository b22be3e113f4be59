"""The indicator card and the indicator chart."""

from __future__ import annotations

from collections import Counter

from radsbot.bot.handlers import names
from radsbot.bot.handlers.request import Request
from radsbot.bot.matching import Candidate
from radsbot.bot.replies import Attachment, Button, Fact, Reply, Section
from radsbot.data import catalogue, queries
from radsbot.data.models import Ambition, Indicator
from radsbot.reports import formatting as fmt
from radsbot.reports.analytics import Point, explain
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
    indicator = catalogue.indicator_by_code(req.session, code)
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
            Section(heading=req.t("verdict"), text=explain(status.assessment, req.lang, unit=indicator.unit))
        )
    if status.children:
        sections.append(
            Section(heading=req.t("parts"), items=tuple(_child_line(req, c) for c in status.children))
        )
    sections.append(
        Section(
            buttons=(Button(req.t("show_chart"), "show_chart", indicator.code),),
            context=_alternatives(req, alternatives),
        )
    )
    return Reply(
        title=f"{indicator.name} ({indicator.code})",
        summary=_summary(req, status, aspect),
        sections=tuple(s for s in sections if s != Section()),
        notice=req.t("example_notice") if _shows_example(status) else "",
        meta={"indicator": indicator.code, "aspect": aspect, "verdict": status.verdict.value},
    )


def chart_reply(req: Request, code: str, alternatives: tuple[Candidate, ...] = ()) -> Reply:
    """The indicator's chart as a PNG attachment, with the verdict sentence."""
    from radsbot.reports.charts import indicator_chart, parts_chart

    indicator = catalogue.indicator_by_code(req.session, code)
    if indicator is None:
        return names.unknown_code(req, code)
    status = indicator_status(req.session, indicator, req.today)
    # A composite without values of its own is drawn as its parts, one panel each.
    composite = is_composite(status)
    png = parts_chart(status, req.lang) if composite else indicator_chart(status, req.lang)
    example = any(_shows_example(s) or bool(s.series["is_example"].any()) for s in (status, *status.leaves))
    text = (
        verdict_counts(req, _leaf_counts(status))
        if composite
        else explain(status.assessment, req.lang, unit=indicator.unit)
    )
    return Reply(
        title=req.t("chart_title", name=f"{indicator.name} ({indicator.code})"),
        summary=req.t("chart_summary", name=indicator.code),
        sections=(Section(text=text, context=_alternatives(req, alternatives)),),
        attachments=(Attachment(f"{indicator.code.lower()}.png", indicator.name, png),),
        notice=req.t("example_notice") if example else "",
        meta={"indicator": indicator.code},
    )


def value_text(req: Request, indicator: Indicator, point: Point | None) -> str:
    """ "14,2 % (3. kvartal 2026)", marked when the value is example data."""
    if point is None:
        return req.t("no_value")
    period = fmt.period(point.period, req.lang)
    if point.is_example:
        period = f"{period}, {req.t('example_mark')}"
    return req.t("value_period", value=fmt.value(point.value, indicator.unit, req.lang), period=period)


def ambition_text(req: Request, indicator: Indicator, ambition: Ambition | None) -> str:
    """ "30 % innen desember 2029 (foreslått)", or "Ingen ambisjon foreslått"."""
    if ambition is None or ambition.status == "ikke_foreslått" or ambition.target_value is None:
        return req.t("ambition_none")
    return req.t(
        "ambition_value",
        target=fmt.target(
            ambition.target_value, indicator.unit, ambition.target_label, ambition.target_date, req.lang
        ),
        status=req.t(f"status_{ambition.status}")
        if ambition.status in ("foreslått", "vedtatt")
        else ambition.status,
    )


def short_label(indicator: Indicator) -> str:
    """The short name, or the name when the short name is missing or only the code."""
    short = indicator.short_name
    return short if short and short.casefold() != indicator.code.casefold() else indicator.name


def display_name(indicator: Indicator) -> str:
    """ "Digital dialog fastlege (DDFL)": the short name (or the name) with the code."""
    return f"{short_label(indicator)} ({indicator.code})"


def _facts(req: Request, status: IndicatorStatus) -> dict[str, Fact]:
    ind, a = status.indicator, status.assessment
    facts = {
        "goal": Fact(req.t("goal"), ind.goal.label),
        "latest": Fact(req.t("latest"), value_text(req, ind, a.latest)),
        "ambition": Fact(req.t("ambition"), ambition_text(req, ind, status.ambition)),
        "verdict": Fact(req.t("verdict"), status.verdict.label(req.lang)),
        "readiness": Fact(req.t("readiness"), fmt.readiness(ind.readiness, req.lang)),
        "source": Fact(req.t("source"), ind.source or "–"),
        "frequency": Fact(req.t("frequency"), req.t(f"frequency_{ind.frequency}")),
    }
    if a.change is not None and a.previous is not None:
        change = fmt.change(a.change, ind.unit, req.lang)
        facts["change"] = Fact(
            req.t("change"),
            req.t("change_value", change=change, period=fmt.period(a.previous.period, req.lang)),
        )
    if a.slope_per_year is not None:
        facts["trend"] = Fact(
            req.t("trend"), req.t("per_year", change=fmt.change(a.slope_per_year, ind.unit, req.lang))
        )
    if is_composite(status):
        facts["latest"] = Fact(req.t("latest"), req.t("composite_value", count=len(status.children)))
        facts["verdict"] = Fact(req.t("verdict"), verdict_counts(req, _leaf_counts(status)))
    if ind.catalogue == "plan2023":
        facts["set"] = Fact(req.t("indicator_set"), req.t("set_plan2023"))
    if ind.parent is not None:
        facts["goal"] = Fact(req.t("part_of"), f"{ind.parent.name} ({ind.parent.code}) – {ind.goal.label}")
    return facts


def _summary(req: Request, status: IndicatorStatus, aspect: str) -> str:
    """One sentence answering the question the way it was asked."""
    ind, a = status.indicator, status.assessment
    name = display_name(ind)
    latest = value_text(req, ind, a.latest)
    frequency = req.t(f"frequency_{ind.frequency}").lower()
    if aspect == "ambition":
        has_target = status.ambition and status.ambition.target_value is not None
        if has_target and status.ambition.status != "ikke_foreslått":
            return req.t("summary_ambition", name=name, ambition=ambition_text(req, ind, status.ambition))
        return req.t("summary_ambition_none", name=name)
    if aspect == "source":
        key = "summary_source" if ind.source else "summary_source_none"
        return req.t(key, name=name, source=ind.source, frequency=frequency)
    if aspect == "value" and a.latest is not None:
        return req.t("summary_value", name=name, latest=latest)
    if aspect == "trend":
        if a.slope_per_year is None:
            return req.t("summary_trend_none", name=name)
        trend = req.t("per_year", change=fmt.change(a.slope_per_year, ind.unit, req.lang))
        return req.t("summary_trend", name=name, trend=trend, latest=latest)
    if aspect == "frequency":
        return req.t("summary_frequency", name=name, frequency=frequency)
    if aspect == "readiness":
        return req.t("summary_readiness", name=name, readiness=fmt.readiness(ind.readiness, req.lang))
    if is_composite(status):
        counts = verdict_counts(req, _leaf_counts(status))
        return req.t("summary_composite", code=ind.code, count=len(status.children), counts=counts)
    if a.latest is None:
        return req.t("summary_status_empty", code=ind.code, verdict=status.verdict.label(req.lang))
    return req.t("summary_status", code=ind.code, latest=latest, verdict=status.verdict.label(req.lang))


def _lead(req: Request, status: IndicatorStatus, aspect: str) -> str:
    """The first text of the card: the ambition's wording when asked about the ambition."""
    ambition = status.ambition
    if aspect == "ambition" and ambition is not None and ambition.wording:
        return req.t("ambition_wording", wording=ambition.wording.strip())
    return ""


def _small_print(req: Request, indicator: Indicator, status: IndicatorStatus) -> str:
    """What the indicator measures, the ambition's wording when there is none, and the latest note."""
    parts = []
    if indicator.measures:
        parts.append(f"{req.t('measures')}: {indicator.measures.strip()}")
    ambition = status.ambition
    if ambition is not None and ambition.target_value is None and ambition.wording:
        parts.append(req.t("ambition_wording", wording=ambition.wording.strip()))
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
    return " · ".join(parts) or req.t("no_indicators")


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
    return req.t("also_matched", names=", ".join(c.label for c in alternatives))
