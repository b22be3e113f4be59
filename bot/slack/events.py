"""Events API listeners: mentions in channels, direct messages and the App Home tab."""

from __future__ import annotations

import logging
import re

from radsbot.bot.slack.delivery import EngineCall, Origin, Responder
from radsbot.bot.slack.mrkdwn import unescape
from slack_bolt import Ack, App
from slack_sdk import WebClient

log = logging.getLogger(__name__)

_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")


def register(app: App, responder: Responder) -> None:
    """Add the event listeners; each acknowledges at once and answers in the work pool."""

    def answer(kind: str, body: dict, event: dict, client: WebClient, bot_user_id: str | None) -> None:
        text = strip_mention(event.get("text", ""), bot_user_id)
        origin = Origin(
            kind=kind,
            user=event.get("user", ""),
            channel=event["channel"],
            # A mention is answered in its thread; a DM only when it was written in a thread.
            thread_ts=event.get("thread_ts") or (event["ts"] if kind == "mention" else None),
            event_id=body.get("event_id", ""),
            question=unescape(text),
            files=tuple(f.get("name") or f.get("title") or "" for f in event.get("files") or ()),
        )
        responder.handle(client, origin, EngineCall("answer", (text, origin.user)))

    def answer_mention(body: dict, event: dict, client: WebClient, context) -> None:
        answer("mention", body, event, client, context.bot_user_id)

    def answer_direct_message(body: dict, event: dict, client: WebClient, context) -> None:
        answer("dm", body, event, client, context.bot_user_id)

    def publish_home(body: dict, event: dict, client: WebClient) -> None:
        origin = Origin(
            kind="home", user=event["user"], event_id=body.get("event_id", ""), question="App Home"
        )
        responder.handle(client, origin, EngineCall("home", (origin.user,)))

    # A DM that mentions the bot would come twice (app_mention and message.im): answer the DM.
    app.event("app_mention", matchers=[in_channel])(ack=acknowledge, lazy=[answer_mention])
    app.event("app_mention")(ignore)
    app.event("message", matchers=[from_person_in_dm])(ack=acknowledge, lazy=[answer_direct_message])
    app.event("message")(ignore)  # edits, deletions, bots and channel chatter: nothing to answer
    app.event("app_home_opened", matchers=[home_tab])(ack=acknowledge, lazy=[publish_home])
    app.event("app_home_opened")(ignore)  # the Messages tab
    # Last: any other type (a subscription added in Slack, a new event): acknowledged, or Slack
    # would retry the 404 Bolt answers when no listener matches.
    app.event(re.compile(r".*"))(ignore_unknown)


def strip_mention(text: str, bot_user_id: str | None) -> str:
    """The message without the bot's own <@BOTID> mention."""
    if bot_user_id:
        text = _MENTION.sub(lambda m: "" if m.group(1) == bot_user_id else m.group(0), text)
    return " ".join(text.split())


def acknowledge(ack: Ack) -> None:
    """Only the acknowledgement: the answer follows in a lazy listener."""
    ack()


def ignore(ack: Ack) -> None:
    """Acknowledge an event that needs no answer, so Slack does not retry it."""
    ack()


def ignore_unknown(ack: Ack, event: dict) -> None:
    """Acknowledge an event type the app does not listen to, with one log line."""
    log.info("Ignored a Slack event of type %r (no listener for it)", str(event.get("type"))[:60])
    ack()


def in_channel(event: dict) -> bool:
    """A mention outside direct messages (DM channel ids start with D)."""
    return not str(event.get("channel", "")).startswith("D")


def from_person_in_dm(event: dict) -> bool:
    """A new message from a person in a direct message with the bot (with or without files)."""
    return (
        event.get("channel_type") == "im"
        and event.get("subtype") in (None, "", "file_share")
        and not event.get("bot_id")
        and bool(event.get("user"))
    )


def home_tab(event: dict) -> bool:
    """The Home tab was opened (not the Messages tab)."""
    return event.get("tab", "home") == "home"
