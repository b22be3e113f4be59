"""Staff replace one section of a goal's status text from chat: the form to fill in, and saving it.

Transport-neutral: a transport shows `EditForm` as its own form (Slack: a modal opened with
views.open) and hands the text back to `save_edit`. Only the staff role may do either, checked
again on saving; every change and refusal is audited. The quarter's text gets a new version
with the section replaced; when the quarter has no text of its own yet, the other sections are
those of the goal's newest earlier text, as the Word export pre-fills them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from radsbot.data import queries
from radsbot.data.access import allowed, audit, record
from radsbot.data.db import SessionFactory, transaction
from radsbot.data.errors import DomainError
from radsbot.data.narratives import (
    FIELDS,
    HEADINGS,
    GoalText,
    check_quarter,
    find_goal,
    store_quarter,
    text_of,
)
from radsbot.data.periods import quarter_of
from radsbot.data.words import msg, words
from radsbot.reports import formatting as fmt

ACTION = "edit_narrative"
# List markers a writer may type before a point ("- ", "• ", "1. ", "2) "); the stored form has none.
_MARKER = re.compile(r"^\s*(?:[-–•*]|\d{1,2}[.)])\s+")


class EditRefused(DomainError):
    """The edit may not or cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class EditForm:
    """What the form shows: the goal, the section, the quarter and the current text (a point a line)."""

    goal_code: str
    section: str
    quarter: str
    title: str  # "Mål 2: Enklere arbeidshverdag – Utfordringer"
    intro: str  # which quarter the text is for, and where the current one comes from
    label: str  # the field's label
    hint: str
    text: str


def button_value(goal_code: str, section: str) -> str:
    """The value a chat button carries to open the form ("mal2:challenges")."""
    return f"{goal_code}:{section}"


def parse_value(value: str) -> tuple[str, str]:
    """(goal code, section) from a button's value; EditRefused when it is not one."""
    goal_code, _, section = value.partition(":")
    if section not in FIELDS or not goal_code:
        raise EditRefused(msg("This button does not name a section of a status text. Ask again."))
    return goal_code, section


def edit_form(
    sessions: SessionFactory,
    user: str,
    value: str,
    *,
    today: dt.date,
    lang: str,
    admins: tuple[str, ...] = (),
) -> EditForm:
    """The form for one section of a goal's text this quarter; EditRefused (audited) if not allowed."""
    goal_code, section = parse_value(value)
    w = words(lang)
    _check_staff(sessions, user, admins, value)
    with transaction(sessions) as session:
        goal = find_goal(session, goal_code)
        quarter = quarter_of(today)
        stored = queries.latest_narrative(session, goal.id, quarter)
        heading = w._(HEADINGS[section])
        when = fmt.period(quarter, lang)
        intro = w._(
            "The text for {quarter}. Saving it makes a new version; the old one is kept.", quarter=when
        )
        if stored is not None and stored.quarter != quarter:
            intro += " " + w._(
                "The current text is from {old}; the other sections are taken over from it.",
                old=fmt.period(stored.quarter, lang),
            )
        return EditForm(
            goal_code=goal.code,
            section=section,
            quarter=quarter,
            title=f"{goal.label_in(lang)} – {heading}",
            intro=intro,
            label=heading,
            hint=w._("One point per line."),
            text="\n".join(text_of(stored, goal.code).items(section)),
        )


def items_of(text: str) -> list[str]:
    """The points of a text written one per line, without list markers or blank lines."""
    return [" ".join(_MARKER.sub("", line).split()) for line in text.splitlines() if line.strip()]


def validate(text: str, lang: str) -> str:
    """What is wrong with the text for the form to show, or ""."""
    if not items_of(text):
        return words(lang)._("Write at least one point.")
    return ""


def save_edit(
    sessions: SessionFactory,
    user: str,
    goal_code: str,
    section: str,
    quarter: str,
    text: str,
    *,
    lang: str,
    admins: tuple[str, ...] = (),
) -> str:
    """Store the section as a new version of the quarter's text; returns the confirmation to show.

    Raises:
        EditRefused: not staff, or nothing written (audited); nothing is stored.
    """
    target = f"{goal_code} {quarter} {section}"
    items = items_of(text)
    quarter = check_quarter(quarter)
    _check_staff(sessions, user, admins, target)
    if not items or section not in FIELDS:
        record(sessions, user, "narrative_edit", target, outcome="failed", error="empty")
        raise EditRefused(msg("Write at least one point."))
    with transaction(sessions) as session:
        goal = find_goal(session, goal_code)
        current = text_of(queries.latest_narrative(session, goal.id, quarter), goal.code)
        sections = {name: current.items(name) for name in FIELDS} | {section: tuple(items)}
        stored = store_quarter(session, quarter, [GoalText(goal.code, sections)], actor=user)
        saved = queries.narrative(session, goal.id, quarter)
        if saved is None:  # stored just above, in this transaction
            raise RuntimeError(f"the text of {goal.code} for {quarter} was not stored")
        version = saved.version
        audit(
            session,
            user,
            "narrative_edit",
            target,
            quarter=quarter,
            section=section,
            version=version,
            changed=bool(stored.changed),
        )
        return words(lang)._(
            "«{section}» of {goal} is saved for {quarter} (version {version}).",
            section=words(lang)._(HEADINGS[section]),
            goal=goal.label_in(lang),
            quarter=fmt.period(quarter, lang),
            version=version,
        )


def _check_staff(sessions: SessionFactory, user: str, admins, target: str) -> None:
    with sessions() as session:
        permitted = allowed(session, user, "narrative", admins)
    if not permitted:
        record(sessions, user, "narrative_edit", target, outcome="denied")
        raise EditRefused(
            msg("Only the secretariat (the staff role) may change status texts. Ask an admin for access.")
        )
