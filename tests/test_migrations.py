"""Upgrades of a database in use: rows written under an older schema survive each migration."""

from __future__ import annotations

import pytest
from radsbot.data import deliveries
from radsbot.data.db import (
    MigrationRefused,
    current_revision,
    downgrade,
    make_engine,
    session_factory,
    upgrade,
)
from radsbot.data.deliveries import missing, parts
from radsbot.data.destinations import Channel
from radsbot.data.migrations import HEAD_REVISION
from radsbot.data.models import (
    Council,
    CouncilDestination,
    DigestDelivery,
)
from sqlalchemy import MetaData, select

from tests.first_release import (
    FIRST_RELEASE,
    FIRST_RELEASE_TABLES,
    at_first_release,
    dump,
    filled,
    first_release_rows,
)


@pytest.mark.slow
def test_migration_0002_keeps_existing_deliveries(databases):
    """A ledger row written under 0001 survives the upgrade, with an empty plan and no parts."""
    engine = make_engine(databases.fresh(seeded=False))
    try:
        upgrade(engine, "0001_initial")
        with engine.begin() as conn:
            tables = MetaData()
            tables.reflect(conn, only=["council", "meeting", "digest_delivery"])
            conn.execute(tables.tables["council"].insert(), filled(tables.tables["council"], id=1, code="x"))
            conn.execute(
                tables.tables["meeting"].insert(),
                filled(tables.tables["meeting"], id=1, council_id=1, status="planned"),
            )
            delivery = filled(
                tables.tables["digest_delivery"], meeting_id=1, status="posted", message_ts="1.2"
            )
            conn.execute(tables.tables["digest_delivery"].insert(), delivery)
        upgrade(engine)
        assert current_revision(engine) == HEAD_REVISION
        with session_factory(engine)() as s:
            row = s.scalar(select(DigestDelivery))
            assert (row.status, row.root_ref, row.parts_planned) == ("posted", "1.2", [])
            assert parts(s, row.id, "post") == {} and missing(s, row) == []
    finally:
        engine.dispose()


# -- 0003: destinations, neutral references, checked statuses ------------------------------------


@pytest.mark.slow
def test_migration_0003_moves_channels_and_references_and_keeps_everything(databases):
    engine = at_first_release(databases)
    try:
        before = dump(engine, "meeting", "app_user", "ambition", "indicator")
        upgrade(engine)
        assert current_revision(engine) == HEAD_REVISION
        assert dump(engine, "meeting", "app_user", "ambition", "indicator") == before
        with session_factory(engine)() as s:
            found = s.execute(
                select(
                    Council.code,
                    CouncilDestination.transport,
                    CouncilDestination.purpose,
                    CouncilDestination.address,
                )
                .join(Council)
                .order_by(CouncilDestination.id)
            ).all()
            assert [tuple(r) for r in found] == [
                ("nuit", "slack", "council", "C0NUIT0001"),
                ("nufa", "slack", "council", "#radsbot-nufa"),
                ("nuit", "slack", "secretariat", "#radsbot-sekretariat"),
            ]
            assert s.scalar(select(Council).where(Council.code == "ehelseradet")).destinations == []
            ledger = {r.id: r for r in s.scalars(select(DigestDelivery))}
            assert {i: (r.transport, r.address, r.status, r.root_ref) for i, r in ledger.items()} == {
                1: ("slack", "C0NUIT0001", "posted", "1758000000.000100"),
                2: ("slack", "C0NUIT0001", "retry", "1764140000.000200"),
                3: ("slack", "C0NUIT0001", "awaiting", ""),
                4: ("slack", "#radsbot-nufa", "failed", ""),
                5: ("slack", "#radsbot-nufa", "cancelled", ""),
            }
            assert (ledger[3].preview_address, ledger[3].preview_ref) == (
                "#radsbot-sekretariat",
                "1764150000.000300",
            )
            assert (ledger[2].attempts, ledger[2].last_error) == (2, "SlackApiError: 500")
            assert (ledger[4].failure_reported, ledger[5].approved_by) == (True, "U0STAFF")
            # The scheduler reads them as it did: by meeting and channel, with what each thread lacks.
            assert deliveries.get(s, 1, Channel("slack", "C0NUIT0001")).id == 2
            assert missing(s, ledger[1]) == []
            assert missing(s, ledger[2]) == ["Helhetlig samhandling", "Mål 3: Helsedata"]  # its chart too
            assert parts(s, 1, "post")["goal:OM1/file:om1.png"] == "F0FILE0001"
            assert parts(s, 3, "preview") == {"preview:3": "1764150000.000300"}
            nuit = s.scalar(select(Council).where(Council.code == "nuit"))
            assert (nuit.address("slack"), nuit.address("slack", "secretariat"), nuit.preview_first) == (
                "C0NUIT0001",
                "#radsbot-sekretariat",
                True,
            )
    finally:
        engine.dispose()


@pytest.mark.slow
def test_migration_0003_downgrades_to_the_first_release_unchanged(databases):
    engine = at_first_release(databases)
    try:
        before = dump(engine, *FIRST_RELEASE_TABLES)
        upgrade(engine)
        downgrade(engine, FIRST_RELEASE)
        assert current_revision(engine) == FIRST_RELEASE
        assert dump(engine, *FIRST_RELEASE_TABLES) == before
        upgrade(engine)  # and up again
        assert current_revision(engine) == HEAD_REVISION
    finally:
        engine.dispose()


@pytest.mark.slow
def test_migration_0003_refuses_to_downgrade_what_the_first_release_cannot_hold(databases):
    """A Teams destination has no column in 0002: the downgrade says so and changes nothing."""
    engine = at_first_release(databases)
    try:
        upgrade(engine)
        with session_factory(engine).begin() as s:
            s.add(
                CouncilDestination(
                    council_id=3, transport="teams", purpose="council", address="19:abc@thread.tacv2"
                )
            )
        before = dump(engine, "council", "council_destination", "digest_delivery", "digest_part")
        with pytest.raises(MigrationRefused, match="annen transport enn Slack") as refused:
            downgrade(engine, FIRST_RELEASE)
        assert "Ingenting er endret" in str(refused.value)
        assert current_revision(engine) == HEAD_REVISION
        assert dump(engine, "council", "council_destination", "digest_delivery", "digest_part") == before
    finally:
        engine.dispose()


@pytest.mark.slow
def test_migration_0003_refuses_a_status_its_constraint_would_refuse(databases, capsys):
    """A meeting status written outside the seed ("utsatt") is named; nothing is changed."""
    rows = first_release_rows()
    rows["meeting"][3]["status"] = "utsatt"
    engine = at_first_release(databases, rows)
    try:
        before = dump(engine, *FIRST_RELEASE_TABLES)
        with pytest.raises(MigrationRefused) as refused:
            upgrade(engine)
        message = str(refused.value)
        assert "meeting.status = «utsatt» (1 rad; gyldige verdier: planned, held, cancelled)" in message
        assert "radsbot db upgrade" in message
        assert current_revision(engine) == FIRST_RELEASE
        assert dump(engine, *FIRST_RELEASE_TABLES) == before
        # `radsbot db upgrade` says the same in one message, without a traceback.
        code, out, err = radsbot_cli(engine, capsys, "db", "upgrade")
        assert code == 1 and "meeting.status = «utsatt»" in err and "Traceback" not in out + err
        assert current_revision(engine) == FIRST_RELEASE
    finally:
        engine.dispose()


def radsbot_cli(engine, capsys, *args: str) -> tuple[int, str, str]:
    """`radsbot ARGS` in-process on the engine's database: (exit code, stdout, stderr)."""
    from radsbot.bot.bootstrap import Context
    from radsbot.bot.cli import main
    from radsbot.bot.settings import Settings

    capsys.readouterr()
    context = Context(Settings(DATABASE_URL=engine.url.render_as_string(hide_password=False)))
    code = main(list(args), obj=context)
    out = capsys.readouterr()
    return code, out.out, out.err
