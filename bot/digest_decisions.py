"""The secretariat's decisions on a digest preview (Publiser / Avbryt), audited where they are made."""

from __future__ import annotations

import datetime as dt

from radsbot.data import deliveries
from radsbot.data.access import audit
from radsbot.data.db import Session
from radsbot.data.models import DigestDelivery


class SchedulingError(Exception):
    """A refused approval, cancellation or manual post; the message is Norwegian."""


def decide(
    session: Session, delivery_id: int, user: str, status: str, now: dt.datetime, via: str = "chat"
) -> DigestDelivery:
    """Approve (`approved`) or cancel (`cancelled`) an awaiting preview, in the caller's transaction.

    The decision is written to the audit log in the same transaction.

    Raises:
        SchedulingError: no such digest, or it is no longer awaiting a decision.
    """
    row = deliveries.by_id(session, delivery_id)
    if row is None:
        raise SchedulingError("Fant ikke dette sammendraget i loggen.")
    decided = deliveries.transition(session, row, ("awaiting",), now, status=status, approved_by=user)
    if decided is None:
        raise SchedulingError(already(row.status))
    action = "digest_approve" if status == "approved" else "digest_cancel"
    audit(
        session,
        user,
        action,
        target=str(decided.meeting_id),
        transport=decided.transport,
        channel=decided.address,
        via=via,
    )
    return decided


def already(status: str) -> str:
    """Why a digest in `status` cannot be changed now."""
    words = {
        "approved": "allerede godkjent",
        "cancelled": "avbrutt",
        "posted": "allerede postet",
        "expired": "utløpt – møtet har begynt",
        "failed": "feilet",
        "posting": "i ferd med å postes",
    }
    return f"Sammendraget er {words.get(status, status)} og kan ikke endres nå."
