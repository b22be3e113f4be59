"""SlackPublisher keeps the Publisher contract (bot/publisher.py) against the fake Slack Web API,
and the composition root is the one place a WebClient is made."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from radsbot.bot.bootstrap import Context
from radsbot.bot.publisher import Publisher, Tag, keys_of, post_reply
from radsbot.bot.replies import Attachment, Button, Reply, Section
from radsbot.bot.settings import Settings
from radsbot.bot.slack.app import build_app
from radsbot.bot.slack.publisher import SlackPublisher

from tests.fakes.engine import tiny_png
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_workspace import publisher
from tests.slack.messages import SECRET, TOKEN, blocks_of, buttons_of

ROOT = Path(__file__).resolve().parents[2]


def long_reply() -> Reply:
    """A reply of two Slack messages (over 50 blocks) with a chart."""
    return Reply(
        title="Mål 2",
        summary="mål 2",
        sections=tuple(Section(heading=f"Del {i}", text="…") for i in range(60)),
        attachments=(Attachment("m2.png", "Graf", tiny_png()),),
    )


@pytest.mark.slow
def test_every_operation_of_the_contract(slack_api: FakeSlackAPI):
    slack = publisher(slack_api.url)
    assert isinstance(slack, Publisher) and slack.transport == "slack"
    channel = slack_api.add_channel("#nuit")
    overview_tag = Tag("digest:7", "digest", {"meeting_id": "7"})
    root = slack.post_overview("#nuit", Reply(title="Oversikt", summary="o"), overview_tag)
    part = Tag("goal:M2", "digest_part", {"meeting_id": "7"})
    reply = long_reply()
    assert slack.pages(reply) == 2
    post_reply(slack, "#nuit", reply, part, thread=root)
    [message] = [m for m in slack_api.messages[channel] if m["ts"] == root]
    assert message["metadata"] == {
        "event_type": "radsbot_digest",
        "event_payload": {"meeting_id": "7", "key": "digest:7"},
    }
    assert slack.find_post("#nuit", overview_tag) == root
    assert slack.find_post("#nuit", Tag("digest:8", "digest")) is None
    contents = slack.thread_contents("#nuit", root)
    assert set(contents.messages) == {"digest:7", "goal:M2", "goal:M2/2"}
    assert list(contents.files) == ["m2.png"]
    assert (
        slack.find_post("#nuit", Tag("goal:M2/2", "digest_part"), thread=root)
        == contents.messages["goal:M2/2"]
    )
    assert keys_of(slack, reply, part) == ["goal:M2", "goal:M2/2", "goal:M2/file:m2.png"]

    decided = Reply(title="Oversikt", summary="Godkjent", sections=(Section(text="Godkjent av U0STAFF"),))
    slack.update_message("#nuit", root, decided)
    [update] = slack_api.calls_to("chat.update")
    assert update.params["ts"] == root and update.params["channel"] == channel
    assert message["text"] == "Godkjent" and "Godkjent av U0STAFF" in str(message["blocks"])

    notice = slack.notify("#nuit", "Sammendraget kunne ikke postes.")
    [posted] = [m for m in slack_api.messages[channel] if m["ts"] == notice]
    assert posted["metadata"]["event_type"] == "radsbot_digest_notice"
    slack_api.refuse_channel(channel)
    try:
        slack.post_overview("#nuit", Reply(title="x", summary="x"), Tag("x"))
    except Exception as exc:
        trouble = slack.explain(exc, "#nuit")
    assert trouble.needs_action and "Rådsbot er ikke med i kanalen #nuit" in trouble.text


def test_buttons_travel_as_block_kit_buttons(slack_api: FakeSlackAPI):
    slack = publisher(slack_api.url)
    slack_api.add_channel("#sek")
    reply = Reply(
        title="Forhåndsvisning",
        summary="f",
        sections=(Section(buttons=(Button("Publiser", "publish_digest", "5", "primary"),)),),
    )
    slack.post_overview("#sek", reply, Tag("preview:5", "digest_preview", {"delivery_id": "5"}))
    [call] = slack_api.calls_to("chat.postMessage")
    [button] = buttons_of(blocks_of(call))
    assert (button["action_id"], button["value"], button["style"]) == ("publish_digest", "5", "primary")


@pytest.mark.slow
def test_the_context_builds_one_client_and_the_publishers(db_url, slack_api: FakeSlackAPI):
    """Without SLACK_BOT_TOKEN there is nothing to post to; with it, one WebClient serves the
    app and the scheduler's publisher alike."""
    assert Context(Settings(DATABASE_URL=db_url)).publishers == {}
    context = Context(
        Settings(
            DATABASE_URL=db_url,
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=slack_api.url,
        )
    )
    [(name, slack)] = context.publishers.items()
    assert name == "slack" and isinstance(slack, SlackPublisher) and slack.client is context.slack_client
    assert build_app(context, engine=None).client is context.slack_client
    assert context.slack_client.base_url == slack_api.url and context.slack_client.token == TOKEN


def test_nothing_but_the_slack_client_module_makes_a_web_client():
    """The composition root (bot/bootstrap.py) asks bot/slack/client.py; no other module builds one."""
    makers = [
        str(path.relative_to(ROOT))
        for folder in ("bot", "reports", "data")
        for path in (ROOT / folder).rglob("*.py")
        if re.search(r"\bWebClient\(", path.read_text(encoding="utf-8"))
    ]
    assert makers == ["bot/slack/client.py"]
    callers = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "bot").rglob("*.py")
        if re.search(r"\bmake_client\(", path.read_text(encoding="utf-8"))
    ]
    assert sorted(callers) == ["bot/bootstrap.py", "bot/slack/client.py"]
