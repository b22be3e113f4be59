"""Hostile values for every stored field: refused with a Norwegian reason on SQLite and PostgreSQL alike.

Each attack runs on the suite's database and on PostgreSQL (which refuses what SQLite stores:
over-long texts, NUL), so that both give the same answer and neither a traceback.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click
import pytest
import yaml
from radsbot.bot.bootstrap import Context
from radsbot.bot.cli import cli as root_group
from radsbot.bot.cli import main
from radsbot.bot.settings import Settings
from radsbot.data.access import audit
from radsbot.data.councils import CouncilError, update_council
from radsbot.data.db import make_engine, session_factory, transaction
from radsbot.data.fields import QUOTE_CHARS, FieldError, max_length
from radsbot.data.importer import import_file
from radsbot.data.models import (
    AuditLog,
    Case,
    Council,
    CouncilDestination,
    ImportBatch,
    Measurement,
    Meeting,
    User,
)
from sqlalchemy import func, select

from tests.channels import slack_channel

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"


@pytest.fixture(params=["suite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request) -> str:
    """A fresh seeded database: the suite's own, and PostgreSQL."""
    return request.getfixturevalue("db_url" if request.param == "suite" else "pg_db_url")


@pytest.fixture
def sessions(url):
    engine = make_engine(url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def run(url, capsys):
    """`radsbot ARGS…` in-process on `url`: (exit code, stdout, stderr)."""
    context = Context(Settings(DATABASE_URL=url))

    def call(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(args), obj=context)
        out = capsys.readouterr()
        return code, out.out, out.err

    yield call
    context.close()


def rows_of(sessions, *models) -> tuple[int, ...]:
    with sessions() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in models)


def assert_no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text and "sqlalchemy" not in text.lower() and "psycopg" not in text


# --- imports -----------------------------------------------------------------------------------

IMPORT_ATTACKS = {
    "kildedokument too long": ({"kildedokument": "d" * 81}, "kildedokument", "for lang: 81 tegn"),
    "fordeling too long": ({"fordeling": "r" * 61, "gruppe": "Helse Vest"}, "fordeling", "høyst 60"),
    "gruppe too long": ({"fordeling": "region", "gruppe": "g" * 121}, "gruppe", "høyst 120"),
    "NUL in merknad": ({"merknad": "før\x00etter"}, "merknad", "NUL-tegnet"),
    "escape in merknad": ({"merknad": "\x1b[31mrødt"}, "merknad", "styretegn (ESC"),
    "line break in gruppe": ({"fordeling": "region", "gruppe": "Helse\nVest"}, "gruppe", "linjeskift"),
    "direction override in kildedokument": ({"kildedokument": "\u202efdp.exe"}, "kildedokument", "U+202E"),
}


def csv_file(tmp_path: Path, **cells: str) -> Path:
    """A one-row import file for PLL in 2031 with the given optional cells (quoted as Excel does)."""
    columns = ["indikator", "periode", "verdi", "fordeling", "gruppe", "merknad", "kildedokument"]
    row = {"indikator": "PLL", "periode": "2031", "verdi": "41", **cells}
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    path = tmp_path / "maalinger.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


@pytest.mark.parametrize("attack", IMPORT_ATTACKS)
def test_import_refuses_a_cell_its_column_cannot_hold(sessions, tmp_path, attack):
    cells, column, reason = IMPORT_ATTACKS[attack]
    before = rows_of(sessions, Measurement, ImportBatch)
    with transaction(sessions) as session:
        report = import_file(session, csv_file(tmp_path, **cells))
    assert [(e.row, e.column) for e in report.errors] == [(2, column)], report.summary()
    assert reason in report.errors[0].message
    assert rows_of(sessions, Measurement, ImportBatch) == before


def test_import_stores_cells_exactly_at_their_limits(sessions, tmp_path):
    cells = {
        "fordeling": "r" * max_length(Measurement.breakdown),
        "gruppe": "g" * max_length(Measurement.breakdown_value),
        "kildedokument": "d" * max_length(Measurement.source_document),
        "merknad": "første linje\nandre linje\tmed tabulator",
    }
    with transaction(sessions) as session:
        report = import_file(session, csv_file(tmp_path, **cells))
    assert report.ok, report.summary()
    with sessions() as s:
        stored = s.execute(
            select(
                Measurement.breakdown,
                Measurement.breakdown_value,
                Measurement.source_document,
                Measurement.note,
            ).where(Measurement.batch_id == report.batch_id)
        ).one()
    assert tuple(stored) == (cells["fordeling"], cells["gruppe"], cells["kildedokument"], cells["merknad"])


def test_import_actor_too_long_is_refused_before_anything_is_stored(sessions, tmp_path):
    before = rows_of(sessions, Measurement, ImportBatch)
    with pytest.raises(FieldError, match="for lang"), transaction(sessions) as session:
        import_file(session, csv_file(tmp_path), actor="a" * 121)
    assert rows_of(sessions, Measurement, ImportBatch) == before


# --- case and meeting files --------------------------------------------------------------------

CASE_ATTACKS = {
    "tittel": ("t" * 401, "høyst 400"),
    "sakstype": ("s" * 41, "høyst 40"),
    "presentert_av": ("p" * 301, "høyst 300"),
    "sakseier": ("o" * 201, "høyst 200"),
    "møtenavn": ("m" * 121, "høyst 120"),
    "sammendrag": ("før\x00etter", "NUL-tegnet"),
    "bakgrunn": ("\x1b]0;tittel\x07", "styretegn"),
    "saksbehandler": ("Kari\nNordmann", "linjeskift"),
    "vedlegg": (["Vedlegg 1", "Vedlegg\x002"], "element 2"),
    "rekkefølge": (10**12, "for stort tall"),
}
MEETING_ATTACKS = {
    "sted": ("s" * 201, "høyst 200"),
    "merknader": ("\x1b[2J", "styretegn"),
    "medlemmer": (["Kari", "Ola\nNordmann"], "element 2"),
}


def yaml_file(tmp_path: Path, name: str, fields: dict) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(fields, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("key", CASE_ATTACKS)
def test_case_file_field_its_column_cannot_hold_is_named(run, sessions, tmp_path, key):
    value, reason = CASE_ATTACKS[key]
    before = rows_of(sessions, Case, AuditLog)
    for command, number in (("add", "9/31"), ("edit", "41/25")):
        fields = {"råd": "nuit", "saksnummer": number, "tittel": "En sak", key: value}
        code, out, err = run("case", command, str(yaml_file(tmp_path, "sak.yaml", fields)))
        assert code == 1, out
        assert f"  {key}: " in err and reason in err and "Ingenting er endret" in err, err
        assert_no_traceback(out, err)
    assert rows_of(sessions, Case, AuditLog) == before


@pytest.mark.parametrize("key", MEETING_ATTACKS)
def test_meeting_file_field_its_column_cannot_hold_is_named(run, sessions, tmp_path, key):
    value, reason = MEETING_ATTACKS[key]
    before = rows_of(sessions, Meeting, AuditLog)
    fields = {"råd": "nuit", "nummer": "7/2031", "dato": "2031-03-01", key: value}
    code, out, err = run("meeting", "add", str(yaml_file(tmp_path, "mote.yaml", fields)))
    assert code == 1, out
    assert f"  {key}: " in err and reason in err, err
    assert_no_traceback(out, err)
    assert rows_of(sessions, Meeting, AuditLog) == before


# --- council settings, access grants -----------------------------------------------------------


def test_channel_longer_than_its_column_is_refused(run, sessions):
    limit = max_length(CouncilDestination.address)
    longest = "#" + "k" * (limit - 1)
    for option in ("--channel", "--secretariat"):
        code, out, err = run("council", "set", "nuit", option, longest + "x")
        assert code == 1 and "for lang" in err and f"høyst {limit} " in err, err
        assert_no_traceback(out, err)
    assert run("council", "set", "nuit", "--channel", longest)[0] == 0
    with sessions() as s:
        assert slack_channel(s.scalar(select(Council).where(Council.code == "nuit"))) == longest


def test_update_council_checks_channels_against_the_column(sessions):
    with sessions() as s:
        council = s.scalar(select(Council).where(Council.code == "nuit"))
        before = (slack_channel(council), council.digest_hour)
        too_long = "#" + "k" * max_length(CouncilDestination.address)
        with pytest.raises(CouncilError, match="for lang"):
            update_council(s, council, digest_hour=(council.digest_hour + 1) % 24, channel=too_long)
        assert (slack_channel(council), council.digest_hour) == before


GRANT_ATTACKS = {
    "user id too long": (("U" * 100, "staff"), "for lang"),
    "user id with a line break": (("U1\nU2", "staff"), "linjeskift"),
    "name too long": (("U123", "staff", "--name", "n" * 201), "høyst 200"),
}


@pytest.mark.parametrize("attack", GRANT_ATTACKS)
def test_access_grant_refuses_what_the_user_table_cannot_hold(run, sessions, attack):
    args, reason = GRANT_ATTACKS[attack]
    before = rows_of(sessions, User, AuditLog)
    code, out, err = run("access", "grant", *args)
    assert code == 1 and reason in err, err
    assert_no_traceback(out, err)
    assert rows_of(sessions, User, AuditLog) == before
    assert run("access", "grant", "U" * max_length(User.chat_user_id), "staff")[0] == 0


def test_undecodable_bytes_on_the_command_line_are_refused(run):
    """Bytes that are not UTF-8 reach Python as lone surrogates, which PostgreSQL cannot take."""
    code, out, err = run("access", "revoke", "U\udcff")
    assert code == 2 and "UTF-8" in err, err
    assert_no_traceback(out, err)


# --- --as on every command ---------------------------------------------------------------------


def as_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Every command (as its words) that takes --as."""
    found = set()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found |= as_commands(command, (*prefix, name))
        elif any("--as" in p.opts for p in command.params):
            found.add((*prefix, name))
    return found


def as_argv(tmp_path: Path) -> dict[tuple[str, ...], list[str]]:
    """For each command with --as, arguments that would otherwise run it."""
    return {
        ("ask",): ["status PLL"],
        ("chat",): [],
        ("import",): ["--list"],
        ("case", "add"): [str(EXAMPLES / "sak.yaml")],
        ("case", "edit"): [str(EXAMPLES / "sak.yaml")],
        ("meeting", "add"): [str(EXAMPLES / "mote.yaml")],
        ("meeting", "edit"): [str(EXAMPLES / "mote.yaml")],
        ("council", "set"): ["nuit", "--hour", "9"],
        ("toppnotat",): ["41/25", "--council", "nuit", "--out", str(tmp_path / "t.docx")],
        ("innkalling",): ["4/2025", "--council", "nuit", "--out", str(tmp_path / "i.docx")],
        ("digest",): ["--council", "nuit", "--out", str(tmp_path / "digest")],
        ("narrative", "export"): ["--quarter", "2026-Q4", "--out", str(tmp_path / "s.docx")],
        ("narrative", "import"): [str(tmp_path / "s.docx")],
    }


def test_every_command_with_as_is_covered():
    assert as_commands(root_group) == set(as_argv(Path(".")))


@pytest.mark.parametrize("actor", ["a" * 200, "U1\n01.01.2026 00:00  admin  access_grant ok", "U1\x1b[2J"])
def test_as_that_the_audit_log_cannot_hold_is_refused_by_every_command(run, sessions, tmp_path, actor):
    before = rows_of(sessions, AuditLog, Case, Meeting, ImportBatch)
    for words, args in as_argv(tmp_path).items():
        code, out, err = run(*words, *args, "--as", actor)
        assert code == 2, (words, out, err)
        assert "--as" in err and "kan ikke lagres" in err, (words, err)
        assert_no_traceback(out, err)
    assert rows_of(sessions, AuditLog, Case, Meeting, ImportBatch) == before
    assert list(tmp_path.iterdir()) == []


# --- the audit log and the last line of defence -------------------------------------------------


def test_audit_keeps_a_hostile_target_it_can_hold_and_shortens_one_it_cannot(sessions):
    limit = max_length(AuditLog.target)
    with transaction(sessions) as session:
        kept = audit(session, "cli", "toppnotat", target="99/25\nforfalsket linje", outcome="failed")
        cut = audit(session, "cli", "toppnotat", target="9" * (limit + 100), outcome="failed")
        nul = audit(session, "cli", "toppnotat", target="a\x00b", outcome="failed")
    with sessions() as s:
        assert s.get(AuditLog, kept.id).target == "99/25\nforfalsket linje"
        assert s.get(AuditLog, cut.id).target == "9" * (limit - 1) + "…"
        assert s.get(AuditLog, nul.id).target == "a\\x00b"


def test_audit_refuses_an_actor_it_cannot_hold(sessions):
    before = rows_of(sessions, AuditLog)
    for actor in ("a" * 121, "U1\nU2"):
        with pytest.raises(FieldError), transaction(sessions) as session:
            audit(session, actor, "import")
    assert rows_of(sessions, AuditLog) == before


def test_a_value_that_slips_past_the_checks_is_refused_at_flush(sessions):
    """Whatever stores an object through the ORM gets the same refusal on both databases."""
    with sessions() as s:
        council = s.scalar(select(Council).where(Council.code == "nuit"))
        council.destinations[0].address = "#" + "k" * (max_length(CouncilDestination.address) + 1)
        with pytest.raises(FieldError, match=r"council_destination\.address"):
            s.flush()
        s.rollback()
        s.add(Meeting(council_id=council.id, number="1/2040", date=council.meetings[0].date, notes="a\x00"))
        with pytest.raises(FieldError, match="NUL"):
            s.flush()


@pytest.mark.slow
def test_error_messages_quote_at_most_a_documented_length(sessions, tmp_path):
    """A 1 MB cell is quoted by its first QUOTE_CHARS characters, not echoed in full."""
    big = "x" * 1_000_000
    for cells in ({"indikator": big}, {"periode": big}, {"verdi": big}, {"eksempeldata": big}):
        path = tmp_path / "stor.csv"
        header = "indikator,periode,verdi,eksempeldata\n"
        row = {"indikator": "PLL", "periode": "2031", "verdi": "41", "eksempeldata": "nei", **cells}
        path.write_text(header + ",".join(row.values()) + "\n", encoding="utf-8")
        with transaction(sessions) as session:
            report = import_file(session, path)
        assert not report.ok
        assert "x" * QUOTE_CHARS + "…" in report.summary()
        assert len(report.summary()) < 1000, list(cells)
    path.write_text(f"indikator,periode,verdi,{big}\nPLL,2031,41,1\n", encoding="utf-8")
    with transaction(sessions) as session:
        report = import_file(session, path)
    assert "x" * QUOTE_CHARS + "…" in report.summary() and len(report.summary()) < 1000


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("råd: nuit\nsaksnummer: 9/31\ntittel: Bærum\n".encode("latin-1"), "ikke UTF-8"),
        ("råd: nuit\nsaksnummer: 9/31\ntittel: Bærum\n".encode("utf-16-le"), "UTF-16"),
        (b"r\xc3\xa5d: nuit\nsaksnummer: 9/31\ntittel: " + b"x" * 1_000_001 + b"\n", "høyst 1 MB"),
    ],
)
def test_a_case_file_in_another_encoding_or_too_big_is_named(run, sessions, tmp_path, content, reason):
    path = tmp_path / "sak.yaml"
    path.write_bytes(content)
    before = rows_of(sessions, Case, AuditLog)
    code, out, err = run("case", "add", str(path))
    assert code == 1 and reason in err and "Ingenting er endret" in err, err
    assert_no_traceback(out, err)
    assert rows_of(sessions, Case, AuditLog) == before
