"""Import measurements from CSV or XLSX: all rows or none, with row-level errors in Norwegian.

File format (one row per value; the header names are case-insensitive):

    indikator      required  indicator code, name or alias ("PLL", "Pasientens legemiddelliste")
    periode        required  2025 | 2025-Q3 | 2025-11 | 2025-11-01 (also 3. kvartal 2025, 1.11.2025)
    verdi          required  the value; decimal comma or point ("30,5"); a trailing % is allowed
    fordeling      optional  breakdown dimension ("region"); empty for the national figure
    gruppe         optional  breakdown value ("Helse Vest"); required when fordeling is given
    eksempeldata   optional  ja/nei (default nei): illustrative values, shown as such everywhere
    merknad        optional  a note shown with the value
    kildedokument  optional  the document the value comes from
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from data.models import ImportBatch, Measurement
from data.periods import PeriodError, parse_period

REQUIRED = ("indikator", "periode", "verdi")
OPTIONAL = ("fordeling", "gruppe", "eksempeldata", "merknad", "kildedokument")
COLUMNS = REQUIRED + OPTIONAL
YES = {"ja", "j", "yes", "y", "true", "1", "x"}
NO = {"nei", "n", "no", "false", "0", ""}
FIRST_DATA_ROW = 2  # row numbers as in a spreadsheet: the header is row 1
KEY = ["indicator_id", "period_kind", "period", "breakdown", "breakdown_value"]


@dataclass(frozen=True)
class RowError:
    """What is wrong with one cell of the file."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"rad {self.row}" if self.row else "filen"
        return (
            f"{where}, kolonne «{self.column}»: {self.message}" if self.column else f"{where}: {self.message}"
        )


@dataclass
class ImportReport:
    """The outcome of an import or a dry run."""

    filename: str
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    batch_id: int | None = None
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        """Whether the file can be (or was) imported."""
        return not self.errors

    def summary(self) -> str:
        """One Norwegian paragraph saying what happened, or what is wrong and what to do."""
        if self.errors:
            shown = "\n".join(f"  - {e}" for e in self.errors[:50])
            more = f"\n  … og {len(self.errors) - 50} feil til." if len(self.errors) > 50 else ""
            return (
                f"Importen av {self.filename} ble avvist: {len(self.errors)} feil. "
                f"Ingenting er lagret. Rett feilene og prøv igjen.\n{shown}{more}"
            )
        verb = "Prøvekjøring – ingenting er lagret" if self.dry_run else "Importert"
        if not self.dry_run and not (self.added or self.updated):
            return f"Ingen endringer: alle {self.rows} rader i {self.filename} var allerede lagret."
        batch = f" (import nr. {self.batch_id})" if self.batch_id else ""
        return (
            f"{verb}{batch}: {self.rows} rader fra {self.filename} – "
            f"{self.added} nye, {self.updated} endret, {self.unchanged} uendret."
        )


def import_file(session: Session, path: Path, *, dry_run: bool = False, actor: str = "") -> ImportReport:
    """Validate a CSV/XLSX file and, unless it is a dry run or has errors, store its rows.

    The caller owns the transaction; on errors nothing is written to the session.
    """
    path = Path(path)
    report = ImportReport(filename=path.name, dry_run=dry_run)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        report.errors.append(RowError(0, "", f"kan ikke lese filen ({exc.strerror})."))
        return report
    frame = read_table(raw, path.suffix.lower(), report)
    if report.errors:
        return report
    rows = validate(session, frame, report)
    if report.errors or rows is None:
        return report
    plan = plan_rows(session, rows)
    report.added, report.updated = len(plan.new), len(plan.changed)
    report.unchanged = report.rows - report.added - report.updated
    if dry_run or (plan.new.empty and plan.changed.empty):
        return report
    batch = ImportBatch(
        kind="import",
        filename=path.name,
        sha256=hashlib.sha256(raw).hexdigest(),
        rows_added=report.added,
        rows_updated=report.updated,
        rows_unchanged=report.unchanged,
        actor=actor,
        replaced=plan.replaced,
    )
    session.add(batch)
    session.flush()
    write_rows(session, plan, batch.id)
    report.batch_id = batch.id
    return report


def read_table(raw: bytes, suffix: str, report: ImportReport) -> pd.DataFrame:
    """Read the file into a frame of strings with canonical column names, or record why not."""
    if not raw.strip():
        report.errors.append(
            RowError(0, "", "filen er tom. Den må ha en overskriftsrad og minst én rad med verdier.")
        )
        return pd.DataFrame()
    if suffix in (".xlsx", ".xlsm"):
        try:
            frame = pd.read_excel(io.BytesIO(raw), dtype=str, engine="openpyxl")
        except Exception as exc:
            report.errors.append(
                RowError(
                    0,
                    "",
                    f"kan ikke lese Excel-filen ({type(exc).__name__}). Lagre den på nytt som .xlsx.",
                )
            )
            return pd.DataFrame()
    elif suffix in (".csv", ".txt", ""):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            report.errors.append(
                RowError(
                    line,
                    "",
                    "filen er ikke UTF-8-kodet (tegnkoding). Lagre den som «CSV UTF-8» og prøv igjen.",
                )
            )
            return pd.DataFrame()
        header = text.splitlines()[0] if text.strip() else ""
        sep = ";" if header.count(";") > header.count(",") else ","
        try:
            frame = pd.read_csv(
                io.StringIO(text), dtype=str, sep=sep, keep_default_na=False, skip_blank_lines=True
            )
        except pd.errors.ParserError as exc:
            report.errors.append(
                RowError(0, "", f"filen er ikke gyldig CSV: {exc}. Sjekk skilletegn og anførselstegn.")
            )
            return pd.DataFrame()
    else:
        report.errors.append(RowError(0, "", f"filtypen «{suffix}» støttes ikke. Bruk .csv eller .xlsx."))
        return pd.DataFrame()
    frame = frame.rename(columns=lambda c: str(c).strip().lower())
    unnamed = [c for c in frame.columns if c.startswith("unnamed:")]
    frame = frame.drop(columns=[c for c in unnamed if frame[c].isna().all() or (frame[c] == "").all()])
    missing = [c for c in REQUIRED if c not in frame.columns]
    extra = [c for c in frame.columns if c not in COLUMNS]
    if missing:
        report.errors.append(
            RowError(
                1,
                "",
                f"mangler kolonne(r): {', '.join(missing)}. Påkrevde kolonner er {', '.join(REQUIRED)}.",
            )
        )
    if extra:
        report.errors.append(
            RowError(
                1,
                "",
                f"ukjente kolonne(r): {', '.join(extra)}. Tillatte kolonner er {', '.join(COLUMNS)}.",
            )
        )
    if len(frame.columns) != len(set(frame.columns)):
        report.errors.append(RowError(1, "", "en kolonne står to ganger i overskriftsraden."))
    if report.errors:
        return frame
    frame = frame.fillna("").astype(str)
    for col in OPTIONAL:
        if col not in frame.columns:
            frame[col] = ""
    frame = frame.apply(lambda s: s.str.strip())
    frame = frame[(frame != "").any(axis=1)]  # blank lines in spreadsheets are not rows
    frame.index = frame.index + FIRST_DATA_ROW
    if frame.empty:
        report.errors.append(RowError(0, "", "filen har ingen rader med verdier under overskriftsraden."))
    report.rows = len(frame)
    return frame


def validate(session: Session, frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame | None:
    """Check every row; return canonical rows, or None after recording each problem."""
    from data.catalogue import indicator_lookup

    lookup = indicator_lookup(session)
    errors: list[RowError] = []

    keys = frame["indikator"].str.casefold()
    ids = keys.map(lambda k: lookup.ids.get(k))
    for row, name in frame.loc[ids.isna(), "indikator"].items():
        errors.append(RowError(row, "indikator", lookup.explain_unknown(name)))
    units = ids.map(lambda i: lookup.units.get(i, ""))

    periods = {}
    for text in frame["periode"].unique():
        try:
            periods[text] = parse_period(re.sub(r"[ T]00:00:00$", "", text))
        except PeriodError as exc:
            periods[text] = exc
    for row, text in frame["periode"].items():
        if isinstance(periods[text], PeriodError):
            errors.append(RowError(row, "periode", str(periods[text])))

    cleaned = (
        frame["verdi"].str.replace(r"[\s\u00a0\u202f%]", "", regex=True).str.replace(",", ".", regex=False)
    )
    values = pd.to_numeric(cleaned, errors="coerce")
    for row, text in frame.loc[values.isna(), "verdi"].items():
        what = "mangler" if not text else f"«{text}» er ikke et tall"
        errors.append(RowError(row, "verdi", f"verdien {what}. Skriv for eksempel 30,5 eller 1250."))
    pct = (units == "%") & values.notna() & ((values < 0) | (values > 100))
    for row in values[pct].index:
        errors.append(
            RowError(
                row,
                "verdi",
                f"{frame.at[row, 'verdi']} er utenfor 0–100, men indikatoren måles i prosent.",
            )
        )
    negative = (units != "%") & values.notna() & (values < 0)
    for row in values[negative].index:
        errors.append(
            RowError(
                row,
                "verdi",
                f"{frame.at[row, 'verdi']} er negativ; indikatoren er en telling eller varighet.",
            )
        )

    flags = frame["eksempeldata"].str.casefold()
    for row, text in frame.loc[~flags.isin(YES | NO), "eksempeldata"].items():
        errors.append(RowError(row, "eksempeldata", f"«{text}» er verken ja eller nei."))
    no_group = (frame["fordeling"] != "") != (frame["gruppe"] != "")
    for row in frame.index[no_group]:
        errors.append(
            RowError(
                row,
                "gruppe",
                "fordeling og gruppe må fylles ut sammen (f.eks. region og Helse Vest), "
                "eller stå tomme begge.",
            )
        )

    if not errors:
        rows = pd.DataFrame(
            {
                "indicator_id": ids.astype(int),
                "period_kind": frame["periode"].map(lambda t: periods[t].kind),
                "period": frame["periode"].map(lambda t: periods[t].label),
                "period_start": frame["periode"].map(lambda t: periods[t].start),
                "period_end": frame["periode"].map(lambda t: periods[t].end),
                "value": values.astype(float),
                "breakdown": frame["fordeling"],
                "breakdown_value": frame["gruppe"],
                "is_example": flags.isin(YES),
                "note": frame["merknad"],
                "source_document": frame["kildedokument"],
            },
            index=frame.index,
        )
        dup = rows.duplicated(KEY, keep=False)
        if dup.any():
            first_row = rows[dup].reset_index().groupby(KEY)["index"].transform("min")
            for row, first in zip(rows.index[dup], first_row, strict=True):
                if row != first:
                    errors.append(
                        RowError(
                            row,
                            "periode",
                            f"samme indikator, periode og gruppe som rad {first}. Fjern den ene raden.",
                        )
                    )
    errors.sort(key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else 0))
    report.errors.extend(errors)
    return None if errors else rows


@dataclass
class Plan:
    """Rows to insert (`new`) and rows that change a stored value (`changed`)."""

    new: pd.DataFrame
    changed: pd.DataFrame
    replaced: list[dict]


def plan_rows(session: Session, rows: pd.DataFrame) -> Plan:
    """Split rows into new ones and ones that change a stored value (the rest are unchanged)."""
    ids = [int(i) for i in rows["indicator_id"].unique()]
    stored = pd.DataFrame(
        session.execute(
            select(
                Measurement.id,
                *(getattr(Measurement, k) for k in KEY),
                Measurement.value,
                Measurement.is_example,
                Measurement.note,
                Measurement.source_document,
                Measurement.batch_id,
            ).where(Measurement.indicator_id.in_(ids))
        ).all(),
        columns=["id", *KEY, "old_value", "old_example", "old_note", "old_source", "old_batch"],
    )
    merged = rows.merge(stored, on=KEY, how="left")
    is_new = merged["id"].isna()
    differs = ~is_new & (
        (merged["value"] != merged["old_value"])
        | (merged["is_example"] != merged["old_example"].astype(bool))
        | (merged["note"] != merged["old_note"])
        | (merged["source_document"] != merged["old_source"])
    )
    changed = merged[differs]
    replaced = [
        {
            "id": int(r.id),
            "value": float(r.old_value),
            "is_example": bool(r.old_example),
            "note": r.old_note,
            "source_document": r.old_source,
            "batch_id": None if pd.isna(r.old_batch) else int(r.old_batch),
        }
        for r in changed.itertuples()
    ]
    return Plan(new=merged[is_new], changed=changed, replaced=replaced)


FIELDS = [
    "indicator_id",
    "period_kind",
    "period",
    "period_start",
    "period_end",
    "value",
    "breakdown",
    "breakdown_value",
    "is_example",
    "note",
    "source_document",
]


def write_rows(session: Session, plan: Plan, batch_id: int) -> None:
    """Insert the new rows and update the changed ones, all tagged with the batch."""
    if not plan.new.empty:
        records = plan.new[FIELDS].assign(batch_id=batch_id).to_dict("records")
        for r in records:
            r["indicator_id"] = int(r["indicator_id"])
        session.execute(insert(Measurement), records)
    if not plan.changed.empty:
        session.execute(
            update(Measurement),
            [
                {
                    "id": int(r.id),
                    "value": float(r.value),
                    "is_example": bool(r.is_example),
                    "note": r.note,
                    "source_document": r.source_document,
                    "batch_id": batch_id,
                }
                for r in plan.changed.itertuples()
            ],
        )
