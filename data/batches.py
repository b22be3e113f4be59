"""Import batches: list them, and undo one (removing its rows, restoring what it overwrote)."""

from __future__ import annotations

from radsbot.data.errors import DomainError
from radsbot.data.models import ImportBatch, Measurement
from radsbot.data.words import msg, msg_n
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session


class UndoError(DomainError):
    """Raised when a batch cannot be undone; the message says why and what to do."""


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
        raise UndoError(
            msg("Found no import numbered {number}. See «radsbot import --list».", number=batch_id)
        )
    if batch.status == "undone":
        raise UndoError(msg("Import no. {number} is undone already.", number=batch_id))
    if batch.kind == "seed":
        raise UndoError(msg("The seed data cannot be undone; use «radsbot db seed» to load it again."))
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
            msg_n(
                "Import no. {number} cannot be undone because the newer import no. {newer} has changed "
                "the same values. Undo the newest first.",
                "Import no. {number} cannot be undone because the newer imports no. {newer} have changed "
                "the same values. Undo the newest first.",
                len(blocking),
                number=batch_id,
                newer=", ".join(map(str, blocking)),
            )
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
