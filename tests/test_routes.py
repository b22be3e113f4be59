"""The chat routing table: every intent type has exactly one handler."""

from __future__ import annotations

import pytest
from radsbot.bot import intents, routes
from radsbot.bot.handlers.request import Request
from radsbot.bot.replies import Reply


def test_every_intent_type_has_a_handler():
    assert routes.routed() == frozenset(intents.Intent.__subclasses__())


def test_a_second_handler_for_an_intent_type_is_refused():
    def again(r: Request, i: intents.Help) -> Reply:
        raise AssertionError("never registered, never called")

    with pytest.raises(ValueError, match="Help already has a handler"):
        routes.route(intents.Help)(again)
    assert routes._ROUTES[intents.Help] is not again
