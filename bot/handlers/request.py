"""What a handler gets: the session, today's date, the language, the names and the asker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

from radsbot.bot.names import Names
from radsbot.data.db import Session
from radsbot.data.words import Message, Words, words


@dataclass(frozen=True)
class Request:
    """One question being answered, inside one database transaction."""

    session: Session
    today: dt.date
    lang: str
    names: Names
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

    @cached_property
    def words(self) -> Words:
        """The message catalogue in the reader's language."""
        return words(self.lang)

    def _(self, msgid: str, /, **fields: object) -> str:
        """A message in the reader's language, its fields filled in."""
        return self.words._(msgid, **fields)

    def ngettext(self, singular: str, plural: str, n: int, /, **fields: object) -> str:
        """The singular or plural form for `n`, in the reader's language."""
        return self.words.ngettext(singular, plural, n, **fields)

    def pgettext(self, context: str, msgid: str, /, **fields: object) -> str:
        """A message with a context (a short label), in the reader's language."""
        return self.words.pgettext(context, msgid, **fields)

    def text(self, message: Message | str) -> str:
        """A deferred message (a domain error's) in the reader's language."""
        return self.words.text(message)
