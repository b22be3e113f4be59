"""`radsbot serve` serves the dashboard whether or not Slack is configured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.serve import ServeProcess
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import SlackRequests, mention
from tests.slack.messages import SECRET
from tests.slack.test_slack_serve_limits import serve_env
from tests.web.conftest import fetch

pytestmark = pytest.mark.slow


def plain_env(folder: Path, **extra: str) -> dict[str, str]:
    """An environment with no Slack variables at all."""
    return {"PATH": os.environ.get("PATH", ""), "DATABASE_URL": f"sqlite:///{folder / 'r.sqlite3'}", **extra}


def test_without_slack_it_serves_the_dashboard_and_says_slack_is_off(tmp_path):
    """No Slack variables: the dashboard at /, /healthz, no Slack endpoint; a clean stop."""
    with ServeProcess(plain_env(tmp_path)) as server:
        assert "Slack er av" in server.output
        assert server.url.endswith("/")
        page = fetch(server.url)
        assert page.status == 200 and "Status for nasjonal e-helsestrategi" in page.text
        assert fetch(server.url + "healthz").text == "ok\n"
        assert fetch(server.url + "slack/events", method="POST", data=b"{}").status == 404
    assert server.process.returncode == 0


def test_dashboard_off_without_slack_has_nothing_to_serve(tmp_path):
    """RADSBOT_DASHBOARD=off and no Slack: exit code 2 and a Norwegian message saying what to do."""
    radsbot = Path(sys.executable).with_name("radsbot")
    done = subprocess.run(
        [str(radsbot), "serve", "--port", "0"],
        env=plain_env(tmp_path, RADSBOT_DASHBOARD="off"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "ingenting å kjøre" in done.stderr and "RADSBOT_DASHBOARD=off" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.e2e
def test_with_slack_the_gate_stays_as_strict_and_the_dashboard_is_beside_it(tmp_path):
    """Slack and the dashboard in one server: /slack/events still refuses what is not signed,
    answers what is; the dashboard answers GET; RADSBOT_DASHBOARD=off leaves only Slack."""
    with FakeSlackAPI() as fake:
        with ServeProcess(serve_env(fake, tmp_path), "--engine-processes", "1") as server:
            events = server.url
            base = events.rsplit("/slack/events", 1)[0] + "/"
            assert "dashbordet er på" in server.output
            assert fetch(base).status == 200
            unsigned = fetch(events, method="POST", data=b"{}", headers={"Content-Type": "application/json"})
            assert unsigned.status == 401
            assert fetch(events).status == 405  # GET on the events path: the gate's answer, as before
            assert SlackRequests(events, SECRET).event(mention("status PLL")).status == 200
            assert fetch(base + "slack/other").status == 404
        with ServeProcess(
            serve_env(fake, tmp_path, RADSBOT_DASHBOARD="off"), "--engine-processes", "1"
        ) as off:
            assert "dashbordet er av" in off.output
            assert fetch(off.url.rsplit("/slack/events", 1)[0] + "/").status == 404
