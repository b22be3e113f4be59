"""Downloads of the dashboard's figures: one indicator's series as CSV, the whole set as XLSX.

The CSV is what Norwegian Excel opens as it stands (UTF-8 with a byte-order mark, semicolons,
decimal comma) and has the columns of `radsbot import`, so a downloaded file can be imported
again. Example values are marked in both, as everywhere else (`eksempeldata` = `ja`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from radsbot.data import queries
from radsbot.data.db import Session
from radsbot.data.models import Indicator
from radsbot.data.words import N_p, words
from radsbot.reports import formatting as fmt
from radsbot.reports.analytics import explain
from radsbot.reports.digest import ambition_text
from radsbot.reports.status import indicator_status

# The import's columns (README, "Importing measurements"): the file reads back with `radsbot import`.
CSV_COLUMNS = ("indikator", "periode", "verdi", "eksempeldata", "merknad", "kildedokument")
DASHBOARD = N_p("indicator set", "Dashboard")


def _texts(lang: str) -> dict:
    """The workbook's sheet names, column headings and notes, in the reader's language."""
    w = words(lang)
    return {
        "indicators": w._("Indicators"),
        "values": w.pgettext("spreadsheet", "Measurements"),
        "about": w._("About the data"),
        "indicator_columns": tuple(
            w.text(c)
            for c in (
                N_p("spreadsheet", "Code"),
                N_p("spreadsheet", "Indicator"),
                N_p("spreadsheet", "Goal"),
                N_p("spreadsheet", "Indicator set"),
                N_p("spreadsheet", "Unit"),
                N_p("spreadsheet", "Latest value"),
                N_p("spreadsheet", "Period"),
                N_p("spreadsheet", "Target"),
                N_p("spreadsheet", "Assessment"),
                N_p("spreadsheet", "Example data"),
                N_p("spreadsheet", "Explanation"),
            )
        ),
        "value_columns": tuple(
            w.text(c)
            for c in (
                N_p("spreadsheet", "Code"),
                N_p("spreadsheet", "Indicator"),
                N_p("spreadsheet", "Period"),
                N_p("spreadsheet", "Period end"),
                N_p("spreadsheet", "Value"),
                N_p("spreadsheet", "Unit"),
                N_p("spreadsheet", "Example data"),
                N_p("spreadsheet", "Note"),
                N_p("spreadsheet", "Source document"),
            )
        ),
        "title": w._("National e-health strategy: indicators, values and assessments"),
        "catalogues": {"dashbord": w.text(DASHBOARD), "plan2023": fmt.indicator_set("plan2023", lang)},
    }


def series_csv(session: Session, indicator: Indicator) -> bytes:
    """The indicator's national values as a CSV file Norwegian Excel opens, in the import's format."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    yes, no = "ja", "nei"  # the import reads these, whatever the reader's language
    for m in queries.national_values(session, indicator.id):
        writer.writerow(
            (
                indicator.code,
                m.period,
                fmt.plain_number(m.value, "nb"),
                yes if m.is_example else no,
                _csv_text(m.note),
                m.source_document,
            )
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def indicators_xlsx(session: Session, today: dt.date, lang: str = "nb") -> bytes:
    """Every indicator with its latest value, ambition and verdict, and every national value."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

    texts, w = _texts(lang), words(lang)
    yes, no = w._("yes"), w._("no")
    book = Workbook()
    summary = book.active
    if not isinstance(summary, Worksheet):  # a new workbook starts with one worksheet, active
        raise RuntimeError("openpyxl made a workbook without a worksheet")
    summary.title = texts["indicators"]
    summary.append(texts["indicator_columns"])
    values = book.create_sheet(texts["values"])
    values.append(texts["value_columns"])
    for ind in queries.indicators(session):
        status = indicator_status(session, ind, today, with_children=False)
        a = status.assessment
        example = bool(status.series["is_example"].any())
        summary.append(
            (
                ind.code,
                ind.name,
                ind.goal.label,
                texts["catalogues"].get(ind.indicator_set, ind.indicator_set),
                ind.unit,
                a.latest.value if a.latest else None,
                fmt.period(a.latest.period, lang) if a.latest else "",
                ambition_text(status, lang),
                status.verdict.label(lang),
                yes if example else no,
                explain(a, lang, unit=ind.unit),
            )
        )
        for m in queries.national_values(session, ind.id):
            values.append(
                (
                    ind.code,
                    ind.name,
                    fmt.period(m.period, lang),
                    m.period_end,
                    m.value,
                    ind.unit,
                    yes if m.is_example else no,
                    m.note,
                    m.source_document,
                )
            )
    about = book.create_sheet(texts["about"])
    made = w._("Made {date} by Rådsbot from the data behind the dashboard.", date=fmt.date(today, lang))
    for line in (texts["title"], fmt.example_note(lang), made):
        about.append((line,))
    for sheet in (summary, values):
        _no_formulas(sheet)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    for cell in values["D"][1:]:
        cell.number_format = "DD.MM.YYYY" if lang == "nb" else "YYYY-MM-DD"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv_text(text: str) -> str:
    """Stored text as a CSV field Excel will not run as a formula (a leading = + - @ is quoted)."""
    text = text or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _no_formulas(sheet) -> None:
    """openpyxl stores a text starting with "=" as a formula: stored text is only ever text."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
