"""End-to-end: the real Bolt app over HTTP (waitress), signed requests, a fake Slack Web API.

Each test starts the app on a free loopback port and the fake Web API on another, sends
requests exactly as Slack signs them, and asserts what the fake received. Here the engine is
the fake one (tests/fakes/engine.py), so that replies, failures and slowness are under the
test's control; test_slack_engine_e2e.py drives the real engine.
"""

from __future__ import annotations

import threading
import time
import urllib.request

import pytest
from radsbot.data.models import SlackEvent
from slack_sdk.models.blocks import Block
from sqlalchemy import func, select

from tests.fakes.engine import BlockingEngine
from tests.fakes.slack_requests import direct_message, home_opened, mention, post
from tests.slack.conftest import SLACK_TIMEOUT
from tests.slack.messages import PNG_SIGNATURE, TOKEN, all_text, blocks_of

pytestmark = pytest.mark.e2e


# -- answering --------------------------------------------------------------------------------


@pytest.mark.slow
def test_mention_is_answered_in_its_thread(app, slack_api):
    """A mention in a channel is answered in the thread of that message, without the mention."""
    event = mention("status PLL", channel="C0NUIT")
    assert app.slack.event(event).status == 200

    call = slack_api.wait_for("chat.postMessage")
    assert call.params["channel"] == "C0NUIT"
    assert call.params["thread_ts"] == event["ts"]
    assert call.params["text"]
    assert "PLL" in all_text(blocks_of(call))
    assert ("answer", "status PLL", "", "U0MEMBER") in app.engine.calls
    assert call.headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.slow
def test_mention_inside_a_thread_stays_in_that_thread(app, slack_api):
    """A mention in a reply goes to the thread's parent, not a new thread."""
    app.slack.event(mention("status DHO", thread_ts="1700000000.000001"))
    call = slack_api.wait_for("chat.postMessage")
    assert call.params["thread_ts"] == "1700000000.000001"


def test_direct_message_is_answered(app, slack_api):
    """A DM gets an answer in the DM, not threaded; edits and bot messages get none."""
    assert app.slack.event(direct_message("status EPJ", channel="D0ABC")).status == 200
    call = slack_api.wait_for("chat.postMessage", lambda c: c.params["channel"] == "D0ABC")
    assert "thread_ts" not in call.params
    assert "EPJ" in all_text(blocks_of(call))

    assert app.slack.event(direct_message("endret", channel="D0ABC", subtype="message_changed")).status == 200
    assert app.slack.event(direct_message("fra bot", channel="D0ABC", bot_id="B0OTHER")).status == 200
    app.settle()
    assert len(slack_api.calls_to("chat.postMessage")) == 1
    assert [c[1] for c in app.engine.calls] == ["status EPJ"]


def test_slash_command_is_answered_in_its_channel(app, slack_api):
    """`/radsbot status PLL` is answered in the channel, naming who asked."""
    response = app.slack.command("status PLL", channel="C0NUIT", response_url=slack_api.response_url())
    assert response.status == 200

    call = slack_api.wait_for("chat.postMessage")
    assert call.params["channel"] == "C0NUIT"
    text = all_text(blocks_of(call))
    assert "PLL" in text
    assert "<@U0MEMBER> spurte" in text


def test_ephemeral_answer_to_a_slash_command_goes_by_response_url(app, slack_api):
    """A refusal is shown only to the asker, through the command's response_url."""
    app.slack.command("privat sak", response_url=slack_api.response_url("privat"))
    call = slack_api.wait_for("response")
    assert call.params["response_type"] == "ephemeral"
    assert "tilgang" in call.params["text"]
    app.settle()
    assert slack_api.calls_to("chat.postMessage") == []


@pytest.mark.slow
def test_slash_command_in_a_channel_without_the_bot_answers_by_response_url(app, slack_api):
    """Where the bot is not a member, the answer still arrives, in the channel, via response_url."""
    slack_api.refuse_channel("C0PRIVAT")
    app.slack.command("status PLL", channel="C0PRIVAT", response_url=slack_api.response_url())
    call = slack_api.wait_for("response")
    assert call.params["response_type"] == "in_channel"
    assert "PLL" in all_text(call.params["blocks"])


def test_chart_button_uploads_a_png_to_the_cards_thread(app, slack_api):
    """ "Vis graf" on a card in a thread uploads the chart PNG to that channel and thread."""
    app.slack.action(
        "show_chart", "PLL", channel="C0NUIT", message_ts="1700000000.000200", thread_ts="1700000000.000100"
    )
    done = slack_api.wait_for("files.completeUploadExternal")
    assert done.params["channel_id"] == "C0NUIT"
    assert done.params["thread_ts"] == "1700000000.000100"
    (upload,) = slack_api.calls_to("upload")
    assert upload.body.startswith(PNG_SIGNATURE)
    assert upload.path == "/upload/" + done.json_param("files")[0]["id"]
    assert ("action", "show_chart", "PLL", "U0MEMBER") in app.engine.calls


def test_chart_button_on_a_top_level_card_uploads_into_its_thread(app, slack_api):
    """A card posted at the top of a channel gets its chart in the card's own thread."""
    app.slack.action("show_chart#2", "DHO", channel="C0NUIT", message_ts="1700000000.000300")
    done = slack_api.wait_for("files.completeUploadExternal")
    assert (done.params["channel_id"], done.params["thread_ts"]) == ("C0NUIT", "1700000000.000300")
    assert ("action", "show_chart", "DHO", "U0MEMBER") in app.engine.calls


@pytest.mark.slow
def test_button_on_app_home_answers_in_a_direct_message(app, slack_api):
    """A button on the Home tab has no channel: the answer goes to the user's DM."""
    app.slack.action("show_chart", "M1", user="U0HOME", channel=None, message_ts=None)
    done = slack_api.wait_for("files.completeUploadExternal")
    opened = slack_api.wait_for("conversations.open")
    assert opened.params["users"] == "U0HOME"
    assert done.params["channel_id"] == "D0HOME"


@pytest.mark.slow
def test_chart_button_where_the_bot_is_not_a_member_explains_why(app, slack_api):
    """On an ephemeral card in a channel without the bot, the asker is told how to get the chart."""
    slack_api.refuse_channel("C0PRIVAT")
    app.slack.action(
        "show_chart",
        "PLL",
        channel="C0PRIVAT",
        message_ts="1700000000.000600",
        ephemeral=True,
        response_url=slack_api.response_url("graf"),
    )
    call = slack_api.wait_for("response")
    assert call.params["response_type"] == "ephemeral"
    assert "/invite @Rådsbot" in all_text(call.params["blocks"])
    assert slack_api.calls_to("files.completeUploadExternal") == []


@pytest.mark.slow
def test_app_home_is_published(app, slack_api):
    """Opening the Home tab publishes the overview view for that user."""
    assert app.slack.event(home_opened("U0HOME")).status == 200
    call = slack_api.wait_for("views.publish")
    assert call.params["user_id"] == "U0HOME"
    view = call.json_param("view")
    assert view["type"] == "home"
    assert 0 < len(view["blocks"]) <= 100
    Block.parse_all(view["blocks"])
    app.slack.event(home_opened("U0HOME", tab="messages"))
    app.settle()
    assert len(slack_api.calls_to("views.publish")) == 1


@pytest.mark.slow
def test_engine_failure_ends_in_a_polite_norwegian_message(app, slack_api):
    """When the answer fails, the thread gets an apology instead of silence."""
    event = mention("feil her")
    app.slack.event(event)
    call = slack_api.wait_for("chat.postMessage")
    assert call.params["thread_ts"] == event["ts"]
    assert "Beklager" in all_text(blocks_of(call))
    assert "Prøv igjen" in all_text(blocks_of(call))


def test_slash_command_failure_is_told_to_the_asker(app, slack_api):
    """A failing slash command tells the asker, ephemerally, via the response_url."""
    app.slack.command("feil igjen", response_url=slack_api.response_url("feil"))
    call = slack_api.wait_for("response")
    assert call.params["response_type"] == "ephemeral"
    assert "Beklager" in call.params["text"] or "Beklager" in all_text(call.params["blocks"])


# -- signatures -------------------------------------------------------------------------------


def test_forged_signature_is_refused(app, slack_api):
    """A request signed with another secret gets 401 and no answer."""
    response = app.slack.event(mention("status PLL"), secret="not-the-signing-secret")
    assert response.status == 401
    assert app.slack.command("status PLL", signed=False).status == 401
    app.settle()
    assert app.engine.calls == []
    assert slack_api.calls_to("chat.postMessage") == []


def test_stale_timestamp_is_refused(app, slack_api):
    """A correctly signed request older than five minutes is a replay: 401."""
    stale = int(time.time()) - 5 * 60 - 30
    assert app.slack.command("status PLL", timestamp=stale).status == 401
    assert app.slack.event(mention("status PLL"), timestamp=stale).status == 401
    app.settle()
    assert app.engine.calls == []


def test_other_paths_are_not_found_and_health_is_ok(app):
    """Only /slack/events serves Slack; /healthz answers 200 for load balancers."""
    base = app.server.url.rsplit("/slack/events", 1)[0]
    assert post(base + "/other", b"{}", {"Content-Type": "application/json"}).status == 404
    with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
        assert response.status == 200


# -- retries, rate limits and acknowledgements ------------------------------------------------


@pytest.mark.slow
def test_retried_event_is_answered_once(app, slack_api, slack_context):
    """Slack's retry of an event (same event_id, X-Slack-Retry-Num: 1) gets no second answer."""
    event = mention("status PLL")
    assert app.slack.event(event, event_id="Ev0RETRY01").status == 200
    slack_api.wait_for("chat.postMessage")
    assert app.slack.event(event, event_id="Ev0RETRY01", retry_num=1).status == 200
    assert app.slack.event(event, event_id="Ev0RETRY01", retry_num=2, retry_reason="http_error").status == 200
    app.settle()
    assert len(slack_api.calls_to("chat.postMessage")) == 1
    with slack_context.sessions() as session:
        assert session.scalar(select(func.count()).select_from(SlackEvent)) == 1


@pytest.mark.slow
def test_simultaneous_retries_are_answered_once(app, slack_api):
    """An event and its retries arriving together race on the database; one of them answers."""
    event = mention("status KJ")
    threads = [
        threading.Thread(
            target=app.slack.event, args=(event,), kwargs={"event_id": "Ev0RACE", "retry_num": n}
        )
        for n in (None, 1, 2, 3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    app.settle()
    assert len(slack_api.calls_to("chat.postMessage")) == 1


@pytest.mark.slow
def test_rate_limited_post_is_retried_after_retry_after(app, slack_api):
    """Slack answering 429 (Retry-After: 1) and then OK: the answer still arrives."""
    slack_api.fail("chat.postMessage", status=429, retry_after=1, times=1)
    app.slack.event(mention("status PLL"))
    call = slack_api.wait_for("chat.postMessage", timeout=15)
    limited = [c for c in slack_api.calls if c.method == "chat.postMessage" and c.status == 429]
    assert len(limited) == 1
    assert limited[0].at < call.at


@pytest.mark.slow
def test_server_error_on_upload_is_retried(app, slack_api):
    """A 503 from files.completeUploadExternal is retried; the chart still arrives."""
    slack_api.fail("files.completeUploadExternal", status=503, times=1)
    app.slack.action("show_chart", "PLL", channel="C0NUIT", message_ts="1700000000.000400")
    slack_api.wait_for("files.completeUploadExternal", timeout=15)


# The answer lost on its way back in every way a proxy or Slack can lose it.
# "slow" waits out the client's timeout.
LOST = ["drop_before", "drop_after", "error_after", pytest.param("slow", marks=pytest.mark.slow)]


def lose_next_answer(slack_api, method: str, mode: str, **kw) -> None:
    """Lose one call of `method`; "slow" answers only after the app's client stopped waiting."""
    slack_api.fault(method, mode, delay=SLACK_TIMEOUT + 1.5 if mode == "slow" else 0.0, **kw)


@pytest.mark.slow
@pytest.mark.parametrize("mode", LOST)
def test_a_lost_answer_is_posted_exactly_once(app, slack_api, mode):
    """Slack took the answer (or not) and the response was lost: the thread holds the answer
    once, the chart once, and the asker gets no apology."""
    lose_next_answer(slack_api, "chat.postMessage", mode)
    event = mention("status PLL")
    app.slack.event(event)
    app.settle()
    answers = [m for m in slack_api.messages["C0NUIT"] if m.get("thread_ts") == event["ts"]]
    assert len(answers) == 1 and "PLL" in answers[0]["text"]
    assert "Beklager" not in answers[0]["text"]

    lose_next_answer(slack_api, "files.completeUploadExternal", mode)
    app.slack.action("show_chart", "PLL", channel="C0NUIT", message_ts=answers[0]["ts"])
    app.settle()
    shares = [m for m in slack_api.messages["C0NUIT"] if m.get("files")]
    assert [f["name"] for m in shares for f in m["files"]] == ["pll.png"]
    texts = [m["text"] for m in slack_api.messages["C0NUIT"] if not m.get("files")]
    assert len(texts) == 2 and len(set(texts)) == 2  # the answer and the chart's message, once each


@pytest.mark.slow
def test_ack_comes_back_before_the_slow_work(start_app, slack_api):
    """The HTTP response returns while the engine is still blocked; the answer follows."""
    running = start_app(BlockingEngine())
    response = running.slack.command("status PLL", response_url=slack_api.response_url())
    assert response.status == 200
    assert running.engine.entered.wait(10), "the slow work never started"
    assert not running.engine.release.is_set()
    assert slack_api.calls_to("chat.postMessage") == []

    event_response = running.slack.event(mention("status DHO"))
    assert event_response.status == 200  # acked although the pool is busy with the command

    running.engine.release.set()
    slack_api.wait_for("chat.postMessage")
