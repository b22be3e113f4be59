"""`radsbot serve` as a child process: started with a given environment, stopped with SIGTERM."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

READY = "lytter på "


class ServeProcess:
    """Runs `radsbot serve --port 0` and learns its URL from the line it prints when listening
    (or, in Socket Mode, waits for the line that says it connects)."""

    def __init__(
        self, env: dict[str, str], *args: str, ready: str = READY, preexec: Callable[[], None] | None = None
    ):
        radsbot = Path(sys.executable).with_name("radsbot")
        self.ready = ready  # the line that says it is up
        self.command = [str(radsbot), "serve", "--port", "0", "--host", "127.0.0.1", *args]
        self.env = env
        self.preexec = preexec  # run in the child before it starts (e.g. to lower its rlimits)
        self.lines: list[str] = []
        self.url = ""
        self.process: subprocess.Popen | None = None

    def start(self, wait: float = 60) -> ServeProcess:
        """Start and wait until it listens; raises with its output if it does not."""
        self.process = subprocess.Popen(
            self.command, env=self.env, stderr=subprocess.PIPE, text=True, preexec_fn=self.preexec
        )
        ready = threading.Event()

        def read():
            for line in self.process.stderr:
                self.lines.append(line)
                if self.ready in line and not ready.is_set():
                    if READY in line:
                        self.url = line.split(READY, 1)[1].split(" ", 1)[0]
                    ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(wait):
            self.process.kill()
            raise AssertionError("radsbot serve did not start:\n" + self.output)
        return self

    @property
    def pid(self) -> int:
        """The process id of `radsbot serve` (the web process)."""
        assert self.process is not None
        return self.process.pid

    @property
    def output(self) -> str:
        """What the process has written to stderr so far."""
        return "".join(self.lines)

    def stop(self, wait: float = 30) -> int:
        """SIGTERM, then wait for the exit code."""
        if self.process is None:
            return 0
        self.process.terminate()
        try:
            return self.process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def __enter__(self) -> ServeProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
