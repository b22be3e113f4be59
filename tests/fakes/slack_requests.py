"""Requests exactly as Slack sends them: signed event callbacks, slash commands and button clicks.

Signature: `v0=` + HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret, in
X-Slack-Signature, with the timestamp in X-Slack-Request-Timestamp. Retries carry
X-Slack-Retry-Num and X-Slack-Retry-Reason. Events are JSON; slash commands are form-encoded;
interactivity is form-encoded with the JSON in a `payload` field.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from tests.fakes.slack_api import BOT_USER_ID, TEAM_ID

APP_ID = "A0RADSBOT"
_ids = itertools.count(1)


@dataclass(frozen=True)
class Response:
    """What the app answered."""

    status: int
    body: str
    headers: dict[str, str]


def signature(secret: str, timestamp: int, body: str) -> str:
    """Slack's request signature of `body` sent at `timestamp`."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def event_body(event: dict[str, Any], event_id: str | None = None) -> str:
    """An Events API `event_callback` envelope around `event`, as JSON."""
    envelope = {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ids):010d}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
    }
    return json.dumps(envelope)


def command_body(text: str, user: str, channel: str, response_url: str, command: str = "/radsbot") -> str:
    """A slash command as Slack posts it (form-encoded)."""
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "team_domain": "ehelse",
            "channel_id": channel,
            "channel_name": "nuit",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "response_url": response_url,
            "trigger_id": f"{next(_ids)}.trigger",
        }
    )


def action_body(
    action_id: str,
    value: str,
    user: str,
    channel: str | None,
    message_ts: str | None,
    thread_ts: str | None = None,
    response_url: str = "",
    ephemeral: bool = False,
) -> str:
    """A block_actions payload for a button click (form field `payload`, JSON inside).

    `channel=None` is a click on the App Home tab (a view, not a message).
    """
    action = {
        "type": "button",
        "action_id": action_id,
        "block_id": "b1",
        "value": value,
        "text": {"type": "plain_text", "text": "Vis graf"},
        "action_ts": f"{time.time():.6f}",
    }
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "team": {"id": TEAM_ID, "domain": "ehelse"},
        "trigger_id": f"{next(_ids)}.trigger",
        "actions": [action],
    }
    if channel is None:
        payload["container"] = {"type": "view", "view_id": "V0HOME"}
        payload["view"] = {"id": "V0HOME", "type": "home"}
    else:
        container = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        }
        if thread_ts:
            container["thread_ts"] = thread_ts
        payload["container"] = container
        payload["channel"] = {"id": channel, "name": "nuit"}
        payload["response_url"] = response_url
        if not ephemeral:
            message = {"type": "message", "ts": message_ts, "text": "kort", "user": BOT_USER_ID}
            if thread_ts:
                message["thread_ts"] = thread_ts
            payload["message"] = message
    return urlencode({"payload": json.dumps(payload)})


def view_submission_body(view: dict[str, Any], values: dict[str, dict[str, str]], user: str) -> str:
    """A view_submission payload: the modal as opened, with what the user typed in its inputs.

    `values` is {block_id: {action_id: text}}, as Slack puts plain_text_input values in view.state.
    """
    state = {
        block: {action: {"type": "plain_text_input", "value": text} for action, text in fields.items()}
        for block, fields in values.items()
    }
    payload = {
        "type": "view_submission",
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "team": {"id": TEAM_ID, "domain": "ehelse"},
        "trigger_id": f"{next(_ids)}.trigger",
        "view": {**view, "id": "V0MODAL", "state": {"values": state}},
    }
    return urlencode({"payload": json.dumps(payload)})


class SlackRequests:
    """Sends signed requests to the app's /slack/events URL."""

    def __init__(self, url: str, signing_secret: str):
        self.url = url
        self.secret = signing_secret

    def send(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str | None = None,
        signed: bool = True,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> Response:
        """POST `body`, signed with the secret (or another one, to forge) at `timestamp`."""
        ts = int(time.time()) if timestamp is None else timestamp
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(ts)}
        if signed:
            headers["X-Slack-Signature"] = signature(secret or self.secret, ts, body)
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = retry_reason
        return post(self.url, body.encode("utf-8"), headers)

    def event(self, event: dict[str, Any], event_id: str | None = None, **kw) -> Response:
        """Deliver an Events API event."""
        return self.send(event_body(event, event_id), "application/json", **kw)

    def command(
        self, text: str, user: str = "U0MEMBER", channel: str = "C0NUIT", response_url: str = "", **kw
    ):
        """Invoke the slash command."""
        return self.send(
            command_body(text, user, channel, response_url), "application/x-www-form-urlencoded", **kw
        )

    def action(self, action_id: str, value: str, user: str = "U0MEMBER", **kw) -> Response:
        """Click a button (see `action_body` for the keyword arguments)."""
        signing = {k: kw.pop(k) for k in ("timestamp", "secret", "signed") if k in kw}
        return self.send(
            action_body(action_id, value, user, **kw), "application/x-www-form-urlencoded", **signing
        )

    def submit(
        self, view: dict[str, Any], values: dict[str, dict[str, str]], user: str = "U0STAFF"
    ) -> Response:
        """Submit a modal with these input values."""
        return self.send(view_submission_body(view, values, user), "application/x-www-form-urlencoded")


def post(url: str, data: bytes, headers: dict[str, str], timeout: float = 30) -> Response:
    """POST on a new connection and return status, body and headers (4xx/5xx included)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("POST", parts.path or "/", body=data, headers=headers)
        response = connection.getresponse()
        return Response(
            response.status, response.read().decode("utf-8", "replace"), dict(response.getheaders())
        )
    finally:
        connection.close()


def mention(text: str, channel: str = "C0NUIT", user: str = "U0MEMBER", thread_ts: str | None = None) -> dict:
    """An app_mention event: `<@BOT> text` in a channel (in a thread when thread_ts is given)."""
    event = {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": f"{time.time():.6f}",
        "channel": channel,
        "event_ts": f"{time.time():.6f}",
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def direct_message(text: str, user: str = "U0MEMBER", channel: str = "D0MEMBER", **extra) -> dict:
    """A message.im event from a person (pass subtype/bot_id to make it something else)."""
    ts = f"{time.time():.6f}"
    return {
        "type": "message",
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel": channel,
        **extra,
    }


def home_opened(user: str = "U0MEMBER", tab: str = "home") -> dict:
    """An app_home_opened event."""
    return {"type": "app_home_opened", "user": user, "channel": "D0MEMBER", "tab": tab, "event_ts": "1.2"}
