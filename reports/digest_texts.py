"""The digest's words: headings, notes and table labels, from the message catalogue.

`labels(lang)` are the column and field labels every renderer of the digest shares. `TEXTS`
({language: {key: text}}) keeps the keys the chat renderer (bot/digest_replies.py) looks up.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache

from radsbot.data.words import LANGUAGES, words
from radsbot.reports import formatting as fmt


@cache
def labels(lang: str) -> dict[str, str]:
    """Column and field labels of the digest, in the reader's language."""
    w = words(lang)
    return {
        "council": w._("Council"),
        "meeting": w._("Meeting"),
        "quarter": w._("Quarter"),
        "previous": w._("Previous meeting"),
        "made": w._("Made"),
        "overview": w._("Overview of all goals"),
        "selected": w._("Selected indicators"),
        "goal": w._("Goal"),
        "total": w._("Total"),
        "indicator": w._("Indicator"),
        "value": w._("Latest value"),
        "period": w._("Period"),
        "ambition": w._("Target"),
        "verdict": w._("Assessment"),
        "change": w._("Change since the previous meeting"),
        "assessment": w._("Assessment of the target"),
        "chart": w._("Chart"),
        "highlighted": w._("selected"),
        "none": w._("No indicators are registered for this goal."),
    }


def parts(lang: str) -> tuple[str, str, str, str]:
    """The headings of a goal's narrative, as the quarterly status report has them."""
    w = words(lang)
    return (
        w._("Overall status"),
        w._("Positive developments"),
        w._("Challenges"),
        w._("Key strategic questions"),
    )


class _Texts(Mapping[str, dict]):
    """{language: the digest's texts by key}, built from the catalogue when first looked up."""

    def __getitem__(self, lang: str) -> dict:
        return _texts(lang)

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)


@cache
def _texts(lang: str) -> dict:
    w = words(lang)
    return {
        "title": w._("National e-health strategy status"),
        "parts": parts(lang),
        "no_ambition": fmt.ambition(None, "%", lang),
        "unchanged": w._("No new measurement"),
        "no_earlier": w._("No measurement before the previous meeting"),
        "example_meeting": w._("The meeting date is example data (planned meeting calendar)."),
        "no_previous": w._("No earlier meeting to compare with."),
        "labels": labels(lang),
    }


TEXTS = _Texts()
