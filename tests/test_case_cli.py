"""The CLI in-process: toppnotat, innkalling, and case/meeting add|edit|show against the test database."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from docx_readback import edited_template, open_docx, rows
from radsbot.bot.bootstrap import Context
from radsbot.bot.cli import main
from radsbot.bot.settings import Settings
from radsbot.data.access import audit_entries
from radsbot.data.agenda import find_case
from radsbot.data.agenda_store import case_to_file
from radsbot.data.meeting_refs import find_meeting
from radsbot.data.models import Case, Council, Meeting
from sqlalchemy import func, select
from sqlalchemy.orm import Session

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"


@pytest.fixture
def cli(db_url: str, capsys):
    """Run `radsbot …` in-process on this test's database; returns (exit code, stdout, stderr)."""
    ctx = Context(Settings(DATABASE_URL=db_url))

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv), obj=ctx)
        out, err = capsys.readouterr()
        return code, out, err

    yield run
    ctx.close()


def write(tmp_path: Path, name: str, text: str) -> Path:
    """A case or meeting file."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def count(session: Session, model) -> int:
    """Rows of a table, read afresh."""
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


@pytest.mark.slow
def test_toppnotat_writes_the_case_paper_and_audits_it(cli, session: Session, tmp_path):
    out = tmp_path / "notat.docx"
    code, stdout, _ = cli("toppnotat", "41/25", "--council", "nuit", "--out", str(out), "--as", "U123")
    assert code == 0, stdout
    assert "41/25" in stdout and str(out) in stdout
    case = find_case(session, "41/25", "nuit")
    doc = open_docx(out.read_bytes())
    assert doc.paragraphs[0].text == case.title
    assert rows(doc.tables[0])[2] == ["Saksnummer", "41/25"]
    entry = audit_entries(session, limit=1, action="toppnotat")[0]
    assert (entry.actor, entry.target, entry.outcome) == ("U123", "nuit 41/25", "ok")
    assert [p.name for p in tmp_path.iterdir()] == ["notat.docx"]


def test_unknown_case_number_exits_nonzero_and_writes_nothing(cli, session: Session, tmp_path):
    out = tmp_path / "notat.docx"
    code, _, stderr = cli("toppnotat", "99/25", "--out", str(out))
    assert code == 1
    assert "Fant ingen sak med nummer 99/25" in stderr
    assert list(tmp_path.iterdir()) == []
    assert audit_entries(session, limit=1, action="toppnotat")[0].outcome == "failed"
    code, _, stderr = cli("toppnotat", "sak nittini", "--out", str(out))
    assert code == 1 and "er ikke et saksnummer" in stderr


def test_case_number_in_several_councils_asks_for_council(cli, session: Session, tmp_path):
    other = session.scalars(select(Council).where(Council.code != "nuit").order_by(Council.code)).first()
    if session.scalar(select(Case).where(Case.council_id == other.id, Case.number == "41/25")) is None:
        session.add(Case(council_id=other.id, number="41/25", title="Samme nummer i et annet råd"))
        session.commit()
    out = tmp_path / "notat.docx"
    code, _, stderr = cli("toppnotat", "41/25", "--out", str(out))
    assert code == 1
    assert "finnes i flere råd" in stderr
    assert "--council nuit" in stderr and f"--council {other.code}" in stderr
    assert not out.exists()


@pytest.mark.slow
def test_misspelt_template_fails_cleanly_and_keeps_an_old_file(cli, tmp_path):
    custom = edited_template(tmp_path, "toppnotat.docx", {"{{ sak.tittel }}": "{{ sak.titel }}"})
    out = tmp_path / "notat.docx"
    out.write_bytes(b"old")
    code, _, stderr = cli(
        "toppnotat", "41/25", "--council", "nuit", "--out", str(out), "--template", str(custom)
    )
    assert code == 1
    assert "Ukjent felt «sak.titel». Mente du «sak.tittel»?" in stderr
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [custom.name, "notat.docx"]


@pytest.mark.slow
def test_missing_template_and_wrong_suffix_are_explained(cli, tmp_path):
    code, _, stderr = cli(
        "toppnotat",
        "41/25",
        "--council",
        "nuit",
        "--out",
        str(tmp_path / "n.docx"),
        "--template",
        str(tmp_path / "finnes-ikke.docx"),
    )
    assert code == 1 and "Filen finnes ikke" in stderr
    code, _, stderr = cli("toppnotat", "41/25", "--council", "nuit", "--out", str(tmp_path / "n.pdf"))
    assert code == 2 and "--out må være en .docx-fil" in stderr
    code, _, stderr = cli(
        "toppnotat", "41/25", "--council", "nuit", "--out", str(tmp_path / "mangler" / "n.docx")
    )
    assert code == 1 and "finnes ikke" in stderr and "mangler" in stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_innkalling_by_number_date_and_next(cli, session: Session, tmp_path):
    meeting = find_meeting(session, "4/2025", "nuit")
    for i, text in enumerate(("4/2025", "20.11.2025", "2025-11-20")):
        out = tmp_path / f"innkalling-{i}.docx"
        code, stdout, stderr = cli("innkalling", text, "--council", "nuit", "--out", str(out))
        assert code == 0, stderr
        agenda = rows(open_docx(out.read_bytes()).tables[1])
        assert [r[0] for r in agenda[1:-1]] == [c.number for c in meeting.cases]
    code, stdout, stderr = cli(
        "innkalling", "neste", "--council", "nuit", "--out", str(tmp_path / "neste.docx")
    )
    assert code == 0, stderr
    assert "Innkalling til" in stdout
    code, _, stderr = cli("innkalling", "7/1999", "--council", "nuit", "--out", str(tmp_path / "x.docx"))
    assert code == 1 and "Fant ikke møte 7/1999" in stderr
    assert not (tmp_path / "x.docx").exists()
    assert audit_entries(session, limit=1, action="innkalling")[0].outcome == "failed"


MEETING = """\
    råd: Porteføljerådet
    nummer: 3/2031
    dato: 13.03.2031
    start: 10:00
    slutt: "15:30"
    sted: Oslo
    status: planlagt
    medlemmer:
      - Representant A
      - Representant B
    """

CASE = """\
    råd: nuit
    saksnummer: 9/31
    tittel: Prøvesak om indikatorer
    møte: 3/2031
    sakstype: Drøfting
    tidspunkt: "11:00"
    sakseier: Helsedirektoratet
    saksbehandler: Sekretariatet
    temaer: [testtema]
    viser_til: [41/25]
    vedlegg: [Vedlegg A]
    forslag_til_vedtak: Rådet drøftet saken.
    bakgrunn: |
      Første avsnitt.
      • Et punkt
    """


@pytest.mark.slow
def test_meeting_and_case_add_then_toppnotat(cli, session: Session, tmp_path):
    code, _, stderr = cli("meeting", "add", str(write(tmp_path, "mote.yaml", MEETING)), "--as", "U1")
    assert code == 0, stderr
    meeting = find_meeting(session, "3/2031", "nuit")
    assert (meeting.start_time, meeting.end_time, meeting.members) == (
        "10:00",
        "15:30",
        ["Representant A", "Representant B"],
    )
    code, _, stderr = cli("case", "add", str(write(tmp_path, "sak.yaml", CASE)), "--as", "U1")
    assert code == 0, stderr
    case = find_case(session, "9/31", "nuit")
    assert case.meeting_id == meeting.id
    assert case.background == "Første avsnitt.\n• Et punkt"
    assert [c.number for c in case.cites] == ["41/25"]
    assert [e.action for e in audit_entries(session, limit=2)] == ["case_add", "meeting_add"]
    out = tmp_path / "notat.docx"
    code, _, stderr = cli("toppnotat", "9/31", "--council", "nuit", "--out", str(out))
    assert code == 0, stderr
    assert rows(open_docx(out.read_bytes()).tables[0])[:3] == [
        ["Til", "Møte 3/31"],
        ["Dato", "13.03.2031"],
        ["Saksnummer", "9/31"],
    ]


@pytest.mark.slow
def test_case_edit_changes_only_the_given_fields(cli, session: Session, tmp_path):
    before = case_to_file(find_case(session, "41/25", "nuit"))
    edit = write(tmp_path, "edit.yaml", "råd: nuit\nsaksnummer: 41/25\nsakseier: Ny Eier\ntemaer: [a, b]\n")
    code, stdout, stderr = cli("case", "edit", str(edit))
    assert code == 0, stderr
    assert "endret (2 felt)" in stdout
    session.expire_all()
    after = case_to_file(find_case(session, "41/25", "nuit"))
    assert after["sakseier"] == "Ny Eier" and after["temaer"] == ["a", "b"]
    assert {k: v for k, v in after.items() if k not in ("sakseier", "temaer")} == {
        k: v for k, v in before.items() if k not in ("sakseier", "temaer")
    }


@pytest.mark.slow
def test_show_yaml_round_trips_through_edit(cli, session: Session, tmp_path):
    code, dumped, _ = cli("case", "show", "40/25", "--council", "nuit", "--format", "yaml")
    assert code == 0
    before = case_to_file(find_case(session, "40/25", "nuit"))
    code, _, stderr = cli("case", "edit", str(write(tmp_path, "sak.yaml", dumped)))
    assert code == 0, stderr
    session.expire_all()
    assert case_to_file(find_case(session, "40/25", "nuit")) == before
    code, dumped, _ = cli("meeting", "show", "4/2025", "--council", "nuit", "--format", "yaml")
    code, _, stderr = cli("meeting", "edit", str(write(tmp_path, "mote.yaml", dumped)))
    assert code == 0, stderr
    code, text, _ = cli("meeting", "show", "4/2025", "--council", "nuit")
    assert "Møte 4/2025" in text and "41/25" in text


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"råd: nuit": "råd: nuitt"}, "råd", "Ukjent råd «nuitt»"),
        ({'tidspunkt: "11:00"': "tidspunkt: 25:61"}, "tidspunkt", "er ikke et klokkeslett"),
        ({"viser_til: [41/25]": "viser_til: [98/25]"}, "viser_til[1]", "Fant ingen sak med nummer 98/25"),
        ({"temaer: [testtema]": "indikatorer: [FINNESIKKE]"}, "indikatorer[1]", "fant ingen indikator"),
        ({"saksnummer: 9/31": "saksnummer: 41/25"}, "saksnummer", "finnes allerede"),
        ({"tittel:": "titel:"}, "titel", "Mente du «tittel»?"),
        ({"møte: 3/2031": "møte: 8/2031"}, "møte", "fant ikke møte 8/2031"),
    ],
)
def test_bad_case_files_are_refused_and_nothing_changes(
    cli, session: Session, tmp_path, change, field, message
):
    assert cli("meeting", "add", str(write(tmp_path, "mote.yaml", MEETING)))[0] == 0
    text = textwrap.dedent(CASE)
    for old, new in change.items():
        text = text.replace(old, new)
    before = (count(session, Case), case_to_file(find_case(session, "41/25", "nuit")))
    code, _, stderr = cli("case", "add", str(write(tmp_path, "sak.yaml", text)))
    assert code == 1
    assert f"  {field}: " in stderr and message in stderr, stderr
    assert "Ingenting er endret" in stderr
    session.expire_all()
    assert (count(session, Case), case_to_file(find_case(session, "41/25", "nuit"))) == before


def test_bad_meeting_file_lists_every_problem(cli, session: Session, tmp_path):
    bad = write(tmp_path, "mote.yaml", "råd: nuit\nnummer: fire\ndato: 31.02.2031\nstatus: kanskje\n")
    before = count(session, Meeting)
    code, _, stderr = cli("meeting", "add", str(bad))
    assert code == 1
    for field in ("nummer", "dato", "status"):
        assert f"  {field}: " in stderr
    assert "planlagt, avholdt eller avlyst" in stderr
    assert count(session, Meeting) == before


@pytest.mark.slow
def test_markdown_case_file_sections_become_paragraphs(cli, session: Session, tmp_path):
    assert cli("meeting", "add", str(write(tmp_path, "mote.yaml", MEETING)))[0] == 0
    md = write(
        tmp_path,
        "sak.md",
        """\
        ---
        råd: nuit
        saksnummer: 10/31
        tittel: Markdown-sak
        møte: 3/2031
        ---

        ## Bakgrunn

        Et avsnitt som er brukket
        over to linjer.

        - første punkt
        - andre punkt
          fortsetter her

        ## Forslag til vedtak

        Rådet tar saken til orientering.
        """,
    )
    code, _, stderr = cli("case", "add", str(md))
    assert code == 0, stderr
    case = find_case(session, "10/31", "nuit")
    assert (
        case.background
        == "Et avsnitt som er brukket over to linjer.\n• første punkt\n• andre punkt fortsetter her"
    )
    assert case.proposed_decision == "Rådet tar saken til orientering."
    bad = write(
        tmp_path, "feil.md", "---\nråd: nuit\nsaksnummer: 11/31\ntittel: X\n---\n## Bakgrunnen\nTekst\n"
    )
    code, _, stderr = cli("case", "add", str(bad))
    assert code == 1 and "Ukjent overskrift «Bakgrunnen»" in stderr


@pytest.mark.slow
def test_example_files_are_valid_and_load(cli, session: Session, tmp_path):
    for name in ("mote.yaml", "sak.yaml", "sak.md"):
        command = "meeting" if name.startswith("mote") else "case"
        code, _, stderr = cli(command, "add", str(EXAMPLES / name))
        assert code == 0, stderr
    out = tmp_path / "eksempel.docx"
    code, _, stderr = cli("toppnotat", "2/28", "--council", "nuit", "--out", str(out))
    assert code == 0, stderr
    code, _, stderr = cli("innkalling", "1/2028", "--council", "nuit", "--out", str(tmp_path / "i.docx"))
    assert code == 0, stderr
    agenda = rows(open_docx((tmp_path / "i.docx").read_bytes()).tables[1])
    assert [r[0] for r in agenda[1:-1]] == ["2/28", "3/28"]
