"""Engine, sessions and the embedded default: migrate and seed a database on first use."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from radsbot.data.errors import DomainError
from radsbot.data.migrations import HEAD_REVISION
from radsbot.data.resources import MIGRATIONS_DIR
from radsbot.data.words import Message, join, msg
from sqlalchemy import Engine, create_engine, event, exc, inspect, select, text
from sqlalchemy.engine import CursorResult, Result, make_url
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

# The database types the other layers name in their signatures; only data/ imports SQLAlchemy.
SessionFactory = sessionmaker[Session]

# Any fixed number: PostgreSQL advisory lock taken while migrating and seeding.
_SETUP_LOCK = 7_305_144_101


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout for several processes."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            private_file(Path(parsed.database).expanduser())
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


def private_file(path: Path) -> None:
    """Make an SQLite file readable by its owner only (0600) before SQLite creates it, in a 0700
    folder if the folder is new. SQLite gives the -wal, -shm and -journal files the database's mode.

    A folder that exists (one the user chose) keeps its mode; a file that exists keeps its own.
    """
    if not path.parent.is_dir():
        path.parent.parent.mkdir(parents=True, exist_ok=True)
        path.parent.mkdir(mode=0o700, exist_ok=True)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay readable after commit, and refuse at flush any value
    their columns cannot hold (data.fields)."""
    from radsbot.data.fields import guard

    factory = sessionmaker(engine, expire_on_commit=False)
    guard(factory)
    return factory


class DatabaseUnavailable(DomainError):
    """The database cannot be reached, opened or used; the message says what to check."""


class MigrationRefused(DatabaseUnavailable):
    """A migration that would lose or refuse stored data stopped before changing anything (Norwegian)."""


def open_database(url: str, *, ready: bool = True) -> Engine:
    """An engine on the database (migrated and seeded when `ready`), connected once.

    Raises:
        DatabaseUnavailable: the database cannot be reached or opened, saying why.
    """
    engine = None
    try:
        try:
            engine = make_engine(url)
        except ImportError as error:  # create_engine loads the URL's driver
            raise DatabaseUnavailable(
                msg(
                    "DATABASE_URL ({where}) needs a database driver that is not installed ({driver}). "
                    "Rådsbot uses PostgreSQL (postgresql+psycopg://…) or SQLite.",
                    where=describe_url(url),
                    driver=error.name,
                )
            ) from error
        if ready:
            ensure_ready(engine)
        else:
            current_revision(engine)
        return engine
    except Exception as error:
        if engine is not None:
            engine.dispose()
        problem = database_problem(error, url, opening=True)
        if problem is None:
            raise
        raise problem from error


# Failures of the database itself (not of a statement): connecting, logging in, opening the file.
UNAVAILABLE = (
    exc.OperationalError,
    exc.InterfaceError,
    exc.ArgumentError,
    exc.NoSuchModuleError,
    sqlite3.Error,
)


def database_problem(error: BaseException, url: str, *, opening: bool = False) -> DatabaseUnavailable | None:
    """The explanation of a failure to reach, open or log in to the database, else None.

    While `opening` it, an OSError is the database's too (an SQLite folder that cannot be made).
    """
    if isinstance(error, DatabaseUnavailable):
        return error
    if not isinstance(error, UNAVAILABLE) and not (opening and isinstance(error, OSError)):
        return None
    where = describe_url(url)
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0][:300] if str(error) else ""
    if isinstance(error, exc.ArgumentError | exc.NoSuchModuleError):
        message = msg(
            "DATABASE_URL ({where}) is not a database Rådsbot can use. Check the address: "
            "postgresql+psycopg://user:password@host:5432/database, or remove DATABASE_URL for the "
            "embedded SQLite database.",
            where=where,
        )
    elif url.startswith("sqlite"):
        message = _sqlite_problem(make_url(url).database or "", reason.lower())
    else:
        message = _server_problem(make_url(url), where, reason.lower())
    secret = _password(url)
    detail = reason.replace(secret, "***") if secret else reason
    if not detail:
        return DatabaseUnavailable(message)
    return DatabaseUnavailable(join(message, msg("(The database's error: {detail})", detail=detail)))


def _sqlite_problem(path: str, reason: str) -> Message:
    if "locked" in reason:
        return msg(
            "The SQLite database {path} is locked by another process. Check what is using it; try again.",
            path=path,
        )
    if "not a database" in reason or "malformed" in reason:
        return msg(
            "The file {path} is not an SQLite database, or it is damaged. Check DATABASE_URL.", path=path
        )
    return msg(
        "Cannot open the SQLite database {path}. Check that the folder exists (and is a folder), that "
        "there is room on the disk, and that you may read and write there.",
        path=path,
    )


def _server_problem(url, where: str, reason: str) -> Message:
    if "does not exist" in reason and "database" in reason:
        return msg(
            "The database «{name}» does not exist on the server ({where}). Create it (for example "
            "«createdb {name}»), or correct the name in DATABASE_URL.",
            name=url.database,
            where=where,
        )
    if "authentication" in reason or "password" in reason or "role" in reason:
        return msg(
            "The database server refused the login ({where}). Check the user name and password in "
            "DATABASE_URL.",
            where=where,
        )
    if any(word in reason for word in ("connect", "refused", "timeout", "timed out", "host", "resolve")):
        return msg(
            "Cannot reach the database server ({where}). Check that it is running, and that host and "
            "port in DATABASE_URL are right.",
            where=where,
        )
    return msg(
        "The database ({where}) cannot be used now. Check that it is running, and that DATABASE_URL is "
        "right.",
        where=where,
    )


def _password(url: str) -> str:
    try:
        return make_url(url).password or ""
    except exc.ArgumentError:
        return ""


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

    _migrate(engine, lambda config: command.upgrade(config, revision))


def downgrade(engine: Engine, revision: str) -> None:
    """Run the Alembic migrations down to `revision` on this engine."""
    from alembic import command

    _migrate(engine, lambda config: command.downgrade(config, revision))


def _migrate(engine: Engine, run) -> None:
    """Run Alembic in one transaction: all of it or, on any error, nothing.

    On SQLite foreign keys are off meanwhile: a migration that rebuilds a table other tables
    refer to (batch mode) must drop it, which SQLite refuses while they are enforced; every
    reference is checked before the transaction commits.
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # only outside a transaction does SQLite obey this
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                if sqlite:  # the driver begins only before data changes; schema changes must roll back too
                    conn.exec_driver_sql("BEGIN")
                config.attributes["connection"] = conn
                run(config)
                if sqlite and (broken := conn.exec_driver_sql("PRAGMA foreign_key_check").all()):
                    rows = ", ".join(f"{table} rad {row} → {parent}" for table, row, parent, _ in broken[:5])
                    raise MigrationRefused(f"Migreringen ville brutt referanser mellom tabeller ({rows}).")
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def is_seeded(session: Session) -> bool:
    """Whether the seed's goals and indicators have been loaded."""
    from radsbot.data.models import Goal

    return session.execute(select(Goal.id).limit(1)).first() is not None


def ensure_ready(engine: Engine, *, seed: bool = True) -> bool:
    """Migrate to head and load the seed dataset into a database without indicators.

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
            from radsbot.data.seed import load_seed

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
    path = Path(f"{Path(database).expanduser()}.lock")
    private_file(path)
    lock = sqlite3.connect(path, timeout=600, isolation_level=None)
    try:
        lock.execute("BEGIN EXCLUSIVE")  # waits while another process sets the database up
        yield
    finally:
        if lock.in_transaction:
            lock.execute("ROLLBACK")
        lock.close()


def describe_url(url: str) -> str:
    """The database URL with any password masked, for `radsbot info` (also when it is malformed)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except exc.ArgumentError:
        return re.sub(r"(?<=:)[^:/@]*(?=@)|(?<=:).*", "***", url, count=1) if ":" in url else url


def rowcount(result: Result) -> int:
    """How many rows an UPDATE or DELETE matched (its result is a CursorResult)."""
    if not isinstance(result, CursorResult):
        raise TypeError(f"{type(result).__name__} has no row count: not an UPDATE or DELETE")
    return result.rowcount
