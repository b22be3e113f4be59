"""The values a status column may hold: StrEnums in the code, CHECK constraints in the database.

Each member's value is what is stored (and what the seed files and earlier releases wrote), so
a member compares equal to its stored string. The database refuses any other value
(data/models.py adds one CHECK constraint per column; migration 0003 added them to existing
databases).
"""

from __future__ import annotations

from enum import StrEnum


class Readiness(StrEnum):
    """How far an indicator's data source has come (Klar / Under arbeid / Fremtidig)."""

    READY = "klar"
    IN_PROGRESS = "under_arbeid"
    FUTURE = "fremtidig"


class Frequency(StrEnum):
    """How often an indicator is updated."""

    YEARLY = "arlig"
    QUARTERLY = "kvartalsvis"
    CONTINUOUS = "lopende"


class Direction(StrEnum):
    """Which way an indicator should move."""

    UP = "up"
    DOWN = "down"


class AmbitionStatus(StrEnum):
    """Whether an ambition is proposed or adopted."""

    PROPOSED = "foreslått"
    ADOPTED = "vedtatt"
    NOT_PROPOSED = "ikke_foreslått"


class MeetingStatus(StrEnum):
    """A council meeting's status."""

    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class UserRole(StrEnum):
    """A chat user's stored role (data/access.py orders them by power)."""

    MEMBER = "member"
    STAFF = "staff"
    ADMIN = "admin"


class DeliveryState(StrEnum):
    """A digest delivery's state in the ledger (data/deliveries.py says what each means)."""

    PREVIEW = "preview"
    AWAITING = "awaiting"
    APPROVED = "approved"
    POSTING = "posting"
    RETRY = "retry"
    POSTED = "posted"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class ThreadKind(StrEnum):
    """Which of a delivery's threads a part belongs to."""

    POST = "post"  # the digest in the council's channel
    PREVIEW = "preview"  # the preview in the secretariat's channel


class Transport(StrEnum):
    """A chat platform Rådsbot posts to; each validates its own addresses (data/destinations.py)."""

    SLACK = "slack"
    TEAMS = "teams"


class Purpose(StrEnum):
    """What a council's destination is for."""

    COUNCIL = "council"  # the digest is posted here
    SECRETARIAT = "secretariat"  # previews and failure notices
