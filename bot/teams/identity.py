"""Who wrote a Teams activity, where, and what they asked (the bot's @mention removed)."""

from __future__ import annotations

import html
import re

from microsoft_agents.activity import Activity

# Conversation types Teams sends: a 1:1 chat, a group chat, a channel of a team.
PERSONAL = "personal"
_AT_TAG = re.compile(r"</?at>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]{0,200}>")


def user_id(activity: Activity) -> str:
    """The user id roles are granted to: `aad:<Entra object id>` (lower case), else the Teams id."""
    person = activity.from_property
    if person is None:
        return ""
    aad = (person.aad_object_id or "").strip().lower()
    if aad:
        return f"aad:{aad}"
    return f"teams:{person.id}" if person.id else ""


def tenant_of(activity: Activity) -> str:
    """The Entra tenant the activity comes from (conversation, else channelData.tenant)."""
    conversation = activity.conversation
    if conversation is not None and conversation.tenant_id:
        return conversation.tenant_id.strip().lower()
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    raw = data.get("tenant")
    tenant = raw if isinstance(raw, dict) else {}
    return str(tenant.get("id") or "").strip().lower()


def is_personal(activity: Activity) -> bool:
    """A 1:1 chat with the bot (files can be sent only there)."""
    conversation = activity.conversation
    kind = (conversation.conversation_type or "") if conversation is not None else ""
    return kind in ("", PERSONAL) and not (conversation and conversation.is_group)


def question(activity: Activity) -> str:
    """The message text without the bot's own mention, tags and HTML entities."""
    text = activity.remove_recipient_mention() if activity.entities else (activity.text or "")
    text = _AT_TAG.sub("", text)
    text = _TAG.sub(" ", text)
    return " ".join(html.unescape(text).split())
