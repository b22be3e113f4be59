"""A digest thread's progress, shared by the scheduler (which records it) and the publisher.

Every part of the thread — the overview, each goal reply, each continuation, each chart — has a
key. The ledger remembers which parts Slack has; the publisher posts only the others, and tells
the ledger of each one as Slack takes it, so that a retry or a recovering worker continues the
thread instead of starting it again.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from radsbot.bot.replies import Reply
from radsbot.data import deliveries
from radsbot.data.db import SessionFactory, transaction
from radsbot.data.models import DigestDelivery


class LeaseLost(Exception):
    """Another worker has taken the digest over: this one must stop posting at once."""


@dataclass
class Progress:
    """What a digest thread already holds, and where each new part is recorded.

    `found` maps part keys to the message ts or file id Slack has. `root` is the overview's ts
    when known. With `resume`, an earlier attempt may have posted parts it could not record (a
    crash, a lost answer): the publisher looks in the channel first. `started(key, ts)` is
    called when the overview is in the channel, `record(key, ref)` after every other part
    (both may raise LeaseLost), and `plan(parts)` with every (key, label) the thread must hold.
    """

    found: Mapping[str, str] = field(default_factory=dict)
    root: str = ""
    resume: bool = False
    started: Callable[[str, str], None] = lambda _key, _ts: None
    record: Callable[[str, str], None] = lambda _key, _ref: None
    plan: Callable[[list[tuple[str, str]]], None] = lambda _parts: None


def part_key(reply: Reply, index: int) -> str:
    """The key of the `index`-th reply of a thread: its meta's "part" (a goal), or its position."""
    return reply.meta.get("part") or f"reply:{index}"


def part_label(reply: Reply) -> str:
    """What a reply is called when it is missing ("Mål 3: …"): its meta's "label", or its title."""
    return reply.meta.get("label") or reply.title


@dataclass(frozen=True)
class Trouble:
    """Why a post failed, said for the secretariat (Norwegian), and whether a person must act."""

    text: str  # what failed and what to do, without the technical error
    needs_action: bool = False  # a retry cannot help until someone fixes it (channel, token, scope)


class DigestPublisher(Protocol):
    """Where digests go: the Slack implementation is bot/slack/digest_publisher.py."""

    def post_digest(self, channel: str, replies: list[Reply], meeting_id: int, progress: Progress) -> str:
        """Post what the thread is missing (overview first); return the overview's ts."""

    def post_preview(self, channel: str, replies: list[Reply], delivery_id: int, progress: Progress) -> str:
        """Post the preview with Publiser/Avbryt buttons to the secretariat; return its ts."""

    def notify(self, channel: str, text: str) -> None:
        """Tell the secretariat something (a failure, an expired preview)."""

    def explain(self, exc: BaseException, channel: str) -> Trouble:
        """What went wrong, in Norwegian, and whether a person must act."""


def ledger_progress(
    sessions: SessionFactory,
    row: DigestDelivery,
    thread: str,
    channel: str,
    now: dt.datetime,
    lease: dt.timedelta,
) -> Progress:
    """A thread's Progress from the ledger; each new part is recorded under the worker's lease.

    `thread` is "post" (the council's channel) or "preview" (the secretariat's `channel`).
    """
    started_at = time.monotonic()

    def moment() -> dt.datetime:  # `now` moved on by the time spent posting, to renew the lease
        return now + dt.timedelta(seconds=time.monotonic() - started_at)

    def record(key: str, ref: str, **values) -> None:
        with transaction(sessions) as session:
            if not deliveries.record_part(session, row, thread, key, ref, moment(), lease, **values):
                raise LeaseLost(f"delivery {row.id}")

    def started(key: str, ts: str) -> None:
        values = {"message_ts": ts} if thread == "post" else {"preview_ts": ts, "preview_channel": channel}
        record(key, ts, **values)

    def plan(parts: list[tuple[str, str]]) -> None:
        if thread != "post":
            return
        planned = [{"key": key, "label": label} for key, label in parts]
        with transaction(sessions) as session:
            if not deliveries.transition(
                session, row, ("posting",), moment(), owned=True, parts_planned=planned
            ):
                raise LeaseLost(f"delivery {row.id}")

    # A preview begun in another secretariat channel is started again in this one.
    same = thread == "post" or row.preview_channel in ("", channel)
    with sessions() as session:
        found = deliveries.parts(session, row.id, thread) if same else {}
    root = (row.message_ts if thread == "post" else row.preview_ts) if same else ""
    return Progress(found, root, row.attempts > 1, started, record, plan)
