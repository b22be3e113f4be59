"""Exact look-ups of indicators and goals by code, name or alias; read-only."""

from __future__ import annotations

from dataclasses import dataclass

from radsbot.data.fields import max_length, quote
from radsbot.data.models import Goal, Indicator
from radsbot.data.words import Message, did_you_mean, join, msg
from rapidfuzz import fuzz, process, utils
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload


@dataclass(frozen=True)
class IndicatorLookup:
    """Case-insensitive map from every code, name and unambiguous alias to an indicator id."""

    ids: dict[str, int]
    units: dict[int, str]
    ambiguous: dict[str, list[str]]
    names: dict[str, str]  # casefolded key -> display name, for suggestions

    def explain_unknown(self, text: str) -> Message:
        """What is wrong with a name that matched nothing, with the nearest suggestions."""
        key = text.casefold()
        if not text:
            return msg("the indicator is missing. Write its code (e.g. PLL) or its name.")
        if key in self.ambiguous:
            return msg(
                "{name} can mean several indicators: {choices}. Use the code.",
                name=quote(text),
                choices=", ".join(self.ambiguous[key]),
            )
        unknown = msg("found no indicator called {name}.", name=quote(text))
        codes = msg("See «radsbot ask overview» for the codes.")
        longest = max_length(Indicator.name)
        if longest is not None and len(text) > longest:  # no name is this long; nothing near to look for
            return join(unknown, codes)
        near = process.extract(
            key,
            list(self.names),
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            limit=3,
            score_cutoff=70,
        )
        if not near:
            return join(unknown, codes)
        return join(unknown, did_you_mean(self.names[m] for m, _s, _i in near), codes)


def indicator_lookup(session: Session) -> IndicatorLookup:
    """Build the exact look-up table of every indicator (a few hundred keys)."""
    owners: dict[str, set[int]] = {}
    display: dict[int, str] = {}
    units: dict[int, str] = {}
    for ind in session.scalars(select(Indicator)):
        display[ind.id] = f"{ind.code} ({ind.name})"
        units[ind.id] = ind.unit
        for key in {ind.code, ind.name, ind.short_name, *ind.aliases}:
            if key:
                owners.setdefault(key.casefold(), set()).add(ind.id)
    # A code always wins over another indicator's alias of the same spelling.
    codes = {display[i].split(" ", 1)[0].casefold(): i for i in display}
    ids = {
        k: (codes[k] if k in codes else next(iter(v))) for k, v in owners.items() if len(v) == 1 or k in codes
    }
    ambiguous = {k: sorted(display[i] for i in v) for k, v in owners.items() if k not in ids}
    names = {k: display[next(iter(v))] for k, v in owners.items() if len(v) == 1}
    return IndicatorLookup(ids, units, ambiguous, names)


def indicator_by_code(session: Session, code: str) -> Indicator | None:
    """The indicator with this code, with goal, ambitions, parent and sub-indicators loaded."""
    return session.scalar(
        select(Indicator)
        .options(
            selectinload(Indicator.goal),
            selectinload(Indicator.ambitions),
            selectinload(Indicator.parent),
            selectinload(Indicator.children).selectinload(Indicator.ambitions),
            selectinload(Indicator.children).selectinload(Indicator.children),
        )
        .where(Indicator.code == code)
    )


def goal_by_code(session: Session, code: str) -> Goal | None:
    """The goal with this code, with its indicators, their ambitions and sub-indicators loaded."""
    return session.scalar(
        select(Goal)
        .options(
            selectinload(Goal.indicators).selectinload(Indicator.ambitions),
            selectinload(Goal.indicators).selectinload(Indicator.children).selectinload(Indicator.ambitions),
        )
        .where(Goal.code == code)
    )
