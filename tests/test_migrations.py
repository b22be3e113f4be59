"""Upgrades of a database in use: rows written under an older schema survive each migration."""

from __future__ import annotations

import datetime as dt

import pytest
from radsbot.data import deliveries
from radsbot.data.db import (
    MigrationRefused,
    current_revision,
    downgrade,
    ensure_ready,
    make_engine,
    session_factory,
    upgrade,
)
from radsbot.data.deliveries import missing, parts
from radsbot.data.destinations import Channel
from radsbot.data.migrations import HEAD_REVISION
from radsbot.data.models import (
    Ambition,
    Council,
    CouncilDestination,
    DigestDelivery,
    DigestPart,
    Indicator,
    Meeting,
    User,
)
from sqlalchemy import MetaData, insert, select, text
from sqlalchemy.exc import IntegrityError

FIRST_RELEASE = "0002_digest_threads"


def _filled(table, **given):
    """A row for a reflected table: `given`, and a plain value for every other required column."""
    plain = {
        str: "",
        int: 1,
        bool: False,
        float: 0.0,
        dt.date: dt.date(2027, 3, 10),
        dt.datetime: dt.datetime(2027, 3, 3, 8),
    }
    row = dict(given)
    for column in table.columns:
        if column.name in row or column.nullable or column.primary_key or column.server_default is not None:
            continue
        try:
            kind = column.type.python_type
        except NotImplementedError:
            kind = object
        row[column.name] = plain.get(kind, [])  # JSON columns (python_type object or none) get []
    return row


def test_migration_0002_keeps_existing_deliveries(databases):
    """A ledger row written under 0001 survives the upgrade, with an empty plan and no parts."""
    engine = make_engine(databases.fresh(seeded=False))
    try:
        upgrade(engine, "0001_initial")
        with engine.begin() as conn:
            tables = MetaData()
            tables.reflect(conn, only=["council", "meeting", "digest_delivery"])
            conn.execute(tables.tables["council"].insert(), _filled(tables.tables["council"], id=1, code="x"))
            conn.execute(
                tables.tables["meeting"].insert(),
                _filled(tables.tables["meeting"], id=1, council_id=1, status="planned"),
            )
            delivery = _filled(
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

NOW = dt.datetime(2026, 11, 26, 7, 0)
PLAN = [
    {"key": "goal:OM1", "label": "Helhetlig samhandling"},
    {"key": "goal:OM1/file:om1.png", "label": "Helhetlig samhandling"},
    {"key": "goal:M3", "label": "Mål 3: Helsedata"},
]


def first_release_rows() -> dict[str, list[dict]]:
    """What a first-release database holds: councils with and without channels, meetings,
    deliveries in several states with their threads' parts, the catalogue's statuses, users."""
    council = {"former_names": [], "aliases": [], "digest_lead_days": 7, "digest_hour": 8}
    delivery = {
        "claimed_by": "host:41",
        "attempts": 1,
        "last_error": "",
        "preview_channel": "",
        "preview_ts": "",
        "approved_by": "",
        "failure_reported": False,
        "updated_at": NOW,
        "parts_planned": [],
        "claimed_at": NOW,
        "lease_until": None,
        "posted_at": None,
        "next_attempt_at": None,
        "message_ts": "",
    }
    return {
        "council": [
            {
                "id": 1,
                "code": "nuit",
                "name": "Porteføljerådet",
                "short_name": "Porteføljerådet",
                "slack_channel": "C0NUIT0001",
                "secretariat_channel": "#radsbot-sekretariat",
                "preview_first": True,
                **council,
            },
            {
                "id": 2,
                "code": "nufa",
                "name": "Fagrådet",
                "short_name": "Fagrådet",
                "slack_channel": "#radsbot-nufa",
                "secretariat_channel": "",
                "preview_first": False,
                **council,
            },
            {
                "id": 3,
                "code": "ehelseradet",
                "name": "Strategirådet",
                "short_name": "Strategirådet",
                "slack_channel": "",
                "secretariat_channel": "",
                "preview_first": False,
                **council,
            },
        ],
        "meeting": [
            {
                "id": i,
                "council_id": c,
                "number": n,
                "date": d,
                "start_time": "10:00",
                "end_time": "16:00",
                "place": "Oslo",
                "status": s,
                "is_example": False,
                "members": [],
                "notes": "",
            }
            for i, c, n, d, s in [
                (1, 1, "4/2026", dt.date(2026, 12, 3), "planned"),
                (2, 1, "3/2026", dt.date(2026, 9, 17), "held"),
                (3, 2, "4/2026", dt.date(2026, 12, 10), "planned"),
                (4, 2, "3/2026", dt.date(2026, 9, 24), "cancelled"),
                (5, 1, "5/2026", dt.date(2026, 12, 17), "planned"),
            ]
        ],
        "digest_delivery": [
            {
                **delivery,
                "id": 1,
                "meeting_id": 2,
                "channel": "C0NUIT0001",
                "status": "posted",
                "message_ts": "1758000000.000100",
                "posted_at": NOW,
                "parts_planned": PLAN,
            },
            {
                **delivery,
                "id": 2,
                "meeting_id": 1,
                "channel": "C0NUIT0001",
                "status": "retry",
                "attempts": 2,
                "message_ts": "1764140000.000200",
                "next_attempt_at": NOW,
                "last_error": "SlackApiError: 500",
                "parts_planned": PLAN,
            },
            {
                **delivery,
                "id": 3,
                "meeting_id": 5,
                "channel": "C0NUIT0001",
                "status": "awaiting",
                "preview_channel": "#radsbot-sekretariat",
                "preview_ts": "1764150000.000300",
            },
            {
                **delivery,
                "id": 4,
                "meeting_id": 3,
                "channel": "#radsbot-nufa",
                "status": "failed",
                "attempts": 5,
                "last_error": "SlackApiError: not_in_channel",
                "failure_reported": True,
            },
            {
                **delivery,
                "id": 5,
                "meeting_id": 4,
                "channel": "#radsbot-nufa",
                "status": "cancelled",
                "approved_by": "U0STAFF",
            },
        ],
        "digest_part": [
            {"id": i, "delivery_id": d, "thread": t, "part": p, "ref": r, "posted_at": NOW}
            for i, d, t, p, r in [
                (1, 1, "post", "digest:2", "1758000000.000100"),
                (2, 1, "post", "goal:OM1", "1758000001.000100"),
                (3, 1, "post", "goal:OM1/file:om1.png", "F0FILE0001"),
                (4, 1, "post", "goal:M3", "1758000002.000100"),
                (5, 2, "post", "digest:1", "1764140000.000200"),
                (6, 2, "post", "goal:OM1", "1764140001.000200"),
                (7, 3, "preview", "preview:3", "1764150000.000300"),
            ]
        ],
        "app_user": [
            {"id": 1, "chat_user_id": "U0STAFF", "name": "Kari", "role": "staff", "created_at": NOW},
            {"id": 2, "chat_user_id": "U0ADMIN", "name": "Ola", "role": "admin", "created_at": NOW},
        ],
    }


def at_first_release(databases, rows=None) -> tuple:
    """An engine on a database at revision 0002 holding `rows` (first_release_rows by default)."""
    engine = make_engine(databases.fresh(seeded=False))
    upgrade(engine, FIRST_RELEASE)
    rows = first_release_rows() if rows is None else rows
    with engine.begin() as conn:
        tables = MetaData()
        tables.reflect(conn)
        for name, values in rows.items():
            conn.execute(insert(tables.tables[name]), values)
        goal = conn.execute(
            insert(tables.tables["goal"]).returning(tables.tables["goal"].c.id),
            _filled(tables.tables["goal"], code="OM1", kind="overordnet", name="Helhetlig samhandling"),
        ).scalar()
        for code, readiness, frequency, direction in [
            ("PLL", "klar", "kvartalsvis", "up"),
            ("EPJ", "under_arbeid", "arlig", "down"),
            ("DHO", "fremtidig", "lopende", "up"),
        ]:
            indicator = _filled(
                tables.tables["indicator"],
                code=code,
                name=code,
                goal_id=goal,
                readiness=readiness,
                frequency=frequency,
                direction=direction,
            )
            iid = conn.execute(
                insert(tables.tables["indicator"]).returning(tables.tables["indicator"].c.id), indicator
            ).scalar()
            for status in ("foreslått", "vedtatt", "ikke_foreslått"):
                conn.execute(
                    insert(tables.tables["ambition"]),
                    _filled(tables.tables["ambition"], indicator_id=iid, status=status),
                )
    return engine


def dump(engine, *names: str) -> dict[str, list[dict]]:
    """Every row of the named tables, in id order, as the database holds them (by column name)."""
    with engine.connect() as conn:
        tables = MetaData()
        tables.reflect(conn, only=list(names))
        return {
            name: [dict(r._mapping) for r in conn.execute(select(tables.tables[name]).order_by(text("id")))]
            for name in names
        }


FIRST_RELEASE_TABLES = ("council", "meeting", "digest_delivery", "digest_part", "app_user", "ambition")


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


# -- the database refuses what no status allows ----------------------------------------------------

INVALID = [
    (Indicator, "readiness", "nesten_klar"),
    (Indicator, "frequency", "daglig"),
    (Indicator, "direction", "flat"),
    (Ambition, "status", "kanskje"),
    (Meeting, "status", "utsatt"),
    (User, "role", "owner"),
    (DigestDelivery, "status", "sent"),
    (DigestDelivery, "transport", "irc"),
    (DigestPart, "thread", "dm"),
    (CouncilDestination, "transport", "email"),
    (CouncilDestination, "purpose", "archive"),
]


def let_through(url: str) -> list[str]:
    """Set one row of each status column to a value no member has, in plain SQL (past every check
    of ours): the columns whose database took it."""
    engine = make_engine(url)
    taken = []
    try:
        with session_factory(engine).begin() as s:  # a row of each table that has none in the seed
            meeting = s.scalar(select(Meeting.id).limit(1))
            row = DigestDelivery(meeting_id=meeting, transport="slack", address="#x", status="posted")
            s.add_all([row, User(chat_user_id="U0STAFF", role="staff")])
            s.flush()
            s.add(DigestPart(delivery_id=row.id, thread="post", part="digest:1", ref="1.2"))
        for model, column, value in INVALID:
            table = model.__table__
            try:
                with engine.begin() as conn:
                    first = conn.execute(select(table.c.id).limit(1)).scalar()
                    conn.execute(table.update().where(table.c.id == first).values({column: value}))
                taken.append(f"{table.name}.{column}")
            except IntegrityError as exc:
                assert f"ck_{table.name}_{column}" in str(exc) or "CHECK" in str(exc), exc
    finally:
        engine.dispose()
    return taken


def test_sqlite_refuses_invalid_statuses(tmp_path):
    url = f"sqlite:///{tmp_path / 'checks.sqlite3'}"
    engine = make_engine(url)
    ensure_ready(engine)
    engine.dispose()
    assert let_through(url) == []


@pytest.mark.postgres
def test_postgresql_refuses_invalid_statuses(pg_db_url):
    assert let_through(pg_db_url) == []
