"""`radsbot digest` in-process: files written, errors in Norwegian, and the meeting look-up."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from PIL import Image
from radsbot.bot.bootstrap import bootstrap
from radsbot.bot.cli import main
from radsbot.bot.settings import Settings
from radsbot.data import queries
from radsbot.data.access import audit_entries
from radsbot.data.councils import council_by_name
from radsbot.data.db import session_factory
from radsbot.data.meeting_refs import MeetingNotFound, resolve_meeting
from radsbot.data.models import Council, Meeting
from sqlalchemy import select, update

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=ZoneInfo("Europe/Oslo"))
TODAY = NOW.date()


@pytest.fixture
def run(db_url):
    """Run `radsbot …` in-process on this test's database on 22 November 2026; returns the exit code."""

    def invoke(*args: str) -> int:
        context = bootstrap(Settings(database_url=db_url))
        with time_machine.travel(NOW, tick=False):
            return main(list(args), obj=context)

    return invoke


@pytest.mark.slow
def test_digest_writes_document_word_file_and_one_chart_per_goal(run, db_url, tmp_path, capsys):
    out = tmp_path / "sammendrag"
    assert run("digest", "--council", "nuit", "--out", str(out), "--as", "ola") == 0
    err = capsys.readouterr().err
    assert "Tegner graf 1/8:" in err and "Tegner graf 8/8:" in err and "Ferdig:" in err
    (markdown,) = out.glob("*.md")
    (word,) = out.glob("*.docx")
    pngs = sorted(out.glob("*.png"))
    assert len(pngs) >= 8
    for png in pngs:
        with Image.open(png) as image:
            assert image.format == "PNG"
            width, height = image.size
            assert 400 <= width <= 2000 and 300 <= height <= 3000
    text = markdown.read_text(encoding="utf-8")
    assert text.startswith("# Status nasjonal e-helsestrategi — ")
    for png in pngs:
        assert f"]({png.name})" in text  # the document links every chart

    import docx

    document = docx.Document(io.BytesIO(word.read_bytes()))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert titles == [text.splitlines()[0][2:]]
    assert "Oversikt over alle mål" in headings
    assert sum(h.startswith("Mål ") for h in headings) == 5
    assert "Overordnet status" in headings and "Utvalgte indikatorer" in headings
    assert len(document.inline_shapes) == len(pngs)
    overview = document.tables[0]
    assert overview.rows[0].cells[1].text == "Nådd" and overview.rows[-1].cells[0].text == "Totalt"
    assert len(overview.rows) == 1 + 8 + 1
    context = bootstrap(Settings(database_url=db_url))
    with context.sessions() as s:
        (entry,) = audit_entries(s, action="digest")
        assert entry.target == "nuit" and entry.details["out"] == str(out) and entry.actor == "ola"
    context.close()


def test_unknown_council_lists_the_valid_ones_and_writes_nothing(run, tmp_path, capsys):
    out = tmp_path / "ut"
    assert run("digest", "--council", "rådet som ikke finnes", "--out", str(out)) != 0
    err = capsys.readouterr().err
    assert "Ukjent råd «rådet som ikke finnes»" in err
    for code in ("nuit", "nufa", "ehelseradet"):
        assert code in err
    assert not out.exists()


def test_unknown_meeting_lists_the_valid_ones_and_writes_nothing(run, tmp_path, capsys):
    out = tmp_path / "ut"
    assert run("digest", "--council", "NUIT", "--meeting", "9/2031", "--out", str(out)) != 0
    err = capsys.readouterr().err
    assert "Fant ikke møte 9/2031 i Porteføljerådet" in err and "Gyldige møter:" in err
    assert not out.exists()


@pytest.mark.slow
def test_next_with_no_meeting_planned_covers_the_current_quarter(run, db_url, tmp_path, capsys):
    context = bootstrap(Settings(database_url=db_url))
    with session_factory(context.database).begin() as s:
        council = council_by_name(s, "ehelseradet")
        s.execute(update(Meeting).where(Meeting.council_id == council.id).values(status="cancelled"))
    context.close()
    out = tmp_path / "ut"
    assert run("digest", "--council", "Nasjonalt e-helseråd", "--meeting", "next", "--out", str(out)) == 0
    err = capsys.readouterr().err
    assert "har ikke noe planlagt møte" in err
    (markdown,) = out.glob("*.md")
    assert markdown.name == "sammendrag-ehelseradet-2026-Q4.md"
    assert markdown.read_text(encoding="utf-8").startswith(
        "# Status nasjonal e-helsestrategi — 4. kvartal 2026\n"
    )


def test_out_is_required_until_posting_exists(run, capsys):
    assert run("digest", "--council", "nuit") == 2
    assert "--out" in capsys.readouterr().err


def test_meeting_by_number_date_id_and_next(session):
    council = Council(code="testrad", name="Testrådet", short_name="Testrådet")
    session.add(council)
    session.flush()
    held = Meeting(council_id=council.id, number="4/2025", date=dt.date(2025, 11, 20), status="held")
    planned = Meeting(council_id=council.id, number="1/2027", date=dt.date(2027, 2, 11), status="planned")
    gone = Meeting(council_id=council.id, number="2/2027", date=dt.date(2027, 5, 6), status="cancelled")
    session.add_all([held, planned, gone])
    session.flush()
    assert resolve_meeting(session, council, "4/2025", TODAY) is held
    assert resolve_meeting(session, council, "4/25", TODAY) is held
    assert resolve_meeting(session, council, "2025-11-20", TODAY) is held
    assert resolve_meeting(session, council, "20.11.2025", TODAY) is held
    assert resolve_meeting(session, council, str(planned.id), TODAY) is planned
    assert resolve_meeting(session, council, "next", TODAY) is planned
    assert resolve_meeting(session, council, "neste", dt.date(2027, 3, 1)) is None
    with pytest.raises(MeetingNotFound, match="avlyst"):
        resolve_meeting(session, council, "2/2027", TODAY)
    with pytest.raises(MeetingNotFound, match=r"Gyldige møter: 4/2025 \(20\.11\.2025\), 1/2027"):
        resolve_meeting(session, council, "3/2026", TODAY)
    # Another council's meeting id is not this council's meeting.
    other = session.scalar(select(Meeting).where(Meeting.council_id != council.id).limit(1))
    with pytest.raises(MeetingNotFound):
        resolve_meeting(session, council, str(other.id), TODAY)
    assert queries.next_meeting(session, council.id, TODAY) is planned


def test_a_council_without_meetings_says_so(session):
    council = Council(code="tomt", name="Det tomme rådet", short_name="Tområdet")
    session.add(council)
    session.flush()
    with pytest.raises(MeetingNotFound, match="Tområdet har ingen møter registrert") as caught:
        resolve_meeting(session, council, "1/2026", TODAY)
    assert caught.value.known == ()
    assert resolve_meeting(session, council, "neste", TODAY) is None
