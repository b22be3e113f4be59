"""Documents in Teams: what waits for the user's consent, and the upload when it is accepted.

Teams lets a bot send files only in personal chat, and only after the user accepts a consent
card; the accept arrives as a later `fileConsent/invoke` with an upload URL. The bytes wait here
in memory meanwhile (bounded in count and time): a restart or another replica forgets them, and
the user is told to ask again.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

import aiohttp
from radsbot.bot.replies import Attachment

# How long an offered file waits for its accept, and how many wait at most.
KEEP_SECONDS = 30 * 60
KEEP_FILES = 200
UPLOAD_TIMEOUT = aiohttp.ClientTimeout(total=60)


@dataclass(frozen=True)
class Pending:
    """A document offered to one user, waiting for their accept."""

    user: str
    file: Attachment
    offered: float


class PendingFiles:
    """Documents offered with a consent card, by the key the card carries."""

    def __init__(self, keep_seconds: float = KEEP_SECONDS, keep_files: int = KEEP_FILES):
        self._files: dict[str, Pending] = {}
        self._lock = threading.Lock()
        self.keep_seconds = keep_seconds
        self.keep_files = keep_files

    def offer(self, user: str, file: Attachment) -> str:
        """Keep the file for `user`; returns the key for the consent card."""
        key = secrets.token_urlsafe(16)
        with self._lock:
            self._forget_old()
            while len(self._files) >= self.keep_files:
                self._files.pop(next(iter(self._files)))
            self._files[key] = Pending(user, file, time.monotonic())
        return key

    def take(self, key: str, user: str) -> Attachment | None:
        """The file offered under `key` to this user (once), or None when unknown, expired or not theirs."""
        with self._lock:
            self._forget_old()
            pending = self._files.get(key)
            if pending is None or pending.user != user:
                return None
            del self._files[key]
            return pending.file

    def _forget_old(self) -> None:
        cutoff = time.monotonic() - self.keep_seconds
        for key in [k for k, p in self._files.items() if p.offered < cutoff]:
            del self._files[key]


async def upload(url: str, content: bytes) -> None:
    """PUT the bytes to the upload URL Teams gave (one range: the whole file).

    Raises:
        aiohttp.ClientError: the upload failed (connection or a non-2xx answer).
    """
    headers = {
        "Content-Length": str(len(content)),
        "Content-Range": f"bytes 0-{len(content) - 1}/{len(content)}",
    }
    async with (
        aiohttp.ClientSession(timeout=UPLOAD_TIMEOUT) as session,
        session.put(url, data=content, headers=headers) as response,
    ):
        response.raise_for_status()
