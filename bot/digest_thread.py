"""A digest thread's progress, shared by the scheduler (which records it) and the publisher.

Every part of the thread — the overview, each goal reply, each continuation, each chart — has a
key. The ledger remembers which parts Slack has; the publisher posts only the others, and tells
the ledger of each one as Slack takes it, so that a retry or a recovering worker continues the
thread instead of starting it again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot.replies import Reply


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
