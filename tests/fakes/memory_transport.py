"""An in-memory chat transport: a real Publisher that keeps what it was asked to post, like
errbot's test backend. No network and no Slack code: what the core decides is all there is.

It behaves as a chat platform would where it matters to the core: posts get references, a
thread is the messages posted under a reference, keys can be looked up again, and faults can be
injected — a refusal (nothing stored, an error someone must fix) or a lost answer (stored, but
the caller hears an error), which the transport survives as every Publisher must: by looking for
the key before posting again (bot/publisher.py's `once`).
"""

from __future__ import annotations

import itertools
import re
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from radsbot.bot.publisher import Retry, Tag, ThreadContents, Trouble, once
from radsbot.bot.render.text import to_text
from radsbot.bot.replies import Attachment, Reply
from radsbot.data.destinations import AddressError

# A reply of more sections than this continues in its thread (so continuations are exercised).
PAGE_SECTIONS = 3
TEAMS_CHANNEL = re.compile(r"^19:[A-Za-z0-9_\-]+@thread\.(tacv2|skype|v2)$")


def teams_address(text: str) -> str:
    """The memory transport's address rule, shaped like a Teams channel id (19:…@thread.tacv2)."""
    if not TEAMS_CHANNEL.match(text):
        raise AddressError(f"«{text}» er ikke en Teams-kanal. Skriv kanal-ID-en, som 19:abc@thread.tacv2.")
    return text


class Refused(RuntimeError):
    """The transport refused the post (nothing stored): a person must fix something."""


class LostAnswer(ConnectionError):
    """The post was stored, but its answer never reached the caller."""


@dataclass
class Message:
    """One message or file the transport holds."""

    ref: str
    address: str
    thread: str | None  # the ref of the message whose thread it is in
    tag: Tag
    text: str
    reply: Reply | None = None
    page: int = 1
    file: Attachment | None = None
    edits: int = 0


@dataclass
class Fault:
    """`times` posts matching `when` fail in `mode` ("refuse" or "lose"), after `after` good ones."""

    mode: str
    when: Callable[[str, Tag, str | None], bool]
    times: int = 1
    after: int = 0


@dataclass
class MemoryTransport:
    """A Publisher whose channels are lists in memory."""

    transport: str = "teams"
    retry: Retry = field(default_factory=lambda: Retry(retries=2, sleep=lambda _s: None))
    messages: dict[str, list[Message]] = field(default_factory=lambda: defaultdict(list))
    faults: list[Fault] = field(default_factory=list)
    calls: list[tuple[str, str, str]] = field(default_factory=list)  # (method, address, key)
    pauses: int = 0
    _refs: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- the Publisher ------------------------------------------------------------------------

    def pages(self, reply: Reply) -> int:
        """One message per PAGE_SECTIONS sections."""
        return max(1, -(-len(reply.sections) // PAGE_SECTIONS))

    def post_overview(self, address: str, reply: Reply, tag: Tag) -> str:
        """A new top-level message."""
        return self._post("post_overview", address, None, tag, lambda: self._page_text(reply, 1), reply, 1)

    def post_reply(self, address: str, thread: str, reply: Reply, tag: Tag, page: int = 1) -> str:
        """A message in a thread."""
        return self._post(
            "post_reply", address, thread, tag, lambda: self._page_text(reply, page), reply, page
        )

    def upload_file(self, address: str, thread: str | None, attachment: Attachment, tag: Tag) -> str:
        """A file shared in the channel or thread."""
        return self._post("upload_file", address, thread, tag, lambda: attachment.filename, file=attachment)

    def find_post(self, address: str, tag: Tag, thread: str | None = None) -> str | None:
        """A post carrying the tag's key and kind, in the thread or at the top of the channel."""
        self.calls.append(("find_post", address, tag.key))
        for m in self.messages[address]:
            if m.thread == thread and m.tag.key == tag.key and m.tag.kind == tag.kind:
                return m.ref
        return None

    def thread_contents(self, address: str, thread: str) -> ThreadContents:
        """The thread's keyed messages and files (its first message included)."""
        self.calls.append(("thread_contents", address, thread))
        held = [m for m in self.messages[address] if thread in (m.ref, m.thread)]
        return ThreadContents(
            {m.tag.key: m.ref for m in held if m.file is None},
            {m.file.filename: m.ref for m in held if m.file is not None},
        )

    def update_message(self, address: str, ref: str, reply: Reply) -> None:
        """Replace a message's content."""
        self.calls.append(("update_message", address, ref))
        [message] = [m for m in self.messages[address] if m.ref == ref]
        message.reply, message.text, message.edits = reply, self._page_text(reply, 1), message.edits + 1

    def notify(self, address: str, text: str) -> str:
        """A plain top-level message."""
        tag = Tag(f"notice:{next(self._refs)}", "digest_notice")
        return self._post("notify", address, None, tag, lambda: text)

    def explain(self, exc: BaseException, address: str) -> Trouble:
        """Norwegian, as every transport's explanation."""
        if isinstance(exc, Refused):
            return Trouble(f"Kanalen {address} tok ikke imot meldingen. Sjekk at Rådsbot er lagt til.", True)
        return Trouble("Forbindelsen til chatten brøt før svaret kom.")

    def pause(self) -> None:
        """No rate limit in memory; counted, so a test can see the thread was paced."""
        self.pauses += 1

    # -- what tests read --------------------------------------------------------------------

    def top_level(self, address: str, kind: str) -> list[Message]:
        """The channel's top-level messages of one kind ("digest", "digest_preview", "digest_notice")."""
        return [m for m in self.messages[address] if m.thread is None and m.tag.kind == kind]

    def thread(self, address: str, ref: str) -> list[Message]:
        """The messages and files in a thread, oldest first (not its first message)."""
        return [m for m in self.messages[address] if m.thread == ref]

    def notices(self, address: str) -> list[str]:
        """The texts of the notices in a channel."""
        return [m.text for m in self.top_level(address, "digest_notice")]

    def fail(self, mode: str, when: Callable[[str, Tag, str | None], bool], times: int = 1, after: int = 0):
        """Make `times` matching posts (method, tag, thread) fail in `mode`, after `after` good ones."""
        self.faults.append(Fault(mode, when, times, after))

    # -- inside -------------------------------------------------------------------------------

    def _page_text(self, reply: Reply, page: int) -> str:
        if self.pages(reply) == 1:
            return to_text(reply)
        chunk = reply.sections[(page - 1) * PAGE_SECTIONS : page * PAGE_SECTIONS]
        title = reply.title if page == 1 else f"{reply.title} ({page}/{self.pages(reply)})"
        return to_text(Reply(title=title, summary=reply.summary, sections=chunk, notice=reply.notice))

    def _post(
        self,
        method: str,
        address: str,
        thread: str | None,
        tag: Tag,
        text: Callable[[], str],
        reply: Reply | None = None,
        page: int = 1,
        file: Attachment | None = None,
    ) -> str:
        def do() -> str:
            self.calls.append((method, address, tag.key))
            fault = self._fault(method, tag, thread)
            if fault == "refuse":
                raise Refused(f"{method} refused in {address}")
            with self._lock:
                ref = f"{self.transport}-{next(self._refs)}"
                self.messages[address].append(Message(ref, address, thread, tag, text(), reply, page, file))
            if fault == "lose":
                raise LostAnswer(f"the answer to {method} {tag.key} was lost")
            return ref

        def look() -> str | None:
            if file is None:
                return self.find_post(address, tag, thread)
            shared = [m for m in self.messages[address] if m.thread == thread and m.file == file]
            return shared[0].ref if shared else None

        return once(do, look, lambda exc: isinstance(exc, LostAnswer), self.retry, f"{method} {tag.key}")

    def _fault(self, method: str, tag: Tag, thread: str | None) -> str | None:
        with self._lock:
            for fault in self.faults:
                if fault.times > 0 and fault.when(method, tag, thread):
                    if fault.after > 0:
                        fault.after -= 1
                        return None
                    fault.times -= 1
                    return fault.mode
        return None
