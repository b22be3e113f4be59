"""Post digests to Slack for the scheduler: overview first, one threaded reply per goal.

Slack allows about one message per second per channel, so the goal replies are spaced out.
The overview carries message metadata naming the meeting, which is how a worker recovering
from a crash finds out whether the digest is already in the channel (conversations.history).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.replies import Button, Reply, Section
from bot.slack.poster import post_reply

log = logging.getLogger(__name__)

DIGEST_EVENT = "radsbot_digest"
CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")


@dataclass
class SlackDigestPublisher:
    """The scheduler's DigestPublisher for Slack."""

    client: WebClient
    lang: str = "nb"
    spacing: float = 1.1  # seconds between messages in one channel (Slack: ~1 per second)
    sleep: Callable[[float], None] = time.sleep
    _ids: dict[str, str] = field(default_factory=dict)

    def post_digest(self, channel: str, replies: list[Reply], meeting_id: int) -> str:
        """Post the overview with the meeting in its metadata, then the goals in its thread."""
        channel_id = self.channel_id(channel)
        overview = replace(replies[0], kind="digest", meta={"meeting_id": str(meeting_id)})
        return self._post_thread(channel_id, [overview, *replies[1:]])

    def find_digest(self, channel: str, meeting_id: int) -> str | None:
        """The ts of this meeting's digest among the channel's recent messages, if Slack has it."""
        channel_id = self.channel_id(channel)
        cursor = None
        for _page in range(5):  # the digest is recent: at most 1,000 messages back
            response = self.client.conversations_history(
                channel=channel_id, include_all_metadata=True, limit=200, cursor=cursor
            )
            for message in response.get("messages", []):
                meta = message.get("metadata") or {}
                payload = meta.get("event_payload") or {}
                if meta.get("event_type") == DIGEST_EVENT and str(payload.get("meeting_id")) == str(
                    meeting_id
                ):
                    return message["ts"]
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        return None

    def post_preview(self, channel: str, replies: list[Reply], delivery_id: int) -> str:
        """Post the digest to the secretariat with Publiser / Avbryt buttons on the overview."""
        first = replies[0]
        decision = Section(
            heading="Forhåndsvisning" if self.lang == "nb" else "Preview",
            text=(
                "Dette sammendraget postes i rådets kanal først når en i sekretariatet godkjenner det."
                if self.lang == "nb"
                else "This digest is posted to the council's channel only when the secretariat approves it."
            ),
            buttons=(
                Button(
                    "Publiser" if self.lang == "nb" else "Publish",
                    "publish_digest",
                    str(delivery_id),
                    "primary",
                ),
                Button(
                    "Avbryt" if self.lang == "nb" else "Cancel", "cancel_digest", str(delivery_id), "danger"
                ),
            ),
        )
        preview = replace(
            first,
            sections=(decision, *first.sections),
            kind="digest_preview",
            meta={"delivery_id": str(delivery_id)},
        )
        return self._post_thread(self.channel_id(channel), [preview, *replies[1:]])

    def notify(self, channel: str, text: str) -> None:
        """A plain message to the secretariat."""
        self.client.chat_postMessage(channel=self.channel_id(channel), text=text)

    def channel_id(self, channel: str) -> str:
        """The channel's id; "#name" is looked up once (uploads and history need ids)."""
        if CHANNEL_ID.match(channel):
            return channel
        name = channel.lstrip("#")
        if name not in self._ids:
            self._ids.update(self._list_channels())
        if name not in self._ids:
            raise SlackApiError(f"Fant ikke kanalen #{name} (er Rådsbot invitert dit?)", {"ok": False})
        return self._ids[name]

    def _list_channels(self) -> dict[str, str]:
        found: dict[str, str] = {}
        cursor = None
        while True:
            response = self.client.conversations_list(
                types="public_channel,private_channel", exclude_archived=True, limit=1000, cursor=cursor
            )
            found.update({c["name"]: c["id"] for c in response.get("channels", [])})
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return found

    def _post_thread(self, channel_id: str, replies: list[Reply]) -> str:
        ts = post_reply(self.client, channel_id, replies[0], lang=self.lang)
        for reply in replies[1:]:
            self.sleep(self.spacing)
            post_reply(self.client, channel_id, reply, thread_ts=ts, lang=self.lang)
        return ts
