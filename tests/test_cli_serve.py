"""`radsbot serve` refuses to start without its Slack secrets, with a clear Norwegian message."""

from __future__ import annotations

import pytest
from radsbot.bot.bootstrap import Context
from radsbot.bot.cli import main
from radsbot.bot.settings import Settings

from tests.fakes.slack_api import FakeSlackAPI


@pytest.mark.parametrize(
    ("token", "secret", "missing"),
    [
        ("xoxb-1", None, "SLACK_SIGNING_SECRET mangler"),
        ("", "hemmelig", "SLACK_BOT_TOKEN mangler"),
    ],
)
def test_missing_token_or_secret_exits_2(db_url, capsys, token, secret, missing):
    """Half a Slack configuration: exit code 2 and a message naming what is missing and where to find
    it (with no Slack variable at all, `serve` serves the dashboard: tests/web/test_serve_dashboard.py)."""
    settings = Settings(
        DATABASE_URL=db_url, SLACK_BOT_TOKEN=token, SLACK_SIGNING_SECRET=secret, SLACK_APP_TOKEN=None
    )
    assert main(["serve"], obj=Context(settings)) == 2
    err = capsys.readouterr().err
    assert missing in err
    assert "api.slack.com/apps" in err


def test_socket_mode_needs_no_signing_secret_but_a_bot_token(db_url, capsys):
    """With SLACK_APP_TOKEN set, only the bot token is required."""
    settings = Settings(
        DATABASE_URL=db_url, SLACK_BOT_TOKEN=None, SLACK_SIGNING_SECRET=None, SLACK_APP_TOKEN="xapp-1"
    )
    assert main(["serve"], obj=Context(settings)) == 2
    err = capsys.readouterr().err
    assert "SLACK_BOT_TOKEN mangler" in err
    assert "SIGNING_SECRET" not in err.split("\n")[0]


@pytest.mark.slow
def test_token_refused_by_slack_exits_2(db_url, capsys):
    """A token Slack rejects (auth.test: invalid_auth) stops start-up with a Norwegian message."""
    with FakeSlackAPI() as fake:
        fake.refuse_token("invalid_auth")
        settings = Settings(
            DATABASE_URL=db_url,
            SLACK_BOT_TOKEN="xoxb-wrong",
            SLACK_SIGNING_SECRET="hemmelig",
            SLACK_APP_TOKEN=None,
            SLACK_API_URL=fake.url,
        )
        assert main(["serve", "--port", "0", "--engine-processes", "1"], obj=Context(settings)) == 2
        assert fake.calls_to("auth.test")
    err = capsys.readouterr().err
    assert "Slack godtok ikke SLACK_BOT_TOKEN" in err
    assert "invalid_auth" in err
