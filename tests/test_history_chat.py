"""A value at a period, and history (issue 10 §1): phrasings, resolution against the asking day, facts.

The figures are the seed's (data/seed/indicators/*.yaml): PLL quarterly 2023-Q1 … 2026-Q3 (example
data), VFT yearly 2021–2025, TILLIT yearly 2023–2025, HDS_TID yearly 2021–2025 (2024 and 2025 real).
"""

from __future__ import annotations

import datetime as dt

import pytest
from radsbot.bot import intents as i
from radsbot.bot.intents import parse
from radsbot.reports import history
from radsbot.reports.history import AskedPeriod

from tests.conftest import CHAT_TODAY

Y = AskedPeriod
VALUE_AT = [
    ("PLL ved utgangen av 2024", "PLL", Y("year", 2024)),
    ("velferdsteknologi 2023", "VFT", Y("year", 2023)),
    ("hvor lang var behandlingstiden hos Helsedataservice i fjor?", "HDS_TID", Y("last_year")),
    ("PLL i fjor", "PLL", Y("last_year")),
    ("tillit i 2024", "TILLIT", Y("year", 2024)),
    ("hva var PLL i 3. kvartal 2024?", "PLL", Y("quarter", 2024, 3)),
    ("DDFL 2025-Q2", "DDFL", Y("quarter", 2025, 2)),
    ("DDFL Q2 2025", "DDFL", Y("quarter", 2025, 2)),
    ("PLL forrige kvartal", "PLL", Y("last_quarter")),
    ("velferdsteknologi i år", "VFT", Y("this_year")),
    ("bruk av velferdsteknologi i kommunene 2022", "VFT", Y("year", 2022)),
    ("hva var verdien for pasientens legemiddelliste ved slutten av 2025?", "PLL", Y("year", 2025)),
    ("innbyggers tillit 2025", "TILLIT", Y("year", 2025)),
    ("digital dialog med fastlege 2024", "DDFL", Y("year", 2024)),
    ("PLL at the end of 2024", "PLL", Y("year", 2024)),
    ("welfare technology last year", "VFT", Y("last_year")),
]
HISTORY = [
    ("historikk tillit", "TILLIT", Y("all")),
    ("utviklingen for DDFL siden 2022", "DDFL", Y("since", 2022)),
    ("PLL siden 2024", "PLL", Y("since", 2024)),
    ("tillit siste tre år", "TILLIT", Y("last_years", number=3)),
    ("velferdsteknologi de siste 2 årene", "VFT", Y("last_years", number=2)),
    ("historikken for pasientens legemiddelliste", "PLL", Y("all")),
    ("alle målinger av velferdsteknologi", "VFT", Y("all")),
    ("history of trust", "TILLIT", Y("all")),
    ("DDFL since 2025", "DDFL", Y("since", 2025)),
    ("tidsserie for HDS tid", "HDS_TID", Y("all")),
]


@pytest.mark.parametrize(("text", "code", "period"), VALUE_AT)
def test_a_value_at_a_period_is_understood(catalogue, text, code, period):
    intent = parse(text, catalogue)
    assert isinstance(intent, i.ValueAt), intent
    assert (intent.code, intent.period) == (code, period)


@pytest.mark.parametrize(("text", "code", "period"), HISTORY)
def test_a_history_is_understood(catalogue, text, code, period):
    intent = parse(text, catalogue)
    assert isinstance(intent, i.History), intent
    assert (intent.code, intent.period) == (code, period)


@pytest.mark.parametrize(
    "text", ["møter i 2026", "graf PLL siden 2022", "mål 3 i 2024", "utviklingen for DDFL", "status PLL"]
)
def test_other_questions_with_periods_keep_their_meaning(catalogue, text):
    assert not isinstance(parse(text, catalogue), (i.ValueAt, i.History))


@pytest.mark.parametrize(
    ("asked", "today", "start", "end"),
    [
        (Y("last_year"), dt.date(2026, 11, 22), dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        (Y("last_quarter"), dt.date(2026, 11, 22), dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        (Y("last_quarter"), dt.date(2026, 2, 3), dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        (Y("last_years", number=3), dt.date(2026, 11, 22), dt.date(2023, 11, 22), dt.date(2026, 11, 22)),
        (Y("last_years", number=1), dt.date(2028, 2, 29), dt.date(2027, 2, 28), dt.date(2028, 2, 29)),
        (Y("since", 2022), dt.date(2026, 11, 22), dt.date(2022, 1, 1), dt.date(2026, 11, 22)),
        (Y("quarter", 2024, 3), dt.date(2026, 11, 22), dt.date(2024, 7, 1), dt.date(2024, 9, 30)),
    ],
)
def test_relative_periods_resolve_against_the_asking_day(asked, today, start, end):
    span = history.resolve(asked, today)
    assert (span.start, span.end) == (start, end)


def facts(reply) -> list[tuple[str, str]]:
    """(label, value) of the reply's facts, with ordinary spaces for the narrow ones before "%"."""
    return [(f.label, f.value.replace("\xa0", " ")) for s in reply.sections for f in s.facts]


def test_pll_at_the_end_of_2024_is_the_fourth_quarter(chat):
    reply = chat.answer("PLL ved utgangen av 2024")
    assert facts(reply) == [("4. kvartal 2024", "5,4 % (eksempeldata)")]
    assert "2024" in reply.summary and "5,4\xa0%" in reply.summary
    assert reply.notice  # example data is said in the notice too
    assert any(b.label == "Vis graf" for s in reply.sections for b in s.buttons)


def test_a_yearly_value_as_stored(chat):
    reply = chat.answer("velferdsteknologi 2023")
    assert facts(reply) == [("2023", "86,5 % (eksempeldata)")]


def test_last_year_is_counted_from_the_asking_day(chat):
    # CHAT_TODAY is in 2026: "i fjor" is 2025, a real (not example) measurement of 106 days.
    assert CHAT_TODAY.year == 2026
    reply = chat.answer("hvor lang var behandlingstiden hos Helsedataservice i fjor?")
    assert [label for label, _ in facts(reply)] == ["2025"]
    assert "eksempeldata" not in facts(reply)[0][1]
    assert "106" in facts(reply)[0][1]
    assert not reply.notice


def test_no_measurement_for_the_period_gives_the_nearest(chat):
    reply = chat.answer("tillit 2021")
    assert reply.summary.startswith("Det finnes ingen måling av")
    assert facts(reply) == [("2023", "71 % (eksempeldata)")]
    assert reply.sections[0].heading == "De nærmeste målingene"


def test_a_gap_between_measurements_gives_both_neighbours(chat):
    reply = chat.answer("PLL 2022")
    assert "ingen måling" in reply.summary
    assert [label for label, _ in facts(reply)] == ["1. kvartal 2023"]


def test_history_is_a_compact_table(chat):
    reply = chat.answer("historikk tillit")
    assert facts(reply) == [
        ("2023", "71 % (eksempeldata)"),
        ("2024", "70 % (eksempeldata)"),
        ("2025", "71 % (eksempeldata)"),
    ]
    assert reply.title.startswith("Historikk:")
    assert reply.summary.startswith("3 målinger av")
    assert any(b.action == "show_chart" and b.value == "TILLIT" for s in reply.sections for b in s.buttons)


def test_history_since_a_year(chat):
    reply = chat.answer("utviklingen for DDFL siden 2025")
    labels = [label for label, _ in facts(reply)]
    assert labels == ["1. kvartal 2025", "2. kvartal 2025", "3. kvartal 2025", "4. kvartal 2025"] + [
        f"{q}. kvartal 2026" for q in (1, 2, 3)
    ]


def test_history_of_the_last_three_years(chat):
    reply = chat.answer("velferdsteknologi siste tre år")
    assert [label for label, _ in facts(reply)] == ["2023", "2024", "2025"]


def test_history_marks_real_and_example_data(chat):
    reply = chat.answer("historikk HDS tid")
    marks = {label: "eksempeldata" in value for label, value in facts(reply)}
    assert marks == {"2021": True, "2022": True, "2023": True, "2024": False, "2025": False}


def test_history_in_english(db_url):
    from radsbot.bot.bootstrap import Context
    from radsbot.bot.engine import Engine
    from radsbot.bot.settings import Settings

    context = Context(Settings(DATABASE_URL=db_url, RADSBOT_LANGUAGE="en"))
    try:
        reply = Engine(context, today=lambda: CHAT_TODAY).answer("history of trust")
    finally:
        context.close()
    assert reply.title.startswith("History:")
    assert reply.summary.startswith("3 measurements of")


def test_a_long_monthly_history_stays_compact(chat, session):
    from radsbot.data.models import Indicator, Measurement
    from radsbot.data.periods import parse_period
    from sqlalchemy import select

    ind = session.scalars(select(Indicator).where(Indicator.code == "TILLIT")).one()
    for n in range(30):  # January 2021 … June 2023, real monthly values
        period = parse_period(f"{2021 + n // 12}-{n % 12 + 1:02d}")
        session.add(
            Measurement(
                indicator_id=ind.id,
                period_kind=period.kind,
                period=period.label,
                period_start=period.start,
                period_end=period.end,
                value=60.0 + n,
            )
        )
    session.commit()
    reply = chat.answer("historikk tillit")
    rows = facts(reply)
    assert reply.summary.startswith("33 målinger av")
    assert len(rows) == 24
    assert rows[-1] == ("2025", "71 % (eksempeldata)")
    assert rows[0] == ("oktober 2021", "69 %")  # 33 - 24 = 9 months left out: n = 9
    assert reply.sections[0].context == "De siste 24 av 33 vises; grafen viser alle."


@pytest.mark.parametrize("text", ["historikk DHO", "DHO 2024"])
def test_a_composite_points_to_its_parts(chat, text):
    reply = chat.answer(text)
    assert "måles gjennom delindikatorene" in reply.summary
    assert any("DHO_KOMMUNE" in item for item in reply.sections[0].items)
