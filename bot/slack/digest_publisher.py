"""Post digests to Slack for the scheduler: overview first, one threaded reply per goal.

Slack allows about one message per second per channel, so the goal replies are spaced out.
Every message carries message metadata with a key: the overview names the meeting (or the
preview's ledger row), each part of the thread its goal, continuation or chart. A lost answer
is looked for before anything is posted again (bot/slack/keyed.py), and a thread that an
earlier attempt left incomplete is continued from what the ledger and the channel hold
(conversations.replies), never started again.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from radsbot.bot.digest_thread import Progress, Trouble, part_key, part_label
from radsbot.bot.replies import Button, Reply, Section
from radsbot.bot.slack import keyed
from radsbot.bot.slack.blocks import to_messages
from radsbot.bot.slack.failures import explain
from radsbot.bot.slack.poster import Trail, post_reply
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

DIGEST_EVENT = "radsbot_digest"
PREVIEW_EVENT = "radsbot_digest_preview"
PART_EVENT = "radsbot_digest_part"
NOTICE_EVENT = "radsbot_digest_notice"
CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")


@dataclass
class SlackDigestPublisher:
    """The scheduler's DigestPublisher for Slack."""

    client: WebClient
    lang: str = "nb"
    spacing: float = 1.1  # seconds between messages in one channel (Slack: ~1 per second)
    sleep: Callable[[float], None] = time.sleep
    retries: int = keyed.RETRIES  # further attempts after a lost answer, each after looking first
    _ids: dict[str, str] = field(default_factory=dict)

    def post_digest(
        self, channel: str, replies: list[Reply], meeting_id: int, progress: Progress | None = None
    ) -> str:
        """Post the overview with the meeting in its metadata, then the goals in its thread.

        Parts in `progress` are not posted again; returns the overview's ts once the thread is whole.
        """
        payload = {"meeting_id": str(meeting_id)}
        # A digest of no meeting (the quarter's, posted by hand) has no ledger: its key is new each time.
        key = f"digest:{meeting_id}" if meeting_id else f"digest:quarter:{uuid.uuid4().hex}"
        overview = replace(replies[0], kind="digest", meta=payload)
        thread = Thread(self.channel_id(channel), DIGEST_EVENT, key, payload)
        return self._post_thread(thread, [overview, *replies[1:]], progress or Progress())

    def post_preview(
        self, channel: str, replies: list[Reply], delivery_id: int, progress: Progress | None = None
    ) -> str:
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
        payload = {"delivery_id": str(delivery_id)}
        preview = replace(first, sections=(decision, *first.sections), kind="digest_preview", meta=payload)
        thread = Thread(self.channel_id(channel), PREVIEW_EVENT, f"preview:{delivery_id}", payload)
        return self._post_thread(thread, [preview, *replies[1:]], progress or Progress())

    def notify(self, channel: str, text: str) -> None:
        """A plain message to the secretariat (keyed like every post, so never doubled)."""
        keyed.post_message(
            self.client,
            self.channel_id(channel),
            {"text": text},
            event_type=NOTICE_EVENT,
            key=f"notice:{uuid.uuid4().hex}",
            retry=self._retry,
        )

    def explain(self, exc: BaseException, channel: str) -> Trouble:
        """What went wrong, in Norwegian, and what to do about it (for the secretariat)."""
        return explain(exc, channel)

    def channel_id(self, channel: str) -> str:
        """The channel's id; "#name" is looked up once (uploads and history need ids)."""
        if CHANNEL_ID.match(channel):
            return channel
        name = channel.lstrip("#")
        if name not in self._ids:
            self._ids.update(self._list_channels())
        if name not in self._ids:
            raise SlackApiError(
                f"Fant ikke kanalen #{name} (er Rådsbot invitert dit?)",
                {"ok": False, "error": "channel_not_found"},
            )
        return self._ids[name]

    @property
    def _retry(self) -> keyed.Retry:
        return keyed.Retry(self.retries, self.sleep)

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

    def _post_thread(self, thread: Thread, replies: list[Reply], progress: Progress) -> str:
        """The overview unless it is there already, then every part of the thread not yet there."""
        found = dict(progress.found)
        trails = [self._root_trail(thread, replies[0], progress, found)]
        trails += [
            Trail(part_key(reply, i), PART_EVENT, thread.payload, found, progress.record)
            for i, reply in enumerate(replies[1:], start=1)
        ]
        progress.plan(self._plan(replies, trails))
        root = progress.root or (self._find_root(thread) if progress.resume else None)
        if root and not progress.root:
            log.info("The overview %s was in %s already; continuing its thread", thread.key, thread.channel)
            progress.started(trails[0].key, root)
        if root:
            found.setdefault(trails[0].key, root)
            if progress.resume:
                self._learn_thread(thread.channel, root, replies, trails, progress)
        if not all(key in found for key, _kind in self._keys(replies[0], trails[0])):
            root = post_reply(
                self.client, thread.channel, replies[0], lang=self.lang, trail=trails[0], retry=self._retry
            )
        for reply, trail in zip(replies[1:], trails[1:], strict=True):
            if all(key in found for key, _label in self._keys(reply, trail)):
                continue
            self.sleep(self.spacing)
            post_reply(
                self.client,
                thread.channel,
                reply,
                thread_ts=root,
                lang=self.lang,
                trail=trail,
                retry=self._retry,
            )
        return root

    def _root_trail(self, thread: Thread, overview: Reply, progress: Progress, found: dict) -> Trail:
        def record(key: str, ts: str) -> None:
            (progress.started if key == thread.key else progress.record)(key, ts)

        return Trail(thread.key, thread.event_type, thread.payload, found, record)

    def _find_root(self, thread: Thread) -> str | None:
        """The overview among the channel's recent top-level messages (by its metadata payload)."""
        for message in keyed.messages(self.client, thread.channel):
            meta = message.get("metadata") or {}
            payload = meta.get("event_payload") or {}
            if meta.get("event_type") == thread.event_type and all(
                str(payload.get(k)) == v for k, v in thread.payload.items()
            ):
                return message["ts"]
        return None

    def _learn_thread(
        self, channel: str, root: str, replies: list[Reply], trails: list[Trail], progress: Progress
    ) -> None:
        """Add what the thread already holds to the trails (and the ledger): keyed messages, files."""
        messages = list(keyed.messages(self.client, channel, root))
        in_slack = {key: m["ts"] for m in messages if (key := keyed.key_of(m)) and m["ts"] != root}
        files = keyed.files_in(messages)
        for reply, trail in zip(replies, trails, strict=True):
            in_slack.update(
                {trail.file(a.filename): files[a.filename] for a in reply.attachments if a.filename in files}
            )
        found = trails[0].found
        for key, ref in in_slack.items():
            if key not in found:
                progress.record(key, ref)
                found[key] = ref  # the trails share this dict

    def _plan(self, replies: list[Reply], trails: list[Trail]) -> list[tuple[str, str]]:
        overview = "oversikten" if self.lang == "nb" else "the overview"
        plan = [(key, overview) for key, _ in self._keys(replies[0], trails[0])]
        for reply, trail in zip(replies[1:], trails[1:], strict=True):
            plan += [(key, part_label(reply)) for key, _ in self._keys(reply, trail)]
        return plan

    def _keys(self, reply: Reply, trail: Trail) -> list[tuple[str, str]]:
        """The keys of a reply's messages and files, as post_reply gives them."""
        count = len(to_messages(reply, self.lang))
        keys = [(trail.part(n), "message") for n in range(1, count + 1)]
        return keys + [(trail.file(a.filename), "file") for a in reply.attachments]


@dataclass(frozen=True)
class Thread:
    """Where a digest thread goes and how its overview is keyed."""

    channel: str  # an id
    event_type: str
    key: str
    payload: Mapping[str, str]
