"""Shared fixtures: a fresh, migrated and seeded database per test, on SQLite or PostgreSQL.

Set RADSBOT_TEST_DATABASE_URL to a PostgreSQL URL to run the whole suite on PostgreSQL; each
test then gets its own database copied from a seeded template database.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from radsbot.data.db import ensure_ready, make_engine, session_factory
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

PG_ENV = "RADSBOT_TEST_DATABASE_URL"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _pg_url() -> str | None:
    url = os.environ.get(PG_ENV, "")
    return url if url.startswith("postgresql") else None


def postgres_admin_url() -> str | None:
    """A reachable PostgreSQL server for tests marked `postgres`, or None (fails under CI)."""
    url = _pg_url() or os.environ.get("RADSBOT_TEST_POSTGRES_URL", PG_DEFAULT)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return url
    except Exception as exc:
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"PostgreSQL is required in CI but unreachable at {url}: {exc}") from exc
        return None
    finally:
        engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def chart_cache_folder(tmp_path_factory) -> Iterator[Path]:
    """Charts are kept in this test session's own folder, never in the user's cache directory."""
    folder = tmp_path_factory.mktemp("charts")
    before = os.environ.get("RADSBOT_CHART_CACHE")
    os.environ["RADSBOT_CHART_CACHE"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("RADSBOT_CHART_CACHE", None)
    else:
        os.environ["RADSBOT_CHART_CACHE"] = before


class DatabaseFactory:
    """Hands out fresh seeded databases by copying one template made per test session."""

    def __init__(self, workdir: Path, pg_url: str | None):
        self.workdir = workdir
        self.pg_url = pg_url
        self.template: str | None = None
        self.created: list[str] = []
        # DROP DATABASE waits for every backend of the server (seconds each on a busy one): a test's
        # database is dropped in the background while the next tests run, several at a time.
        self._dropper = ThreadPoolExecutor(8, thread_name_prefix="drop-db") if pg_url else None
        self._drops: list = []

    def template_url(self) -> str:
        """The migrated and seeded template, made on first use."""
        if self.template is None:
            if self.pg_url:
                name = f"radsbot_tpl_{uuid.uuid4().hex[:8]}"
                self._pg_admin(f'CREATE DATABASE "{name}"')
                self.created.append(name)
                self.template = self._pg_db_url(name)
            else:
                self.template = f"sqlite:///{self.workdir / 'template.sqlite3'}"
            engine = make_engine(self.template)
            ensure_ready(engine)
            engine.dispose()
        return self.template

    def fresh(self, *, seeded: bool = True) -> str:
        """URL of a new database: a copy of the seeded template, or an empty one."""
        if self.pg_url:
            name = f"radsbot_t_{uuid.uuid4().hex[:10]}"
            if seeded:
                template = make_url(self.template_url()).database
                self._pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            else:
                self._pg_admin(f'CREATE DATABASE "{name}"')
            self.created.append(name)
            return self._pg_db_url(name)
        path = self.workdir / f"{uuid.uuid4().hex[:10]}.sqlite3"
        if seeded:
            shutil.copyfile(make_url(self.template_url()).database, path)
        return f"sqlite:///{path}"

    def release(self, url: str) -> None:
        """The test is done with this database: drop it in the background (PostgreSQL only)."""
        name = make_url(url).database
        if self._dropper is None or name not in self.created:
            return
        self.created.remove(name)
        self._drops.append(
            self._dropper.submit(self._pg_admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        )

    def drop_all(self) -> None:
        """Remove every PostgreSQL database this factory created, the template last."""
        template = make_url(self.template).database if self.template and self.pg_url else None
        rest = [n for n in self.created if n != template]
        self._drops += [
            self._dropper.submit(self._pg_admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for name in rest
        ]
        for drop in self._drops:
            drop.result()
        self._dropper.shutdown()
        if template:
            self._pg_admin(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')

    def _pg_db_url(self, name: str) -> str:
        return make_url(self.pg_url).set(database=name).render_as_string(hide_password=False)

    def _pg_admin(self, sql: str) -> None:
        engine = make_engine(self.pg_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(sql))
        finally:
            engine.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory) -> Iterator[DatabaseFactory]:
    """Factory of fresh databases for the backend this run tests (SQLite unless told otherwise)."""
    factory = DatabaseFactory(tmp_path_factory.mktemp("db"), _pg_url())
    yield factory
    if factory.pg_url:
        factory.drop_all()


@pytest.fixture
def db_url(databases: DatabaseFactory) -> Iterator[str]:
    """URL of a fresh, migrated and seeded database for this test."""
    url = databases.fresh()
    yield url
    databases.release(url)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """Engine on this test's fresh database."""
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on this test's fresh seeded database; the test decides when to commit."""
    with session_factory(engine)() as s:
        yield s


@pytest.fixture(scope="session")
def pg_databases(databases: DatabaseFactory, tmp_path_factory) -> Iterator[DatabaseFactory | None]:
    """Factory of PostgreSQL databases (the suite's own when it runs on PostgreSQL)."""
    if databases.pg_url:
        yield databases
        return
    admin = postgres_admin_url()
    if admin is None:
        yield None
        return
    factory = DatabaseFactory(tmp_path_factory.mktemp("pg"), admin)
    yield factory
    factory.drop_all()


@pytest.fixture
def pg_db_url(pg_databases: DatabaseFactory | None) -> Iterator[str]:
    """A fresh seeded PostgreSQL database, also when the suite itself runs on SQLite."""
    if pg_databases is None:
        pytest.skip("PostgreSQL is not reachable (set RADSBOT_TEST_POSTGRES_URL)")
    url = pg_databases.fresh()
    yield url
    pg_databases.release(url)


def pytest_collection_modifyitems(config, items):
    """In the SQLite run, the tests that need a PostgreSQL server beside it are slow too."""
    if _pg_url():
        return
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def cli(db_url: str, capsys):
    """Run `radsbot ARGS…` in-process on this test's database; returns (exit code, stdout, stderr)."""
    from radsbot.bot.bootstrap import Context
    from radsbot.bot.cli import main
    from radsbot.bot.settings import Settings

    def run(*args: str, **settings) -> tuple[int, str, str]:
        capsys.readouterr()
        context = Context(Settings(DATABASE_URL=db_url, **settings))
        code = main(list(args), obj=context)
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


# The day the chat tests answer as of ("neste møte", verdicts): the project's reference date.
CHAT_TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="session")
def catalogue(databases: DatabaseFactory):
    """The chat core's names (bot/names.py) of the seed dataset, loaded once per test session."""
    from radsbot.bot.names import load_names

    eng = make_engine(databases.template_url())
    try:
        with session_factory(eng)() as s:
            return load_names(s)
    finally:
        eng.dispose()


@pytest.fixture
def chat(db_url: str) -> Iterator:
    """The chat core (bot.engine.Engine) on this test's fresh database, answering as of CHAT_TODAY."""
    from radsbot.bot.bootstrap import Context
    from radsbot.bot.engine import Engine
    from radsbot.bot.settings import Settings

    context = Context(Settings(DATABASE_URL=db_url))
    yield Engine(context, today=lambda: CHAT_TODAY)
    context.close()
