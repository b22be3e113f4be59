"""The digest preview in Slack: posted to the secretariat with buttons, approved by staff, posted once."""

from __future__ import annotations

import datetime as dt

import pytest
from radsbot.bot.cli.schedule import make_scheduler
from radsbot.data import queries
from radsbot.data.access import grant
from radsbot.data.models import AuditLog, Council
from sqlalchemy import select, update

from tests.channels import delivery, slack_channel
from tests.channels import secretariat as secretariat_channel
from tests.slack.messages import blocks_of, buttons_of

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def preview_council(slack_context, slack_api):
    """NUIT with "preview first"; its channels exist; returns (council, next meeting, scheduler)."""
    with slack_context.sessions.begin() as s:
        s.execute(update(Council).where(Council.code == "nuit").values(preview_first=True))
        council = s.scalar(select(Council).where(Council.code == "nuit"))
        meeting = queries.next_meeting(s, council.id, dt.date(2026, 11, 23))
        grant(s, "U0STAFF", "staff")
    slack_api.add_channel(slack_channel(council))
    slack_api.add_channel(secretariat_channel(council))
    scheduler = make_scheduler(slack_context)
    scheduler.publishers["slack"].spacing = 0
    return council, meeting, scheduler


def overview_posts(slack_api, channel: str):
    """Top-level messages posted to a channel."""
    cid = slack_api.channel_id(channel)
    return slack_api.calls_to(
        "chat.postMessage",
        lambda c: slack_api.channel_id(c.params["channel"]) == cid and not c.params.get("thread_ts"),
    )


def test_preview_is_approved_by_staff_with_the_button(real_app, slack_api, preview_council, slack_context):
    council, meeting, scheduler = preview_council
    due = scheduler.due(council, meeting)
    assert scheduler.tick(due.preview_at)[0].startswith("preview")
    preview = overview_posts(slack_api, secretariat_channel(council))
    assert len(preview) == 1
    buttons = {b["action_id"].split("#")[0]: b["value"] for b in buttons_of(blocks_of(preview[0]))}
    assert set(buttons) >= {"publish_digest", "cancel_digest"}
    secretariat = slack_api.channel_id(secretariat_channel(council))
    ts = slack_api.messages[secretariat][0]["ts"]

    # A member may not approve: refused, audited, nothing changes.
    real_app.slack.action(
        "publish_digest", buttons["publish_digest"], user="U0MEMBER", channel=secretariat, message_ts=ts
    )
    real_app.settle()
    with slack_context.sessions() as s:
        assert delivery(s, meeting.id, slack_channel(council)).status == "awaiting"
        refused = s.scalar(select(AuditLog).where(AuditLog.action == "digest_approve"))
        assert (refused.actor, refused.outcome) == ("U0MEMBER", "denied")

    real_app.slack.action(
        "publish_digest", buttons["publish_digest"], user="U0STAFF", channel=secretariat, message_ts=ts
    )
    real_app.settle()
    with slack_context.sessions() as s:
        row = delivery(s, meeting.id, slack_channel(council))
        assert (row.status, row.approved_by) == ("approved", "U0STAFF")
    said = slack_api.calls_to(
        "chat.postMessage", lambda c: "Godkjent av U0STAFF" in str(c.params.get("text"))
    )
    assert said, "the approval is confirmed where the button was"

    assert overview_posts(slack_api, slack_channel(council)) == []  # approved, but not yet due
    assert scheduler.tick(due.post_at)[0].startswith("posted")
    assert scheduler.tick(due.post_at + dt.timedelta(minutes=5)) == []
    assert len(overview_posts(slack_api, slack_channel(council))) == 1


def test_preview_cancelled_with_the_button_is_never_posted(
    real_app, slack_api, preview_council, slack_context
):
    council, meeting, scheduler = preview_council
    due = scheduler.due(council, meeting)
    scheduler.tick(due.preview_at)
    preview = overview_posts(slack_api, secretariat_channel(council))[0]
    value = {b["action_id"].split("#")[0]: b["value"] for b in buttons_of(blocks_of(preview))}[
        "cancel_digest"
    ]
    secretariat = slack_api.channel_id(secretariat_channel(council))
    real_app.slack.action(
        "cancel_digest",
        value,
        user="U0STAFF",
        channel=secretariat,
        message_ts=slack_api.messages[secretariat][0]["ts"],
    )
    real_app.settle()
    for hours in (0, 24, 48):
        scheduler.tick(due.post_at + dt.timedelta(hours=hours))
    assert overview_posts(slack_api, slack_channel(council)) == []
    with slack_context.sessions() as s:
        assert delivery(s, meeting.id, slack_channel(council)).status == "cancelled"


def test_sammendrag_in_a_channel_goes_to_the_askers_dm(real_app, slack_api, slack_context):
    from tests.fakes.slack_requests import mention

    with slack_context.sessions.begin() as s:
        grant(s, "U0STAFF", "staff")
    event = mention("sammendrag nuit", channel="C0NUIT", user="U0STAFF")
    real_app.slack.event(event)
    real_app.settle()
    dm = slack_api.calls_to("chat.postMessage", lambda c: c.params["channel"].startswith("D"))
    assert dm and "Status nasjonal e-helsestrategi" in str(dm[0].params.get("text"))
    docx = slack_api.calls_to(
        "files.completeUploadExternal", lambda c: c.params.get("channel_id", "").startswith("D")
    )
    assert docx, "the Word document goes with it"
    note = slack_api.calls_to("chat.postEphemeral", lambda c: c.params["channel"] == "C0NUIT")
    assert note and "direktemelding" in note[0].params["text"]
    in_channel = slack_api.calls_to("chat.postMessage", lambda c: c.params["channel"] == "C0NUIT")
    assert in_channel == []


def test_sammendrag_from_a_member_is_refused_where_asked(real_app, slack_api, slack_context):
    """No document and no DM for a member: an ephemeral refusal in the channel, audited."""
    from tests.fakes.slack_requests import mention

    real_app.slack.event(mention("sammendrag nuit", channel="C0NUIT", user="U0MEMBER"))
    real_app.settle()
    refusal = slack_api.wait_for("chat.postEphemeral", lambda c: c.params["channel"] == "C0NUIT")
    assert "staff" in str(refusal.params.get("text")) and refusal.params["user"] == "U0MEMBER"
    assert slack_api.calls_to("files.completeUploadExternal") == []
    assert slack_api.calls_to("chat.postMessage", lambda c: c.params["channel"].startswith("D")) == []
    with slack_context.sessions() as s:
        entry = s.scalar(select(AuditLog).where(AuditLog.action == "digest_preview"))
        assert (entry.actor, entry.outcome) == ("U0MEMBER", "denied")
