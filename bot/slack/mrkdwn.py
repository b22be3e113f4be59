"""Slack mrkdwn text: escaping, length as Slack counts it, and fitting text into size limits."""

from __future__ import annotations

import re

ELLIPSIS = "…"
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_TOKENS = re.compile(r"(\s+)")


def size(text: str) -> int:
    """Length in UTF-16 code units, the strictest way Slack may count (an emoji can be two)."""
    return len(text.encode("utf-16-le")) // 2


def escape(text: str) -> str:
    """Escape the three characters Slack treats as markup: &, < and >."""
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


def unescape(text: str) -> str:
    """Text as the user typed it, from Slack's message text (which escapes &, < and >)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def fit_plain(text: str, limit: int) -> str:
    """Plain text cut to at most `limit` code units, with an ellipsis when anything was cut."""
    if size(text) <= limit:
        return text
    out, used = [], size(ELLIPSIS)
    for ch in text:
        if used + size(ch) > limit:
            break
        out.append(ch)
        used += size(ch)
    return "".join(out).rstrip() + ELLIPSIS


def fit(text: str, limit: int) -> str:
    """Escaped mrkdwn of `text`, cut to at most `limit` code units without breaking an entity."""
    escaped = escape(text)
    if size(escaped) <= limit:
        return escaped
    out, used = [], size(ELLIPSIS)
    for ch in text:
        piece = escape(ch)
        if used + size(piece) > limit:
            break
        out.append(piece)
        used += size(piece)
    return "".join(out).rstrip() + ELLIPSIS


def split(text: str, limit: int) -> list[str]:
    """Escaped mrkdwn of `text` in chunks of at most `limit` code units.

    Breaks at a line end where one is near, else at whitespace, and only inside a word that is
    longer than a whole chunk; never inside an escape entity.
    """
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for piece in _pieces(text, limit):
        n = size(piece)
        while used + n > limit and current:
            current, used = _flush(chunks, current)
        if piece.isspace() and not current:
            continue  # no chunk starts with whitespace
        current.append(piece)
        used += n
    if current:
        _emit(chunks, current)
    return chunks


def _pieces(text: str, limit: int):
    """Escaped words and whitespace runs; a word longer than `limit` comes char by char."""
    for token in _TOKENS.split(text):
        if not token:
            continue
        escaped = escape(token)
        if size(escaped) <= limit:
            yield escaped
        else:
            yield from (escape(ch) for ch in token)


def _flush(chunks: list[str], current: list[str]) -> tuple[list[str], int]:
    """Emit the full chunk, cut at its last line break when that keeps most of it together."""
    breaks = [i for i, piece in enumerate(current) if piece.isspace() and "\n" in piece]
    if breaks and breaks[-1] >= len(current) // 2 and breaks[-1] < len(current) - 1:
        cut = breaks[-1]
        _emit(chunks, current[:cut])
        rest = current[cut + 1 :]
        return rest, sum(size(p) for p in rest)
    _emit(chunks, current)
    return [], 0


def _emit(chunks: list[str], pieces: list[str]) -> None:
    text = "".join(pieces).rstrip()
    if text:
        chunks.append(text)
