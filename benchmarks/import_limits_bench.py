"""Files past the import limits: how soon and how cheaply they are refused (fresh process each run)."""

from __future__ import annotations

import statistics
import zipfile
from pathlib import Path

from benchmarks.data_bench import IMPORT_CHILD, seeded_database
from benchmarks.run import benchmark, child, show, summary, workdir

HEADER_ROW = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>indikator</t></is></c><c r="B1" t="inlineStr"><is>'
    b'<t>periode</t></is></c><c r="C1" t="inlineStr"><is><t>verdi</t></is></c></row>'
)
ROW = (
    b'<row><c t="inlineStr"><is><t>PLL</t></is></c><c t="inlineStr"><is><t>2031</t></is></c>'
    b"<c><v>41</v></c></row>"
)


def xlsx_bomb(path: Path, rows: int) -> Path:
    """A tightly packed XLSX file of `rows` identical rows (2,000,000 rows: 0.73 MB, 216 MB unpacked)."""
    import openpyxl

    template = path.with_suffix(".template.xlsx")
    openpyxl.Workbook().save(template)
    part = "xl/worksheets/sheet1.xml"
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out,
    ):
        for item in source.infolist():
            if item.filename != part:
                out.writestr(item, source.read(item))
        with out.open(part, "w") as sheet:
            ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
            sheet.write(f'<worksheet xmlns="{ns}"><sheetData>'.encode() + HEADER_ROW)
            for _ in range(rows // 1000):
                sheet.write(ROW * 1000)
            sheet.write(b"</sheetData></worksheet>")
    template.unlink()
    return path


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
