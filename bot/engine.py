"""The chat core: text in, Reply out; the same for every transport (console, Slack, later Teams)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from radsbot.bot import intents
from radsbot.bot.bootstrap import Context
from radsbot.bot.handlers import cases, councils, digests, documents, goals, help, indicators, meetings, names
from radsbot.bot.handlers.request import Request
from radsbot.bot.markup import clean
from radsbot.bot.names import Names, load_names
from radsbot.bot.replies import Reply
from radsbot.data.access import USER_ID_LENGTH
from radsbot.data.db import transaction
from radsbot.data.words import words

log = logging.getLogger(__name__)

Handler = Callable[[Request, intents.Intent], Reply]

# Which handler answers each intent.
ROUTES: dict[type, Handler] = {
    intents.Help: lambda r, i: help.help_reply(r),
    intents.Thanks: lambda r, i: help.thanks_reply(r),
    intents.Unclear: lambda r, i: help.unclear_reply(r, i.text),
    intents.Overview: lambda r, i: goals.overview_reply(r),
    intents.IndicatorStatus: lambda r, i: indicators.indicator_reply(r, i.code, i.aspect, i.alternatives),
    intents.GoalStatus: lambda r, i: goals.goal_reply(r, i.code, i.section),
    intents.Chart: lambda r, i: (
        goals.goal_chart_reply(r, i.code)
        if i.kind == "goal"
        else indicators.chart_reply(r, i.code, i.alternatives)
    ),
    intents.NextMeeting: lambda r, i: meetings.next_meeting_reply(r, i.council),
    intents.Meetings: lambda r, i: meetings.meetings_reply(r, i.council, i.year),
    intents.MeetingByNumber: lambda r, i: (
        cases.meeting_or_case_reply(r, i.number, i.council)
        if i.or_case
        else meetings.meeting_by_number_reply(r, i.number, i.council)
    ),
    intents.Case: lambda r, i: cases.case_reply(r, i.number, i.council),
    intents.CasesAtNextMeeting: lambda r, i: cases.cases_at_next_meeting_reply(r, i.council),
    intents.Digest: lambda r, i: (
        digests.next_digest_reply(r, i.council) if i.next else digests.digest_reply(r, i.council)
    ),
    intents.Toppnotat: lambda r, i: documents.toppnotat_reply(r, i.number, i.council),
    intents.CouncilSettings: lambda r, i: councils.council_reply(r, i.command),
    intents.Innkalling: lambda r, i: documents.innkalling_reply(r, i.meeting, i.council),
    intents.Ambiguous: lambda r, i: names.ambiguous_reply(r, i.query, i.candidates, i.wanted),
    intents.NotFound: lambda r, i: names.not_found_reply(r, i.query, i.suggestions, i.wanted),
}

# Button actions (Reply buttons) and what they answer.
ACTIONS: dict[str, Callable[[Request, str], Reply]] = {
    "show_chart": lambda r, v: indicators.chart_reply(r, v),
    "show_goal_chart": lambda r, v: goals.goal_chart_reply(r, v),
    "show_indicator": lambda r, v: indicators.indicator_reply(r, v),
    "show_goal": lambda r, v: goals.goal_reply(r, v),
    "publish_digest": lambda r, v: digests.approve_reply(r, v),
    "cancel_digest": lambda r, v: digests.cancel_reply(r, v),
}


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
        return self._run(
            lambda req: ROUTES[type(intent)](req, intent), user, f"answer {type(intent).__name__}"
        )

    def action(self, action: str, value: str, user: str = "") -> Reply:
        """Answer a button click, e.g. ("show_chart", "PLL") → a Reply with the chart PNG."""
        handler = ACTIONS.get(action)
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
