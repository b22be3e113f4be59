"""Slack errors said for the secretariat: what failed and what to do, in Norwegian.

The technical error (SlackApiError's English text) stays in the log and the ledger's
last_error; the secretariat reads only these sentences.
"""

from __future__ import annotations

from radsbot.bot.publisher import Trouble
from radsbot.bot.slack.keyed import lost
from slack_sdk.errors import SlackApiError

INVITE = "Inviter boten med «/invite @Rådsbot» i kanalen"
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
        return Trouble(f"Rådsbot er ikke med i kanalen {channel}. {INVITE}.", needs_action=True)
    if code == "channel_not_found":
        return Trouble(
            f"Fant ikke kanalen {channel}, eller Rådsbot er ikke invitert dit. Sjekk kanalen med "
            f"«radsbot council list», og {INVITE[0].lower()}{INVITE[1:]}.",
            needs_action=True,
        )
    if code == "is_archived":
        return Trouble(
            f"Kanalen {channel} er arkivert. Velg en annen med «radsbot council set KODE --channel #kanal».",
            needs_action=True,
        )
    if code in TOKEN_ERRORS:
        return Trouble(
            "Slack godtok ikke Rådsbots token (SLACK_BOT_TOKEN). Sjekk tokenet under OAuth & Permissions "
            "i Slack-appen, og start Rådsbot på nytt.",
            needs_action=True,
        )
    if code == "missing_scope":
        needed = (exc.response.get("needed") if isinstance(exc, SlackApiError) else None) or "en tillatelse"
        return Trouble(
            f"Slack-appen mangler tillatelsen {needed}. Legg den til under OAuth & Permissions og "
            "installer appen på nytt i arbeidsområdet.",
            needs_action=True,
        )
    if code == "ratelimited":
        return Trouble("Slack begrenset hvor mange meldinger Rådsbot kunne sende.")
    if lost(exc):
        return Trouble(
            "Slack svarte ikke som ventet (brudd i forbindelsen, tidsavbrudd eller feil hos Slack)."
        )
    if code:
        return Trouble("Slack avviste meldingen. Detaljene står i loggen («radsbot schedule --status»).")
    return Trouble("Det oppsto en uventet feil. Detaljene står i loggen («radsbot schedule --status»).")
