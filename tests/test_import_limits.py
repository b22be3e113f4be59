"""Import files past the limits, or not UTF-8: refused early, as a whole, with what to do in Norwegian."""

from __future__ import annotations

from pathlib import Path

import pytest
from radsbot.data.models import Indicator
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_importer import HEADER, run, write

from tests.fakes.xlsx_files import HEADER as XLSX_HEADER
from tests.fakes.xlsx_files import ROW, inline
from tests.fakes.xlsx_files import packed_xlsx as xlsx


@pytest.fixture
def pct(session: Session) -> Indicator:
    """An indicator measured in percent."""
    return session.scalars(select(Indicator).where(Indicator.unit == "%").order_by(Indicator.id)).first()


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
        ("utf-16", "UTF-16"),
        ("utf-32-le", "UTF-32"),
        ("utf-32", "UTF-32"),
    ],
)
def test_utf16_and_utf32_files_are_named_with_what_to_do(session, tmp_path, pct, encoding, name):
    """Without a BOM, UTF-16 decodes as UTF-8 with NULs between the letters ("i n d i k a t o r")."""
    report = run(session, write(tmp_path, HEADER + f"{pct.code},2031,41,,,,Bærum,\n", encoding=encoding))
    assert len(report.errors) == 1, report.summary()
    assert name in report.errors[0].message and "CSV UTF-8" in report.errors[0].message
    assert "ukjente" not in report.summary() and "\x00" not in report.summary()


def test_a_file_over_the_size_limit_is_refused_unread(session, tmp_path):
    from radsbot.data.spreadsheets import MAX_FILE_BYTES

    path = tmp_path / "stor.csv"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    report = run(session, path)
    assert [e.row for e in report.errors] == [0]
    assert "høyst 20 MB" in report.errors[0].message and "Del den opp" in report.errors[0].message


def test_a_device_or_folder_is_no_file_to_import(session, tmp_path):
    """/dev/zero never ends: reading it whole would fill the memory."""
    for path in (Path("/dev/zero"), tmp_path):
        report = run(session, path)
        assert "ikke en vanlig fil" in report.errors[0].message


@pytest.mark.slow
def test_csv_rows_past_the_limit_are_refused_before_they_are_checked(session, tmp_path, pct):
    from radsbot.data.spreadsheets import MAX_ROWS, read_sheet

    body = f"{pct.code},2031,41\n" * MAX_ROWS
    at_limit = read_sheet(("indikator,periode,verdi\n" + body + "\n,,\n").encode(), ".csv")
    assert at_limit.errors == [] and len(at_limit.rows) == MAX_ROWS
    report = run(session, write(tmp_path, "indikator,periode,verdi\n" + body + f"{pct.code},2031,41\n"))
    assert len(report.errors) == 1 and "flere enn 100 000 rader med verdier" in report.errors[0].message
    blank = run(session, write(tmp_path, "indikator,periode,verdi\n" + "\n" * 1_048_576 + "PLL,2031,41\n"))
    assert "tomme rader medregnet" in blank.errors[0].message


def test_a_csv_line_wider_than_any_file_is_named_by_its_row(session, tmp_path, pct):
    text = f"indikator,periode,verdi\n{pct.code},2031,41\n{pct.code},2032,41" + "," * 1_000_000 + "\n"
    report = run(session, write(tmp_path, text))
    assert [(e.row, e.column) for e in report.errors] == [(3, "")]
    assert "høyst 64 kolonner" in report.errors[0].message


@pytest.mark.slow
def test_xlsx_that_unpacks_past_the_limit_is_refused_unopened(session, tmp_path):
    """A small file that unpacks to 2 million rows (216 MB) is a zip bomb: refused by its declared size."""
    path = xlsx(tmp_path / "bombe.xlsx", (ROW.encode() * 1000 for _ in range(2000)))
    assert path.stat().st_size < 750_000
    report = run(session, path)
    assert len(report.errors) == 1 and "pakker seg ut til" in report.errors[0].message
    assert "høyst 100 MB" in report.errors[0].message


@pytest.mark.slow
def test_xlsx_rows_past_the_limit_stop_the_reading(session, tmp_path):
    row = inline("PLL", "2031", "41").encode()
    path = xlsx(tmp_path / "mange.xlsx", (row * 1001 for _ in range(100)), XLSX_HEADER)
    report = run(session, path)
    assert len(report.errors) == 1 and "flere enn 100 000 rader med verdier" in report.errors[0].message


@pytest.mark.slow
def test_xlsx_rows_far_apart_or_wide_are_refused_without_building_them(session, tmp_path):
    """A row numbered 2 000 000 or cells in column XFD would make openpyxl fill in millions of empty cells."""
    far = xlsx(tmp_path / "langt.xlsx", [b'<row r="2000000"><c r="A2000000"><v>1</v></c></row>'], XLSX_HEADER)
    assert "tomme rader medregnet" in run(session, far).errors[0].message
    wide = (f'<row r="{n}"><c r="XFD{n}"><v>1</v></c></row>'.encode() for n in range(2, 400))
    report = run(session, xlsx(tmp_path / "bred.xlsx", wide, XLSX_HEADER))
    assert "celler" in report.errors[0].message


@pytest.mark.slow
def test_xlsx_sheet_without_a_recorded_size_is_read_whole(session, tmp_path, pct):
    """Some writers record no <dimension> (and may prefix the namespace); every row is still read."""
    rows = [inline(pct.code, str(year), "41").encode() for year in range(2031, 2036)]
    plain = xlsx(tmp_path / "uten.xlsx", rows, XLSX_HEADER)
    report = run(session, plain)
    assert report.ok and report.added == 5, report.summary()
    prefixed = tmp_path / "prefiks.xlsx"
    import zipfile

    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(prefixed, "w") as out:
        for part in source.infolist():
            data = source.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                text = data.decode().replace("<worksheet xmlns=", "<x:worksheet xmlns:x=")
                text = text.replace("</worksheet>", "</x:worksheet>").replace("sheetData>", "x:sheetData>")
                text = text.replace("<row", "<x:row").replace("</row", "</x:row").replace("<c", "<x:c")
                text = text.replace("</c>", "</x:c>").replace("<is>", "<x:is>").replace("</is>", "</x:is>")
                data = text.replace("<t>", "<x:t>").replace("</t>", "</x:t>").encode()
            out.writestr(part, data)
    assert run(session, prefixed, dry_run=True).unchanged == 5
