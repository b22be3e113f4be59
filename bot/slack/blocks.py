"""Reply → Slack Block Kit, within Slack's limits (blocks per message, characters per text)."""

from __future__ import annotations

from typing import Any

from radsbot.bot.replies import Button, Reply, Section
from radsbot.bot.slack.mrkdwn import fit, fit_plain, size, split
from radsbot.data.words import words

MAX_BLOCKS = 50  # per message
MAX_HOME_BLOCKS = 100  # per App Home view
MAX_PAGES = 5  # messages one reply may take (the first plus continuations in its thread)
MAX_SECTION_TEXT = 3000
MAX_FIELD = 2000
MAX_FIELDS = 10
MAX_HEADER = 150
MAX_CONTEXT = 2000
MAX_CONTEXT_ELEMENTS = 10
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_BUTTONS = 25  # per actions block
MAX_FALLBACK = 3000
MAX_LABEL = 300

Block = dict[str, Any]


def to_blocks(reply: Reply, lang: str = "nb", max_blocks: int = MAX_BLOCKS) -> list[Block]:
    """All of the reply as blocks, cut to `max_blocks` with a closing "… N flere" note."""
    blocks = _render(reply, lang)
    if len(blocks) <= max_blocks:
        return blocks
    kept = blocks[: max_blocks - 1]
    return [*kept, _context(_left_out(lang, len(blocks) - len(kept)))]


def _left_out(lang: str, n: int) -> str:
    return words(lang)._(
        "… {n} more parts were left out. Ask more narrowly, e.g. about one goal or indicator.", n=n
    )


def to_message(reply: Reply, lang: str = "nb") -> dict[str, Any]:
    """One chat.postMessage payload: `text` fallback and at most 50 blocks."""
    return {"text": fallback_text(reply, lang), "blocks": to_blocks(reply, lang)}


def to_messages(reply: Reply, lang: str = "nb", footer: Block | None = None) -> list[dict[str, Any]]:
    """The reply as one message, or as a first message plus continuations for its thread.

    `footer` (such as who asked) closes the first message, whatever its length.
    """
    blocks = _render(reply, lang)
    tail = [footer] if footer else []
    text = fallback_text(reply, lang)
    if len(blocks) + len(tail) <= MAX_BLOCKS:
        return [{"text": text, "blocks": blocks + tail}]
    w = words(lang)
    cut = MAX_BLOCKS - 1 - len(tail)
    first, rest = blocks[:cut], blocks[cut:]
    room = (MAX_PAGES - 1) * MAX_BLOCKS
    if len(rest) > room:
        dropped = len(rest) - (room - 1)
        rest = [*rest[: room - 1], _context(_left_out(lang, dropped))]
    pages = [rest[i : i + MAX_BLOCKS] for i in range(0, len(rest), MAX_BLOCKS)]
    more = _context(w._("… {n} more parts are in the thread.", n=len(rest)))
    title = reply.title or reply.summary or _fallback(lang)
    continued = [
        {
            "text": fit(
                w._("{title} (cont. {page}/{pages})", title=title, page=i, pages=len(pages) + 1), MAX_FALLBACK
            ),
            "blocks": page,
        }
        for i, page in enumerate(pages, start=2)
    ]
    return [{"text": text, "blocks": [*first, more, *tail]}, *continued]


def to_home_view(reply: Reply, lang: str = "nb") -> dict[str, Any]:
    """A views.publish payload for the App Home tab (at most 100 blocks)."""
    return {"type": "home", "blocks": to_blocks(reply, lang, max_blocks=MAX_HOME_BLOCKS)}


def fallback_text(reply: Reply, lang: str = "nb") -> str:
    """The top-level `text` Slack shows in notifications; never empty."""
    text = reply.summary.strip() or reply.title.strip() or _fallback(lang)
    return fit(text, MAX_FALLBACK)


def _fallback(lang: str) -> str:
    return words(lang)._("Answer from Rådsbot")


def _render(reply: Reply, lang: str) -> list[Block]:
    """Every block of the reply, before any limit on their number."""
    blocks: list[Block] = []
    if reply.title.strip():
        title = fit_plain(" ".join(reply.title.split()), MAX_HEADER)
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": title, "emoji": True}})
    if reply.notice.strip():
        blocks += _sections(f"⚠️ {reply.notice.strip()}")
    # A reply without sections (a refusal, an error) says everything in its summary: show it.
    summary = reply.summary.strip()
    if not reply.sections and summary and summary != reply.title.strip():
        blocks += _sections(summary)
    action_ids: dict[str, int] = {}
    for section in reply.sections:
        blocks += _section_blocks(section, action_ids)
    return blocks or [_section(fallback_text(reply, lang))]


def _section_blocks(section: Section, action_ids: dict[str, int]) -> list[Block]:
    """Heading and text, facts as fields, bullet items, buttons and small print."""
    blocks: list[Block] = []
    heading = f"*{fit(section.heading.strip(), MAX_LABEL)}*" if section.heading.strip() else ""
    texts = split(section.text, MAX_SECTION_TEXT - size(heading) - 1) if section.text.strip() else []
    if heading:
        texts = [f"{heading}\n{texts[0]}", *texts[1:]] if texts else [heading]
    fields = [_field(fact.label, fact.value) for fact in section.facts]
    groups = [fields[i : i + MAX_FIELDS] for i in range(0, len(fields), MAX_FIELDS)]
    if texts and groups:
        # The last text chunk heads the first group of facts, saving a block.
        *leading, last = texts
        blocks += [_section(t) for t in leading]
        blocks.append({**_section(last), "fields": groups[0]})
        groups = groups[1:]
    else:
        blocks += [_section(t) for t in texts]
    blocks += [{"type": "section", "fields": group} for group in groups]
    blocks += [_section(t) for t in _bullets(section.items)]
    for i in range(0, len(section.buttons), MAX_BUTTONS):
        chunk = section.buttons[i : i + MAX_BUTTONS]
        blocks.append({"type": "actions", "elements": [_button(b, action_ids) for b in chunk]})
    if section.context.strip():
        blocks += _contexts(section.context)
    return blocks


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _sections(text: str) -> list[Block]:
    """Sections holding `text`, split at Slack's 3000-character limit."""
    return [_section(t) for t in split(text, MAX_SECTION_TEXT)]


def _field(label: str, value: str) -> dict[str, str]:
    """A fact as a mrkdwn field: bold label over its value, at most 2000 characters."""
    head = f"*{fit(label.strip() or '–', MAX_LABEL)}*\n"
    body = fit(value.strip() or "–", MAX_FIELD - size(head))
    return {"type": "mrkdwn", "text": head + body}


def _bullets(items: tuple[str, ...]) -> list[str]:
    """Bullet lines packed into as few 3000-character texts as possible."""
    lines = []
    for item in items:
        parts = split(item, MAX_SECTION_TEXT - 2) or ["–"]
        lines += [f"• {parts[0]}", *parts[1:]]
    texts, current = [], ""
    for line in lines:
        if current and size(current) + 1 + size(line) > MAX_SECTION_TEXT:
            texts.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        texts.append(current)
    return texts


def _button(button: Button, action_ids: dict[str, int]) -> Block:
    """A button; a repeated action gets a "#n" suffix because Slack wants unique action ids."""
    seen = action_ids.get(button.action, 0)
    action_ids[button.action] = seen + 1
    action_id = button.action if not seen else f"{button.action}#{seen + 1}"
    element: Block = {
        "type": "button",
        "text": {
            "type": "plain_text",
            "text": fit_plain(button.label or button.value, MAX_BUTTON_TEXT),
            "emoji": True,
        },
        "action_id": action_id[:255],
        "value": button.value[:MAX_BUTTON_VALUE],
    }
    if button.style in ("primary", "danger"):
        element["style"] = button.style
    return element


def action_name(action_id: str) -> str:
    """The Button.action behind an action id (without the "#n" uniqueness suffix)."""
    return action_id.split("#", 1)[0]


def _contexts(text: str) -> list[Block]:
    """Small print as context blocks of at most ten 2000-character elements."""
    parts = [{"type": "mrkdwn", "text": t} for t in split(text, MAX_CONTEXT)]
    return [
        {"type": "context", "elements": parts[i : i + MAX_CONTEXT_ELEMENTS]}
        for i in range(0, len(parts), MAX_CONTEXT_ELEMENTS)
    ]


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": fit(text, MAX_CONTEXT)}]}


def asked_by(user: str, question: str, lang: str = "nb") -> Block:
    """A context block naming who asked what (slash command answers posted to the channel)."""
    who = f"<@{user}>" if user.isalnum() else fit(user, 60)
    return _context_raw(
        words(lang)._("{user} asked: «{question}»", user=who, question=fit(question.strip(), 500))
    )


def _context_raw(mrkdwn: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn}]}
