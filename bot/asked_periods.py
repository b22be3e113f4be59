"""The period a question asks about ("2024", "3. kvartal 2024", "i fjor", "siden 2022"), pure.

`find_period(folded)` returns the asked period (resolved against the asking day later, in
reports/history.py), whether a history is wanted, and the text without the period's words, so
that the rest can be matched against the names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from radsbot.reports.history import AskedPeriod

_NUMBERS = {"to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "ti": 10, "two": 2, "three": 3, "four": 4}
_COUNT = r"(\d{1,2}|to|tre|fire|fem|seks|ti|two|three|four|five)"
# Patterns in folded text, most specific first; each gives an AskedPeriod from its match.
_QUARTER = (
    re.compile(r"\b([1-4])\.?\s*kvartal\w*\s*(?:i\s*)?(20\d\d)\b"),
    re.compile(r"\b(20\d\d)\s*-?\s*[qk]([1-4])\b"),
    re.compile(r"\b[qk]([1-4])\s*-?\s*(20\d\d)\b"),
)
_LAST_YEARS = re.compile(rf"\b(?:de\s+)?(?:siste|sist|last|past)\s+{_COUNT}\s+(?:arene|ara|ar|years)\b")
_SINCE = re.compile(r"\b(?:siden|sidan|since|fra og med|fra|from)\s+(20\d\d)\b")
_LAST_QUARTER = re.compile(r"\b(?:forrige|forre|last|previous)\s+(?:kvartal\w*|quarter)\b")
_LAST_YEAR = re.compile(r"\b(?:i\s*fjor|i\s*fjol|fjoraret|last year)\b")
_THIS_YEAR = re.compile(r"\b(?:i ar|this year)\b")
_YEAR = re.compile(
    r"\b(?:(?:ved|per|pr|mot)\s+(?:utgangen|slutten)\s+av\s+|(?:at\s+)?the\s+end\s+of\s+)?(20\d\d)\b"
)
_HISTORY = re.compile(
    r"\b(historikk\w*|historie\w*|history|historic\w*|tidsserie\w*|over tid|alle malinger\w*|"
    r"alle verdie\w*|all values)\b"
)


@dataclass(frozen=True)
class Found:
    """What `find_period` found: the period (or None), whether a history is asked for, the rest."""

    period: AskedPeriod | None
    history: bool
    rest: str


def find_period(folded: str) -> Found:
    """The asked period and the text without its words ("PLL ved utgangen av 2024" → 2024, "PLL")."""
    period, rest = _period(folded)
    history_word = _HISTORY.search(rest)
    if history_word:
        rest = rest[: history_word.start()] + " " + rest[history_word.end() :]
    ranged = period is not None and period.kind in ("since", "last_years")
    history = (bool(history_word) and period is None) or ranged
    if history and period is None:
        period = AskedPeriod("all")
    return Found(period, history, rest)


def _period(folded: str) -> tuple[AskedPeriod | None, str]:
    for pattern in _QUARTER:
        if m := pattern.search(folded):
            year, quarter = (m[2], m[1]) if pattern is _QUARTER[0] or pattern is _QUARTER[2] else (m[1], m[2])
            return AskedPeriod("quarter", int(year), int(quarter)), _cut(folded, m)
    if m := _LAST_YEARS.search(folded):
        count = int(m[1]) if m[1].isdigit() else _NUMBERS.get(m[1], 3)
        return AskedPeriod("last_years", number=count), _cut(folded, m)
    if m := _SINCE.search(folded):
        return AskedPeriod("since", int(m[1])), _cut(folded, m)
    for pattern, kind in (
        (_LAST_QUARTER, "last_quarter"),
        (_LAST_YEAR, "last_year"),
        (_THIS_YEAR, "this_year"),
    ):
        if m := pattern.search(folded):
            return AskedPeriod(kind), _cut(folded, m)
    if m := _YEAR.search(folded):
        return AskedPeriod("year", int(m[1])), _cut(folded, m)
    return None, folded


def _cut(text: str, m: re.Match[str]) -> str:
    return f"{text[: m.start()]} {text[m.end() :]}"
