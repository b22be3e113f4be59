"""The text alternative of every chart: what it shows, in words, generated from the same data.

One generator for the web pages, and later for documents and chat images: `chart_text` takes what
a chart was drawn from (an indicator, a composite or a goal) and says what the chart shows —
"Pasientens legemiddelliste (PLL) har økt fra 0,3 % i 1. kvartal 2023 til 15 % i 3. kvartal 2026
(eksempeldata); ambisjonen er 30 % innen desember 2029. Vurdering: Usikkert."
"""

from __future__ import annotations

from dataclasses import dataclass

from radsbot.reports import formatting as fmt
from radsbot.reports.analytics import Point
from radsbot.reports.status import GoalStatus, IndicatorStatus

_TEXTS = {
    "nb": {
        "rose": "{name} har økt fra {first} {when_first} til {latest} {when_latest}",
        "fell": "{name} har gått ned fra {first} {when_first} til {latest} {when_latest}",
        "same": "{name} er uendret, {latest} både {when_first} og {when_latest}",
        "one": "{name} har én måling: {latest} {when_latest}",
        "none": "{name} har ingen målinger ennå (datastatus: {readiness})",
        "target": "; ambisjonen er {target}",
        "projection": ". Med dagens trend anslås {projection} i {month}",
        "verdict": ". Vurdering: {verdict}.",
        "example": " ({mark})",
        "in": "i {period}",
        "on": "per {period}",
        "goal": "Graf over {label}: utviklingen for {count} indikatorer, med ambisjon og framskrivning.",
        "goal_one": "Graf over {label}: utviklingen for én indikator, med ambisjon og framskrivning.",
        "goal_none": "Graf over {label}: ingen indikatorer er registrert.",
        "parts": "Graf over {name}: utviklingen for {count} delindikatorer, med ambisjon og framskrivning.",
    },
    "en": {
        "rose": "{name} has risen from {first} {when_first} to {latest} {when_latest}",
        "fell": "{name} has fallen from {first} {when_first} to {latest} {when_latest}",
        "same": "{name} is unchanged, {latest} both {when_first} and {when_latest}",
        "one": "{name} has one measurement: {latest} {when_latest}",
        "none": "{name} has no measurements yet (data status: {readiness})",
        "target": "; the target is {target}",
        "projection": ". With the current trend, {projection} is projected for {month}",
        "verdict": ". Assessment: {verdict}.",
        "example": " ({mark})",
        "in": "in {period}",
        "on": "on {period}",
        "goal": "Chart of {label}: the development of {count} indicators, with targets and projections.",
        "goal_one": "Chart of {label}: the development of one indicator, with its target and projection.",
        "goal_none": "Chart of {label}: no indicators are registered.",
        "parts": "Chart of {name}: the development of {count} sub-indicators, with targets and projections.",
    },
}


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
    texts = _TEXTS[lang]
    if isinstance(subject, GoalStatus):
        leaves = [leaf for s in subject.indicators for leaf in s.leaves]
        key = "goal_none" if not leaves else ("goal_one" if len(leaves) == 1 else "goal")
        summary = texts[key].format(label=subject.goal.label, count=len(leaves))
        return ChartText(summary, tuple(indicator_sentence(leaf, lang) for leaf in leaves))
    if subject.children and subject.series.empty:
        parts = subject.leaves
        summary = texts["parts"].format(name=_name(subject), count=len(parts))
        return ChartText(summary, tuple(indicator_sentence(leaf, lang) for leaf in parts))
    return ChartText(indicator_sentence(subject, lang))


def indicator_sentence(status: IndicatorStatus, lang: str = "nb") -> str:
    """One indicator's panel in words: first and latest value, the ambition, projection and verdict."""
    texts, ind, a = _TEXTS[lang], status.indicator, status.assessment
    name = _name(status)
    if a.latest is None:
        readiness = fmt.readiness(ind.readiness, lang).lower()
        return texts["none"].format(name=name, readiness=readiness) + texts["verdict"].format(
            verdict=status.verdict.label(lang)
        )
    first = _first_point(status)
    latest_text = _value(a.latest, ind.unit, lang)
    fields = {"name": name, "latest": latest_text, "when_latest": _when(a.latest, lang)}
    if first is None or first.period_end == a.latest.period_end:
        text = texts["one"].format(**fields)
    else:
        first_text = _value(first, ind.unit, lang)
        shown_first = fmt.value(first.value, ind.unit, lang)
        shown_latest = fmt.value(a.latest.value, ind.unit, lang)
        # Compared as readers see them, so "uendret" never hides behind rounding.
        direction = (
            "same" if shown_first == shown_latest else ("rose" if a.latest.value > first.value else "fell")
        )
        text = texts[direction].format(first=first_text, when_first=_when(first, lang), **fields)
    target = a.target
    if target is not None and target.value is not None:
        text += texts["target"].format(
            target=fmt.target(target.value, ind.unit, target.label, target.date, lang)
        )
    # The projection is named when the verdict rests on it (not when reached, passed or unjudged).
    if a.reason == "gap_ratio" and a.projection is not None and a.projection_date is not None:
        text += texts["projection"].format(
            projection=fmt.value(a.projection, ind.unit, lang), month=fmt.month(a.projection_date, lang)
        )
    return text + texts["verdict"].format(verdict=status.verdict.label(lang))


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
    return text + _TEXTS[lang]["example"].format(mark=fmt.EXAMPLE_MARK[lang]) if point.is_example else text


def _when(point: Point, lang: str) -> str:
    """ "i 2022", "i 3. kvartal 2026", or "per 1. november 2025" for a count on a day."""
    key = "on" if point.period.count("-") == 2 else "in"
    return _TEXTS[lang][key].format(period=fmt.period(point.period, lang))
