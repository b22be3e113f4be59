"""Interactivity: the "Vis graf" button and every other Button of a reply, routed to the engine."""

from __future__ import annotations

import re

from radsbot.bot.slack.blocks import action_name
from radsbot.bot.slack.delivery import EngineCall, Origin, Responder
from radsbot.bot.slack.events import acknowledge
from slack_bolt import App
from slack_sdk import WebClient


def register(app: App, responder: Responder) -> None:
    """Add one listener for every button: show_chart ("Vis graf") and any other action."""

    def run_action(body: dict, action: dict, client: WebClient) -> None:
        name = action_name(action.get("action_id", ""))
        value = action.get("value", "")
        origin = where(body, kind="action", question=f"{name} {value}".strip())
        responder.handle(client, origin, EngineCall("action", (name, value, origin.user)))

    # The chart lands next to the card: in the card's thread, or the channel when the card was
    # ephemeral, or the user's DM when the button sat on the App Home tab.
    app.block_action(re.compile(r".+"))(ack=acknowledge, lazy=[run_action])


def where(body: dict, kind: str, question: str) -> Origin:
    """The channel and thread of the message holding the clicked button."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id", "")
    if container.get("is_ephemeral"):
        thread_ts = container.get("thread_ts")  # an ephemeral message cannot hold a thread
    else:
        thread_ts = message.get("thread_ts") or message.get("ts") or container.get("message_ts")
    return Origin(
        kind=kind,
        user=(body.get("user") or {}).get("id", ""),
        channel=channel,
        thread_ts=thread_ts,
        response_url=body.get("response_url", ""),
        request_id=body.get("trigger_id", ""),
        question=question,
    )
