"""Understanding a message: `parse(text, names) -> Intent`, a pure function.

Intents are small frozen dataclasses carrying their entities (an indicator code, a goal, a
council, a case number, a year). Bokmål, cheap nynorsk variants and English are understood.
Nothing here touches the database: `names` is a snapshot of the names (bot/names.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from radsbot.bot import phrases
from radsbot.bot.asked_periods import find_period
from radsbot.bot.council_command import CouncilCommand, parse_council_command
from radsbot.bot.markup import clean
from radsbot.bot.matching import Candidate, Match
from radsbot.bot.names import Names
from radsbot.bot.vocabulary import FILLER, FILTER, GOAL_FILLER, STOPWORDS, fold
from radsbot.data.agenda import normalise_case_number
from radsbot.data.periods import find_day
from radsbot.reports.history import AskedPeriod

# What a question about an indicator is mainly about; it shapes the answer's emphasis.
ASPECTS = ("status", "ambition", "source", "value", "trend", "frequency", "readiness")
# Words removed before the rest of a question is matched against the names.
NOT_NAMES = FILLER | FILTER


@dataclass(frozen=True)
class Intent:
    """Base of every intent; `text` is the cleaned message."""

    text: str


@dataclass(frozen=True)
class Help(Intent):
    """What can be asked, with examples."""


@dataclass(frozen=True)
class Thanks(Intent):
    """Thanks or goodbye: answered kindly."""


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
class ValueAt(Intent):
    """An indicator's value at a period ("PLL ved utgangen av 2024", "velferdsteknologi i fjor")."""

    code: str = ""
    period: AskedPeriod = field(default_factory=lambda: AskedPeriod("all"))
    alternatives: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class History(Intent):
    """An indicator's measurements over a span ("historikk tillit", "DDFL siden 2022")."""

    code: str = ""
    period: AskedPeriod = field(default_factory=lambda: AskedPeriod("all"))
    alternatives: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class GoalStatus(Intent):
    """One goal with its indicators and their verdicts; `section` asks for one part of its status text."""

    code: str = ""
    section: str = ""  # "challenges", "positive_events" … (data.narratives.FIELDS), or ""


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
    """One meeting by its number ("møte 4/2025") or date; `or_case` when "40/2025" may be a case."""

    number: str = ""
    council: str | None = None
    or_case: bool = False


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
class CouncilSettings(Intent):
    """Show or change councils' digest settings ("råd", "råd sett nuit --dager 5")."""

    command: CouncilCommand = field(default_factory=CouncilCommand)


@dataclass(frozen=True)
class Ambiguous(Intent):
    """Several indicators or goals fit; `wanted` is what the user asked for (status, chart …)."""

    query: str = ""
    candidates: tuple[Candidate, ...] = ()
    wanted: str = "status"


@dataclass(frozen=True)
class NotFound(Intent):
    """No name fits `query`; `suggestions` are the nearest names."""

    query: str = ""
    suggestions: tuple[Candidate, ...] = ()
    wanted: str = "status"


@dataclass(frozen=True)
class Unclear(Intent):
    """The message could not be understood at all."""


def parse(text: str, names: Names) -> Intent:
    """Understand a chat message: the intent with its entities.

    Args:
        text: the raw message, Slack markup and all.
        names: the names of the indicators, goals and councils.
    """
    command = parse_council_command(text)
    if command is not None:  # read from the raw text: it needs Slack's channel ids
        return CouncilSettings(clean(text), command=command)
    cleaned = clean(text)
    folded = fold(cleaned).strip()
    plain = folded.strip(" ?!.,;:")
    if not plain or phrases.HELP.match(folded):
        return Help(cleaned)
    if phrases.THANKS.match(folded):
        return Thanks(cleaned)
    council = names.index.council(cleaned) if names.councils else None
    for rule in (_documents, _meetings_and_cases, _overview, _goal, _chart, _at_period):
        intent = rule(cleaned, folded, names, council)
        if intent is not None:
            return intent
    return _indicator(cleaned, folded, names, council)


def _documents(cleaned: str, folded: str, names: Names, council: str | None) -> Intent | None:
    """Toppnotat, innkalling and digest commands (answered by other features)."""
    if phrases.TOPPNOTAT.search(folded):
        number = _case_number(folded)
        return Toppnotat(cleaned, number=number or "", council=council)
    if phrases.INNKALLING.search(folded):
        return Innkalling(cleaned, meeting=_meeting_ref(folded), council=council)
    if phrases.DIGEST.search(folded):
        return Digest(cleaned, council=council, next=bool(phrases.NEXT.search(folded)))
    return None


def _meetings_and_cases(cleaned: str, folded: str, names: Names, council: str | None) -> Intent | None:
    """Cases by number, the next meeting's agenda, and meetings."""
    number = phrases.CASE_NUMBER.search(folded)
    meeting_before = number and phrases.MEETING_NUMBER_BEFORE.search(folded[: number.start()])
    if number and not meeting_before and (phrases.CASE_WORD.search(folded) or len(number[2]) == 2):
        return Case(cleaned, number=_case_number(folded) or "", council=council)
    if number:  # "møte 4/2025", "saker til NUIT 4/2025", "1/2026": meetings are numbered per year
        meeting = f"{int(number[1])}/{_full_year(number[2])}"
        said = meeting_before or phrases.MEETING.search(folded) or phrases.CASES.search(folded)
        return MeetingByNumber(cleaned, number=meeting, council=council, or_case=not said)
    day = find_day(folded)
    alone = day and day[1] == folded.strip(" ?!.,;:")
    if day and (alone or phrases.MEETING.search(folded) or phrases.CASES.search(folded)):
        return MeetingByNumber(cleaned, number=day[0], council=council)
    if phrases.CASES.search(folded) and (phrases.MEETING.search(folded) or phrases.NEXT.search(folded)):
        return CasesAtNextMeeting(cleaned, council=council)
    if phrases.MEETING.search(folded) or (council and phrases.WHEN_MEETS.search(folded)):
        year = phrases.YEAR.search(folded)
        if year and not phrases.NEXT.search(folded):
            return Meetings(cleaned, council=council, year=int(year[1]))
        if phrases.MEETINGS_PLURAL.search(folded) and not phrases.NEXT_ONE.search(folded):
            return Meetings(cleaned, council=council)
        return NextMeeting(cleaned, council=council)
    if council and phrases.COUNCIL_ONLY.fullmatch(folded):
        return NextMeeting(cleaned, council=council)
    return None


def _overview(cleaned: str, folded: str, names: Names, council: str | None) -> Intent | None:
    if phrases.OVERVIEW.search(folded) or folded.strip(" ?!.") in phrases.OVERVIEW_WHOLE:
        return Overview(cleaned)
    return None


def _goal(cleaned: str, folded: str, names: Names, council: str | None) -> Intent | None:
    """A goal by number ("mål 3") or by name after "overordnet mål" or "hvilke indikatorer hører til"."""
    wants_chart = bool(phrases.CHART.search(folded))
    number = phrases.GOAL_NUMBER.search(folded)
    if number:
        goal = names.goal_number(int(number[1]))
        if goal is None:
            return NotFound(cleaned, query=f"mål {number[1]}", wanted="goal")
        return (
            Chart(cleaned, code=goal.code, kind="goal")
            if wants_chart
            else GoalStatus(cleaned, code=goal.code, section=_narrative_section(folded))
        )
    words_framing = phrases.GOAL_WORDS.search(folded)
    if not words_framing:
        return None
    phrase = _strip_words(folded[words_framing.end() :] or folded, NOT_NAMES | GOAL_FILLER)
    if not phrase:
        return None
    match = names.index.match(phrase, kinds=("goal",))
    if not match.found:
        match = names.index.match(phrase, kinds=("goal", "indicator"), prefer="goal")
    return _resolved(cleaned, match, "goal_chart" if wants_chart else "goal")


def _narrative_section(folded: str) -> str:
    """The part of a goal's status text the question names ("utfordringene"), or ""."""
    return next((name for name, pattern in phrases.NARRATIVE_SECTIONS if pattern.search(folded)), "")


def _chart(cleaned: str, folded: str, names: Names, council: str | None) -> Intent | None:
    if not phrases.CHART.search(folded):
        return None
    if code := _plan_number(folded, names):
        return Chart(cleaned, code=code)
    phrase = _strip_words(folded, NOT_NAMES)
    if not phrase:
        return Help(cleaned)
    return _resolved(cleaned, names.index.match(_original_words(cleaned, phrase)), "chart")


def _at_period(cleaned: str, folded: str, names: Names, council: str | None) -> Intent | None:
    """An indicator at a period or over a span; None when the question names no period."""
    found = find_period(folded)
    if found.period is None or _year_in_name(cleaned, folded, names, found.period.year):
        return None
    kind = History if found.history else ValueAt
    if code := _plan_number(found.rest, names):
        return kind(cleaned, code=code, period=found.period)
    phrase = _strip_words(found.rest, NOT_NAMES)
    if not phrase:
        return None
    match = names.index.match(_original_words(cleaned, phrase))
    best = match.best
    if best is None or best.kind != "indicator":
        return _resolved(cleaned, match, "status")
    return kind(cleaned, code=best.code, period=found.period, alternatives=match.alternatives)


def _year_in_name(cleaned: str, folded: str, names: Names, year: int | None) -> bool:
    """Whether the year is part of the name asked for ("… (2023-planen)"), not a period."""
    if year is None:
        return False
    best = names.index.match(_original_words(cleaned, _strip_words(folded, NOT_NAMES))).best
    return best is not None and str(year) in names.index.entity_stems(best)


def _indicator(cleaned: str, folded: str, names: Names, council: str | None) -> Intent:
    """Everything else is a question about an indicator (or a goal named without "mål")."""
    aspect = next((a for a, p in phrases.ASPECT_PATTERNS if re.search(p, folded)), "status")
    if code := _plan_number(folded, names):
        return IndicatorStatus(cleaned, code=code, aspect=aspect)
    phrase = _strip_words(folded, NOT_NAMES)
    if not phrase:
        # "hvilken kilde har …": a question about an indicator that names none.
        return NotFound(cleaned, query="", wanted=aspect) if aspect != "status" else Unclear(cleaned)
    match = names.index.match(_original_words(cleaned, phrase))
    if not match.found and not match.candidates and council:
        return NextMeeting(cleaned, council=council)
    return _resolved(cleaned, match, aspect)


def _resolved(cleaned: str, match: Match, wanted: str) -> Intent:
    """Turn a name match into the wanted intent, or into Ambiguous / NotFound."""
    best = match.best
    if best is not None:  # match.found
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


def _plan_number(folded: str, names: Names) -> str | None:
    """The 2023 plan's indicator a number such as "2.3" names ("indikator 2.3"), or None."""
    for number in phrases.PLAN_NUMBER.findall(folded):
        if code := names.plan_numbers.get(number):
            return code
    return None


def _strip_words(folded: str, remove: frozenset[str]) -> str:
    """The folded text without question words and function words."""
    # "under arbeid" is a readiness filter; "under" alone is in a name ("… under Helseteknologiordningen").
    folded = re.sub(r"\bunder arbeid\b", " ", folded)
    kept = [w for w in re.findall(r"[\w]+", folded) if w not in remove and w not in STOPWORDS]
    return " ".join(kept)


def _original_words(cleaned: str, phrase: str) -> str:
    """The words of `phrase` as the user wrote them (capitals matter for codes like "PLL")."""
    wanted = set(phrase.split())
    kept = [w for w in re.findall(r"[\wæøåÆØÅ]+", cleaned) if fold(w) in wanted]
    return " ".join(kept) or phrase


def _case_number(folded: str) -> str | None:
    """A case number as stored: "40/25" (also from "40/2025" or "40 / 25")."""
    m = phrases.CASE_NUMBER.search(folded)
    return normalise_case_number(m[0]) if m else None


def _full_year(year: str) -> str:
    return year if len(year) == 4 else f"20{year}"


def _meeting_ref(folded: str) -> str:
    """Which meeting a notice is for: a number ("4/2025"), an ISO date, or "neste"."""
    if day := find_day(folded):
        return day[0]
    if m := phrases.CASE_NUMBER.search(folded):
        return f"{int(m[1])}/{_full_year(m[2])}"
    return "neste"
