"""End-to-end: user text with &, < and > echoed back once-escaped, DMs with files, and files where
the bot is not a member — the real Bolt app over HTTP against the fake Slack Web API."""

from __future__ import annotations

import pytest
from radsbot.data.access import grant
from radsbot.data.db import transaction

from tests.fakes.slack_requests import direct_message, mention
from tests.slack.messages import all_text, blocks_of

pytestmark = pytest.mark.e2e


def slack_escaped(text: str) -> str:
    """What Slack sends for what a user typed: &, < and > as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@pytest.mark.slow
def test_slash_command_text_is_echoed_as_typed(app, slack_api):
    """The "asked by" note shows «R&D <x>», not the entities Slack sent (escaped once, not twice)."""
    text = slack_escaped("status R&D <x>")
    app.slack.command(text, channel="C0NUIT", response_url=slack_api.response_url())
    call = slack_api.wait_for("chat.postMessage")
    footer = blocks_of(call)[-1]["elements"][0]["text"]
    assert "«/radsbot status R&amp;D &lt;x&gt;»" in footer, footer
    assert "&amp;amp;" not in footer and "&amp;lt;" not in footer


@pytest.mark.slow
def test_apology_echoes_the_question_as_typed(app, slack_api):
    """When the answer fails, the apology quotes the question as the user wrote it."""
    app.slack.event(mention(slack_escaped("feil R&D <x>")))
    call = slack_api.wait_for("chat.postMessage", lambda c: "Beklager" in all_text(c.json_param("blocks")))
    text = all_text(blocks_of(call))
    assert "«feil R&amp;D &lt;x&gt;»" in text, text
    assert "&amp;amp;" not in text


def file_share(text: str, channel: str = "D0FILE") -> dict:
    """A DM with a file attached, as Slack sends it (subtype file_share)."""
    return direct_message(
        text,
        channel=channel,
        subtype="file_share",
        files=[{"id": "F0CSV", "name": "maalinger.csv", "mimetype": "text/csv"}],
    )


def test_a_dm_with_a_file_is_answered_and_the_file_explained(app, slack_api):
    """A DM with a file is not ignored: its text is answered, and the reply says files are not read."""
    app.slack.event(file_share("status EPJ"))
    call = slack_api.wait_for("chat.postMessage", lambda c: c.params["channel"] == "D0FILE")
    text = all_text(blocks_of(call))
    assert "EPJ" in text
    assert "maalinger.csv" in text and "radsbot import" in text
    assert ("answer", "status EPJ", "", "U0MEMBER") in app.engine.calls


@pytest.mark.slow
def test_a_dm_with_only_a_file_is_answered(app, slack_api):
    """A file without words still gets a polite answer saying what to do with it."""
    app.slack.event(file_share(""))
    call = slack_api.wait_for("chat.postMessage", lambda c: c.params["channel"] == "D0FILE")
    assert "radsbot import" in all_text(blocks_of(call))


@pytest.mark.slow
def test_a_document_where_the_bot_is_not_a_member_is_named_as_a_document(real_app, slack_context, slack_api):
    """ "/radsbot toppnotat 40/25" in a channel without the bot: the note names the Word file, not a chart."""
    with transaction(slack_context.sessions) as session:
        grant(session, "U0STAFF", "staff")
    slack_api.refuse_channel("C0PRIVAT")
    real_app.slack.command(
        "toppnotat 40/25", user="U0STAFF", channel="C0PRIVAT", response_url=slack_api.response_url()
    )
    call = slack_api.wait_for("response", timeout=60)
    text = all_text(call.params["blocks"])
    assert ".docx" in text and "/invite @Rådsbot" in text
    assert "Grafen" not in text


def test_a_chart_description_longer_than_slacks_limit_is_cut_at_a_word():
    """Slack refuses an alt_txt over 1,000 characters; a long description is cut, never refused."""
    from radsbot.bot.replies import Attachment
    from radsbot.bot.slack.keyed import ALT_TEXT_LIMIT, alt_text

    words = " ".join(f"ord{i}" for i in range(400))
    cut = alt_text(Attachment("mål-1.png", "Graf", b"png", alt=words))
    assert cut is not None and len(cut) <= ALT_TEXT_LIMIT == 1000
    assert cut.endswith("…") and words.startswith(cut[:-1]) and words[len(cut) - 1] == " "
    assert alt_text(Attachment("mål-1.png", "Graf", b"png", alt="Kort.")) == "Kort."
    assert alt_text(Attachment("notat.docx", "Notat", b"x", "application/msword", alt="ignored")) is None
