"""Import batches: list them, and undo one (removing its rows, restoring what it overwrote)."""

from __future__ import annotations

from radsbot.data.models import ImportBatch, Measurement
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session


class UndoError(Exception):
    """Raised when a batch cannot be undone; the message is Norwegian."""


def list_batches(session: Session, limit: int = 50) -> list[ImportBatch]:
    """The most recent import batches, newest first."""
    return list(session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit)))


def undo_batch(session: Session, batch_id: int) -> ImportBatch:
    """Remove a batch's new rows and restore the values it overwrote.

    Raises:
        UndoError: unknown batch, already undone, a seed batch, or rows changed since.
    """
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise UndoError(f"Fant ingen import med nummer {batch_id}. Se «radsbot import --list».")
    if batch.status == "undone":
        raise UndoError(f"Import nr. {batch_id} er allerede angret.")
    if batch.kind == "seed":
        raise UndoError(
            "Grunndataene (seed) kan ikke angres; bruk «radsbot db seed» for å laste dem på nytt."
        )
    # A later import that overwrote one of this batch's values recorded this batch as the
    # previous owner; undoing this one first would lose that later change.
    later = session.scalars(
        select(ImportBatch).where(
            ImportBatch.id > batch_id, ImportBatch.status == "active", ImportBatch.kind == "import"
        )
    )
    blocking = [b.id for b in later if any(r["batch_id"] == batch_id for r in b.replaced)]
    if blocking:
        raise UndoError(
            f"Import nr. {batch_id} kan ikke angres fordi nyere import nr. "
            f"{', '.join(map(str, blocking))} har endret de samme verdiene. Angre den nyeste først."
        )
    restored_ids = [r["id"] for r in batch.replaced]
    session.execute(
        delete(Measurement).where(Measurement.batch_id == batch_id, Measurement.id.not_in(restored_ids))
    )
    if batch.replaced:
        session.execute(
            update(Measurement),
            [
                {
                    "id": r["id"],
                    "value": r["value"],
                    "is_example": r["is_example"],
                    "note": r["note"],
                    "source_document": r["source_document"],
                    "batch_id": r["batch_id"],
                }
                for r in batch.replaced
            ],
        )
    batch.status = "undone"
    return batch
