"""Files past the import limits: how soon and how cheaply they are refused (fresh process each run)."""

from __future__ import annotations

import statistics
from pathlib import Path

from benchmarks.data_bench import IMPORT_CHILD, seeded_database
from benchmarks.run import benchmark, child, show, summary, workdir


def xlsx_bomb(path: Path, rows: int) -> Path:
    """A tightly packed XLSX file of `rows` identical rows (2,000,000 rows: 0.73 MB, 216 MB unpacked)."""
    from tests.fakes.xlsx_files import ROW, packed_xlsx

    return packed_xlsx(path, (ROW.encode() * 1000 for _ in range(rows // 1000)))


def csv_flood(path: Path) -> Path:
    """A CSV file just under the size limit: 1.6 million short rows."""
    path.write_bytes(b"indikator,periode,verdi\n" + b"PLL,2031,41\n" * 1_600_000)
    return path


@benchmark("import_refused")
def import_refused(args) -> dict:
    """Refusing an XLSX zip bomb (2 M rows), one under the unpacked limit (900 k rows) and a 19 MB CSV."""
    runs = args.runs or 3
    url = seeded_database("import-refused", args.database_url)
    # Refused unopened (unpacked size), after streaming 100,001 rows, and after counting lines.
    files = {
        "xlsx bomb, 2,000,000 rows (0.73 MB)": (xlsx_bomb(workdir() / "bomb-2m.xlsx", 2_000_000), "≤ 1 s"),
        "xlsx, 900,000 rows (97 MB unpacked)": (xlsx_bomb(workdir() / "bomb-900k.xlsx", 900_000), "≤ 10 s"),
        "csv, 1,600,000 rows (19 MB)": (csv_flood(workdir() / "flood.csv"), "≤ 1 s"),
    }
    results = {}
    for name, (path, bar) in files.items():
        seconds, peaks = [], []
        for _ in range(runs):
            out = child(IMPORT_CHILD, url, str(path))
            assert not out["ok"] and out["added"] == 0, out
            seconds.append(out["seconds"])
            peaks.append(out["peak_mb"])
        result = summary(seconds, "s")
        result["peak_mb_max"] = round(max(peaks), 1)
        result["peak_mb_median"] = round(statistics.median(peaks), 1)
        result["file_mb"] = round(path.stat().st_size / 1e6, 2)
        show(f"refuse {name}", result, f"{bar}, peak ≤ 400 MB")
        results[name] = result
    return results
