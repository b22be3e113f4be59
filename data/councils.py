"""Council configuration: channels, digest lead days and hour, preview — validated changes."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from data.catalogue import council_by_name
from data.models import Council
from data.queries import councils

# A channel name (#navn) or a Slack channel id (C…/G…).
CHANNEL = re.compile(r"^(#[a-z0-9æøå_\-]{1,80}|[CG][A-Z0-9]{6,20})$")


class CouncilError(ValueError):
    """A council that does not exist or a setting that is not valid; the message is Norwegian."""


def find_council(session: Session, text: str) -> Council:
    """The council named by code or any of its names, or a Norwegian error listing the choices."""
    council = council_by_name(session, text or "")
    if council is None:
        choices = ", ".join(f"{c.code} ({c.short_name})" for c in councils(session))
        raise CouncilError(f"Fant ikke rådet «{text}». Velg en av: {choices}.")
    return council


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
                    f"«{text}» er ikke en kanal. Skriv #kanalnavn (små bokstaver) "
                    "eller en kanal-ID som C0123ABCD."
                )
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
        raise CouncilError(f"{what} må være et helt tall, ikke «{value}».") from None
    if not low <= number <= high:
        raise CouncilError(f"{what} må være mellom {low} og {high}, ikke {number}.")
    return number
