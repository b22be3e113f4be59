"""Digests under faults: lost answers, lasting errors and a killed worker against the fake Slack.

Whatever happens on the way, the council's channel ends with exactly one overview and exactly
one reply (and one chart) per goal, and the ledger says `posted` only then — for
`radsbot digest --post` and `radsbot schedule --once` alike.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import time_machine
from radsbot.bot.cli.schedule import make_scheduler
from radsbot.bot.digest_replies import compose
from radsbot.bot.slack.blocks import to_messages
from radsbot.data import deliveries, queries
from radsbot.data.models import AuditLog, Council, Meeting
from sqlalchemy import select, update

from tests.channels import delivery, only, secretariat, slack_channel
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_workspace import Workspace, quick_digest
from tests.slack.messages import TOKEN

pytestmark = pytest.mark.e2e

TIMEOUT = 1  # seconds the CLI's client waits for an answer in these tests
SLACK = {"SLACK_BOT_TOKEN": TOKEN, "RADSBOT_POST_INTERVAL": 0, "RADSBOT_SLACK_TIMEOUT": TIMEOUT}
LOST = ["drop_before", "drop_after", "error_after", "slow"]


def overview_call(params) -> bool:
    return not params.get("thread_ts")


def thread_call(params) -> bool:
    return bool(params.get("thread_ts"))


@pytest.fixture
def nuit(session, slack_api: FakeSlackAPI):
    """NUIT alone has a channel; returns (council, its next meeting, a Workspace view of Slack)."""
    council = only(session, "nuit")
    session.commit()
    meeting = queries.next_meeting(session, council.id, dt.date(2026, 11, 23))
    return council, meeting, Workspace(slack_api, slack_channel(council), secretariat(council))


def expected_thread(db_url: str, council: Council, meeting: Meeting, today: dt.date, composer=compose):
    """The thread texts and chart names a fault-free digest has: what the channel must hold."""
    from radsbot.data.db import make_engine, session_factory

    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as s:
            replies = composer(s, s.get(Council, council.id), s.get(Meeting, meeting.id), today)
    finally:
        engine.dispose()
    texts = Counter(m["text"] for r in replies[1:] for m in to_messages(r, "nb"))
    charts = Counter(a.filename for r in replies[1:] for a in r.attachments)
    return texts, charts


def assert_one_complete_digest(slack: Workspace, channel: str, expected) -> str:
    """Exactly one overview, and its thread holds every message and chart exactly once."""
    overviews = slack.overviews(channel)
    assert len(overviews) == 1, f"{len(overviews)} overviews"
    thread = slack.thread(channel, overviews[0]["ts"])
    texts = Counter(m["text"] for m in thread if not m.get("files"))
    charts = Counter(f["name"] for m in thread for f in m.get("files", []))
    assert (texts, charts) == expected
    assert len(charts) == 8 and set(charts.values()) == {1}
    return overviews[0]["ts"]


def assert_posted(session_factory_, meeting_id: int, channel: str, ts: str) -> None:
    with session_factory_() as s:
        row = delivery(s, meeting_id, channel)
        assert (row.status, row.root_ref) == ("posted", ts)
        assert deliveries.missing(s, row) == []


@pytest.mark.parametrize("command", ["digest", "schedule"])
@pytest.mark.parametrize("mode", LOST)
@pytest.mark.slow
def test_lost_answers_leave_exactly_one_digest(cli, db_url, slack_context, nuit, slack_api, mode, command):
    """The overview, the third goal reply and the fifth chart share each lose their answer."""
    council, meeting, slack = nuit
    due = make_scheduler(slack_context).due(council, meeting)
    delay = TIMEOUT + 1.5 if mode == "slow" else 0.0
    slack_api.fault("chat.postMessage", mode, when=overview_call, delay=delay)
    slack_api.fault("chat.postMessage", mode, after=2, when=thread_call, delay=delay)
    slack_api.fault("files.completeUploadExternal", mode, after=4, delay=delay)
    args = ("digest", "--council", "nuit", "--post") if command == "digest" else ("schedule", "--once")
    with time_machine.travel(due.post_at + dt.timedelta(minutes=1), tick=False):
        code, _out, err = cli(*args, SLACK_API_URL=slack_api.url, **SLACK)
    assert code == 0, err
    expected = expected_thread(db_url, council, meeting, due.post_at.date())
    ts = assert_one_complete_digest(slack, slack_channel(council), expected)
    assert_posted(slack_context.sessions, meeting.id, slack_channel(council), ts)


def scheduler_for(slack_context):
    """The CLI's scheduler without waits, composing the real digest with stand-in charts."""
    scheduler = make_scheduler(slack_context)
    scheduler.publishers["slack"].spacing = 0
    scheduler.publishers["slack"].sleep = lambda _s: None
    scheduler.compose = quick_digest
    return scheduler


@pytest.mark.slow
def test_a_lasting_error_on_a_goal_reply_is_finished_by_the_retry(
    cli, db_url, slack_context, nuit, slack_api
):
    """500 ×3 on the second goal reply outlasts the attempt: the ledger keeps the overview and the
    first reply, says `retry` (not `posted`), and the retry posts only the rest."""
    council, meeting, slack = nuit
    scheduler = scheduler_for(slack_context)
    due = scheduler.due(council, meeting)
    slack_api.fault("chat.postMessage", "status", times=3, after=1, when=thread_call)
    assert scheduler.tick(due.post_at)[0].startswith("retry")
    with slack_context.sessions() as s:
        row = delivery(s, meeting.id, slack_channel(council))
        assert row.status == "retry" and row.root_ref
        have = deliveries.parts(s, row.id, "post")
        assert len([k for k in have if k.startswith("goal:") and "/file:" not in k]) == 1  # the first goal
        lacking = deliveries.missing(s, row)
    assert len(lacking) == 7
    code, out, _err = cli("schedule", "--status", SLACK_API_URL=slack_api.url, **SLACK)
    assert code == 0 and "retry, forsøk 1 – SlackApiError" in out and f"tråden mangler {lacking[0]}, " in out
    assert scheduler.tick(due.post_at + dt.timedelta(minutes=1)) == [
        f"posted {meeting.id} {slack_channel(council)}"
    ]
    expected = expected_thread(db_url, council, meeting, due.post_at.date(), quick_digest)
    ts = assert_one_complete_digest(slack, slack_channel(council), expected)
    assert_posted(slack_context.sessions, meeting.id, slack_channel(council), ts)
    assert slack.notices(secretariat(council)) == []


@pytest.mark.slow
def test_three_failed_chart_uploads_are_posted_by_the_retry(db_url, slack_context, nuit, slack_api):
    council, meeting, slack = nuit
    scheduler = scheduler_for(slack_context)
    due = scheduler.due(council, meeting)
    slack_api.fault("files.completeUploadExternal", "status", times=3, after=3)
    assert scheduler.tick(due.post_at)[0].startswith("retry")
    assert scheduler.tick(due.post_at + dt.timedelta(minutes=1))[0].startswith("posted")
    expected = expected_thread(db_url, council, meeting, due.post_at.date(), quick_digest)
    assert_one_complete_digest(slack, slack_channel(council), expected)


@pytest.mark.slow
def test_a_thread_still_incomplete_when_the_meeting_starts_is_reported(slack_context, nuit, slack_api):
    """Slack refuses every goal reply after the second: at the meeting's start the secretariat is
    told, in Norwegian, which goals the thread lacks — without Slack's English error."""
    council, meeting, slack = nuit
    scheduler = scheduler_for(slack_context)
    due = scheduler.due(council, meeting)
    slack_api.fault("chat.postMessage", "status", times=10_000, after=2, when=thread_call)
    now = due.post_at
    while now < due.starts_at + dt.timedelta(hours=1):
        scheduler.tick(now)
        now += dt.timedelta(hours=6)
    with slack_context.sessions() as s:
        row = delivery(s, meeting.id, slack_channel(council))
        missing = deliveries.missing(s, row)
        goals = list(
            dict.fromkeys(r.meta["label"] for r in quick_digest(s, council, meeting, due.post_at.date())[1:])
        )
    assert row.status == "failed" and row.failure_reported and "fatal_error" in row.last_error
    assert missing == goals[2:] and len(missing) == 6
    [notice] = [t for t in slack.notices(secretariat(council)) if "mangler" in t]
    assert all(label in notice for label in missing)
    assert "Rådsbot har gitt opp" in notice and "--post" in notice
    for english in ("fatal_error", "SlackApiError", "The request to the Slack API failed"):
        assert english not in notice
    assert len(slack.overviews(slack_channel(council))) == 1


@pytest.mark.slow
def test_the_preview_is_completed_the_same_way(slack_context, nuit, slack_api):
    """A preview whose goal reply failed for good in one attempt is finished after the lease."""
    council, meeting, slack = nuit
    with slack_context.sessions.begin() as s:
        s.execute(update(Council).where(Council.id == council.id).values(preview_first=True))
    scheduler = scheduler_for(slack_context)
    with slack_context.sessions() as s:
        due = scheduler.due(s.get(Council, council.id), s.get(Meeting, meeting.id))
    slack_api.fault("chat.postMessage", "status", times=3, after=3, when=thread_call)
    assert scheduler.tick(due.preview_at)[0].startswith("preview failed")
    assert scheduler.tick(due.preview_at + scheduler.lease + dt.timedelta(minutes=1))[0].startswith("preview")
    with slack_context.sessions() as s:
        row = delivery(s, meeting.id, slack_channel(council))
    assert row.status == "awaiting"
    assert slack.previews(secretariat(council)) == [row.id]
    [preview] = [
        m
        for m in slack_api.messages[slack_api.channel_id(secretariat(council))]
        if m["ts"] == row.preview_ref
    ]
    thread = slack.thread(secretariat(council), preview["ts"])
    charts = Counter(f["name"] for m in thread for f in m.get("files", []))
    assert len(charts) == 8 and set(charts.values()) == {1}
    first_messages = Counter(m["metadata"]["event_payload"]["key"] for m in thread if m.get("metadata"))
    assert set(first_messages.values()) == {1}


# -- kill -9 ------------------------------------------------------------------------------------


def radsbot(*args: str, env: dict[str, str]) -> subprocess.Popen:
    """`radsbot ARGS` in a process of its own."""
    script = Path(sys.executable).with_name("radsbot")
    return subprocess.Popen(
        [str(script), *args], env={**os.environ, **env}, stderr=subprocess.PIPE, text=True
    )


@pytest.fixture
def due_now(session, slack_api):
    """A NUIT meeting tomorrow whose digest is due now (real time), alone in the calendar."""
    today = dt.date.today()
    council = only(session, "nuit")
    council.digest_lead_days, council.preview_first = 2, False
    session.execute(
        update(Meeting)
        .where(Meeting.council_id == council.id, Meeting.date <= today + dt.timedelta(days=3))
        .values(status="cancelled")
    )
    meeting = Meeting(
        council_id=council.id, number=f"{today:%m%d}/{today:%Y}", date=today + dt.timedelta(days=1)
    )
    session.add(meeting)
    session.commit()
    return council, meeting, Workspace(slack_api, slack_channel(council), secretariat(council))


@pytest.mark.parametrize("command", ["schedule", "digest"])
@pytest.mark.slow
def test_killed_after_two_goal_replies_the_next_worker_finishes_the_thread(
    cli, db_url, slack_context, due_now, slack_api, command
):
    """kill -9 of the posting process while its third goal reply is in flight; after the lease the
    next worker posts what is missing: one overview, one reply and one chart per goal."""
    council, meeting, slack = due_now
    held = slack_api.fault("chat.postMessage", "hold", after=2, when=thread_call)
    env = {"DATABASE_URL": db_url, "SLACK_API_URL": slack_api.url, **{k: str(v) for k, v in SLACK.items()}}
    args = (
        ("schedule", "--once")
        if command == "schedule"
        else ("digest", "--council", "nuit", "--meeting", str(meeting.id), "--post")
    )
    process = radsbot(*args, env={**env, "RADSBOT_SLACK_TIMEOUT": "60"})
    try:
        assert held.hit.wait(120), process.stderr.read() if process.poll() is not None else "no third reply"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(30)
    finally:
        held.release()
        if process.poll() is None:
            process.kill()
    [overview] = slack.overviews(slack_channel(council))
    assert len([m for m in slack.thread(slack_channel(council), overview["ts"]) if not m.get("files")]) == 2
    with slack_context.sessions() as s:
        row = delivery(s, meeting.id, slack_channel(council))
        assert row.status == "posting" and row.root_ref == overview["ts"]

    after_lease = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11)
    with time_machine.travel(after_lease, tick=False):
        code, out, err = cli("schedule", "--once", SLACK_API_URL=slack_api.url, **SLACK)
    assert code == 0 and f"posted {meeting.id}" in out, err
    expected = expected_thread(db_url, council, meeting, dt.date.today())
    ts = assert_one_complete_digest(slack, slack_channel(council), expected)
    assert_posted(slack_context.sessions, meeting.id, slack_channel(council), ts)
    with slack_context.sessions() as s:
        actions = [a.action for a in s.scalars(select(AuditLog).where(AuditLog.action.like("digest_%")))]
    assert actions == ["digest_recover", "digest_post"]
