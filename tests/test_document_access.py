"""Universal design in the Word documents: language marks, image descriptions, header rows, titles,
and the tagged PDF that `--pdf` writes next to them."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import stat
import time
import zipfile
from pathlib import Path

import pytest
from docx_readback import open_docx
from radsbot.data.agenda import find_case
from radsbot.data.meeting_refs import find_meeting
from radsbot.data.models import Council, Indicator
from radsbot.reports.chart_text import chart_text
from radsbot.reports.digest import build_digest
from radsbot.reports.digest_docx import to_docx
from radsbot.reports.innkalling import innkalling_docx
from radsbot.reports.pdf import PdfProblem, tagged_pdf
from radsbot.reports.status import GoalStatus, indicator_status
from radsbot.reports.toppnotat import chart_subject, linked_statuses, toppnotat_docx
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.fakes.engine import tiny_png

TODAY = dt.date(2026, 11, 22)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LANG = re.compile(rb'<w:lang\b[^>]*\bw:val="([^"]+)"')


def language_marks(docx: bytes) -> dict[str, set[str]]:
    """Every w:lang value in every XML part of a .docx, by part name."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        marks = {name: {m.decode() for m in LANG.findall(z.read(name))} for name in z.namelist()}
    return {name: found for name, found in marks.items() if found}


def descriptions(docx: bytes) -> list[str]:
    """The text alternatives of the document's pictures, in order ("" for a picture without one)."""
    doc = open_docx(docx)
    return [p.get("descr", "") for p in doc.element.body.iter("{*}docPr")]


def header_rows(docx: bytes) -> list[bool]:
    """For each table, whether its first row is marked as a header row (repeated on each page)."""
    doc = open_docx(docx)
    return [t.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None for t in doc.tables]


def assert_marked(docx: bytes, tag: str) -> None:
    """The document says `tag` in its properties, its default style and everywhere else."""
    doc = open_docx(docx)
    assert doc.core_properties.language == tag
    marks = language_marks(docx)
    assert marks.get("word/styles.xml") == {tag}, marks  # the default every run inherits
    assert all(found == {tag} for found in marks.values()), marks


@pytest.fixture
def pll_case(session: Session):
    """Case 41/25 of NUIT, linked to PLL only (one indicator: one chart of one series)."""
    case = find_case(session, "41/25", "nuit")
    case.indicators = [session.scalars(select(Indicator).where(Indicator.code == "PLL")).one()]
    session.flush()
    return case


@pytest.mark.slow
def test_case_paper_is_bokmål_throughout_with_title_and_described_chart(session: Session, pll_case):
    data = toppnotat_docx(session, pll_case, today=TODAY)
    assert_marked(data, "nb-NO")
    assert open_docx(data).core_properties.title == f"Toppnotat 41/25: {pll_case.title}"
    status = indicator_status(session, pll_case.indicators[0], TODAY)
    expected = chart_text(status, "nb").full
    assert descriptions(data) == [expected]
    assert expected.startswith("Pasientens legemiddelliste (PLL) har")
    # The indicator table and the previous decisions table repeat their header rows.
    assert open_docx(data).tables and sum(header_rows(data)) >= 1


@pytest.mark.slow
def test_english_case_paper_is_marked_english(session: Session, pll_case):
    data = toppnotat_docx(session, pll_case, today=TODAY, lang="en")
    assert_marked(data, "en-GB")
    (description,) = descriptions(data)
    assert description == chart_text(indicator_status(session, pll_case.indicators[0], TODAY), "en").full


@pytest.mark.slow
def test_a_chart_of_several_indicators_is_described_panel_by_panel(session: Session, pll_case):
    dho = session.scalars(select(Indicator).where(Indicator.code == "DHO")).one()
    pll_case.indicators = [*pll_case.indicators, dho]
    session.flush()
    subject = chart_subject(linked_statuses(session, pll_case, TODAY), pll_case)
    assert isinstance(subject, GoalStatus)
    (description,) = descriptions(toppnotat_docx(session, pll_case, today=TODAY))
    assert description == chart_text(subject, "nb").full
    # DHO is drawn as its parts: PLL and DHO's two parts, one sentence each.
    assert "3 indikatorer" in description and "(PLL)" in description and "(DHO_SPESIALIST)" in description


@pytest.mark.slow
def test_hostile_stored_names_cannot_break_the_document_through_a_description(session: Session, pll_case):
    hostile = 'PLL "/><w:t>x</w:t> & <script>'
    pll_case.indicators[0].short_name = hostile
    session.flush()
    (description,) = descriptions(toppnotat_docx(session, pll_case, today=TODAY))
    assert description.startswith(f"{hostile} (PLL) har")


@pytest.mark.slow
def test_custom_template_edited_in_english_word_is_marked_again(session: Session, pll_case, tmp_path):
    from docx_readback import edited_template
    from radsbot.reports.document_access import mark_language

    template = edited_template(tmp_path, "toppnotat.docx", {})
    from docx import Document

    doc = Document(str(template))
    mark_language(doc, "en")  # as a template saved by an English-language Word would be
    doc.core_properties.title = "Mal for notater"  # left over from the document it was made from
    doc.save(str(template))
    assert "en-GB" in language_marks(template.read_bytes())["word/styles.xml"]
    data = toppnotat_docx(session, pll_case, today=TODAY, template=template)
    assert_marked(data, "nb-NO")
    assert open_docx(data).core_properties.title == f"Toppnotat 41/25: {pll_case.title}"


@pytest.mark.slow
def test_a_long_case_title_is_cut_at_a_word_to_fit_the_document_title(session: Session, pll_case):
    pll_case.title = ("Et langt saksnavn " * 20).strip()  # 359 characters: stored, but too long for a title
    session.flush()
    title = open_docx(toppnotat_docx(session, pll_case, today=TODAY, chart=False)).core_properties.title
    full = f"Toppnotat 41/25: {pll_case.title}"
    assert len(title) <= 255 and title.endswith("…")
    assert full.startswith(title[:-1]) and full[len(title) - 1] == " "  # cut between two words


@pytest.mark.slow
def test_a_title_made_by_template_code_is_kept(session: Session, pll_case, tmp_path):
    from docx import Document
    from docx_readback import edited_template

    template = edited_template(tmp_path, "toppnotat.docx", {})
    doc = Document(str(template))
    doc.core_properties.title = "Notat om {{ sak.saksnummer }}"
    doc.save(str(template))
    data = toppnotat_docx(session, pll_case, today=TODAY, template=template)
    assert open_docx(data).core_properties.title == "Notat om 41/25"


def test_notice_is_bokmål_with_its_title(session: Session):
    meeting = find_meeting(session, "4/2025", "nuit")
    data = innkalling_docx(meeting, today=TODAY)
    assert_marked(data, "nb-NO")
    title = f"Innkalling til møte 4/2025 i {meeting.council.short_name}"
    assert open_docx(data).core_properties.title == title


@pytest.mark.slow
def test_digest_document_has_language_headings_header_rows_and_described_charts(session: Session):
    council = session.scalars(select(Council).where(Council.code == "nuit")).one()
    digest = build_digest(session, council, None, today=TODAY)
    data = to_docx(digest, {goal.chart_filename: tiny_png() for goal in digest.goals})
    assert_marked(data, "nb-NO")
    assert open_docx(data).core_properties.title == digest.title
    assert descriptions(data) == [chart_text(goal.status, "nb").full for goal in digest.goals]
    assert all(header_rows(data)) and len(header_rows(data)) > len(digest.goals)
    styles = [p.style.name for p in open_docx(data).paragraphs]
    assert styles.count("Heading 1") == len(digest.goals) + 1  # the overview, then one per goal


# -- tagged PDF --------------------------------------------------------------------------------


def pdf_catalog(pdf: bytes):
    """The PDF's document catalogue (pypdf)."""
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(pdf)).trailer["/Root"]


def alt_texts(node, found: list[str]) -> list[str]:
    """Every /Alt in a structure tree, depth first."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if isinstance(node, IndirectObject):
        node = node.get_object()
    if isinstance(node, DictionaryObject):
        if "/Alt" in node:
            found.append(str(node["/Alt"]))
        alt_texts(node.get("/K"), found)
    elif isinstance(node, ArrayObject):
        for child in node:
            alt_texts(child, found)
    return found


@pytest.mark.pdf
@pytest.mark.slow
def test_toppnotat_pdf_is_tagged_bokmål_with_the_charts_description(cli, session: Session, tmp_path):
    out = tmp_path / "notat.docx"
    code, stdout, _ = cli("toppnotat", "40/25", "--council", "nuit", "--out", str(out), "--pdf")
    assert code == 0, stdout
    assert str(out.with_suffix(".pdf")) in stdout
    catalog = pdf_catalog(out.with_suffix(".pdf").read_bytes())
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True
    assert catalog["/Lang"] == "nb-NO"
    assert "/StructTreeRoot" in catalog
    # 40/25 is linked to five indicators in the seed: its chart's description is in the PDF too.
    (described,) = descriptions(out.read_bytes())
    assert described.startswith("Graf over") and alt_texts(catalog["/StructTreeRoot"], []) == [described]


@pytest.mark.pdf
@pytest.mark.slow
def test_digest_and_notice_pdfs_are_tagged(cli, tmp_path):
    code, _, _ = cli("innkalling", "4/2025", "--council", "nuit", "--out", str(tmp_path / "i.docx"), "--pdf")
    assert code == 0
    assert pdf_catalog((tmp_path / "i.pdf").read_bytes())["/Lang"] == "nb-NO"
    code, _, _ = cli(
        "digest", "--council", "nuit", "--out", str(tmp_path / "d"), "--pdf", RADSBOT_LANGUAGE="en"
    )
    assert code == 0
    (pdf,) = (tmp_path / "d").glob("*.pdf")
    catalog = pdf_catalog(pdf.read_bytes())
    assert catalog["/Lang"] == "en-GB" and "/StructTreeRoot" in catalog
    assert len(alt_texts(catalog["/StructTreeRoot"], [])) == len(list((tmp_path / "d").glob("*.png")))


def fake_soffice(folder: Path, script: str) -> Path:
    """A stand-in `soffice` on PATH (a real program: a shell script)."""
    folder.mkdir(exist_ok=True)
    program = folder / "soffice"
    program.write_text("#!/bin/sh\n" + script)
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    return folder


def test_without_libreoffice_pdf_says_what_to_install_and_writes_nothing(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "notat.docx"
    code, _, err = cli("toppnotat", "41/25", "--council", "nuit", "--out", str(out), "--pdf")
    assert code != 0
    assert "LibreOffice trengs for å skrive PDF-en" in err and "utelat --pdf" in err
    assert "Traceback" not in err
    assert list(tmp_path.glob("notat*")) == []


@pytest.mark.slow
def test_a_libreoffice_that_hangs_is_stopped_at_the_limit(tmp_path, monkeypatch):
    marker = tmp_path / "still-running"
    folder = fake_soffice(tmp_path / "bin", f"sleep 2; touch {marker}\n")
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(PdfProblem) as caught:
        tagged_pdf(b"not used", timeout=1)
    assert caught.value.text("nb") == (
        "LibreOffice ble ikke ferdig med PDF-en innen 1 sekunder. Prøv igjen, eller utelat --pdf."
    )
    time.sleep(2.5)  # long enough for the script to have finished, had it not been stopped
    assert not marker.exists()


def test_libreoffice_sees_none_of_the_secrets(tmp_path, monkeypatch):
    seen = tmp_path / "env.txt"
    folder = fake_soffice(tmp_path / "bin", f"env > {seen}\nexit 1\n")
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-secret-token")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:password@db/x")
    with pytest.raises(PdfProblem) as caught:
        tagged_pdf(b"x", timeout=10)
    assert "klarte ikke å gjøre dokumentet om til PDF" in caught.value.text("nb")
    env = seen.read_text()
    assert "HOME=" in env and "xoxb-secret-token" not in env and "password" not in env
