"""What the public dashboard may show: the newest dashboard draft and when the data last changed."""

from __future__ import annotations

import datetime as dt

from radsbot.data import public
from radsbot.data.models import AuditLog, ImportBatch, Indicator
from sqlalchemy import select


def test_the_newest_dashboard_draft_is_compared_as_a_version(session):
    """v0.95 is newer than v0.7 (not by spelling), and a v1.0 would be newer still."""
    assert public.newest_dashboard_version(session) == "v0.95"
    pll = session.scalar(select(Indicator).where(Indicator.code == "PLL"))
    pll.dashboard_versions = [*pll.dashboard_versions, "v1.0"]
    session.flush()
    assert public.newest_dashboard_version(session) == "v1.0"


def test_data_changed_at_is_the_newest_load_import_or_undo(session):
    """The seed load, then a later import, then a later undo each move the date."""
    seeded = public.data_changed_at(session)
    assert seeded is not None and seeded.tzinfo is not None
    later = seeded + dt.timedelta(days=3)
    session.add(ImportBatch(kind="import", filename="x.csv", created_at=later))
    session.flush()
    assert public.data_changed_at(session) == later
    undone = later + dt.timedelta(days=2)
    session.add(AuditLog(actor="cli", action="import_undo", target="1", outcome="ok", at=undone))
    session.add(
        AuditLog(actor="cli", action="import_undo", target="2", outcome="failed", at=undone + dt.timedelta(1))
    )
    session.flush()
    assert public.data_changed_at(session) == undone
