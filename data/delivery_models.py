"""What the chat transports record: events already handled, and the digest delivery ledger."""

from __future__ import annotations

import datetime as dt
from typing import Any

from radsbot.data.model_base import Base, one_of
from radsbot.data.model_base import utc_now as _now
from radsbot.data.statuses import DeliveryState, ThreadKind, Transport
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column


class SlackEvent(Base):
    """An event id already handled, so that Slack's retries are answered once across replicas."""

    __tablename__ = "slack_event"

    event_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class DigestDelivery(Base):
    """Ledger of digest deliveries: one row per meeting and destination, claimed before posting.

    A destination is a transport and its address; messages are known by the transport's own
    opaque references (`root_ref`, `preview_ref`, and each part's `ref`).
    """

    __tablename__ = "digest_delivery"
    __table_args__ = (
        UniqueConstraint("meeting_id", "transport", "address"),
        one_of("transport", Transport),
        one_of("status", DeliveryState),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"))
    transport: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(400))
    status: Mapped[str] = mapped_column(String(20))
    claimed_by: Mapped[str] = mapped_column(String(120), default="")
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    posted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    root_ref: Mapped[str] = mapped_column(String(400), default="")  # the overview in `address`
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(Text, default="")
    preview_address: Mapped[str] = mapped_column(String(400), default="")  # the secretariat's
    preview_ref: Mapped[str] = mapped_column(String(400), default="")
    approved_by: Mapped[str] = mapped_column(String(60), default="")
    failure_reported: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_now, onupdate=_now, server_default=func.now()
    )
    # What the posted thread must hold to be complete: [{"key": …, "label": "Mål 3: …"}, …].
    parts_planned: Mapped[list[dict[str, Any]]] = mapped_column(default=list, server_default="[]")


class DigestPart(Base):
    """One message or file of a digest's thread that the transport has: a thread's progress."""

    __tablename__ = "digest_part"
    __table_args__ = (UniqueConstraint("delivery_id", "thread", "part"), one_of("thread", ThreadKind))

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("digest_delivery.id"))
    thread: Mapped[str] = mapped_column(String(10))  # "post" (council channel) | "preview"
    part: Mapped[str] = mapped_column(String(200))  # "overview", "goal:OM1", "goal:OM1/file:om1.png" …
    ref: Mapped[str] = mapped_column(String(400))  # the transport's reference to the message or file
    posted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
