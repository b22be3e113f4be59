"""Fixtures for the Slack tests: a fake Slack Web API, a Context pointed at it, the app over HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from radsbot.bot.bootstrap import Context
from radsbot.bot.settings import Settings, WebLimits
from radsbot.bot.slack.app import build_app
from radsbot.bot.slack.server import HttpServer
from radsbot.bot.slack.workers import Workers

from tests.fakes.engine import FakeEngine
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import SlackRequests
from tests.slack.messages import SECRET, TOKEN

SLACK_TIMEOUT = 3  # seconds the app's client waits for the fake Web API


@dataclass
class RunningApp:
    """The app under test: where to send requests, and its work pool to wait on."""

    slack: SlackRequests
    server: HttpServer
    workers: Workers
    engine: object

    def settle(self) -> None:
        """Wait until every acknowledged request has finished its slow work."""
        assert self.workers.wait_idle(30), "the app's work did not finish"


@pytest.fixture
def slack_api() -> Iterator[FakeSlackAPI]:
    """A fake Slack Web API on a free loopback port."""
    with FakeSlackAPI() as fake:
        yield fake


@pytest.fixture
def slack_context(db_url: str, slack_api: FakeSlackAPI) -> Iterator[Context]:
    """A Context on this test's database, pointed at the fake Web API."""
    settings = Settings(
        DATABASE_URL=db_url,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack_api.url,
        # An answer slower than this counts as lost (tests/fakes/slack_api.py can delay one).
        RADSBOT_SLACK_TIMEOUT=SLACK_TIMEOUT,
    )
    ctx = Context(settings)
    yield ctx
    ctx.close()


@pytest.fixture
def start_app(slack_context: Context) -> Iterator[Callable[[object], RunningApp]]:
    """Start the real app over HTTP with the given engine (and server limits); stopped after the test."""
    running: list[RunningApp] = []

    def start(engine, limits: WebLimits | None = None) -> RunningApp:
        workers = Workers(4)
        app = build_app(slack_context, engine, workers=workers)
        server = HttpServer(app, "127.0.0.1", 0, threads=8, signing_secret=SECRET, limits=limits).start()
        running.append(RunningApp(SlackRequests(server.url, SECRET), server, workers, engine))
        return running[-1]

    yield start
    for app in running:
        app.settle()
        app.server.stop()
        app.workers.shutdown()


@pytest.fixture
def app(start_app) -> RunningApp:
    """The app with the fake engine."""
    return start_app(FakeEngine())


@pytest.fixture
def real_app(start_app, slack_context) -> RunningApp:
    """The app with the real chat engine (bot/engine.py) on this test's seeded database."""
    from radsbot.bot.engine import Engine

    return start_app(Engine(slack_context))
