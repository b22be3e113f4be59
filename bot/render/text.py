"""Plain text for the console and `radsbot ask`: headings, aligned facts, bullets; no markup."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from radsbot.bot.phrases import BUTTON_COMMANDS
from radsbot.bot.replies import Button, Reply, Section
from radsbot.data.words import words

WIDTH = 100
MAX_LABEL = 22


def to_text(
    reply: Reply, *, width: int = WIDTH, lang: str = "nb", saved: Mapping[str, str] | None = None
) -> str:
    """Render a reply as plain text.

    Args:
        reply: the neutral reply.
        width: wrap lines at this many characters.
        lang: the language of the small connecting words ("skriv …").
        saved: where attachments were saved, by filename, to show instead of the bare name.
    """
    out: list[str] = []
    if reply.title:
        out += [reply.title, "═" * min(width, len(reply.title))]
    if reply.summary and reply.summary != reply.title:
        out += _wrap(reply.summary, width)
    if reply.notice:
        out += ["", *_wrap(f"! {reply.notice}", width, indent="  ")]
    for section in reply.sections:
        block = _section(section, width, lang)
        if block:
            out += ["", *block]
    for attachment in reply.attachments:
        where = (saved or {}).get(attachment.filename)
        label = f"{attachment.title} ({attachment.filename})"
        out += ["", f"[{label}: {where}]" if where else f"[{label}]"]
    return "\n".join(out).rstrip() + "\n"


def _section(section: Section, width: int, lang: str) -> list[str]:
    lines: list[str] = []
    if section.heading:
        lines += [section.heading, "─" * min(width, len(section.heading))]
    if section.text:
        for paragraph in section.text.split("\n"):
            lines += _wrap(paragraph, width) if paragraph.strip() else [""]
    if section.facts:
        if section.text:
            lines.append("")
        label_width = min(MAX_LABEL, max(len(f.label) for f in section.facts))
        for fact in section.facts:
            indent = " " * (label_width + 4)
            head = f"  {fact.label:<{label_width}}  "
            if len(fact.label) > label_width:
                lines.append(f"  {fact.label}")
                head = indent
            wrapped = textwrap.wrap(fact.value or "–", width - len(indent)) or ["–"]
            lines.append(head + wrapped[0])
            lines += [indent + rest for rest in wrapped[1:]]
    for item in section.items:
        lines += _wrap(item, width, first="  • ", indent="    ")
    for button in section.buttons:
        lines.append(_button(button, lang))
    if section.context:
        for paragraph in section.context.split("\n"):
            lines += _wrap(paragraph, width, first="  ", indent="  ")
    return lines


def _button(button: Button, lang: str) -> str:
    template = BUTTON_COMMANDS.get(button.action)
    if template is None:
        return f"  → {button.label}"
    command = template.format(value=button.value)
    typed = words(lang)._("type “{command}”", command=command)
    return f"  → {button.label}: {typed}"


def _wrap(text: str, width: int, first: str = "", indent: str = "") -> list[str]:
    return textwrap.wrap(
        text,
        width,
        initial_indent=first,
        subsequent_indent=indent,
        break_long_words=True,
        break_on_hyphens=False,
    ) or [first.rstrip()]
