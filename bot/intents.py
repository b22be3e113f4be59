"""Understanding a message: `parse(text, catalogue) -> Intent`, a pure function.

Intents are small frozen dataclasses carrying their entities (an indicator code, a goal, a
council, a case number, a year). Bokmål, cheap nynorsk variants and English are understood.
Nothing here touches the database: the catalogue is a snapshot of the names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.catalogue import Catalogue
from bot.markup import clean
from bot.matching import STOPWORDS, Candidate, Match, fold

# What a question about an indicator is mainly about; it shapes the answer's emphasis.
ASPECTS = ("status", "ambition", "source", "value", "trend", "frequency", "readiness")


@dataclass(frozen=True)
class Intent:
    """Base of every intent; `text` is the cleaned message."""

    text: str


@dataclass(frozen=True)
class Help(Intent):
    """What can be asked, with examples."""


@dataclass(frozen=True)
class Overview(Intent):
    """Every goal with counts per verdict."""


@dataclass(frozen=True)
class IndicatorStatus(Intent):
    """The card for one indicator; `aspect` is what the question asks about."""

    code: str = ""
    aspect: str = "status"
    alternatives: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class GoalStatus(Intent):
    """One goal with its indicators and their verdicts."""

    code: str = ""


@dataclass(frozen=True)
class Chart(Intent):
    """A chart of an indicator (`kind` "indicator") or of a goal's indicators (`kind` "goal")."""

    code: str = ""
    kind: str = "indicator"
    alternatives: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class NextMeeting(Intent):
    """The next meeting, of one council or of any."""

    council: str | None = None


@dataclass(frozen=True)
class Meetings(Intent):
    """Meetings in a year (or the coming ones), of one council or of all."""

    council: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class MeetingByNumber(Intent):
    """One meeting by its number ("møte 4/2025")."""

    number: str = ""
    council: str | None = None


@dataclass(frozen=True)
class Case(Intent):
    """One case by number ("40/25"), optionally in one council."""

    number: str = ""
    council: str | None = None


@dataclass(frozen=True)
class CasesAtNextMeeting(Intent):
    """The agenda of the next meeting, of one council or of any."""

    council: str | None = None


@dataclass(frozen=True)
class Digest(Intent):
    """The pre-meeting digest ("sammendrag [råd]") or when the next one is due ("neste sammendrag")."""

    council: str | None = None
    next: bool = False


@dataclass(frozen=True)
class Toppnotat(Intent):
    """A case paper as a Word document ("toppnotat 40/25")."""

    number: str = ""
    council: str | None = None


@dataclass(frozen=True)
class Innkalling(Intent):
    """A meeting notice as a Word document ("innkalling neste NUIT-møte")."""

    meeting: str = "neste"  # "neste", a number "4/2025" or an ISO date
    council: str | None = None


@dataclass(frozen=True)
class Ambiguous(Intent):
    """Several indicators or goals fit; `wanted` is what the user asked for (status, chart …)."""

    query: str = ""
    candidates: tuple[Candidate, ...] = ()
    wanted: str = "status"


@dataclass(frozen=True)
class NotFound(Intent):
    """Nothing in the catalogue fits `query`; `suggestions` are the nearest names."""

    query: str = ""
    suggestions: tuple[Candidate, ...] = ()
    wanted: str = "status"


@dataclass(frozen=True)
class Unclear(Intent):
    """The message could not be understood at all."""


# Patterns run on folded text (lower case, æ→ae, ø→o, å→a) so that "mål", "maal" and "mal" agree.
_HELP = re.compile(
    r"^(\?+|hjelp|help|hjelpe?\s*meg|kommandoer|commands|eksempler|examples|hei|hallo|hello|hi|god morgen|"
    r"(hva|kva|what) (kan|can) (du|jeg|eg|you|i)( (gjore|gjere|do|svare pa|answer|"
    r"hjelpe?( meg| deg)?( med)?|help( me)?( with)?|sporre( deg)?( om)?|ask( you)?( about)?))?"
    r")[\s?!.]*$"
)
_CASE_NUMBER = re.compile(r"\b(\d{1,3})\s*/\s*(\d{4}|\d{2})\b")
_MEETING_WORD = r"(mote|motet|moter|motene|motes|moteplan|moteplanen|motekalender|meeting|meetings)"
_MEETING = re.compile(
    rf"\b{_MEETING_WORD}\b|\b\w+-(mote|motet|moter|motene)\b|\w+rads(mote|motet|moter|motene)\b"
)
_MEETINGS_PLURAL = re.compile(r"\b(moter|motene|meetings|moteplan\w*|motekalender\w*)\b|-(moter|motene)\b")
_NEXT = re.compile(r"\b(neste|naste|kommende|forste|next|upcoming|snart)\b")
_CASES = re.compile(r"\b(saker|sakene|saka|sakslist\w*|agenda\w*|dagsorden\w*|cases|case list)\b")
_CASE_WORD = re.compile(r"\b(sak|saka|saken|saksnummer|saksnr|case)\b")
_YEAR = re.compile(r"\b(20\d\d)\b")
_OVERVIEW = re.compile(
    r"\b(oversikt\w*|oversyn\w*|dashbord\w*|dashboard\w*|overview|totalstatus|statusoversikt|"
    r"alle indikator\w*|all indicators|alle mal|all goals|hele strategien)\b"
)
_GOAL_NUMBER = re.compile(
    r"\b(?:mal|maal|goal|malet|strategisk mal|strategiske mal)\s*(?:nr\.?|nummer)?\s*([1-5])\b"
)
_GOAL_WORDS = re.compile(
    r"\b(overordn\w*\s+mal\w*|strategisk\w*\s+mal\w*|overarching goal|strategic goal|"
    r"(hvilke|kva for|kva|which)\s+indikator\w*\s+(hor\w*|tilhor\w*|er|ligg\w*|belong\w*|finnes|fins)\s*"
    r"(til|under|i|med|to|in)?)\b"
)
_CHART = re.compile(
    r"\b(graf\w*|diagram\w*|kurve\w*|figur\w*|chart|graph|plot\w*|visualiser\w*)\b|"
    r"\b(vis|viss|show|tegn|plott)\b.*\b(utvikling\w*|trend\w*|historikk\w*|tidsserie\w*|development|history)\b"
)
_TOPPNOTAT = re.compile(r"(?<![\w-])(toppnotat\w*|saksnotat\w*|case paper)\b")
_INNKALLING = re.compile(r"(?<![\w-])(innkalling\w*|innkalla\w*|moteinnkalling\w*|meeting notice|notice)\b")
_DIGEST = re.compile(r"(?<![\w-])(sammendrag\w*|samandrag\w*|digest\w*|kvartalsstatus\w*)\b")
_ISO_DATE = re.compile(r"\b(20\d\d)-(\d{1,2})-(\d{1,2})\b")
_NO_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(20\d\d)\b")

# Aspect words, tested in order; each entry is (aspect, pattern on folded text).
_ASPECT_PATTERNS = (
    ("ambition", r"\b(ambisjon\w*|maltall\w*|malet|malsetting\w*|target\w*|ambition\w*|mal for|mal pa)\b"),
    (
        "source",
        r"\b(kilde\w*|kjelde\w*|datakilde\w*|source\w*|hvor kommer (tallene|dataene)|where .* from)\b",
    ),
    ("frequency", r"\b(hvor ofte|kor ofte|how often|oppdater\w*|frekvens\w*|frequency|updated)\b"),
    (
        "value",
        r"\b(hvor mange|kor mange|how many|hvor stor|kor stor|how much|hvor mye|kor mykje|verdi\w*|"
        r"siste (tall|maling\w*)|latest|andel\w*)\b",
    ),
    ("trend", r"\b(trend\w*|utvikling\w*|development|endring\w*|change)\b"),
    ("readiness", r"\b(klar|klart|klare|readiness|under arbeid|fremtidig|datagrunnlag\w*)\b"),
)
# Question and command words removed before the rest is matched against the names.
_FILLER = frozenset(
    [
        "status",
        "hvordan",
        "korleis",
        "kordan",
        "gar",
        "det",
        "gaar",
        "ga",
        "med",
        "hva",
        "kva",
        "er",
        "var",
        "vart",
        "for",
        "om",
        "hvilken",
        "hvilket",
        "hvilke",
        "kva",
        "kvar",
        "kor",
        "hvor",
        "mange",
        "mykje",
        "mye",
        "stor",
        "har",
        "hadde",
        "vis",
        "viss",
        "visa",
        "show",
        "meg",
        "oss",
        "me",
        "us",
        "kan",
        "du",
        "jeg",
        "eg",
        "vi",
        "gi",
        "gje",
        "si",
        "fortell",
        "tell",
        "about",
        "how",
        "is",
        "are",
        "what",
        "which",
        "whats",
        "the",
        "does",
        "do",
        "doing",
        "going",
        "indikator",
        "indikatoren",
        "indikatorer",
        "indicator",
        "indicators",
        "graf",
        "grafen",
        "grafer",
        "diagram",
        "diagrammet",
        "kurve",
        "kurven",
        "chart",
        "graph",
        "plot",
        "utvikling",
        "utviklingen",
        "utviklinga",
        "trend",
        "trenden",
        "trends",
        "development",
        "tall",
        "tallene",
        "siste",
        "latest",
        "nyeste",
        "na",
        "no",
        "now",
        "i",
        "dag",
        "today",
        "please",
        "takk",
        "thanks",
        "hei",
        "hallo",
        "hello",
        "hi",
        "bra",
        "godt",
        "ligger",
        "ligg",
        "egentlig",
        "eigentleg",
        "ambisjon",
        "ambisjonen",
        "ambisjonene",
        "ambisjonsniva",
        "ambisjonsnivaet",
        "maltall",
        "maltallet",
        "malet",
        "target",
        "ambition",
        "kilde",
        "kilden",
        "kildene",
        "kjelde",
        "kjelda",
        "datakilde",
        "datakilden",
        "source",
        "sources",
        "hvor",
        "ofte",
        "oppdateres",
        "oppdatert",
        "frekvens",
        "frequency",
        "updated",
        "verdi",
        "verdien",
        "verdiene",
        "value",
        "values",
        "andel",
        "andelen",
        "share",
        "klar",
        "klart",
        "readiness",
        "sporet",
        "track",
        "pa",
        "paa",
        "of",
        "rett",
        "kurs",
        "pr",
        "per",
        "innen",
        "within",
        "by",
    ]
)
# Words that would otherwise look like goal names when they only frame the question.
_GOAL_FILLER = frozenset(
    [
        "overordnet",
        "overordna",
        "overordnede",
        "overordnete",
        "strategisk",
        "strategiske",
        "mal",
        "malet",
        "goal",
        "goals",
    ]
)


def parse(text: str, catalogue: Catalogue) -> Intent:
    """Understand a chat message: the intent with its entities.

    Args:
        text: the raw message, Slack markup and all.
        catalogue: the names of the indicators, goals and councils.
    """
    cleaned = clean(text)
    folded = fold(cleaned).strip()
    plain = folded.strip(" ?!.,;:")
    if not plain or _HELP.match(folded):
        return Help(cleaned)
    council = catalogue.index.council(cleaned) if catalogue.councils else None
    for rule in (_documents, _meetings_and_cases, _overview, _goal, _chart):
        intent = rule(cleaned, folded, catalogue, council)
        if intent is not None:
            return intent
    return _indicator(cleaned, folded, catalogue, council)


def _documents(cleaned: str, folded: str, catalogue: Catalogue, council: str | None) -> Intent | None:
    """Toppnotat, innkalling and digest commands (answered by other features)."""
    if _TOPPNOTAT.search(folded):
        number = _case_number(folded)
        return Toppnotat(cleaned, number=number or "", council=council)
    if _INNKALLING.search(folded):
        return Innkalling(cleaned, meeting=_meeting_ref(folded), council=council)
    if _DIGEST.search(folded):
        return Digest(cleaned, council=council, next=bool(_NEXT.search(folded)))
    return None


def _meetings_and_cases(
    cleaned: str, folded: str, catalogue: Catalogue, council: str | None
) -> Intent | None:
    """Cases by number, the next meeting's agenda, and meetings."""
    number = _CASE_NUMBER.search(folded)
    meeting_before = number and re.search(rf"{_MEETING_WORD}\s*(nr\.?|nummer)?\s*$", folded[: number.start()])
    if number and not meeting_before and (_CASE_WORD.search(folded) or len(number[2]) == 2):
        return Case(cleaned, number=_case_number(folded), council=council)
    if number and meeting_before:
        return MeetingByNumber(cleaned, number=f"{int(number[1])}/{_full_year(number[2])}", council=council)
    if _CASES.search(folded) and (_MEETING.search(folded) or _NEXT.search(folded)):
        return CasesAtNextMeeting(cleaned, council=council)
    if _MEETING.search(folded) or (council and re.search(r"\b(nar|when)\b.*\bmot\w*", folded)):
        year = _YEAR.search(folded)
        if year and not _NEXT.search(folded):
            return Meetings(cleaned, council=council, year=int(year[1]))
        if _MEETINGS_PLURAL.search(folded) and not re.search(r"\b(neste|naste|next)\b", folded):
            return Meetings(cleaned, council=council)
        return NextMeeting(cleaned, council=council)
    if re.fullmatch(r"(nuit|nufa|ehelseradet|\w+radet)\W*", folded) and council:
        return NextMeeting(cleaned, council=council)
    return None


def _overview(cleaned: str, folded: str, catalogue: Catalogue, council: str | None) -> Intent | None:
    if _OVERVIEW.search(folded) or folded.strip(" ?!.") in {"status", "hvordan gar det", "korleis gar det"}:
        return Overview(cleaned)
    return None


def _goal(cleaned: str, folded: str, catalogue: Catalogue, council: str | None) -> Intent | None:
    """A goal by number ("mål 3") or by name after "overordnet mål" or "hvilke indikatorer hører til"."""
    wants_chart = bool(_CHART.search(folded))
    number = _GOAL_NUMBER.search(folded)
    if number:
        goal = catalogue.goal_number(int(number[1]))
        if goal is None:
            return NotFound(cleaned, query=f"mål {number[1]}", wanted="goal")
        return (
            Chart(cleaned, code=goal.code, kind="goal")
            if wants_chart
            else GoalStatus(cleaned, code=goal.code)
        )
    words_framing = _GOAL_WORDS.search(folded)
    if not words_framing:
        return None
    phrase = _strip_words(folded[words_framing.end() :] or folded, _FILLER | _GOAL_FILLER)
    if not phrase:
        return None
    match = catalogue.index.match(phrase, kinds=("goal",))
    if not match.found:
        match = catalogue.index.match(phrase, kinds=("goal", "indicator"), prefer="goal")
    return _resolved(cleaned, match, "goal_chart" if wants_chart else "goal")


def _chart(cleaned: str, folded: str, catalogue: Catalogue, council: str | None) -> Intent | None:
    if not _CHART.search(folded):
        return None
    phrase = _strip_words(folded, _FILLER)
    if not phrase:
        return Help(cleaned)
    return _resolved(cleaned, catalogue.index.match(_original_words(cleaned, phrase)), "chart")


def _indicator(cleaned: str, folded: str, catalogue: Catalogue, council: str | None) -> Intent:
    """Everything else is a question about an indicator (or a goal named without "mål")."""
    aspect = next((a for a, p in _ASPECT_PATTERNS if re.search(p, folded)), "status")
    phrase = _strip_words(folded, _FILLER)
    if not phrase:
        # "hvilken kilde har …": a question about an indicator that names none.
        return NotFound(cleaned, query="", wanted=aspect) if aspect != "status" else Unclear(cleaned)
    match = catalogue.index.match(_original_words(cleaned, phrase))
    if not match.found and not match.candidates and council:
        return NextMeeting(cleaned, council=council)
    return _resolved(cleaned, match, aspect)


def _resolved(cleaned: str, match: Match, wanted: str) -> Intent:
    """Turn a name match into the wanted intent, or into Ambiguous / NotFound."""
    if match.found:
        best = match.best
        if wanted in ("chart", "goal_chart"):
            return Chart(cleaned, code=best.code, kind=best.kind, alternatives=match.alternatives)
        if best.kind == "goal":
            return GoalStatus(cleaned, code=best.code)
        aspect = wanted if wanted in ASPECTS else "status"
        return IndicatorStatus(cleaned, code=best.code, aspect=aspect, alternatives=match.alternatives)
    wanted = "chart" if wanted == "goal_chart" else wanted
    if match.ambiguous:
        return Ambiguous(cleaned, query=match.phrase, candidates=match.candidates, wanted=wanted)
    return NotFound(cleaned, query=match.phrase, suggestions=match.candidates, wanted=wanted)


def _strip_words(folded: str, remove: frozenset[str]) -> str:
    """The folded text without question words and function words."""
    kept = [w for w in re.findall(r"[\w]+", folded) if w not in remove and w not in STOPWORDS]
    return " ".join(kept)


def _original_words(cleaned: str, phrase: str) -> str:
    """The words of `phrase` as the user wrote them (capitals matter for codes like "PLL")."""
    wanted = set(phrase.split())
    kept = [w for w in re.findall(r"[\wæøåÆØÅ]+", cleaned) if fold(w) in wanted]
    return " ".join(kept) or phrase


def _case_number(folded: str) -> str | None:
    """A case number as stored: "40/25" (also from "40/2025" or "40 / 25")."""
    m = _CASE_NUMBER.search(folded)
    if not m:
        return None
    return f"{int(m[1])}/{m[2][-2:]}"


def _full_year(year: str) -> str:
    return year if len(year) == 4 else f"20{year}"


def _meeting_ref(folded: str) -> str:
    """Which meeting a notice is for: a number ("4/2025"), an ISO date, or "neste"."""
    if m := _ISO_DATE.search(folded):
        return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"
    if m := _NO_DATE.search(folded):
        return f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
    if m := _CASE_NUMBER.search(folded):
        return f"{int(m[1])}/{_full_year(m[2])}"
    return "neste"
