"""Options the web processes share (`radsbot serve`, `radsbot teams`), and their log format."""

from __future__ import annotations

import click
from radsbot.bot.bootstrap import LOG_FORMAT

__all__ = ["ENGINE_PROCESSES", "LOG_FORMAT", "LOG_LEVEL"]

ENGINE_PROCESSES = click.option(
    "--engine-processes",
    type=click.IntRange(min=0),
    default=None,
    help="Prosesser som lager svarene (standard: antall kjerner minus én; 0 = i webprosessen).",
)
LOG_LEVEL = click.option(
    "--log-level",
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
    default="INFO",
    show_default=True,
    help="Hvor mye som logges.",
)
