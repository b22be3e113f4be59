"""The Teams bot: each activity to the chat engine, each Reply back as cards, files and messages.

Messages (personal chat, group chat, channel @mentions) go to `Engine.answer`; `Action.Execute`
buttons ("Vis graf", "Publiser", "Avbryt") arrive as `adaptiveCard/action` invokes and go to
`Engine.action`, so roles are checked and audited by the same handlers as in Slack on every path.
The engine runs off the event loop (bot/teams/answering.py).

A message is acknowledged (202) at once and answered afterwards in a proactive turn on the same
conversation, replying to the message: the SDK sends its HTTP response only when the turn has
finished, and Teams should not wait for charts and queries. A message sent with
`deliveryMode: expectReplies` and every invoke are answered within their own turn, as they must.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from typing import Any

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    ConversationAccount,
    ConversationParameters,
    DeliveryModes,
)
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.authorization import AuthenticationConstants
from microsoft_agents.hosting.core.connector import ConnectorClientBase
from radsbot.bot.bootstrap import Context
from radsbot.bot.replies import Reply
from radsbot.bot.teams import cards, files
from radsbot.bot.teams.answering import Answerer
from radsbot.bot.teams.identity import PERSONAL, is_personal, question, tenant_of, user_id
from radsbot.data.access import audit
from radsbot.data.db import transaction
from radsbot.data.words import words

log = logging.getLogger(__name__)

DB_THREADS = 2  # audit entries of uploads
# Buttons whose answer replaces the card they sit on (a preview becomes "published" or "cancelled").
REPLACES_CARD = frozenset({"publish_digest", "cancel_digest"})


class TeamsBot:
    """The Agents SDK agent (its `on_turn`) that answers with Rådsbot's engine."""

    def __init__(self, context: Context, answerer: Answerer, host_allowed=None):
        self.context = context
        self.answerer = answerer
        self.lang = context.lang
        self.files = files.PendingFiles()
        self.pool = ThreadPoolExecutor(max_workers=DB_THREADS, thread_name_prefix="radsbot-teams")
        self.host_allowed = host_allowed  # the outbound host check for upload URLs (None: none)
        self.later: set[asyncio.Task] = set()  # answers still being made after their 202

    async def on_turn(self, turn: TurnContext) -> None:
        """Answer one activity."""
        activity = turn.activity
        started = time.perf_counter()
        if activity.type == ActivityTypes.message:
            await self.on_message(turn)  # logged when answered
            return
        if activity.type == ActivityTypes.invoke and activity.name == "adaptiveCard/action":
            await self.on_card_action(turn)
        elif activity.type == ActivityTypes.invoke and activity.name == "fileConsent/invoke":
            await self.on_file_consent(turn)
        elif activity.type == ActivityTypes.invoke:
            await _invoke_response(turn, 501, None)
        else:
            log.info("Ignored a Teams %s activity", str(activity.type)[:40])
            return
        log.info(
            "teams %s user=%s conversation=%s %.0f ms",
            activity.name or activity.type,
            user_id(activity) or "-",
            (activity.conversation.conversation_type if activity.conversation else None) or "-",
            (time.perf_counter() - started) * 1000,
        )

    async def on_message(self, turn: TurnContext) -> None:
        """A message: answered in this turn when the sender waits for it, else right after it."""
        if turn.activity.delivery_mode == DeliveryModes.expect_replies:
            await self.answer_message(turn)
            return
        self.answer_later(turn.adapter, turn.identity, turn.activity.model_copy(deep=True))

    def answer_later(self, adapter, identity, incoming: Activity) -> None:
        """Answer a message in a turn of its own, after its HTTP request has been answered 202."""
        task = asyncio.create_task(self._answer_later(adapter, identity, incoming))
        self.later.add(task)
        task.add_done_callback(self.later.discard)

    async def _answer_later(self, adapter, identity, incoming: Activity) -> None:
        """A turn of its own on the message's conversation, replying to it (errors: the apology)."""
        started = time.perf_counter()
        try:
            await adapter.continue_conversation_with_claims(
                identity, incoming, self.answer_message, audience=AuthenticationConstants.AGENTS_SDK_SCOPE
            )
        except Exception:
            log.exception("Teams answer to %r failed", question(incoming)[:200])
        log.info(
            "teams answer user=%s conversation=%s %.0f ms",
            user_id(incoming) or "-",
            (incoming.conversation.conversation_type if incoming.conversation else None) or "-",
            (time.perf_counter() - started) * 1000,
        )

    async def drain(self, timeout: float) -> None:
        """Wait for answers still being made (a graceful stop)."""
        if self.later:
            await asyncio.wait(set(self.later), timeout=timeout)

    async def answer_message(self, turn: TurnContext) -> None:
        """Answer a question, or an `Action.Submit` (value, no text) from an older card."""
        activity, user = turn.activity, user_id(turn.activity)
        text = question(activity)
        button = cards.button_of(_mapping(activity.value)) if not text else None
        if button is not None:
            reply = await self.answerer.call("action", *button, user)
        elif not text and activity.attachments:
            names = ", ".join(f"«{a.name}»" for a in activity.attachments if a.name) or self.w._("the file")
            note = self.w._(
                "I do not read files sent in chat ({names}). The secretariat imports measurements with "
                "«radsbot import FILE».",
                names=names,
            )
            reply = Reply(title=note, summary=note)
        elif not text:
            return
        else:
            reply = await self.answerer.call("answer", text, user)
        await self.deliver(turn, reply)

    async def on_card_action(self, turn: TurnContext) -> None:
        """An `Action.Execute` button; answered in the invoke's own response."""
        activity = turn.activity
        verb, value = cards.button_of(_mapping(activity.value)) or ("", "")
        reply = await self.answerer.call("action", verb, value, user_id(activity))
        if verb in REPLACES_CARD and reply.kind not in ("refused", "error") and not reply.attachments:
            await _invoke_response(turn, 200, cards.card_response(reply, self.lang))
            return
        await self.deliver(turn, reply)
        body = {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": reply.title}
        await _invoke_response(turn, 200, body)

    async def on_file_consent(self, turn: TurnContext) -> None:
        """The user accepted or declined a document: upload it and show it, or let it go."""
        activity = turn.activity
        value = activity.value if isinstance(activity.value, dict) else {}
        key = str((value.get("context") or {}).get("file", ""))
        user = user_id(activity)
        file = self.files.take(key, user)
        if file is None:
            await turn.send_activity(
                self.w._(
                    "That file is no longer waiting here. Ask for it again, and accept it within 30 minutes."
                )
            )
        elif value.get("action") != "accept":
            await self.run(self._audit, user, file.filename, "declined")
            await turn.send_activity(self.w._("All right, I will not send «{name}».", name=file.filename))
        else:
            await self._upload(turn, file, value.get("uploadInfo") or {}, user)
        await _invoke_response(turn, 200, None)

    async def _upload(self, turn: TurnContext, file, info: dict, user: str) -> None:
        url = str(info.get("uploadUrl") or "")
        if not url or (self.host_allowed is not None and not self.host_allowed(url)):
            log.warning("Refused to upload %r to an upload URL outside Microsoft's hosts", file.filename)
            await self.run(self._audit, user, file.filename, "refused")
            await turn.send_activity(self.w._("Sorry, something went wrong"))
            return
        try:
            await files.upload(url, file.content)
        except Exception:
            log.exception("Upload of %r failed", file.filename)
            await self.run(self._audit, user, file.filename, "failed")
            await turn.send_activity(
                self.w._(
                    "I could not upload «{name}». Please ask for it again in a moment, or contact the "
                    "secretariat if it happens again.",
                    name=file.filename,
                )
            )
            return
        await self.run(self._audit, user, file.filename, "ok")
        shown = cards.file_info_activity(
            str(info.get("name") or file.filename),
            str(info.get("contentUrl") or ""),
            str(info.get("uniqueId") or ""),
            str(info.get("fileType") or "docx"),
        )
        await turn.send_activity(Activity.model_validate(shown))

    async def deliver(self, turn: TurnContext, reply: Reply) -> None:
        """Send a reply where it belongs: here, or in a personal chat when it holds files or is private."""
        documents = tuple(a for a in reply.attachments if not a.is_image)
        shown = replace(reply, attachments=tuple(a for a in reply.attachments if a.is_image))
        outgoing = [Activity.model_validate(a) for a in cards.reply_activities(shown, self.lang)]
        user = user_id(turn.activity)
        outgoing += [self._consent(user, d) for d in documents]
        if (documents or reply.private) and not is_personal(turn.activity):
            await turn.send_activity(
                self.w._(
                    "I will send it to you in a personal chat with Rådsbot: Teams sends files only there."
                )
            )
            await self._send_personal(turn, outgoing)
            return
        for activity in outgoing:
            await turn.send_activity(activity)

    def _consent(self, user: str, document) -> Activity:
        key = self.files.offer(user, document)
        return Activity.model_validate(cards.file_consent_activity(document, self.lang, {"file": key}))

    async def _send_personal(self, turn: TurnContext, outgoing: list[Activity]) -> None:
        """Open (or find) the 1:1 chat with the asker and post the activities there."""
        activity = turn.activity
        # The SDK keys the turn's connector client by its abstract class.
        client = turn.services.get(ConnectorClientBase)  # type: ignore[type-abstract]
        bot, asker = activity.recipient, activity.from_property
        if client is None or bot is None or asker is None:
            raise RuntimeError("a personal chat needs the turn's connector client, bot and user")
        tenant = tenant_of(activity)
        params = ConversationParameters(
            is_group=False,
            bot=bot,
            members=[asker],
            tenant_id=tenant or None,
            channel_data={"tenant": {"id": tenant}} if tenant else None,
        )
        created = await client.conversations.create_conversation(params)
        conversation = ConversationAccount(
            id=created.id, conversation_type=PERSONAL, tenant_id=tenant or None
        )
        for out in outgoing:
            out.conversation = conversation
            out.from_property = bot
            out.recipient = asker
            out.channel_id = activity.channel_id
            out.service_url = activity.service_url
            await client.conversations.send_to_conversation(created.id, out)

    async def on_error(self, turn: TurnContext, error: Exception) -> None:
        """The SDK's turn-error handler, replaced: the polite apology, never the exception's text."""
        log.error("Teams turn failed: %s", type(error).__name__, exc_info=error)
        asked = " ".join(question(turn.activity).split())[:200] if turn.activity.text else ""
        body = self.w._(
            "I could not answer «{question}». The error has been logged. Please try again in a moment, "
            "or contact the secretariat if it happens again.",
            question=asked or "Rådsbot",
        )
        try:
            if turn.activity.type == ActivityTypes.invoke:
                message = {
                    "statusCode": 200,
                    "type": "application/vnd.microsoft.activity.message",
                    "value": body,
                }
                await _invoke_response(turn, 200, message)
            else:
                await turn.send_activity(body)
        except Exception:
            log.exception("Could not tell the user that the turn failed")

    async def run(self, fn, *args):
        """Run blocking database work (audit entries) in the pool."""
        return await asyncio.get_running_loop().run_in_executor(self.pool, partial(fn, *args))

    def _audit(self, user: str, filename: str, outcome: str) -> None:
        with transaction(self.context.sessions) as session:
            audit(session, user or "teams", "document_upload", target=filename, outcome=outcome)

    def close(self) -> None:
        """Stop the pools."""
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.answerer.close()

    @property
    def w(self):
        return words(self.lang)


async def _invoke_response(turn: TurnContext, status: int, body: object) -> None:
    """The synchronous answer to an invoke (the HTTP response Teams waits for)."""
    await turn.send_activity(
        Activity(type=ActivityTypes.invoke_response, value={"status": status, "body": body})
    )


def _mapping(value: object) -> Mapping[str, Any] | None:
    """An activity's value when it is an object (a button's data), else None."""
    return value if isinstance(value, Mapping) else None
