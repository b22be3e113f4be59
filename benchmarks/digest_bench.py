"""Digest benchmark: the full pre-meeting digest against plain matplotlib drawing the same charts.

"Full digest" is what `radsbot digest --out` does in memory: compose the digest for
Porteføljerådet's next meeting (8 goals, every indicator), draw one chart per goal, and render
the Markdown and Word documents. The baseline draws the same figures (same pixel size, same
number of panels, same series) with plain `plt.subplots` + `plot` + `savefig` and nothing else,
serially. Timed alternately in one run, so all see the same machine load:

- `cold`: no chart kept (the chart cache emptied), charts drawn in parallel worker processes;
- `serial`: no chart kept, drawn in this process one after another (as before the cache);
- `unchanged`: a second digest with nothing changed since the last (every chart kept on disk,
  as for the next `radsbot digest` process: the memory is emptied first).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import shutil
import statistics
import time

from benchmarks.data_bench import seeded_database
from benchmarks.run import benchmark, show, summary, workdir

TODAY = dt.date(2026, 11, 22)


def full_digest(sessions) -> dict[str, bytes]:
    """Compose, draw and render the digest; returns the files by name, as the CLI writes them."""
    from radsbot.data import queries
    from radsbot.data.councils import council_by_name
    from radsbot.reports.digest import build_digest, draw_charts
    from radsbot.reports.digest_docx import to_docx
    from radsbot.reports.digest_markdown import to_markdown

    with sessions() as session:
        council = council_by_name(session, "nuit")
        meeting = queries.next_meeting(session, council.id, TODAY)
        digest = build_digest(session, council, meeting, today=TODAY)
    charts = draw_charts(digest)
    files = {
        f"{digest.slug}.md": to_markdown(digest).encode(),
        f"{digest.slug}.docx": to_docx(digest, charts),
    }
    files.update(charts)
    return files


def baseline_jobs(sessions, files: dict[str, bytes]) -> list[tuple[tuple[float, float], int, list]]:
    """Per goal: the figure size in inches, the number of columns and each panel's (x, y) data."""
    from PIL import Image
    from radsbot.data.councils import council_by_name
    from radsbot.reports.charts import DPI
    from radsbot.reports.digest import build_digest

    jobs = []
    with sessions() as session:
        digest = build_digest(session, council_by_name(session, "nuit"), None, today=TODAY)
        for section in digest.goals:
            with Image.open(io.BytesIO(files[section.chart_filename])) as image:
                width, height = image.size
            leaves = [leaf for s in section.status.indicators for leaf in s.leaves]
            cols = 1 if len(leaves) <= 1 else (2 if len(leaves) <= 4 else 3)
            data = [(list(s.series["period_end"]), s.series["value"].to_list()) for s in leaves]
            jobs.append(((width / DPI, height / DPI), cols, data))
    return jobs


def plain_matplotlib(jobs) -> list[bytes]:
    """The same figures with plain pyplot: subplots, plot, savefig."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from radsbot.reports.charts import DPI

    out = []
    for size, cols, data in jobs:
        rows = max(1, math.ceil(len(data) / cols))
        fig, axes = plt.subplots(rows, cols, figsize=size, dpi=DPI, squeeze=False)
        for ax, (x, y) in zip(axes.ravel(), data, strict=False):
            ax.plot(x, y)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI)
        plt.close(fig)
        out.append(buf.getvalue())
    return out


@benchmark("digest")
def digest_benchmark(args) -> dict:
    """Full digest (cold parallel, serial, unchanged) vs plain matplotlib, alternating."""
    from radsbot.data.db import make_engine, session_factory
    from radsbot.reports import chart_cache

    runs = args.runs or 15
    engine = make_engine(seeded_database("digest", args.database_url))
    sessions = session_factory(engine)
    folder = workdir() / "digest-charts"

    def run(mode: str) -> float:
        chart_cache.clear_memory()
        if mode != "unchanged":
            shutil.rmtree(folder, ignore_errors=True)
        chart_cache.configure(folder, workers=1 if mode == "serial" else 0)
        start = time.perf_counter()
        full_digest(sessions)
        return time.perf_counter() - start

    files = full_digest(sessions)
    charts = [name for name in files if name.endswith(".png")]
    jobs = baseline_jobs(sessions, files)
    panels = sum(len(data) for _size, _cols, data in jobs)
    for mode in ("cold", "serial", "unchanged"):  # warm-up: imports, fonts, babel data
        run(mode)
    plain_matplotlib(jobs)
    times: dict[str, list[float]] = {"cold": [], "serial": [], "unchanged": [], "plain": []}
    for _ in range(runs):
        for mode in ("cold", "serial", "unchanged"):
            times[mode].append(run(mode))
        start = time.perf_counter()
        plain_matplotlib(jobs)
        times["plain"].append(time.perf_counter() - start)
    engine.dispose()
    base = summary(times["plain"], "ms")
    result: dict = {"goals": len(jobs), "charts": len(charts), "panels": panels, "plain": base}
    bars = {
        "cold": "≤ 0.6 × plain",
        "serial": "(before the cache: 0.95–0.99 ×)",
        "unchanged": "≤ 0.1 × plain",
    }
    for mode, bar in bars.items():
        figures = summary(times[mode], "ms")
        # Each run's modes were timed back to back, so their own ratios are less exposed to load.
        paired = sorted(a / b for a, b in zip(times[mode], times["plain"], strict=True))
        figures.update(
            ratio=round(figures["median"] / base["median"], 2),
            paired_ratio_median=round(statistics.median(paired), 2),
            paired_ratio_range=[round(paired[0], 2), round(paired[-1], 2)],
        )
        result[mode] = figures
        show(f"full digest, {mode}", figures, bar)
        print(f"  ratio {mode} / plain matplotlib (medians): {figures['ratio']:.2f}  bar: {bar}", flush=True)
    show("plain matplotlib, same charts, serial", base, "baseline")
    return result
