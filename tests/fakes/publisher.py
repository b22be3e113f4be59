"""A digest publisher that records posts in memory, or in a file shared between processes."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from bot.replies import Reply


class PublishFailed(Exception):
    """What the fake raises when told to fail (as Slack errors would)."""


@dataclass
class FakePublisher:
    """Records every digest, preview and notice; can be told to fail the next posts."""

    posts: list[tuple[str, int, str]] = field(default_factory=list)  # (channel, meeting_id, ts)
    previews: list[tuple[str, int, int]] = field(default_factory=list)  # (channel, delivery, n)
    notices: list[tuple[str, str]] = field(default_factory=list)
    failures_left: int = 0
    # Digests Slack has but the ledger may not know about (a crash after posting).
    in_channel: dict[tuple[str, int], str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def post_digest(self, channel: str, replies: list[Reply], meeting_id: int) -> str:
        """Record the post, or fail if told to."""
        with self._lock:
            if self.failures_left:
                self.failures_left -= 1
                raise PublishFailed("ratelimited")
            ts = f"{len(self.posts) + 1}.000"
            self.posts.append((channel, meeting_id, ts))
            self.in_channel[(channel, meeting_id)] = ts
            return ts

    def find_digest(self, channel: str, meeting_id: int) -> str | None:
        """The ts Slack would show for this meeting's digest in the channel."""
        return self.in_channel.get((channel, meeting_id))

    def post_preview(self, channel: str, replies: list[Reply], delivery_id: int) -> str:
        """Record a preview sent to the secretariat."""
        with self._lock:
            self.previews.append((channel, delivery_id, len(replies)))
            return f"p{len(self.previews)}.000"

    def notify(self, channel: str, text: str) -> None:
        """Record a message to the secretariat."""
        with self._lock:
            self.notices.append((channel, text))

    def posted(self, channel: str | None = None) -> list[int]:
        """Meeting ids posted (to one channel, or any)."""
        return [m for c, m, _ in self.posts if channel is None or c == channel]


@dataclass
class FilePublisher:
    """Appends one line per post to a file: lets separate processes be checked for duplicates."""

    path: Path

    def post_digest(self, channel: str, replies: list[Reply], meeting_id: int) -> str:
        """Append `channel meeting pid` atomically (O_APPEND, one write)."""
        self._append(f"{channel} {meeting_id} {os.getpid()}")
        return f"{meeting_id}.000"

    def _append(self, line: str) -> None:
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, (line + "\n").encode())
        finally:
            os.close(fd)

    def find_digest(self, channel: str, meeting_id: int) -> str | None:
        """Never found: the file is the only record."""
        return None

    def post_preview(self, channel: str, replies: list[Reply], delivery_id: int) -> str:
        """Append `preview channel delivery pid`."""
        self._append(f"preview {channel} {delivery_id} {os.getpid()}")
        return f"p{delivery_id}.000"

    def notify(self, channel: str, text: str) -> None:
        """Notices are ignored in the race tests."""


def simple_digest(session, council, meeting, today) -> list[Reply]:
    """A composer that names the meeting: enough to check who posted what."""
    return [Reply(title=f"Sammendrag før {council.short_name} {meeting.number}", summary=meeting.number)]
