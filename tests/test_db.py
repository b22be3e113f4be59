"""Schema and first use: migrations reach head on an empty database and match the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from radsbot.data.db import MIGRATIONS_DIR, current_revision, ensure_ready, make_engine, session_factory
from radsbot.data.migrations import HEAD_REVISION
from radsbot.data.models import Base, Goal, ImportBatch, Indicator, Measurement
from sqlalchemy import func, inspect, select


def test_head_constant_matches_alembic():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


@pytest.mark.slow
def test_empty_database_is_migrated_to_head_and_seeded(databases):
    engine = make_engine(databases.fresh(seeded=False))
    try:
        assert current_revision(engine) is None
        assert ensure_ready(engine) is True
        assert current_revision(engine) == HEAD_REVISION
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
        with session_factory(engine)() as s:
            assert s.scalar(select(func.count(Goal.id))) == 8
            assert s.scalar(select(func.count(Indicator.id))) > 30
            assert s.scalar(select(ImportBatch.kind)) == "seed"
        assert ensure_ready(engine) is False  # the second start does nothing
    finally:
        engine.dispose()


@pytest.mark.slow
def test_migrations_match_the_models(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


@pytest.mark.slow
def test_schema_only_when_seeding_is_off(databases):
    engine = make_engine(databases.fresh(seeded=False))
    try:
        ensure_ready(engine, seed=False)
        with session_factory(engine)() as s:
            assert s.scalar(select(func.count(Measurement.id))) == 0
    finally:
        engine.dispose()


def _first_start(url: str, barrier, results) -> None:
    """A process's first start on the database (`radsbot serve` and `radsbot schedule` together)."""
    engine = make_engine(url)
    barrier.wait()
    try:
        ensure_ready(engine)
        results.put("ok")
    except Exception as exc:  # the test reports what went wrong
        results.put(f"{type(exc).__name__}: {exc}"[:300])
    finally:
        engine.dispose()


@pytest.mark.slow
def test_two_processes_starting_on_a_new_database_set_it_up_once(databases):
    """The Procfile starts the web and the worker process together on a new (SQLite) database:
    neither may fail, and the seed is loaded once."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    for _ in range(2):
        url = databases.fresh(seeded=False)
        barrier, results = context.Barrier(3), context.Queue()
        processes = [context.Process(target=_first_start, args=(url, barrier, results)) for _ in range(3)]
        for p in processes:
            p.start()
        outcomes = [results.get(timeout=120) for _ in processes]
        for p in processes:
            p.join(timeout=60)
        assert outcomes == ["ok"] * 3
        engine = make_engine(url)
        try:
            with session_factory(engine)() as s:
                assert s.scalar(select(func.count(ImportBatch.id))) == 1
                assert s.scalar(select(func.count(Goal.id))) == 8
        finally:
            engine.dispose()


def _mode(path) -> int:
    import stat

    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.slow
def test_a_new_sqlite_database_is_private_to_its_owner(tmp_path):
    """The database, its WAL and shared-memory files and the setup lock are 0600, a new folder 0700,
    whatever the umask lets other files be; a folder the user chose keeps its own mode."""
    import os

    chosen = tmp_path / "valgt"
    chosen.mkdir(mode=0o755)
    chosen.chmod(0o755)
    old = os.umask(0o022)
    try:
        for folder in (tmp_path / "ny" / "mappe", chosen):
            database = folder / "radsbot.sqlite3"
            engine = make_engine(f"sqlite:///{database}")
            try:
                ensure_ready(engine)
                with engine.connect() as conn:  # the WAL and shm files exist while a connection is open
                    conn.exec_driver_sql("SELECT 1")
                    made = [database, *(folder / f"radsbot.sqlite3{s}" for s in ("-wal", "-shm", ".lock"))]
                    assert {p.name: _mode(p) for p in made} == {p.name: 0o600 for p in made}
            finally:
                engine.dispose()
        assert _mode(tmp_path / "ny" / "mappe") == 0o700
        assert _mode(chosen) == 0o755
    finally:
        os.umask(old)
