"""A digest thread: its overview, then one reply per goal, posted whole through any Publisher.

Every part of the thread — the overview, each goal reply, each continuation, each chart — has a
key. The ledger remembers which parts the transport has (`Progress`); `post_thread` posts only
the others, in order, and tells the ledger of each one as the transport takes it, so that a
retry or a recovering worker continues the thread instead of starting it again. When an earlier
attempt may have posted parts it could not record (a crash, a lost answer), the thread is looked
through first (`Publisher.find_post`, `Publisher.thread_contents`).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from radsbot.bot.publisher import Publisher, Tag, keys_of, post_reply
from radsbot.bot.replies import Button, Reply, Section
from radsbot.data import deliveries
from radsbot.data.db import SessionFactory, transaction
from radsbot.data.models import DigestDelivery
from radsbot.data.statuses import DeliveryState, ThreadKind
from radsbot.data.words import words

log = logging.getLogger(__name__)

# The kinds of post a digest thread is made of (Tag.kind).
DIGEST, PREVIEW, PART, NOTICE = "digest", "digest_preview", "digest_part", "digest_notice"


class LeaseLost(Exception):
    """Another worker has taken the digest over: this one must stop posting at once."""


@dataclass
class Progress:
    """What a digest thread already holds, and where each new part is recorded.

    `found` maps part keys to the transport's refs. `root` is the overview's ref when known. With
    `resume`, an earlier attempt may have posted parts it could not record (a crash, a lost
    answer): the thread is looked through first. `started(key, ref)` is called when the overview
    is in the channel, `record(key, ref)` after every other part (both may raise LeaseLost), and
    `plan(parts)` with every (key, label) the thread must hold.
    """

    found: Mapping[str, str] = field(default_factory=dict)
    root: str = ""
    resume: bool = False
    started: Callable[[str, str], None] = lambda _key, _ref: None
    record: Callable[[str, str], None] = lambda _key, _ref: None
    plan: Callable[[list[tuple[str, str]]], None] = lambda _parts: None


def part_key(reply: Reply, index: int) -> str:
    """The key of the `index`-th reply of a thread: its meta's "part" (a goal), or its position."""
    return reply.meta.get("part") or f"reply:{index}"


def part_label(reply: Reply) -> str:
    """What a reply is called when it is missing ("Mål 3: …"): its meta's "label", or its title."""
    return reply.meta.get("label") or reply.title


@dataclass(frozen=True)
class Thread:
    """Where a digest thread goes and how its overview is known: kind, key and payload."""

    address: str
    kind: str
    key: str
    payload: Mapping[str, str]

    @property
    def overview(self) -> Tag:
        """The overview's tag."""
        return Tag(self.key, self.kind, self.payload)

    def part(self, reply: Reply, index: int) -> Tag:
        """The tag of the thread's `index`-th reply."""
        return Tag(part_key(reply, index), PART, self.payload)


def digest_thread(address: str, meeting_id: int) -> Thread:
    """The digest of a meeting in a council's channel; a digest of no meeting (the quarter's,
    posted by hand) has no ledger, so its key is new each time."""
    key = f"digest:{meeting_id}" if meeting_id else f"digest:quarter:{uuid.uuid4().hex}"
    return Thread(address, DIGEST, key, {"meeting_id": str(meeting_id)})


def preview_thread(address: str, delivery_id: int) -> Thread:
    """The preview of a ledger row in the secretariat's channel."""
    return Thread(address, PREVIEW, f"preview:{delivery_id}", {"delivery_id": str(delivery_id)})


def preview_replies(replies: list[Reply], delivery_id: int, lang: str = "nb") -> list[Reply]:
    """The digest as the secretariat previews it: Publiser / Avbryt on top of the overview."""
    first, w = replies[0], words(lang)
    decision = Section(
        heading=w._("Preview"),
        text=w._("This digest is posted to the council's channel only when the secretariat approves it."),
        buttons=(
            Button(w._("Publish"), "publish_digest", str(delivery_id), "primary"),
            Button(w._("Cancel"), "cancel_digest", str(delivery_id), "danger"),
        ),
    )
    return [replace(first, sections=(decision, *first.sections)), *replies[1:]]


def post_thread(
    publisher: Publisher,
    thread: Thread,
    replies: list[Reply],
    progress: Progress | None = None,
    lang: str = "nb",
) -> str:
    """The overview unless it is there already, then every part of the thread not yet there;
    returns the overview's ref once the thread is whole."""
    progress = progress or Progress()
    found = dict(progress.found)
    tags = [thread.overview] + [thread.part(r, i) for i, r in enumerate(replies[1:], start=1)]
    overview = words(lang)._("the overview")  # how the ledger names it when it is missing
    progress.plan(
        [(key, overview) for key in keys_of(publisher, replies[0], tags[0])]
        + [
            (key, part_label(r))
            for r, t in zip(replies[1:], tags[1:], strict=True)
            for key in keys_of(publisher, r, t)
        ]
    )
    root = progress.root or (publisher.find_post(thread.address, tags[0]) if progress.resume else None)
    if root and not progress.root:
        log.info("The overview %s was in %s already; continuing its thread", thread.key, thread.address)
        progress.started(thread.key, root)
    if root:
        found.setdefault(thread.key, root)
        if progress.resume:
            _learn(publisher, thread, root, replies, tags, found, progress)

    def record(key: str, ref: str) -> None:
        (progress.started if key == thread.key else progress.record)(key, ref)
        found[key] = ref

    root = post_reply(publisher, thread.address, replies[0], tags[0], found=found, record=record)
    for reply, tag in zip(replies[1:], tags[1:], strict=True):
        if all(key in found for key in keys_of(publisher, reply, tag)):
            continue
        publisher.pause()
        post_reply(publisher, thread.address, reply, tag, thread=root, found=found, record=record)
    return root


def _learn(
    publisher: Publisher,
    thread: Thread,
    root: str,
    replies: list[Reply],
    tags: list[Tag],
    found: dict[str, str],
    progress: Progress,
) -> None:
    """Add what the thread already holds to `found` (and the ledger): keyed messages, files by name."""
    contents = publisher.thread_contents(thread.address, root)
    there = {key: ref for key, ref in contents.messages.items() if ref != root}
    for reply, tag in zip(replies, tags, strict=True):
        there.update(
            {
                tag.file(a.filename).key: contents.files[a.filename]
                for a in reply.attachments
                if a.filename in contents.files
            }
        )
    for key, ref in there.items():
        if key not in found:
            progress.record(key, ref)
            found[key] = ref


def ledger_progress(
    sessions: SessionFactory,
    row: DigestDelivery,
    thread: str,
    address: str,
    now: dt.datetime,
    lease: dt.timedelta,
) -> Progress:
    """A thread's Progress from the ledger; each new part is recorded under the worker's lease.

    `thread` is "post" (the council's channel) or "preview" (the secretariat's `address`).
    """
    started_at = time.monotonic()

    def moment() -> dt.datetime:  # `now` moved on by the time spent posting, to renew the lease
        return now + dt.timedelta(seconds=time.monotonic() - started_at)

    def record(key: str, ref: str, **values) -> None:
        with transaction(sessions) as session:
            if not deliveries.record_part(session, row, thread, key, ref, moment(), lease, **values):
                raise LeaseLost(f"delivery {row.id}")

    def started(key: str, ref: str) -> None:
        values = (
            {"root_ref": ref}
            if thread == ThreadKind.POST
            else {"preview_ref": ref, "preview_address": address}
        )
        record(key, ref, **values)

    def plan(parts: list[tuple[str, str]]) -> None:
        if thread != ThreadKind.POST:
            return
        planned = [{"key": key, "label": label} for key, label in parts]
        with transaction(sessions) as session:
            if not deliveries.transition(
                session, row, (DeliveryState.POSTING,), moment(), owned=True, parts_planned=planned
            ):
                raise LeaseLost(f"delivery {row.id}")

    # A preview begun in another secretariat channel is started again in this one.
    same = thread == ThreadKind.POST or row.preview_address in ("", address)
    with sessions() as session:
        found = deliveries.parts(session, row.id, thread) if same else {}
    root = (row.root_ref if thread == ThreadKind.POST else row.preview_ref) if same else ""
    return Progress(found, root, row.attempts > 1, started, record, plan)
