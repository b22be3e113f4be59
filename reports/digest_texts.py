"""The digest's words: headings, notes and table labels, from the message catalogue.

`labels(lang)` are the column and field labels every renderer of the digest shares; `parts(lang)`
the headings of a goal's narrative.
"""

from __future__ import annotations

from functools import cache

from radsbot.data.words import words


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
