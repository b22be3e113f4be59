"""The composition root: settings, database engine and sessions, the chat transports' clients
and publishers — each built once per process, on first use, and nowhere else.

`Context.slack_client` is the one place a Slack WebClient is made (from SLACK_BOT_TOKEN,
SLACK_API_URL and RADSBOT_SLACK_TIMEOUT); `Context.publishers` holds a Publisher
(bot/publisher.py) for each transport that is configured, which the scheduler and
`digest --post` post through. A new transport adds its own here.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from radsbot.bot.publisher import Publisher
from radsbot.bot.settings import Settings, load_settings
from radsbot.data.db import Engine, SessionFactory, open_database, session_factory

if TYPE_CHECKING:
    from slack_sdk import WebClient

log = logging.getLogger(__name__)

# One log line format for every process (web, answering workers), naming the process.
LOG_FORMAT = "%(asctime)s %(levelname)s %(processName)s %(name)s: %(message)s"


@dataclass
class Context:
    """What every entry point needs; the engine is made, migrated and seeded on first use."""

    settings: Settings

    def __post_init__(self) -> None:
        from radsbot.reports import chart_cache

        # Every process that may draw a chart keeps it where the others find it.
        try:
            chart_cache.configure(self.settings.chart_directory, self.settings.chart_workers)
        except OSError as exc:  # an unusable folder costs speed, not answers
            log.warning("Charts are kept in memory only: %s", exc)
            chart_cache.configure(None, self.settings.chart_workers)

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

    @cached_property
    def slack_client(self) -> WebClient:
        """The Slack Web API client: the bot token, SLACK_API_URL, the timeout and safe retries."""
        from radsbot.bot.slack.client import make_client

        return make_client(self.settings)

    @cached_property
    def publishers(self) -> dict[str, Publisher]:
        """A Publisher per configured transport, by name ("slack"): where digests can be posted."""
        found: dict[str, Publisher] = {}
        if self.settings.slack_bot_token:
            from radsbot.bot.slack.publisher import SlackPublisher

            found["slack"] = SlackPublisher(
                self.slack_client, lang=self.lang, spacing=self.settings.post_interval
            )
        return found

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
