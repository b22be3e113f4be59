"""Councils' destinations: (transport, address) per purpose, each transport checking its own addresses.

A destination is written "[TRANSPORT:]ADDRESS": `slack:C0123ABCD`, `teams:19:…@thread.tacv2`,
or just `#navn` / `C0123ABCD`, which mean Slack (the first transport, so every command written
before there were others means what it meant). Which addresses a transport accepts is that
transport's business: its package registers a rule with `register_address_rule` when the
composition root (bot/bootstrap.py) starts it. Slack's rule is built in, because every release
so far stored Slack channels (the seed's among them). A transport without a rule cannot be
given a destination.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from radsbot.data.errors import DomainError
from radsbot.data.fields import problem, quote
from radsbot.data.models import Council, CouncilDestination
from radsbot.data.statuses import Purpose, Transport
from radsbot.data.words import msg
from sqlalchemy import select
from sqlalchemy.orm import Session

# Checks an address typed for a transport; returns it as stored, or raises AddressError.
AddressRule = Callable[[str], str]


class AddressError(DomainError, ValueError):
    """An address its transport does not accept; the message says what to write."""


# A Slack channel name (#navn) or channel id (C…/G…); how long is the column's business.
SLACK_CHANNEL = re.compile(r"^(#[a-z0-9æøå_\-]+|[CG][A-Z0-9]{6,20})$")


def slack_address(text: str) -> str:
    """A Slack channel as stored: "#navn" (lower case) or a channel id such as C0123ABCD."""
    if not SLACK_CHANNEL.match(text):
        raise AddressError(
            msg(
                "{value} is not a channel. Write #channel-name (lower case) or a channel ID such as "
                "C0123ABCD.",
                value=quote(text),
            )
        )
    return text


_RULES: dict[str, AddressRule] = {Transport.SLACK: slack_address}


@dataclass(frozen=True)
class Channel:
    """Where something is posted: a transport and the transport's own address there."""

    transport: str
    address: str

    def __str__(self) -> str:
        """The channel as users read it: a Slack address as it is, others named with their transport."""
        if self.transport == Transport.SLACK:
            return self.address
        return f"{self.address} ({TRANSPORT_NAMES.get(self.transport, self.transport)})"


TRANSPORT_NAMES: dict[str, str] = {Transport.SLACK: "Slack", Transport.TEAMS: "Teams"}


def register_address_rule(transport: str, rule: AddressRule | None) -> AddressRule | None:
    """Let `transport` take destinations, its addresses checked by `rule` (None: no longer);
    returns the rule it replaces."""
    transport = Transport(transport)
    previous = _RULES.pop(transport, None)
    if rule is not None:
        _RULES[transport] = rule
    return previous


def parse_channel(text: str) -> Channel:
    """ "slack:C0123", "teams:19:…@thread.tacv2", or a bare Slack address, as a Channel (unchecked)."""
    text = str(text).strip()
    prefix, sep, rest = text.partition(":")
    if sep and prefix.casefold() in set(Transport):
        return Channel(Transport(prefix.casefold()), rest.strip())
    return Channel(Transport.SLACK, text)


def check_channel(text: str) -> Channel:
    """The channel `text` names, checked by its transport's rule and against the column.

    Raises:
        AddressError: an unknown transport, an address it refuses, or one too long to store.
    """
    channel = parse_channel(text)
    rule = _RULES.get(channel.transport)
    if rule is None:
        known = ", ".join(sorted(_RULES)) or msg("none")
        raise AddressError(
            msg(
                "Rådsbot cannot post in {transport} here (the transports set up: {known}).",
                transport=TRANSPORT_NAMES.get(channel.transport, channel.transport),
                known=known,
            )
        )
    if not channel.address:
        return channel  # no address: the destination is removed
    address = rule(channel.address)
    reason = problem(address, CouncilDestination.address)
    if reason:
        raise AddressError(
            msg("The channel {address} cannot be stored: {reason}", address=quote(address), reason=reason)
        )
    return Channel(channel.transport, address)


def channels(council: Council, purpose: str = Purpose.COUNCIL) -> list[Channel]:
    """The council's channels for `purpose`, one per transport."""
    return [Channel(d.transport, d.address) for d in council.destinations if d.purpose == purpose]


def secretariat_of(council: Council, transport: str) -> Channel | None:
    """Where the secretariat hears of `transport`'s previews and failures: its own destination
    there, else the council's channel on that transport; None when the council has neither."""
    address = council.address(transport, Purpose.SECRETARIAT) or council.address(transport)
    return Channel(transport, address) if address else None


def set_destination(
    session: Session,
    council: Council,
    purpose: str,
    channel: Channel,
    details: Mapping[str, Any] | None = None,
) -> tuple[str, str] | None:
    """Set the council's destination for `purpose` on the channel's transport (an empty address
    removes it), with the transport's `details` when given; `channel` must be checked
    (check_channel). Returns (old address, new address) when the address changed."""
    purpose = Purpose(purpose)
    key = (channel.transport, purpose)
    found = next((d for d in council.destinations if (d.transport, d.purpose) == key), None)
    old = found.address if found else ""
    if not channel.address:
        if found is not None:
            council.destinations.remove(found)
    elif found is None:
        found = CouncilDestination(transport=channel.transport, purpose=purpose, address=channel.address)
        council.destinations.append(found)
    else:
        found.address = channel.address
    if found is not None and channel.address and details is not None:
        found.details = dict(details)
    session.flush()
    return (old, channel.address) if old != channel.address else None


def details_of(session: Session, channel: Channel) -> dict[str, Any]:
    """What the transport stored beside an address (a Teams channel's service URL and tenant, for
    posting to it later); {} when none is stored."""
    found = session.scalars(
        select(CouncilDestination.details).where(
            CouncilDestination.transport == channel.transport, CouncilDestination.address == channel.address
        )
    ).first()
    return dict(found or {})
