"""SQLAlchemy 2.0 typed models: goals and indicators, measurements, councils, meetings and cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

# The ledger and handled events are modelled in data/delivery_models.py, importable from here.
from radsbot.data.delivery_models import DigestDelivery, DigestPart, SlackEvent  # noqa: F401
from radsbot.data.model_base import Base, one_of
from radsbot.data.model_base import utc_now as _now
from radsbot.data.statuses import (
    AmbitionStatus,
    Direction,
    Frequency,
    MeetingStatus,
    Purpose,
    Readiness,
    Transport,
    UserRole,
)
from radsbot.data.words import DEFAULT_LANGUAGE, goal_label
from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

# The stored values of each status column (data/statuses.py), for the seed's and access's checks.
READINESS = tuple(Readiness)
FREQUENCIES = tuple(Frequency)
DIRECTIONS = tuple(Direction)
PERIOD_KINDS = ("year", "quarter", "month", "date")
AMBITION_STATUSES = tuple(AmbitionStatus)
MEETING_STATUSES = tuple(MeetingStatus)
ROLES = tuple(UserRole)


class Goal(Base):
    """One of the three overarching goals or the five strategic goals."""

    __tablename__ = "goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # "overordnet" | "strategisk"
    number: Mapped[int | None] = mapped_column(Integer)  # 1-5 for strategic goals
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    aliases: Mapped[list[str]] = mapped_column(default=list)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    indicators: Mapped[list[Indicator]] = relationship(back_populates="goal", order_by="Indicator.sort_order")
    narratives: Mapped[list[GoalNarrative]] = relationship(back_populates="goal")

    @property
    def label(self) -> str:
        """Name as users know it: "Mål 3: Helsedata …" or the overarching goal's name (bokmål)."""
        return goal_label(self.number, self.name, DEFAULT_LANGUAGE)

    def label_in(self, lang: str) -> str:
        """The goal as readers of `lang` know it: "Goal 3: Helsedata …" in English."""
        return goal_label(self.number, self.name, lang)


class Indicator(Base):
    """A strategic indicator, or a numbered sub-indicator of a composite one."""

    __tablename__ = "indicator"
    __table_args__ = (
        one_of("readiness", Readiness),
        one_of("frequency", Frequency),
        one_of("direction", Direction),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(120), default="")
    aliases: Mapped[list[str]] = mapped_column(default=list)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("indicator.id"))
    number: Mapped[str] = mapped_column(String(20), default="")  # "2" in a composite, "1.1" in the plan
    measures: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(40), default="%")  # "%", "antall", "dager" …
    indicator_type: Mapped[str] = mapped_column(String(40), default="")
    source: Mapped[str] = mapped_column(String(300), default="")
    readiness: Mapped[str] = mapped_column(String(20), default=Readiness.IN_PROGRESS)
    frequency: Mapped[str] = mapped_column(String(20), default=Frequency.YEARLY)
    direction: Mapped[str] = mapped_column(String(4), default=Direction.UP)
    composite: Mapped[bool] = mapped_column(Boolean, default=False)
    # Which set of indicators it belongs to: "dashbord" (the strategy's) or "plan2023" (the 2023 plan's).
    # (The column keeps its first name, "catalogue"; renaming it would need a migration for nothing.)
    indicator_set: Mapped[str] = mapped_column("catalogue", String(20), default="dashbord")
    dashboard_versions: Mapped[list[str]] = mapped_column(default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    goal: Mapped[Goal] = relationship(back_populates="indicators")
    parent: Mapped[Indicator | None] = relationship(back_populates="children", remote_side="Indicator.id")
    children: Mapped[list[Indicator]] = relationship(back_populates="parent", order_by="Indicator.sort_order")
    ambitions: Mapped[list[Ambition]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", order_by="Ambition.target_date"
    )
    # The 2023 plan's indicators that this dashboard indicator continues (their baselines and
    # 2025 targets are shown with it).
    plan_links: Mapped[list[Indicator]] = relationship(
        secondary="indicator_plan_link",
        primaryjoin="Indicator.id == IndicatorPlanLink.indicator_id",
        secondaryjoin="Indicator.id == IndicatorPlanLink.plan_indicator_id",
        order_by="Indicator.sort_order",
    )


class IndicatorPlanLink(Base):
    """Link from a dashboard indicator to an indicator of the 2023 plan that it continues."""

    __tablename__ = "indicator_plan_link"

    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), primary_key=True)
    plan_indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), primary_key=True)


class Ambition(Base):
    """A target for an indicator: value, date, proposed or adopted, and the document's wording."""

    __tablename__ = "ambition"
    __table_args__ = (one_of("status", AmbitionStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), index=True)
    target_value: Mapped[float | None] = mapped_column(Float)
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    target_label: Mapped[str] = mapped_column(String(80), default="")  # "desember 2029", "Q4 2027"
    status: Mapped[str] = mapped_column(String(20), default=AmbitionStatus.PROPOSED)
    wording: Mapped[str] = mapped_column(Text, default="")
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_label: Mapped[str] = mapped_column(Text, default="")
    baseline_date: Mapped[dt.date | None] = mapped_column(Date)
    source_document: Mapped[str] = mapped_column(String(80), default="")

    indicator: Mapped[Indicator] = relationship(back_populates="ambitions")


class ImportBatch(Base):
    """One import of measurements (or the seed): all its rows are added or removed together."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    kind: Mapped[str] = mapped_column(String(20), default="import")  # "import" | "seed"
    filename: Mapped[str] = mapped_column(String(300), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    rows_added: Mapped[int] = mapped_column(Integer, default=0)
    rows_updated: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    actor: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(20), default="active")  # "active" | "undone"
    # Values the batch overwrote, so that undo can restore them: [{"id": …, "value": …}, …].
    replaced: Mapped[list[dict[str, Any]]] = mapped_column(default=list)


class Measurement(Base):
    """One value of an indicator for a period, optionally for one breakdown (region …)."""

    __tablename__ = "measurement"
    __table_args__ = (
        UniqueConstraint("indicator_id", "period_kind", "period", "breakdown", "breakdown_value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"))
    period_kind: Mapped[str] = mapped_column(String(10))  # year | quarter | month | date
    period: Mapped[str] = mapped_column(String(20))  # "2025", "2025-Q3", "2025-11", "2025-11-01"
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date, index=True)
    value: Mapped[float] = mapped_column(Float)
    # Empty strings rather than NULL, so the unique constraint holds on every database.
    breakdown: Mapped[str] = mapped_column(String(60), default="")
    breakdown_value: Mapped[str] = mapped_column(String(120), default="")
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    source_document: Mapped[str] = mapped_column(String(80), default="")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)

    indicator: Mapped[Indicator] = relationship()


class GoalNarrative(Base):
    """The secretariat's quarterly narrative for a goal, as in the quarterly status report."""

    __tablename__ = "goal_narrative"
    __table_args__ = (UniqueConstraint("goal_id", "quarter", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"))
    quarter: Mapped[str] = mapped_column(String(8))  # "2026-Q2"
    # Versions of one goal's text for one quarter: the seed's is 0, each import or chat edit
    # adds the next; the highest is the text in force, the older ones stay as history.
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    recorded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(120), default="", server_default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    overall_status: Mapped[list[str]] = mapped_column(default=list)
    selected: Mapped[list[str]] = mapped_column(default=list)
    positive_events: Mapped[list[str]] = mapped_column(default=list)
    challenges: Mapped[list[str]] = mapped_column(default=list)
    strategic_questions: Mapped[list[str]] = mapped_column(default=list)
    footnotes: Mapped[list[str]] = mapped_column(default=list)
    indicator_codes: Mapped[list[str]] = mapped_column(default=list)
    source_document: Mapped[str] = mapped_column(String(80), default="")

    goal: Mapped[Goal] = relationship(back_populates="narratives")


class Council(Base):
    """A council of the national council model, with its destinations and digest settings."""

    __tablename__ = "council"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # nuit | nufa | ehelseradet
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(60))
    former_names: Mapped[list[str]] = mapped_column(default=list)
    aliases: Mapped[list[str]] = mapped_column(default=list)
    digest_lead_days: Mapped[int] = mapped_column(Integer, default=7)
    digest_hour: Mapped[int] = mapped_column(Integer, default=8)
    preview_first: Mapped[bool] = mapped_column(Boolean, default=False)

    meetings: Mapped[list[Meeting]] = relationship(back_populates="council", order_by="Meeting.date")
    # Loaded with the council (a handful of rows): its channels are read wherever the council is.
    destinations: Mapped[list[CouncilDestination]] = relationship(
        back_populates="council",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="(CouncilDestination.transport, CouncilDestination.purpose)",
    )

    @property
    def display_name(self) -> str:
        """The name readers know it by: the short name ("Porteføljerådet"), else the full name."""
        return self.short_name or self.name

    def address(self, transport: str, purpose: str = Purpose.COUNCIL) -> str:
        """The council's address on `transport` for `purpose`, or "" when it has none."""
        for destination in self.destinations:
            if (destination.transport, destination.purpose) == (transport, purpose):
                return destination.address
        return ""


class CouncilDestination(Base):
    """Where a council's digests (or its secretariat's previews and notices) go on one transport.

    `address` is the transport's own id of a channel ("#navn" or C0123ABCD in Slack, a channel
    id such as 19:…@thread.tacv2 in Teams), checked by that transport's rule
    (data/destinations.py); `details` holds what else the transport needs to reach it.
    """

    __tablename__ = "council_destination"
    __table_args__ = (
        UniqueConstraint("council_id", "transport", "purpose"),
        one_of("transport", Transport),
        one_of("purpose", Purpose),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("council.id"))
    transport: Mapped[str] = mapped_column(String(10))
    purpose: Mapped[str] = mapped_column(String(12))
    address: Mapped[str] = mapped_column(String(400))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")

    council: Mapped[Council] = relationship(back_populates="destinations")


class Meeting(Base):
    """A council meeting: number such as 4/2025, date, time, place and status."""

    __tablename__ = "meeting"
    __table_args__ = (UniqueConstraint("council_id", "number"), one_of("status", MeetingStatus))

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("council.id"))
    number: Mapped[str] = mapped_column(String(20))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    start_time: Mapped[str] = mapped_column(String(5), default="10:00")
    end_time: Mapped[str] = mapped_column(String(5), default="16:00")
    place: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(12), default=MeetingStatus.PLANNED)
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)
    members: Mapped[list[str]] = mapped_column(default=list)
    notes: Mapped[str] = mapped_column(Text, default="")

    council: Mapped[Council] = relationship(back_populates="meetings")
    cases: Mapped[list[Case]] = relationship(back_populates="meeting", order_by="Case.sort_order")


class CaseIndicator(Base):
    """Link between a case and an indicator it concerns."""

    __tablename__ = "case_indicator"

    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), primary_key=True)


class CaseCitation(Base):
    """A previous decision that a case cites."""

    __tablename__ = "case_citation"

    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), primary_key=True)
    cited_case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), primary_key=True)


class Case(Base):
    """A case (sak) on a council's agenda, with its case paper fields and decision."""

    __tablename__ = "case"
    __table_args__ = (UniqueConstraint("council_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("council.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"))
    number: Mapped[str] = mapped_column(String(12))  # "40/25"
    title: Mapped[str] = mapped_column(String(400))
    case_type: Mapped[str] = mapped_column(String(40), default="")  # Godkjenning, Drøfting …
    agenda_time: Mapped[str] = mapped_column(String(5), default="")
    presenter: Mapped[str] = mapped_column(String(300), default="")
    owner: Mapped[str] = mapped_column(String(200), default="")  # sakseier
    officer: Mapped[str] = mapped_column(String(200), default="")  # saksbehandler
    summary: Mapped[str] = mapped_column(Text, default="")
    proposed_decision: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    background: Mapped[str] = mapped_column(Text, default="")
    further_process: Mapped[str] = mapped_column(Text, default="")
    attachments: Mapped[list[str]] = mapped_column(default=list)
    decision: Mapped[str] = mapped_column(Text, default="")
    topics: Mapped[list[str]] = mapped_column(default=list)
    has_toppnotat: Mapped[bool] = mapped_column(Boolean, default=True)
    # For cited decisions known only from another paper: the meeting as that paper names it.
    meeting_label: Mapped[str] = mapped_column(String(120), default="")
    meeting_date: Mapped[dt.date | None] = mapped_column(Date)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    council: Mapped[Council] = relationship()
    meeting: Mapped[Meeting | None] = relationship(back_populates="cases")
    indicators: Mapped[list[Indicator]] = relationship(
        secondary="case_indicator", order_by="Indicator.sort_order"
    )
    cites: Mapped[list[Case]] = relationship(
        secondary="case_citation",
        primaryjoin="Case.id == CaseCitation.case_id",
        secondaryjoin="Case.id == CaseCitation.cited_case_id",
    )


class User(Base):
    """A chat user with a role: member, staff or admin."""

    __tablename__ = "app_user"
    __table_args__ = (one_of("role", UserRole),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_user_id: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(10), default=UserRole.MEMBER)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class AuditLog(Base):
    """Who did what: document generation, imports, access and configuration changes."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, index=True)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60))
    # What was acted on or asked for, as given (a refused request's text too): shown escaped.
    target: Mapped[str] = mapped_column(String(300), default="", info={"text": "raw"})
    outcome: Mapped[str] = mapped_column(String(20), default="ok")  # ok | denied | failed
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
