"""Where the Teams bot's answers are made: the engine in worker processes (the default), or in
threads of the web process (one engine, e.g. one a test built).

The engine holds Python's GIL for queries, analytics and charts; done in the web process it would
delay every other request's parsing, token check and posting (as measured for Slack, see
bot/slack/processes.py). Worker processes are spawned clean and each builds its own Engine.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from radsbot.bot.replies import Reply
from radsbot.bot.settings import Settings

log = logging.getLogger(__name__)

THREADS = 4
METHODS = ("answer", "action")
_engine = None  # this worker process's Engine


def default_processes() -> int:
    """One worker per core but one, and at least one."""
    return max(1, (os.cpu_count() or 2) - 1)


class Answerer:
    """Runs Engine.answer / Engine.action off the event loop."""

    def __init__(self, engine=None, settings: Settings | None = None, processes: int = 0):
        self.engine = engine
        self.settings = settings
        self.processes = 0 if engine is not None else processes
        self._lock = threading.Lock()
        self._pool: Executor = self._new_pool()

    def _new_pool(self) -> Executor:
        if self.processes:
            if self.settings is None:
                raise ValueError("worker processes need the settings to build their engine")
            # spawn: a clean interpreter that inherits no threads, event loop or database connections.
            return ProcessPoolExecutor(
                max_workers=self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self.settings, logging.getLogger().level),
            )
        if self.engine is None:
            raise ValueError("an engine, or settings and processes, are needed")
        return ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="radsbot-teams-engine")

    async def call(self, method: str, *args: str) -> Reply:
        """`Engine.<method>(*args)`; a dead worker pool is replaced (this call fails, the next work)."""
        if method not in METHODS:
            raise ValueError(f"not an engine method: {method}")
        pool = self._pool
        loop = asyncio.get_running_loop()
        try:
            if self.processes:
                return await loop.run_in_executor(pool, _call, method, args)
            return await loop.run_in_executor(pool, getattr(self.engine, method), *args)
        except BrokenProcessPool:
            with self._lock:
                if self._pool is pool:
                    log.error("An answering worker process died; starting new workers")
                    self._pool = self._new_pool()
            raise

    def warm_up(self) -> None:
        """Start every worker and build its engine now, not on the first question."""
        if self.processes:
            for future in [self._pool.submit(_ready) for _ in range(self.processes)]:
                future.result(timeout=120)

    def close(self) -> None:
        """Stop the pool (work in progress is abandoned: the server drains before this)."""
        self._pool.shutdown(wait=False, cancel_futures=True)


def _start_worker(settings: Settings, log_level: int) -> None:
    """Build this worker's engine (runs in the worker)."""
    global _engine
    from radsbot.bot.bootstrap import Context
    from radsbot.bot.engine import Engine

    logging.basicConfig(level=log_level)
    _engine = Engine(Context(settings))
    _engine.names  # noqa: B018 - read the names once, before the first question


def _call(method: str, args: tuple[str, ...]) -> Reply:
    return getattr(_engine, method)(*args)


def _ready() -> bool:
    return _engine is not None
