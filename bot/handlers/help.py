"""Help: what can be asked, with examples; and the answer to a message not understood."""

from __future__ import annotations

from radsbot.bot.handlers.request import Request
from radsbot.bot.replies import Reply, Section
from radsbot.bot.texts import HELP_EXAMPLES


def help_reply(req: Request) -> Reply:
    """Every kind of question with examples to copy."""
    examples = HELP_EXAMPLES.get(req.lang, HELP_EXAMPLES["nb"])
    sections = tuple(
        Section(
            heading=req.t(heading), items=tuple(f"«{e}»" if req.lang == "nb" else f"“{e}”" for e in items)
        )
        for heading, items in examples.items()
    )
    return Reply(
        title=req.t("help_title"),
        summary=req.t("help_summary"),
        sections=(*sections, Section(context=req.t("help_footer"))),
        kind="help",
    )


def thanks_reply(req: Request) -> Reply:
    """A friendly word back, and where to find what can be asked."""
    return Reply(title=req.t("thanks_title"), summary=req.t("thanks_summary"), kind="help")


def unclear_reply(req: Request, text: str) -> Reply:
    """A message that could not be understood: say so, and show what can be asked."""
    shown = text if len(text) <= 80 else text[:77] + "…"
    help_ = help_reply(req)
    return Reply(
        title=req.t("unclear_title"),
        summary=req.t("unclear_summary", text=shown),
        sections=help_.sections,
        kind="not_found",
    )
