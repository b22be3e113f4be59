"""The text alternative of every chart: what it shows, in words, generated from the same data.

One generator for the web pages, and later for documents and chat images: `chart_text` takes what
a chart was drawn from (an indicator, a composite or a goal) and says what the chart shows —
"Pasientens legemiddelliste (PLL) har økt fra 0,3 % i 1. kvartal 2023 til 15 % i 3. kvartal 2026
(eksempeldata); ambisjonen er 30 % innen desember 2029. Vurdering: Usikkert."
"""

from __future__ import annotations

from dataclasses import dataclass

from radsbot.data.words import words
from radsbot.reports import formatting as fmt
from radsbot.reports.analytics import Point
from radsbot.reports.status import GoalStatus, IndicatorStatus


@dataclass(frozen=True)
class ChartText:
    """A chart's text alternative: one summary, and one sentence per panel for a chart of several."""

    summary: str
    details: tuple[str, ...] = ()

    @property
    def full(self) -> str:
        """Summary and details as one text (an image's description in a document or a chat)."""
        return " ".join((self.summary, *self.details))


def chart_text(subject: IndicatorStatus | GoalStatus, lang: str = "nb") -> ChartText:
    """What the chart of an indicator, a composite (its parts) or a goal shows, from its data."""
    w = words(lang)
    if isinstance(subject, GoalStatus):
        leaves = [leaf for s in subject.indicators for leaf in s.leaves]
        label = subject.goal.label_in(lang)
        if leaves:
            summary = w.ngettext(
                "Chart of {label}: the development of one indicator, with its target and projection.",
                "Chart of {label}: the development of {count} indicators, with targets and projections.",
                len(leaves),
                label=label,
                count=len(leaves),
            )
        else:
            summary = w._("Chart of {label}: no indicators are registered.", label=label)
        return ChartText(summary, tuple(indicator_sentence(leaf, lang) for leaf in leaves))
    if subject.children and subject.series.empty:
        parts = subject.leaves
        summary = w._(
            "Chart of {name}: the development of {count} sub-indicators, with targets and projections.",
            name=_name(subject),
            count=len(parts),
        )
        return ChartText(summary, tuple(indicator_sentence(leaf, lang) for leaf in parts))
    return ChartText(indicator_sentence(subject, lang))


def indicator_sentence(status: IndicatorStatus, lang: str = "nb") -> str:
    """One indicator's panel in words: first and latest value, the ambition, projection and verdict."""
    w, ind, a = words(lang), status.indicator, status.assessment
    name = _name(status)
    verdict = w._(". Assessment: {verdict}.", verdict=status.verdict.label(lang))
    if a.latest is None:
        readiness = fmt.readiness(ind.readiness, lang).lower()
        return (
            w._("{name} has no measurements yet (data status: {readiness})", name=name, readiness=readiness)
            + verdict
        )
    first = _first_point(status)
    latest_text = _value(a.latest, ind.unit, lang)
    fields = {"name": name, "latest": latest_text, "when_latest": _when(a.latest, lang)}
    if first is None or first.period_end == a.latest.period_end:
        text = w._("{name} has one measurement: {latest} {when_latest}", **fields)
    else:
        first_text = _value(first, ind.unit, lang)
        shown_first = fmt.value(first.value, ind.unit, lang)
        shown_latest = fmt.value(a.latest.value, ind.unit, lang)
        # Compared as readers see them, so "uendret" never hides behind rounding.
        fields |= {"first": first_text, "when_first": _when(first, lang)}
        if shown_first == shown_latest:
            text = w._("{name} is unchanged, {latest} both {when_first} and {when_latest}", **fields)
        elif a.latest.value > first.value:
            text = w._("{name} has risen from {first} {when_first} to {latest} {when_latest}", **fields)
        else:
            text = w._("{name} has fallen from {first} {when_first} to {latest} {when_latest}", **fields)
    target = a.target
    if target is not None and target.value is not None:
        text += w._(
            "; the target is {target}",
            target=fmt.target(target.value, ind.unit, target.label, target.date, lang),
        )
    # The projection is named when the verdict rests on it (not when reached, passed or unjudged).
    if a.reason == "gap_ratio" and a.projection is not None and a.projection_date is not None:
        text += w._(
            ". With the current trend, {projection} is projected for {month}",
            projection=fmt.value(a.projection, ind.unit, lang),
            month=fmt.month(a.projection_date, lang),
        )
    return text + verdict


def _name(status: IndicatorStatus) -> str:
    ind = status.indicator
    short = ind.short_name if ind.short_name and ind.short_name.casefold() != ind.code.casefold() else ""
    return f"{short or ind.name} ({ind.code})"


def _first_point(status: IndicatorStatus) -> Point | None:
    """The oldest value drawn (the chart shows the whole series, not only the trend's window)."""
    series = status.series.dropna(subset=["value", "period_end"])
    if series.empty:
        return None
    row = series.sort_values("period_end", kind="stable").iloc[0]
    return Point(str(row["period"]), row["period_end"], float(row["value"]), bool(row["is_example"]))


def _value(point: Point, unit: str, lang: str) -> str:
    text = fmt.value(point.value, unit, lang)
    return f"{text} ({fmt.example_mark(lang)})" if point.is_example else text


def _when(point: Point, lang: str) -> str:
    """ "i 2022", "i 3. kvartal 2026", or "per 1. november 2025" for a count on a day."""
    period = fmt.period(point.period, lang)
    if point.period.count("-") == 2:
        return words(lang).pgettext("a value measured", "on {period}", period=period)
    return words(lang).pgettext("a value measured", "in {period}", period=period)
