"""The slow half of every Slack request: dedupe, ask the engine, post the answer, log the outcome.

Listeners acknowledge Slack first and hand an `Origin` and an `EngineCall` to a responder's
`handle`, which runs in the work pool: `Responder` in this process, or `ProcessResponder`
(bot/slack/processes.py) in worker processes. Whatever goes wrong ends in a polite message, in the
user's language, where the question was asked, never in silence.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from radsbot.bot.bootstrap import Context
from radsbot.bot.replies import Reply, Section
from radsbot.bot.slack.blocks import asked_by, to_home_view
from radsbot.bot.slack.poster import post_reply, respond_reply, trail_for
from radsbot.data.db import transaction
from radsbot.data.events import prune_events, record_event
from radsbot.data.words import words
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

# Slack retries an event for about an hour at most; a day of event ids is plenty.
EVENT_MEMORY = dt.timedelta(days=1)
PRUNE_EVERY = 1000
# Posting to a channel the bot is not in; a response_url still reaches it.
NOT_A_MEMBER = {"not_in_channel", "channel_not_found", "is_archived"}


@dataclass(frozen=True)
class Origin:
    """Where a request came from, and so where its answer goes."""

    kind: str  # mention | dm | command | action | home
    user: str = ""
    channel: str = ""
    thread_ts: str | None = None
    response_url: str = ""  # slash commands and button clicks
    event_id: str = ""  # Events API deliveries, for answering a retried event once
    request_id: str = ""  # a command's or button click's trigger_id: keys its answer in Slack
    question: str = ""  # what was asked, as typed (logs, the "asked by" note, error messages)
    files: tuple[str, ...] = ()  # names of files sent with a message (they are not read)


@dataclass(frozen=True)
class EngineCall:
    """One call of the Engine contract, as data (it may travel to a worker process)."""

    method: str  # answer | action | home
    args: tuple[str, ...]

    def run(self, engine) -> Reply:
        """Call the engine."""
        if self.method not in ("answer", "action", "home"):
            raise ValueError(f"not an engine method: {self.method}")
        return getattr(engine, self.method)(*self.args)


class Responder:
    """Runs the engine for one request and delivers its reply to Slack."""

    def __init__(self, context: Context, engine):
        self.context = context
        self.engine = engine
        self.lang = context.lang
        self._recorded = 0
        self._lock = threading.Lock()

    def handle(self, client: WebClient, origin: Origin, call: EngineCall) -> str:
        """Answer one request: `call` on the engine, delivered to `origin`."""
        return self.deliver(client, origin, lambda: call.run(self.engine))

    def deliver(self, client: WebClient, origin: Origin, produce: Callable[[], Reply]) -> str:
        """Produce the reply and post it; returns the outcome (answered, duplicate or error)."""
        started = time.perf_counter()
        outcome = "answered"
        try:
            if origin.event_id and not self.first_delivery(origin.event_id):
                outcome = "duplicate"
            else:
                self.send(client, origin, self._with_files_note(produce(), origin))
        except Exception:
            outcome = "error"
            log.exception("Slack %s from %s failed: %r", origin.kind, origin.user, origin.question[:200])
            self.apologise(client, origin)
        log.info(
            "slack %s user=%s channel=%s event=%s outcome=%s %.0f ms",
            origin.kind,
            origin.user or "-",
            origin.channel or "-",
            origin.event_id or "-",
            outcome,
            (time.perf_counter() - started) * 1000,
        )
        return outcome

    def first_delivery(self, event_id: str) -> bool:
        """Record the event id in the database; False when this event was handled before."""
        with transaction(self.context.sessions) as session:
            new = record_event(session, event_id)
        if new:
            with self._lock:
                self._recorded += 1
                due = self._recorded % PRUNE_EVERY == 0
            if due:
                self.prune()
        return new

    def prune(self) -> int:
        """Forget event ids older than a day."""
        with transaction(self.context.sessions) as session:
            return prune_events(session, dt.datetime.now(dt.UTC) - EVENT_MEMORY)

    def send(self, client: WebClient, origin: Origin, reply: Reply) -> None:
        """Post the reply where it belongs for this kind of request."""
        if origin.kind == "home":
            client.views_publish(user_id=origin.user, view=to_home_view(reply, self.lang))
            return
        if origin.kind == "command" and reply.ephemeral and origin.response_url:
            respond_reply(origin.response_url, reply, self.lang)
            return
        if reply.private and origin.kind != "dm":
            self.send_privately(client, origin, reply)
            return
        footer = asked_by(origin.user, origin.question, self.lang) if origin.kind == "command" else None
        # Buttons on the App Home tab have no channel: answer in the user's DM with the bot.
        channel = origin.channel or client.conversations_open(users=origin.user)["channel"]["id"]
        trail = trail_for(reply, answer_key(origin, "answer"))
        try:
            post_reply(client, channel, reply, origin.thread_ts, origin.user, self.lang, footer, trail)
        except SlackApiError as exc:
            if exc.response.get("error") not in NOT_A_MEMBER or not origin.response_url:
                raise
            if reply.attachments:
                names = ", ".join(f"«{a.filename}»" for a in reply.attachments)
                note = Section(
                    context=self._words._(
                        "The attachment ({names}) cannot be shown here because Rådsbot is not a member of "
                        "this channel. Invite me with «/invite @Rådsbot», or ask me in a direct message.",
                        names=names,
                    )
                )
                reply = replace(reply, sections=(*reply.sections, note))
            in_channel = origin.kind == "command" and not reply.ephemeral
            respond_reply(origin.response_url, reply, self.lang, in_channel=in_channel)

    def send_privately(self, client: WebClient, origin: Origin, reply: Reply) -> None:
        """Post the reply (with its files) in the asker's DM, and say so where they asked."""
        dm = client.conversations_open(users=origin.user)["channel"]["id"]
        trail = trail_for(reply, answer_key(origin, "private"))
        post_reply(client, dm, replace(reply, private=False), None, origin.user, self.lang, trail=trail)
        if origin.kind == "home":
            return
        note = self._words._("I have sent you the answer in a direct message.")
        if origin.response_url:
            respond_reply(origin.response_url, Reply(title=note, summary=note, ephemeral=True), self.lang)
        elif origin.channel:
            client.chat_postEphemeral(
                channel=origin.channel, user=origin.user, text=note, thread_ts=origin.thread_ts
            )

    def apologise(self, client: WebClient, origin: Origin) -> None:
        """Tell the asker, politely and in their language, that the answer failed."""
        question = " ".join(origin.question.split())[:200] or "/radsbot"
        w = self._words
        body = (
            w._("The overview could not be loaded just now. Please try again in a moment.")
            if origin.kind == "home"
            else w._(
                "I could not answer «{question}». The error has been logged. Please try again in a moment, "
                "or contact the secretariat if it happens again.",
                question=question,
            )
        )
        reply = Reply(
            title=w._("Sorry, something went wrong"),
            summary=body,
            sections=(Section(text=body),),
            kind="error",
            ephemeral=origin.kind in ("command", "action"),
        )
        try:
            if origin.response_url:
                respond_reply(origin.response_url, reply, self.lang)
            else:
                self.send(client, replace(origin, kind="home" if origin.kind == "home" else "error"), reply)
        except Exception:
            log.exception("Could not tell %s that the %s failed", origin.user, origin.kind)

    def _with_files_note(self, reply: Reply, origin: Origin) -> Reply:
        """The reply with a note that files sent in chat are not read, and how to import them."""
        if not origin.files:
            return reply
        w = self._words
        names = ", ".join(f"«{n}»" for n in origin.files if n) or w._("the file")
        note = w._(
            "I do not read files sent in chat ({names}). The secretariat imports measurements with "
            "«radsbot import FILE».",
            names=names,
        )
        return replace(reply, notice=" ".join(filter(None, (note, reply.notice))))

    @property
    def _words(self):
        return words(self.lang)


def answer_key(origin: Origin, part: str) -> str | None:
    """The key an answer carries in its message metadata: the request's own id, so that a lost
    answer is found again and not posted twice. None (a fresh key) for requests without one."""
    request = origin.event_id or origin.request_id
    return f"{origin.kind}:{request}:{part}" if request else None
