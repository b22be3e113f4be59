"""Checking the rows of a measurements file: every cell, with row, column and the reason.

Values are read as numbers with a decimal comma or point; a count (a unit such as "antall" or
"pasienter") must be a whole number, so that "2.150" is not stored as 2,15 patients. Texts that
are stored (fordeling, gruppe, merknad, kildedokument) must fit their columns (data.fields).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from radsbot.data.fields import BAD, max_length, policy, problem, quote
from radsbot.data.models import Measurement
from radsbot.data.periods import Period, PeriodError, parse_period
from radsbot.data.spreadsheets import RowError, row_number
from radsbot.data.units import is_count
from radsbot.data.words import did_you_mean, join, msg
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from radsbot.data.importer import ImportReport

REQUIRED = ("indikator", "periode", "verdi")
OPTIONAL = ("fordeling", "gruppe", "eksempeldata", "merknad", "kildedokument")
COLUMNS = REQUIRED + OPTIONAL
YES = {"ja", "j", "yes", "y", "true", "1", "x"}
NO = {"nei", "n", "no", "false", "0", ""}
KEY = ["indicator_id", "period_kind", "period", "breakdown", "breakdown_value"]
# The file's columns that are stored as they are, and where.
STORED = {
    "fordeling": Measurement.breakdown,
    "gruppe": Measurement.breakdown_value,
    "merknad": Measurement.note,
    "kildedokument": Measurement.source_document,
}
# 2.150 or 2,150 (or 1.234.567): a thousands separator, when the value must be a whole number.
THOUSANDS = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")


def validate(session: Session, frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame | None:
    """Check every row; return canonical rows, or None after recording each problem."""
    from radsbot.data.lookups import indicator_lookup

    lookup = indicator_lookup(session)
    errors: list[RowError] = []

    keys = frame["indikator"].str.casefold()
    ids = keys.map(lambda k: lookup.ids.get(k))
    for row, name in frame.loc[ids.isna(), "indikator"].items():
        errors.append(RowError(row_number(row), "indikator", lookup.explain_unknown(name)))
    units = ids.map(lambda i: lookup.units.get(i, ""))

    periods: dict[str, Period | PeriodError] = {}
    for text in frame["periode"].unique():
        try:
            periods[text] = parse_period(re.sub(r"[ T]00:00:00$", "", text))
        except PeriodError as exc:
            periods[text] = exc
    for row, text in frame["periode"].items():
        parsed = periods[text]
        if isinstance(parsed, PeriodError):
            errors.append(RowError(row_number(row), "periode", parsed.problem))

    values = _values(frame["verdi"], units, errors)
    flags = frame["eksempeldata"].str.casefold()
    for row, text in frame.loc[~flags.isin(YES | NO), "eksempeldata"].items():
        errors.append(
            RowError(
                row_number(row), "eksempeldata", msg("{value} is neither ja nor nei.", value=quote(text))
            )
        )
    no_group = (frame["fordeling"] != "") != (frame["gruppe"] != "")
    for row in frame.index[no_group]:
        message = msg(
            "fordeling and gruppe must be filled in together (e.g. region and Helse Vest), or both left "
            "empty."
        )
        errors.append(RowError(row_number(row), "gruppe", message))
    errors += stored_text_errors(frame)

    if not errors:
        read = {text: p for text, p in periods.items() if isinstance(p, Period)}  # all, without errors
        rows = pd.DataFrame(
            {
                "indicator_id": ids.astype(int),
                "period_kind": frame["periode"].map(lambda t: read[t].kind),
                "period": frame["periode"].map(lambda t: read[t].label),
                "period_start": frame["periode"].map(lambda t: read[t].start),
                "period_end": frame["periode"].map(lambda t: read[t].end),
                "value": values.astype(float),
                "breakdown": frame["fordeling"],
                "breakdown_value": frame["gruppe"],
                "is_example": flags.isin(YES),
                "note": frame["merknad"],
                "source_document": frame["kildedokument"],
            },
            index=frame.index,
        )
        errors += _duplicates(rows)
    errors.sort(key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else 0))
    report.errors.extend(errors)
    return None if errors else rows


def _values(texts: pd.Series, units: pd.Series, errors: list[RowError]) -> pd.Series:
    """The cells of "verdi" as numbers, after recording every one that is no value of its unit."""
    compact = texts.str.replace(r"[\s\u00a0\u202f%]", "", regex=True)
    values = pd.to_numeric(compact.str.replace(",", ".", regex=False), errors="coerce")
    values = values.where(np.isfinite(values))  # "inf" and "1e400" are floats, but no measurements
    counts = units.map(is_count)
    fraction = counts & values.notna() & (values % 1 != 0)
    thousands = counts & (values.isna() | fraction) & compact.str.fullmatch(THOUSANDS)
    for row in thousands[thousands].index:
        digits = re.sub(r"[.,]", "", compact[row])
        message = join(
            _not_whole(texts[row], units[row]),
            did_you_mean([digits], quoted=False),
            msg("Write large numbers without separators (2150) or with spaces (2 150)."),
        )
        errors.append(RowError(row_number(row), "verdi", message))
    for row, text in texts[values.isna() & ~thousands].items():
        problem = (
            msg("the value is missing.")
            if not text
            else msg("the value {value} is not a number.", value=quote(text))
        )
        errors.append(
            RowError(row_number(row), "verdi", join(problem, msg("Write for example 30,5 or 1250.")))
        )
    for row in values[fraction & ~thousands].index:
        errors.append(RowError(row_number(row), "verdi", _not_whole(texts[row], units[row])))
    pct = (units == "%") & values.notna() & ((values < 0) | (values > 100))
    for row in values[pct].index:
        message = msg(
            "{value} is outside 0–100, but the indicator is measured in per cent.", value=quote(texts[row])
        )
        errors.append(RowError(row_number(row), "verdi", message))
    negative = (units != "%") & values.notna() & (values < 0)
    for row in values[negative].index:
        message = msg("{value} is negative; the indicator is a count or a duration.", value=quote(texts[row]))
        errors.append(RowError(row_number(row), "verdi", message))
    return values


def _not_whole(text: str, unit: str):
    """A value that is no whole number although its indicator counts (the unit as stored)."""
    return msg(
        "{value} is not a whole number, but the indicator counts {unit}.", value=quote(text), unit=unit
    )


def stored_text_errors(frame: pd.DataFrame) -> list[RowError]:
    """Cells of the stored text columns that their database columns cannot hold."""
    errors = []
    for name, attribute in STORED.items():
        cells = frame[name]
        bad = cells.str.contains(BAD[policy(attribute) or "lines"], regex=True)  # as fields.problem
        limit = max_length(attribute)
        if limit is not None:
            bad |= cells.str.len() > limit
        errors += [
            RowError(row_number(row), name, reason)
            for row, text in cells[bad].items()
            if (reason := problem(text, attribute)) is not None
        ]
    return errors


def _duplicates(rows: pd.DataFrame) -> list[RowError]:
    """A row with the same indicator, period and group as an earlier one."""
    dup = rows.duplicated(KEY, keep=False)
    if not dup.any():
        return []
    first_row = rows[dup].reset_index().groupby(KEY)["index"].transform("min")
    return [
        RowError(
            row,
            "periode",
            msg("same indicator, period and group as row {row}. Remove one of the rows.", row=first),
        )
        for row, first in zip(rows.index[dup], first_row, strict=True)
        if row != first
    ]
