"""Output files of `radsbot toppnotat|innkalling --out FILE` and `radsbot digest --out DIR`.

Replacing a file is announced; a symbolic link, or the template being read, is never written;
and the file and its audit entry are both or neither: a refused audit entry leaves no file, a
file that cannot be given its name leaves the entry marked failed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from docx_readback import open_docx, written_template
from radsbot.bot.bootstrap import Context
from radsbot.bot.cli import main
from radsbot.bot.cli.output import OutputError, publish_audited, staged
from radsbot.bot.settings import Settings
from radsbot.data.access import audit_entries
from radsbot.data.db import make_engine, session_factory
from radsbot.data.models import AuditLog
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

PAPER = ("toppnotat", "41/25", "--council", "nuit")
NOTICE = ("innkalling", "4/2025", "--council", "nuit")


def audit_count(session: Session) -> int:
    """Rows in the audit log, read afresh."""
    session.expire_all()
    return session.scalar(select(func.count()).select_from(AuditLog))


def names(folder: Path) -> list[str]:
    """Every name in a folder, hidden temporary files included."""
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.slow
def test_a_new_file_is_written_and_a_replaced_one_is_announced(cli, session: Session, tmp_path):
    out = tmp_path / "notat.docx"
    code, stdout, _ = cli(*PAPER, "--out", str(out))
    assert code == 0 and "erstattet" not in stdout
    assert audit_entries(session, limit=1, action="toppnotat")[0].details["replaced"] is False
    out.write_bytes(b"old")
    code, stdout, _ = cli(*PAPER, "--out", str(out))
    assert code == 0
    assert f"er skrevet til {out} (erstattet den forrige filen)." in stdout
    assert open_docx(out.read_bytes()).paragraphs  # the new paper, not b"old"
    entry = audit_entries(session, limit=1, action="toppnotat")[0]
    assert (entry.outcome, entry.details["replaced"]) == ("ok", True)
    assert names(tmp_path) == ["notat.docx"]


@pytest.mark.slow
@pytest.mark.parametrize("command", [PAPER, NOTICE], ids=["toppnotat", "innkalling"])
def test_a_symbolic_link_is_refused_and_its_target_left_alone(cli, session: Session, tmp_path, command):
    victim = tmp_path / "viktig.txt"
    victim.write_text("ikke rør", encoding="utf-8")
    link = tmp_path / "notat.docx"
    link.symlink_to(victim)
    code, _, stderr = cli(*command, "--out", str(link))
    assert code == 1
    assert "er en symbolsk lenke" in stderr and "Traceback" not in stderr
    assert victim.read_text(encoding="utf-8") == "ikke rør"
    assert link.is_symlink() and names(tmp_path) == ["notat.docx", "viktig.txt"]
    assert audit_entries(session, limit=1, action=command[0])[0].outcome == "failed"


@pytest.mark.slow
def test_a_dangling_link_is_refused_and_nothing_is_created_where_it_points(cli, tmp_path):
    link = tmp_path / "notat.docx"
    link.symlink_to(tmp_path / "finnes-ikke.docx")
    code, _, stderr = cli(*PAPER, "--out", str(link))
    assert code == 1 and "symbolsk lenke" in stderr
    assert not (tmp_path / "finnes-ikke.docx").exists()


@pytest.mark.slow
def test_the_template_being_read_is_never_overwritten(cli, tmp_path):
    template = written_template(tmp_path, "{{ sak.saksnummer }} {{ sak.tittel }}", name="mal.docx")
    original = template.read_bytes()
    (tmp_path / "sub").mkdir()
    hard = tmp_path / "hard.docx"
    os.link(template, hard)
    for out in (template, tmp_path / "sub" / ".." / "mal.docx", hard):
        code, _, stderr = cli(*PAPER, "--template", str(template), "--out", str(out))
        assert code == 1, out
        assert "er malen som leses (--template)" in stderr
    assert template.read_bytes() == original
    assert names(tmp_path) == ["hard.docx", "mal.docx", "sub"]


@pytest.mark.slow
def test_digest_files_are_not_written_through_links_and_replacements_are_announced(
    db_url: str, session: Session, tmp_path, capsys
):
    def digest(out: Path) -> tuple[int, str]:
        context = Context(Settings(DATABASE_URL=db_url))
        try:
            code = main(["digest", "--council", "nuit", "--out", str(out)], obj=context)
        finally:
            context.close()
        return code, capsys.readouterr().err

    out = tmp_path / "sammendrag"
    code, err = digest(out)
    assert code == 0 and "erstattet" not in err
    written = names(out)
    code, err = digest(out)
    assert code == 0 and "(erstattet: " in err
    assert all(name in err for name in written)
    victim = tmp_path / "viktig.txt"
    victim.write_text("ikke rør", encoding="utf-8")
    target = out / written[-1]
    target.unlink()
    target.symlink_to(victim)
    before = {name: (out / name).stat().st_mtime_ns for name in written if name != target.name}
    code, err = digest(out)
    assert code == 1 and "er en symbolsk lenke" in err
    assert victim.read_text(encoding="utf-8") == "ikke rør"
    assert {name: (out / name).stat().st_mtime_ns for name in before} == before  # none replaced
    assert names(out) == written


def refuse_audit_inserts(engine: Engine) -> None:
    """Make the database refuse every new audit entry, as a database can refuse a write."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(
                text(
                    "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'audit log closed'; END $$"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_audit()"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log "
                    "BEGIN SELECT RAISE(ABORT, 'audit log closed'); END"
                )
            )


@pytest.mark.slow
@pytest.mark.parametrize("command", [PAPER, NOTICE], ids=["toppnotat", "innkalling"])
def test_a_refused_audit_entry_leaves_no_file(cli, engine: Engine, session: Session, tmp_path, command):
    before = audit_count(session)
    refuse_audit_inserts(engine)
    out = tmp_path / "dokument.docx"
    code, _, stderr = cli(*command, "--out", str(out))
    assert code == 1
    assert "Revisjonsloggen tok ikke imot oppføringen, så ingenting er skrevet" in stderr
    assert "Traceback" not in stderr
    assert names(tmp_path) == []
    assert audit_count(session) == before


@pytest.mark.slow
def test_a_refused_audit_entry_leaves_no_digest_files(db_url: str, engine: Engine, tmp_path, capsys):
    refuse_audit_inserts(engine)
    context = Context(Settings(DATABASE_URL=db_url))
    try:
        code = main(["digest", "--council", "nuit", "--out", str(tmp_path / "ut")], obj=context)
    finally:
        context.close()
    assert code == 1 and "Revisjonsloggen tok ikke imot" in capsys.readouterr().err
    assert names(tmp_path / "ut") == []


@pytest.mark.postgres
@pytest.mark.slow
def test_an_actor_longer_than_the_column_on_postgresql_leaves_no_file(pg_db_url: str, tmp_path, capsys):
    context = Context(Settings(DATABASE_URL=pg_db_url))
    out = tmp_path / "notat.docx"
    try:
        code = main([*PAPER, "--out", str(out), "--as", "x" * 200], obj=context)
    finally:
        context.close()
    assert code != 0 and "Traceback" not in capsys.readouterr().err
    assert names(tmp_path) == []
    engine = make_engine(pg_db_url)
    try:
        with session_factory(engine)() as session:
            assert (
                session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.actor.like("xxx%")))
                == 0
            )
    finally:
        engine.dispose()


def test_a_file_that_cannot_be_given_its_name_leaves_the_entry_failed(
    engine: Engine, session: Session, tmp_path
):
    sessions = session_factory(engine)
    target = tmp_path / "notat.docx"
    with pytest.raises(OutputError) as caught, staged({target: b"innhold"}) as items:
        target.mkdir()  # another process takes the name between writing and renaming
        (target / "noe").write_text("x", encoding="utf-8")
        publish_audited(sessions, items, "U1", "toppnotat", "nuit 41/25")
    assert "Kan ikke skrive" in caught.value.message
    entry = audit_entries(session, limit=1, action="toppnotat")[0]
    assert (entry.actor, entry.outcome) == ("U1", "failed")
    assert "Kan ikke skrive" in entry.details["error"]
    assert names(tmp_path) == ["notat.docx"] and target.is_dir()
