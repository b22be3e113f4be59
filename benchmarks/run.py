"""Benchmarks, run separately from the tests: `python -m benchmarks.run [NAME ...]`.

Each benchmark prints the median, the spread (min–max and p90 where useful) and the bar it must
meet. Figures go into the README. Nothing here is asserted in the test suite.
"""

from __future__ import annotations

import argparse
import sys

from benchmarks.common import BENCHMARKS, benchmark, child, show, summary, timings, workdir

__all__ = ["BENCHMARKS", "benchmark", "child", "show", "summary", "timings", "workdir"]


def main(argv: list[str] | None = None) -> int:
    """Run the named benchmarks (all by default)."""
    from benchmarks import data_bench  # noqa: F401 - registers benchmarks

    extras = (
        "bot_bench",
        "slack_bench",
        "teams_bench",
        "digest_bench",
        "document_bench",
        "import_limits_bench",
        "dashboard_bench",
        "narrative_bench",
    )
    for extra in extras:
        try:
            __import__(f"benchmarks.{extra}")
        except ModuleNotFoundError as exc:
            if exc.name != f"benchmarks.{extra}":
                raise
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help=f"any of: {', '.join(BENCHMARKS)}")
    parser.add_argument("--runs", type=int, default=0, help="override the number of runs")
    parser.add_argument("--database-url", default="", help="run on this (PostgreSQL) database")
    args = parser.parse_args(argv)
    for name in args.names or list(BENCHMARKS):
        BENCHMARKS[name](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
