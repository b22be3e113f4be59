"""The administrative CLI: info, db, import, access, audit and council settings, in-process."""

from __future__ import annotations

import json

import pytest
from radsbot.data.migrations import HEAD_REVISION
from radsbot.data.models import AuditLog, Council, ImportBatch, User
from sqlalchemy import select
from sqlalchemy.engine import make_url

from tests.channels import slack_channel


def audit_actions(session) -> list[tuple[str, str, str]]:
    """(action, target, outcome) of the audit log, oldest first."""
    session.expire_all()
    return [(a.action, a.target, a.outcome) for a in session.scalars(select(AuditLog).order_by(AuditLog.id))]


def test_info_shows_database_and_masks_secrets(cli, db_url):
    code, out, _ = cli("info", SLACK_BOT_TOKEN="xoxb-1234567890-secretvalue", SLACK_SIGNING_SECRET="abc")
    assert code == 0
    assert "Rådsbot 0.1.0" in out
    assert "xoxb-1234567890-secretvalue" not in out and "…alue" in out
    assert "SLACK_SIGNING_SECRET" in out and "abc" not in out.split("SLACK_SIGNING_SECRET")[1].split("\n")[0]
    assert f"skjemaversjon: {HEAD_REVISION}" in out
    if db_url.startswith("sqlite"):
        assert ("fil: " + db_url.removeprefix("sqlite:///")) in out
    else:
        assert f"Database (postgresql): {make_url(db_url).render_as_string(hide_password=True)}" in out


def test_malformed_command_gets_norwegian_message(cli):
    code, _, err = cli("import", "--list", "fil.csv")
    assert code == 2 and "Ugyldig kommando" in err and "--list" in err
    code, _, err = cli("finnesikke")
    assert code == 2 and "Ugyldig kommando" in err


def test_db_upgrade_on_current_database(cli):
    code, out, _ = cli("db", "upgrade")
    assert code == 0 and f"allerede på skjemaversjon {HEAD_REVISION}" in out


@pytest.mark.slow
def test_db_seed_twice_changes_nothing(cli, session):
    before = session.scalar(select(ImportBatch.id).order_by(ImportBatch.id.desc()))
    code, out, _ = cli("db", "seed")
    assert code == 0 and "Grunndata lastet" in out
    assert session.scalar(select(ImportBatch.id).order_by(ImportBatch.id.desc())) == before
    assert "Ingen målinger er endret" in out
    rows = session.scalar(select(ImportBatch.rows_added).where(ImportBatch.id == before))
    assert f"{rows} målinger" not in out  # the first load's count is not this run's


@pytest.mark.slow
def test_db_seed_after_an_import_says_the_imported_value_is_kept(cli, session, tmp_path):
    path = tmp_path / "pll.csv"
    path.write_text("indikator,periode,verdi\nPLL,2023-Q2,0.9\n", encoding="utf-8")
    assert cli("import", str(path))[0] == 0
    code, out, _ = cli("db", "seed")
    assert code == 0 and "1 importerte verdi er beholdt" in out and "--undo" in out


@pytest.mark.slow
def test_import_list_and_undo_via_cli(cli, session, tmp_path):
    path = tmp_path / "nye.csv"
    path.write_text("indikator,periode,verdi\nPLL,2031,41\n", encoding="utf-8")
    code, out, _ = cli("import", str(path), "--dry-run")
    assert code == 0 and "Prøvekjøring" in out
    code, out, _ = cli("import", str(path), "--as", "U_STAFF")
    assert code == 0 and "1 nye" in out
    batch = session.scalar(select(ImportBatch).where(ImportBatch.filename == "nye.csv"))
    code, out, _ = cli("import", "--list")
    assert code == 0 and "nye.csv" in out.splitlines()[0]
    code, out, _ = cli("import", "--undo", str(batch.id))
    assert code == 0 and "er angret" in out
    code, _, err = cli("import", "--undo", str(batch.id))
    assert code == 1 and "allerede angret" in err
    assert [a for a in audit_actions(session) if a[0].startswith("import")] == [
        ("import", "nye.csv", "ok"),
        ("import", "nye.csv", "ok"),
        ("import_undo", str(batch.id), "ok"),
    ]


def test_bad_import_via_cli_exits_non_zero_and_is_audited(cli, session, tmp_path):
    path = tmp_path / "feil.csv"
    path.write_text("indikator,periode,verdi\nPLL,2031,141\n", encoding="utf-8")
    code, _, err = cli("import", str(path))
    assert code == 1 and "rad 2" in err and "utenfor 0–100" in err
    assert audit_actions(session)[-1] == ("import", "feil.csv", "failed")
    code, _, err = cli("import", str(tmp_path / "mangler.csv"))
    assert code == 1 and "Fant ikke filen" in err


def test_access_grant_list_revoke(cli, session):
    code, out, _ = cli("access", "grant", "U123", "staff", "--name", "Kari")
    assert code == 0 and "staff" in out
    code, out, _ = cli("access", "list", RADSBOT_ADMINS="UADMIN")
    assert "UADMIN" in out and "U123" in out and "Kari" in out
    code, _, err = cli("access", "grant", "U123", "sjef")
    assert code == 1 and "Ukjent rolle «sjef»" in err
    assert session.scalar(select(User.role).where(User.chat_user_id == "U123")) == "staff"
    code, out, _ = cli("access", "revoke", "U123")
    assert code == 0
    code, _, err = cli("access", "revoke", "U123")
    assert code == 1 and "har ingen tildelt rolle" in err
    assert [a[0] for a in audit_actions(session)] == ["access_grant", "access_revoke"]
    code, out, _ = cli("audit")
    assert "access_revoke" in out


def test_council_settings(cli, session):
    code, out, _ = cli(
        "council",
        "set",
        "Porteføljerådet",
        "--channel",
        "#nuit-status",
        "--lead-days",
        "5",
        "--hour",
        "9",
        "--preview",
    )
    assert code == 0 and "#nuit-status" in out
    session.expire_all()
    nuit = session.scalar(select(Council).where(Council.code == "nuit"))
    assert (slack_channel(nuit), nuit.digest_lead_days, nuit.digest_hour, nuit.preview_first) == (
        "#nuit-status",
        5,
        9,
        True,
    )
    code, _, err = cli("council", "set", "nuit", "--hour", "25", "--channel", "#annen")
    assert code == 1 and "mellom 0 og 23" in err
    session.expire_all()
    assert slack_channel(session.scalar(select(Council).where(Council.code == "nuit"))) == "#nuit-status"
    code, _, err = cli("council", "set", "nuit", "--channel", "kanal uten hash")
    assert code == 1 and "er ikke en kanal" in err
    code, _, err = cli("council", "show", "finnesikke")
    assert code == 1 and "Ukjent råd «finnesikke»" in err and "nuit" in err
    code, out, _ = cli("council", "list")
    assert code == 0 and "nufa" in out and "ehelseradet" in out
    assert audit_actions(session) == [("council_set", "nuit", "ok")]


def test_import_list_and_audit_show_times_in_the_calendars_time_zone(cli, session, tmp_path):
    """Stored in UTC, shown in Europe/Oslo (an hour or two later), as every other time users read."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    path = tmp_path / "nye.csv"
    path.write_text("indikator,periode,verdi\nPLL,2031,41\n", encoding="utf-8")
    cli("import", str(path))
    session.expire_all()
    batch = session.scalar(select(ImportBatch).where(ImportBatch.filename == "nye.csv"))
    logged = session.scalar(select(AuditLog).order_by(AuditLog.id.desc()))

    def oslo(moment: dt.datetime) -> str:
        utc = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        return f"{utc.astimezone(ZoneInfo('Europe/Oslo')):%d.%m.%Y %H:%M}"

    _, out, _ = cli("import", "--list")
    assert oslo(batch.created_at) in out.splitlines()[0]
    _, out, _ = cli("audit")
    assert oslo(logged.at) in out.splitlines()[0]


FORGED = "\n01.01.2026 00:00  U_ADMIN      access_grant     ok      U_ANGRIPER"


def test_no_audit_value_can_look_like_another_row(cli, session, tmp_path):
    """A line break in a file name or an asked case number is kept as given, and shown escaped."""
    path = tmp_path / f"data{FORGED}.csv"
    path.write_text("indikator,periode,verdi\nPLL,2031,41\n", encoding="utf-8")
    code, _, err = cli("import", str(path))
    assert code == 1 and "filnavnet" in err and "\n01.01.2026" not in err
    code, _, err = cli("toppnotat", "99/25" + FORGED, "--out", str(tmp_path / "t.docx"))
    assert code == 1 and "\n01.01.2026" not in err
    code, _, _ = cli("council", "set", "nuit", "--hour", "9", "--as", "Kari Nordmann")
    assert code == 0
    session.expire_all()
    stored = list(session.scalars(select(AuditLog).order_by(AuditLog.id)))
    assert [e.target for e in stored[:2]] == [path.name, "99/25" + FORGED]
    code, out, _ = cli("audit")
    lines = out.splitlines()
    assert len(lines) == len(stored)
    assert not any(line.startswith("01.01.2026") for line in lines)
    assert '"99/25\\n01.01.2026 00:00  U_ADMIN' in lines[1]
    assert '"Kari Nordmann"' in lines[0]
    code, out, _ = cli("audit", "--format", "json")
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == len(stored)
    assert [(r["actor"], r["action"], r["target"]) for r in records] == [
        (e.actor, e.action, e.target) for e in reversed(stored)
    ]


def test_audit_escapes_what_a_terminal_would_obey(cli, session):
    from radsbot.data.access import audit

    audit(session, "U1", "council_set", target="\x1b[2J\u202enuit", outcome="denied")
    session.commit()
    _, out, _ = cli("audit")
    assert "\x1b" not in out and "\u202e" not in out
    assert '"\\x1b[2J\\u202enuit"' in out
    _, out, _ = cli("audit", "--format", "json")
    assert "\x1b" not in out and "\u202e" not in out
    assert json.loads(out.splitlines()[0])["target"] == "\x1b[2J\u202enuit"
