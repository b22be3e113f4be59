"""Fixtures for the dashboard: a real waitress server on loopback, and headless Chromium.

The server is the one `radsbot serve` runs (bot.web.server) with the dashboard mounted, on this
test's database (SQLite, or PostgreSQL with RADSBOT_TEST_DATABASE_URL), answering as of CHAT_TODAY.
Chromium is Debian's /usr/bin/chromium driven by Playwright; without it the browser tests are
skipped, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from radsbot.bot.bootstrap import Context
from radsbot.bot.settings import Settings
from radsbot.bot.web.app import Dashboard
from radsbot.bot.web.server import HttpServer, compose

from tests.conftest import CHAT_TODAY

CHROMIUM = os.environ.get("RADSBOT_TEST_CHROMIUM", "/usr/bin/chromium")
# Flags for a browser that reaches nothing but the test server.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"


@dataclass(frozen=True)
class Fetched:
    """An HTTP answer: status, headers (lower-case names) and body."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        """The body as UTF-8 text."""
        return self.body.decode("utf-8")


def fetch(url: str, method: str = "GET", headers: dict[str, str] | None = None, data: bytes | None = None):
    """One real HTTP request; 4xx and 5xx are answers too, not exceptions."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Fetched(
                response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
            )
    except urllib.error.HTTPError as error:
        return Fetched(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


@dataclass
class Site:
    """The dashboard served on loopback: its base URL ("http://127.0.0.1:PORT/") and context."""

    url: str
    context: Context

    def get(self, path: str, **kwargs) -> Fetched:
        """GET (or another method) a path of the site."""
        return fetch(self.url.rstrip("/") + path, **kwargs)


def serve_dashboard(db_url: str) -> tuple[HttpServer, Context]:
    """The web server with the dashboard on `db_url`, started in a thread."""
    context = Context(Settings(DATABASE_URL=db_url))
    app = compose(dashboard=Dashboard(context, today=lambda: CHAT_TODAY))
    return HttpServer(app, "127.0.0.1", 0, threads=4).start(), context


@pytest.fixture
def site(db_url: str) -> Iterator[Site]:
    """The dashboard on this test's fresh database (changes the test makes are served)."""
    server, context = serve_dashboard(db_url)
    yield Site(server.url, context)
    server.stop()
    context.close()


@pytest.fixture(scope="module")
def shared_site(databases) -> Iterator[Site]:
    """The dashboard on one seeded database for a whole module of read-only tests."""
    server, context = serve_dashboard(databases.fresh())
    yield Site(server.url, context)
    server.stop()
    context.close()


def chromium_path() -> str | None:
    """The Chromium to drive, or None (which fails under CI=true)."""
    found = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if found:
        return found
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"Chromium is required in CI but missing at {CHROMIUM} (apt-get install chromium)")
    return None


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's) under Playwright, one per test process."""
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def new_page(browser):
    """Open pages in fresh contexts (bokmål unless told), closed after the test."""
    contexts = []

    def make(width: int = 1280, height: int = 900, scale: float = 1, locale: str = "nb-NO"):
        context = browser.new_context(
            viewport={"width": width, "height": height}, device_scale_factor=scale, locale=locale
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
