"""The digest as chat replies: overview first, one reply per goal, within Slack's limits."""

from __future__ import annotations

import datetime as dt

import pytest
from radsbot.bot.digest_replies import compose, digest_replies
from radsbot.bot.replies import Reply
from radsbot.data.councils import council_by_name
from radsbot.data.models import Goal, GoalNarrative
from radsbot.reports.digest import build_digest
from sqlalchemy import select

TODAY = dt.date(2026, 11, 22)
FAKE_PNG = b"\x89PNG\r\n\x1a\n-not-drawn-"
MAX_BLOCKS, MAX_TEXT, MAX_FIELD, MAX_FIELDS, MAX_HEADER = 50, 3000, 2000, 10, 150


def blocks_needed(reply: Reply) -> int:
    """The most Block Kit blocks a renderer needs: header, notice, and per section its parts."""
    per_section = sum(
        bool(s.heading or s.text or s.items) + bool(s.facts) + bool(s.context) + bool(s.buttons)
        for s in reply.sections
    )
    return 1 + bool(reply.notice) + per_section


def section_text(section) -> str:
    """Everything a renderer puts into one section's text: heading, text and bullet items."""
    return "\n".join([f"*{section.heading}*", section.text, *(f"• {i}" for i in section.items)])


def within_limits(reply: Reply) -> None:
    """Assert that one reply fits Slack's message limits."""
    assert blocks_needed(reply) <= MAX_BLOCKS
    assert len(reply.title) <= MAX_HEADER
    for s in reply.sections:
        # Leave room for escaping & < > as entities.
        assert len(section_text(s)) <= MAX_TEXT * 0.85, s.heading
        assert len(s.facts) <= MAX_FIELDS
        assert all(len(f.label) + len(f.value) < MAX_FIELD for f in s.facts)
        assert len(s.context) <= MAX_TEXT


def long_narrative(session) -> GoalNarrative:
    """Replace Mål 2's narratives with one far longer than a Slack message holds."""
    goal = session.scalar(select(Goal).where(Goal.code == "mal2"))
    for old in session.scalars(select(GoalNarrative).where(GoalNarrative.goal_id == goal.id)):
        session.delete(old)
    word = "Kommunene prioriterer samhandling og modernisering av journalsystemer. "
    narrative = GoalNarrative(
        goal_id=goal.id,
        quarter="2026-Q4",
        overall_status=[word * 90],  # one point of about 6,500 characters
        positive_events=[f"Hendelse {i}: {word * 3}" for i in range(150)],
        challenges=["Kort utfordring"],
        strategic_questions=[f"Spørsmål {i}?" for i in range(30)],
    )
    session.add(narrative)
    session.flush()
    return narrative


def test_overview_first_then_one_reply_per_goal_with_its_chart(session):
    council = council_by_name(session, "nuit")
    digest = build_digest(session, council, None, today=TODAY)
    charts = {g.chart_filename: FAKE_PNG for g in digest.goals}
    replies = digest_replies(digest, "nb", charts=charts)
    overview = replies[0]
    assert overview.title == digest.title
    facts = {f.label: f.value for s in overview.sections for f in s.facts}
    for count in digest.totals:
        assert facts[count.label] == str(count.count)
    goal_replies = [r for r in replies[1:] if r.attachments]
    assert [r.title for r in goal_replies] == [g.label for g in digest.goals]
    for reply, goal in zip(goal_replies, digest.goals, strict=True):
        (chart,) = reply.attachments
        assert chart.filename == goal.chart_filename and chart.content == FAKE_PNG and chart.is_image
        lines = [i for s in reply.sections for i in s.items]
        for row in goal.indicators:
            assert any(line.startswith(row.name) and row.verdict_label in line for line in lines)
    for reply in replies:
        within_limits(reply)


def test_long_narratives_are_split_and_nothing_is_lost(session):
    narrative = long_narrative(session)
    council = council_by_name(session, "nuit")
    digest = build_digest(session, council, None, today=TODAY)
    goal = next(g for g in digest.goals if g.code == "mal2")
    charts = {g.chart_filename: FAKE_PNG for g in digest.goals}
    replies = [r for r in digest_replies(digest, charts=charts) if r.meta.get("goal") == "mal2"]
    # Too much for one message: the goal continues in a second reply; the chart goes with the first.
    assert [r.title for r in replies] == [goal.label, f"{goal.label} (forts.)"]
    assert [len(r.attachments) for r in replies] == [1, 0]
    for reply in replies:
        within_limits(reply)
    sections = [s for r in replies for s in r.sections]
    status = [s for s in sections if s.heading.startswith("Overordnet status")]
    assert len(status) >= 3  # 6,500 characters need three sections at least
    assert " ".join(" ".join(s.items) for s in status).split() == narrative.overall_status[0].split()
    events = [i for s in sections if s.heading.startswith("Positive hendelser") for i in s.items]
    assert events == [f"{n}. {e}" for n, e in enumerate(narrative.positive_events, start=1)]
    assert goal.narrative.parts[1].items == tuple(narrative.positive_events)


@pytest.mark.slow
def test_compose_is_the_schedulers_composer(session):
    council = council_by_name(session, "nuit")
    meeting = council.meetings[-1]
    replies = compose(session, council, meeting, TODAY)
    assert replies[0].title.startswith("Status nasjonal e-helsestrategi — før ")
    assert sum(1 for r in replies if r.attachments) == 8
    assert all(r.attachments[0].content.startswith(b"\x89PNG") for r in replies if r.attachments)
