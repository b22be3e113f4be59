"""The web front under hostile requests: the real waitress server and Bolt app over real sockets.

Every bad request (unsigned, stale, malformed body or header, wrong method or content type, too
large) gets a 4xx and exactly one log line, never a traceback, and reaches no listener. Idle
and half-sent connections are closed after the idle timeout, and at the connection limit the
longest-idle ones make room, so they cannot starve Slack's own requests.
"""

from __future__ import annotations

import logging
import time

import pytest
from radsbot.bot.settings import WebLimits

from tests.fakes.raw_http import (
    chunked,
    closed_by_server,
    idle_connections,
    raw_request,
    request_head,
    throw_body,
)
from tests.fakes.slack_requests import event_body, mention, post, signature
from tests.slack.hostile_requests import BAD_REQUESTS, FORM, JSON, unsigned
from tests.slack.messages import SECRET

pytestmark = pytest.mark.e2e


def lines_logged(caplog, since: float) -> list[logging.LogRecord]:
    """Records at INFO or above since `since` (time.time()), but for waitress's note on its
    queue of requests (a sign of load on the machine, not about any one request)."""
    return [
        r
        for r in caplog.records
        if r.created >= since and r.levelno >= logging.INFO and r.name != "waitress.queue"
    ]


def wait_for_lines(caplog, since: float, text: str, timeout: float = 10) -> list[logging.LogRecord]:
    """The lines logged since `since`, once one of them contains `text` (logged by a thread that
    may run after the response was sent) or `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while not any(text in r.getMessage() for r in lines_logged(caplog, since)):
        if time.monotonic() > deadline:
            break
        time.sleep(0.02)
    return lines_logged(caplog, since)


@pytest.mark.parametrize(("request_for", "status"), BAD_REQUESTS)
def test_bad_request_gets_a_4xx_and_one_log_line(app, slack_api, caplog, request_for, status):
    """The status names what is wrong; one log line says so; no traceback; nothing answered."""
    caplog.set_level(logging.INFO)
    before = time.time()
    assert raw_request(app.server.url, request_for(app.server.url)) == status
    app.settle()
    logged = lines_logged(caplog, before)
    assert len(logged) == 1, [r.getMessage() for r in logged]
    assert str(status) in logged[0].getMessage()
    assert not any(r.exc_info for r in caplog.records)
    assert app.engine.calls == []
    assert slack_api.calls_to("chat.postMessage") == []


@pytest.mark.slow
def test_server_keeps_answering_after_bad_requests(app, slack_api):
    """A volley of bad requests leaves the server answering signed ones as before."""
    for param in BAD_REQUESTS:
        request_for, _ = param.values
        raw_request(app.server.url, request_for(app.server.url))
    assert app.slack.event(mention("status PLL")).status == 200
    assert "PLL" in slack_api.wait_for("chat.postMessage").params["text"]


def test_slack_ssl_check_is_answered_without_a_signature(app, caplog):
    """Slack's certificate check (an unsigned `ssl_check=1` form post) gets 200, nothing else."""
    url = app.server.url
    assert raw_request(url, unsigned(b"ssl_check=1&token=legacy", FORM)(url)) == 200
    assert raw_request(url, unsigned(b"ssl_check=0&token=legacy", FORM)(url)) == 401
    assert raw_request(url, unsigned(b"ssl_check=1&command=%2Fradsbot", JSON)(url)) == 401
    app.settle()
    assert app.engine.calls == []


@pytest.mark.slow
def test_signed_request_sent_in_chunks_is_answered(app, slack_api):
    """A signed body sent with chunked transfer encoding is verified and answered like any other."""
    body = event_body(mention("status DHO"))
    ts = int(time.time())
    head = {
        "Content-Type": JSON,
        "Transfer-Encoding": "chunked",
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": signature(SECRET, ts, body),
    }
    url = app.server.url
    raw = body.encode()
    data = request_head(url, headers=head) + chunked(raw[:100]) + chunked(raw[100:]) + b"0\r\n\r\n"
    assert raw_request(url, data) == 200
    assert "DHO" in slack_api.wait_for("chat.postMessage").params["text"]


@pytest.mark.parametrize("kind", ["reaction_added", "member_joined_channel", "some_future_event"])
def test_unknown_event_types_are_acknowledged_and_ignored(app, slack_api, caplog, kind):
    """An event the app has no listener for gets 200 (so Slack does not retry it) and one line."""
    caplog.set_level(logging.INFO)
    before = time.time()
    event = {"type": kind, "user": "U0MEMBER", "channel": "C0NUIT", "event_ts": "1700000000.000100"}
    response = app.slack.event(event)
    assert response.status == 200
    app.settle()
    assert app.engine.calls == []
    assert slack_api.calls_to("chat.postMessage") == []
    logged = wait_for_lines(caplog, before, kind)  # Bolt acks events before their listener runs
    assert [kind in r.getMessage() for r in logged] == [True], [r.getMessage() for r in logged]


@pytest.mark.slow
def test_idle_and_half_sent_connections_are_closed_after_the_idle_timeout(start_app):
    """A client that connects and sends nothing, or only half a request, is cut off."""
    from tests.fakes.engine import FakeEngine

    running = start_app(FakeEngine(), limits=WebLimits(idle_timeout=1))
    with idle_connections(running.server.url, 2) as (silent, half_sent):
        assert closed_by_server(silent, timeout=15)
        assert closed_by_server(half_sent, timeout=15)


@pytest.mark.slow
def test_connections_over_the_limit_do_not_starve_slack(start_app, slack_api):
    """With three times the connection limit held open by idle and half-sent clients, a signed
    request still gets its ack before a 3 s client timeout and is answered."""
    from tests.fakes.engine import FakeEngine

    running = start_app(FakeEngine(), limits=WebLimits(connections=50))
    with idle_connections(running.server.url, 150):
        assert signed_post(running.server.url, event_body(mention("status PLL")), timeout=3) == 200
        assert "PLL" in slack_api.wait_for("chat.postMessage").params["text"]


def signed_post(url: str, body: str, timeout: float) -> int:
    """POST a signed JSON body with a client timeout of `timeout` seconds; the status."""
    ts = int(time.time())
    headers = {"Content-Type": JSON, "X-Slack-Request-Timestamp": str(ts)}
    headers["X-Slack-Signature"] = signature(SECRET, ts, body)
    return post(url, body.encode(), headers, timeout=timeout).status


@pytest.mark.slow
def test_oversized_bodies_are_refused_before_they_are_read(app):
    """Unsigned bodies far over the cap, declared or streamed, get 413 (or a closed connection
    once the server has stopped reading), and the server keeps answering."""
    for declared in (True, False):
        assert throw_body(app.server.url, 300 * 2**20, declared=declared) in (413, None)
    assert app.slack.event(mention("status PLL")).status == 200


@pytest.mark.slow
def test_mention_in_a_direct_message_is_acknowledged_but_not_answered_twice(app, slack_api, caplog):
    """The app_mention Slack sends besides message.im for a DM that mentions the bot gets 200
    (no retry) and no answer of its own; it is not an unknown event either."""
    caplog.set_level(logging.INFO)
    before = time.time()
    assert app.slack.event(mention("status PLL", channel="D0MEMBER")).status == 200
    assert app.slack.event({"type": "reaction_added", "user": "U0MEMBER"}).status == 200
    logged = wait_for_lines(caplog, before, "reaction_added")  # the mention's listener ran first
    assert not [r for r in logged if "app_mention" in r.getMessage()]
    app.settle()
    assert slack_api.calls_to("chat.postMessage") == []
