"""A database as the first release (schema 0002) left it: realistic rows, written in plain SQL."""

from __future__ import annotations

import datetime as dt

from radsbot.data.db import make_engine, upgrade
from sqlalchemy import MetaData, insert, select, text

FIRST_RELEASE = "0002_digest_threads"


def filled(table, **given):
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
            filled(tables.tables["goal"], code="OM1", kind="overordnet", name="Helhetlig samhandling"),
        ).scalar()
        for code, readiness, frequency, direction in [
            ("PLL", "klar", "kvartalsvis", "up"),
            ("EPJ", "under_arbeid", "arlig", "down"),
            ("DHO", "fremtidig", "lopende", "up"),
        ]:
            indicator = filled(
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
                    filled(tables.tables["ambition"], indicator_id=iid, status=status),
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
