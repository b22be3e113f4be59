"""Councils' channels in tests: read and set destinations as `radsbot council set` leaves them."""

from __future__ import annotations

from radsbot.data import deliveries
from radsbot.data.destinations import Channel, set_destination
from radsbot.data.models import Council, CouncilDestination, DigestDelivery
from sqlalchemy import delete, select


def slack_channel(council: Council) -> str:
    """The council's Slack channel ("" when it has none)."""
    return council.address("slack")


def secretariat(council: Council) -> str:
    """The secretariat's Slack channel ("" when none is set)."""
    return council.address("slack", "secretariat")


def set_channel(session, council_id: int, address: str, purpose: str = "council", transport: str = "slack"):
    """Set (with "", remove) one destination of a council, stored as given (no transport check)."""
    council = session.get(Council, council_id)
    set_destination(session, council, purpose, Channel(transport, address))


def only(session, code: str) -> Council:
    """Leave the council `code` the only one with a channel to post to; returns it."""
    council = session.scalar(select(Council).where(Council.code == code))
    session.execute(
        delete(CouncilDestination).where(
            CouncilDestination.purpose == "council", CouncilDestination.council_id != council.id
        )
    )
    session.expire_all()
    return session.get(Council, council.id)


def delivery(session, meeting_id: int, address: str, transport: str = "slack") -> DigestDelivery | None:
    """The ledger row of a meeting in one channel."""
    return deliveries.get(session, meeting_id, Channel(transport, address))
