"""Teams benchmark: `radsbot teams` under 1,000 indicator questions from 50 concurrent clients,
side by side with a bare Agents SDK echo bot in the same run (the floor the SDK sets).

The SDK answers a POST /api/messages only after the whole turn has finished, its posts to the
Bot Connector included, so the latency measured (request sent → HTTP response) is the whole
answer. Both bots run in anonymous mode as processes of their own and post to one fake Bot
Connector in a third process. Bars: p99 ≤ 300 ms, none over 3 s; a chart answer ≤ 150 ms beyond
the text answer (`teams_chart`, sequential requests, medians compared).

`python -m benchmarks.teams_bench echo` runs the echo bot alone (it prints its URL).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from benchmarks.common import benchmark, show, summary, workdir
from benchmarks.data_bench import seeded_database

QUESTIONS = [
    "status PLL",
    "hvordan går det med velferdsteknologi?",
    "hva er ambisjonen for innbyggers tillit?",
    "hvilken kilde har digital dialog med fastlege?",
    "status DHO",
    "hvor mange kommuner har digital hjemmeoppfølging?",
    "status EPJ",
    "indikator 2.3",
]
SLOW_SECONDS = 3.0
ANONYMOUS = {"CONNECTIONS__SERVICE_CONNECTION__SETTINGS__ANONYMOUS_ALLOWED": "true"}


class OwnProcess:
    """A server in a process of its own that prints its URL on its first line of stdout."""

    def __init__(self, *command: str, env: dict | None = None):
        self.command = [sys.executable, *command]
        self.env = env

    def __enter__(self) -> OwnProcess:
        self.process = subprocess.Popen(
            self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=self.env
        )
        self.url = self.process.stdout.readline().strip()
        return self

    def __exit__(self, *exc) -> None:
        self.process.stdin.close()
        self.process.terminate()
        self.process.wait(timeout=30)


def _env(url: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(workdir())),
        "DATABASE_URL": url,
        **ANONYMOUS,
    }


def _arrivals(connector_url: str) -> dict[str, float]:
    with urllib.request.urlopen(connector_url + "_arrivals", timeout=30) as response:
        return json.loads(response.read())


def _load(bot_url: str, connector_url: str, total: int, questions: list[str]) -> dict:
    """HTTP response latency of `total` messages from 50 clients, and when each answer arrived."""
    from tests.fakes.teams_bot import message, post

    sent: dict[str, float] = {}

    def send(i: int) -> tuple[float, int]:
        activity = message(
            questions[i % len(questions)], connector_url, aad=f"00000000-0000-4000-8000-{i % 40:012d}"
        )
        sent[activity["id"]] = time.time()
        start = time.perf_counter()
        status, _ = post(bot_url, activity)
        return time.perf_counter() - start, status

    for i in range(10):  # warm-up: the engine's names, connections, caches
        send(i)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(send, range(total)))
    responded = time.perf_counter() - started
    deadline = time.monotonic() + 300
    while True:  # answers are posted after the 202: wait for all of them
        arrivals = _arrivals(connector_url)
        if all(key in arrivals for key in sent) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    latencies = [seconds for seconds, _ in results]
    result = summary(latencies)
    result["over_3s"] = sum(seconds > SLOW_SECONDS for seconds in latencies)
    result["statuses"] = dict(Counter(status for _, status in results))
    result["responded_all_s"] = round(responded, 2)
    answered = sorted(arrivals[key] - at for key, at in sent.items() if key in arrivals)
    if answered:
        result["answered"] = len(answered)
        result["answer_p50_ms"] = round(statistics.median(answered) * 1000, 1)
        result["answer_p99_ms"] = round(
            answered[min(len(answered) - 1, round(0.99 * (len(answered) - 1)))] * 1000, 1
        )
        result["answer_max_ms"] = round(answered[-1] * 1000, 1)
        result["answered_all_s"] = round(
            max(arrivals[k] for k in sent if k in arrivals) - min(sent.values()), 2
        )
    return result


@benchmark("teams_messages")
def teams_messages(args) -> dict:
    """1,000 indicator questions, 50 concurrent, to `radsbot teams` and to a bare SDK echo bot."""
    from tests.fakes.teams_bot import TeamsProcess

    total = args.runs or 1000
    url = seeded_database("teams-bench", args.database_url)
    with OwnProcess("-m", "tests.fakes.bot_connector") as connector:
        with OwnProcess("-m", "benchmarks.teams_bench", "echo", env=_env(url)) as echo:
            floor = _load(echo.url, connector.url, total, QUESTIONS)
        show("teams echo bot (bare SDK, floor)", floor, "–")
        with TeamsProcess(_env(url), "--log-level", "WARNING") as bot:
            result = _load(bot.url, connector.url, total, QUESTIONS)
    result["echo_median"] = round(floor["median"], 1)
    result["echo_p99"] = round(floor["p99"], 1)
    show("/api/messages radsbot (50 concurrent)", result, "p99 ≤ 300 ms, none of 1,000 over 3 s")
    return result


@benchmark("teams_chart")
def teams_chart(args) -> dict:
    """A chart answer ("graf PLL") against the text answer ("status PLL"), one request at a time."""
    from tests.fakes.teams_bot import TeamsProcess, message, post

    runs = args.runs or 40
    url = seeded_database("teams-chart-bench", args.database_url)
    with (
        OwnProcess("-m", "tests.fakes.bot_connector") as connector,
        TeamsProcess(_env(url), "--log-level", "WARNING") as bot,
    ):

        def timed(text: str) -> float:
            """Sent → the answer's first message at the connector."""
            activity = message(text, connector.url)
            start = time.time()
            post(bot.url, activity)
            while activity["id"] not in (arrivals := _arrivals(connector.url)):
                time.sleep(0.002)
            return arrivals[activity["id"]] - start

        for _ in range(3):
            timed("status PLL")
            timed("graf PLL")
        text, chart = [], []
        for _ in range(runs):  # interleaved, so that load from elsewhere hits both alike
            text.append(timed("status PLL"))
            chart.append(timed("graf PLL"))
    result = summary(chart)
    result["text_median"] = round(statistics.median(text) * 1000, 1)
    result["overhead_ms"] = round((statistics.median(chart) - statistics.median(text)) * 1000, 1)
    show("teams chart answer (graf PLL)", result, "≤ 150 ms beyond the text answer")
    return result


def echo_main() -> None:
    """A bare Agents SDK echo bot (CloudAdapter + JWT middleware, anonymous): the floor."""
    import asyncio

    from aiohttp import web
    from microsoft_agents.activity import load_configuration_from_env
    from microsoft_agents.authentication.msal import MsalConnectionManager
    from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_middleware
    from microsoft_agents.hosting.core import TurnContext

    config = load_configuration_from_env(os.environ)
    manager = MsalConnectionManager(**config)
    adapter = CloudAdapter(connection_manager=manager)

    class Echo:
        async def on_turn(self, context: TurnContext) -> None:
            if context.activity.type == "message":
                await context.send_activity(f"Echo: {context.activity.text}")

    agent = Echo()

    async def messages(request: web.Request) -> web.StreamResponse:
        return await adapter.process(request, agent)

    async def main() -> None:
        app = web.Application(middlewares=[jwt_authorization_middleware])
        app["agent_configuration"] = manager.get_default_connection_configuration()
        app.router.add_post("/api/messages", messages)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        print(f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        await runner.cleanup()

    asyncio.run(main())


if __name__ == "__main__":
    if sys.argv[1:] == ["echo"]:
        import logging

        logging.basicConfig(level=logging.WARNING)
        echo_main()
