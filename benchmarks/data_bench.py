"""Data benchmarks: importing 100,000 rows, and one indicator's status on 500,000 measurements."""

from __future__ import annotations

import random
import shutil
import statistics
from pathlib import Path

from benchmarks.run import benchmark, child, show, summary, timings, workdir

KOMMUNER = [f"Kommune {i:03d}" for i in range(356)]


def seeded_database(name: str, url: str = "") -> str:
    """URL of a migrated, seeded database (PostgreSQL if `url` is given, else a SQLite file)."""
    from radsbot.data.db import ensure_ready, make_engine

    if not url:
        path = workdir() / f"{name}.sqlite3"
        template = workdir() / "template.sqlite3"
        if not template.exists():
            engine = make_engine(f"sqlite:///{template}")
            ensure_ready(engine)
            engine.dispose()
        shutil.copyfile(template, path)
        url = f"sqlite:///{path}"
    engine = make_engine(url)
    ensure_ready(engine)
    engine.dispose()
    return url


def indicator_codes(url: str) -> list[tuple[str, str]]:
    """(code, unit) of every indicator in the database."""
    from radsbot.data.db import make_engine
    from radsbot.data.models import Indicator
    from sqlalchemy import select

    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(select(Indicator.code, Indicator.unit).order_by(Indicator.id)).all()
    engine.dispose()
    return [(c, u) for c, u in rows]


def write_csv(path: Path, codes: list[tuple[str, str]], rows: int) -> None:
    """A valid import file of `rows` rows: indicators × municipalities × quarters."""
    rng = random.Random(7)
    lines = ["indikator,periode,verdi,fordeling,gruppe,eksempeldata"]
    quarters = [f"{y}-Q{q}" for y in range(2010, 2031) for q in range(1, 5)]
    n = 0
    for code, unit in codes:
        for kommune in KOMMUNER:
            for quarter in quarters:
                value = rng.uniform(0, 100) if unit == "%" else rng.randint(0, 5000)
                lines.append(f"{code},{quarter},{value:.1f},kommune,{kommune},ja")
                n += 1
                if n == rows:
                    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
                    return
    raise ValueError("not enough combinations for the requested number of rows")


IMPORT_CHILD = """
import json, resource, sys, time
from pathlib import Path
from radsbot.data.db import make_engine, session_factory, transaction
from radsbot.data.importer import import_file
engine = make_engine(sys.argv[1])
start = time.perf_counter()
with transaction(session_factory(engine)) as session:
    report = import_file(session, Path(sys.argv[2]))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "ok": report.ok, "added": report.added, "peak_mb": peak}))
"""


@benchmark("import_100k")
def import_100k(args) -> dict:
    """Import 100,000 CSV rows into a fresh seeded database, in a fresh process each run."""
    runs = args.runs or 5
    base = seeded_database("import-base", args.database_url)
    csv = workdir() / "import-100k.csv"
    write_csv(csv, indicator_codes(base), 100_000)
    seconds, peaks = [], []
    for i in range(runs):
        url = seeded_database(f"import-{i}", args.database_url) if not args.database_url else base
        if args.database_url:
            _delete_imports(url)
        out = child(IMPORT_CHILD, url, str(csv))
        assert out["ok"] and out["added"] == 100_000, out
        seconds.append(out["seconds"])
        peaks.append(out["peak_mb"])
    result = summary(seconds, "s")
    result["peak_mb_max"] = round(max(peaks), 1)
    result["peak_mb_median"] = round(statistics.median(peaks), 1)
    show("import 100,000 CSV rows", result, "≤ 5 s, peak ≤ 400 MB")
    return result


def _delete_imports(url: str) -> None:
    from radsbot.data.db import make_engine
    from radsbot.data.models import ImportBatch, Measurement
    from sqlalchemy import delete

    engine = make_engine(url)
    with engine.begin() as conn:
        ids = [
            b
            for (b,) in conn.execute(
                ImportBatch.__table__.select()
                .with_only_columns(ImportBatch.id)
                .where(ImportBatch.kind == "import")
            )
        ]
        conn.execute(delete(Measurement).where(Measurement.batch_id.in_(ids)))
        conn.execute(delete(ImportBatch).where(ImportBatch.id.in_(ids)))
    engine.dispose()


def large_database(args, rows: int = 500_000) -> str:
    """A seeded database with `rows` extra municipal measurements (built once per run)."""
    from radsbot.data.db import make_engine
    from radsbot.data.models import ImportBatch, Indicator, Measurement
    from radsbot.data.periods import quarter_period
    from sqlalchemy import func, insert, select

    url = seeded_database("large", args.database_url)
    engine = make_engine(url)
    with engine.begin() as conn:
        if conn.scalar(select(func.count(Measurement.id))) >= rows:
            engine.dispose()
            return url
        batch = conn.execute(
            insert(ImportBatch).values(kind="import", filename="bench", replaced=[])
        ).inserted_primary_key[0]
        ids = [i for (i,) in conn.execute(select(Indicator.id))]
        quarters = [quarter_period(y, q) for y in range(2000, 2031) for q in range(1, 5)]
        rng = random.Random(11)
        chunk, n = [], 0
        for ind in ids:
            for kommune in KOMMUNER:
                for p in quarters:
                    chunk.append(
                        {
                            "indicator_id": ind,
                            "period_kind": "quarter",
                            "period": p.label,
                            "period_start": p.start,
                            "period_end": p.end,
                            "value": rng.uniform(0, 100),
                            "breakdown": "kommune",
                            "breakdown_value": kommune,
                            "is_example": True,
                            "note": "",
                            "source_document": "",
                            "batch_id": batch,
                        }
                    )
                    n += 1
                    if len(chunk) == 20_000 or n == rows:
                        conn.execute(insert(Measurement), chunk)
                        chunk = []
                    if n == rows:
                        break
                if n == rows:
                    break
            if n == rows:
                break
    engine.dispose()
    return url


@benchmark("status_500k")
def status_500k(args) -> dict:
    """Latest value, trend and projection for one indicator on a 500,000-measurement database."""
    from radsbot.data.db import make_engine, session_factory
    from radsbot.data.models import Indicator, Measurement
    from radsbot.reports.status import indicator_status
    from sqlalchemy import func, select

    url = large_database(args)
    engine = make_engine(url)
    sessions = session_factory(engine)
    import datetime as dt

    today = dt.date(2026, 11, 22)
    with sessions() as session:
        total = session.scalar(select(func.count(Measurement.id)))
        pll = session.scalar(select(Indicator).where(Indicator.code == "PLL"))

        def once():
            indicator_status(session, pll, today, with_children=False)

        result = summary(timings(once, args.runs or 200, warmup=5))
    engine.dispose()
    result["measurements"] = total
    show("status of one indicator (500k)", result, "median ≤ 20 ms")
    return result
