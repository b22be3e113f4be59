"""Reading CSV and XLSX files into a table of text cells, rows numbered as a spreadsheet numbers them.

The header is the first row that is not blank, and every line or sheet row counts, blank ones
included, so that an error names the row the user sees in Excel. Cells become the text Excel
shows: a percent-formatted 0.305 becomes "30.5", a date cell "2025-11-01", 2150.0 "2150".
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass, field

import pandas as pd

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt", "")
DECIMAL_COMMA_HINT = (
    ' Står det desimalkomma i et tall uten anførselstegn (30,5)? Skriv "30,5" i anførselstegn, '
    "30.5 med punktum, eller bruk semikolon som skilletegn."
)


@dataclass(frozen=True)
class RowError:
    """What is wrong with one cell (or row, or the whole file) of an imported file."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"rad {self.row}" if self.row else "filen"
        return (
            f"{where}, kolonne «{self.column}»: {self.message}" if self.column else f"{where}: {self.message}"
        )


@dataclass
class Sheet:
    """The header cells and the non-blank data rows (index: row number), or why they cannot be read."""

    header: list[str] = field(default_factory=list)
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    errors: list[RowError] = field(default_factory=list)


def read_sheet(raw: bytes, suffix: str) -> Sheet:
    """The rows of a CSV (comma or semicolon, UTF-8) or XLSX file; cells stripped, blank rows left out."""
    if suffix in EXCEL_SUFFIXES:
        return _excel(raw)
    if suffix in CSV_SUFFIXES:
        return _csv(raw)
    return Sheet(errors=[RowError(0, "", f"filtypen «{suffix}» støttes ikke. Bruk .csv eller .xlsx.")])


def _csv(raw: bytes) -> Sheet:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = "filen er ikke UTF-8-kodet (tegnkoding). Lagre den som «CSV UTF-8» og prøv igjen."
        return Sheet(errors=[RowError(line, "", message)])
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    sep = ";" if first.count(";") > first.count(",") else ","
    # Room for the widest line, so that no row is refused by the parser or turned into an index:
    # rows wider than the header are found below and named by their row number.
    width = max((line.count(sep) for line in lines), default=0) + 1
    try:
        table = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=None,
            names=range(width),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,  # a blank line is a row in a spreadsheet too
        )
    except (pd.errors.ParserError, ValueError) as exc:
        message = f"filen er ikke gyldig CSV ({exc}). Sjekk skilletegn og anførselstegn."
        return Sheet(errors=[RowError(0, "", message.replace("\n", " "))])
    table.index = table.index + 1
    return _sheet(table, DECIMAL_COMMA_HINT if sep == "," else "")


def _excel(raw: bytes) -> Sheet:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong size; read what is there
        cells = [[_excel_text(cell) for cell in row] for row in sheet.iter_rows()]
        book.close()
    except Exception as exc:
        message = f"kan ikke lese Excel-filen ({type(exc).__name__}). Lagre den på nytt som .xlsx."
        return Sheet(errors=[RowError(0, "", message)])
    width = max((len(row) for row in cells), default=0)
    table = pd.DataFrame([row + [""] * (width - len(row)) for row in cells], dtype=str)
    table.index = table.index + 1
    return _sheet(table, "")


def _excel_text(cell) -> str:
    """The cell as the text Excel shows (a percent cell as its percentage)."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        if "%" in (getattr(cell, "number_format", "") or ""):
            value = value * 100
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            return str(int(value))
        # 15 significant digits drop float noise such as 30.500000000000004 (0.305 * 100).
        return f"{value:.15g}"
    return str(value)


def _sheet(table: pd.DataFrame, hint: str) -> Sheet:
    """Header and non-blank rows cut to its width; a row with filled cells beyond it is an error."""
    table = table.fillna("").apply(lambda column: column.astype(str).str.strip())
    filled = table != ""
    nonblank = filled.any(axis=1)
    if not nonblank.any():
        return Sheet()
    header_row = nonblank.idxmax()
    header = list(table.loc[header_row])
    while header and not header[-1]:
        header.pop()  # trailing separators (Excel's "a;b;c;;") are no columns
    width = len(header)
    body = nonblank & (table.index > header_row)
    too_wide = body & filled.iloc[:, width:].any(axis=1)
    errors = []
    for row in table.index[too_wide]:
        fields = int(filled.loc[row].to_numpy().nonzero()[0].max()) + 1
        errors.append(
            RowError(int(row), "", f"raden har {fields} felt, men overskriftsraden har {width}.{hint}")
        )
    rows = table.loc[body & ~too_wide].iloc[:, :width]
    rows.columns = range(width)
    return Sheet(header=header, rows=rows, errors=errors)
