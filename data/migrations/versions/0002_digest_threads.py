"""digest threads: which messages and files of a digest's thread Slack has, and what it must hold

A digest is `posted` only when its thread is complete; a retry or a recovering worker posts only
what `digest_part` does not list (after checking Slack for parts it took without our knowing).

Revision ID: 0002_digest_threads
Revises: 0001_initial
Create Date: 2026-12-01 08:58:34.518330
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_digest_threads"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "digest_part",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("thread", sa.String(length=10), nullable=False),
        sa.Column("part", sa.String(length=200), nullable=False),
        sa.Column("ref", sa.String(length=40), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"], ["digest_delivery.id"], name=op.f("fk_digest_part_delivery_id_digest_delivery")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_part")),
        sa.UniqueConstraint(
            "delivery_id", "thread", "part", name=op.f("uq_digest_part_delivery_id_thread_part")
        ),
    )
    with op.batch_alter_table("digest_delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parts_planned", sa.JSON(), server_default="[]", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("digest_delivery", schema=None) as batch_op:
        batch_op.drop_column("parts_planned")

    op.drop_table("digest_part")
