"""Staff replace a section of a goal's status text in a Slack modal (views.open, plain_text_input).

The "Endre teksten" button of an answer about a goal's section opens the modal; submitting it
stores a new version through bot/narrative_edit.py, which checks the staff role again and
audits. The modal is opened by the web process itself: its trigger_id is valid for 3 seconds.
"""

from __future__ import annotations

import json
import logging
import re

from radsbot.bot.narrative_edit import ACTION, EditForm, edit_form, save_edit, validate
from radsbot.bot.slack.delivery import Responder
from radsbot.bot.slack.events import acknowledge
from radsbot.bot.slack.mrkdwn import escape
from radsbot.data.errors import DomainError
from radsbot.data.words import words
from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

CALLBACK = "narrative_edit"
BLOCK, FIELD = "narrative_text", "text"
MAX_INPUT = 3000  # Slack's limit for a plain_text_input's value


def register(app: App, responder: Responder) -> None:
    """Add the button's listener (before the general one in actions.py) and the modal's submission."""
    context = responder.context

    def open_modal(body: dict, action: dict, client: WebClient) -> None:
        user = (body.get("user") or {}).get("id", "")
        try:
            form = edit_form(
                context.sessions,
                user,
                action.get("value", ""),
                today=context.today(),
                lang=context.lang,
                admins=context.settings.admins,
            )
        except DomainError as exc:
            _tell(client, user, exc.text(context.lang))
            return
        client.views_open(trigger_id=body.get("trigger_id", ""), view=modal_view(form, context.lang))

    def check(ack, body: dict, view: dict) -> None:
        text = _submitted(view)
        problem = validate(text, context.lang)
        if problem:
            ack(response_action="errors", errors={BLOCK: problem})
        else:
            ack()

    def save(body: dict, view: dict, client: WebClient) -> None:
        user = (body.get("user") or {}).get("id", "")
        if validate(_submitted(view), context.lang):
            return  # the modal showed the problem and stays open; Bolt runs this listener anyway
        meta = _metadata(view)
        try:
            said = save_edit(
                context.sessions,
                user,
                meta.get("goal", ""),
                meta.get("section", ""),
                meta.get("quarter", ""),
                _submitted(view),
                lang=context.lang,
                admins=context.settings.admins,
            )
        except DomainError as exc:  # refused, or a forged goal or quarter
            said = exc.text(context.lang)
        _tell(client, user, said)

    # Action ids carry a "#n" suffix when a reply has several buttons (bot/slack/blocks.py).
    app.block_action(re.compile(rf"^{ACTION}(#.*)?$"))(ack=acknowledge, lazy=[open_modal])
    app.view(CALLBACK)(ack=check, lazy=[save])


def modal_view(form: EditForm, lang: str) -> dict:
    """The modal: the goal and section, the quarter, and the section's points in one text field."""
    w = words(lang)
    meta = {"goal": form.goal_code, "section": form.section, "quarter": form.quarter}
    return {
        "type": "modal",
        "callback_id": CALLBACK,
        "private_metadata": json.dumps(meta),
        "title": {"type": "plain_text", "text": w._("Status text")[:24]},
        "submit": {"type": "plain_text", "text": w._("Save")[:24]},
        "close": {"type": "plain_text", "text": w._("Cancel")[:24]},
        "blocks": [
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"*{escape(form.title)}*\n{escape(form.intro)}"},
            },
            {
                "type": "input",
                "block_id": BLOCK,
                "label": {"type": "plain_text", "text": form.label[:2000]},
                "hint": {"type": "plain_text", "text": form.hint},
                "element": {
                    "type": "plain_text_input",
                    "action_id": FIELD,
                    "multiline": True,
                    "max_length": MAX_INPUT,
                    "initial_value": form.text[:MAX_INPUT],
                },
            },
        ],
    }


def _metadata(view: dict) -> dict:
    """What the modal was opened for; {} when a forged submission carries something else."""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return {k: str(v) for k, v in meta.items()} if isinstance(meta, dict) else {}


def _submitted(view: dict) -> str:
    values = ((view.get("state") or {}).get("values") or {}).get(BLOCK) or {}
    return str((values.get(FIELD) or {}).get("value") or "")


def _tell(client: WebClient, user: str, text: str) -> None:
    """A private note to the user (their DM with the bot)."""
    try:
        client.chat_postMessage(channel=user, text=text)
    except SlackApiError as exc:
        log.warning("Could not tell %s about a status text edit: %s", user, exc.response.get("error"))
