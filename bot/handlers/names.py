"""Answers when a name fits several things ("Mente du …?") or nothing ("Fant ikke …")."""

from __future__ import annotations

from radsbot.bot.handlers.request import Request
from radsbot.bot.matching import Candidate
from radsbot.bot.replies import Reply, Section
from radsbot.reports import formatting as fmt


def label(req: Request, candidate: Candidate) -> str:
    """A name the matcher found, as readers of the request's language know it ("Mål 3: …")."""
    if candidate.kind == "goal" and (goal := req.names.goal_by_code.get(candidate.code)) is not None:
        return goal.label_in(req.lang)
    return candidate.label


def command_for(req: Request, candidate: Candidate, wanted: str) -> str:
    """What to write to get this candidate: "status DHO_KOMMUNE", "graf PLL" or "mål 3"."""
    if candidate.kind == "goal":
        goal = req.names.goal_by_code.get(candidate.code)
        if goal is not None and goal.number:
            if wanted == "chart":
                return req.pgettext("command", "chart goal {number}", number=goal.number)
            return req.pgettext("command", "goal {number}", number=goal.number)
        return goal.name if goal else candidate.code
    if wanted == "chart":
        return req.pgettext("command", "chart {code}", code=candidate.code)
    return req.pgettext("command", "status {code}", code=candidate.code)


def _choice(req: Request, candidate: Candidate, wanted: str) -> str:
    """ "PLL – Pasientens legemiddelliste  →  «status PLL»"."""
    return f"{label(req, candidate)}  →  {fmt.quoted(command_for(req, candidate, wanted), req.lang)}"


def ambiguous_reply(req: Request, query: str, candidates: tuple[Candidate, ...], wanted: str) -> Reply:
    """A short list of what the user may have meant, each with the command to ask for it."""
    codes = ", ".join(c.code for c in candidates)
    hint = req._("Answer with the code, e.g. “{example}”.", example=command_for(req, candidates[0], wanted))
    return Reply(
        title=req._("Did you mean …?"),
        summary=req._("“{query}” fits several: {names}.", query=query, names=codes),
        sections=(Section(items=tuple(_choice(req, c, wanted) for c in candidates), context=hint),),
        kind="ambiguous",
        meta={"candidates": ",".join(c.code for c in candidates)},
    )


def not_found_reply(req: Request, query: str, suggestions: tuple[Candidate, ...], wanted: str) -> Reply:
    """A polite "fant ikke", with the nearest names when there are any."""
    hint = req._("Write “overview” to see all indicators and their codes.")
    if not query:
        example = req.names.indicators[0].code if req.names.indicators else "PLL"
        return Reply(
            title=req._("Which indicator?"),
            summary=req._(
                "Which indicator do you mean? Write its name or code, e.g. “{example}”.",
                example=req.pgettext("command", "status {code}", code=example),
            ),
            sections=(Section(context=hint),),
            kind="not_found",
        )
    if query.startswith("mål ") and wanted == "goal":  # a goal number that does not exist ("mål 6")
        number = query.removeprefix("mål ")
        return Reply(
            title=req._("“{query}” not found", query=req.pgettext("command", "goal {number}", number=number)),
            summary=req._(
                "There is no goal {number}. The goals are numbered 1–5, e.g. “goal 3”.", number=number
            ),
            kind="not_found",
        )
    text = req._("Did you mean one of these?") if suggestions else ""
    return Reply(
        title=req._("“{query}” not found", query=query),
        summary=req._("I found no indicator or goal called “{query}”.", query=query),
        sections=(
            Section(text=text, items=tuple(_choice(req, c, wanted) for c in suggestions), context=hint),
        ),
        kind="not_found",
        meta={"suggestions": ",".join(c.code for c in suggestions)},
    )


def unknown_code(req: Request, code: str) -> Reply:
    """An indicator code that is not (or no longer) in the database."""
    suggestions = req.names.index.suggest(code, ("indicator",))
    return not_found_reply(req, code, suggestions, "status")
