"""Upgrades of a database in use: rows written under an older schema survive each migration."""

from __future__ import annotations

import datetime as dt

from radsbot.data.db import current_revision, make_engine, session_factory, upgrade
from radsbot.data.deliveries import missing, parts
from radsbot.data.migrations import HEAD_REVISION
from radsbot.data.models import DigestDelivery
from sqlalchemy import MetaData, select


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
                tables.tables["meeting"].insert(), _filled(tables.tables["meeting"], id=1, council_id=1)
            )
            delivery = _filled(
                tables.tables["digest_delivery"], meeting_id=1, status="posted", message_ts="1.2"
            )
            conn.execute(tables.tables["digest_delivery"].insert(), delivery)
        upgrade(engine)
        assert current_revision(engine) == HEAD_REVISION
        with session_factory(engine)() as s:
            row = s.scalar(select(DigestDelivery))
            assert (row.status, row.message_ts, row.parts_planned) == ("posted", "1.2", [])
            assert parts(s, row.id, "post") == {} and missing(s, row) == []
    finally:
        engine.dispose()
