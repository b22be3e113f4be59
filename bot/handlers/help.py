"""Help: what can be asked, with examples; and the answer to a message not understood."""

from __future__ import annotations

from radsbot.bot.handlers.request import Request
from radsbot.bot.replies import Reply, Section
from radsbot.data.words import N_, N_p
from radsbot.reports import formatting as fmt

# Every kind of question, with examples to copy (each written as readers of the language ask it).
EXAMPLES = (
    (
        N_("Indicators"),
        (
            N_p("example", "status PLL"),
            N_p("example", "how is welfare technology doing? (velferdsteknologi)"),
            N_p("example", "what is the target for innbyggers tillit?"),
            N_p("example", "which source does DDFL have?"),
            N_p("example", "how many municipalities have digital home monitoring?"),
            N_p("example", "chart PLL"),
        ),
    ),
    (
        N_("Goals and overview"),
        (
            N_p("example", "overview"),
            N_p("example", "goal 3"),
            N_p("example", "which indicators belong to goal 1?"),
        ),
    ),
    (
        N_("Meetings and cases"),
        (
            N_p("example", "next meeting"),
            N_p("example", "next meeting in NUIT"),
            N_p("example", "meetings in 2026"),
            N_p("example", "case 40/25"),
            N_p("example", "cases at the next meeting"),
        ),
    ),
    (
        N_("Documents and digests"),
        (
            N_p("example", "case paper 40/25"),
            N_p("example", "meeting notice for the next NUIT meeting"),
            N_p("example", "digest nuit"),
        ),
    ),
    (
        N_("Pre-meeting digests (changes need an admin)"),
        (
            N_p("example", "next digest"),
            N_p("example", "council"),
            N_p("example", "council set nuit --lead-days 7 --hour 8"),
        ),
    ),
)


def help_reply(req: Request) -> Reply:
    """Every kind of question with examples to copy."""
    sections = tuple(
        Section(heading=req._(heading), items=tuple(fmt.quoted(req.text(e), req.lang) for e in examples))
        for heading, examples in EXAMPLES
    )
    return Reply(
        title=req._("What you can ask Rådsbot"),
        summary=req._("Ask about indicators, goals, meetings and cases. Examples:"),
        sections=(
            *sections,
            Section(
                context=req._(
                    "Names can be written freely, typos and all; codes (PLL, DHO_KOMMUNE …) are in "
                    "“overview”."
                )
            ),
        ),
        kind="help",
    )


def thanks_reply(req: Request) -> Reply:
    """A friendly word back, and where to find what can be asked."""
    return Reply(
        title=req._("You're welcome!"),
        summary=req._("Ask any time. Write “help” to see what you can ask."),
        kind="help",
    )


def unclear_reply(req: Request, text: str) -> Reply:
    """A message that could not be understood: say so, and show what can be asked."""
    shown = text if len(text) <= 80 else text[:77] + "…"
    help_ = help_reply(req)
    return Reply(
        title=req._("I did not understand that"),
        summary=req._("I did not understand “{text}”.", text=shown),
        sections=help_.sections,
        kind="not_found",
    )
