"""narrative versions: a goal's quarterly text keeps its history

`goal_narrative` gets `version` (the seed's text is 0, each import or chat edit the next), who
recorded it and when; the unique key becomes (goal, quarter, version). The newest version of a
quarter is the text in force, and the older ones stay retrievable. Existing rows are the seed's
and become version 0.

The downgrade keeps only the newest version of each goal and quarter.

Revision ID: 0005_narrative_versions
Revises: 0004_plan_links
Create Date: 2026-12-01 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_narrative_versions"
down_revision = "0004_plan_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("goal_narrative") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("recorded_by", sa.String(length=120), server_default="", nullable=False))
        batch.drop_constraint(op.f("uq_goal_narrative_goal_id_quarter"), type_="unique")
        batch.create_unique_constraint(
            op.f("uq_goal_narrative_goal_id_quarter_version"), ["goal_id", "quarter", "version"]
        )


def downgrade() -> None:
    op.execute(
        "DELETE FROM goal_narrative WHERE EXISTS (SELECT 1 FROM goal_narrative AS newer "
        "WHERE newer.goal_id = goal_narrative.goal_id AND newer.quarter = goal_narrative.quarter "
        "AND newer.version > goal_narrative.version)"
    )
    with op.batch_alter_table("goal_narrative") as batch:
        batch.drop_constraint(op.f("uq_goal_narrative_goal_id_quarter_version"), type_="unique")
        batch.create_unique_constraint(op.f("uq_goal_narrative_goal_id_quarter"), ["goal_id", "quarter"])
        batch.drop_column("recorded_by")
        batch.drop_column("recorded_at")
        batch.drop_column("version")
