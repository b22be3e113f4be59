"""plan links: a dashboard indicator names the 2023 plan's indicators it continues

The dashboard shows the plan's baseline and 2025 target with the indicator.

Revision ID: 0004_plan_links
Revises: 0003_destinations_and_statuses
Create Date: 2026-12-01 11:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_plan_links"
down_revision = "0003_destinations_and_statuses"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "indicator_plan_link",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("plan_indicator_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"], ["indicator.id"], name=op.f("fk_indicator_plan_link_indicator_id_indicator")
        ),
        sa.ForeignKeyConstraint(
            ["plan_indicator_id"],
            ["indicator.id"],
            name=op.f("fk_indicator_plan_link_plan_indicator_id_indicator"),
        ),
        sa.PrimaryKeyConstraint("indicator_id", "plan_indicator_id", name=op.f("pk_indicator_plan_link")),
    )


def downgrade() -> None:
    op.drop_table("indicator_plan_link")
