"""Charts as PNG bytes (matplotlib, Agg): one indicator, or small multiples for a goal.

Colours are the Okabe–Ito palette, safe for the common forms of colour blindness; meaning is
also carried by line style and markers (measured: solid, projection: dotted, ambition: dashed).
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING

from reports import formatting as fmt
from reports.analytics import projection_line

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from reports.status import GoalStatus, IndicatorStatus

BLUE, ORANGE, GREEN, VERMILLION, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#6E6E6E"
LABELS = {
    "nb": {
        "measured": "Målt",
        "example": "Eksempeldata",
        "projection": "Framskrivning",
        "ambition": "Ambisjon",
        "no_data": "Ingen målinger ennå",
        "example_note": "Hule punkter er eksempeldata, ikke offisielle tall.",
    },
    "en": {
        "measured": "Measured",
        "example": "Example data",
        "projection": "Projection",
        "ambition": "Target",
        "no_data": "No measurements yet",
        "example_note": "Hollow points are example data, not official figures.",
    },
}
DPI = 100


def _figure(width: float, height: float):
    """A figure on the Agg canvas, without pyplot's global state (safe in threads)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def indicator_chart(status: IndicatorStatus, lang: str = "nb") -> bytes:
    """A PNG chart of one indicator: its values, the ambition line and the projection."""
    fig = _figure(7.5, 4.2)
    ax = fig.add_subplot()
    _draw(ax, status, lang, compact=False)
    ind = status.indicator
    fig.suptitle(ind.name, fontsize=12, fontweight="bold", x=0.01, ha="left")
    if status.has_example_data:
        fig.text(0.01, 0.005, LABELS[lang]["example_note"], fontsize=8, color=VERMILLION, ha="left")
    return _png(fig)


def goal_chart(goal: GoalStatus, lang: str = "nb", max_panels: int = 9) -> bytes:
    """Small multiples: one panel per reported indicator of a goal."""
    leaves = [leaf for s in goal.indicators for leaf in s.leaves][:max_panels]
    return _small_multiples(goal.goal.label, leaves, lang)


def parts_chart(status: IndicatorStatus, lang: str = "nb", max_panels: int = 9) -> bytes:
    """Small multiples of a composite indicator's parts, one panel per reported part."""
    return _small_multiples(status.indicator.name, list(status.leaves)[:max_panels], lang)


def _small_multiples(title: str, leaves: list[IndicatorStatus], lang: str) -> bytes:
    cols = 1 if len(leaves) <= 1 else (2 if len(leaves) <= 4 else 3)
    rows = max(1, math.ceil(len(leaves) / cols))
    fig = _figure(4.2 * cols, 2.9 * rows + 0.6)
    fig.suptitle(title, fontsize=13, fontweight="bold", x=0.01, ha="left")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, leaf in zip(axes, leaves, strict=False):
        _draw(ax, leaf, lang, compact=True)
        ax.set_title(_wrap(leaf.indicator.short_name or leaf.indicator.name, 38), fontsize=9, loc="left")
    for ax in axes[len(leaves) :]:
        ax.set_axis_off()
    if not leaves:
        axes[0].text(0.5, 0.5, LABELS[lang]["no_data"], ha="center", va="center", color=GREY)
    if any(leaf.has_example_data for leaf in leaves):
        fig.text(0.01, 0.003, LABELS[lang]["example_note"], fontsize=8, color=VERMILLION, ha="left")
    return _png(fig)


def _draw(ax: Axes, status: IndicatorStatus, lang: str, *, compact: bool) -> None:
    """Draw one indicator's series, projection and ambition on an axis."""
    text = LABELS[lang]
    series = status.series
    unit = status.indicator.unit
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.7)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=7 if compact else 9)
    if series.empty:
        ax.text(0.5, 0.5, text["no_data"], transform=ax.transAxes, ha="center", va="center", color=GREY)
        ax.set_yticks([])
        ax.set_xticks([])
        return
    # A value is plotted at the end of the period it describes.
    x = list(series["period_end"])
    y = series["value"].to_list()
    example = series["is_example"].to_list()
    ax.plot(x, y, color=BLUE, linewidth=2, zorder=3)
    real = [(a, b) for a, b, e in zip(x, y, example, strict=True) if not e]
    fake = [(a, b) for a, b, e in zip(x, y, example, strict=True) if e]
    if real:
        ax.plot(
            *zip(*real, strict=True),
            "o",
            color=BLUE,
            markersize=4 if compact else 6,
            label=text["measured"],
            zorder=4,
        )
    if fake:
        ax.plot(
            *zip(*fake, strict=True),
            "o",
            markerfacecolor="white",
            markeredgecolor=BLUE,
            markersize=4 if compact else 6,
            label=text["example"],
            zorder=4,
        )
    line = projection_line(status.assessment)
    if line:
        ax.plot(
            [d for d, _ in line],
            [v for _, v in line],
            ":",
            color=ORANGE,
            linewidth=2,
            label=text["projection"],
            zorder=2,
        )
    target = status.assessment.target
    if target and target.value is not None:
        end = target.date or x[-1]
        ax.axhline(
            target.value,
            color=GREEN,
            linestyle="--",
            linewidth=1.5,
            zorder=1,
            label=f"{text['ambition']} {fmt.value(target.value, unit, lang)}"
            + (f" ({target.label})" if target.label else ""),
        )
        if target.date:
            ax.plot([end], [target.value], "D", color=GREEN, markersize=5, zorder=4)
    if unit == "%":
        top = max([*y, target.value if target and target.value is not None else 0])
        ax.set_ylim(0, min(100, max(10, top * 1.15)))
    ax.yaxis.set_major_formatter(lambda v, _pos: fmt.value(v, unit, lang, decimals=0))
    from matplotlib.dates import AutoDateLocator, DateFormatter

    ax.xaxis.set_major_locator(AutoDateLocator(maxticks=6))
    ax.xaxis.set_major_formatter(DateFormatter("%Y"))
    ax.legend(fontsize=6 if compact else 8, loc="best", frameon=False)
    if not compact:
        ax.set_ylabel(_wrap(_unit_label(unit, lang), 30), fontsize=9)


def _unit_label(unit: str, lang: str) -> str:
    if unit == "%":
        return "Andel (%)" if lang == "nb" else "Share (%)"
    return {"antall": "Antall" if lang == "nb" else "Count"}.get(unit, unit.capitalize())


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text
