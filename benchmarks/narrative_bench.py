"""Narrative benchmarks: export a quarter's status texts to Word, and read an edited copy back."""

from __future__ import annotations

import datetime as dt
import io
import statistics
import time

from benchmarks.data_bench import seeded_database
from benchmarks.run import benchmark, show, summary, timings

TODAY = dt.date(2026, 11, 22)
QUARTER = "2026-Q4"


@benchmark("narrative")
def narrative(args) -> dict:
    """`narrative export` (document bytes) and `narrative import` (read, check, store, roll back)."""
    from radsbot.data.db import make_engine, session_factory
    from radsbot.data.narratives import ordered_goals, store_quarter
    from radsbot.reports.narrative_docx import export_docx
    from radsbot.reports.narrative_read import read_narratives

    url = seeded_database("narratives", args.database_url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    runs = args.runs or 30
    cpu: dict[str, list[float]] = {"export": [], "import": []}

    def export() -> bytes:
        start = time.process_time()
        with sessions() as session:
            data, _ = export_docx(session, QUARTER, today=TODAY)
        cpu["export"].append(time.process_time() - start)
        return data

    document = _edited(export())

    def import_() -> None:
        start = time.process_time()
        with sessions() as session:
            read = read_narratives(document, ordered_goals(session), accept_carried_over=True)
            store_quarter(session, read.quarter, list(read.texts), actor="benchmark")
            session.rollback()  # every round stores the same new versions
        cpu["import"].append(time.process_time() - start)

    results = {}
    for label, once in (("export", export), ("import", import_)):
        result = summary(timings(once, runs, warmup=3))
        result["cpu_median_ms"] = round(statistics.median(cpu[label][-runs:]) * 1000, 1)
        show(f"narrative {label} (8 goals, {QUARTER})", result, "median ≤ 500 ms")
        results[label] = result
    results["export"]["docx_kb"] = round(len(document) / 1024, 1)
    engine.dispose()
    return results


def _edited(data: bytes) -> bytes:
    """The exported document with one goal's challenges rewritten, as a secretary would."""
    from docx import Document

    doc = Document(io.BytesIO(data))
    for p in doc.paragraphs:
        if p.text.startswith("«fra "):
            p.text = ""  # the marks deleted; the texts kept
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
