"""Answering in worker processes, so that answers never slow the acknowledgements.

Queries, pandas, matplotlib, Block Kit rendering and Web API calls all hold Python's GIL. Done
in the web process, they delay the threads that acknowledge Slack: with the engine in the web
process the ack p99 at 50 concurrent requests was 0.56 s; with one worker process, 0.14–0.19 s
(`python -m benchmarks.run slack_events slack_events_inline`).
`ProcessResponder` sends each request, as data, to a worker process that dedupes, asks its own
Engine, and posts with its own WebClient; the web process only acknowledges and waits.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from radsbot.bot.bootstrap import LOG_FORMAT, Context
from radsbot.bot.settings import Settings
from radsbot.bot.slack.delivery import EngineCall, Origin, Responder
from slack_sdk import WebClient

log = logging.getLogger(__name__)

DEFAULT_ENGINE = "radsbot.bot.engine:Engine"
# Longest one answer may take before the asker is told it failed (a chart takes well under 1 s).
ANSWER_TIMEOUT = 120
# Workers yield the CPU to the web process's acknowledgements (relative niceness).
WORKER_NICENESS = 5

_worker: tuple[Responder, WebClient] | None = None  # this worker process's responder and client


def default_processes() -> int:
    """One worker per core but one, and at least one."""
    return max(1, (os.cpu_count() or 2) - 1)


class ProcessResponder(Responder):
    """A Responder whose `handle` runs in a pool of worker processes, each with its own Engine."""

    def __init__(
        self,
        context: Context,
        processes: int = 1,
        engine: str = DEFAULT_ENGINE,
        log_level: int = logging.INFO,
    ):
        super().__init__(context, engine=None)
        self.processes = processes
        self.engine_path = engine  # "module:Class", built in each worker as Class(Context(settings))
        self.log_level = log_level
        self._pool_lock = threading.Lock()
        self._pool = self._new_pool()

    def handle(self, client: WebClient, origin: Origin, call: EngineCall) -> str:
        """Answer in a worker process; tell the asker if the worker itself fails."""
        pool = self._pool
        try:
            return pool.submit(_handle, origin, call).result(timeout=ANSWER_TIMEOUT)
        except BrokenProcessPool:
            # A worker died (killed, out of memory): this answer fails, the next ones work.
            with self._pool_lock:
                if self._pool is pool:
                    log.error("An answering worker process died; starting new workers")
                    self._pool = self._new_pool()
        except Exception:
            log.exception("Answer in a worker process failed: %s %r", origin.kind, origin.question[:200])
        self.apologise(client, origin)
        return "error"

    def warm_up(self) -> None:
        """Start every worker and build its engine now, not on the first question."""
        futures = [self._pool.submit(_ready) for _ in range(self.processes)]
        for future in futures:
            future.result(timeout=ANSWER_TIMEOUT)

    def close(self) -> None:
        """Stop the workers after the answers in progress."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn: a clean interpreter that inherits no threads, locks or database connections.
        return ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(self.context.settings, self.engine_path, self.log_level),
        )


def _start_worker(settings: Settings, engine_path: str, log_level: int) -> None:
    """Build this worker's engine, responder and Web API client (runs in the worker)."""
    global _worker
    with contextlib.suppress(OSError):  # only a priority hint; some systems refuse it
        os.nice(WORKER_NICENESS)
    # Ctrl-C reaches the whole process group; the web process stops the workers in order.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=log_level, format=LOG_FORMAT)
    module, _, name = engine_path.partition(":")
    context = Context(settings)
    engine = getattr(importlib.import_module(module), name)(context)
    try:
        engine.home("")  # read the names and warm the analytics now, not on the first question
    except Exception:
        log.exception("Warming up the engine failed; answering anyway")
    _worker = (Responder(context, engine), context.slack_client)


def _handle(origin: Origin, call: EngineCall) -> str:
    if _worker is None:  # the pool's initializer failed in this process
        raise RuntimeError("this answer process was not started")
    responder, client = _worker
    return responder.handle(client, origin, call)


def _ready() -> bool:
    return _worker is not None
