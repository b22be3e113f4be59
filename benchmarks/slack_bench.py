"""Slack benchmark: `radsbot serve` under 1,000 signed requests from 50 concurrent clients.

Measures the acknowledgement latency (request sent → HTTP response) of a mix of slash commands
and event callbacks against a real `radsbot serve` process, answering to a fake Slack Web API,
while its work pool answers them with the real engine. Bars: ack p99 ≤ 250 ms, none over 3 s.
`slack_events_idle` does the same while 150 idle and half-sent connections are held open (the
attack that starved waitress's default limit of 100 connections).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from benchmarks.common import benchmark, show, summary, workdir
from benchmarks.data_bench import seeded_database

SECRET = "bench-signing-secret-0123456789abcdef"
TOKEN = "xoxb-bench-0000000000-0000000000-benchbenchbenchbenchbe"
QUESTIONS = [
    "status PLL",
    "hvordan går det med velferdsteknologi?",
    "mål 3",
    "oversikt",
    "neste møte i NUIT",
    "sak 40/25",
    "hvilke indikatorer hører til mål 1?",
    "graf PLL",
    "hjelp",
    "status DHO",
]
SLOW_SECONDS = 3.0
IDLE_CONNECTIONS = 150


def requests_mix(n: int, slack, response_url: str) -> list:
    """`n` senders, alternating slash commands, channel mentions and direct messages."""
    from tests.fakes.slack_requests import command_body, direct_message, event_body, mention

    out = []
    for i in range(n):
        text = QUESTIONS[i % len(QUESTIONS)]
        kind = i % 3
        if kind == 0:
            body = command_body(text, f"U{i % 40:04d}", "C0NUIT", response_url)
            out.append((body, "application/x-www-form-urlencoded"))
        elif kind == 1:
            out.append((event_body(mention(text, user=f"U{i % 40:04d}")), "application/json"))
        else:
            out.append((event_body(direct_message(text, channel=f"D{i % 40:04d}")), "application/json"))
    return out


@benchmark("slack_events")
def slack_events(args) -> dict:
    """1,000 signed requests from 50 client threads against `radsbot serve` (ack latency)."""
    return _slack_events(args, "/slack/events ack (50 concurrent)")


@benchmark("slack_events_idle")
def slack_events_idle(args) -> dict:
    """The same while 150 connections that never finish a request are held open."""
    return _slack_events(args, "/slack/events ack, 150 idle conns", idle=IDLE_CONNECTIONS)


@benchmark("slack_events_inline")
def slack_events_inline(args) -> dict:
    """The same with the engine in the web process (--engine-processes 0), for comparison."""
    return _slack_events(args, "/slack/events ack, engine inline", "--engine-processes", "0")


def _slack_events(args, label: str, *serve_args: str, idle: int = 0) -> dict:
    from tests.fakes.raw_http import idle_connections
    from tests.fakes.serve import ServeProcess
    from tests.fakes.slack_requests import SlackRequests

    total = args.runs or 1000
    url = seeded_database("slack-bench", args.database_url)
    with FakeInOwnProcess() as fake:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": os.environ.get("HOME", str(workdir())),
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.url,
            "DATABASE_URL": url,
        }
        with ServeProcess(env, "--log-level", "WARNING", *serve_args) as server:
            slack = SlackRequests(server.url, SECRET)
            for body, content_type in requests_mix(10, slack, fake.response_url()):  # warm-up
                slack.send(body, content_type)
            answers_before = _wait_for_answers(fake, 10, timeout=60)
            mix = requests_mix(total, slack, fake.response_url())

            def send(item) -> tuple[float, int]:
                body, content_type = item
                start = time.perf_counter()
                status = slack.send(body, content_type).status
                return time.perf_counter() - start, status

            with idle_connections(server.url, idle):
                started = time.perf_counter()
                with ThreadPoolExecutor(max_workers=50) as pool:
                    results = list(pool.map(send, mix))
                acked_all = time.perf_counter() - started
            answered = _wait_for_answers(fake, answers_before + total, timeout=300)
            answered_all = time.perf_counter() - started
    latencies = [seconds for seconds, _ in results]
    result = summary(latencies)
    result["over_3s"] = sum(seconds > SLOW_SECONDS for seconds in latencies)
    result["statuses"] = dict(Counter(status for _, status in results))
    result["acked_all_s"] = round(acked_all, 2)
    result["answers_delivered"] = answered - answers_before
    result["answered_all_s"] = round(answered_all, 2)
    show(label, result, "p99 ≤ 250 ms, none of 1,000 over 3 s")
    return result


class FakeInOwnProcess:
    """The fake Slack Web API in a process of its own, so that the posts it receives do not
    compete with the benchmark's clients for one interpreter (the real Web API is remote)."""

    def __enter__(self) -> FakeInOwnProcess:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.fakes.slack_api"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.url = self.process.stdout.readline().strip()
        return self

    def response_url(self, name: str = "cmd") -> str:
        """A response_url on the fake."""
        return self.url.replace("/api/", f"/response/{name}")

    def answers(self) -> int:
        """Requests the fake has seen answered."""
        with urllib.request.urlopen(self.url.replace("/api/", "/_stats"), timeout=10) as response:
            return json.loads(response.read())["answers"]

    def __exit__(self, *exc) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def _wait_for_answers(fake: FakeInOwnProcess, expected: int, timeout: float) -> int:
    """Wait until `expected` answers arrived (or `timeout` passed); returns how many did."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and fake.answers() < expected:
        time.sleep(0.5)
    return fake.answers()
