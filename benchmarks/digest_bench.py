"""Digest benchmark: the full pre-meeting digest against plain matplotlib drawing the same charts.

"Full digest" is what `radsbot digest --out` does in memory: compose the digest for
Porteføljerådet's next meeting (8 goals, every indicator), draw one chart per goal, and render
the Markdown and Word documents. The baseline draws the same figures (same pixel size, same
number of panels, same series) with plain `plt.subplots` + `plot` + `savefig` and nothing else.
The two are timed alternately in one run, so both see the same machine load.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import statistics
import time

from benchmarks.data_bench import seeded_database
from benchmarks.run import benchmark, show, summary

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
    """Full digest vs plain matplotlib, alternating, on a seeded database."""
    from radsbot.data.db import make_engine, session_factory

    runs = args.runs or 15
    engine = make_engine(seeded_database("digest", args.database_url))
    sessions = session_factory(engine)
    files = full_digest(sessions)
    charts = [name for name in files if name.endswith(".png")]
    jobs = baseline_jobs(sessions, files)
    panels = sum(len(data) for _size, _cols, data in jobs)
    for _ in range(2):  # warm-up: imports, fonts, babel data
        full_digest(sessions)
        plain_matplotlib(jobs)
    ours, plain = [], []
    for _ in range(runs):
        start = time.perf_counter()
        full_digest(sessions)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        plain_matplotlib(jobs)
        plain.append(time.perf_counter() - start)
    engine.dispose()
    result = summary(ours, "ms")
    base = summary(plain, "ms")
    ratio = result["median"] / base["median"]
    # Each run's pair was timed back to back, so its own ratio is less exposed to machine load.
    paired = sorted(a / b for a, b in zip(ours, plain, strict=True))
    result.update(
        goals=len(jobs),
        charts=len(charts),
        panels=panels,
        ratio=round(ratio, 2),
        paired_ratio_median=round(statistics.median(paired), 2),
        paired_ratio_range=[round(paired[0], 2), round(paired[-1], 2)],
    )
    show("full digest (8 goals, charts, docs)", result, "≤ 2.5 s and ≤ 1.5 × plain matplotlib")
    show("plain matplotlib, same charts", base, "baseline")
    print(f"ratio full digest / plain matplotlib (medians): {ratio:.2f}  bar: ≤ 1.5", flush=True)
    return result
