"""What a handler gets: the session, today's date, the language, the catalogue and the asker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from radsbot.bot import texts
from radsbot.bot.catalogue import Catalogue
from radsbot.data.db import Session


@dataclass(frozen=True)
class Request:
    """One question being answered, inside one database transaction."""

    session: Session
    today: dt.date
    lang: str
    catalogue: Catalogue
    user: str = ""
    admins: tuple[str, ...] = ()
    timezone: str = "Europe/Oslo"

    @property
    def tz(self) -> ZoneInfo:
        """The time zone the councils' calendar is kept in."""
        return ZoneInfo(self.timezone)

    def now(self) -> dt.datetime:
        """The current time in the calendar's time zone."""
        return dt.datetime.now(self.tz)

    def t(self, key: str, **fields: object) -> str:
        """A text in the reader's language."""
        return texts.text(self.lang, key, **fields)
