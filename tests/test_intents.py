"""Understanding messages: `parse(text, catalogue)` over hundreds of phrasings on the seed catalogue.

Expected indicator codes are the seed's (data/seed/indicators/*.yaml); every code used here is
first checked to exist, so a renamed indicator fails clearly instead of silently.
"""

from __future__ import annotations

import pytest
from radsbot.bot import intents as i
from radsbot.bot.intents import parse
from radsbot.bot.markup import clean

from tests.chat_phrasings import (
    ASPECTS,
    CASES,
    CHARTS,
    COMMANDS,
    GOALS,
    HELP,
    INDICATORS,
    ISSUE_EXAMPLES,
    MEETINGS,
    OVERVIEW,
)


def check(intent: i.Intent, kind: type, fields: dict) -> None:
    """Assert the intent's type and fields, with a readable message."""
    assert type(intent) is kind, f"{intent!r} is not a {kind.__name__}"
    for name, value in fields.items():
        assert getattr(intent, name) == value, f"{intent!r}: {name} should be {value!r}"


@pytest.fixture(scope="module")
def codes(catalogue) -> set[str]:
    """The indicator codes of the seed."""
    return {ind.code for ind in catalogue.indicators}


@pytest.mark.parametrize(("text", "kind", "fields"), ISSUE_EXAMPLES)
def test_every_example_of_the_issue(catalogue, codes, text, kind, fields):
    assert fields.get("code", "PLL") in codes | {g.code for g in catalogue.goals}
    check(parse(text, catalogue), kind, fields)


@pytest.mark.parametrize(("text", "code"), INDICATORS)
def test_indicator_phrasings(catalogue, codes, text, code):
    assert code in codes
    check(parse(text, catalogue), i.IndicatorStatus, {"code": code})


@pytest.mark.parametrize(("text", "code", "aspect"), ASPECTS)
def test_the_aspect_asked_about(catalogue, codes, text, code, aspect):
    assert code in codes
    check(parse(text, catalogue), i.IndicatorStatus, {"code": code, "aspect": aspect})


@pytest.mark.parametrize(("text", "code"), GOALS)
def test_goal_phrasings(catalogue, text, code):
    check(parse(text, catalogue), i.GoalStatus, {"code": code})


@pytest.mark.parametrize(("text", "code", "kind"), CHARTS)
def test_chart_phrasings(catalogue, text, code, kind):
    check(parse(text, catalogue), i.Chart, {"code": code, "kind": kind})


@pytest.mark.parametrize(("text", "kind", "fields"), MEETINGS + CASES + COMMANDS)
def test_meetings_cases_and_commands(catalogue, text, kind, fields):
    check(parse(text, catalogue), kind, fields)


@pytest.mark.parametrize("text", HELP)
def test_help(catalogue, text):
    check(parse(text, catalogue), i.Help, {})


@pytest.mark.parametrize("text", OVERVIEW)
def test_overview(catalogue, text):
    check(parse(text, catalogue), i.Overview, {})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("status EPJ", {"EPJ_EFFEKTIV", "EPJ_KVALITET"}),
        ("status KI", {"KI_LOSNINGER", "KI_TALE"}),
        ("graf EPJ", {"EPJ_EFFEKTIV", "EPJ_KVALITET"}),
        ("hvordan går det med enklere arbeidshverdag?", {"mal2", "ENKLERE_ARBEIDSHVERDAG"}),
    ],
)
def test_ambiguous_names_list_the_candidates_with_codes(catalogue, text, expected):
    intent = parse(text, catalogue)
    assert isinstance(intent, i.Ambiguous), intent
    assert expected <= {c.code for c in intent.candidates}
    assert 2 <= len(intent.candidates) <= 6
    assert intent.wanted == ("chart" if text.startswith("graf") else "status")


def test_ambiguous_list_leaves_out_the_2023_plan_when_the_dashboard_fits(catalogue):
    intent = parse("status EPJ", catalogue)
    kinds = {ind.code: ind.indicator_set for ind in catalogue.indicators}
    assert {kinds[c.code] for c in intent.candidates} == {"dashbord"}


@pytest.mark.parametrize(
    "text",
    [
        "status kaffemaskin",
        "hvordan går det med fotballaget?",
        "graf xyzzy",
        "hva er ambisjonen for sjokolade?",
    ],
)
def test_unknown_names_are_not_found(catalogue, text):
    intent = parse(text, catalogue)
    assert isinstance(intent, i.NotFound), intent
    assert intent.query


def test_not_found_suggests_the_nearest_names(catalogue):
    intent = parse("status legemiddelkurs", catalogue)
    assert isinstance(intent, i.NotFound), intent
    assert intent.query == "legemiddelkurs"
    assert "PLL" in {c.code for c in intent.suggestions}


def test_a_goal_number_that_does_not_exist(catalogue):
    check(parse("mål 5", catalogue), i.GoalStatus, {"code": "mal5"})
    intent = parse("mål 6", catalogue)
    assert not isinstance(intent, i.GoalStatus)
    check(intent, i.NotFound, {"query": "mål 6", "wanted": "goal"})


def test_a_code_alone_always_wins(catalogue):
    """Every indicator's code, alone or after "status", in any case, gives that indicator."""
    for ind in catalogue.indicators:
        for text in (ind.code, ind.code.lower(), f"status {ind.code}", f"graf {ind.code.lower()}"):
            intent = parse(text, catalogue)
            assert getattr(intent, "code", None) == ind.code, (text, intent)


@pytest.mark.slow
def test_every_name_and_alias_finds_its_indicator_or_lists_it(catalogue):
    """Each name or alias gives its indicator, or a "Mente du" list or a composite that includes it."""
    failures = []
    for ind in catalogue.indicators:
        for name in {ind.name, ind.short_name, *ind.aliases} - {""}:
            intent = parse(f"status {name}", catalogue)
            if isinstance(intent, i.IndicatorStatus) and intent.code == ind.code:
                continue
            if isinstance(intent, i.Ambiguous) and ind.code in {c.code for c in intent.candidates}:
                continue
            if isinstance(intent, i.IndicatorStatus) and intent.code == ind.parent:
                continue
            if isinstance(intent, i.IndicatorStatus) and ind.indicator_set == "plan2023":
                continue  # the 2023 plan's names overlap the dashboard's, which come first
            if isinstance(intent, i.GoalStatus | i.Ambiguous) and ind.indicator_set == "plan2023":
                continue
            failures.append((ind.code, name, intent))
    assert not failures, "\n".join(map(str, failures))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<@U123ABC> status PLL", "status PLL"),
        ("<@U123ABC|radsbot> status PLL", "status PLL"),
        ("<!here> <!channel> status", "status"),
        ("<!subteam^S1|@sekretariat> hjelp", "hjelp"),
        ("neste møte i <#C1|nuit>", "neste møte i nuit"),
        ("neste møte i <#C1>", "neste møte i"),
        ("se <https://helsedirektoratet.no|Helsedirektoratet>", "se Helsedirektoratet"),
        ("se <https://helsedirektoratet.no>", "se"),
        ("<mailto:a@b.no|a@b.no>", "a@b.no"),
        ("Helse &amp; omsorg &lt;3 &gt;", "Helse & omsorg <3 >"),
        ("status PLL :wave: :+1::skin-tone-2:", "status PLL"),
        ("status 🙂 PLL 🚀", "status PLL"),
        ("*fet* _kursiv_ ~streket~ `kode`", "fet kursiv streket kode"),
        ("status\x00PLL\x07", "status PLL"),
        ("  mange   mellomrom\n\t", "mange mellomrom"),
        ("30,5 % og 40/25 – «sitat»", "30,5 % og 40/25 – «sitat»"),
        ("helse- og omsorgssektor", "helse- og omsorgssektor"),
        ("e\u0301", "é"),  # combining accent composed (NFC)
    ],
)
def test_markup_is_cleaned_before_parsing(raw, expected):
    assert clean(raw) == expected


def test_cleaning_bounds_huge_input():
    assert len(clean("a" * 100_000)) <= 2000
    assert clean(None) == ""


@pytest.mark.parametrize(
    "text", ["takk", "Tusen takk!", "takk for hjelpen", "thanks", "Thank you.", "ha det bra"]
)
def test_thanks_is_answered_kindly(text, catalogue):
    assert isinstance(i.parse(text, catalogue), i.Thanks)


def test_thanks_reply(chat):
    reply = chat.answer("tusen takk!")
    assert reply.kind == "help" and reply.title == "Bare hyggelig!" and "hjelp" in reply.summary
