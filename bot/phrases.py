"""The patterns that signal each intent, in bokmål, nynorsk and English.

Every pattern runs on folded text (lower case, æ→ae, ø→o, å→a), so "mål", "maal" and "mal" agree.
The words the matcher leaves out are in bot/vocabulary.py; dates are found by data/periods.py.
"""

from __future__ import annotations

import re

HELP = re.compile(
    r"^(\?+|hjelp|help|hjelpe?\s*meg|kommandoer|commands|eksempler|examples|hei|hallo|hello|hi|god morgen|"
    r"(hva|kva|what) (kan|can) (du|jeg|eg|you|i)( (gjore|gjere|do|svare pa|answer|"
    r"hjelpe?( meg| deg)?( med)?|help( me)?( with)?|sporre( deg)?( om)?|ask( you)?( about)?))?"
    r")[\s?!.]*$"
)
# Thanks and goodbyes get a friendly word back, not "Det forsto jeg ikke".
THANKS = re.compile(
    r"^((tusen |mange )?takk( for (hjelpen|svaret|det))?( skal du ha)?|takker|thanks?( you)?|thank you|"
    r"ha det( bra)?|flott|supert?|perfekt|great)[\s?!.]*$"
)
CASE_NUMBER = re.compile(r"\b(\d{1,3})\s*/\s*(\d{4}|\d{2})\b")
MEETING_WORD = r"(mote|motet|moter|motene|motes|moteplan|moteplanen|motekalender|meeting|meetings)"
MEETING = re.compile(
    rf"\b{MEETING_WORD}\b|\b\w+-(mote|motet|moter|motene)\b|\w+rads(mote|motet|moter|motene)\b"
)
MEETING_NUMBER_BEFORE = re.compile(rf"{MEETING_WORD}\s*(nr\.?|nummer)?\s*$")
WHEN_MEETS = re.compile(r"\b(nar|when)\b.*\bmot\w*")
NEXT_ONE = re.compile(r"\b(neste|naste|next)\b")
COUNCIL_ONLY = re.compile(r"(nuit|nufa|ehelseradet|\w+radet)\W*")
OVERVIEW_WHOLE = frozenset({"status", "hvordan gar det", "korleis gar det", "how are we doing"})
MEETINGS_PLURAL = re.compile(r"\b(moter|motene|meetings|moteplan\w*|motekalender\w*)\b|-(moter|motene)\b")
NEXT = re.compile(r"\b(neste|naste|kommende|forste|next|upcoming|snart)\b")
CASES = re.compile(r"\b(saker|sakene|saka|sakslist\w*|agenda\w*|dagsorden\w*|cases|case list)\b")
CASE_WORD = re.compile(r"\b(sak|saka|saken|saksnummer|saksnr|case)\b")
YEAR = re.compile(r"\b(20\d\d)\b")
OVERVIEW = re.compile(
    r"\b(oversikt\w*|oversyn\w*|dashbord\w*|dashboard\w*|overview|totalstatus|statusoversikt|"
    r"alle indikator\w*|all indicators|alle mal|all goals|hele strategien)\b"
)
# Any number, so that "mål 6" is a goal that does not exist (not "målet 30 %", a target).
GOAL_NUMBER = re.compile(
    r"\b(?:mal|maal|goal|malet|strategisk mal|strategiske mal)\s*(?:nr\.?|nummer)?\s*(\d{1,2})\b"
    r"(?!\s*(?:%|prosent|percent))"
)
GOAL_WORDS = re.compile(
    r"\b(overordn\w*\s+mal\w*|strategisk\w*\s+mal\w*|overarching goal|strategic goal|"
    r"(hvilke|kva for|kva|which)\s+indikator\w*\s+(hor\w*|tilhor\w*|er|ligg\w*|belong\w*|finnes|fins)\s*"
    r"(til|under|i|med|to|in)?)\b"
)
CHART = re.compile(
    r"\b(graf\w*|diagram\w*|kurve\w*|figur\w*|chart|graph|plot\w*|visualiser\w*)\b|"
    r"\b(vis|viss|show|tegn|plott)\b.*\b(utvikling\w*|trend\w*|historikk\w*|tidsserie\w*|development|history)\b"
)
TOPPNOTAT = re.compile(r"(?<![\w-])(toppnotat\w*|saksnotat\w*|case paper)\b")
INNKALLING = re.compile(r"(?<![\w-])(innkalling\w*|innkalla\w*|moteinnkalling\w*|meeting notice|notice)\b")
DIGEST = re.compile(r"(?<![\w-])(sammendrag\w*|samandrag\w*|digest\w*|kvartalsstatus\w*)\b")
# The sections of a goal's status text a question may ask about ("hva er utfordringene i mål 4?").
NARRATIVE_SECTIONS = (
    ("challenges", re.compile(r"\b(utfordring\w*|challenges?)\b")),
    (
        "positive_events",
        re.compile(r"\b(positiv\w* (hendels\w*|utvikling\w*)|positive (developments?|events?))\b"),
    ),
    ("strategic_questions", re.compile(r"\b(strategisk\w* sporsmal\w*|strategic questions?)\b")),
    ("overall_status", re.compile(r"\b(overordn\w* status\w*|overall status|statusvurdering\w*)\b")),
    ("selected", re.compile(r"\b(utvalgt\w* indikator\w*|delmal\w*|selected indicators|sub-?goals?)\b")),
)
# The 2023 plan numbers its indicators "1.1" … "5.4", their parts "2.2.1" (not dates: no year).
PLAN_NUMBER = re.compile(r"(?<![\d.])(\d(?:\.\d{1,2}){1,3})(?![\d.]*\d)")
# Aspect words, tested in order; each entry is (aspect, pattern on folded text).
ASPECT_PATTERNS = (
    ("ambition", r"\b(ambisjon\w*|maltall\w*|malet|malsetting\w*|target\w*|ambition\w*|mal for|mal pa)\b"),
    (
        "source",
        r"\b(kilde\w*|kjeld\w*|datakilde\w*|source\w*|hvor kommer (tallene|dataene)|where .* from)\b",
    ),
    ("frequency", r"\b(hvor ofte|kor ofte|how often|oppdater\w*|frekvens\w*|frequency|updated)\b"),
    (
        "value",
        r"\b(hvor mange|kor mange|how many|hvor stor|kor stor|how much|hvor mye|kor mykje|verdi\w*|"
        r"siste (tall|maling\w*)|latest|andel\w*)\b",
    ),
    ("trend", r"\b(trend\w*|utvikling\w*|development|endring\w*|change)\b"),
    ("readiness", r"\b(klar|klart|klare|readiness|under arbeid|fremtidig|datagrunnlag\w*|datastatus)\b"),
)
# What to type in a console to do what a button does: commands the parser takes in either language.
BUTTON_COMMANDS = {
    "show_chart": "graf {value}",
    "show_goal_chart": "graf {value}",
    "show_indicator": "status {value}",
    "show_goal": "{value}",
}
