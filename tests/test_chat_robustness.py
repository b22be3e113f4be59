"""No input crashes the parser or the chat core: property tests (hypothesis) and extreme inputs."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from radsbot.bot.intents import Intent, parse
from radsbot.bot.render.text import to_text

MARKUP = [
    "<@U123>",
    "<@U123|radsbot>",
    "<#C1|kanal>",
    "<#C1>",
    "<!here>",
    "<!subteam^S1|@team>",
    "<https://example.no|tekst>",
    "<https://example.no>",
    "<mailto:a@b.no>",
    "&amp;",
    "&lt;",
    "&gt;",
    ":wave:",
    ":+1::skin-tone-3:",
    "<",
    ">",
    "|",
    "<<@>>",
    "*",
    "_",
    "`",
    "~",
]
WORDS = [
    "status",
    "PLL",
    "pll",
    "DHO_KOMMUNE",
    "mål",
    "3",
    "neste",
    "møte",
    "møter",
    "i",
    "NUIT",
    "fagrådet",
    "sak",
    "saker",
    "40/25",
    "4/2025",
    "2026",
    "graf",
    "vis",
    "utvikling",
    "hvordan",
    "går",
    "det",
    "med",
    "velferdsteknologi",
    "ambisjonen",
    "kilde",
    "hvor mange",
    "kommuner",
    "toppnotat",
    "innkalling",
    "sammendrag",
    "oversikt",
    "hjelp",
    "?",
    "overordnet",
    "hvilke indikatorer hører til",
    "EPJ",
    "KI",
    "20.11.2025",
    "-",
    "–",
    "«",
    "»",
]
NOISE = st.sampled_from(
    ["\x00", "\x07", "\u200b", "\u202e", "\ufeff", "\r\n", "\t", "🙂", "🚀", "👍🏽", "𝕏", "e\u0301"]
)

messages = st.lists(
    st.one_of(st.sampled_from(MARKUP), st.sampled_from(WORDS), NOISE, st.text(max_size=12)), max_size=25
).map(" ".join)
anything = st.one_of(
    messages, st.text(max_size=300), st.binary(max_size=200).map(lambda b: b.decode("latin-1"))
)

EXTREMES = [
    "",
    " ",
    "\x00",
    "\x00" * 1000,
    "?" * 5000,
    "a" * 100_000,
    "status PLL " * 10_000,
    "🙂" * 50_000,
    "<@U123>" * 10_000,
    "<#C1|kanal> " * 5_000,
    "<" * 10_000 + ">" * 10_000,
    "æøå" * 30_000,
    "\u202e status PLL",
    "sak " + "1/" * 5000,
    "mål " + "9" * 10_000,
    "møter i " + "2026 " * 10_000,
    "".join(chr(c) for c in range(0, 0x3000, 7)),
]


@settings(max_examples=300, deadline=None)
@given(text=anything)
@pytest.mark.slow
def test_parse_never_crashes(catalogue, text):
    assert isinstance(parse(text, catalogue), Intent)


@pytest.mark.parametrize("text", EXTREMES, ids=lambda t: f"{t[:12]!r}…{len(t)}")
def test_parse_survives_extreme_inputs(catalogue, text):
    assert isinstance(parse(text, catalogue), Intent)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=anything)
@pytest.mark.slow
def test_the_engine_answers_anything_without_an_internal_error(chat, text):
    reply = chat.answer(text, user="U_FUZZ")
    # An "error" reply means a handler raised: that is the bug this test hunts for.
    assert reply.kind != "error", text
    assert reply.summary
    assert to_text(reply)


@pytest.mark.parametrize("text", EXTREMES, ids=lambda t: f"{t[:12]!r}…{len(t)}")
def test_the_engine_survives_extreme_inputs(chat, text):
    reply = chat.answer(text)
    assert reply.kind != "error"
    assert to_text(reply)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    action=st.sampled_from(["show_chart", "show_goal_chart", "show_indicator", "show_goal", "x"]),
    value=anything,
)
@pytest.mark.slow
def test_button_actions_with_any_value_never_crash(chat, action, value):
    reply = chat.action(action, value[:200], user="U_FUZZ")
    assert reply.kind in {"answer", "not_found", "error"}
    if action != "x":
        assert reply.kind != "error"


@pytest.mark.parametrize("user", ["", "U\x00X", "<@U1>", "🙂" * 100, "x" * 10_000])
def test_odd_user_ids_are_refused_politely_not_crashed(chat, user):
    reply = chat.answer("toppnotat 40/25", user=user)
    assert reply.kind == "refused"
