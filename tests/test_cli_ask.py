"""`radsbot ask` and `radsbot chat`, in-process and as a real process; every issue example answered."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from radsbot.data.models import Case, Council, Goal, Indicator, Meeting
from radsbot.reports import formatting as fmt
from sqlalchemy import select

from tests.conftest import CHAT_TODAY

TODAY = ("--today", CHAT_TODAY.isoformat())


def indicator_title(session, code: str) -> str:
    """The card's title for an indicator, from the database."""
    ind = session.scalar(select(Indicator).where(Indicator.code == code))
    return f"{ind.name} ({ind.code})"


def next_meeting(session, council: str | None = None) -> Meeting:
    """The first planned meeting from the reference day, from the database."""
    query = select(Meeting).where(Meeting.status == "planned", Meeting.date >= CHAT_TODAY)
    if council:
        query = query.join(Council).where(Council.code == council)
    return session.scalar(query.order_by(Meeting.date, Meeting.id))


def goal_label(session, code: str) -> str:
    return session.scalar(select(Goal).where(Goal.code == code)).label


# Every example phrasing of issue 3 and how to tell, from the database, that the answer is right.
ISSUE_EXAMPLES = {
    "status PLL": lambda s: [indicator_title(s, "PLL"), "Siste verdi", "Ambisjon", "Vurdering", "graf PLL"],
    "hvordan går det med velferdsteknologi?": lambda s: [indicator_title(s, "VFT"), "Vurdering"],
    "hva er ambisjonen for innbyggers tillit?": lambda s: [indicator_title(s, "TILLIT"), "Ambisjonen for"],
    "hvilken kilde har …": lambda s: ["Hvilken indikator mener du?"],
    "hvilken kilde har digital dialog med fastlege?": lambda s: [
        indicator_title(s, "DDFL"),
        s.scalar(select(Indicator.source).where(Indicator.code == "DDFL")),
    ],
    "hvor mange kommuner har …": lambda s: ["Mente du …?", "DHO_KOMMUNE"],
    "hvor mange kommuner har digital hjemmeoppfølging?": lambda s: [indicator_title(s, "DHO_KOMMUNE")],
    "mål 3": lambda s: [goal_label(s, "mal3"), "Indikatorer"],
    "overordnet mål bærekraftig helse- og omsorgssektor": lambda s: [goal_label(s, "baerekraft")],
    "hvilke indikatorer hører til mål 1?": lambda s: (
        [goal_label(s, "mal1")]
        + [
            i.code
            for i in s.scalars(
                select(Indicator)
                .join(Goal)
                .where(
                    Goal.code == "mal1", Indicator.parent_id.is_(None), Indicator.indicator_set == "dashbord"
                )
            )
        ]
    ),
    "oversikt": lambda s: ["Oversikt: Nasjonal e-helsestrategi"] + [g.label for g in s.scalars(select(Goal))],
    "dashbord": lambda s: ["Oversikt: Nasjonal e-helsestrategi"],
    "graf PLL": lambda s: ["Graf: " + indicator_title(s, "PLL"), "pll.png"],
    "vis utvikling for digital hjemmeoppfølging": lambda s: ["Graf: " + indicator_title(s, "DHO"), "dho.png"],
    "neste møte": lambda s: [next_meeting(s).number, fmt.date(next_meeting(s).date)],
    "neste møte i NUIT": lambda s: ["Porteføljerådet", next_meeting(s, "nuit").number],
    "møter i 2026": lambda s: (
        ["Møter i 2026"]
        + [
            fmt.date(m.date)
            for m in s.scalars(
                select(Meeting).where(
                    Meeting.date.between(
                        CHAT_TODAY.replace(year=2026, month=1, day=1),
                        CHAT_TODAY.replace(year=2026, month=12, day=31),
                    )
                )
            )
        ]
    ),
    "sak 40/25": lambda s: [
        "Sak 40/25: "
        + s.scalar(select(Case.title).join(Council).where(Case.number == "40/25", Council.code == "nuit")),
        "Forslag til vedtak",
    ],
    "saker på neste møte": lambda s: ["Saker til", next_meeting(s).number],
    "hjelp": lambda s: ["Dette kan du spørre Rådsbot om", "«status PLL»"],
    "help": lambda s: ["Dette kan du spørre Rådsbot om"],
    "?": lambda s: ["Dette kan du spørre Rådsbot om"],
    "sammendrag": lambda s: ["Ikke tilgang", "staff", "neste sammendrag"],
    "toppnotat 40/25": lambda s: ["Ikke tilgang", "staff"],
}


@pytest.mark.parametrize("question", list(ISSUE_EXAMPLES))
def test_every_issue_example_is_answered_by_radsbot_ask(cli, session, question):
    code, out, err = cli("ask", question, *TODAY)
    assert code == 0, err
    assert not err
    for expected in ISSUE_EXAMPLES[question](session):
        assert expected in out, f"{expected!r} missing from the answer to {question!r}:\n{out}"
    assert "Noe gikk galt" not in out


def test_ask_prints_plain_text_and_exits_0(cli, session):
    code, out, _ = cli("ask", "status", "PLL", *TODAY)  # words may also come unquoted
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == indicator_title(session, "PLL")
    assert set(lines[1]) == {"═"}
    assert "<" not in out and "*" not in out


def test_not_found_still_exits_0(cli):
    code, out, _ = cli("ask", "status kaffemaskin")
    assert code == 0
    assert out.startswith("Fant ikke «kaffemaskin»")


@pytest.mark.slow
def test_charts_are_saved_only_with_chart_dir(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("ask", "graf PLL", *TODAY)
    assert code == 0
    assert "--chart-dir" in out
    assert list(tmp_path.iterdir()) == []
    charts = tmp_path / "grafer"
    code, out, _ = cli("ask", "graf PLL", "--chart-dir", str(charts), *TODAY)
    assert code == 0
    png = charts / "pll.png"
    assert png.read_bytes().startswith(b"\x89PNG")
    assert str(png) in out


@pytest.mark.slow
def test_ask_as_a_user_uses_the_users_role(cli, tmp_path):
    code, out, _ = cli("ask", "toppnotat 40/25")
    assert "Ikke tilgang" in out
    assert cli("access", "grant", "U_STAFF", "staff")[0] == 0
    code, out, _ = cli("ask", "--as", "U_STAFF", "toppnotat 40/25", "--chart-dir", str(tmp_path))
    assert code == 0
    assert "Toppnotat: sak 40/25" in out
    assert (tmp_path / "toppnotat-nuit-40-25.docx").read_bytes().startswith(b"PK")
    code, out, _ = cli("audit", "--action", "toppnotat")
    assert "denied" in out


def test_ask_in_english(cli):
    code, out, _ = cli("ask", "status PLL", *TODAY, RADSBOT_LANGUAGE="en")
    assert code == 0
    assert "Latest value" in out and "Siste verdi" not in out


def test_ask_rejects_a_bad_date(cli):
    code, _, err = cli("ask", "status PLL", "--today", "22.11.2026")
    assert code == 2
    assert "Ugyldig kommando" in err


def run_chat(cli, monkeypatch, typed: str, *args: str) -> tuple[int, str]:
    """Run `radsbot chat` with `typed` as the keyboard input."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    code, out, err = cli("chat", *args)
    assert not err
    return code, out


def test_chat_answers_until_exit(cli, session, monkeypatch):
    code, out = run_chat(cli, monkeypatch, "status PLL\n\nneste møte i NUIT\nexit\nstatus TILLIT\n", *TODAY)
    assert code == 0
    assert out.startswith("Rådsbot – spør om status")
    assert indicator_title(session, "PLL") in out
    assert next_meeting(session, "nuit").number in out
    assert indicator_title(session, "TILLIT") not in out  # typed after "exit"
    assert out.rstrip().endswith("Ha det!")


@pytest.mark.parametrize("leave", ["avslutt", "quit", "EXIT"])
def test_chat_leave_words(cli, monkeypatch, leave):
    code, out = run_chat(cli, monkeypatch, f"{leave}\nstatus PLL\n")
    assert code == 0
    assert "Siste verdi" not in out


def test_chat_leaves_on_end_of_input(cli, monkeypatch):
    code, out = run_chat(cli, monkeypatch, "hjelp\n")
    assert code == 0
    assert "Dette kan du spørre Rådsbot om" in out
    assert out.rstrip().endswith("Ha det!")


def radsbot_executable() -> list[str]:
    """The installed console script, or the same entry point through the interpreter."""
    script = Path(sys.executable).with_name("radsbot")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from radsbot.bot.cli import main; sys.exit(main())"]


@pytest.mark.slow
def test_radsbot_ask_as_a_real_process(db_url, session, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RADSBOT_", "SLACK_", "DATABASE_URL"))}
    env["DATABASE_URL"] = db_url
    result = subprocess.run(
        [*radsbot_executable(), "ask", "hvordan går det med velferdsteknologi?", *TODAY],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(indicator_title(session, "VFT"))
    assert "Vurdering" in result.stdout


@pytest.mark.slow
def test_the_launcher_leaves_the_garbage_collector_on_for_the_command():
    """`radsbot` loads with the collector off (cold start) but runs every command with it on."""
    code = (
        "import gc, sys\n"
        "import radsbot.bot.cli\n"
        "seen = []\n"
        "probe = __import__('click').command('probe')(lambda: seen.append(gc.isenabled()))\n"
        "radsbot.bot.cli.cli.add_command(probe)\n"
        "sys.argv = ['radsbot', 'probe']\n"
        "from radsbot.bot.launcher import main\n"
        "main()\n"
        "print(seen, gc.isenabled())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[True] True"


def test_chart_dir_never_writes_through_a_link(cli, tmp_path):
    """A link planted where the chart goes is refused; the file it points at is untouched."""
    victim = tmp_path / "victim.txt"
    victim.write_text("uendret")
    charts = tmp_path / "grafer"
    charts.mkdir()
    (charts / "pll.png").symlink_to(victim)
    code, _out, err = cli("ask", "graf PLL", "--chart-dir", str(charts), *TODAY)
    assert code != 0 and "lenke" in err
    assert victim.read_text() == "uendret"
    assert "Traceback" not in err
