"""Imports of measurements: all rows or none, row-level Norwegian errors, re-import, list and undo."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from radsbot.data.batches import UndoError, list_batches, undo_batch
from radsbot.data.importer import import_file
from radsbot.data.models import ImportBatch, Indicator, Measurement
from sqlalchemy import select
from sqlalchemy.orm import Session

HEADER = "indikator,periode,verdi,fordeling,gruppe,eksempeldata,merknad,kildedokument\n"


@pytest.fixture
def pct(session: Session) -> Indicator:
    """An indicator measured in percent."""
    return session.scalars(select(Indicator).where(Indicator.unit == "%").order_by(Indicator.id)).first()


@pytest.fixture
def count(session: Session) -> Indicator:
    """An indicator measured as a count."""
    return session.scalars(select(Indicator).where(Indicator.unit != "%").order_by(Indicator.id)).first()


def snapshot(session: Session) -> tuple:
    """Everything an import may touch, as sorted plain tuples."""
    session.expire_all()
    measurements = session.execute(
        select(
            Measurement.id,
            Measurement.indicator_id,
            Measurement.period,
            Measurement.value,
            Measurement.breakdown,
            Measurement.breakdown_value,
            Measurement.is_example,
            Measurement.note,
            Measurement.batch_id,
        ).order_by(Measurement.id)
    ).all()
    batches = session.execute(select(ImportBatch.id, ImportBatch.status).order_by(ImportBatch.id)).all()
    return tuple(measurements), tuple(batches)


def write(tmp_path: Path, text: str, name: str = "data.csv", encoding: str = "utf-8") -> Path:
    """Write a file to import."""
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(session: Session, path: Path, **kwargs):
    """Import in one transaction, as the CLI does."""
    report = import_file(session, path, **kwargs)
    session.commit()
    return report


@pytest.mark.slow
def test_good_file_is_stored_with_its_batch(session, tmp_path, pct, count):
    path = write(
        tmp_path,
        HEADER + f"{pct.code},2031,41,,,nei,,\n"
        f'{pct.name},2032-Q1,"42,5",region,Helse Vest,ja,merknad,\n'
        f"{count.code},1.11.2031,2150,,,,,003\n",
    )
    report = run(session, path, actor="U1")
    assert report.ok, report.summary()
    assert (report.added, report.updated, report.unchanged) == (3, 0, 0)
    stored = session.execute(
        select(
            Measurement.period_kind,
            Measurement.period,
            Measurement.value,
            Measurement.is_example,
            Measurement.breakdown_value,
        )
        .where(Measurement.batch_id == report.batch_id)
        .order_by(Measurement.period)
    ).all()
    assert stored == [
        ("year", "2031", 41.0, False, ""),
        ("date", "2031-11-01", 2150.0, False, ""),
        ("quarter", "2032-Q1", 42.5, True, "Helse Vest"),
    ]
    batch = session.get(ImportBatch, report.batch_id)
    assert (batch.filename, batch.actor, batch.rows_added) == ("data.csv", "U1", 3)


def test_semicolon_csv_with_decimal_comma_and_percent_sign(session, tmp_path, pct):
    path = write(tmp_path, f"Indikator;Periode;Verdi\n{pct.code};2031;30,5 %\n")
    report = run(session, path)
    assert report.ok, report.summary()
    assert session.scalar(select(Measurement.value).where(Measurement.batch_id == report.batch_id)) == 30.5


@pytest.mark.slow
def test_xlsx_file(session, tmp_path, pct):
    path = tmp_path / "data.xlsx"
    pd.DataFrame(
        {"indikator": [pct.code, pct.code], "periode": ["2031", "2032-Q2"], "verdi": [33.3, 34]}
    ).to_excel(path, index=False)
    report = run(session, path)
    assert report.ok, report.summary()
    assert report.added == 2


def test_reimport_changes_nothing(session, tmp_path, pct):
    path = write(tmp_path, HEADER + f"{pct.code},2031,41,,,,,\n{pct.code},2032,43,,,,,\n")
    assert run(session, path).added == 2
    before = snapshot(session)
    again = run(session, path)
    assert again.ok and (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert again.batch_id is None
    assert "Ingen endringer" in again.summary()
    assert snapshot(session) == before


def test_dry_run_stores_nothing(session, tmp_path, pct):
    before = snapshot(session)
    report = run(session, write(tmp_path, HEADER + f"{pct.code},2031,41,,,,,\n"), dry_run=True)
    assert report.ok and report.added == 1
    assert "Prøvekjøring" in report.summary()
    assert snapshot(session) == before


BAD_FILES = {
    "unknown indicator": (
        HEADER + "{pct},2031,41,,,,,\nFINNESIKKE,2031,41,,,,,\n",
        3,
        "indikator",
        "fant ingen indikator",
    ),
    "bad number": (
        HEADER + "{pct},2031,41,,,,,\n{pct},2032,fire,,,,,\n",
        3,
        "verdi",
        "ikke et tall",
    ),
    "missing number": (HEADER + "{pct},2031,,,,,,\n", 2, "verdi", "mangler"),
    "bad period": (
        HEADER + "{pct},2031,41,,,,,\n{pct},i fjor,41,,,,,\n",
        3,
        "periode",
        "ikke en periode",
    ),
    "bad month": (HEADER + "{pct},2031-13,41,,,,,\n", 2, "periode", "måned 13"),
    "duplicate": (HEADER + "{pct},2031,41,,,,,\n{pct},2031,42,,,,,\n", 3, "periode", "rad 2"),
    "percent over 100": (HEADER + "{pct},2031,141,,,,,\n", 2, "verdi", "utenfor 0–100"),
    "negative count": (HEADER + "{count},2031,-3,,,,,\n", 2, "verdi", "negativ"),
    "bad flag": (HEADER + "{pct},2031,41,,,kanskje,,\n", 2, "eksempeldata", "verken ja eller nei"),
    "group without breakdown": (HEADER + "{pct},2031,41,,Helse Vest,,,\n", 2, "gruppe", "sammen"),
    "missing column": ("indikator,verdi\n{pct},41\n", 1, "", "mangler kolonne(r): periode"),
    "extra column": (
        "indikator,periode,verdi,farge\n{pct},2031,41,blå\n",
        1,
        "",
        "ukjente kolonne(r): «farge»",
    ),
    "empty file": ("", 0, "", "filen er tom"),
    "header only": ("indikator,periode,verdi\n", 0, "", "ingen rader"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_file_is_rejected_whole_with_row_column_and_reason(session, tmp_path, pct, count, kind):
    template, row, column, reason = BAD_FILES[kind]
    before = snapshot(session)
    report = run(session, write(tmp_path, template.format(pct=pct.code, count=count.code)))
    assert not report.ok
    first = report.errors[0]
    assert (first.row, first.column) == (row, column), report.summary()
    assert reason in first.message
    assert "Ingenting er lagret" in report.summary()
    assert snapshot(session) == before


def test_wrong_encoding_is_named(session, tmp_path, pct):
    before = snapshot(session)
    path = write(tmp_path, HEADER + f"{pct.code},2031,41,,,,Bærum,\n", encoding="latin-1")
    report = run(session, path)
    assert not report.ok
    assert "UTF-8" in report.errors[0].message and report.errors[0].row == 2
    assert snapshot(session) == before


def test_every_bad_row_is_reported(session, tmp_path, pct):
    text = (
        HEADER
        + f"{pct.code},2031,41,,,,,\nUKJENT,2031,1,,,,,\n{pct.code},2032,x,,,,,\n{pct.code},2033,500,,,,,\n"
    )
    report = run(session, write(tmp_path, text))
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "indikator"),
        (4, "verdi"),
        (5, "verdi"),
    ]


def test_unknown_indicator_suggests_the_nearest(session, tmp_path, pct):
    misspelt = pct.name[:-1] + ("x" if pct.name[-1] != "x" else "y")
    report = run(session, write(tmp_path, HEADER + f"{misspelt},2031,41,,,,,\n"))
    assert "Mente du" in report.errors[0].message
    assert pct.code in report.errors[0].message


@pytest.mark.slow
def test_update_and_undo_restore_previous_values(session, tmp_path, pct):
    first = run(session, write(tmp_path, HEADER + f"{pct.code},2031,41,,,,,\n", "a.csv"))
    after_first = snapshot(session)
    second = run(
        session,
        write(tmp_path, HEADER + f"{pct.code},2031,45,,,,,\n{pct.code},2032,46,,,,,\n", "b.csv"),
    )
    assert (second.added, second.updated) == (1, 1)
    with pytest.raises(UndoError, match="nyere import"):
        undo_batch(session, first.batch_id)
    session.rollback()
    undo_batch(session, second.batch_id)
    session.commit()
    measurements, batches = snapshot(session)
    assert measurements == after_first[0]
    assert dict(batches)[second.batch_id] == "undone"
    undo_batch(session, first.batch_id)
    session.commit()
    assert not session.scalars(
        select(Measurement).where(Measurement.period == "2031", Measurement.indicator_id == pct.id)
    ).all()
    with pytest.raises(UndoError, match="allerede angret"):
        undo_batch(session, first.batch_id)


def test_undo_unknown_and_seed_batches_refused(session):
    with pytest.raises(UndoError, match="Fant ingen import"):
        undo_batch(session, 99999)
    seed = session.scalar(select(ImportBatch).where(ImportBatch.kind == "seed"))
    with pytest.raises(UndoError, match="Grunndataene"):
        undo_batch(session, seed.id)


@pytest.mark.slow
def test_list_batches_newest_first(session, tmp_path, pct):
    run(session, write(tmp_path, HEADER + f"{pct.code},2031,41,,,,,\n", "a.csv"))
    run(session, write(tmp_path, HEADER + f"{pct.code},2032,41,,,,,\n", "b.csv"))
    names = [b.filename for b in list_batches(session)]
    assert names[:2] == ["b.csv", "a.csv"]


def test_example_file_in_repository_imports(session):
    example = Path(__file__).parents[1] / "data" / "examples" / "maalinger.csv"
    report = import_file(session, example, dry_run=True)
    assert report.ok, report.summary()
    assert report.rows >= 5


def test_rows_after_blank_lines_keep_their_spreadsheet_numbers(session, tmp_path, pct):
    """A blank line is a row in a spreadsheet: the row after it is named by its own number."""
    text = f"indikator;periode;verdi\n{pct.code};2031;41\n\n{pct.code};2031-Q5;42\n\n\n"
    report = run(session, write(tmp_path, text))
    assert [(e.row, e.column) for e in report.errors] == [(4, "periode")], report.summary()


def test_unquoted_decimal_comma_in_a_comma_file_is_named_not_a_crash(session, tmp_path, pct):
    """ "30,5" without quotes in a comma-separated file gives one field too many: say so in Norwegian."""
    before = snapshot(session)
    for text in (
        f"indikator,periode,verdi\n{pct.code},2031,30,5\n",
        f"indikator,periode,verdi\n{pct.code},2031,30\n{pct.code},2032,31,5\n",
    ):
        report = run(session, write(tmp_path, text))
        assert not report.ok
        error = report.errors[-1]
        assert error.row == text.count("\n"), report.summary()
        assert "4 felt" in error.message and "3" in error.message
        assert "anførselstegn" in error.message
        assert "Error" not in report.summary() and "tokenizing" not in report.summary()
    assert snapshot(session) == before


def test_trailing_separators_and_blank_lines_are_not_data(session, tmp_path, pct):
    """Excel's trailing empty columns and rows are ignored; the values are stored."""
    text = f"\ufeffindikator;periode;verdi;;\r\n{pct.code};2031;41;;\r\n;;;;\r\n\r\n"
    report = run(session, write(tmp_path, text))
    assert report.ok, report.summary()
    assert report.rows == 1 and report.added == 1


def test_one_row_is_one_rad_in_the_summary(session, tmp_path, pct):
    """Norwegian number agreement: "1 rad", "2 rader"."""
    path = write(tmp_path, f"indikator,periode,verdi\n{pct.code},2031,41\n")
    assert "1 rad fra" in run(session, path, dry_run=True).summary()
    assert "den ene raden i" in (run(session, path), run(session, path))[1].summary()


@pytest.mark.parametrize("text", ["inf", "-inf", "Infinity", "nan", "1e400"])
def test_values_that_are_not_finite_numbers_are_rejected(session, tmp_path, count, text):
    """ "inf" parses as a float, but it is no measurement."""
    report = run(session, write(tmp_path, f"indikator,periode,verdi\n{count.code},2031,{text}\n"))
    assert [(e.row, e.column) for e in report.errors] == [(2, "verdi")], report.summary()


@pytest.mark.slow
def test_xlsx_cells_keep_what_excel_shows(session, tmp_path, pct, count):
    """A percent-formatted cell (0.305 shown as 30,5 %), a date cell and number cells."""
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Indikator", "Periode", "Verdi", None])
    sheet.append([pct.code, dt.datetime(2031, 10, 1), 0.305])
    sheet["C2"].number_format = "0.0%"
    sheet.append([None, None, None])
    sheet.append([count.code, 2031, 2150])
    sheet.append([pct.code, "2032-Q1", 41.5])
    path = tmp_path / "data.xlsx"
    book.save(path)
    report = run(session, path)
    assert report.ok, report.summary()
    stored = dict(
        session.execute(
            select(Measurement.period, Measurement.value).where(Measurement.batch_id == report.batch_id)
        ).all()
    )
    assert stored == {"2031-10-01": 30.5, "2031": 2150, "2032-Q1": 41.5}


def test_xlsx_rows_after_blank_rows_keep_their_numbers(session, tmp_path, pct):
    """Row numbers in an XLSX file are the sheet's own."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["indikator", "periode", "verdi"])
    sheet.append([pct.code, "2031", 41])
    sheet.append([None, None, None])
    sheet.append([pct.code, "2031-Q9", 42])
    path = tmp_path / "data.xlsx"
    book.save(path)
    report = run(session, path)
    assert [(e.row, e.column) for e in report.errors] == [(4, "periode")], report.summary()


@pytest.mark.slow
def test_two_imports_at_once_do_not_collide(engine, tmp_path, pct):
    """Two processes importing overlapping rows at the same moment: both succeed, each row once."""
    import threading

    from radsbot.data.db import make_engine, session_factory

    first = write(tmp_path, HEADER + "".join(f"{pct.code},{y},41,,,,,\n" for y in range(2031, 2041)), "a.csv")
    second = write(
        tmp_path, HEADER + "".join(f"{pct.code},{y},42,,,,,\n" for y in range(2036, 2046)), "b.csv"
    )
    start = threading.Barrier(2)
    reports, errors = {}, []

    def run_import(path):
        own = make_engine(engine.url.render_as_string(hide_password=False))
        try:
            with session_factory(own).begin() as s:
                start.wait()
                reports[path.name] = import_file(s, path)
        except Exception as exc:  # a collision would surface here
            errors.append(exc)
        finally:
            own.dispose()

    threads = [threading.Thread(target=run_import, args=(p,)) for p in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert all(r.ok for r in reports.values())
    # The overlap (2036–2040) is added by one import and updated (or unchanged) by the other.
    assert sum(r.added for r in reports.values()) == 15
    with session_factory(engine)() as s:
        years = s.scalars(
            select(Measurement.period).where(Measurement.indicator_id == pct.id, Measurement.period >= "2031")
        ).all()
    assert sorted(years) == [str(y) for y in range(2031, 2046)]


@pytest.fixture
def patients(session: Session) -> Indicator:
    """An indicator that counts (patients)."""
    return session.scalars(select(Indicator).where(Indicator.unit == "pasienter")).first()


@pytest.mark.parametrize(
    ("cell", "meant"),
    [("2.150", "2150"), ("2,150", "2150"), ("1.234.567", "1234567"), ("12,345,678", "12345678")],
)
def test_a_thousands_separator_in_a_count_suggests_the_whole_number(session, tmp_path, patients, cell, meant):
    """ "2.150" patients is no 2,15 patients: the row is refused and the likely reading suggested."""
    before = snapshot(session)
    report = run(session, write(tmp_path, f"indikator;periode;verdi\n{patients.code};2031;{cell}\n"))
    assert [(e.row, e.column) for e in report.errors] == [(2, "verdi")], report.summary()
    assert "ikke et helt tall" in report.errors[0].message
    assert f"Mente du {meant}?" in report.errors[0].message
    assert snapshot(session) == before


@pytest.mark.slow
def test_a_fraction_of_a_count_is_refused_but_shares_and_days_may_have_decimals(session, tmp_path, patients):
    days = session.scalars(select(Indicator).where(Indicator.unit == "dager")).first()
    share = session.scalars(select(Indicator).where(Indicator.unit == "%")).first()
    report = run(session, write(tmp_path, f"indikator;periode;verdi\n{patients.code};2031;2,5\n"))
    assert [(e.row, e.column) for e in report.errors] == [(2, "verdi")]
    assert "ikke et helt tall" in report.errors[0].message and "Mente du" not in report.errors[0].message
    rows = [f"{patients.code};2031;2 150", f"{days.code};2031;106,5", f"{share.code};2031;2,150"]
    text = "indikator;periode;verdi\n" + "\n".join(rows) + "\n"
    report = run(session, write(tmp_path, text))
    assert report.ok, report.summary()
    stored = session.execute(
        select(Measurement.indicator_id, Measurement.value).where(Measurement.batch_id == report.batch_id)
    ).all()
    assert sorted(stored) == sorted([(patients.id, 2150.0), (days.id, 106.5), (share.id, 2.15)])


def test_an_unknown_indicator_is_not_taken_for_a_count(session, tmp_path):
    report = run(session, write(tmp_path, "indikator;periode;verdi\nFINNESIKKE;2031;2,150\n"))
    assert [(e.row, e.column) for e in report.errors] == [(2, "indikator")], report.summary()
