"""Posting a Reply through the real WebClient to the fake Slack Web API."""

from __future__ import annotations

import pytest
from radsbot.bot.replies import Attachment, Reply, Section
from radsbot.bot.settings import Settings
from radsbot.bot.slack.client import make_client
from radsbot.bot.slack.poster import ResponseUrlError, post_reply, respond_reply
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.fakes.engine import card, tiny_png
from tests.fakes.slack_api import FakeSlackAPI


@pytest.fixture
def client(slack_api: FakeSlackAPI) -> WebClient:
    """The client Rådsbot builds from settings, pointed at the fake."""
    return make_client(Settings(SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=slack_api.url.rstrip("/")))


def chart_reply(**kw) -> Reply:
    return Reply(
        title="Utvikling for PLL",
        summary="Graf",
        attachments=(
            Attachment("pll.png", "PLL", tiny_png()),
            Attachment("notat.docx", "Notat", b"PK\x03\x04"),
        ),
        **kw,
    )


def test_client_uses_the_configured_api_url_and_token(client, slack_api):
    """SLACK_API_URL without a trailing slash still works; the token is sent as a Bearer."""
    assert client.auth_test()["user_id"] == "U0RADSBOT"
    assert slack_api.calls_to("auth.test")[0].headers["authorization"] == "Bearer xoxb-test"


def test_message_then_each_file_in_the_same_thread(client, slack_api):
    """The message goes first, then every attachment is uploaded to the same channel and thread."""
    ts = post_reply(client, "C0NUIT", chart_reply(), thread_ts="1700000000.000001")
    (message,) = slack_api.calls_to("chat.postMessage")
    assert ts == slack_api.messages["C0NUIT"][0]["ts"]
    assert message.params["thread_ts"] == "1700000000.000001"
    done = slack_api.calls_to("files.completeUploadExternal")
    assert [(c.params["channel_id"], c.params["thread_ts"]) for c in done] == [
        ("C0NUIT", "1700000000.000001")
    ] * 2
    assert [c.json_param("files")[0]["title"] for c in done] == ["PLL", "Notat"]
    assert sorted(slack_api.uploads.values()) == sorted([tiny_png(), b"PK\x03\x04"])
    assert message.at < done[0].at


def test_long_reply_continues_in_the_thread_of_its_first_message(client, slack_api):
    """A reply beyond 50 blocks is posted as a first message and continuations in its thread."""
    big = Reply(
        title="Stor", summary="s", sections=tuple(Section(heading=f"Mål {i}", text="t") for i in range(60))
    )
    ts = post_reply(client, "C0NUIT", big)
    first, *rest = slack_api.calls_to("chat.postMessage")
    assert "thread_ts" not in first.params
    assert rest and all(c.params["thread_ts"] == ts for c in rest)


def test_ephemeral_reply_goes_only_to_the_user_and_posts_no_files(client, slack_api):
    """chat.postEphemeral for the asker; files cannot be ephemeral, so none are uploaded."""
    post_reply(client, "C0NUIT", chart_reply(ephemeral=True), user="U0MEMBER")
    (call,) = slack_api.calls_to("chat.postEphemeral")
    assert call.params["user"] == "U0MEMBER"
    assert slack_api.calls_to("chat.postMessage") == []
    assert slack_api.calls_to("files.getUploadURLExternal") == []


def test_metadata_lets_conversations_history_find_the_message(client, slack_api):
    """reply.meta travels as message metadata, with the message's key, and comes back from
    conversations.history."""
    reply = Reply(
        title="Sammendrag", summary="s", kind="digest", meta={"meeting_id": "7", "channel": "C0NUIT"}
    )
    ts = post_reply(client, "C0NUIT", reply)
    post_reply(client, "C0NUIT", card("PLL"))
    history = client.conversations_history(channel="C0NUIT", include_all_metadata=True)["messages"]
    assert len(history) == 2
    digest = next(m for m in history if m["ts"] == ts)
    assert digest["metadata"]["event_payload"].pop("key")
    assert digest["metadata"] == {
        "event_type": "radsbot_digest",
        "event_payload": {"meeting_id": "7", "channel": "C0NUIT"},
    }
    assert history[0]["ts"] > history[1]["ts"]  # newest first


@pytest.mark.slow
def test_rate_limit_is_waited_out(client, slack_api):
    """429 with Retry-After, then OK: post_reply returns normally."""
    slack_api.fail("chat.postMessage", status=429, retry_after=1, times=1)
    post_reply(client, "C0NUIT", card("PLL"))
    statuses = [c.status for c in slack_api.calls if c.method == "chat.postMessage"]
    assert statuses == [429, 200]


@pytest.mark.slow
def test_persistent_server_errors_surface(client, slack_api):
    """After its retries, a lasting 503 raises instead of being swallowed."""
    slack_api.fail("chat.postMessage", status=503, times=10)
    with pytest.raises(SlackApiError):
        post_reply(client, "C0NUIT", card("PLL"))
    assert len([c for c in slack_api.calls if c.method == "chat.postMessage"]) == 3  # 1 + 2 retries


def test_not_a_member_raises_with_slacks_error(client, slack_api):
    """Posting where the bot is not a member raises SlackApiError("not_in_channel")."""
    slack_api.refuse_channel("C0PRIVAT")
    with pytest.raises(SlackApiError) as raised:
        post_reply(client, "C0PRIVAT", card("PLL"))
    assert raised.value.response["error"] == "not_in_channel"


def test_respond_reply_posts_to_the_response_url(slack_api):
    """respond_reply sends text, blocks and the response type to the response_url."""
    respond_reply(slack_api.response_url("x"), card("PLL"), in_channel=True)
    (call,) = slack_api.calls_to("response")
    assert call.params["response_type"] == "in_channel"
    assert call.params["blocks"][0]["type"] == "header"


# -- a lost answer after Slack took the post: looked for, never posted twice -----------------

# Each way a post can be lost on the way back: Slack never saw it, or Slack stored it and the
# answer was lost (connection dropped, 500 after processing, an answer slower than the client waits).
# "slow" waits out the client's timeout.
LOST = ["drop_before", "drop_after", "error_after", pytest.param("slow", marks=pytest.mark.slow)]
SLOW = 2.5  # seconds: beyond the client's timeout in these tests


@pytest.fixture
def impatient(slack_api: FakeSlackAPI) -> WebClient:
    """The client Rådsbot builds, giving up on an answer after one second."""
    settings = Settings(SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=slack_api.url, RADSBOT_SLACK_TIMEOUT=1)
    return make_client(settings)


def lose(slack_api: FakeSlackAPI, method: str, mode: str, **kw):
    """Lose one call of `method` in `mode`."""
    return slack_api.fault(method, mode, delay=SLOW if mode == "slow" else 0.0, **kw)


def thread_of(slack_api: FakeSlackAPI, channel: str, ts: str) -> list[dict]:
    """The replies in a thread as Slack holds them (not the parent)."""
    return [m for m in slack_api.messages[channel] if m.get("thread_ts") == ts and m["ts"] != ts]


@pytest.mark.slow
@pytest.mark.parametrize("mode", LOST)
def test_a_lost_answer_never_doubles_a_message(impatient, slack_api, mode):
    """Top level and in a thread: whatever was lost, the channel holds the message once, and the
    ts returned is the one Slack has."""
    lose(slack_api, "chat.postMessage", mode)
    ts = post_reply(impatient, "C0NUIT", card("PLL"))
    assert [m["ts"] for m in slack_api.messages["C0NUIT"]] == [ts]

    lose(slack_api, "chat.postMessage", mode)
    reply_ts = post_reply(impatient, "C0NUIT", card("DHO"), thread_ts=ts)
    assert [m["ts"] for m in thread_of(slack_api, "C0NUIT", ts)] == [reply_ts]


@pytest.mark.slow
@pytest.mark.parametrize("mode", LOST)
def test_a_lost_continuation_or_file_share_is_not_repeated(impatient, slack_api, mode):
    """A long reply's continuation (in its thread) and a file's share each reach the channel once."""
    big = Reply(
        title="Stor",
        summary="s",
        sections=tuple(Section(heading=f"Mål {i}", text="t") for i in range(60)),
        attachments=(Attachment("pll.png", "PLL", tiny_png()),),
    )
    lose(slack_api, "chat.postMessage", mode, after=1)  # the continuation
    lose(slack_api, "files.completeUploadExternal", mode)
    ts = post_reply(impatient, "C0NUIT", big)
    replies = thread_of(slack_api, "C0NUIT", ts)
    assert len([m for m in replies if not m.get("files")]) == 1
    everything = slack_api.messages["C0NUIT"]
    assert [f["name"] for m in everything for f in m.get("files", [])] == ["pll.png"]
    assert [m["ts"] for m in everything if not m.get("files") and m.get("thread_ts") in (None, m["ts"])] == [
        ts
    ]


def test_a_lost_ephemeral_answer_is_not_retried_blindly(impatient, slack_api):
    """An ephemeral message cannot be looked for, so a lost one is not sent again: it raises."""
    lose(slack_api, "chat.postEphemeral", "drop_after")
    with pytest.raises(Exception):  # noqa: B017 - the connection error, whatever its class
        post_reply(impatient, "C0NUIT", Reply(title="t", summary="s", ephemeral=True), user="U1")
    assert len([c for c in slack_api.calls if c.method == "chat.postEphemeral"]) == 1


def test_a_lost_response_url_answer_is_not_retried_blindly(slack_api):
    """A response_url cannot be searched either: one request, then the error."""
    slack_api.fault("response", "error_after")
    with pytest.raises(ResponseUrlError):
        respond_reply(slack_api.response_url("x"), card("PLL"))
    assert len([c for c in slack_api.calls if c.method == "response"]) == 1


@pytest.mark.slow
def test_reads_are_still_retried_on_server_errors(impatient, slack_api):
    """Looking is idempotent: a 500 on conversations.history is retried by the client."""
    slack_api.fail("conversations.history", status=500, retry_after=None, times=1)
    assert impatient.conversations_history(channel="C0NUIT")["ok"]
