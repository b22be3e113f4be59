"""The Teams bot end to end over real HTTP in anonymous mode: activities posted as Teams posts
them, answers received by a fake Bot Connector on another loopback port (the serviceUrl)."""

from __future__ import annotations

import base64

import pytest
from radsbot.bot.bootstrap import Context
from radsbot.bot.engine import Engine
from radsbot.bot.settings import Settings
from radsbot.bot.teams.config import teams_config
from radsbot.data.access import grant
from radsbot.data.models import AuditLog
from sqlalchemy import select

from tests.conftest import CHAT_TODAY
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.teams_bot import STAFF_AAD, InProcessBot, button, invoke, message

ANONYMOUS = {"CONNECTIONS__SERVICE_CONNECTION__SETTINGS__ANONYMOUS_ALLOWED": "true"}
CARD = "application/vnd.microsoft.card.adaptive"
CONSENT = "application/vnd.microsoft.teams.card.file.consent"


@pytest.fixture
def connector():
    with FakeBotConnector() as fake:
        yield fake


@pytest.fixture
def bot(db_url):
    context = Context(Settings(DATABASE_URL=db_url, **ANONYMOUS))
    with InProcessBot(
        context, teams_config(context.settings), Engine(context, today=lambda: CHAT_TODAY)
    ) as b:
        yield b
    context.close()


@pytest.fixture
def staff(session) -> str:
    grant(session, f"aad:{STAFF_AAD}", "staff")
    session.commit()
    return STAFF_AAD


def card_text(activity: dict) -> str:
    """Every text of an activity: its fallback and all strings in its cards."""
    found = [activity.get("text") or ""]

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("text", "title", "value") and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(activity.get("attachments") or [])
    return "\n".join(found)


def images(activity: dict) -> list[str]:
    """The data: URIs of the images an activity shows (in a card or as a plain attachment)."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "Image" or str(node.get("contentType", "")).startswith("image/"):
                found.append(node.get("url") or node.get("contentUrl") or "")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(activity.get("attachments") or [])
    return found


@pytest.mark.slow
def test_an_indicator_question_in_personal_chat_is_answered_with_the_ambition(bot, connector):
    sent = message("status PLL", connector.url)
    status, _ = bot.post(sent)
    assert status == 202
    (posted,) = connector.received
    assert posted.path == f"/v3/conversations/{sent['conversation']['id']}/activities/{sent['id']}"
    (answer,) = connector.activities()
    assert answer["type"] == "message" and answer["text"]
    assert answer["attachments"][0]["contentType"] == CARD
    text = card_text(answer)
    assert "Pasientens legemiddelliste" in text
    assert "Ambisjon" in text
    assert answer["conversation"]["id"] == sent["conversation"]["id"]
    assert answer["recipient"]["aadObjectId"] == sent["from"]["aadObjectId"]


@pytest.mark.slow
def test_a_channel_mention_is_answered_in_its_thread_without_the_mention(bot, connector):
    sent = message("mål 3", connector.url, kind="channel", mention=True)
    assert bot.post(sent)[0] == 202
    (posted,) = connector.received
    assert posted.path.endswith(f"/activities/{sent['id']}")  # a reply in the post's thread
    text = card_text(connector.activities()[0])
    assert "Mål 3" in text or "mål 3" in text.lower()
    assert "Rådsbot" not in text.split("\n")[0]  # the mention did not reach the engine


@pytest.mark.slow
def test_a_group_chat_question_is_answered_there(bot, connector):
    sent = message("neste møte i NUIT", connector.url, kind="groupChat", mention=True)
    assert bot.post(sent)[0] == 202
    (answer,) = connector.activities(sent["conversation"]["id"])
    assert "Porteføljerådet" in card_text(answer) or "NUIT" in card_text(answer)


@pytest.mark.slow
def test_vis_graf_button_answers_with_an_image(bot, connector):
    clicked = button("show_chart", "PLL", connector.url)
    status, body = bot.post(clicked)
    assert status == 200
    assert body["statusCode"] == 200
    shown = [uri for activity in connector.activities() for uri in images(activity)]
    assert shown, connector.activities()
    assert shown[0].startswith("data:image/png;base64,")
    assert base64.b64decode(shown[0].split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_a_member_is_refused_a_toppnotat_and_it_is_audited(bot, connector, session):
    sent = message("toppnotat 40/25", connector.url)
    assert bot.post(sent)[0] == 202
    (answer,) = connector.activities()
    assert not any(a["contentType"] == CONSENT for a in answer["attachments"])
    assert "stab" in card_text(answer).lower() or "tilgang" in card_text(answer).lower()
    entry = session.scalar(select(AuditLog).order_by(AuditLog.id.desc()))
    assert (entry.actor, entry.action, entry.outcome) == (
        f"aad:{sent['from']['aadObjectId']}",
        "toppnotat",
        "denied",
    )


@pytest.mark.slow
def test_staff_get_the_file_consent_card_and_the_accepted_file_is_uploaded(bot, connector, staff, session):
    sent = message("toppnotat 40/25", connector.url, aad=staff)
    assert bot.post(sent)[0] == 202
    consents = [
        a
        for act in connector.activities()
        for a in act.get("attachments") or ()
        if a["contentType"] == CONSENT
    ]
    (consent,) = consents
    assert consent["name"].endswith(".docx")
    size = consent["content"]["sizeInBytes"]
    assert size > 1000
    upload_info = {
        "name": consent["name"],
        "uploadUrl": connector.upload_url(consent["name"]),
        "contentUrl": "https://contoso.sharepoint.com/personal/kari/Documents/" + consent["name"],
        "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C9D",
        "fileType": "docx",
    }
    value = {"type": "fileUpload", "action": "accept", "context": consent["content"]["acceptContext"]}
    accepted = invoke("fileConsent/invoke", {**value, "uploadInfo": upload_info}, connector.url, aad=staff)
    connector.clear()
    status, _ = bot.post(accepted)
    assert status == 200
    (upload,) = connector.uploads()
    assert len(upload.body) == size
    assert upload.headers["content-range"] == f"bytes 0-{size - 1}/{size}"
    assert upload.body[:2] == b"PK"  # a .docx is a zip
    info = [a for act in connector.activities() for a in act.get("attachments") or ()]
    assert info[0]["contentType"] == "application/vnd.microsoft.teams.card.file.info"
    assert info[0]["contentUrl"] == upload_info["contentUrl"]
    entry = session.scalar(select(AuditLog).where(AuditLog.action == "document_upload"))
    assert (entry.actor, entry.outcome, entry.target) == (f"aad:{staff}", "ok", consent["name"])
    # The same accept again finds nothing waiting: the file is uploaded once.
    connector.clear()
    assert bot.post(accepted)[0] == 200
    assert not connector.uploads()


@pytest.mark.slow
def test_a_declined_file_is_not_uploaded(bot, connector, staff):
    bot.post(message("toppnotat 40/25", connector.url, aad=staff))
    consent = next(
        a
        for act in connector.activities()
        for a in act.get("attachments") or ()
        if a["contentType"] == CONSENT
    )
    declined = {"type": "fileUpload", "action": "decline", "context": consent["content"]["declineContext"]}
    connector.clear()
    assert bot.post(invoke("fileConsent/invoke", declined, connector.url, aad=staff))[0] == 200
    assert not connector.uploads()
    assert "«" in connector.activities()[0]["text"]


@pytest.mark.slow
def test_another_user_cannot_accept_a_file_offered_to_staff(bot, connector, staff):
    bot.post(message("toppnotat 40/25", connector.url, aad=staff))
    consent = next(
        a
        for act in connector.activities()
        for a in act.get("attachments") or ()
        if a["contentType"] == CONSENT
    )
    upload_info = {"uploadUrl": connector.upload_url("x.docx"), "name": "x.docx"}
    value = {"type": "fileUpload", "action": "accept", "context": consent["content"]["acceptContext"]}
    assert (
        bot.post(invoke("fileConsent/invoke", {**value, "uploadInfo": upload_info}, connector.url))[0] == 200
    )
    assert not connector.uploads()


@pytest.mark.slow
def test_a_document_asked_for_in_a_channel_is_sent_in_a_personal_chat(bot, connector, staff):
    sent = message("toppnotat 40/25", connector.url, kind="channel", mention=True, aad=staff)
    assert bot.post(sent)[0] == 202
    in_channel = connector.activities(sent["conversation"]["id"])
    assert len(in_channel) == 1 and "personlig" in in_channel[0]["text"].lower()
    assert not any(a["contentType"] == CONSENT for a in in_channel[0].get("attachments") or ())
    (created,) = connector.created()
    assert created["members"][0]["id"] == sent["from"]["id"]
    assert created["isGroup"] is False
    assert created["tenantId"] == sent["conversation"]["tenantId"]
    personal = [a for a in connector.activities() if a["conversation"]["id"] != sent["conversation"]["id"]]
    assert any(a["contentType"] == CONSENT for act in personal for a in act.get("attachments") or ())


@pytest.mark.slow
def test_staff_see_a_digest_preview_in_personal_chat_members_are_told_when(bot, connector, staff):
    bot.post(message("sammendrag nuit", connector.url, aad=staff))
    staff_saw = connector.activities()
    assert any(a["contentType"] == CONSENT for act in staff_saw for a in act.get("attachments") or ())
    connector.clear()
    bot.post(message("sammendrag nuit", connector.url))
    member_saw = connector.activities()
    assert member_saw
    assert not any(a["contentType"] == CONSENT for act in member_saw for a in act.get("attachments") or ())


@pytest.mark.slow
def test_an_action_submit_message_is_routed_like_a_button(bot, connector):
    sent = message("", connector.url, value={"action": "show_indicator", "value": "PLL"})
    assert bot.post(sent)[0] == 202
    assert "Pasientens legemiddelliste" in card_text(connector.activities()[0])


@pytest.mark.slow
def test_a_failing_turn_gets_the_polite_apology_not_the_exception(db_url, connector):
    class Broken(Engine):
        def answer(self, text, user=""):
            raise RuntimeError("secret internal detail 42")

    context = Context(Settings(DATABASE_URL=db_url, **ANONYMOUS))
    with InProcessBot(context, teams_config(context.settings), Broken(context)) as broken:
        assert broken.post(message("status PLL", connector.url))[0] in (200, 202)
    (apology,) = connector.activities()
    assert "secret internal detail" not in apology["text"]
    assert "RuntimeError" not in apology["text"]
    assert "status PLL" in apology["text"] and "sekretariatet" in apology["text"]
    context.close()


def test_healthz_and_wrong_methods(bot):
    from tests.fakes.teams_bot import get

    assert get(bot.url + "/healthz") == (200, "ok")
    assert get(bot.url + "/api/messages")[0] == 405
    assert get(bot.url + "/other")[0] == 404


@pytest.mark.slow
def test_malformed_bodies_get_4xx_and_reach_no_handler(bot, connector):
    assert bot.post(b"not json")[0] == 400
    assert bot.post(b'{"type": "message"}')[0] == 400
    assert not connector.received


@pytest.mark.slow
def test_expect_replies_gets_the_answer_in_the_http_body(bot, connector):
    sent = {**message("status PLL", connector.url), "deliveryMode": "expectReplies"}
    status, body = bot.post(sent)
    assert status == 200
    (answer,) = body["activities"]
    assert "Pasientens legemiddelliste" in card_text(answer)
    assert not connector.received  # nothing went through the connector


@pytest.mark.slow
def test_a_body_over_the_limit_is_413_and_reaches_no_handler(bot, connector):
    huge = message("x" * (2 * 1024 * 1024 + 10), connector.url)
    assert bot.post(huge)[0] == 413
    assert not connector.received


@pytest.mark.slow
def test_a_member_pressing_publiser_is_refused_and_audited_staff_pass_the_check(
    bot, connector, staff, session
):
    clicked = button("publish_digest", "999999", connector.url)
    assert bot.post(clicked)[0] == 200
    entry = session.scalar(select(AuditLog).order_by(AuditLog.id.desc()))
    assert (entry.actor, entry.action, entry.outcome) == (
        f"aad:{clicked['from']['aadObjectId']}",
        "digest_approve",
        "denied",
    )
    assert bot.post(button("publish_digest", "999999", connector.url, aad=staff))[0] == 200
    session.expire_all()
    entry = session.scalar(select(AuditLog).order_by(AuditLog.id.desc()))
    assert (entry.actor, entry.action, entry.outcome) == (f"aad:{staff}", "digest_approve", "failed")
