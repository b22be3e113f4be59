"""Answers when a name fits several things ("Mente du …?") or nothing ("Fant ikke …")."""

from __future__ import annotations

from radsbot.bot.handlers.request import Request
from radsbot.bot.matching import Candidate
from radsbot.bot.replies import Reply, Section

# The command to suggest for each thing the user wanted, so a code can simply be answered back.
_COMMANDS = {
    "nb": {"chart": "graf {code}", "goal": "{goal}", "status": "status {code}"},
    "en": {"chart": "chart {code}", "goal": "{goal}", "status": "status {code}"},
}


def command_for(req: Request, candidate: Candidate, wanted: str) -> str:
    """What to write to get this candidate: "status DHO_KOMMUNE", "graf PLL" or "mål 3"."""
    if candidate.kind == "goal":
        goal = req.catalogue.goal_by_code.get(candidate.code)
        words = "mål" if req.lang == "nb" else "goal"
        if goal is not None and goal.number:
            return ("graf " if wanted == "chart" else "") + f"{words} {goal.number}"
        return goal.name if goal else candidate.code
    templates = _COMMANDS.get(req.lang, _COMMANDS["nb"])
    key = wanted if wanted in templates else "status"
    return templates[key].format(code=candidate.code, goal=candidate.code)


def ambiguous_reply(req: Request, query: str, candidates: tuple[Candidate, ...], wanted: str) -> Reply:
    """A short list of what the user may have meant, each with the command to ask for it."""
    items = tuple(f"{c.label}  →  «{command_for(req, c, wanted)}»" for c in candidates)
    return Reply(
        title=req.t("ambiguous_title"),
        summary=req.t("ambiguous_summary", query=query, names=", ".join(c.code for c in candidates)),
        sections=(
            Section(
                items=items, context=req.t("ambiguous_hint", example=command_for(req, candidates[0], wanted))
            ),
        ),
        kind="ambiguous",
        meta={"candidates": ",".join(c.code for c in candidates)},
    )


def not_found_reply(req: Request, query: str, suggestions: tuple[Candidate, ...], wanted: str) -> Reply:
    """A polite "fant ikke", with the nearest names when there are any."""
    if not query:
        example = req.catalogue.indicators[0].code if req.catalogue.indicators else "PLL"
        return Reply(
            title=req.t("which_indicator_title"),
            summary=req.t("which_indicator", example=f"status {example}"),
            sections=(Section(context=req.t("not_found_hint")),),
            kind="not_found",
        )
    if query.startswith("mål ") and wanted == "goal":
        return Reply(
            title=req.t("not_found_title", query=query),
            summary=req.t("goal_not_found", query=query),
            kind="not_found",
        )
    text = req.t("not_found_suggest") if suggestions else ""
    items = tuple(f"{c.label}  →  «{command_for(req, c, wanted)}»" for c in suggestions)
    return Reply(
        title=req.t("not_found_title", query=query),
        summary=req.t("not_found_summary", query=query),
        sections=(Section(text=text, items=items, context=req.t("not_found_hint")),),
        kind="not_found",
        meta={"suggestions": ",".join(c.code for c in suggestions)},
    )


def unknown_code(req: Request, code: str) -> Reply:
    """An indicator code that is not (or no longer) in the database."""
    suggestions = req.catalogue.index.suggest(code, ("indicator",))
    return not_found_reply(req, code, suggestions, "status")
