"""One chart cache for chat, digest, documents and dashboard, and charts drawn in parallel.

A chart is known by the hash of everything it is drawn from (its `ChartJob`: the title, the
language, the format, and per indicator its names, unit, series and assessment) and of the code
that draws it, so a chart is reused until its data change — whoever asks: a chat answer, the
digest, a case paper or a dashboard page. Charts are kept in memory (bounded by size) and, when a
folder is configured (`RADSBOT_CHART_CACHE`), on disk, where other processes (Slack's answer
workers, the next `radsbot digest`) find them too.

Several charts missing at once are drawn in worker processes, one per core.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol, TypeVar

log = logging.getLogger(__name__)

MEMORY_BYTES = 64 * 1024 * 1024  # charts kept in one process
DISK_BYTES = 512 * 1024 * 1024  # charts kept on disk before the oldest are removed
# What a kept file must start with: PNG, SVG, or a .docx (a zip) for the digest's Word file.
SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"<?xml", b"<svg", b"PK\x03\x04")


class Job(Protocol):
    """What the cache needs of a chart job: its fingerprint."""

    def fingerprint(self) -> bytes: ...


J = TypeVar("J", bound=Job)


@dataclass
class Settings:
    """Where charts are kept on disk (None: in memory only) and how many processes draw them."""

    directory: Path | None = None
    workers: int = 0  # 0: one per core


_settings = Settings()
_memory: OrderedDict[str, bytes] = OrderedDict()
_memory_bytes = 0
_lock = threading.Lock()
_writes = 0


def configure(directory: Path | None, workers: int = 0) -> None:
    """Keep charts in `directory` too (made private to this user), drawn by `workers` processes."""
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    _settings.directory, _settings.workers = directory, workers


def clear_memory() -> None:
    """Forget the charts kept in this process (tests, and after a code change in development)."""
    global _memory_bytes
    with _lock:
        _memory.clear()
        _memory_bytes = 0


@cache
def code_version() -> bytes:
    """The drawing code's fingerprint: a change to how charts look makes every cached one stale."""
    import matplotlib
    from radsbot.reports import analytics, chart_cache, charts, formatting

    h = hashlib.sha256(matplotlib.__version__.encode())
    for module in (charts, analytics, formatting, chart_cache):
        h.update(Path(module.__file__ or "").read_bytes())
    return h.digest()


def key(job: Job) -> str:
    """The chart's name in the cache: a hash of its data and of the code that draws it."""
    return _name(job.fingerprint())


def _name(fingerprint: bytes) -> str:
    return hashlib.sha256(code_version() + fingerprint).hexdigest()


def cached(job: J, draw: Callable[[J], bytes]) -> bytes:
    """The chart of `job`, drawn by `draw` only if no copy of it is kept."""
    return kept(job.fingerprint(), lambda: draw(job))


def kept(fingerprint: bytes, make: Callable[[], bytes]) -> bytes:
    """Anything else made from charts and data (the digest's Word file), made again only when its
    `fingerprint` (every byte it is made from, and the code that makes it) changes."""
    name = _name(fingerprint)
    found = _get(name)
    if found is None:
        found = make()
        _put(name, found)
    return found


def cached_many(jobs: Sequence[J], draw: Callable[[J], bytes]) -> list[bytes]:
    """The charts of several jobs, in order; those not kept are drawn in parallel processes."""
    names = [key(job) for job in jobs]
    found = [_get(name) for name in names]
    missing = [i for i, chart in enumerate(found) if chart is None]
    for i, chart in zip(missing, _draw_all([jobs[i] for i in missing], draw), strict=True):
        found[i] = chart
        _put(names[i], chart)
    return [chart for chart in found if chart is not None]


def _draw_all(jobs: list[J], draw: Callable[[J], bytes]) -> list[bytes]:
    """Draw jobs in worker processes (one per core), or here when one process is all it takes."""
    workers = min(len(jobs), _settings.workers or os.cpu_count() or 1)
    if workers <= 1:
        return [draw(job) for job in jobs]
    import multiprocessing

    # A fork is cheap (matplotlib is loaded already) but unsafe beside other threads, whose
    # locks the child would inherit held; a process with threads uses a fresh interpreter.
    method = "fork" if threading.active_count() == 1 else "forkserver"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["radsbot.reports.charts"])
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return list(pool.map(draw, jobs))
    except (OSError, RuntimeError) as exc:  # no processes to be had (limits, a sandbox): draw here
        log.warning("Charts are drawn in this process: worker processes failed (%s)", exc)
        return [draw(job) for job in jobs]


def _get(name: str) -> bytes | None:
    with _lock:
        if name in _memory:
            _memory.move_to_end(name)
            return _memory[name]
    path = _path(name)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(SIGNATURES):
        return None  # a damaged or foreign file is drawn again, never shown
    _remember(name, data)
    return data


def _put(name: str, data: bytes) -> None:
    _remember(name, data)
    path = _path(name)
    if path is None:
        return
    try:
        # Written whole beside its name, then renamed: a reader never sees half a chart.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".chart-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("A chart could not be kept on disk: %s", exc)
        return
    _trim_disk()


def _remember(name: str, data: bytes) -> None:
    global _memory_bytes
    with _lock:
        if name not in _memory:
            _memory[name] = data
            _memory_bytes += len(data)
        while _memory_bytes > MEMORY_BYTES and len(_memory) > 1:
            _, dropped = _memory.popitem(last=False)
            _memory_bytes -= len(dropped)


def _path(name: str) -> Path | None:
    return _settings.directory / name if _settings.directory else None


def _trim_disk() -> None:
    """Every 50 charts written, remove the oldest until the folder is within its bound."""
    global _writes
    _writes += 1
    if _writes % 50 or _settings.directory is None:
        return
    files = sorted(
        (p.stat().st_mtime, p.stat().st_size, p) for p in _settings.directory.iterdir() if p.is_file()
    )
    total = sum(size for _, size, _ in files)
    for _, size, path in files:
        if total <= DISK_BYTES:
            break
        path.unlink(missing_ok=True)
        total -= size
