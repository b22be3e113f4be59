"""Jinja2 templates of the dashboard, packaged with it; every value is HTML-escaped."""

from __future__ import annotations

import re

from jinja2 import Environment, PackageLoader, StrictUndefined

_BLANK_LINES = re.compile(r"\n\s*\n")


class Renderer:
    """The template environment, built once per process (templates are compiled once)."""

    def __init__(self):
        self.env = Environment(
            loader=PackageLoader("radsbot.bot.web", "templates"),
            # Every template is HTML: stored text is escaped wherever it is shown.
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["paragraphs"] = paragraphs

    def render(self, template: str, **data) -> str:
        """The page made from `template` with `data`."""
        return self.env.get_template(template).render(**data)


def paragraphs(text: str) -> list[list[str]]:
    """A stored text as paragraphs of lines (the seed and case files separate paragraphs by a
    blank line and write bullets as "• " lines)."""
    return [
        [line.strip() for line in block.splitlines() if line.strip()]
        for block in _BLANK_LINES.split(text or "")
    ]
