"""What the core asks of a chat transport, and how a reply becomes keyed posts through it.

A `Publisher` is one transport's outbound half (Slack's is bot/slack/publisher.py; tests use an
in-memory one). It knows how to post a message, reply in a thread, share a file, find an
earlier post again by its key, update a message and tell someone something. Everything else —
what to post, when, in which order, what an earlier attempt left undone — is decided by the
core (`post_reply` here, bot/digest_thread.py, bot/scheduler.py) and is the same for every
transport.

Every post carries a `Tag`: a key that is unique in its thread (or among the channel's recent
top-level posts), so that a post can be found again. A publisher must never double a post whose
answer it lost (a dropped connection, a timeout, a 5xx after the work was done): it looks for
the tag's key first and posts again only when the transport does not have it (`once` helps).
References (`ref`) are the transport's own ids of messages and files, opaque to the core.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Protocol, TypeVar, runtime_checkable

from radsbot.bot.replies import Attachment, Reply
from radsbot.data.words import Message

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Tag:
    """How a post is known again: its key, its kind, and facts that travel with it.

    `kind` names what it is ("digest", "digest_preview", "digest_part", "digest_notice",
    "answer" …); `payload` holds what identifies the whole thread (the meeting, the preview).
    """

    key: str
    kind: str = "answer"
    payload: Mapping[str, str] = field(default_factory=dict)

    def page(self, n: int) -> Tag:
        """The tag of a reply's n-th message (1 is the first; later ones continue it)."""
        return self if n == 1 else replace(self, key=f"{self.key}/{n}")

    def file(self, filename: str) -> Tag:
        """The tag of one of a reply's files."""
        return replace(self, key=f"{self.key}/file:{filename}")


@dataclass(frozen=True)
class ThreadContents:
    """What a thread already holds: keyed messages (key → ref) and shared files (name → ref)."""

    messages: Mapping[str, str] = field(default_factory=dict)
    files: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Trouble:
    """Why a post failed, said for the secretariat, and whether a person must act."""

    problem: Message | str  # what failed and what to do, without the technical error
    needs_action: bool = False  # a retry cannot help until someone fixes it (channel, token, scope)

    @property
    def text(self) -> str:
        """The problem in bokmål, for logs (the secretariat reads it in its language)."""
        return str(self.problem)


@runtime_checkable
class Publisher(Protocol):
    """One chat transport's outbound half. `address` is the transport's own id of a channel
    (data/destinations.py); every ref returned is the transport's own id of what it posted."""

    transport: str  # "slack", "teams" (data.statuses.Transport)

    def pages(self, reply: Reply) -> int:
        """How many messages `reply` takes here (a reply too long for one continues in its thread)."""
        ...

    def post_overview(self, address: str, reply: Reply, tag: Tag) -> str:
        """Post the first message of `reply` at the top of the channel; returns its ref."""
        ...

    def post_reply(self, address: str, thread: str, reply: Reply, tag: Tag, page: int = 1) -> str:
        """Post message `page` of `reply` in the thread of the message `thread`; returns its ref."""
        ...

    def upload_file(self, address: str, thread: str | None, attachment: Attachment, tag: Tag) -> str:
        """Share a file in the channel (in the thread of `thread`, when given); returns its ref."""
        ...

    def find_post(self, address: str, tag: Tag, thread: str | None = None) -> str | None:
        """The ref of an earlier post carrying `tag.key` (and kind): in the thread of `thread`,
        or among the channel's recent top-level posts; None when there is none."""
        ...

    def thread_contents(self, address: str, thread: str) -> ThreadContents:
        """What the thread of the message `thread` holds, that message included."""
        ...

    def update_message(self, address: str, ref: str, reply: Reply) -> None:
        """Replace the message `ref` with the first message of `reply` (buttons and all)."""
        ...

    def notify(self, address: str, text: str) -> str:
        """A plain message to people (a notice to the secretariat), posted once; returns its ref."""
        ...

    def explain(self, exc: BaseException, address: str) -> Trouble:
        """What went wrong posting to `address` (a catalogue message), and whether a person must act."""
        ...

    def pause(self) -> None:
        """Wait between two replies in one thread as long as the transport's rate limit asks."""
        ...


def post_reply(
    publisher: Publisher,
    address: str,
    reply: Reply,
    tag: Tag,
    thread: str | None = None,
    found: Mapping[str, str] | None = None,
    record: Callable[[str, str], None] = lambda _key, _ref: None,
) -> str:
    """Post `reply` (at the top of the channel, or in the thread of `thread`): each of its
    messages, then each of its files, skipping those whose key is in `found`, and calling
    `record(key, ref)` after each new one. Returns the ref of its first message.

    Continuations of a top-level reply go into its own thread; its files go where it went.
    """
    found = found or {}
    first = found.get(tag.key)
    if first is None:
        if thread is None:
            first = publisher.post_overview(address, reply, tag)
        else:
            first = publisher.post_reply(address, thread, reply, tag)
        record(tag.key, first)
    for n in range(2, publisher.pages(reply) + 1):
        page = tag.page(n)
        if page.key not in found:
            record(page.key, publisher.post_reply(address, thread or first, reply, page, n))
    for attachment in reply.attachments:
        file = tag.file(attachment.filename)
        if file.key not in found:
            record(file.key, publisher.upload_file(address, thread, attachment, file))
    return first


def keys_of(publisher: Publisher, reply: Reply, tag: Tag) -> list[str]:
    """The keys of a reply's messages and files, as `post_reply` posts them."""
    pages = [tag.page(n).key for n in range(1, publisher.pages(reply) + 1)]
    return pages + [tag.file(a.filename).key for a in reply.attachments]


@dataclass(frozen=True)
class Retry:
    """How often to try again after a lost answer, and how to wait in between."""

    retries: int = 2  # further attempts after a lost answer, each after looking first
    sleep: Callable[[float], None] = time.sleep
    backoff: float = 0.5  # seconds before the first look; doubles with each attempt


def once(
    do: Callable[[], T],
    look: Callable[[], T | None],
    lost: Callable[[BaseException], bool],
    retry: Retry,
    what: str,
) -> T:
    """Run `do`; after a lost answer (`lost(exc)`) look first, and do it again only if the
    transport does not have it. An error that is not a lost answer goes to the caller at once."""
    for attempt in range(retry.retries + 1):
        try:
            return do()
        except Exception as exc:
            if not lost(exc):
                raise
            error = exc
        log.warning("The answer for %s was lost (%s); looking before trying again", what, error)
        retry.sleep(retry.backoff * 2**attempt)
        try:
            found = look()
        except Exception:
            # Without knowing what the transport has, posting again could double it: give up here.
            log.warning("Could not look for %s after a lost answer", what, exc_info=True)
            raise error from None
        if found is not None:
            log.info("The transport had %s after all; not sent again", what)
            return found
    raise error
