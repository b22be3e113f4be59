"""Which handler answers each intent and each button: a typed table that mypy checks.

`@route(intents.Chart)` registers a function taking `(Request, intents.Chart)`; registering a
function for the wrong intent type is a type error, and an intent type has exactly one handler.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from radsbot.bot import intents
from radsbot.bot.handlers import (
    cases,
    councils,
    digests,
    documents,
    goals,
    help,
    history,
    indicators,
    meetings,
    names,
)
from radsbot.bot.handlers.request import Request
from radsbot.bot.replies import Reply

I = TypeVar("I", bound=intents.Intent)  # noqa: E741 - the usual one-letter name of a type variable

# Filled by @route below; the value type is erased to Any only inside the table: route() ties each
# handler to its own intent type, and answer() looks handlers up by the intent's exact type.
_ROUTES: dict[type[intents.Intent], Callable[[Request, Any], Reply]] = {}

# Button actions (Reply buttons): the handler takes the button's value.
ActionHandler = Callable[[Request, str], Reply]
ACTIONS: dict[str, ActionHandler] = {
    "show_chart": indicators.chart_reply,
    "show_goal_chart": goals.goal_chart_reply,
    "show_indicator": indicators.indicator_reply,
    "show_goal": goals.goal_reply,
    "publish_digest": digests.approve_reply,
    "cancel_digest": digests.cancel_reply,
}


def route(kind: type[I]) -> Callable[[Callable[[Request, I], Reply]], Callable[[Request, I], Reply]]:
    """Register the decorated function as the handler of intent type `kind`."""

    def register(handler: Callable[[Request, I], Reply]) -> Callable[[Request, I], Reply]:
        if kind in _ROUTES:
            raise ValueError(f"{kind.__name__} already has a handler")
        _ROUTES[kind] = handler
        return handler

    return register


def answer(request: Request, intent: intents.Intent) -> Reply:
    """The reply of the handler registered for the intent's type (KeyError if there is none)."""
    return _ROUTES[type(intent)](request, intent)


def routed() -> frozenset[type[intents.Intent]]:
    """The intent types that have a handler."""
    return frozenset(_ROUTES)


@route(intents.Help)
def _help(r: Request, i: intents.Help) -> Reply:
    return help.help_reply(r)


@route(intents.Thanks)
def _thanks(r: Request, i: intents.Thanks) -> Reply:
    return help.thanks_reply(r)


@route(intents.Unclear)
def _unclear(r: Request, i: intents.Unclear) -> Reply:
    return help.unclear_reply(r, i.text)


@route(intents.Overview)
def _overview(r: Request, i: intents.Overview) -> Reply:
    return goals.overview_reply(r)


@route(intents.IndicatorStatus)
def _indicator(r: Request, i: intents.IndicatorStatus) -> Reply:
    return indicators.indicator_reply(r, i.code, i.aspect, i.alternatives)


@route(intents.ValueAt)
def _value_at(r: Request, i: intents.ValueAt) -> Reply:
    return history.value_at_reply(r, i.code, i.period, i.alternatives)


@route(intents.History)
def _history(r: Request, i: intents.History) -> Reply:
    return history.history_reply(r, i.code, i.period, i.alternatives)


@route(intents.GoalStatus)
def _goal(r: Request, i: intents.GoalStatus) -> Reply:
    return goals.goal_reply(r, i.code, i.section)


@route(intents.Chart)
def _chart(r: Request, i: intents.Chart) -> Reply:
    if i.kind == "goal":
        return goals.goal_chart_reply(r, i.code)
    return indicators.chart_reply(r, i.code, i.alternatives)


@route(intents.NextMeeting)
def _next_meeting(r: Request, i: intents.NextMeeting) -> Reply:
    return meetings.next_meeting_reply(r, i.council)


@route(intents.Meetings)
def _meetings(r: Request, i: intents.Meetings) -> Reply:
    return meetings.meetings_reply(r, i.council, i.year)


@route(intents.MeetingByNumber)
def _meeting_by_number(r: Request, i: intents.MeetingByNumber) -> Reply:
    if i.or_case:
        return cases.meeting_or_case_reply(r, i.number, i.council)
    return meetings.meeting_by_number_reply(r, i.number, i.council)


@route(intents.Case)
def _case(r: Request, i: intents.Case) -> Reply:
    return cases.case_reply(r, i.number, i.council)


@route(intents.CasesAtNextMeeting)
def _cases_at_next_meeting(r: Request, i: intents.CasesAtNextMeeting) -> Reply:
    return cases.cases_at_next_meeting_reply(r, i.council)


@route(intents.Digest)
def _digest(r: Request, i: intents.Digest) -> Reply:
    if i.next:
        return digests.next_digest_reply(r, i.council)
    return digests.digest_reply(r, i.council)


@route(intents.Toppnotat)
def _toppnotat(r: Request, i: intents.Toppnotat) -> Reply:
    return documents.toppnotat_reply(r, i.number, i.council)


@route(intents.CouncilSettings)
def _council_settings(r: Request, i: intents.CouncilSettings) -> Reply:
    return councils.council_reply(r, i.command)


@route(intents.Innkalling)
def _innkalling(r: Request, i: intents.Innkalling) -> Reply:
    return documents.innkalling_reply(r, i.meeting, i.council)


@route(intents.Ambiguous)
def _ambiguous(r: Request, i: intents.Ambiguous) -> Reply:
    return names.ambiguous_reply(r, i.query, i.candidates, i.wanted)


@route(intents.NotFound)
def _not_found(r: Request, i: intents.NotFound) -> Reply:
    return names.not_found_reply(r, i.query, i.suggestions, i.wanted)
