"""Import measurements from CSV or XLSX: all rows or none, with row-level errors users can act on.

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
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from radsbot.data.fields import check, printable, problem, quote
from radsbot.data.import_checks import COLUMNS, KEY, OPTIONAL, REQUIRED, validate
from radsbot.data.models import ImportBatch, Measurement
from radsbot.data.spreadsheets import RowError, read_file, read_sheet
from radsbot.data.words import msg, words
from sqlalchemy import insert, select, update
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

MEASUREMENT_LOCK = 7_305_144_102  # PostgreSQL advisory lock key of measurement writers


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

    def summary(self, lang: str = "nb") -> str:
        """One paragraph saying what happened, or what is wrong and what to do."""
        w, name, n = words(lang), printable(self.filename), len(self.errors)
        if self.errors:
            lines = [
                w.ngettext(
                    "The import of {name} was refused: {count} error. Nothing is stored. "
                    "Correct the errors and try again.",
                    "The import of {name} was refused: {count} errors. Nothing is stored. "
                    "Correct the errors and try again.",
                    n,
                    name=name,
                    count=n,
                ),
                *(f"  - {e.text(lang)}" for e in self.errors[:50]),
            ]
            if n > 50:
                lines.append(
                    w.ngettext(
                        "  … and {count} more error.", "  … and {count} more errors.", n - 50, count=n - 50
                    )
                )
            return "\n".join(lines)
        rows = w.ngettext("{count} row", "{count} rows", self.rows, count=self.rows)
        if not self.dry_run and not (self.added or self.updated):
            return w.ngettext(
                "No changes: the one row in {name} was already stored.",
                "No changes: all {count} rows in {name} were already stored.",
                self.rows,
                name=name,
                count=self.rows,
            )
        verb = w._("Dry run – nothing is stored") if self.dry_run else w._("Imported")
        batch = w._(" (import no. {number})", number=self.batch_id) if self.batch_id else ""
        return w._(
            "{verb}{batch}: {rows} from {name} – {added} new, {updated} changed, {unchanged} unchanged.",
            verb=verb,
            batch=batch,
            rows=rows,
            name=name,
            added=self.added,
            updated=self.updated,
            unchanged=self.unchanged,
        )


def import_file(session: Session, path: Path, *, dry_run: bool = False, actor: str = "") -> ImportReport:
    """Validate a CSV/XLSX file and, unless it is a dry run or has errors, store its rows.

    The caller owns the transaction; on errors nothing is written to the session.

    Raises:
        FieldError: `actor` cannot be stored (the CLI checks --as before it gets here).
    """
    path = Path(path)
    check(actor, ImportBatch.actor, msg("The user name {name}", name=quote(actor)))
    report = ImportReport(filename=path.name, dry_run=dry_run)
    bad_name = problem(path.name, ImportBatch.filename)
    if bad_name:
        message = msg(
            "the file name {name}: {reason} Give the file a new name.", name=quote(path.name), reason=bad_name
        )
        report.errors.append(RowError(0, "", message))
        return report
    raw, report.errors[:] = read_file(path)
    if report.errors:
        return report
    frame = read_table(raw, path.suffix.lower(), report)
    if report.errors:
        return report
    rows = validate(session, frame, report)
    if report.errors or rows is None:
        return report
    if not dry_run:
        lock_measurements(session)
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


def lock_measurements(session: Session) -> None:
    """Hold the measurement writers' lock until the caller's transaction ends.

    Two imports that plan against the same stored rows and then both insert would collide on
    the unique constraint; with this lock the second plans after the first has committed.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sql("SELECT pg_advisory_xact_lock(:k)"), {"k": MEASUREMENT_LOCK})
    else:
        # SQLite takes its single write lock at the first write statement, even one that
        # changes nothing, and holds it until commit.
        session.execute(sql("DELETE FROM import_batch WHERE 1 = 0"))


def read_table(raw: bytes, suffix: str, report: ImportReport) -> pd.DataFrame:
    """Read the file into a frame of strings with canonical column names, or record why not.

    The frame's index is the spreadsheet row number of each row (the header is row 1).
    """
    if not raw.strip():
        message = msg("the file is empty. It must have a header row and at least one row of values.")
        report.errors.append(RowError(0, "", message))
        return pd.DataFrame()
    sheet = read_sheet(raw, suffix)
    report.errors.extend(sheet.errors)
    columns = [c.lower() for c in sheet.header]
    frame = sheet.rows.set_axis(columns, axis=1)
    # A column without a name is Excel's leftover when it holds nothing.
    unnamed = [i for i, c in enumerate(columns) if not c]
    if unnamed and all((frame.iloc[:, i] == "").all() for i in unnamed):
        frame = frame.iloc[:, [i for i, c in enumerate(columns) if c]]
    elif unnamed:
        report.errors.append(RowError(1, "", msg("a column of values has no name in the header row.")))
    missing = [c for c in REQUIRED if c not in frame.columns]
    extra = [c for c in frame.columns if c and c not in COLUMNS]
    if missing and sheet.header:
        message = msg(
            "missing column(s): {missing}. The required columns are {required}.",
            missing=", ".join(missing),
            required=", ".join(REQUIRED),
        )
        report.errors.append(RowError(1, "", message))
    if extra:
        named = ", ".join(quote(c) for c in extra[:10])
        more = msg(" and {count} more", count=len(extra) - 10) if len(extra) > 10 else ""
        message = msg(
            "unknown column(s): {named}{more}. The allowed columns are {allowed}.",
            named=named,
            more=more,
            allowed=", ".join(COLUMNS),
        )
        report.errors.append(RowError(1, "", message))
    if len(frame.columns) != len(set(frame.columns)):
        report.errors.append(RowError(1, "", msg("a column appears twice in the header row.")))
    if report.errors:
        report.errors.sort(key=lambda e: e.row)
        return frame
    for col in OPTIONAL:
        if col not in frame.columns:
            frame[col] = ""
    if frame.empty:
        report.errors.append(RowError(0, "", msg("the file has no rows of values below the header row.")))
    report.rows = len(frame)
    return frame


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
    # Records, not itertuples(): pandas-stubs types a tuple's fields as any scalar at all.
    replaced = [
        {
            "id": int(r["id"]),
            "value": float(r["old_value"]),
            "is_example": bool(r["old_example"]),
            "note": r["old_note"],
            "source_document": r["old_source"],
            "batch_id": None if pd.isna(r["old_batch"]) else int(r["old_batch"]),
        }
        for r in changed.to_dict("records")
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
        # pandas-stubs types a record's keys as Hashable; they are these str column names.
        session.execute(insert(Measurement), records)  # type: ignore[arg-type]
    if not plan.changed.empty:
        session.execute(
            update(Measurement),
            [
                {
                    "id": int(r["id"]),
                    "value": float(r["value"]),
                    "is_example": bool(r["is_example"]),
                    "note": r["note"],
                    "source_document": r["source_document"],
                    "batch_id": batch_id,
                }
                for r in plan.changed.to_dict("records")
            ],
        )
