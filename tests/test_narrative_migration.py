"""Migration 0005 on a database that holds narratives: the seed's texts become version 0."""

from __future__ import annotations

import pytest
from radsbot.data import queries
from radsbot.data.db import downgrade, make_engine, session_factory, upgrade
from radsbot.data.narratives import GoalText, store_quarter
from sqlalchemy import MetaData, select
from sqlalchemy.exc import IntegrityError

from tests.first_release import filled


@pytest.mark.slow
def test_migration_0005_keeps_the_texts_as_version_0_and_lets_new_versions_in(databases):
    engine = make_engine(databases.fresh(seeded=False))
    try:
        upgrade(engine, "0004_plan_links")
        with engine.begin() as conn:
            tables = MetaData()
            tables.reflect(conn, only=["goal", "goal_narrative"])
            goal, narrative = tables.tables["goal"], tables.tables["goal_narrative"]
            conn.execute(
                goal.insert(), filled(goal, id=1, code="mal2", kind="strategisk", number=2, name="Enklere")
            )
            row = filled(narrative, goal_id=1, quarter="2026-Q2", overall_status=["Gammel status"])
            conn.execute(narrative.insert(), row)
        upgrade(engine)
        with session_factory(engine)() as session:
            (old,) = queries.narrative_versions(session, 1, "2026-Q2")
            assert (old.version, old.recorded_by, old.overall_status) == (0, "", ["Gammel status"])
            sections = {"overall_status": ("Ny status",), "challenges": ("Ny",)}
            stored = store_quarter(session, "2026-Q2", [GoalText("mal2", sections)], actor="kari")
            session.commit()
            assert stored.changed == ["mal2"]
            assert [n.version for n in queries.narrative_versions(session, 1, "2026-Q2")] == [1, 0]
            assert queries.narrative(session, 1, "2026-Q2").overall_status == ["Ny status"]
        with engine.begin() as conn, pytest.raises(IntegrityError):
            conn.execute(narrative.insert(), {**row, "id": 99})  # 0005 gives new rows version 0 again
        downgrade(engine, "0004_plan_links")
        with engine.connect() as conn:
            tables = MetaData()
            tables.reflect(conn, only=["goal_narrative"])
            kept = conn.execute(select(tables.tables["goal_narrative"])).mappings().all()
            assert [r["overall_status"] for r in kept] == [["Ny status"]]
    finally:
        engine.dispose()
