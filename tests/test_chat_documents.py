"""Toppnotat, meeting notices and digests asked for in chat: Word files read back, roles, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from radsbot.bot.bootstrap import Context
from radsbot.bot.engine import Engine
from radsbot.bot.settings import Settings
from radsbot.data.access import grant
from radsbot.data.models import AuditLog, Case, Council, Meeting
from radsbot.reports import formatting as fmt
from radsbot.reports.documents import DOCX_MIMETYPE as DOCX
from sqlalchemy import func, select

from tests.conftest import CHAT_TODAY
from tests.docx_readback import open_docx


def docx_text(content: bytes) -> str:
    """All paragraph and table text of a .docx file."""
    doc = open_docx(content)
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs]
    return "\n".join(parts)


def last_audit(session) -> AuditLog:
    session.expire_all()
    return session.scalar(select(AuditLog).order_by(AuditLog.id.desc()))


@pytest.fixture
def staff(session) -> str:
    """A chat user with the staff role."""
    grant(session, "U_STAFF", "staff")
    session.commit()
    return "U_STAFF"


@pytest.mark.slow
def test_toppnotat_for_staff_is_a_word_file_of_the_stored_case(chat, session, staff):
    case = session.scalar(select(Case).join(Council).where(Case.number == "40/25", Council.code == "nuit"))
    reply = chat.answer("toppnotat 40/25", user=staff)
    assert reply.kind == "answer"
    (attachment,) = reply.attachments
    assert attachment.mimetype == DOCX
    assert attachment.filename.endswith(".docx")
    text = docx_text(attachment.content)
    assert case.title in text and "40/25" in text
    entry = last_audit(session)
    assert (entry.actor, entry.action, entry.outcome, entry.target) == (
        staff,
        "toppnotat",
        "ok",
        "nuit 40/25",
    )


@pytest.mark.slow
def test_toppnotat_of_a_number_in_two_councils_asks_which(chat, session, staff):
    number = session.execute(
        select(Case.number).group_by(Case.number).having(func.count(Case.id) > 1)
    ).scalar()
    if number is None:
        pytest.skip("the seed has no case number shared by two councils")
    codes = session.scalars(select(Council.code).join(Case).where(Case.number == number)).all()
    reply = chat.answer(f"toppnotat {number}", user=staff)
    assert reply.kind == "ambiguous"
    assert not reply.attachments
    for code in codes:
        assert f"«toppnotat {number} i {code}»" in reply.summary
    assert last_audit(session).outcome == "failed"
    chosen = chat.answer(f"toppnotat {number} i {codes[0]}", user=staff)
    assert chosen.kind == "answer" and chosen.attachments


def test_toppnotat_of_an_unknown_case(chat, session, staff):
    reply = chat.answer("toppnotat 99/19", user=staff)
    assert reply.kind == "not_found"
    assert "99/19" in reply.summary
    assert not reply.attachments
    entry = last_audit(session)
    assert (entry.action, entry.outcome) == ("toppnotat", "failed")


def test_toppnotat_without_a_number_asks_for_it(chat, staff):
    reply = chat.answer("toppnotat", user=staff)
    assert reply.kind == "not_found"
    assert "toppnotat 40/25" in reply.summary


@pytest.mark.slow
def test_innkalling_for_the_next_meeting_of_a_council(chat, session, staff):
    meeting = session.scalar(
        select(Meeting)
        .join(Council)
        .where(Council.code == "nuit", Meeting.status == "planned", Meeting.date >= CHAT_TODAY)
        .order_by(Meeting.date)
    )
    reply = chat.answer("innkalling neste NUIT-møte", user=staff)
    assert reply.kind == "answer"
    assert meeting.number in reply.title
    assert fmt.date(meeting.date) in reply.summary
    text = docx_text(reply.attachments[0].content)
    assert meeting.number in text
    for case in meeting.cases:
        assert case.number in text
    assert bool(reply.notice) == meeting.is_example


@pytest.mark.slow
def test_configured_admins_may_make_documents(db_url):
    context = Context(Settings(DATABASE_URL=db_url, RADSBOT_ADMINS="U_BOSS"))
    try:
        reply = Engine(context, today=lambda: CHAT_TODAY).answer("innkalling 4/2025", user="U_BOSS")
    finally:
        context.close()
    assert reply.kind == "answer"
    assert reply.attachments[0].mimetype == DOCX


@pytest.mark.slow
def test_digest_of_a_council_is_its_overview_with_the_word_document(chat, session, staff):
    council = session.scalar(select(Council).where(Council.code == "nuit"))
    reply = chat.answer("sammendrag nuit", user=staff)
    assert reply.kind == "answer"
    assert council.short_name in reply.title
    (document,) = reply.attachments
    assert document.mimetype == DOCX
    assert reply.title in docx_text(document.content)
    assert all("tråden" not in s.context for s in reply.sections)
    entry = last_audit(session)
    assert (entry.actor, entry.action, entry.outcome) == (staff, "digest_preview", "ok")
    assert entry.target.startswith("nuit ")


def test_a_member_does_not_get_the_digest_before_it_is_posted(chat, session):
    """The preview and its Word document are the secretariat's; the refusal is audited."""
    for user in ("U_MEMBER", ""):
        reply = chat.answer("sammendrag nuit", user=user)
        assert reply.kind == "refused" and reply.ephemeral
        assert not reply.attachments
        assert "neste sammendrag" in reply.summary
        entry = last_audit(session)
        assert (entry.actor, entry.action, entry.outcome) == (user or "ukjent", "digest_preview", "denied")


@pytest.mark.slow
def test_digest_without_a_council_is_for_the_first_council_to_meet(chat, session, staff):
    first = session.scalar(
        select(Meeting).where(Meeting.status == "planned", Meeting.date >= CHAT_TODAY).order_by(Meeting.date)
    )
    reply = chat.answer("sammendrag", user=staff)
    assert first.council.short_name in reply.title


def test_next_digest_says_when_and_where_it_is_posted(chat, session):
    council = session.scalar(select(Council).where(Council.code == "nufa"))
    meeting = session.scalar(
        select(Meeting)
        .where(Meeting.council_id == council.id, Meeting.status == "planned", Meeting.date >= CHAT_TODAY)
        .order_by(Meeting.date)
    )
    reply = chat.answer("neste sammendrag i fagrådet")
    assert meeting.number in reply.summary
    assert council.address("slack") in reply.summary
    post_day = meeting.date - dt.timedelta(days=council.digest_lead_days)
    assert f"{fmt.date(post_day)} kl. {council.digest_hour:02d}.00" in reply.summary


@pytest.mark.slow
def test_next_digest_skips_one_posted_before_the_channel_changed(chat, session):
    """NUFA's next digest was posted in its old channel; after a channel change it is not "next"."""
    from radsbot.data.models import DigestDelivery

    from tests.channels import set_channel, slack_channel

    council = session.scalar(select(Council).where(Council.code == "nufa"))
    coming = session.scalars(
        select(Meeting)
        .where(Meeting.council_id == council.id, Meeting.status == "planned", Meeting.date >= CHAT_TODAY)
        .order_by(Meeting.date)
    ).all()
    session.add(
        DigestDelivery(
            meeting_id=coming[0].id, transport="slack", address=slack_channel(council), status="posted"
        )
    )
    set_channel(session, council.id, "C0NYKANAL")
    session.commit()
    reply = chat.answer("neste sammendrag i fagrådet")
    assert f"{coming[0].number} (" not in reply.summary
    if len(coming) > 1:
        assert coming[1].number in reply.summary and "C0NYKANAL" in reply.summary
