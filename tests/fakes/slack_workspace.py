"""A view of the fake Slack Web API for digest tests: who posted which digest, preview and notice."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk import WebClient

from bot.replies import Reply
from bot.slack.digest_publisher import SlackDigestPublisher
from tests.fakes.slack_api import FakeSlackAPI

TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"


def simple_digest(session, council, meeting, today) -> list[Reply]:
    """A composer that names the meeting: quick, and enough to see who posted what."""
    overview = Reply(title=f"Sammendrag før {council.display_name} {meeting.number}", summary=meeting.number)
    return [overview, Reply(title="Mål 1", summary="mål 1")]


def publisher(api_url: str) -> SlackDigestPublisher:
    """The real Slack publisher on the fake API, without client retries or spacing (fast tests)."""
    return SlackDigestPublisher(WebClient(base_url=api_url, token=TOKEN), spacing=0)


class Workspace:
    """What reached the fake Slack, read the way a member of the channels would see it."""

    def __init__(self, api: FakeSlackAPI, *channels: str):
        self.api = api
        for channel in channels:
            api.add_channel(channel)

    def digests(self, channel: str | None = None) -> list[int]:
        """Meeting ids of the digest overviews posted (to one channel, or any), in order."""
        return [int(p["meeting_id"]) for p in self._top_level("radsbot_digest", channel)]

    def previews(self, channel: str) -> list[int]:
        """Delivery ids of the previews posted to a channel."""
        return [int(p["delivery_id"]) for p in self._top_level("radsbot_digest_preview", channel)]

    def notices(self, channel: str) -> list[str]:
        """Plain texts posted to a channel (the secretariat's notices)."""
        return [c.params.get("text", "") for c in self._posts(channel) if not c.params.get("metadata")]

    def fail_posts(self, times: int) -> None:
        """Slack answers the next `times` chat.postMessage calls with 500."""
        self.api.fail("chat.postMessage", status=500, retry_after=None, times=times)

    def _posts(self, channel: str | None):
        wanted = self.api.channel_id(channel) if channel else None
        return [
            c
            for c in self.api.calls_to("chat.postMessage")
            if not c.params.get("thread_ts")
            and (wanted is None or self.api.channel_id(c.params["channel"]) == wanted)
        ]

    def _top_level(self, event_type: str, channel: str | None) -> list[dict[str, Any]]:
        found = []
        for call in self._posts(channel):
            meta = call.params.get("metadata")
            meta = json.loads(meta) if isinstance(meta, str) else meta
            if meta and meta.get("event_type") == event_type:
                found.append(meta["event_payload"])
        return found
