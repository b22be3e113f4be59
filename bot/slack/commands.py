"""The slash command `/radsbot TEXT`: acknowledged at once, answered in the channel it came from."""

from __future__ import annotations

import re

from radsbot.bot.slack.delivery import EngineCall, Origin, Responder
from radsbot.bot.slack.events import acknowledge
from radsbot.bot.slack.mrkdwn import unescape
from slack_bolt import App
from slack_sdk import WebClient


def register(app: App, responder: Responder) -> None:
    """Add the listener for the app's slash command (named /radsbot in the manifest)."""

    def answer_command(command: dict, client: WebClient) -> None:
        text = " ".join(command.get("text", "").split())
        origin = Origin(
            kind="command",
            user=command.get("user_id", ""),
            channel=command.get("channel_id", ""),
            response_url=command.get("response_url", ""),
            request_id=command.get("trigger_id", ""),
            question=unescape(f"{command.get('command', '/radsbot')} {text}".strip()),
        )
        responder.handle(client, origin, EngineCall("answer", (text, origin.user)))

    # Any command name, so that a test workspace may call it /radsbot-test.
    app.command(re.compile(r"^/.+"))(ack=acknowledge, lazy=[answer_command])
