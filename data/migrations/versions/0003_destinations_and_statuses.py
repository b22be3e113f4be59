"""destinations on any transport, neutral message references, and status values the database checks

- `council_destination`: a council's channels as rows (council, transport, purpose, address),
  so that a council may have a Slack and a Teams channel at once. The first release's
  `council.slack_channel` and `council.secretariat_channel` become Slack destinations.
- `digest_delivery`: a destination is (transport, address) and messages are the transport's
  opaque references: `channel` → `address`, `message_ts` → `root_ref`, `preview_channel` →
  `preview_address`, `preview_ts` → `preview_ref`, with `transport` = "slack" for every row
  written before; `digest_part.ref` takes any transport's reference (400 characters).
- CHECK constraints on every status column (readiness, frequency, direction, ambition and
  meeting status, role, delivery state, thread, transport, purpose). A database holding a value
  outside them is not changed: the upgrade stops and names the rows to correct.

The downgrade puts Slack destinations and references back into the first release's columns, and
refuses (changing nothing) while anything only this schema can hold is stored: a destination or
delivery on another transport, or an address or reference longer than 40 characters.

Revision ID: 0003_destinations_and_statuses
Revises: 0002_digest_threads
Create Date: 2026-12-01 12:00:00
"""

import sqlalchemy as sa
from alembic import op
from radsbot.data.db import MigrationRefused

revision = "0003_destinations_and_statuses"
down_revision = "0002_digest_threads"
branch_labels = None
depends_on = None

# The values each status column may hold, as this revision defines them (data/statuses.py may
# grow later; a later revision then changes its constraint).
ALLOWED = {
    ("indicator", "readiness"): ("klar", "under_arbeid", "fremtidig"),
    ("indicator", "frequency"): ("arlig", "kvartalsvis", "lopende"),
    ("indicator", "direction"): ("up", "down"),
    ("ambition", "status"): ("foreslått", "vedtatt", "ikke_foreslått"),
    ("meeting", "status"): ("planned", "held", "cancelled"),
    ("app_user", "role"): ("member", "staff", "admin"),
    ("digest_delivery", "status"): (
        "preview",
        "awaiting",
        "approved",
        "posting",
        "retry",
        "posted",
        "failed",
        "cancelled",
        "expired",
    ),
    ("digest_part", "thread"): ("post", "preview"),
}
TRANSPORTS = ("slack", "teams")
PURPOSES = ("council", "secretariat")
# How long the first release's channel and ts columns were.
OLD_LENGTH = 40
# The ledger's first-release columns and their neutral names.
NEW_COLUMNS = {
    "channel": "address",
    "message_ts": "root_ref",
    "preview_channel": "preview_address",
    "preview_ts": "preview_ref",
}


def _in(column: str, values: tuple[str, ...]) -> str:
    listed = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"{column} IN ({listed})"


def _refuse_invalid_values() -> None:
    """Stop, naming the rows, when a status column holds a value its constraint would refuse."""
    conn = op.get_bind()
    found = []
    for (table, column), values in ALLOWED.items():
        bad = sa.text(
            f"SELECT {column}, COUNT(*) FROM {table} WHERE NOT ({_in(column, values)}) GROUP BY {column}"
        )
        for value, count in conn.execute(bad):
            rows = "1 rad" if count == 1 else f"{count} rader"
            found.append(f"{table}.{column} = «{value}» ({rows}; gyldige verdier: {', '.join(values)})")
    if found:
        raise MigrationRefused(
            "Databasen kan ikke oppgraderes til skjemaversjon 0003: "
            + "; ".join(found)
            + ". Rett verdiene (eller slett radene) og kjør «radsbot db upgrade» på nytt. "
            "Ingenting er endret."
        )


def upgrade() -> None:
    _refuse_invalid_values()
    op.create_table(
        "council_destination",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("transport", sa.String(length=10), nullable=False),
        sa.Column("purpose", sa.String(length=12), nullable=False),
        sa.Column("address", sa.String(length=400), nullable=False),
        sa.Column("details", sa.JSON(), server_default="{}", nullable=False),
        sa.CheckConstraint(_in("transport", TRANSPORTS), name=op.f("ck_council_destination_transport")),
        sa.CheckConstraint(_in("purpose", PURPOSES), name=op.f("ck_council_destination_purpose")),
        sa.ForeignKeyConstraint(
            ["council_id"], ["council.id"], name=op.f("fk_council_destination_council_id_council")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_destination")),
        sa.UniqueConstraint(
            "council_id",
            "transport",
            "purpose",
            name=op.f("uq_council_destination_council_id_transport_purpose"),
        ),
    )
    for column, purpose in (("slack_channel", "council"), ("secretariat_channel", "secretariat")):
        op.execute(
            "INSERT INTO council_destination (council_id, transport, purpose, address, details) "
            f"SELECT id, 'slack', '{purpose}', {column}, '{{}}' FROM council WHERE {column} <> ''"
        )
    with op.batch_alter_table("council") as batch:
        batch.drop_column("slack_channel")
        batch.drop_column("secretariat_channel")

    with op.batch_alter_table("digest_delivery") as batch:
        batch.add_column(sa.Column("transport", sa.String(length=10), nullable=True))
    op.execute("UPDATE digest_delivery SET transport = 'slack'")
    with op.batch_alter_table("digest_delivery") as batch:
        batch.drop_constraint(op.f("uq_digest_delivery_meeting_id_channel"), type_="unique")
        batch.alter_column("transport", existing_type=sa.String(length=10), nullable=False)
        for old, new in NEW_COLUMNS.items():
            batch.alter_column(
                old,
                new_column_name=new,
                existing_type=sa.String(length=OLD_LENGTH),
                type_=sa.String(length=400),
                existing_nullable=False,
            )
    # A constraint on renamed columns is made once the renaming is done (batch mode loses it otherwise).
    with op.batch_alter_table("digest_delivery") as batch:
        batch.create_unique_constraint(
            op.f("uq_digest_delivery_meeting_id_transport_address"), ["meeting_id", "transport", "address"]
        )
        batch.create_check_constraint(op.f("ck_digest_delivery_transport"), _in("transport", TRANSPORTS))

    with op.batch_alter_table("digest_part") as batch:
        batch.alter_column(
            "ref",
            existing_type=sa.String(length=OLD_LENGTH),
            type_=sa.String(length=400),
            existing_nullable=False,
        )

    for (table, column), values in ALLOWED.items():
        with op.batch_alter_table(table) as batch:
            batch.create_check_constraint(op.f(f"ck_{table}_{column}"), _in(column, values))


def _refuse_what_0002_cannot_hold() -> None:
    conn = op.get_bind()
    checks = {
        "en destinasjon på en annen transport enn Slack": (
            "SELECT COUNT(*) FROM council_destination WHERE transport <> 'slack'"
        ),
        "et sammendrag levert på en annen transport enn Slack": (
            "SELECT COUNT(*) FROM digest_delivery WHERE transport <> 'slack'"
        ),
        f"en kanal eller referanse på mer enn {OLD_LENGTH} tegn": (
            "SELECT COUNT(*) FROM digest_delivery WHERE "
            + " OR ".join(f"LENGTH({c}) > {OLD_LENGTH}" for c in NEW_COLUMNS.values())
            + f" UNION ALL SELECT COUNT(*) FROM digest_part WHERE LENGTH(ref) > {OLD_LENGTH}"
            + f" UNION ALL SELECT COUNT(*) FROM council_destination WHERE LENGTH(address) > {OLD_LENGTH}"
        ),
    }
    found = [what for what, sql in checks.items() if any(n for (n,) in conn.execute(sa.text(sql)))]
    if found:
        raise MigrationRefused(
            "Databasen kan ikke nedgraderes til skjemaversjon 0002, for den har "
            + " og ".join(found)
            + ", som den versjonen ikke kan lagre. Fjern dem først (for eksempel med «radsbot council set "
            "KODE --channel teams:»), eller bli på denne versjonen. Ingenting er endret."
        )


def downgrade() -> None:
    _refuse_what_0002_cannot_hold()
    for (table, column), _values in ALLOWED.items():
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")

    with op.batch_alter_table("digest_part") as batch:
        batch.alter_column(
            "ref",
            existing_type=sa.String(length=400),
            type_=sa.String(length=OLD_LENGTH),
            existing_nullable=False,
        )

    with op.batch_alter_table("digest_delivery") as batch:
        batch.drop_constraint(op.f("ck_digest_delivery_transport"), type_="check")
        batch.drop_constraint(op.f("uq_digest_delivery_meeting_id_transport_address"), type_="unique")
        for old, new in NEW_COLUMNS.items():
            batch.alter_column(
                new,
                new_column_name=old,
                existing_type=sa.String(length=400),
                type_=sa.String(length=OLD_LENGTH),
                existing_nullable=False,
            )
        batch.drop_column("transport")
    with op.batch_alter_table("digest_delivery") as batch:
        batch.create_unique_constraint(
            op.f("uq_digest_delivery_meeting_id_channel"), ["meeting_id", "channel"]
        )

    with op.batch_alter_table("council") as batch:
        batch.add_column(sa.Column("slack_channel", sa.String(length=OLD_LENGTH), server_default=""))
        batch.add_column(sa.Column("secretariat_channel", sa.String(length=OLD_LENGTH), server_default=""))
    for column, purpose in (("slack_channel", "council"), ("secretariat_channel", "secretariat")):
        op.execute(
            f"UPDATE council SET {column} = COALESCE((SELECT address FROM council_destination d "
            f"WHERE d.council_id = council.id AND d.transport = 'slack' AND d.purpose = '{purpose}'), '')"
        )
    with op.batch_alter_table("council") as batch:
        for column in ("slack_channel", "secretariat_channel"):
            batch.alter_column(
                column,
                existing_type=sa.String(length=OLD_LENGTH),
                nullable=False,
                server_default=None,
            )
    op.drop_table("council_destination")
