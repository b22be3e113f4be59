"""Meetings, cases, goals and councils named in chat the ways people write them, on the seed.

Each answer is checked against the stored meeting, case or goal it must name.
"""

from __future__ import annotations

import pytest
from radsbot.bot import intents as i
from radsbot.bot.intents import parse
from radsbot.data.models import Case, Council, Goal, Meeting
from radsbot.reports import formatting as fmt
from sqlalchemy import select

from tests.test_engine import all_text, facts


def stored_meeting(session, code: str, number: str) -> Meeting:
    """A seeded meeting of a council."""
    found = session.scalar(
        select(Meeting).join(Council).where(Council.code == code, Meeting.number == number)
    )
    assert found is not None, f"{code} {number} is not in the seed"
    return found


@pytest.mark.parametrize(
    "text", ["mål 6", "mål 7", "mål 10", "goal 9", "graf mål 6", "hva er status for mål 0?"]
)
def test_a_goal_number_that_does_not_exist_says_so(chat, session, text):
    """Only goals 1–5 exist: "mål 6" is a missing goal, not a list of indicators with a 6 in their code."""
    numbers = sorted(n for n in session.scalars(select(Goal.number)) if n)
    reply = chat.answer(text)
    assert reply.kind == "not_found", all_text(reply)
    number = text.split()[-1].strip("?")
    assert f"mål {number}" in reply.title.casefold()
    assert "Mente du" not in reply.title
    assert not any(code in all_text(reply) for code in ("P23_", "DDFL", "DHO"))
    assert str(numbers[0]) in all_text(reply) and str(numbers[-1]) in all_text(reply)


@pytest.mark.parametrize(
    ("text", "number", "council"),
    [
        ("1/2026", "1/2026", None),
        ("saker til NUIT 4/2025", "4/2025", "nuit"),
        ("hvilke saker var på NUIT 4/2025?", "4/2025", "nuit"),
        ("dagsorden 1/2026 i fagrådet", "1/2026", "nufa"),
        ("møte 20.11.2025", "2025-11-20", None),
        ("møte 2025-11-20", "2025-11-20", None),
        ("møtet 21. januar 2026", "2026-01-21", None),
        ("20.11.2025", "2025-11-20", None),
    ],
)
def test_meetings_by_number_or_date(catalogue, text, number, council):
    """A meeting number alone, with "saker", or a meeting's date names that meeting."""
    intent = parse(text, catalogue)
    assert type(intent) is i.MeetingByNumber, intent
    assert (intent.number, intent.council) == (number, council)


def test_cases_of_a_numbered_meeting_are_that_meetings_agenda(chat, session):
    meeting = stored_meeting(session, "nuit", "4/2025")
    reply = chat.answer("saker til NUIT 4/2025")
    assert reply.title.endswith("møte 4/2025") and "Porteføljerådet" in reply.title
    agenda = next(s for s in reply.sections if s.heading == "Saker")
    assert [item.split(" ")[0] for item in agenda.items] == [c.number for c in meeting.cases]


def test_a_meeting_number_alone_lists_the_councils_that_have_it(chat, session):
    stored = session.scalars(select(Meeting).where(Meeting.number == "1/2026")).all()
    assert len(stored) > 1
    reply = chat.answer("1/2026")
    assert reply.kind == "ambiguous"
    assert (
        reply.summary.startswith(f"{len(stored)} råd har møte 1/2026") and "«møte 1/2026 i " in reply.summary
    )
    assert len(reply.sections[0].items) == len(stored)
    for meeting in stored:
        assert any(meeting.council.display_name in item for item in reply.sections[0].items)


@pytest.mark.parametrize("text", ["møte 20.11.2025", "møtet 20. november 2025", "20.11.2025"])
def test_a_meeting_by_its_date(chat, session, text):
    meeting = stored_meeting(session, "nuit", "4/2025")
    reply = chat.answer(text)
    assert reply.kind != "not_found", all_text(reply)
    assert facts(reply)["Dato"] == fmt.date(meeting.date)
    assert "Porteføljerådet" in reply.title


def test_a_date_without_a_meeting_says_so(chat):
    reply = chat.answer("møte 19.11.2025")
    assert reply.kind == "not_found"
    assert "19. november 2025" in reply.summary


def test_a_case_number_written_with_the_full_year(chat, session):
    """ "40/2025" without "sak" is no meeting (NUIT has four a year): it is case 40/25."""
    case = session.scalar(select(Case).join(Council).where(Case.number == "40/25", Council.code == "nuit"))
    reply = chat.answer("40/2025")
    assert reply.title == f"Sak 40/25: {case.title}"


@pytest.mark.parametrize(
    ("text", "council"),
    [
        ("dagsorden for neste fagrådsmøte", "nufa"),
        ("når er neste porteføljerådsmøte?", "nuit"),
        ("saker til neste strategirådsmøte", "ehelseradet"),
        ("neste e-helserådsmøte", "ehelseradet"),
        ("next meeting in strategy council", "ehelseradet"),
        ("when does the portfolio council meet next?", "nuit"),
        ("next meeting of the professional council", "nufa"),
    ],
)
def test_councils_in_compounds_and_english(catalogue, text, council):
    """ "fagrådsmøte" names Fagrådet; English names name the councils too."""
    assert parse(text, catalogue).council == council


def test_the_next_meeting_of_a_council_named_in_a_compound(chat, session):
    reply = chat.answer("dagsorden for neste fagrådsmøte")
    assert "Fagrådet" in reply.title, reply.title


def test_nynorsk_source_question(catalogue):
    intent = parse("kva er kjelda for tillit?", catalogue)
    assert (type(intent), intent.code, intent.aspect) == (i.IndicatorStatus, "TILLIT", "source")


def test_meeting_and_case_answers_keep_working(chat):
    """The readings above did not take over the ones that worked before."""
    assert "4/2025" in chat.answer("møte 4/2025").title
    assert chat.answer("sak 40/25").title.startswith("Sak 40/25")
    assert chat.answer("40/25").title.startswith("Sak 40/25")
    assert chat.answer("møter i 2026").title == "Møter i 2026"
    # With "møte" it is a meeting, also when a case has that number: 5/26 is a case, not a meeting.
    assert chat.answer("møte 5/2026").kind == "not_found"
    assert chat.answer("hva er ambisjonen for PLL, er målet 30 %?").kind != "not_found"


def test_meetings_without_a_number_are_named_by_their_date(chat, session):
    """The seed stores NUIT's meeting of 13 February 2025 under "2025-02-13"; readers see the date."""
    meeting = stored_meeting(session, "nuit", "2025-02-13")
    case = next(c for c in meeting.cases)
    card = chat.answer(f"sak {case.number} i NUIT")
    assert facts(card)["Møte"] == fmt.date(meeting.date)
    assert "2025-02-13" not in all_text(card)
    listing = chat.answer("møter i 2025 i NUIT")
    line = next(item for item in listing.sections[0].items if item.startswith(fmt.date(meeting.date)))
    assert "2025-02-13" not in line and line.count("februar") == 1
    by_date = chat.answer("møte 13.02.2025")
    assert "2025-02-13" not in by_date.title and "13. februar 2025" in by_date.title


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("indikator 1.1", "P23_1_1"),
        ("1.1", "P23_1_1"),
        ("status 2.3", "P23_2_3"),
        ("hva er status for indikator 5.4?", "P23_5_4"),
        ("graf 1.2", "P23_1_2"),
    ],
)
def test_the_2023_plans_indicator_numbers(catalogue, text, code):
    """The 2023 plan numbers its indicators 1.1 … 5.4 (document 001); "1.1" is not goal 1."""
    assert code in {ind.code for ind in catalogue.indicators}
    assert getattr(parse(text, catalogue), "code", None) == code


def test_the_readiness_question_in_other_words(catalogue):
    assert parse("hva er datastatus for EPJ_EOL", catalogue).aspect == "readiness"


def test_earlier_decisions_say_which_council_and_when(chat, session):
    """Two cited cases numbered 4/25 (NUIT and Strategirådet) are told apart; no "tittel.: vedtak"."""
    case = session.scalar(select(Case).join(Council).where(Case.number == "40/25", Council.code == "nuit"))
    reply = chat.answer("sak 40/25")
    cited = next(s for s in reply.sections if s.heading == "Tidligere behandlinger").items
    for earlier, line in zip(case.cites, cited, strict=True):
        assert earlier.council.display_name in line
    assert len(set(cited)) == len(cited)
    for text in ("sak 38/25", "sak 40/25"):
        assert ".:" not in all_text(chat.answer(text))
    assert ".." not in chat.answer("sak 9/24").summary  # its title ends with a full stop
