"""`radsbot serve` as a process under attack: idle connections, bad requests and huge bodies.

The bounds asserted are resources (requests answered, lines logged, memory), never durations:
the 3 s is the client's socket timeout, the time Slack gives an acknowledgement.
"""

from __future__ import annotations

import os
import re
import resource
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.raw_http import idle_connections, raw_request, throw_body
from tests.fakes.serve import ServeProcess
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import command_body, post, signature
from tests.slack.hostile_requests import BAD_REQUESTS, FORM
from tests.slack.messages import SECRET, TOKEN

pytestmark = pytest.mark.e2e

ACK_TIMEOUT = 3  # seconds: Slack gives up on an acknowledgement after this
MiB = 2**20


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlackAPI]:
    """One fake Slack Web API for the module's servers."""
    with FakeSlackAPI() as fake:
        yield fake


@pytest.fixture(scope="module")
def served(tmp_path_factory, fake_slack) -> Iterator[ServeProcess]:
    """`radsbot serve` with its default limits, on a new database."""
    server = ServeProcess(serve_env(fake_slack, tmp_path_factory.mktemp("limits")), "--engine-processes", "1")
    yield server.start()
    server.stop()


def serve_env(fake: FakeSlackAPI, folder: Path, **extra: str) -> dict[str, str]:
    """The environment of a `radsbot serve` process answering to `fake`."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.url,
        "DATABASE_URL": f"sqlite:///{folder / 'radsbot.sqlite3'}",
        **extra,
    }


def ask(server: ServeProcess, fake: FakeSlackAPI, channel: str) -> str:
    """A signed `/radsbot status PLL` in `channel`, acknowledged within the client's 3 s; the
    text of the answer posted there."""
    body = command_body("status PLL", "U0MEMBER", channel, fake.response_url(channel))
    ts = int(time.time())
    headers = {"Content-Type": FORM, "X-Slack-Request-Timestamp": str(ts)}
    headers["X-Slack-Signature"] = signature(SECRET, ts, body)
    assert post(server.url, body.encode(), headers, timeout=ACK_TIMEOUT).status == 200
    answer = fake.wait_for("chat.postMessage", lambda c: c.params["channel"] == channel, timeout=60)
    return answer.params["text"]


def peak_rss(pid: int) -> int:
    """The peak resident memory of a process so far (VmHWM), in bytes."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE).group(1)) * 1024


def wait_until(condition, timeout: float = 15) -> bool:
    """Whether `condition()` became true within `timeout` seconds (for output read by a thread)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.slow
def test_signed_request_is_answered_while_150_idle_connections_are_held(served, fake_slack):
    """150 connections that send nothing or half a request do not keep Slack's request out."""
    with idle_connections(served.url, 150):
        assert "PLL" in ask(served, fake_slack, "C0IDLE")
    assert "Traceback" not in served.output


@pytest.mark.slow
def test_bad_requests_get_a_4xx_and_one_log_line_each(served, fake_slack):
    """Every bad request gets its 4xx and exactly one line in the server's log; no traceback."""
    before = served.output.count("Refused")
    statuses = [raw_request(served.url, param.values[0](served.url)) for param in BAD_REQUESTS]
    assert statuses == [param.values[1] for param in BAD_REQUESTS]
    assert "PLL" in ask(served, fake_slack, "C0AFTERBAD")
    assert wait_until(lambda: served.output.count("Refused") - before >= len(BAD_REQUESTS))
    assert served.output.count("Refused") - before == len(BAD_REQUESTS)
    assert "Traceback" not in served.output


@pytest.mark.slow
def test_memory_stays_flat_while_huge_bodies_are_thrown(served, fake_slack):
    """20 unsigned bodies of 300 MB (declared, or chunked without an end) raise the process's
    peak memory by less than 50 MB: they are refused before they are read."""
    before = peak_rss(served.pid)
    statuses = {throw_body(served.url, 300 * MiB, declared=n % 2 == 0) for n in range(20)}
    assert statuses <= {413, None}  # None: reset after the 413, while the client was still sending
    assert peak_rss(served.pid) - before < 50 * MiB
    assert "PLL" in ask(served, fake_slack, "C0AFTERBIG")
    assert "Traceback" not in served.output


@pytest.mark.slow
def test_connections_fit_a_low_open_file_limit(tmp_path, fake_slack):
    """Under an open-file limit of 400 the server takes fewer connections (and says so) rather
    than failing to accept, and 300 idle connections still do not keep Slack out."""

    def low_limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (400, 400))

    server = ServeProcess(serve_env(fake_slack, tmp_path), "--engine-processes", "1", preexec=low_limit)
    server.start()
    try:
        connections = int(re.search(r"høyst (\d+) forbindelser", server.output).group(1))
        assert connections >= 10 and 2 * connections < 400
        assert "open-file limit (400)" in server.output
        with idle_connections(server.url, 300):
            assert "PLL" in ask(server, fake_slack, "C0LOWFD")
    finally:
        assert server.stop() == 0
    assert "Traceback" not in server.output


@pytest.mark.slow
def test_soft_open_file_limit_is_raised_for_the_connections(tmp_path, fake_slack):
    """A soft open-file limit below what the connections need is raised (up to the hard one)."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard != resource.RLIM_INFINITY and hard < 4000:
        pytest.skip(f"the hard open-file limit ({hard}) is too low to show the raise")

    def low_soft_limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (400, hard))

    server = ServeProcess(
        serve_env(fake_slack, tmp_path, RADSBOT_MAX_CONNECTIONS="1500"),
        "--engine-processes",
        "1",
        preexec=low_soft_limit,
    )
    server.start()
    try:
        limits = Path(f"/proc/{server.pid}/limits").read_text()
        soft = int(re.search(r"^Max open files\s+(\d+)", limits, re.MULTILINE).group(1))
        assert soft >= 2 * 1500
        assert "høyst 1500 forbindelser" in server.output
    finally:
        server.stop()
