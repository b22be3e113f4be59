"""End-to-end with the real chat engine on the seeded database, in worker processes, and as
`radsbot serve` started from a fresh install."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from radsbot.bot.slack.app import build_app
from radsbot.bot.slack.processes import ProcessResponder
from radsbot.bot.slack.server import HttpServer
from radsbot.bot.slack.workers import Workers
from radsbot.data import lookups
from radsbot.reports.chart_text import chart_text
from radsbot.reports.status import indicator_status
from slack_sdk.models.blocks import Block

from tests.fakes.serve import ServeProcess
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import SlackRequests, direct_message, home_opened, mention
from tests.slack.messages import PNG_SIGNATURE, SECRET, TOKEN, all_text, blocks_of, buttons_of

pytestmark = pytest.mark.e2e


# -- the real engine on the seeded database ----------------------------------------------------


@pytest.mark.slow
def test_real_indicator_card_with_chart_button(real_app, slack_api):
    """A mention about PLL gets the real card in its thread: name, example-data notice, "Vis graf"."""
    event = mention("status PLL")
    real_app.slack.event(event)
    call = slack_api.wait_for("chat.postMessage")
    assert call.params["thread_ts"] == event["ts"]
    blocks = blocks_of(call)
    assert "Pasientens legemiddelliste" in blocks[0]["text"]["text"]
    assert "ksempeldata" in all_text(blocks)
    chart = [b for b in buttons_of(blocks) if b["action_id"].startswith("show_chart")]
    assert chart and chart[0]["value"]


@pytest.mark.slow
def test_real_chart_button_uploads_the_chart(real_app, slack_api, slack_context):
    """The real "Vis graf" uploads a real matplotlib PNG to the card's channel and thread."""
    real_app.slack.action("show_chart", "PLL", channel="C0NUIT", message_ts="1700000000.000500")
    done = slack_api.wait_for("files.completeUploadExternal", timeout=30)
    assert (done.params["channel_id"], done.params["thread_ts"]) == ("C0NUIT", "1700000000.000500")
    (upload,) = slack_api.calls_to("upload")
    assert upload.body.startswith(PNG_SIGNATURE)
    assert len(upload.body) > 5_000
    # The picture carries the same text alternative as the dashboard and the documents.
    with slack_context.sessions() as session:
        status = indicator_status(session, lookups.indicator_by_code(session, "PLL"), slack_context.today())
        expected = chart_text(status, "nb").full
    (slot,) = slack_api.calls_to("files.getUploadURLExternal")
    assert slot.params["alt_txt"] == expected
    assert expected.startswith("Pasientens legemiddelliste (PLL) har ") and "Vurdering:" in expected


@pytest.mark.slow
def test_real_slash_command_and_app_home(real_app, slack_api):
    """`/radsbot mål 3` is answered in the channel, and App Home shows the real overview."""
    real_app.slack.command("mål 3", channel="C0NUIT", response_url=slack_api.response_url())
    call = slack_api.wait_for("chat.postMessage")
    assert call.params["channel"] == "C0NUIT"
    assert "Mål 3" in all_text(blocks_of(call))
    real_app.slack.event(home_opened("U0HOME"))
    view = slack_api.wait_for("views.publish").json_param("view")
    assert 0 < len(view["blocks"]) <= 100
    Block.parse_all(view["blocks"])


@pytest.mark.slow
def test_real_unknown_indicator_gets_a_polite_answer(real_app, slack_api):
    """An unknown name is answered ("fant ikke" with suggestions), not an error."""
    real_app.slack.event(direct_message("status xyzzy-indikator", channel="D0ABC"))
    call = slack_api.wait_for("chat.postMessage")
    assert "Beklager, noe gikk galt" not in all_text(blocks_of(call))


# -- answering in worker processes -----------------------------------------------------------


@pytest.mark.slow
def test_worker_processes_answer_and_survive_a_crash(slack_context, slack_api):
    """With a ProcessResponder, answers come from worker processes; a dead worker costs one
    answer (the asker gets an apology) and the next question is answered by a new worker."""
    responder = ProcessResponder(slack_context, processes=1, engine="tests.fakes.engine:FakeEngine")
    workers = Workers(2)
    app = build_app(slack_context, workers=workers, responder=responder)
    server = HttpServer(app, signing_secret=SECRET).start()
    slack = SlackRequests(server.url, SECRET)
    try:
        slack.event(mention("status PLL"), event_id="Ev0PROC1")
        first = slack_api.wait_for("chat.postMessage", timeout=60)
        assert "PLL" in all_text(blocks_of(first))
        slack.event(mention("status PLL"), event_id="Ev0PROC1", retry_num=1)  # deduped in the worker

        slack.event(mention("krasj nå"))
        apology = slack_api.wait_for(
            "chat.postMessage", lambda c: "Beklager" in all_text(c.params["blocks"]), timeout=60
        )
        assert apology.params["thread_ts"]

        slack.event(mention("status DHO"))
        slack_api.wait_for("chat.postMessage", lambda c: "DHO" in c.params["text"], timeout=60)
        assert workers.wait_idle(60)
        assert len(slack_api.calls_to("chat.postMessage")) == 3
    finally:
        server.stop()
        workers.shutdown()
        responder.close()


# -- a real process -----------------------------------------------------------------------------


@pytest.mark.slow
def test_radsbot_serve_answers_from_a_fresh_install(tmp_path: Path, slack_api: FakeSlackAPI):
    """`radsbot serve` with only the Slack variables and a new database answers a signed request."""
    database = tmp_path / "fresh" / "radsbot.sqlite3"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack_api.url,
        "DATABASE_URL": f"sqlite:///{database}",
    }
    server = ServeProcess(env).start()
    try:
        slack = SlackRequests(server.url, SECRET)
        assert (
            slack.command("status PLL", channel="C0NUIT", response_url=slack_api.response_url()).status == 200
        )
        call = slack_api.wait_for("chat.postMessage", timeout=30)
        assert call.params["channel"] == "C0NUIT"
        assert "PLL" in all_text(blocks_of(call))
        assert slack.command("status PLL", secret="forged").status == 401
    finally:
        code = server.stop()
    assert code == 0, server.output
    assert database.exists()
    assert "Traceback" not in server.output


@pytest.mark.slow
def test_radsbot_serve_uses_socket_mode_with_an_app_token(tmp_path: Path, slack_api: FakeSlackAPI):
    """With SLACK_APP_TOKEN, `radsbot serve` opens a Socket Mode connection (apps.connections.open
    with the app token, at SLACK_API_URL) instead of listening, and stops cleanly on SIGTERM.

    The fake speaks no WebSocket, so this shows the choice and the wiring, not events over it.
    """
    env = {
        "PATH": os.environ.get("PATH", ""),
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_APP_TOKEN": "xapp-1-A0RADSBOT-1-socket",
        "SLACK_API_URL": slack_api.url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'socket.sqlite3'}",
    }
    server = ServeProcess(env, "--engine-processes", "0", ready="Socket Mode").start()
    try:
        call = slack_api.wait_for("apps.connections.open", timeout=60)
        assert call.headers["authorization"] == "Bearer xapp-1-A0RADSBOT-1-socket"
    finally:
        code = server.stop()
    assert code == 0
