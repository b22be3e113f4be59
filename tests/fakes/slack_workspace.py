"""A view of the fake Slack Web API for digest tests: who posted which digest, preview and notice."""

from __future__ import annotations

from typing import Any

from radsbot.bot.replies import Reply
from radsbot.bot.slack.publisher import SlackPublisher
from slack_sdk import WebClient

from tests.fakes.engine import tiny_png
from tests.fakes.slack_api import FakeSlackAPI

TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"


def simple_digest(session, council, meeting, today) -> list[Reply]:
    """A composer that names the meeting: quick, and enough to see who posted what."""
    overview = Reply(title=f"Sammendrag før {council.display_name} {meeting.number}", summary=meeting.number)
    return [overview, Reply(title="Mål 1", summary="mål 1")]


def quick_digest(session, council, meeting, today) -> list[Reply]:
    """The real digest's replies with a stand-in PNG per goal: the same messages, threads and chart
    file names, without drawing eight charts (tests/test_charts.py tests the drawing)."""
    from radsbot.bot.digest_replies import digest_replies
    from radsbot.reports.digest import build_digest

    digest = build_digest(session, council, meeting, today=today)
    return digest_replies(digest, charts={goal.chart_filename: tiny_png() for goal in digest.goals})


def publisher(api_url: str) -> SlackPublisher:
    """The real Slack publisher on the fake API: no retries below the ledger's, no spacing (fast tests)."""
    return SlackPublisher(WebClient(base_url=api_url, token=TOKEN), spacing=0, retries=0)


def publishers(api_url: str) -> dict[str, SlackPublisher]:
    """A scheduler's publishers: Slack's alone, on the fake API."""
    return {"slack": publisher(api_url)}


class Workspace:
    """What reached the fake Slack, read the way a member of the channels would see it."""

    def __init__(self, api: FakeSlackAPI, *channels: str):
        self.api = api
        for channel in channels:
            api.add_channel(channel)

    def digests(self, channel: str | None = None) -> list[int]:
        """Meeting ids of the digest overviews in a channel (or any), in order."""
        return [
            int(m["metadata"]["event_payload"]["meeting_id"])
            for m in self._top_level("radsbot_digest", channel)
        ]

    def previews(self, channel: str) -> list[int]:
        """Delivery ids of the previews in a channel."""
        return [
            int(m["metadata"]["event_payload"]["delivery_id"])
            for m in self._top_level("radsbot_digest_preview", channel)
        ]

    def overviews(self, channel: str) -> list[dict[str, Any]]:
        """The digest overview messages in a channel."""
        return self._top_level("radsbot_digest", channel)

    def notices(self, channel: str) -> list[str]:
        """Texts of the secretariat's notices in a channel."""
        return [m["text"] for m in self._top_level("radsbot_digest_notice", channel)]

    def thread(self, channel: str, ts: str) -> list[dict[str, Any]]:
        """The replies in a thread, oldest first (not its parent): messages and file shares."""
        messages = self.api.messages[self.api.channel_id(channel)]
        return [m for m in messages if m.get("thread_ts") == ts and m["ts"] != ts]

    def fail_posts(self, times: int) -> None:
        """Slack answers the next `times` chat.postMessage calls with 500."""
        self.api.fail("chat.postMessage", status=500, retry_after=None, times=times)

    def _top_level(self, event_type: str, channel: str | None) -> list[dict[str, Any]]:
        channels = [self.api.channel_id(channel)] if channel else list(self.api.messages)
        return [
            m
            for cid in channels
            for m in self.api.messages[cid]
            if m.get("thread_ts") in (None, m["ts"])
            and (m.get("metadata") or {}).get("event_type") == event_type
        ]
