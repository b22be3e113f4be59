"""The composition root: settings, database engine and sessions, built once per process."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

from radsbot.bot.settings import Settings, load_settings
from radsbot.data.db import Engine, SessionFactory, open_database, session_factory


@dataclass
class Context:
    """What every entry point needs; the engine is made, migrated and seeded on first use."""

    settings: Settings

    @cached_property
    def database(self) -> Engine:
        """The database engine, with the schema migrated and the seed loaded if it was empty.

        Raises:
            DatabaseUnavailable: the database cannot be reached or opened (a Norwegian message).
        """
        return open_database(self.settings.database_url)

    @cached_property
    def sessions(self) -> SessionFactory:
        """Session factory bound to the engine."""
        return session_factory(self.database)

    @property
    def lang(self) -> str:
        """The language users read: "nb" or "en"."""
        return self.settings.language

    def today(self) -> dt.date:
        """Today in the configured time zone (Europe/Oslo by default)."""
        return dt.datetime.now(ZoneInfo(self.settings.timezone)).date()

    def local_time(self, moment: dt.datetime) -> dt.datetime:
        """A stored time in the configured time zone (stored in UTC; SQLite keeps no offset)."""
        aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        return aware.astimezone(ZoneInfo(self.settings.timezone))

    def close(self) -> None:
        """Release database connections."""
        if "database" in self.__dict__:
            self.database.dispose()


def bootstrap(settings: Settings | None = None) -> Context:
    """Build the context from the environment (or the given settings)."""
    return Context(settings or load_settings())
