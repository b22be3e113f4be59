"""An immutable snapshot of the names the bot recognises: indicators, goals and councils.

Loaded once per process from the database (`load_names`), then handed to the pure parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from radsbot.data import queries
from radsbot.data.db import Session
from radsbot.data.words import DEFAULT_LANGUAGE, goal_label


@dataclass(frozen=True)
class IndicatorName:
    """What an indicator is called: code, names and aliases, and where it sits."""

    code: str
    name: str
    short_name: str = ""
    aliases: tuple[str, ...] = ()
    goal: str = ""  # goal code
    parent: str = ""  # parent indicator code for sub-indicators
    indicator_set: str = "dashbord"  # "dashbord" (the strategy's) or "plan2023" (the 2023 plan's)
    number: str = ""

    @property
    def terms(self) -> tuple[str, ...]:
        """Every name the indicator can be asked for by."""
        return tuple(t for t in (self.name, self.short_name, *self.aliases, self.code.replace("_", " ")) if t)


@dataclass(frozen=True)
class GoalName:
    """What a goal is called: code, number (1–5 for strategic goals), name and aliases."""

    code: str
    name: str
    kind: str = "strategisk"
    number: int | None = None
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """ "Mål 3: Helsedata …" or the overarching goal's name (bokmål: names are matched on it)."""
        return goal_label(self.number, self.name, DEFAULT_LANGUAGE)

    def label_in(self, lang: str) -> str:
        """The goal as readers of `lang` know it: "Goal 3: Helsedata …" in English."""
        return goal_label(self.number, self.name, lang)

    @property
    def terms(self) -> tuple[str, ...]:
        """Every name the goal can be asked for by."""
        numbered = (f"mål {self.number}",) if self.number else ()
        return tuple(t for t in (self.name, *self.aliases, *numbered) if t)


@dataclass(frozen=True)
class CouncilName:
    """What a council is called, now and before."""

    code: str
    name: str
    short_name: str = ""
    former_names: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        """Every name the council can be referred to by."""
        return tuple(
            t for t in (self.code, self.name, self.short_name, *self.former_names, *self.aliases) if t
        )


@dataclass(frozen=True)
class Names:
    """The names of every indicator, goal and council, for understanding messages."""

    indicators: tuple[IndicatorName, ...] = ()
    goals: tuple[GoalName, ...] = ()
    councils: tuple[CouncilName, ...] = ()

    @cached_property
    def index(self):
        """The fuzzy-matching index over every name, built on first use."""
        from radsbot.bot.matching import NameIndex

        return NameIndex.build(self)

    @cached_property
    def goal_by_code(self) -> dict[str, GoalName]:
        """Goals by code."""
        return {g.code: g for g in self.goals}

    @cached_property
    def plan_numbers(self) -> dict[str, str]:
        """Codes of the 2023 plan's indicators by their full number ("2.3", "2.2.1"), as document 001
        numbers them; a part's number follows its parent's."""
        by_code = {i.code: i for i in self.indicators}

        def full(ind: IndicatorName) -> str:
            parent = by_code.get(ind.parent)
            return f"{full(parent)}.{ind.number}" if parent is not None else ind.number

        return {full(i): i.code for i in self.indicators if i.indicator_set == "plan2023" and i.number}

    def goal_number(self, number: int) -> GoalName | None:
        """The strategic goal with this number, or None."""
        return next((g for g in self.goals if g.number == number), None)


def load_names(session: Session) -> Names:
    """Read the names of all indicators, goals and councils (three small queries)."""
    goals, rows, councils = queries.all_names(session)
    goal_codes = {g.id: g.code for g in goals}
    codes = {r.id: r.code for r in rows}
    indicators = tuple(
        IndicatorName(
            code=r.code,
            name=r.name,
            short_name=r.short_name or "",
            aliases=tuple(r.aliases or ()),
            goal=goal_codes.get(r.goal_id, ""),
            parent=codes.get(r.parent_id, "") if r.parent_id else "",
            indicator_set=r.indicator_set or "dashbord",
            number=r.number or "",
        )
        for r in rows
    )
    return Names(
        indicators=indicators,
        goals=tuple(
            GoalName(code=g.code, name=g.name, kind=g.kind, number=g.number, aliases=tuple(g.aliases or ()))
            for g in goals
        ),
        councils=tuple(
            CouncilName(
                code=c.code,
                name=c.name,
                short_name=c.short_name or "",
                former_names=tuple(c.former_names or ()),
                aliases=tuple(c.aliases or ()),
            )
            for c in councils
        ),
    )
