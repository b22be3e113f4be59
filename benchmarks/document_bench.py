"""Document benchmarks: one toppnotat on the seed database, without and with its indicator chart."""

from __future__ import annotations

import datetime as dt
import statistics
import time

from benchmarks.data_bench import seeded_database
from benchmarks.run import benchmark, show, summary, timings, workdir

TODAY = dt.date(2026, 11, 22)
# (label, case number, council, with chart, bar)
VARIANTS = (
    ("without chart (40/25)", "40/25", "nuit", False, "median ≤ 300 ms"),
    ("with chart, 1 indicator (3/26)", "3/26", "nufa", True, "median ≤ 600 ms"),
    ("with chart, 5 indicators (40/25)", "40/25", "nuit", True, "median ≤ 600 ms"),
)


@benchmark("toppnotat")
def toppnotat(args) -> dict:
    """Look up a case and render its paper to .docx bytes, as `radsbot toppnotat` does."""
    from radsbot.data.agenda import find_case
    from radsbot.data.db import make_engine, session_factory
    from radsbot.reports.toppnotat import toppnotat_docx

    url = seeded_database("documents", args.database_url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    results = {}
    for label, number, council, chart, bar in VARIANTS:
        cpu: list[float] = []

        def once(number: str = number, council: str = council, chart: bool = chart, cpu: list = cpu) -> bytes:
            start = time.process_time()
            with sessions() as session:
                case = find_case(session, number, council)
                data = toppnotat_docx(session, case, today=TODAY, chart=chart)
            cpu.append(time.process_time() - start)
            return data

        size = len(once())
        runs = args.runs or 30
        result = summary(timings(once, runs, warmup=3))
        result["docx_kb"] = round(size / 1024, 1)
        # CPU time is less sensitive than wall time to other processes on a shared machine.
        result["cpu_median_ms"] = round(statistics.median(cpu[-runs:]) * 1000, 1)
        show(f"toppnotat {label}", result, bar)
        results[label] = result
    engine.dispose()
    return results


LOOP4 = "{% for a in X %}{% for b in X %}{% for c in X %}{% for d in X %}Y" + "{% endfor %}" * 4
# (label, template text): hostile templates the sandbox must refuse quickly.
BOMBS = (
    ("'x' * 300000000 (refused by the check)", "{{ 'x' * 300000000 }}"),
    ("sak.tittel * 300000000", "{{ sak.tittel * 300000000 }}"),
    ("4 nested loops over the title (1.2 M rounds)", LOOP4.replace("X", "sak.tittel").replace("Y", "")),
    (
        "nested loops, 660 kB output per round",
        LOOP4.replace("X", "sak.tittel").replace("Y", "{{ sak.tittel * 20000 }}"),
    ),
    ("macro calling itself", "{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}"),
    ("doubling with {% set %} 30 times", "{% set a = sak.tittel %}" + "{% set a = a ~ a %}" * 30 + "{{ a }}"),
    ("replace('', …) twice", "{{ sak.tittel|replace('', sak.tittel * 100)|replace('', sak.tittel * 100) }}"),
)


@benchmark("template_bombs")
def template_bombs(args) -> dict:
    """How long the sandbox takes to refuse hostile templates (case 41/25, no chart)."""
    from docx import Document
    from radsbot.data.agenda import find_case
    from radsbot.data.db import make_engine, session_factory
    from radsbot.reports.documents import TemplateProblem
    from radsbot.reports.toppnotat import toppnotat_docx

    url = seeded_database("bombs", args.database_url)
    engine = make_engine(url)
    results = {}
    with session_factory(engine)() as session:
        case = find_case(session, "41/25", "nuit")
        for i, (label, text) in enumerate(BOMBS):
            doc = Document()
            doc.add_paragraph("{{ sak.saksnummer }} {{ sak.tittel }}")
            doc.add_paragraph(text)
            path = workdir() / f"bomb-{i}.docx"
            doc.save(str(path))

            def refuse(path=path) -> None:
                try:
                    toppnotat_docx(session, case, today=TODAY, template=path, chart=False)
                except TemplateProblem:
                    return
                raise AssertionError("the template was not refused")

            result = summary(timings(refuse, args.runs or 5, warmup=1))
            show(f"refuse: {label}", result, "median ≤ 2 s")
            results[label] = result
    engine.dispose()
    return results
