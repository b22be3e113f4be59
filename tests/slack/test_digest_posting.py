"""Digests posted to Slack for real: the CLI's --post and the scheduler, against the fake Web API."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from radsbot.bot.cli.schedule import make_scheduler
from radsbot.bot.digest_thread import digest_thread, post_thread
from radsbot.data import deliveries, queries
from radsbot.data.models import Council, Meeting
from radsbot.reports import formatting as fmt
from sqlalchemy import select

from tests.channels import delivery, secretariat, slack_channel
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_workspace import quick_digest
from tests.slack.messages import TOKEN

OSLO = ZoneInfo("Europe/Oslo")
SLACK = {"SLACK_BOT_TOKEN": TOKEN, "RADSBOT_POST_INTERVAL": 0}


def quick_scheduler(slack_context):
    """The CLI's scheduler, unspaced, composing the real digest with stand-in charts."""
    scheduler = make_scheduler(slack_context)
    scheduler.publishers["slack"].spacing = 0
    scheduler.compose = quick_digest
    return scheduler


@pytest.fixture
def nuit(session, slack_api: FakeSlackAPI):
    """NUIT's channel exists in the workspace; returns (council, its next planned meeting, channel id)."""
    council = session.scalar(select(Council).where(Council.code == "nuit"))
    meeting = queries.next_meeting(session, council.id, dt.date(2026, 11, 23))
    channel_id = slack_api.add_channel(slack_channel(council))
    slack_api.add_channel(secretariat(council))
    return council, meeting, channel_id


def as_json(value):
    """A parameter as sent: slack_sdk sends JSON bodies, whose values arrive already parsed."""
    return json.loads(value) if isinstance(value, str) else value


def digest_calls(slack_api: FakeSlackAPI, channel_id: str):
    """The overview, the thread replies and the uploads that reached one channel."""
    posts = slack_api.calls_to(
        "chat.postMessage", lambda c: slack_api.channel_id(c.params["channel"]) == channel_id
    )
    overview = [c for c in posts if not c.params.get("thread_ts")]
    uploads = slack_api.calls_to(
        "files.completeUploadExternal", lambda c: c.params.get("channel_id") == channel_id
    )
    return overview, posts, uploads


@pytest.mark.slow
def test_digest_post_via_cli_is_threaded_and_only_once(cli, slack_api, nuit, session):
    council, meeting, channel_id = nuit
    code, _out, err = cli("digest", "--council", "nuit", "--post", SLACK_API_URL=slack_api.url, **SLACK)
    assert code == 0, err
    overview, posts, uploads = digest_calls(slack_api, channel_id)
    assert len(overview) == 1
    meta = as_json(overview[0].params["metadata"])
    assert meta == {
        "event_type": "radsbot_digest",
        "event_payload": {"meeting_id": str(meeting.id), "key": f"digest:{meeting.id}"},
    }
    # The overview names the council and the meeting's date ("… før Porteføljerådet 3. desember 2026: …").
    assert f"før {council.display_name} {fmt.date(meeting.date)}:" in overview[0].params["text"]
    ts = slack_api.messages[channel_id][0]["ts"]
    threaded = [c for c in posts if c.params.get("thread_ts") == ts]
    assert len(threaded) >= 8  # one reply (or more) per goal
    assert len(uploads) == 8 and all(u.params.get("thread_ts") == ts for u in uploads)
    assert all(len(as_json(c.params["blocks"])) <= 50 for c in posts)
    row = delivery(session, meeting.id, slack_channel(council))
    assert row.status == "posted" and row.root_ref == ts

    code, _out, err = cli("digest", "--council", "nuit", "--post", SLACK_API_URL=slack_api.url, **SLACK)
    assert code == 1 and "allerede postet" in err
    assert len(digest_calls(slack_api, channel_id)[0]) == 1


@pytest.mark.slow
def test_digest_post_needs_a_token(cli, slack_api, nuit):
    code, _out, err = cli("digest", "--council", "nuit", "--post", SLACK_API_URL=slack_api.url)
    assert code == 1 and "SLACK_BOT_TOKEN mangler" in err
    assert slack_api.calls_to("chat.postMessage") == []


@pytest.mark.slow
def test_scheduler_survives_429_then_ok(slack_context, slack_api, nuit):
    council, meeting, channel_id = nuit
    scheduler = quick_scheduler(slack_context)
    slack_api.fail("chat.postMessage", status=429, retry_after=1, times=1)
    due = scheduler.due(council, meeting)
    assert scheduler.tick(due.post_at) == [f"posted {meeting.id} {slack_channel(council)}"]
    overview, _posts, uploads = digest_calls(slack_api, channel_id)
    assert len(overview) == 1 and len(uploads) == 8


@pytest.mark.slow
def test_scheduler_retries_after_slack_errors_and_recovers(slack_context, slack_api, nuit):
    council, meeting, channel_id = nuit
    scheduler = quick_scheduler(slack_context)
    slack_api.fail("chat.postMessage", status=500, retry_after=None, times=3)  # outlasts the client's retries
    due = scheduler.due(council, meeting)
    assert scheduler.tick(due.post_at)[0].startswith("retry")
    with slack_context.sessions() as s:
        row = delivery(s, meeting.id, slack_channel(council))
    assert row.status == "retry" and row.last_error
    assert digest_calls(slack_api, channel_id)[0] == []
    later = due.post_at + dt.timedelta(minutes=2)
    assert scheduler.tick(later) == [f"posted {meeting.id} {slack_channel(council)}"]
    assert len(digest_calls(slack_api, channel_id)[0]) == 1


@pytest.mark.slow
def test_recovery_finds_a_digest_slack_already_has(slack_context, slack_api, nuit):
    council, meeting, channel_id = nuit
    scheduler = quick_scheduler(slack_context)
    due = scheduler.due(council, meeting)
    with slack_context.sessions() as s:
        replies = scheduler.compose(
            s, s.get(Council, council.id), s.get(Meeting, meeting.id), due.post_at.date()
        )
    # A worker posted the whole digest and died before recording any of it.
    posted_ts = post_thread(
        scheduler.publishers["slack"], digest_thread(slack_channel(council), meeting.id), replies
    )
    with slack_context.sessions.begin() as s:
        deliveries.claim_new(s, meeting.id, due.channel, "posting", "dead", due.post_at, scheduler.lease)
    before = list(slack_api.messages[channel_id])
    after_lease = due.post_at + scheduler.lease + dt.timedelta(minutes=1)
    assert scheduler.tick(after_lease) == [
        f"recovering {meeting.id} {slack_channel(council)}",
        f"posted {meeting.id} {slack_channel(council)}",
    ]
    assert slack_api.messages[channel_id] == before  # nothing posted again
    with slack_context.sessions() as s:
        row = delivery(s, meeting.id, slack_channel(council))
        assert row.root_ref == posted_ts and deliveries.missing(s, row) == []


@pytest.mark.slow
def test_schedule_once_and_status_via_cli(cli, slack_api, nuit, slack_context):
    council, meeting, channel_id = nuit
    due = make_scheduler(slack_context).due(council, meeting)
    with time_machine.travel(due.post_at - dt.timedelta(hours=1), tick=False):
        code, out, _err = cli("schedule", "--status", SLACK_API_URL=slack_api.url, **SLACK)
        assert code == 0 and f"nuit {meeting.number}" in out and "postes" in out
        code, out, _err = cli("schedule", "--once", SLACK_API_URL=slack_api.url, **SLACK)
        assert code == 0 and out == ""
    assert digest_calls(slack_api, channel_id)[0] == []
    with time_machine.travel(due.post_at + dt.timedelta(minutes=1), tick=False):
        code, out, _err = cli("schedule", "--once", SLACK_API_URL=slack_api.url, **SLACK)
        assert code == 0 and f"posted {meeting.id}" in out
        code, out, _err = cli("schedule", "--status", SLACK_API_URL=slack_api.url, **SLACK)
        assert "posted, forsøk 1" in out
    assert len(digest_calls(slack_api, channel_id)[0]) == 1


@pytest.mark.slow
def test_digest_post_says_in_norwegian_what_failed_and_what_to_do(cli, slack_api, nuit):
    """The bot is not in the council's channel: the error names the fix, not Slack's English text."""
    council, _meeting, channel_id = nuit
    slack_api.refuse_channel(channel_id)
    code, _out, err = cli("digest", "--council", "nuit", "--post", SLACK_API_URL=slack_api.url, **SLACK)
    assert code == 1
    assert f"Rådsbot er ikke med i kanalen {slack_channel(council)}" in err and "/invite @Rådsbot" in err
    assert "Planleggeren prøver igjen" in err
    assert "not_in_channel" not in err and "SlackApiError" not in err
