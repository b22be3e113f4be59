"""A goal's status text as plain text, with its version and the quarter's earlier versions."""

from __future__ import annotations

from radsbot.data import queries
from radsbot.data.db import Session
from radsbot.data.models import Goal, GoalNarrative
from radsbot.data.narratives import FIELDS, HEADINGS, NarrativeError
from radsbot.data.words import msg, words
from radsbot.reports import formatting as fmt

# Sections the status report numbers; the others are bulleted.
NUMBERED = frozenset({"positive_events", "challenges", "strategic_questions"})


def narrative_text(
    session: Session, goal: Goal, quarter: str, *, version: int | None = None, lang: str = "nb"
) -> str:
    """The text in force for the quarter (or an older version of it), or the newest older one, named so.

    Raises:
        NarrativeError: the quarter has no such version.
    """
    w = words(lang)
    label = fmt.period(quarter, lang)
    history = queries.narrative_versions(session, goal.id, quarter)
    if version is not None:
        stored = next((n for n in history if n.version == version), None)
        if stored is None:
            raise NarrativeError(
                msg(
                    "{goal} has no version {version} for {quarter}. Versions: {versions}.",
                    goal=goal.label,
                    version=version,
                    quarter=label,
                    versions=", ".join(str(n.version) for n in history) or "–",
                )
            )
    else:
        stored = history[0] if history else queries.latest_narrative(session, goal.id, quarter)
    if stored is None:
        none = w._("No status assessment has been written for this goal for {quarter}.", quarter=label)
        return f"{goal.label_in(lang)}\n{none}"
    lines = [f"{goal.label_in(lang)} – {fmt.period(stored.quarter, lang)} ({_version(stored, lang)})"]
    if stored.quarter != quarter:
        lines.append(
            w._(
                "The status assessment is from {old}; none has been written for {quarter}.",
                old=fmt.period(stored.quarter, lang),
                quarter=label,
            )
        )
    lines += section_lines(stored, lang)
    older = [n for n in history if n is not stored]
    if older:
        lines += ["", w._("Other versions for {quarter}:", quarter=label)]
        lines += [f"  {_version(n, lang)}" for n in older]
        lines.append(w._("Show one with --version N."))
    return "\n".join(lines)


def section_lines(stored: GoalNarrative, lang: str, only: str | None = None) -> list[str]:
    """Each section's heading and its points (numbered where the report numbers them)."""
    w, lines = words(lang), []
    for name in FIELDS if only is None else (only,):
        items = list(getattr(stored, name) or ())
        if not items and name == "footnotes":
            continue
        lines += ["", w._(HEADINGS[name])]
        if not items:
            lines.append("–")
        for i, item in enumerate(items, start=1):
            lines.append(f"{i}. {item}" if name in NUMBERED else f"- {item}")
    return lines


def _version(stored: GoalNarrative, lang: str) -> str:
    w = words(lang)
    if stored.version == 0:
        return w._("version {number}, from the seed data", number=0)
    when = fmt.short_date(stored.recorded_at, lang) if stored.recorded_at else "–"
    return w._(
        "version {number}, stored {date} by {actor}",
        number=stored.version,
        date=when,
        actor=stored.recorded_by,
    )
