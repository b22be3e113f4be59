"""Chat markup removed before a message is understood: Slack's `<…>` forms, entities and emoji."""

from __future__ import annotations

import html
import re
import unicodedata

# Messages longer than this are cut before parsing: no question needs more, and it bounds the work.
MAX_CHARS = 2000

# <@U123>, <@U123|navn>, <!here>, <!subteam^S1|@team>: mentions carry no meaning for a question.
_MENTION = re.compile(r"<[@!][^<>]*>")
# <#C1|kanal> keeps the channel name, which may name a council ("#nuit").
_CHANNEL = re.compile(r"<#[^<>|]*(?:\|([^<>]*))?>")
# <https://…|tekst> keeps the text, <https://…> keeps nothing.
_LINK = re.compile(r"<(?:https?|mailto|tel):[^<>|]*(?:\|([^<>]*))?>")
_SHORTCODE = re.compile(r":[a-z0-9_+\-]{1,40}:(?::skin-tone-\d:)?", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# Formatting characters of Slack's mrkdwn around words: *fet*, _kursiv_, ~streket~, `kode`.
_FORMATTING = re.compile(r"(?<![\w])[*_~`]+|[*_~`]+(?![\w])")


def clean(text: object) -> str:
    """The message as plain, single-spaced text: markup, emoji and control characters removed."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = text[: MAX_CHARS * 2]
    text = _MENTION.sub(" ", text)
    text = _CHANNEL.sub(lambda m: f" {m.group(1) or ''} ", text)
    text = _LINK.sub(lambda m: f" {m.group(1) or ''} ", text)
    text = html.unescape(text)
    text = _SHORTCODE.sub(" ", text)
    text = unicodedata.normalize("NFC", text)
    text = "".join(_keep(ch) for ch in text)
    text = _FORMATTING.sub(" ", text)
    return _SPACES.sub(" ", text).strip()[:MAX_CHARS]


def _keep(ch: str) -> str:
    """Letters, digits, punctuation and spaces stay; emoji, symbols and control characters go."""
    category = unicodedata.category(ch)
    if category[0] in "LNP" or ch == " ":
        return ch
    if category in ("Sm", "Sc") or ch in "%+°":
        return ch
    return " "
