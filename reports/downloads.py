"""Downloads of the dashboard's figures: one indicator's series as CSV, the whole set as XLSX.

The CSV is what Norwegian Excel opens as it stands (UTF-8 with a byte-order mark, semicolons,
decimal comma) and has the columns of `radsbot import`, so a downloaded file can be imported
again. Example values are marked in both, as everywhere else (`eksempeldata` = `ja`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from radsbot.data import queries
from radsbot.data.db import Session
from radsbot.data.models import Indicator
from radsbot.reports import formatting as fmt
from radsbot.reports.analytics import explain
from radsbot.reports.digest import ambition_text
from radsbot.reports.status import indicator_status

# The import's columns (README, "Importing measurements"): the file reads back with `radsbot import`.
CSV_COLUMNS = ("indikator", "periode", "verdi", "eksempeldata", "merknad", "kildedokument")
YES_NO = {"nb": ("ja", "nei"), "en": ("yes", "no")}
_TEXTS: dict[str, dict[str, Any]] = {
    "nb": {
        "indicators": "Indikatorer",
        "values": "Målinger",
        "about": "Om dataene",
        "indicator_columns": (
            "Kode",
            "Indikator",
            "Mål",
            "Indikatorsett",
            "Enhet",
            "Siste verdi",
            "Periode",
            "Ambisjon",
            "Vurdering",
            "Eksempeldata",
            "Forklaring",
        ),
        "value_columns": (
            "Kode",
            "Indikator",
            "Periode",
            "Periodeslutt",
            "Verdi",
            "Enhet",
            "Eksempeldata",
            "Merknad",
            "Kildedokument",
        ),
        "title": "Nasjonal e-helsestrategi: indikatorer, verdier og vurderinger",
        "made": "Laget {date} av Rådsbot fra dataene bak dashbordet.",
        "catalogues": {"dashbord": "Dashbord", "plan2023": "Plan for realisering (2023)"},
    },
    "en": {
        "indicators": "Indicators",
        "values": "Values",
        "about": "About the data",
        "indicator_columns": (
            "Code",
            "Indicator",
            "Goal",
            "Indicator set",
            "Unit",
            "Latest value",
            "Period",
            "Target",
            "Assessment",
            "Example data",
            "Explanation",
        ),
        "value_columns": (
            "Code",
            "Indicator",
            "Period",
            "Period end",
            "Value",
            "Unit",
            "Example data",
            "Note",
            "Source document",
        ),
        "title": "National e-health strategy: indicators, values and assessments",
        "made": "Made {date} by Rådsbot from the data behind the dashboard.",
        "catalogues": {"dashbord": "Dashboard", "plan2023": "Plan for realisation (2023)"},
    },
}


def series_csv(session: Session, indicator: Indicator) -> bytes:
    """The indicator's national values as a CSV file Norwegian Excel opens, in the import's format."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    yes, no = YES_NO["nb"]  # the import reads ja/nei
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

    texts, (yes, no) = _TEXTS[lang], YES_NO[lang]
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
    for line in (texts["title"], fmt.EXAMPLE_NOTE[lang], texts["made"].format(date=fmt.date(today, lang))):
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
