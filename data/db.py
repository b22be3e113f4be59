"""Engine, sessions and the embedded default: migrate and seed a database on first use."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from data.migrations import HEAD_REVISION

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Any fixed number: PostgreSQL advisory lock taken while migrating and seeding.
_SETUP_LOCK = 7_305_144_101


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout for several processes."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"timeout": 30})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back everything on error."""
    with factory() as session, session.begin():
        yield session


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database, or None for an empty database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations up to `revision` on this engine."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def is_seeded(session: Session) -> bool:
    """Whether the catalogue has been loaded."""
    from data.models import Goal

    return session.execute(select(Goal.id).limit(1)).first() is not None


def ensure_ready(engine: Engine, *, seed: bool = True) -> bool:
    """Migrate to head and load the seed dataset into an empty catalogue.

    Cheap when the database is already current: one query, no Alembic import.

    Returns:
        True when anything was migrated or seeded.
    """
    # On SQLite even the first look waits for the lock: while another process sets the file up,
    # a connection may find it locked at once (switching to WAL takes the whole file).
    if engine.dialect.name != "sqlite" and _ready(engine, seed):
        return False
    with _setup_lock(engine):
        if _ready(engine, seed):
            return False
        changed = False
        if current_revision(engine) != HEAD_REVISION:
            log.info("Migrating database schema to %s", HEAD_REVISION)
            upgrade(engine)
            changed = True
        if seed and not _seeded(engine):
            from data.seed import load_seed

            log.info("Loading the seed dataset")
            with transaction(session_factory(engine)) as session:
                load_seed(session)
            changed = True
        return changed


def _ready(engine: Engine, seed: bool) -> bool:
    return current_revision(engine) == HEAD_REVISION and (not seed or _seeded(engine))


def _seeded(engine: Engine) -> bool:
    with Session(engine) as session:
        return is_seeded(session)


@contextmanager
def _setup_lock(engine: Engine) -> Iterator[None]:
    """Serialise first-use setup between processes sharing one database (PostgreSQL or SQLite)."""
    if engine.dialect.name == "sqlite":
        with _sqlite_setup_lock(engine.url.database):
            yield
        return
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _SETUP_LOCK})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _SETUP_LOCK})
            conn.commit()


@contextmanager
def _sqlite_setup_lock(database: str | None) -> Iterator[None]:
    """An exclusive lock on a small companion file ("radsbot.sqlite3.lock") while setting up.

    SQLite has no advisory locks, and the database file itself cannot be held: the migrations
    write to it from other connections. SQLite's own locking of a second file works across
    processes and platforms. The Procfile starts the web and worker processes together.
    """
    if not database or database == ":memory:":
        yield
        return
    import sqlite3

    lock = sqlite3.connect(f"{Path(database).expanduser()}.lock", timeout=600, isolation_level=None)
    try:
        lock.execute("BEGIN EXCLUSIVE")  # waits while another process sets the database up
        yield
    finally:
        if lock.in_transaction:
            lock.execute("ROLLBACK")
        lock.close()


def describe_url(url: str) -> str:
    """The database URL with any password masked, for `radsbot info`."""
    return make_url(url).render_as_string(hide_password=True)
