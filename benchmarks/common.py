"""Shared benchmark plumbing: the registry, timing, summaries and child processes."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCHMARKS: dict[str, Callable[[argparse.Namespace], dict]] = {}


def benchmark(name: str):
    """Register a benchmark under a name."""

    def wrap(fn):
        BENCHMARKS[name] = fn
        return fn

    return wrap


def timings(fn: Callable[[], object], runs: int, warmup: int = 2) -> list[float]:
    """Wall-clock seconds of `runs` calls after `warmup` untimed ones."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def summary(samples: list[float], unit: str = "ms") -> dict:
    """Median, p90, p99, min and max of samples, in the given unit."""
    scale = 1000.0 if unit == "ms" else 1.0
    ordered = sorted(samples)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))] * scale

    return {
        "runs": len(samples),
        "unit": unit,
        "median": statistics.median(samples) * scale,
        "p90": pct(0.90),
        "p99": pct(0.99),
        "min": ordered[0] * scale,
        "max": ordered[-1] * scale,
    }


def show(name: str, result: dict, bar: str) -> None:
    """Print one benchmark's figures on one line."""
    unit = result.get("unit", "ms")
    extra = {
        k: v for k, v in result.items() if k not in {"runs", "unit", "median", "p90", "p99", "min", "max"}
    }
    print(
        f"{name:<34} median {result['median']:8.1f} {unit}  p90 {result['p90']:8.1f}  "
        f"p99 {result['p99']:8.1f}  min {result['min']:8.1f}  max {result['max']:8.1f}  "
        f"(n={result['runs']})  bar: {bar}  {json.dumps(extra, ensure_ascii=False) if extra else ''}",
        flush=True,
    )


def child(code: str, *args: str) -> dict:
    """Run `code` in a fresh interpreter (for cold starts and peak memory); it prints JSON."""
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def workdir() -> Path:
    """A scratch directory kept for the whole run."""
    if not hasattr(workdir, "path"):
        workdir.path = Path(tempfile.mkdtemp(prefix="radsbot-bench-"))
    return workdir.path
