"""The chat core: text in, Reply out; the same for every transport (console, Slack, later Teams)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from functools import partial

from radsbot.bot import intents, routes
from radsbot.bot.bootstrap import Context
from radsbot.bot.handlers import goals
from radsbot.bot.handlers.request import Request
from radsbot.bot.markup import clean
from radsbot.bot.names import Names, load_names
from radsbot.bot.replies import Reply
from radsbot.data.access import USER_ID_LENGTH
from radsbot.data.db import transaction
from radsbot.data.words import words

log = logging.getLogger(__name__)


class Engine:
    """The chat core: text in, Reply out; the same for every transport."""

    def __init__(self, context: Context, today: Callable[[], dt.date] | None = None):
        self.context = context
        self._today = today or context.today
        self._names: Names | None = None
        self._lock = threading.Lock()

    @property
    def names(self) -> Names:
        """The names of indicators, goals and councils, read once from the database."""
        if self._names is None:
            with self._lock:
                if self._names is None:
                    with self.context.sessions() as session:
                        names = load_names(session)
                    names.index  # noqa: B018 - build the matching index once, not per question
                    self._names = names
        return self._names

    def refresh(self) -> None:
        """Forget the names, so that the next question reads indicator names again."""
        self._names = None

    def parse(self, text: str) -> intents.Intent:
        """What a message asks for (exposed for diagnostics and tests)."""
        return intents.parse(text, self.names)

    def answer(self, text: str, user: str = "") -> Reply:
        """Answer a chat message from `user` (a chat user id; roles come from data.access)."""
        try:
            intent = self.parse(text)
        except Exception:
            log.exception("Could not parse %r", text[:200])
            return self._error()
        return self._run(partial(routes.answer, intent=intent), user, f"answer {type(intent).__name__}")

    def action(self, action: str, value: str, user: str = "") -> Reply:
        """Answer a button click, e.g. ("show_chart", "PLL") → a Reply with the chart PNG."""
        handler = routes.ACTIONS.get(action)
        if handler is None:
            w = words(self.context.lang)
            message = w._("Unknown action “{action}”. Try asking again.", action=action)
            return Reply(title=w._("Something went wrong"), summary=message, kind="error", ephemeral=True)
        # Values come back from the chat client: never trust them to be clean (PostgreSQL refuses NUL).
        value = clean(value)[:200]
        return self._run(lambda req: handler(req, value), user, f"action {action}")

    def home(self, user: str = "") -> Reply:
        """The App Home: the overview of all goals."""
        return self._run(goals.overview_reply, user, "home")

    def today(self) -> dt.date:
        """The reference day for verdicts and "neste møte"."""
        return self._today()

    def _run(self, handler: Callable[[Request], Reply], user: str, what: str) -> Reply:
        """Run a handler in one transaction; any failure becomes a polite error reply."""
        user = clean(user)[:USER_ID_LENGTH]  # a chat user id; stored in the audit log when refused
        try:
            names = self.names
            with transaction(self.context.sessions) as session:
                request = Request(
                    session=session,
                    today=self.today(),
                    lang=self.context.lang,
                    names=names,
                    user=user,
                    admins=self.context.settings.admins,
                    timezone=self.context.settings.timezone,
                )
                return handler(request)
        except Exception:
            log.exception("Failed to %s for user %r", what, user)
            return self._error()

    def _error(self) -> Reply:
        w = words(self.context.lang)
        summary = w._(
            "Sorry, something went wrong while answering. Try again shortly, or contact the secretariat."
        )
        return Reply(title=w._("Something went wrong"), summary=summary, kind="error", ephemeral=True)
