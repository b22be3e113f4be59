"""Alembic environment: runs on the connection handed over by data.db.upgrade, or on a URL."""

from alembic import context
from radsbot.data.models import Base
from sqlalchemy import create_engine

config = context.config
target_metadata = Base.metadata


def run() -> None:
    """Run migrations online, on a given connection when there is one."""
    connection = config.attributes.get("connection")
    if connection is None:
        url = config.get_main_option("sqlalchemy.url")
        if url is None:
            raise RuntimeError("alembic: neither a connection nor sqlalchemy.url was given")
        engine = create_engine(url)
        with engine.begin() as conn:
            _migrate(conn)
        return
    _migrate(connection)


def _migrate(connection) -> None:
    # Batch mode lets later migrations alter tables on SQLite.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
