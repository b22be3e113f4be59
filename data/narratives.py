"""The goals' quarterly status texts: versions per goal and quarter, stored all or nothing.

A goal's text for a quarter is a GoalNarrative row; the seed's is version 0 and every import or
chat edit that changes it adds the next version, so the newest is the text in force and the
older ones stay retrievable (`versions`). Storing the same texts again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from radsbot.data import queries
from radsbot.data.errors import DomainError
from radsbot.data.fields import problem, quote
from radsbot.data.model_base import utc_now
from radsbot.data.models import Goal, GoalNarrative
from radsbot.data.periods import PeriodError, parse_period
from radsbot.data.words import N_, msg
from sqlalchemy import func, select
from sqlalchemy.orm import Session

# The sections of a goal's text, as the quarterly status report has them; all five are required.
SECTIONS = ("overall_status", "selected", "positive_events", "challenges", "strategic_questions")
# Footnotes may be left empty.
OPTIONAL = ("footnotes",)
FIELDS = SECTIONS + OPTIONAL
# Each section's heading (a msgid, translated where it is shown), as 002 names it.
HEADINGS = {
    "overall_status": N_("Overall status"),
    "selected": N_("Selected indicators and strategic sub-goals"),
    "positive_events": N_("Positive developments"),
    "challenges": N_("Challenges"),
    "strategic_questions": N_("Key strategic questions"),
    "footnotes": N_("Footnotes"),
}


class NarrativeError(DomainError):
    """A status text or quarter that cannot be stored; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class GoalText:
    """One goal's text for a quarter: the items of each section (FIELDS), in stored form."""

    goal_code: str
    sections: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def items(self, name: str) -> tuple[str, ...]:
        """The items of one section (empty when it has none)."""
        return tuple(self.sections.get(name, ()))


@dataclass
class Stored:
    """What storing a quarter's texts did: goals with a new version, and goals left unchanged."""

    quarter: str
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def check_quarter(text: str) -> str:
    """A quarter as stored ("2026-Q4"), from "2026-Q4", "Q4 2026" or "4. kvartal 2026".

    Raises:
        NarrativeError: not a quarter.
    """
    try:
        period = parse_period(text)
    except PeriodError:
        period = None
    if period is None or period.kind != "quarter":
        raise NarrativeError(msg("{value} is not a quarter. Write it as 2026-Q4.", value=quote(text)))
    return period.label


def text_of(stored: GoalNarrative | None, goal_code: str) -> GoalText:
    """A stored narrative as a GoalText (empty sections when there is none)."""
    if stored is None:
        return GoalText(goal_code, {name: () for name in FIELDS})
    return GoalText(goal_code, {name: tuple(getattr(stored, name) or ()) for name in FIELDS})


def versions(session: Session, goal: Goal, quarter: str) -> list[GoalNarrative]:
    """Every stored version of a goal's text for a quarter, newest first."""
    return queries.narrative_versions(session, goal.id, quarter)


def store_quarter(
    session: Session,
    quarter: str,
    texts: list[GoalText],
    *,
    actor: str,
    now: dt.datetime | None = None,
) -> Stored:
    """Store a quarter's texts, a new version for each goal whose text differs; the caller commits.

    Raises:
        NarrativeError: an unknown goal or a text its column cannot hold; nothing is added.
    """
    goals = {g.code: g for g in session.scalars(select(Goal))}
    result = Stored(quarter)
    planned: list[tuple[Goal, GoalText]] = []
    for text in texts:
        goal = goals.get(text.goal_code)
        if goal is None:
            raise NarrativeError(msg("Unknown goal {goal}.", goal=quote(text.goal_code)))
        _check(goal, text)
        current = queries.narrative(session, goal.id, quarter)
        if current is not None and text_of(current, goal.code) == _complete(text):
            result.unchanged.append(goal.code)
        else:
            planned.append((goal, text))
    for goal, text in planned:
        _add_version(session, goal, quarter, text, actor, now or utc_now())
        result.changed.append(goal.code)
    session.flush()
    return result


def _complete(text: GoalText) -> GoalText:
    return GoalText(text.goal_code, {name: text.items(name) for name in FIELDS})


def _check(goal: Goal, text: GoalText) -> None:
    for name in FIELDS:
        reason = problem(list(text.items(name)), getattr(GoalNarrative, name))
        if reason:
            raise NarrativeError(
                msg(
                    "{goal}, «{section}»: {reason}",
                    goal=goal.label,
                    section=msg(HEADINGS[name]),
                    reason=reason,
                )
            )


def _add_version(
    session: Session, goal: Goal, quarter: str, text: GoalText, actor: str, now: dt.datetime
) -> GoalNarrative:
    newest = session.scalar(
        select(func.max(GoalNarrative.version)).where(
            GoalNarrative.goal_id == goal.id, GoalNarrative.quarter == quarter
        )
    )
    # The featured indicators are not edited in a text: they follow from the goal's latest one.
    earlier = queries.latest_narrative(session, goal.id, quarter)
    row = GoalNarrative(
        goal_id=goal.id,
        quarter=quarter,
        version=(newest or 0) + 1,
        recorded_at=now,
        recorded_by=actor[:120],
        title=goal.name,
        indicator_codes=list(earlier.indicator_codes) if earlier else [],
        source_document="",
        **{name: list(text.items(name)) for name in FIELDS},
    )
    session.add(row)
    return row


def ordered_goals(session: Session) -> list[Goal]:
    """Every goal as the status report orders them: the overarching ones first, then Mål 1–5."""
    goals = session.scalars(select(Goal).order_by(Goal.sort_order, Goal.id))
    return sorted(goals, key=lambda g: g.kind != "overordnet")


def find_goal(session: Session, text: str) -> Goal:
    """A goal by code ("mal2"), number ("2", "mål 2") or name.

    Raises:
        NarrativeError: no goal fits; the message lists the codes.
    """
    goals = ordered_goals(session)
    wanted = " ".join(text.casefold().split())
    digits = re.sub(r"^(m[aå]a?l|goal)\s*", "", wanted)
    for goal in goals:
        if wanted in (goal.code, goal.name.casefold()) or (digits.isdigit() and goal.number == int(digits)):
            return goal
    raise NarrativeError(
        msg(
            "Found no goal {goal}. Use one of: {codes}.",
            goal=quote(text),
            codes=", ".join(g.code for g in goals),
        )
    )
