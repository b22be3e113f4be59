"""Chat answers from the goals' status texts: the newest for the quarter asked, an older one named."""

from __future__ import annotations

import pytest
from radsbot.bot.intents import GoalStatus, parse
from radsbot.data.lookups import goal_by_code
from radsbot.data.narratives import GoalText, store_quarter

from tests.conftest import CHAT_TODAY


def test_a_question_about_a_section_of_a_goal_is_understood(catalogue):
    assert parse("hva er utfordringene i mål 4?", catalogue) == GoalStatus(
        "hva er utfordringene i mål 4?", code="mal4", section="challenges"
    )
    assert parse("positive hendelser mål 1", catalogue).section == "positive_events"
    assert parse("strategiske spørsmål i mål 5", catalogue).section == "strategic_questions"
    assert parse("status mål 2", catalogue) == GoalStatus("status mål 2", code="mal2")


def test_the_challenges_of_a_goal_come_from_its_older_text_named_as_older(chat):
    reply = chat.answer("hva er utfordringene i mål 4?")
    (section,) = reply.sections
    assert reply.title == "Utfordringer – Mål 4: Tilgjengelig informasjon og styrket samhandling"
    assert (
        section.text
        == "Statusvurderingen er fra 2. kvartal 2026; det er ikke skrevet noen for 4. kvartal 2026."
    )
    assert section.items[0].startswith(
        "Usikkerhet rundt status på regionale/lokale planer for innføring av ICD-11"
    )


@pytest.mark.slow
def test_status_of_a_goal_shows_the_newest_text_for_the_quarter(chat, session):
    goal = goal_by_code(session, "mal2")
    sections = {"overall_status": ("Ny status for fjerde kvartal",), "challenges": ("Ny utfordring",)}
    sections |= {name: ("Punkt",) for name in ("selected", "positive_events", "strategic_questions")}
    store_quarter(session, "2026-Q4", [GoalText(goal.code, sections)], actor="test")
    session.commit()
    status = chat.answer("status mål 2")
    overall = next(s for s in status.sections if s.heading == "Overordnet status")
    assert overall.items == ("Ny status for fjerde kvartal",) and overall.text == ""
    assert overall.context == "Fra statusvurderingen for 4. kvartal 2026."
    challenges = chat.answer("hva er utfordringene i mål 2?")
    assert challenges.sections[0].items == ("Ny utfordring",) and challenges.sections[0].text == ""


def test_the_dashboard_shows_the_newest_version_of_the_published_quarter(session):
    from radsbot.reports.dashboard import goal_page

    goal = goal_by_code(session, "mal2")
    sections = {name: ("Rettet punkt",) for name in ("overall_status", "selected", "positive_events")}
    sections |= {"challenges": ("Rettet utfordring",), "strategic_questions": ("Spørsmål",)}
    store_quarter(session, "2026-Q2", [GoalText(goal.code, sections)], actor="test")
    session.flush()
    page = goal_page(session, "mal2", CHAT_TODAY)
    assert page.narrative_quarter == "2. kvartal 2026"
    assert page.narrative.parts[2].items == ("Rettet utfordring",)
