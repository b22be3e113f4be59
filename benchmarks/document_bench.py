"""Document benchmarks: one toppnotat on the seed database, without and with its indicator chart."""

from __future__ import annotations

import datetime as dt

from benchmarks.data_bench import seeded_database
from benchmarks.run import benchmark, show, summary, timings

TODAY = dt.date(2026, 11, 22)
CASE = ("40/25", "nuit")  # linked to indicators, so it has a status table and a chart


@benchmark("toppnotat")
def toppnotat(args) -> dict:
    """Look up a case and render its paper to .docx bytes, as `radsbot toppnotat` does."""
    from data.agenda import find_case
    from data.db import make_engine, session_factory
    from reports.toppnotat import toppnotat_docx

    url = seeded_database("documents", args.database_url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    results = {}
    for chart, bar in ((False, "median ≤ 300 ms"), (True, "median ≤ 600 ms")):

        def once(chart: bool = chart) -> bytes:
            with sessions() as session:
                case = find_case(session, *CASE)
                return toppnotat_docx(session, case, today=TODAY, chart=chart)

        size = len(once())
        result = summary(timings(once, args.runs or 30, warmup=3))
        result["docx_kb"] = round(size / 1024, 1)
        name = f"toppnotat {CASE[0]} {'with' if chart else 'without'} chart"
        show(name, result, bar)
        results["with_chart" if chart else "without_chart"] = result
    engine.dispose()
    return results
