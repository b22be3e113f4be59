"""Charts as PNG or SVG bytes (matplotlib, Agg): one indicator, or small multiples for a goal.

Colours are the Okabe–Ito palette, safe for the common forms of colour blindness; meaning is
also carried by line style and markers (measured: solid with filled dots, example data: hollow
dots, projection: dotted, ambition: dashed with a diamond at its date).

The x-axis is a calendar: x = Y.0 is 1 January of year Y, ticks mark the year boundaries and
each year's label sits in the middle of its year. A value is drawn at the end of the period it
describes (as the analytics measure time): the 2025 value at the right edge of 2025, the count
of 1 November 2025 late in 2025, a Q3 2026 value at the end of September 2026.
The layout uses fixed margins rather than matplotlib's constrained layout, which costs more
than drawing the data itself.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import textwrap
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, cast

from radsbot.data.words import words
from radsbot.reports import formatting as fmt
from radsbot.reports.analytics import projection_line
from radsbot.reports.chart_cache import cached, cached_many

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from radsbot.data.models import Indicator
    from radsbot.reports.status import GoalStatus, IndicatorStatus

BLUE, ORANGE, GREEN, VERMILLION, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#6E6E6E"


def _labels(lang: str) -> dict[str, str]:
    """The words a chart shows, in the reader's language."""
    w = words(lang)
    return {
        "measured": w._("Measured"),
        "example": w._("Example data"),
        "projection": w._("Projection with the current trend"),
        "ambition": w._("Target"),
        "no_data": w._("No measurements yet"),
        "example_note": w._("Example data: hollow points are illustrative values, not official figures."),
        "status": w._("Status"),
    }


DPI = 100
PANEL_W, PANEL_H = 4.2, 2.0  # inches: width of a small multiple, height of its plot area
FIRST_YEAR = 2020  # the x-axis starts here at the latest, so goals are comparable
HORIZON_YEAR = 2030


def _figure(width: float, height: float):
    """A figure on the Agg canvas, without pyplot's global state (safe in threads)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


FORMATS = ("png", "svg")


def _encode(fig, image: str = "png") -> bytes:
    """The figure as PNG, or as SVG with its text kept as text (selectable, read by screen readers).

    `image` is one of FORMATS: every chart job is checked when it is made (`_format`).
    """
    from matplotlib import rc_context

    buf = io.BytesIO()
    if image == "svg":
        # No creation date in the file, so the same data give the same bytes.
        with rc_context({"svg.fonttype": "none", "svg.hashsalt": "radsbot"}):
            fig.savefig(buf, format="svg", metadata={"Date": None})
    else:
        fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


@dataclass(frozen=True)
class IndicatorFacts:
    """What a chart shows of an indicator, as plain data (a chart job carries no database object)."""

    code: str
    name: str
    short_name: str
    unit: str
    readiness: str
    direction: str


@dataclass(frozen=True)
class ChartJob:
    """Everything one chart is drawn from: picklable for a worker process, hashed as its cache key.

    `single` is one indicator's own wide chart; otherwise small multiples, one panel per leaf.
    """

    title: str
    leaves: tuple[IndicatorStatus, ...]
    lang: str
    image: str
    single: bool = False

    def fingerprint(self) -> bytes:
        """The bytes the chart depends on: any change to its data gives another fingerprint."""
        parts = [repr((self.title, self.lang, self.image, self.single))]
        for leaf in self.leaves:
            series = leaf.series[["period_end", "value", "is_example"]] if not leaf.series.empty else None
            parts += [
                repr(leaf.indicator),
                series.to_json(orient="values", date_format="iso") if series is not None else "",
                repr(leaf.assessment),
            ]
        return "\x1f".join(parts).encode()


def indicator_job(status: IndicatorStatus, lang: str = "nb", image: str = "png") -> ChartJob:
    """The job of one indicator's chart: its values, the ambition line and the projection."""
    return ChartJob(_wrap(status.indicator.name, 70), (_plain(status),), lang, _format(image), single=True)


def goal_job(goal: GoalStatus, lang: str = "nb", image: str = "png") -> ChartJob:
    """The job of a goal's small multiples: one panel per reported indicator (every one)."""
    leaves = tuple(_plain(leaf) for s in goal.indicators for leaf in s.leaves)
    return ChartJob(goal.goal.label_in(lang), leaves, lang, _format(image))


def parts_job(status: IndicatorStatus, lang: str = "nb", image: str = "png") -> ChartJob:
    """The job of a composite indicator's small multiples, one panel per reported part."""
    return ChartJob(
        status.indicator.name, tuple(_plain(leaf) for leaf in status.leaves), lang, _format(image)
    )


def draw(job: ChartJob) -> bytes:
    """Draw a chart job (no cache): what worker processes run."""
    if job.single:
        fig = _chart(job.title, list(job.leaves), job.lang, cols=1, panel=(7.5, 3.2))
        return _encode(fig, job.image)
    return _small_multiples(job.title, list(job.leaves), job.lang, job.image)


def indicator_chart(status: IndicatorStatus, lang: str = "nb", image: str = "png") -> bytes:
    """A chart of one indicator (PNG, or SVG): its values, the ambition line and the projection."""
    return cached(indicator_job(status, lang, image), draw)


def indicator_figure(status: IndicatorStatus, lang: str = "nb"):
    """The matplotlib Figure of `indicator_chart` (tests inspect what is drawn where)."""
    return _chart(_wrap(status.indicator.name, 70), [status], lang, cols=1, panel=(7.5, 3.2))


def chart_of(status: IndicatorStatus, lang: str = "nb", image: str = "png") -> bytes:
    """The chart an indicator is shown with: its own, or its parts' when it has no values itself."""
    composite = bool(status.children) and status.series.empty
    return parts_chart(status, lang, image) if composite else indicator_chart(status, lang, image)


def goal_chart(goal: GoalStatus, lang: str = "nb", image: str = "png") -> bytes:
    """Small multiples: one panel per reported indicator of a goal (every one, however many)."""
    return cached(goal_job(goal, lang, image), draw)


def goal_charts(goals: list[GoalStatus], lang: str = "nb", image: str = "png") -> list[bytes]:
    """The charts of several goals, in order; those not kept are drawn in parallel processes."""
    return cached_many([goal_job(goal, lang, image) for goal in goals], draw)


def parts_chart(status: IndicatorStatus, lang: str = "nb", image: str = "png") -> bytes:
    """Small multiples of a composite indicator's parts, one panel per reported part."""
    return cached(parts_job(status, lang, image), draw)


def _plain(status: IndicatorStatus) -> IndicatorStatus:
    """The status with its indicator as plain facts, without database objects or parts."""
    ind = status.indicator
    facts = IndicatorFacts(ind.code, ind.name, ind.short_name or "", ind.unit, ind.readiness, ind.direction)
    # The charts read only these facts of an indicator; the job must pickle and hash as data.
    return replace(status, indicator=cast("Indicator", facts), ambition=None, children=())


def _format(image: str) -> str:
    if image not in FORMATS:
        raise ValueError(f"image format must be one of {FORMATS}, not {image!r}")
    return image


def _small_multiples(title: str, leaves: list[IndicatorStatus], lang: str, image: str) -> bytes:
    cols = 1 if len(leaves) <= 1 else (2 if len(leaves) <= 4 else 3)
    fig = _chart(_wrap(title, 30 * cols + 10), leaves, lang, cols=cols, panel=(PANEL_W, PANEL_H))
    return _encode(fig, image)


def _chart(title: str, leaves: list[IndicatorStatus], lang: str, *, cols: int, panel):
    """Lay out a title, a shared legend, one panel per indicator and the example-data note.

    Sizes are in inches so that wrapped panel titles and tick labels always get their room.
    """
    text = _labels(lang)
    rows = max(1, math.ceil(len(leaves) / cols))
    example = any(_has_example(s) for s in leaves)
    names = [_panel_title(s, lang, int(panel[0] * 11)) for s in leaves]
    title_lines = title.count("\n") + 1
    header = 0.35 + 0.27 * title_lines + 0.35  # figure title, then the legend row
    above = 0.12 + 0.16 * max([n.count("\n") + 1 for n in names] or [1])  # panel titles
    below = 0.32  # x tick labels
    footer = 0.32 if example else 0.08
    width, height = panel[0] * cols, header + rows * (above + panel[1] + below) + footer
    fig = _figure(width, height)
    fig.text(0.12 / width, 1 - 0.15 / height, title, fontsize=13, fontweight="bold", va="top")
    axes = fig.subplots(
        rows,
        cols,
        squeeze=False,
        gridspec_kw={
            "left": 0.62 / width,
            "right": 1 - 0.22 / width,
            "top": 1 - (header + above) / height,
            "bottom": (footer + below) / height,
            "hspace": (above + below) / panel[1],
            "wspace": 0.9 / (panel[0] - 0.9),
        },
    ).ravel()
    xlim = _xlim(leaves)
    for ax, leaf, name in zip(axes, leaves, names, strict=False):
        _draw(ax, leaf, lang, xlim, every_year=panel[0] >= 6)
        # A fixed y spares matplotlib's automatic title placement, a costly layout pass.
        ax.set_title(name, fontsize=9, loc="left", y=1.03)
        if _has_example(leaf):
            ax.set_title(
                text["example"], fontsize=7.5, loc="right", color=VERMILLION, fontweight="bold", y=1.03
            )
    for ax in axes[len(leaves) :]:
        ax.set_axis_off()
    if not leaves:
        axes[0].set_axis_off()
        axes[0].text(0.5, 0.5, text["no_data"], ha="center", va="center", color=GREY)
    _legend(fig, leaves, lang, y=1 - (header - 0.3) / height, left=0.12 / width)
    if example:
        fig.text(0.12 / width, 0.1 / height, text["example_note"], fontsize=8.5, color=VERMILLION)
    return fig


def _panel_title(status: IndicatorStatus, lang: str, width: int) -> str:
    """The indicator's short name, with the unit when the ticks do not show it ("(dager)")."""
    ind = status.indicator
    name = ind.short_name or ind.name
    if ind.unit != "%":
        name += f" ({fmt.unit_name(ind.unit, lang)})"
    # Leave room on the right for the "Eksempeldata" marking.
    return _wrap(name, width - (14 if _has_example(status) else 0))


def _legend(fig, leaves: list[IndicatorStatus], lang: str, *, y: float, left: float) -> None:
    """One legend for the whole figure, above the panels, so it never covers data."""
    from matplotlib.lines import Line2D

    text = _labels(lang)
    with_data = [s for s in leaves if not s.series.empty]
    if not with_data:
        return
    handles = []
    if any(not e for s in with_data for e in s.series["is_example"]):
        handles.append(Line2D([], [], color=BLUE, marker="o", markersize=5, label=text["measured"]))
    if any(_has_example(s) for s in with_data):
        handles.append(
            Line2D(
                [], [], color=BLUE, marker="o", markersize=5, markerfacecolor="white", label=text["example"]
            )
        )
    if any(projection_line(s.assessment) for s in with_data):
        handles.append(Line2D([], [], color=ORANGE, linestyle=":", linewidth=2, label=text["projection"]))
    if any(_target_value(s) is not None for s in with_data):
        handles.append(
            Line2D([], [], color=GREEN, linestyle="--", marker="D", markersize=5, label=text["ambition"])
        )
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(left, y),
        ncol=len(handles),
        frameon=False,
        fontsize=8.5,
        handlelength=2.4,
        borderaxespad=0,
    )


def _draw(
    ax: Axes, status: IndicatorStatus, lang: str, xlim: tuple[float, float], *, every_year: bool
) -> None:
    """Draw one indicator's series, projection and ambition on an axis."""
    text = _labels(lang)
    series = status.series
    unit = status.indicator.unit
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=7.5, length=3)
    if series.empty:
        readiness = fmt.readiness(status.indicator.readiness, lang)
        ax.text(
            0.5,
            0.5,
            f"{text['no_data']}\n({text['status'].lower()}: {readiness.lower()})",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=GREY,
            fontsize=9,
        )
        ax.set_yticks([])
        ax.set_xticks([])
        ax.spines[["left", "bottom"]].set_color("#CCCCCC")
        return
    ax.grid(axis="y", color="#E3E3E3", linewidth=0.7)
    x = [_year(d) for d in series["period_end"]]
    y = series["value"].to_list()
    example = series["is_example"].to_list()
    size = 4.5
    ax.plot(x, y, color=BLUE, linewidth=2, zorder=3)
    real = [(a, b) for a, b, e in zip(x, y, example, strict=True) if not e]
    fake = [(a, b) for a, b, e in zip(x, y, example, strict=True) if e]
    if real:
        ax.plot(*zip(*real, strict=True), "o", color=BLUE, markersize=size, zorder=4)
    if fake:
        ax.plot(
            *zip(*fake, strict=True),
            "o",
            markerfacecolor="white",
            markeredgecolor=BLUE,
            markersize=size,
            zorder=4,
        )
    line = projection_line(status.assessment)
    if line:
        ax.plot([_year(d) for d, _ in line], [v for _, v in line], ":", color=ORANGE, linewidth=2, zorder=2)
    target = _target_value(status)
    upper = _axes_limits(ax, status, y, line, target, xlim, every_year)
    if target is not None:
        ax.axhline(target, color=GREEN, linestyle="--", linewidth=1.3, zorder=1)
        when = status.assessment.target.date if status.assessment.target else None
        if when:
            ax.plot([_year(when)], [target], "D", color=GREEN, markersize=5, zorder=4)
        # Under the line when the data lie above it, or when the line is at the top of the panel.
        below = status.indicator.direction == "down" or target > 0.85 * upper
        ax.annotate(
            f"{text['ambition']} {fmt.value(target, unit, lang)}",
            (xlim[0], target),
            xytext=(3, -3 if below else 3),
            textcoords="offset points",
            va="top" if below else "bottom",
            fontsize=7.5,
            color=GREEN,
        )
    # Percentages keep their sign on the ticks; other units are named in the panel title.
    tick_unit = "%" if unit == "%" else "antall"
    ax.yaxis.set_major_formatter(lambda v, _pos: fmt.value(v, tick_unit, lang))


def _axes_limits(ax: Axes, status: IndicatorStatus, y, line, target, xlim, every_year: bool) -> float:
    """Start at zero; percentages run to 100 when the figures are high, else just above the top.

    Returns:
        The top of the y-axis.
    """
    from matplotlib.ticker import MaxNLocator

    shown = [*y, *(v for _, v in line)] + ([target] if target is not None else [])
    top = max(max(shown), 0)
    if status.indicator.unit == "%":
        # A little above 100 so that a 100 % ambition line and its marker are not cut in half.
        upper = 104.0 if top > 60 else min(104.0, max(5.0, top * 1.15))
    else:
        upper = max(1.0, top * 1.15)
    ax.set_ylim(min(0.0, min(y)), upper)
    if upper == 104.0 and min(y) >= 0:
        ax.set_yticks(range(0, 101, 20))
    else:
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10]))
    ax.set_xlim(*xlim)
    _year_axis(ax, xlim, every_year)
    return upper


def _year_axis(ax: Axes, xlim: tuple[float, float], every_year: bool) -> None:
    """Boundary ticks at 1 January, and each year's label in the middle of its year.

    Narrow panels label every other year, counted back from the last, so the newest is named.
    """
    first, last = math.ceil(xlim[0]), math.floor(xlim[1])
    ax.set_xticks(range(first, last + 1), [""] * (last - first + 1))
    years = list(range(first, last))  # whole years shown: Y spans x = Y … Y + 1
    step = 1 if every_year or len(years) <= 7 else 2
    labelled = set(years[::-1][::step])
    ax.set_xticks([y + 0.5 for y in years], [str(y) if y in labelled else "" for y in years], minor=True)
    ax.tick_params(axis="x", which="minor", length=0, labelsize=7.5)


def _xlim(leaves: list[IndicatorStatus]) -> tuple[float, float]:
    """One x-range for every panel of a chart: from the first value (2020 at the latest) to 2030."""
    starts = [s.series["period_end"].min() for s in leaves if not s.series.empty]
    ends = [d for s in leaves for d, _ in projection_line(s.assessment)]
    ends += [s.assessment.target.date for s in leaves if s.assessment.target and s.assessment.target.date]
    first = min([_year(d) for d in starts] + [FIRST_YEAR + 1.0])
    last = max([_year(d) for d in ends] + [HORIZON_YEAR + 1.0])
    return math.floor(first) - 0.15, last + 0.15


def _year(day: dt.date) -> float:
    """A date as a calendar position at the end of that day; 31 December 2025 is 2026.0."""
    start = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + ((day - start).days + 1) / length


def _target_value(status: IndicatorStatus) -> float | None:
    target = status.assessment.target
    return target.value if target and target.value is not None else None


def _has_example(status: IndicatorStatus) -> bool:
    return not status.series.empty and bool(status.series["is_example"].any())


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text
