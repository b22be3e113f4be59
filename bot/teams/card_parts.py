"""Adaptive Card 1.5 elements for the parts of a Reply: text, facts, lists, tables and buttons.

Each function returns small, self-contained body elements (no element holds more than
MAX_TEXT characters of text), so that bot/teams/cards.py can pack them into cards by size.

A Reply's text is plain, and much of it is stored text and codes such as DHO_KOMMUNE, which a
TextBlock would read as markdown (underscores turn italic, "1." starts a list, and escapes work
differently on each Teams client). So running text, list items and small print are RichTextBlocks
of TextRuns, which take no markdown; TextBlocks are used for headings only (style "heading", which
screen readers announce), and FactSets, which have no plain alternative, for facts.
"""

from __future__ import annotations

import json
from typing import Any

from radsbot.bot.replies import Button, Fact

Element = dict[str, Any]

ELLIPSIS = "…"
MAX_TEXT = 1000  # characters per text block: even in \u escapes an element stays under 13 KB
MAX_ELEMENT = 12 * 1024  # bytes of one FactSet or Table; more facts or rows make another
MAX_TITLE = 200
MAX_FACT_LABEL = 120
MAX_FACT_VALUE = 800
MAX_FACTS = 15  # per FactSet
MAX_ACTIONS = 5  # per ActionSet: Teams shows at most six actions in a row
MAX_BUTTON_TITLE = 75
MAX_BUTTON_VALUE = 500  # codes and ids
MAX_ALT = 2000  # characters of a chart's text alternative (one sentence per panel)
MAX_TABLE_ROWS = 25  # per Table
MAX_TABLE_COLUMNS = 6
MIN_TABLE_COLUMNS = 3  # a row of fewer parts reads better as a list line
TABLE_SEPARATOR = " · "
STYLES = {"primary": "positive", "danger": "destructive"}


def size(value: Any) -> int:
    """Bytes of the JSON, as the most verbose serialiser sends it (ASCII escapes, spaces)."""
    return len(json.dumps(value).encode())


def fit(text: str, limit: int) -> str:
    """Text cut to at most `limit` characters, with an ellipsis when anything was cut."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def fit_size(text: str, limit: int) -> str:
    """Text cut (with an ellipsis) until its JSON takes at most `limit` bytes."""
    text = text.strip()
    if size(text) <= limit:
        return text
    low, high = 0, len(text)  # the longest prefix that fits, found by halving
    while low < high:
        mid = (low + high + 1) // 2
        if size(text[:mid].rstrip() + ELLIPSIS) <= limit:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + ELLIPSIS


def chunks(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Text in pieces of at most `limit` characters, broken at a line end or a space when near."""
    text = text.strip()
    out: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
        cut = cut if cut > limit // 2 else limit
        out.append(text[:cut].rstrip())
        text = text[cut:].strip()
    return [*out, text] if text else out


def text_block(text: str, **style: Any) -> Element:
    """A wrapping TextBlock."""
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def title(text: str) -> Element:
    """The card's heading."""
    one_line = " ".join(text.split())
    return text_block(fit(one_line, MAX_TITLE), size="Large", weight="Bolder", style="heading")


def heading(text: str) -> Element:
    """A section's heading."""
    return text_block(
        fit(" ".join(text.split()), MAX_TITLE), weight="Bolder", style="heading", spacing="Medium"
    )


def rich(text: str, *, spacing: str = "", **run: Any) -> Element:
    """Literal text (no markdown) as a RichTextBlock of one TextRun."""
    block: Element = {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": text, **run}]}
    return {**block, "spacing": spacing} if spacing else block


def texts(text: str, **run: Any) -> list[Element]:
    """Literal text, one block per line of the text (pieces of a long line close together)."""
    blocks: list[Element] = []
    for line in (line for line in text.splitlines() if line.strip()):
        pieces = chunks(line)
        blocks.append(rich(pieces[0], spacing="Small" if blocks else "", **run))
        blocks += [rich(piece, spacing="None", **run) for piece in pieces[1:]]
    return blocks


def notice(text: str) -> list[Element]:
    """The example-data notice (or another warning), shown prominently in a warning container."""
    return [
        {"type": "Container", "style": "warning", "items": [rich(f"⚠️ {piece}")]} for piece in chunks(text)
    ]


def small_print(text: str) -> list[Element]:
    """Small, subtle text under a section (sources, notes)."""
    return texts(text, size="Small", isSubtle=True)


def fact_sets(facts: tuple[Fact, ...]) -> list[Element]:
    """Facts as FactSets of at most MAX_FACTS facts and MAX_ELEMENT bytes."""
    shown = [
        {"title": fit(f.label, MAX_FACT_LABEL) or "–", "value": fit(f.value, MAX_FACT_VALUE) or "–"}
        for f in facts
    ]
    return [{"type": "FactSet", "facts": group} for group in packed(shown, MAX_FACTS)]


def packed(entries: list[Any], most: int) -> list[list[Any]]:
    """Entries in groups of at most `most` and about MAX_ELEMENT bytes (a larger entry alone)."""
    groups: list[list[Any]] = []
    used = 0
    for entry in entries:
        cost = size(entry) + 2
        if not groups or len(groups[-1]) >= most or used + cost > MAX_ELEMENT:
            groups.append([])
            used = 0
        groups[-1].append(entry)
        used += cost
    return groups


def bullets(items: tuple[str, ...]) -> list[Element]:
    """One block per item, "• " in front, close together."""
    out = []
    for item in items:
        for n, piece in enumerate(chunks(item) or ["–"]):
            out.append(rich(f"• {piece}" if n == 0 else piece, spacing="None"))
    if out:
        out[0] = {**out[0], "spacing": "Small"}
    return out


def table_rows(items: tuple[str, ...]) -> list[list[str]] | None:
    """The items as rows when every one is " · "-separated into the same 3–6 parts, else None."""
    rows = [item.split(TABLE_SEPARATOR) for item in items]
    widths = {len(row) for row in rows}
    if len(rows) < 2 or len(widths) != 1:
        return None
    (width,) = widths
    return rows if MIN_TABLE_COLUMNS <= width <= MAX_TABLE_COLUMNS else None


def tables(rows: list[list[str]]) -> list[Element]:
    """Rows as Tables of at most MAX_TABLE_ROWS rows and MAX_ELEMENT bytes, the first column wider."""
    columns = [{"width": 3 if i == 0 else 2} for i in range(len(rows[0]))]

    def cell(text: str) -> Element:
        return {"type": "TableCell", "items": [rich(fit(text, MAX_FACT_VALUE) or "–", size="Small")]}

    shown = [{"type": "TableRow", "cells": [cell(c) for c in row]} for row in rows]
    return [
        {"type": "Table", "columns": columns, "firstRowAsHeader": False, "showGridLines": True, "rows": group}
        for group in packed(shown, MAX_TABLE_ROWS)
    ]


def action(button: Button) -> Element:
    """A button as Action.Execute: the verb is the Button's action, its data the action and value."""
    out: Element = {
        "type": "Action.Execute",
        "title": fit(button.label or button.value, MAX_BUTTON_TITLE) or button.action,
        "verb": button.action,
        "data": {"action": button.action, "value": button.value[:MAX_BUTTON_VALUE]},
    }
    if button.style in STYLES:
        out["style"] = STYLES[button.style]
    return out


def action_sets(buttons: tuple[Button, ...]) -> list[Element]:
    """Buttons as ActionSets of at most MAX_ACTIONS."""
    return [
        {"type": "ActionSet", "actions": [action(b) for b in buttons[i : i + MAX_ACTIONS]]}
        for i in range(0, len(buttons), MAX_ACTIONS)
    ]


def image(url: str, alt: str) -> Element:
    """A picture (a data: URI or an https URL) with its text alternative."""
    return {"type": "Image", "url": url, "altText": fit(alt, MAX_ALT), "size": "Stretch"}
