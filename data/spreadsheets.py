"""Reading CSV and XLSX files into a table of text cells, rows numbered as a spreadsheet numbers them.

The header is the first row that is not blank, and every line or sheet row counts, blank ones
included, so that an error names the row the user sees in Excel. Cells become the text Excel
shows: a percent-formatted 0.305 becomes "30.5", a date cell "2025-11-01", 2150.0 "2150".

Files past the limits below are refused before the expensive work: the file's size before it is
read, an XLSX file's unpacked size before it is opened (a small file can unpack to gigabytes),
and its rows while they are streamed, stopping at the limit.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from radsbot.data.encodings import wide_encoding
from radsbot.data.words import DEFAULT_LANGUAGE, Message, Number, join, msg, verbatim, words

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt", "")
DECIMAL_COMMA_HINT = msg(
    'Is there a decimal comma in a number without quotation marks (30,5)? Write "30,5" in quotation '
    "marks, 30.5 with a point, or use semicolons as separators."
)
SAVE_AS_UTF8 = msg("Save it as «CSV UTF-8» (Excel: Save as → CSV UTF-8) and try again.")
MAX_FILE_BYTES = 20_000_000  # 20 MB on disk
MAX_UNPACKED_BYTES = 100_000_000  # 100 MB: what the parts of an XLSX file unpack to
MAX_ROWS = 100_000  # rows with values below the header
MAX_SHEET_ROWS = 1_048_576  # every row, blank ones included: Excel's own maximum
MAX_COLUMNS = 64  # fields in a CSV line
MAX_CELLS = 32 * MAX_ROWS  # cells an XLSX sheet's rows may hold, empty ones included


def _number(n: int) -> str:
    return f"{n:,}".replace(",", " ")


SPLIT_HINT = msg("Split it into files of at most {rows} rows.", rows=_number(MAX_ROWS))


def row_number(label: Hashable) -> int:
    """A frame's index label as the file's row number (imported frames are indexed by row)."""
    if isinstance(label, int | np.integer):
        return int(label)
    raise TypeError(f"not a row number: {label!r}")


@dataclass(frozen=True)
class RowError:
    """What is wrong with one cell (or row, or the whole file) of an imported file."""

    row: int
    column: str
    problem: Message | str

    @property
    def message(self) -> str:
        """The problem in bokmål (logs, tests); `text` gives it in the reader's language."""
        return words(DEFAULT_LANGUAGE).text(self.problem)

    def located(self) -> Message:
        """Where the problem is and what it is."""
        where = msg("row {row}", row=self.row) if self.row else msg("the file")
        if self.column:
            return msg(
                "{where}, column «{column}»: {problem}", where=where, column=self.column, problem=self.problem
            )
        return msg("{where}: {problem}", where=where, problem=self.problem)

    def text(self, lang: str) -> str:
        """Where the problem is and what it is, in the reader's language."""
        return words(lang).text(self.located())

    def __str__(self) -> str:
        return self.text(DEFAULT_LANGUAGE)


@dataclass
class Sheet:
    """The header cells and the non-blank data rows (index: row number), or why they cannot be read."""

    header: list[str] = field(default_factory=list)
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    errors: list[RowError] = field(default_factory=list)


def read_file(path: Path) -> tuple[bytes, list[RowError]]:
    """The bytes of a file to import, or why it is not read: not a plain file, or too big."""
    if not path.is_file():
        return b"", [RowError(0, "", msg("is not an ordinary file. Give a CSV or XLSX file."))]
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # never more, even when the file grows meanwhile
    except OSError as exc:
        return b"", [RowError(0, "", msg("cannot read the file ({reason}).", reason=exc.strerror))]
    if len(raw) > MAX_FILE_BYTES:
        size = _megabytes(max(len(raw), path.stat().st_size))
        message = msg(
            "the file is {size}; Rådsbot takes files of at most {limit}.",
            size=size,
            limit=_megabytes(MAX_FILE_BYTES),
        )
        return b"", [RowError(0, "", join(message, SPLIT_HINT))]
    return raw, []


def _megabytes(size: int) -> Message:
    shown = round(size / 1_000_000, 1)
    return verbatim("{size} MB").fill(size=Number(shown, 0 if shown.is_integer() else 1))


def read_sheet(raw: bytes, suffix: str) -> Sheet:
    """The rows of a CSV (comma or semicolon, UTF-8) or XLSX file; cells stripped, blank rows left out."""
    if suffix in EXCEL_SUFFIXES:
        return _excel(raw)
    if suffix in CSV_SUFFIXES:
        return _csv(raw)
    message = msg("the file type «{suffix}» is not supported. Use .csv or .xlsx.", suffix=suffix)
    return Sheet(errors=[RowError(0, "", message)])


def _csv(raw: bytes) -> Sheet:
    wide = wide_encoding(raw)
    if wide:
        message = msg("the file is saved as {encoding} (Unicode text), not UTF-8.", encoding=wide)
        return Sheet(errors=[RowError(0, "", join(message, SAVE_AS_UTF8))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = msg("the file is not encoded as UTF-8 (character encoding).")
        return Sheet(errors=[RowError(line, "", join(message, SAVE_AS_UTF8))])
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    sep = ";" if first.count(";") > first.count(",") else ","
    # Every record is at least one line, so counting lines bounds the rows before parsing them.
    filled = sum(1 for line in lines if line.strip(f' \t"{sep}'))
    if len(lines) > MAX_SHEET_ROWS or filled - 1 > MAX_ROWS:
        return Sheet(errors=[_too_many_rows(len(lines) > MAX_SHEET_ROWS)])
    # Room for the widest line, so that no row is refused by the parser or turned into an index:
    # rows wider than the header are found below and named by their row number.
    widths = [line.count(sep) + 1 for line in lines] or [1]
    width = max(widths)
    if width > MAX_COLUMNS:
        row = widths.index(width) + 1
        message = msg(
            "the row has {fields} fields; a file can have at most {limit} columns.",
            fields=width,
            limit=MAX_COLUMNS,
        )
        return Sheet(errors=[RowError(row, "", _hinted(message, DECIMAL_COMMA_HINT if sep == "," else None))])
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
        reason = str(exc).replace("\n", " ")
        message = msg(
            "the file is not valid CSV ({reason}). Check separators and quotation marks.", reason=reason
        )
        return Sheet(errors=[RowError(0, "", message)])
    table.index = table.index + 1
    return _sheet(table, DECIMAL_COMMA_HINT if sep == "," else None)


def _hinted(message: Message, hint: Message | None) -> Message:
    """The message, with a hint after it when there is one."""
    return join(message, hint) if hint is not None else message


def _too_many_rows(blank_too: bool) -> RowError:
    if blank_too:
        what = msg("{rows} rows (blank rows included)", rows=_number(MAX_SHEET_ROWS))
    else:
        what = msg("{rows} rows with values below the header row", rows=_number(MAX_ROWS))
    return RowError(0, "", join(msg("the file has more than {what}.", what=what), SPLIT_HINT))


def _excel(raw: bytes) -> Sheet:
    import openpyxl

    try:
        # The sizes the archive declares are the most zipfile unpacks, so they can be trusted here.
        unpacked = sum(part.file_size for part in zipfile.ZipFile(io.BytesIO(raw)).infolist())
    except (zipfile.BadZipFile, ValueError):
        unpacked = 0  # openpyxl names the problem below
    if unpacked > MAX_UNPACKED_BYTES:
        message = msg(
            "the Excel file unpacks to {size}; at most {limit} is allowed.",
            size=_megabytes(unpacked),
            limit=_megabytes(MAX_UNPACKED_BYTES),
        )
        return Sheet(errors=[RowError(0, "", join(message, SPLIT_HINT))])
    try:
        book = openpyxl.load_workbook(io.BytesIO(with_dimensions(raw)), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            sheet.reset_dimensions()  # some writers record a wrong size; read what is there
            cells, too_many = _stream(sheet)
        finally:
            book.close()
    except Exception as exc:
        message = msg(
            "cannot read the Excel file ({reason}). Save it again as .xlsx.", reason=type(exc).__name__
        )
        return Sheet(errors=[RowError(0, "", message)])
    if too_many:
        return Sheet(errors=[too_many])
    width = max((len(row) for row in cells), default=0)
    table = pd.DataFrame([row + [""] * (width - len(row)) for row in cells], dtype=str)
    table.index = table.index + 1
    return _sheet(table, None)


def with_dimensions(raw: bytes) -> bytes:
    """The XLSX file with a <dimension> in every sheet that has none (a copy only when needed).

    openpyxl looks for a sheet's size before reading it and, when none is recorded, parses the
    whole sheet to find out: 16 s for 900,000 rows, before a single row can be counted. The
    size it finds then is thrown away (reset_dimensions), so a placeholder does just as well.
    """
    source = zipfile.ZipFile(io.BytesIO(raw))
    sheets = [
        p
        for p in source.infolist()
        if p.filename.startswith("xl/worksheets/") and p.filename.endswith(".xml")
    ]
    missing = {}
    for part in sheets:
        with source.open(part) as handle:
            head = handle.read(65_536)
        data = _SHEET_DATA.search(head)
        if data and b"dimension" not in head[: data.start()]:
            missing[part.filename] = data
    if not missing:
        return raw
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy:
        for part in source.infolist():
            if part.filename not in missing:
                copy.writestr(part, source.read(part))
                continue
            data = missing[part.filename]
            with source.open(part) as handle, copy.open(part.filename, "w") as target:
                head = handle.read(data.start())
                target.write(head + b"<" + (data[1] or b"") + b'dimension ref="A1"/>')
                while chunk := handle.read(1 << 20):
                    target.write(chunk)
    return out.getvalue()


_SHEET_DATA = re.compile(rb"<([A-Za-z_][\w.-]*:)?sheetData[\s>/]")


def _stream(sheet) -> tuple[list[list[str]], RowError | None]:
    """The sheet's rows as text, read one at a time and stopped as soon as a limit is passed."""
    rows: list[list[str]] = []
    filled = cells = 0
    for number, row in enumerate(sheet.iter_rows(), start=1):
        cells += len(row)
        if number > MAX_SHEET_ROWS or cells > MAX_CELLS:
            return [], _too_many_rows(True) if number > MAX_SHEET_ROWS else _too_many_cells()
        texts = [_excel_text(cell) for cell in row]
        filled += any(texts)
        if filled - 1 > MAX_ROWS:
            return [], _too_many_rows(False)
        rows.append(texts)
    return rows, None


def _too_many_cells() -> RowError:
    message = msg(
        "the sheet has more than {cells} cells (blank cells with a format included).",
        cells=_number(MAX_CELLS),
    )
    return RowError(0, "", join(message, SPLIT_HINT))


def _excel_text(cell) -> str:
    """The cell as the text Excel shows (a percent cell as its percentage)."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"  # as the eksempeldata column is written (data.import_checks.YES)
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


def _sheet(table: pd.DataFrame, hint: Message | None) -> Sheet:
    """Header and non-blank rows cut to its width; a row with filled cells beyond it is an error."""
    table = table.fillna("").apply(lambda column: column.astype(str).str.strip())
    filled = table != ""
    nonblank = filled.any(axis=1)
    if not nonblank.any():
        return Sheet()
    header_row = row_number(nonblank.idxmax())
    header = list(table.loc[header_row])
    while header and not header[-1]:
        header.pop()  # trailing separators (Excel's "a;b;c;;") are no columns
    width = len(header)
    body = nonblank & (table.index > header_row)
    too_wide = body & filled.iloc[:, width:].any(axis=1)
    errors = []
    for row in table.index[too_wide]:
        fields = int(filled.loc[row].to_numpy().nonzero()[0].max()) + 1
        message = msg(
            "the row has {fields} fields, but the header row has {width}.", fields=fields, width=width
        )
        errors.append(RowError(int(row), "", _hinted(message, hint)))
    rows = table.loc[body & ~too_wide].iloc[:, :width]
    rows.columns = pd.RangeIndex(width)
    return Sheet(header=header, rows=rows, errors=errors)
