"""Hand-packed XLSX files for the import limits: sheets written row by row, tightly compressed.

A real workbook from openpyxl with its sheet replaced by the given <row> elements and no
recorded size (<dimension>), as some writers leave it out; 2,000,000 identical rows pack into
0.73 MB and unpack to 216 MB.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

SHEET = "xl/worksheets/sheet1.xml"
NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def inline(*cells: str) -> str:
    """A <row> of inline-string cells, without row or cell references."""
    return "<row>" + "".join(f'<c t="inlineStr"><is><t>{c}</t></is></c>' for c in cells) + "</row>"


# The header row indikator, periode, verdi, and a row of PLL 2031 41 in the fewest bytes.
HEADER = (
    '<row r="1">'
    + "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for col, name in zip("ABC", ("indikator", "periode", "verdi"), strict=True)
    )
    + "</row>"
)
ROW = inline("PLL", "2031")[: -len("</row>")] + "<c><v>41</v></c></row>"


def packed_xlsx(path: Path, rows: Iterable[bytes], header: str = HEADER) -> Path:
    """Write an XLSX file whose first sheet holds `header` and then the given chunks of <row>s."""
    import openpyxl

    template = path.with_suffix(".template.xlsx")
    openpyxl.Workbook().save(template)
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out,
    ):
        for part in source.infolist():
            if part.filename != SHEET:
                out.writestr(part, source.read(part))
        with out.open(SHEET, "w") as sheet:
            sheet.write(f'<worksheet xmlns="{NAMESPACE}"><sheetData>{header}'.encode())
            for chunk in rows:
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    template.unlink()
    return path
