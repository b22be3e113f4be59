"""Councils: found by code or any of their names, and their settings (channels, digest lead days
and hour, preview) changed with validation."""

from __future__ import annotations

import re
from typing import Any

from radsbot.data.fields import problem, quote
from radsbot.data.models import Council
from radsbot.data.queries import councils
from sqlalchemy import select
from sqlalchemy.orm import Session

# A channel name (#navn) or a Slack channel id (C…/G…); how long is the column's business.
CHANNEL = re.compile(r"^(#[a-z0-9æøå_\-]+|[CG][A-Z0-9]{6,20})$")


class CouncilError(ValueError):
    """A council that does not exist or a setting that is not valid; the message is Norwegian."""


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
    """The council named by code or any of its names, or a Norwegian error listing the choices."""
    council = council_by_name(session, text or "")
    if council is None:
        raise CouncilError(f"Ukjent råd {quote(text)}. {choices(session)}")
    return council


def choices(session: Session) -> str:
    """ "Gyldige råd: nuit (Porteføljerådet), …": the councils one can name."""
    listed = ", ".join(f"{c.code} ({c.display_name})" for c in councils(session))
    return f"Gyldige råd: {listed}."


def update_council(session: Session, council: Council, **changes: Any) -> dict[str, tuple[Any, Any]]:
    """Apply validated changes; returns {field: (old, new)} for what actually changed.

    Fields: slack_channel, secretariat_channel, digest_lead_days, digest_hour, preview_first.
    Nothing is changed if any value is invalid.
    """
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if value is None:
            continue
        if name in ("slack_channel", "secretariat_channel"):
            text = str(value).strip()
            if text and not CHANNEL.match(text):
                raise CouncilError(
                    f"{quote(text)} er ikke en kanal. Skriv #kanalnavn (små bokstaver) "
                    "eller en kanal-ID som C0123ABCD."
                )
            reason = problem(text, getattr(Council, name))
            if reason:
                raise CouncilError(f"Kanalen {quote(text)} kan ikke lagres: {reason}")
            clean[name] = text
        elif name == "digest_lead_days":
            clean[name] = _int_in(value, 0, 60, "Antall dager før møtet")
        elif name == "digest_hour":
            clean[name] = _int_in(value, 0, 23, "Klokkeslettet")
        elif name == "preview_first":
            clean[name] = bool(value)
        else:
            raise CouncilError(f"Ukjent innstilling «{name}».")
    changed = {}
    for name, value in clean.items():
        old = getattr(council, name)
        if old != value:
            setattr(council, name, value)
            changed[name] = (old, value)
    return changed


def _int_in(value: Any, low: int, high: int, what: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise CouncilError(f"{what} må være et helt tall, ikke {quote(value)}.") from None
    if not low <= number <= high:
        raise CouncilError(f"{what} må være mellom {low} og {high}, ikke {number}.")
    return number
