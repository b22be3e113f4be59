"""Chat benchmarks: in-process answers, one chart PNG, and a cold `radsbot ask` process."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import benchmark, show, summary, timings
from benchmarks.data_bench import large_database, seeded_database

TODAY = dt.date(2026, 11, 22)
# Indicator questions as members write them: codes, names, misspellings, aspects.
QUESTIONS = [
    "status PLL",
    "hvordan går det med velferdsteknologi?",
    "hva er ambisjonen for innbyggers tillit?",
    "hvilken kilde har digital dialog med fastlege?",
    "hvor mange kommuner har digital hjemmeoppfølging?",
    "status legemidelliste",
    "EPJ effektivt pasientarbeid",
    "status DDFL",
]


def _engine(url: str):
    from radsbot.bot.bootstrap import Context
    from radsbot.bot.engine import Engine
    from radsbot.bot.settings import Settings

    context = Context(Settings(DATABASE_URL=url))
    return context, Engine(context, today=lambda: TODAY)


def _answers(url: str, runs: int) -> dict:
    """Time Engine.answer over the questions in turn, after every question was asked once."""
    context, engine = _engine(url)
    try:
        for q in QUESTIONS:
            reply = engine.answer(q)
            assert reply.kind == "answer", (q, reply.summary)
        cycle = itertools.cycle(QUESTIONS)
        return summary(timings(lambda: engine.answer(next(cycle)), runs, warmup=len(QUESTIONS)))
    finally:
        context.close()


@benchmark("ask_inprocess")
def ask_inprocess(args) -> dict:
    """Engine.answer for indicator questions on the seed database and on 500,000 measurements."""
    runs = args.runs or 800
    seed = _answers(seeded_database("ask-seed", args.database_url), runs)
    seed["load_avg_1min"] = round(os.getloadavg()[0], 2)
    show("ask in-process (seed database)", seed, "p50 ≤ 15 ms, p99 ≤ 60 ms")
    large_url = large_database(args)
    large = _answers(large_url, runs)
    large["measurements"] = _count(large_url)
    large["load_avg_1min"] = round(os.getloadavg()[0], 2)
    show("ask in-process (500k measurements)", large, "p99 ≤ 120 ms")
    return {"seed": seed, "large": large}


@benchmark("chart_png")
def chart_png(args) -> dict:
    """One indicator chart as PNG bytes (reports.charts), and the whole "Vis graf" button action."""
    from radsbot.reports.charts import indicator_chart
    from radsbot.reports.status import indicator_status

    url = seeded_database("chart", args.database_url)
    context, engine = _engine(url)
    runs = args.runs or 40
    try:
        with context.sessions() as session:
            from radsbot.data.lookups import indicator_by_code

            status = indicator_status(session, indicator_by_code(session, "PLL"), TODAY)
        chart = summary(timings(lambda: indicator_chart(status), runs))
        chart["load_avg_1min"] = round(os.getloadavg()[0], 2)
        show("indicator chart PNG", chart, "≤ 150 ms")
        action = summary(timings(lambda: engine.action("show_chart", "PLL"), runs))
        show("'Vis graf' action (query + chart)", action, "–")
    finally:
        context.close()
    return {"chart": chart, "action": action}


@benchmark("ask_cold")
def ask_cold(args) -> dict:
    """A cold `radsbot ask "status PLL"` process, start to exit, on a ready seed database."""
    url = seeded_database("cold", args.database_url)
    script = Path(sys.executable).with_name("radsbot")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "radsbot.bot.cli"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RADSBOT_", "DATABASE_URL"))}
    env["DATABASE_URL"] = url
    runs = args.runs or 15

    def once():
        out = subprocess.run(
            [*command, "ask", "status PLL"], env=env, capture_output=True, text=True, check=True
        )
        assert "PLL" in out.stdout, out.stdout

    samples, cpu = [], []
    once()  # the first run warms the file system cache, as any second run by a user would
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        once()
        samples.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    result = summary(samples, "s")
    # CPU seconds say what the process costs when the machine is busy with other work too.
    result["cpu_median_s"] = round(statistics.median(cpu), 3)
    result["load_avg_1min"] = round(os.getloadavg()[0], 2)
    show('cold `radsbot ask "status PLL"`', result, "median ≤ 1.0 s")
    return result


def _count(url: str) -> int:
    from radsbot.data.db import make_engine
    from radsbot.data.models import Measurement
    from sqlalchemy import func, select

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(select(func.count(Measurement.id)))
    finally:
        engine.dispose()
