"""The secretariat's decisions on a digest preview (Publiser / Avbryt), audited where they are made."""

from __future__ import annotations

import datetime as dt

from radsbot.data import deliveries
from radsbot.data.access import audit
from radsbot.data.db import Session
from radsbot.data.errors import DomainError
from radsbot.data.models import DigestDelivery
from radsbot.data.words import Message, N_p, msg


class SchedulingError(DomainError):
    """A refused approval, cancellation or manual post; the message says why."""


# What a digest in each state is, in "The digest is … and cannot be changed now".
STATES = {
    "approved": N_p("digest state", "already approved"),
    "cancelled": N_p("digest state", "cancelled"),
    "posted": N_p("digest state", "already posted"),
    "expired": N_p("digest state", "expired – the meeting has begun"),
    "failed": N_p("digest state", "failed"),
    "posting": N_p("digest state", "being posted"),
}


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
        raise SchedulingError(msg("This digest was not found in the log."))
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


def already(status: str) -> Message:
    """Why a digest in `status` cannot be changed now."""
    return msg("The digest is {state} and cannot be changed now.", state=STATES.get(status, status))
