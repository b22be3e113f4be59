"""Stored values checked against their columns: the limits come from the models, the rules are one set.

Whatever a user or a file supplies is checked here before it is stored, so that PostgreSQL and
SQLite accept and refuse the same values, with a reason in the reader's language:

- a String(n) column holds at most n characters on one line: no control characters (tabs and
  line breaks included) and no text-direction overrides;
- a Text column holds any number of lines: tabs and line breaks, no other control characters;
- the texts in a JSON list (names, members, attachments) are single lines too;
- an Integer column holds what PostgreSQL's INTEGER holds (32 bits);
- NUL (PostgreSQL refuses it) and lone surrogates (undecodable bytes, not Unicode) are never stored.

A column whose `info` is {"text": "raw"} (the audit log's target: what a refused request asked
for, kept as given) also takes control characters; `printable` escapes them when it is shown.
Error messages quote at most QUOTE_CHARS characters of a value, through `quote`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from radsbot.data.errors import DomainError
from radsbot.data.words import Message, N_p, msg
from sqlalchemy import JSON, Column, Integer, String, Text, event, inspect
from sqlalchemy.orm import Session

# How much of a value an error message quotes; longer values end in "…".
QUOTE_CHARS = 60
INTEGER_RANGE = (-(2**31), 2**31 - 1)

_NEVER = "\x00\ud800-\udfff"  # NUL and lone surrogates
_CONTROLS = "\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 but tab and line breaks, DEL, C1
_LINE_ONLY = "\t\n\r\u2028\u2029\u202a-\u202e\u2066-\u2069"  # breaks, tab, direction overrides
BAD = {
    "line": re.compile(f"[{_NEVER}{_CONTROLS}{_LINE_ONLY}]"),
    "lines": re.compile(f"[{_NEVER}{_CONTROLS}]"),
    "raw": re.compile(f"[{_NEVER}]"),
}
_NAMES = {
    "\x00": "NUL",
    "\t": N_p("character", "tab"),
    "\n": N_p("character", "line break"),
    "\r": N_p("character", "line break"),
    "\x1b": "ESC",
}


class FieldError(DomainError, ValueError):
    """A value that cannot be stored in its column; the message says what to do."""


def column_of(attribute: Any) -> Column:
    """The table column of a mapped attribute (Case.title) or a column itself."""
    return attribute if isinstance(attribute, Column) else attribute.property.columns[0]


def max_length(attribute: Any) -> int | None:
    """How many characters the column holds (None: no limit)."""
    kind = column_of(attribute).type
    return None if isinstance(kind, Text) or not isinstance(kind, String) else kind.length


def policy(attribute: Any) -> str | None:
    """Which characters a text column takes: "line", "lines" or "raw" (None: not a text column)."""
    column = column_of(attribute)
    if "text" in column.info:
        return column.info["text"]
    if isinstance(column.type, Text):
        return "lines"
    return "line" if isinstance(column.type, String | JSON) else None


def problem(value: Any, attribute: Any) -> Message | None:
    """Why `value` cannot be stored in the column, or None when it can."""
    column = column_of(attribute)
    if isinstance(value, str):
        return text_problem(value, policy(column) or "lines", max_length(column))
    if isinstance(column.type, Integer) and isinstance(value, int) and not isinstance(value, bool):
        low, high = INTEGER_RANGE
        if not low <= value <= high:
            return msg(
                "{value} is too large a number; use a number between {low} and {high}.",
                value=value,
                low=low,
                high=high,
            )
    if isinstance(column.type, JSON) and isinstance(value, list | tuple):
        for i, item in enumerate(value, start=1):
            reason = isinstance(item, str) and text_problem(item, "line", None)
            if reason:
                return msg("item {number}: {reason}", number=i, reason=reason)
    return None


def text_problem(text: str, rule: str, limit: int | None) -> Message | None:
    """Why a text breaks a column's rule ("line", "lines", "raw") or length, or None."""
    bad = BAD[rule].search(text)
    if bad:
        return character_problem(bad.group())
    if limit is not None and len(text) > limit:
        return msg(
            "the text is too long: {length} characters, but there is room for at most {limit}. Shorten it.",
            length=len(text),
            limit=limit,
        )
    return None


def character_problem(char: str) -> Message:
    """The reason a character cannot be stored where it was found."""
    code = f"U+{ord(char):04X}"
    if char == "\x00":
        return msg(
            "the text contains the NUL character ({code}), which cannot be stored. Remove it; if it is "
            "in a file, the file may be damaged or saved in the wrong format.",
            code=code,
        )
    if "\ud800" <= char <= "\udfff":
        return msg("the text contains bytes that are not valid UTF-8. Write the text again in UTF-8.")
    if char in "\n\r\u2028\u2029":
        return msg("the text has a line break, but must be on one line here. Remove the line break.")
    name = _NAMES.get(char) or unicodedata.name(char, "") or N_p("character", "control character")
    return msg(
        "the text contains an invisible control character ({name}, {code}) that cannot be stored here. "
        "Remove it.",
        name=name,
        code=code,
    )


def check(value: Any, attribute: Any, what: Message | str) -> Any:
    """The value unchanged if it fits the column, else FieldError naming `what` ("Bruker-ID-en")."""
    reason = problem(value, attribute)
    if reason:
        raise FieldError(msg("{what} cannot be stored: {reason}", what=what, reason=reason))
    return value


def fit(text: str, attribute: Any) -> str:
    """The text as given if the column holds it; else with NUL and surrogates escaped and cut to fit
    (ending in "…"): for records of what someone asked, which must be kept whatever they asked."""
    if problem(text, attribute) is None:
        return text
    escaped = BAD[policy(attribute) or "lines"].sub(lambda m: printable(m.group()), text)
    limit = max_length(attribute)
    return escaped[: limit - 1] + "…" if limit is not None and len(escaped) > limit else escaped


def object_problems(obj: Any, *, changed_only: bool = False) -> list[tuple[str, Message]]:
    """(column name, reason) for the values of a mapped object (or only the changed ones) that
    their columns cannot hold."""
    state = inspect(obj)
    found = []
    for column in obj.__table__.columns:
        if column.key not in state.dict or (changed_only and not state.attrs[column.key].history.added):
            continue
        value = state.dict[column.key]
        reason = problem(value, column) if value is not None else None
        if reason:
            found.append((column.key, reason))
    return found


def guard(target: Any) -> None:
    """Refuse, at every flush of `target` (a Session or sessionmaker), values their columns cannot hold.

    The checks where users and files supply values give the friendlier messages; this one makes
    sure nothing that slips past them reaches either database.
    """

    @event.listens_for(target, "before_flush")
    def _check(session: Session, _context, _instances) -> None:
        checks = [(obj, False) for obj in session.new] + [(obj, True) for obj in session.dirty]
        for obj, changed_only in checks:
            found = object_problems(obj, changed_only=changed_only)
            if found:
                name, reason = found[0]
                what = f"{obj.__tablename__}.{name}"
                raise FieldError(msg("{what} cannot be stored: {reason}", what=what, reason=reason))


def printable(text: str) -> str:
    """The text with control, format and separator characters escaped (\\n, \\x1b, \\u202e); \\ doubled."""
    return "".join(_escape(ch) for ch in text)


def _escape(ch: str) -> str:
    if ch == "\\":
        return "\\\\"
    if ch in "\n\r\t":
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch]
    if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp", "Co", "Cn"):
        return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"
    return ch


def quote(value: Any, limit: int = QUOTE_CHARS) -> str:
    """«value» for an error message: at most `limit` characters, then "…"; control characters escaped."""
    text = str(value)
    short = text[:limit] + ("…" if len(text) > limit else "")
    return f"«{printable(short)}»"
