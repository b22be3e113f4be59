"""The `radsbot` console script: load the CLI without the garbage collector, then run it.

Loading pandas, SQLAlchemy and pydantic creates hundreds of thousands of objects, and the
collector passes over all of them again and again while they load and once more at exit: about
a third of a cold `radsbot ask`. Freezing them after loading keeps them out of every later
collection; the collector is on again for the command itself (long-running `serve`, `chat`).
"""

from __future__ import annotations

import gc


def main() -> int:
    """Run `radsbot` with the command line of this process."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        from radsbot.bot.cli import main as cli_main
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
    try:
        return cli_main()
    finally:
        gc.freeze()  # the interpreter is about to exit: no collection pass over everything at teardown
