"""Honest matching (issue 10 §8): words in no name never select an indicator, "Fant ikke" instead.

Real names, misspellings and paraphrases (from the seed documents) must still find their indicator;
made-up subjects get "Fant ikke …" with the nearest real names; filter words are never names; short
codes that fit several indicators list the candidates.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from radsbot.bot import intents as i
from radsbot.bot.bootstrap import Context
from radsbot.bot.engine import Engine
from radsbot.bot.intents import NOT_NAMES, parse
from radsbot.bot.settings import Settings
from radsbot.bot.vocabulary import ABBREVIATIONS, ENGLISH, GOAL_FILLER, fold, query_stems

from tests.conftest import CHAT_TODAY

# Real names, misspellings and paraphrases of the documents' indicators: each must still be found.
STILL_FOUND = [
    ("hva er ambisjonen for pasientens legemiddelliste?", "PLL"),
    ("hvordan går det med legemidellisten", "PLL"),
    ("fortell litt om PLL", "PLL"),
    ("status velferdsteknolgi", "VFT"),
    ("bruk av velferdsteknologi i kommunene", "VFT"),
    ("digital hjemmeoppfølging", "DHO"),
    ("innbyggers tillit til håndtering av helseopplysninger", "TILLIT"),
    ("hvor ofte oppdateres tillit?", "TILLIT"),
    ("søknader til Helsedataservice", "HDS_SOKNADER"),
    ("representasjon og fullmakt på Helsenorge", "FULLMAKT"),
    ("digital plunder og heft", "DIGITAL_PLUNDER"),
    ("KI i radiologi", "KI_RADIOLOGI"),
    ("where does the PLL data come from?", "PLL"),
    ("status Ny innovasjonsindikator (prøverapportering for 2025)", "INNOVASJON_NY"),
]
# Subjects the documents do not have: "Fant ikke", never a confident answer about something else.
MADE_UP = [
    "ambisjonen for kvantedatamaskiner i sykehus",
    "status månelanding",
    "hvordan går det med kaffemaskinen?",
    "status kvantedatamaskiner",
    "hva er ambisjonen for romfart i kommunene?",
    "hvor mange droner har sykehusene?",
    "hvilken kilde har blockchain-journalen?",
    "status teleportering av pasienter",
    "hvordan går det med fotballaget?",
    "what is the target for quantum computing in hospitals?",
    "status flyvende biler",
    "hva er trenden for sjokoladeforbruk?",
]
# Filter words alone (they narrow lists, they name nothing).
FILTER_ONLY = [
    "kvartalsvis",
    "mangler",
    "ikke klare",
    "hvilke er ikke klare",
    "uten ambisjon",
    "henger etter",
]
# Short codes that fit several indicators: the candidates, not one of them.
SHORT_CODES = [
    ("EPJ", {"EPJ_KVALITET", "EPJ_EFFEKTIV", "EPJ_EOL"}),
    ("KI", {"KI_LOSNINGER", "KI_SELVHJELP", "KI_TALE"}),
    ("EHDS", {"EHDS_INNFORING", "EHDS_MYHEALTH"}),
    ("status EHDS", {"EHDS_INNFORING", "EHDS_MYHEALTH"}),
]
SELECTS = (i.IndicatorStatus, i.Chart, i.GoalStatus, i.Ambiguous)


@pytest.mark.parametrize(("text", "code"), STILL_FOUND)
def test_real_names_misspellings_and_paraphrases_still_work(catalogue, text, code):
    intent = parse(text, catalogue)
    assert isinstance(intent, i.IndicatorStatus), intent
    assert intent.code == code


@pytest.mark.parametrize("text", MADE_UP)
def test_a_made_up_subject_is_not_found(catalogue, text):
    intent = parse(text, catalogue)
    assert isinstance(intent, i.NotFound), intent
    assert intent.query


def test_the_nearest_real_names_are_suggested(catalogue):
    intent = parse("ambisjonen for kvantedatamaskiner i sykehus", catalogue)
    assert isinstance(intent, i.NotFound)
    assert intent.wanted == "ambition"
    assert "KI_RADIOLOGI" in {c.code for c in intent.suggestions}


@pytest.mark.parametrize("text", FILTER_ONLY)
def test_filter_words_are_never_names(catalogue, text):
    assert not isinstance(parse(text, catalogue), SELECTS)


@pytest.mark.parametrize(("text", "some"), SHORT_CODES)
def test_a_short_code_of_several_lists_the_candidates(catalogue, text, some):
    intent = parse(text, catalogue)
    assert isinstance(intent, i.Ambiguous), intent
    assert some <= {c.code for c in intent.candidates}


def _outside(catalogue, word: str) -> bool:
    """Whether a word is in no name, not even as a misspelling, code, abbreviation or English word,
    and is no question or filter word."""
    index = catalogue.index
    stems = query_stems(word)
    return (
        bool(stems)
        and fold(word) not in NOT_NAMES | GOAL_FILLER
        and word not in ENGLISH
        and all(not index.similar(s) and s not in ABBREVIATIONS and s not in index.codes for s in stems)
    )


outside_words = st.text(alphabet="abcdefghijklmnoprstuvyæøå", min_size=3, max_size=14)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    words=st.lists(outside_words, min_size=1, max_size=5), frame=st.sampled_from(["", "status ", "hva er "])
)
@pytest.mark.slow
def test_random_words_outside_the_vocabulary_select_nothing(catalogue, words, frame):
    words = [w for w in words if _outside(catalogue, w)]
    if not words:
        return
    assert not isinstance(parse(frame + " ".join(words), catalogue), SELECTS)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(unknown=st.lists(outside_words, min_size=2, max_size=4))
def test_one_known_word_does_not_answer_for_several_unknown(catalogue, unknown):
    unknown = [w for w in unknown if _outside(catalogue, w)]
    if len(unknown) < 2:
        return
    assert not isinstance(parse(" ".join([*unknown, "sykehus"]), catalogue), SELECTS)


@pytest.mark.parametrize(
    ("lang", "title", "nearest"),
    [("nb", "Fant ikke", "Mente du en av disse?"), ("en", "not found", "Did you mean one of these?")],
)
def test_not_found_names_the_nearest_in_both_languages(db_url, lang, title, nearest):
    context = Context(Settings(DATABASE_URL=db_url, RADSBOT_LANGUAGE=lang))
    try:
        reply = Engine(context, today=lambda: CHAT_TODAY).answer(
            "ambisjonen for kvantedatamaskiner i sykehus"
        )
    finally:
        context.close()
    assert reply.kind == "not_found"
    assert title in reply.title
    assert reply.sections[0].text == nearest
    assert any("KI_RADIOLOGI" in item for item in reply.sections[0].items)
    assert "Radiologi" not in reply.summary
