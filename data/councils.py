"""Councils: found by code or any of their names, and their settings (destinations, digest lead
days and hour, preview) changed with validation."""

from __future__ import annotations

from typing import Any

from radsbot.data.destinations import AddressError, Channel, check_channel, set_destination
from radsbot.data.errors import DomainError
from radsbot.data.fields import quote
from radsbot.data.models import Council
from radsbot.data.queries import councils
from radsbot.data.statuses import Purpose, Transport
from radsbot.data.words import Message, msg
from sqlalchemy import select
from sqlalchemy.orm import Session

# The settings that name a destination, and what each is for.
DESTINATIONS = {"channel": Purpose.COUNCIL, "secretariat": Purpose.SECRETARIAT}


class CouncilError(DomainError, ValueError):
    """A council that does not exist or a setting that is not valid; the message says what to write."""


def council_by_code(session: Session, code: str) -> Council | None:
    """The council with this code."""
    return session.scalar(select(Council).where(Council.code == code))


def council_by_name(session: Session, text: str) -> Council | None:
    """The council whose code, name, short name, former name or alias is `text` (any case)."""
    key = text.strip().casefold()
    for council in councils(session):
        keys = {council.code, council.name, council.short_name, *council.former_names, *council.aliases}
        if key in {k.casefold() for k in keys if k}:
            return council
    return None


def find_council(session: Session, text: str) -> Council:
    """The council named by code or any of its names, or an error listing the choices."""
    council = council_by_name(session, text or "")
    if council is None:
        raise CouncilError(
            msg("Unknown council {name}. {choices}", name=quote(text), choices=choices(session))
        )
    return council


def choices(session: Session) -> Message:
    """ "Gyldige råd: nuit (Porteføljerådet), …": the councils one can name."""
    listed = ", ".join(f"{c.code} ({c.display_name})" for c in councils(session))
    return msg("Valid councils: {councils}.", councils=listed)


def update_council(session: Session, council: Council, **changes: Any) -> dict[str, tuple[Any, Any]]:
    """Apply validated changes; returns {field: (old, new)} for what actually changed.

    Fields: channel and secretariat ("[TRANSPORT:]ADDRESS", Slack when no transport is named; an
    empty address removes the destination), digest_lead_days, digest_hour, preview_first. A
    destination's change is named "channel" or "secretariat" on Slack, "teams channel" … on
    another transport. Nothing is changed if any value is invalid.
    """
    clean: dict[str, Any] = {}
    places: list[tuple[str, Channel]] = []
    for name, value in changes.items():
        if value is None:
            continue
        if name in DESTINATIONS:
            try:
                places.append((name, check_channel(value)))
            except AddressError as exc:
                raise CouncilError(exc.problem) from None
        elif name == "digest_lead_days":
            clean[name] = _int_in(value, 0, 60, msg("The number of days before the meeting"))
        elif name == "digest_hour":
            clean[name] = _int_in(value, 0, 23, msg("The hour"))
        elif name == "preview_first":
            clean[name] = bool(value)
        else:
            raise CouncilError(msg("Unknown setting «{name}».", name=name))
    changed = {}
    for name, channel in places:
        moved = set_destination(session, council, DESTINATIONS[name], channel)
        if moved:
            changed[name if channel.transport == Transport.SLACK else f"{channel.transport} {name}"] = moved
    for name, value in clean.items():
        old = getattr(council, name)
        if old != value:
            setattr(council, name, value)
            changed[name] = (old, value)
    return changed


def _int_in(value: Any, low: int, high: int, what: Message) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise CouncilError(
            msg("{what} must be a whole number, not {value}.", what=what, value=quote(value))
        ) from None
    if not low <= number <= high:
        raise CouncilError(
            msg(
                "{what} must be between {low} and {high}, not {number}.",
                what=what,
                low=low,
                high=high,
                number=number,
            )
        )
    return number
