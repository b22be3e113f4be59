"""Councils' digest settings from chat: the command's forms, admin-only changes, audit, bad input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from radsbot.bot.council_command import CouncilCommand, parse_council_command
from radsbot.data.access import grant
from radsbot.data.models import AuditLog, Council
from sqlalchemy import select

from tests.channels import slack_channel


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("råd", CouncilCommand()),
        ("council list", CouncilCommand()),
        ("råd vis nuit", CouncilCommand(council="nuit")),
        ("<@U0BOT> råd vis Fagrådet", CouncilCommand(council="Fagrådet")),
        (
            "råd sett nuit --dager 5 --time 9 --forhåndsvisning",
            CouncilCommand(
                "nuit", (("digest_lead_days", "5"), ("digest_hour", "9"), ("preview_first", True)), True
            ),
        ),
        (
            "council set nufa --channel <#C0ABCDEF|fagradet> --no-preview",
            CouncilCommand("nufa", (("channel", "C0ABCDEF"), ("preview_first", False)), True),
        ),
        (
            'råd sett "Nasjonalt e-helseråd" --sekretariat #sekretariat',
            CouncilCommand("Nasjonalt e-helseråd", (("secretariat", "#sekretariat"),), True),
        ),
        (
            "råd sett nuit --farge blå",
            CouncilCommand("nuit", setting=True, problem="unknown_option", word="--farge"),
        ),
        (
            "råd sett nuit --dager",
            CouncilCommand("nuit", setting=True, problem="missing_value", word="--dager"),
        ),
        ("råd sett --dager 5", CouncilCommand(setting=True, problem="which_council")),
        ("råd sett nuit", CouncilCommand("nuit", setting=True, problem="nothing")),
        ('råd sett "nuit --dager 5', CouncilCommand(problem="quote")),
    ],
)
def test_command_forms(text, expected):
    assert parse_council_command(text) == expected


@pytest.mark.parametrize("text", ["råd om velferdsteknologi", "status PLL", "rådsmodellen", "mål 3", ""])
def test_ordinary_questions_are_not_the_command(text):
    assert parse_council_command(text) is None


@pytest.mark.slow
@given(st.text(max_size=200))
def test_never_crashes(text):
    """Anything after "råd" is a command (shown, set, or a named problem) or a question; never a crash."""
    command = parse_council_command("råd " + text)
    if command is not None:
        assert command.problem in {"", "quote", "which_council", "missing_value", "unknown_option", "nothing"}
        assert command.setting or not command.changes, command
    assert parse_council_command("status " + text) is None


def nuit(session) -> Council:
    """NUIT as stored now."""
    session.expire_all()
    return session.scalar(select(Council).where(Council.code == "nuit"))


def audit_rows(session) -> list[tuple[str, str, str]]:
    """(actor, outcome, target) of the council_set audit entries."""
    session.expire_all()
    rows = session.scalars(select(AuditLog).where(AuditLog.action == "council_set").order_by(AuditLog.id))
    return [(r.actor, r.outcome, r.target) for r in rows]


def test_admin_changes_settings_from_chat(chat, session):
    grant(session, "U0ADMIN", "admin")
    session.commit()
    reply = chat.answer(
        "råd sett nuit --dager 5 --time 9 --kanal <#C0NUITXX|nuit> --forhåndsvisning", user="U0ADMIN"
    )
    assert reply.kind == "answer" and "endret" in reply.title
    stored = nuit(session)
    assert (stored.digest_lead_days, stored.digest_hour, slack_channel(stored), stored.preview_first) == (
        5,
        9,
        "C0NUITXX",
        True,
    )
    facts = {f.label: f.value for f in reply.sections[0].facts}
    assert facts["Postes"] == "5 dager før møtet kl. 09.00" and facts["Kanal"] == "C0NUITXX"
    assert audit_rows(session) == [("U0ADMIN", "ok", "nuit")]


def test_member_and_staff_are_refused_and_nothing_changes(chat, session):
    before = nuit(session).digest_lead_days
    grant(session, "U0STAFF", "staff")
    session.commit()
    for user in ("U0MEMBER", "U0STAFF"):
        reply = chat.answer("råd sett nuit --dager 3", user=user)
        assert reply.kind == "refused" and reply.ephemeral and "administratorer" in reply.summary
    assert nuit(session).digest_lead_days == before
    assert audit_rows(session) == [("U0MEMBER", "denied", "nuit"), ("U0STAFF", "denied", "nuit")]


def test_invalid_values_change_nothing(chat, session):
    grant(session, "U0ADMIN", "admin")
    session.commit()
    before = (nuit(session).digest_lead_days, nuit(session).digest_hour)
    reply = chat.answer("råd sett nuit --dager 5 --time 25", user="U0ADMIN")
    assert reply.kind == "error" and "mellom 0 og 23" in reply.summary
    assert (nuit(session).digest_lead_days, nuit(session).digest_hour) == before
    reply = chat.answer("råd sett finnesikke --dager 5", user="U0ADMIN")
    assert reply.kind == "error" and "Ukjent råd «finnesikke»" in reply.summary and "nuit" in reply.summary
    reply = chat.answer("råd sett nuit --farge blå", user="U0ADMIN")
    assert "Ukjent valg «--farge»" in reply.summary


def test_anyone_may_look(chat):
    reply = chat.answer("råd", user="U0MEMBER")
    assert [s.heading for s in reply.sections if s.heading] == [
        "Porteføljerådet (nuit)",
        "Fagrådet (nufa)",
        "Strategirådet (ehelseradet)",
    ]
    one = chat.answer("råd vis e-helserådet")
    assert one.sections[0].heading == "Strategirådet (ehelseradet)"
    assert {f.label: f.value for f in one.sections[0].facts}["Forhåndsvisning først"] == "ja"


@pytest.mark.parametrize(("days", "expected"), [(1, "1 dag før møtet"), (0, "samme dag som møtet")])
def test_one_day_and_the_same_day_in_words(chat, session, days, expected):
    """ "1 dag", not "1 dager"; 0 days is the day of the meeting."""
    grant(session, "U0ADMIN", "admin")
    session.commit()
    reply = chat.answer(f"råd sett nuit --dager {days}", user="U0ADMIN")
    facts = {f.label: f.value for f in reply.sections[0].facts}
    assert facts["Postes"].startswith(expected), facts["Postes"]
