"""Slack errors said for the secretariat: what failed and what to do, as catalogue messages.

The technical error (SlackApiError's English text) stays in the log and the ledger's
last_error; the secretariat reads only these sentences.
"""

from __future__ import annotations

from radsbot.bot.publisher import Trouble
from radsbot.bot.slack.keyed import lost
from radsbot.data.words import msg
from slack_sdk.errors import SlackApiError

TOKEN_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "not_allowed_token_type",
    }
)


def slack_error(exc: BaseException) -> str:
    """Slack's error code ("not_in_channel" …), or "" for errors that are not Slack's answer."""
    if isinstance(exc, SlackApiError):
        response = exc.response
        return str(response.get("error") or "") if hasattr(response, "get") else ""
    return ""


def explain(exc: BaseException, channel: str) -> Trouble:
    """What went wrong posting to `channel`, and what to do, for the secretariat."""
    code = slack_error(exc)
    if code == "not_in_channel":
        return Trouble(
            msg(
                "Rådsbot is not a member of the channel {channel}. Invite the bot with «/invite @Rådsbot» "
                "in the channel.",
                channel=channel,
            ),
            needs_action=True,
        )
    if code == "channel_not_found":
        return Trouble(
            msg(
                "Found no channel {channel}, or Rådsbot is not invited there. Check the channel with "
                "«radsbot council list», and invite the bot with «/invite @Rådsbot» in the channel.",
                channel=channel,
            ),
            needs_action=True,
        )
    if code == "is_archived":
        return Trouble(
            msg(
                "The channel {channel} is archived. Choose another with "
                "«radsbot council set CODE --channel #channel».",
                channel=channel,
            ),
            needs_action=True,
        )
    if code in TOKEN_ERRORS:
        return Trouble(
            msg(
                "Slack did not accept Rådsbot's token (SLACK_BOT_TOKEN). Check the token under OAuth & "
                "Permissions in the Slack app, and start Rådsbot again."
            ),
            needs_action=True,
        )
    if code == "missing_scope":
        needed = (exc.response.get("needed") if isinstance(exc, SlackApiError) else None) or msg(
            "a permission"
        )
        return Trouble(
            msg(
                "The Slack app lacks the permission {scope}. Add it under OAuth & Permissions and "
                "install the app again in the workspace.",
                scope=needed,
            ),
            needs_action=True,
        )
    if code == "ratelimited":
        return Trouble(msg("Slack limited how many messages Rådsbot could send."))
    if lost(exc):
        return Trouble(
            msg("Slack did not answer as expected (a broken connection, a timeout or an error at Slack).")
        )
    if code:
        return Trouble(
            msg("Slack refused the message. The details are in the log («radsbot schedule --status»).")
        )
    return Trouble(
        msg("An unexpected error occurred. The details are in the log («radsbot schedule --status»).")
    )
