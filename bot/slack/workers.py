"""The thread pool that does the slow work after Slack has been acknowledged."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor


class Workers(Executor):
    """A bounded thread pool that knows how much work is queued or running.

    Kept apart from the pool Bolt runs `ack()` in, so that a queue of charts and queries never
    delays an acknowledgement; `wait_idle` lets a graceful shutdown (and a test) wait for the
    work in flight.
    """

    def __init__(self, size: int = 4, name: str = "radsbot-work"):
        self._pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix=name)
        self._pending = 0
        self._idle = threading.Condition()

    @property
    def pending(self) -> int:
        """Tasks queued or running."""
        with self._idle:
            return self._pending

    def submit(self, fn: Callable, /, *args, **kwargs) -> Future:
        """Queue `fn(*args, **kwargs)`."""
        with self._idle:
            self._pending += 1
        try:
            future = self._pool.submit(fn, *args, **kwargs)
        except BaseException:
            self._done(None)
            raise
        future.add_done_callback(self._done)
        return future

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Block until no task is queued or running; False when `timeout` seconds passed first."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop taking work; optionally wait for what is queued."""
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)

    def _done(self, _future: Future | None) -> None:
        with self._idle:
            self._pending -= 1
            if not self._pending:
                self._idle.notify_all()
