"""A database that cannot be used: every command says so in Norwegian, password masked, and exits non-zero."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from radsbot.bot.bootstrap import Context
from radsbot.bot.cli import main
from radsbot.bot.settings import Settings
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "hemmelig-passord"


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def commands(tmp_path: Path) -> list[list[str]]:
    """Every command that reads or writes the database, with arguments that would otherwise run it."""
    csv = tmp_path / "maalinger.csv"
    csv.write_text("indikator,periode,verdi\nPLL,2031,41\n", encoding="utf-8")
    example = ROOT / "data" / "examples"
    return [
        ["info"],
        ["ask", "status PLL"],
        ["chat"],
        ["import", str(csv)],
        ["import", "--list"],
        ["import", "--undo", "1"],
        ["access", "grant", "U1", "staff"],
        ["access", "list"],
        ["audit"],
        ["council", "list"],
        ["council", "set", "nuit", "--hour", "9"],
        ["case", "add", str(example / "sak.yaml")],
        ["case", "show", "41/25"],
        ["meeting", "show", "neste"],
        ["toppnotat", "41/25", "--out", str(tmp_path / "t.docx")],
        ["innkalling", "neste", "--out", str(tmp_path / "i.docx")],
        ["digest", "--council", "nuit", "--out", str(tmp_path / "digest")],
        ["schedule", "--status"],
        ["db", "upgrade"],
        ["db", "seed"],
    ]


@pytest.fixture
def pg_admin(pg_databases) -> str | None:
    """The URL of a reachable PostgreSQL server, or None."""
    return pg_databases.pg_url if pg_databases else None


def unusable_databases(tmp_path: Path, admin: str | None) -> dict[str, tuple[str, str]]:
    """URL and the words the message must use, for each way a database cannot be used."""
    blocker = tmp_path / "en-fil"
    blocker.write_text("ikke en mappe")
    found = {
        "closed port": (
            f"postgresql+psycopg://radsbot:{PASSWORD}@127.0.0.1:{closed_port()}/radsbot",
            "Får ikke kontakt med databaseserveren",
        ),
        "sqlite folder is a file": (f"sqlite:///{blocker}/radsbot.sqlite3", "Kan ikke åpne SQLite-databasen"),
        "not a database url": (f"ikke-en-url:{PASSWORD}", "er ikke en database Rådsbot kan bruke"),
    }
    if admin:
        missing = f"finnes_ikke_{uuid.uuid4().hex[:8]}"
        url = make_url(admin).set(database=missing, password=PASSWORD)
        found["missing postgresql database"] = (url.render_as_string(hide_password=False), "finnes ikke")
    return found


@pytest.fixture
def run(capsys):
    def call(url: str, *args: str) -> tuple[int, str, str]:
        context = Context(Settings(DATABASE_URL=url))
        try:
            code = main(list(args), obj=context)
        finally:
            context.close()
        out = capsys.readouterr()
        return code, out.out, out.err

    return call


@pytest.mark.slow
def test_every_command_explains_an_unusable_database(run, tmp_path, pg_admin):
    databases = unusable_databases(tmp_path, pg_admin)
    for kind, (url, words) in databases.items():
        for argv in commands(tmp_path):
            code, out, err = run(url, *argv)
            assert code == 1, (kind, argv, out, err)
            assert words in err, (kind, argv, err)
            assert "Sjekk" in err or "Opprett" in err, (kind, argv, err)
            assert PASSWORD not in out + err, (kind, argv)
            assert "Traceback" not in out + err and "Error:" not in err, (kind, argv, err)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["en-fil", "maalinger.csv"]


def test_the_message_names_the_database_with_its_password_masked(run, tmp_path):
    url = f"postgresql+psycopg://radsbot:{PASSWORD}@127.0.0.1:{closed_port()}/radsbot"
    code, _, err = run(url, "info")
    assert code == 1
    assert "postgresql+psycopg://radsbot:***@127.0.0.1:" in err and "/radsbot" in err


@pytest.mark.postgres
def test_a_missing_postgresql_database_is_named(run, pg_admin):
    if pg_admin is None:
        pytest.skip("PostgreSQL is not reachable")
    url = make_url(pg_admin).set(database="finnes_ikke_radsbot").render_as_string(hide_password=False)
    code, _, err = run(url, "ask", "status PLL")
    assert code == 1 and "«finnes_ikke_radsbot» finnes ikke" in err, err


@pytest.mark.slow
def test_a_real_process_exits_non_zero_without_a_traceback(tmp_path):
    """The console script as users run it: stderr holds the Norwegian message and nothing else."""
    env = {**os.environ, "DATABASE_URL": f"postgresql+psycopg://u:{PASSWORD}@127.0.0.1:{closed_port()}/x"}
    for argv in (["info"], ["ask", "status PLL"]):
        done = subprocess.run(
            [sys.executable, "-c", "import sys; from radsbot.bot.cli import main; sys.exit(main())", *argv],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
        )
        assert done.returncode == 1, done
        assert "Får ikke kontakt med databaseserveren" in done.stderr
        assert "Traceback" not in done.stderr and PASSWORD not in done.stderr + done.stdout


def test_the_chat_core_still_answers_politely(tmp_path):
    """The Slack transport keeps running on a broken database: the engine's reply is its error reply."""
    from radsbot.bot.engine import Engine

    context = Context(Settings(DATABASE_URL=f"postgresql+psycopg://u:p@127.0.0.1:{closed_port()}/x"))
    try:
        reply = Engine(context).answer("status PLL", user="U1")
    finally:
        context.close()
    assert reply.kind == "error" and "Noe gikk galt" in reply.title + reply.summary
