"""The quarter's status texts round-tripped through Word: export, edit with python-docx, import."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile

import pytest
import time_machine
from docx import Document
from radsbot.data import queries
from radsbot.data.access import audit_entries
from radsbot.data.councils import council_by_name
from radsbot.data.lookups import goal_by_code
from radsbot.data.meeting_refs import resolve_meeting
from radsbot.reports.digest import build_digest
from radsbot.reports.digest_markdown import to_markdown

from tests.docx_readback import pdf_text
from tests.narrative_files import add_link, edit, headings, narrative_rows, rewrite, section_range

TODAY = dt.date(2026, 11, 22)
MAL1 = "Mål 1: Aktiv medvirkning i egen og næres helse"
MAL2 = "Mål 2: Enklere arbeidshverdag"
MAL4 = "Mål 4: Tilgjengelig informasjon og styrket samhandling"
SECTIONS = (
    "Overordnet status",
    "Utvalgte indikatorer og strategiske delmål",
    "Positive hendelser",
    "Utfordringer",
    "Viktige strategiske spørsmål",
)
MARK = "«fra 2. kvartal 2026 – oppdater»"


def new_texts(tag: str) -> dict[str, list[str]]:
    """Five sections of new text, each item naming the goal's tag."""
    return {heading: [f"{tag}: {heading} – nytt punkt {i}" for i in (1, 2)] for heading in SECTIONS}


@pytest.fixture
def run(cli):
    """`radsbot …` as of 22 November 2026."""

    def invoke(*args: str):
        with time_machine.travel(dt.datetime(2026, 11, 22, 12, 0), tick=False):
            return cli(*args)

    return invoke


@pytest.fixture
def exported(run, tmp_path):
    """The exported document for 4th quarter 2026."""
    out = tmp_path / "status-2026-Q4.docx"
    code, stdout, stderr = run("narrative", "export", "--quarter", "2026-Q4", "--out", str(out))
    assert code == 0, stderr
    assert "Statustekstene for 4. kvartal 2026 er skrevet til" in stdout
    return out


@pytest.fixture
def edited(exported, tmp_path):
    """The document with three goals rewritten (their marks deleted)."""
    return edit(
        exported,
        {MAL1: new_texts("M1"), MAL2: new_texts("M2"), MAL4: new_texts("M4")},
        out=tmp_path / "redigert.docx",
    )


@pytest.mark.slow
def test_export_has_every_goal_the_five_headings_the_marks_and_the_language(exported, session):
    doc = Document(str(exported))
    assert len(headings(doc, 1)) == 8 and headings(doc, 1)[0] == "Kvalitet og sammenheng i tjenestene"
    assert MAL2 in headings(doc, 1)
    for heading in SECTIONS:
        assert headings(doc, 2).count(heading) == 8
    assert headings(doc, 2).count("Indikatorer (til orientering – leses ikke inn)") == 8
    items, _ = section_range(doc, MAL2, "Utfordringer")
    assert items[0].text == MARK
    assert items[1].text.startswith("EPJ-modernisering i kommunal sektor")
    overarching, _ = section_range(doc, "Innovasjonskraft", "Overordnet status")
    assert [p.text for p in overarching] == ["(Ingen tekst ennå – skriv statusvurderingen her.)"]
    assert doc.paragraphs[0].text == "Statusvurdering per mål – 4. kvartal 2026"
    assert doc.core_properties.language == "nb-NO" and doc.core_properties.identifier == "2026-Q4"
    with zipfile.ZipFile(exported) as archive:
        assert 'w:lang w:val="nb-NO"' in archive.read("word/styles.xml").decode()
    assert any("Pasientens legemiddelliste" in c.text for t in doc.tables for c in t._cells)


@pytest.mark.slow
def test_round_trip_three_goals_edited_the_digest_shows_them_and_no_mark(run, edited, session):
    code, stdout, stderr = run("narrative", "import", str(edited), "--accept-carried-over", "--as", "kari")
    assert code == 0, stderr
    assert "Lagret: 5 mål har fått ny tekst for 4. kvartal 2026, 0 er uendret." in stdout
    council = council_by_name(session, "nuit")
    meeting = resolve_meeting(session, council, "next", today=TODAY)
    digest = build_digest(session, council, meeting, today=TODAY)
    assert digest.quarter == "2026-Q4"
    text = to_markdown(digest)
    by_code = {g.code: g.narrative for g in digest.goals}
    for code_, tag in (("mal1", "M1"), ("mal2", "M2"), ("mal4", "M4")):
        narrative = by_code[code_]
        assert narrative.quarter == "2026-Q4" and narrative.note == ""
        assert narrative.parts[2].items == (
            f"{tag}: Utfordringer – nytt punkt 1",
            f"{tag}: Utfordringer – nytt punkt 2",
        )
        assert f"{tag}: Overordnet status – nytt punkt 1" in text
    assert "oppdater" not in text and "kvartal 2026 –" not in text
    (entry,) = audit_entries(session, action="narrative_import")
    assert (
        entry.actor == "kari" and entry.details["quarter"] == "2026-Q4" and "mal2" in entry.details["changed"]
    )


@pytest.mark.slow
def test_carried_over_marks_are_refused_without_the_flag(run, edited, session):
    before = narrative_rows(session)
    code, _, stderr = run("narrative", "import", str(edited))
    assert code == 1
    assert "er ikke lest inn; ingenting er lagret" in stderr
    assert "Mål 3: Helsedata til fornying og forbedring: delene «Overordnet status»" in stderr
    assert "--accept-carried-over" in stderr and MAL2 not in stderr
    assert narrative_rows(session) == before


@pytest.mark.slow
def test_reimporting_the_same_file_changes_nothing(run, edited, session):
    assert run("narrative", "import", str(edited), "--accept-carried-over")[0] == 0
    after_first = narrative_rows(session)
    code, stdout, _ = run("narrative", "import", str(edited), "--accept-carried-over")
    assert code == 0 and "Lagret: 0 mål har fått ny tekst for 4. kvartal 2026, 5 er uendret." in stdout
    assert narrative_rows(session) == after_first


@pytest.mark.slow
def test_a_corrected_file_replaces_the_quarters_text_and_keeps_the_history(run, edited, session, tmp_path):
    assert run("narrative", "import", str(edited), "--accept-carried-over")[0] == 0
    corrected = edit(edited, {MAL2: {"Utfordringer": ["Rettet utfordring"]}}, out=tmp_path / "rettet.docx")
    code, stdout, _ = run("narrative", "import", str(corrected), "--accept-carried-over")
    assert code == 0 and "Lagret: 1 mål har fått ny tekst" in stdout
    goal = goal_by_code(session, "mal2")
    session.expire_all()
    assert queries.narrative(session, goal.id, "2026-Q4").challenges == ["Rettet utfordring"]
    assert [n.version for n in queries.narrative_versions(session, goal.id, "2026-Q4")] == [2, 1]
    code, shown, _ = run("narrative", "show", "mal2", "--quarter", "2026-Q4")
    assert code == 0 and "1. Rettet utfordring" in shown and "versjon 2, lagret" in shown
    assert "Andre versjoner for 4. kvartal 2026:" in shown and "versjon 1, lagret" in shown
    code, old, _ = run("narrative", "show", "mal2", "--quarter", "2026-Q4", "--version", "1")
    assert code == 0 and "M2: Utfordringer – nytt punkt 1" in old and "Rettet utfordring" not in old
    code, seed, _ = run("narrative", "show", "mål 2", "--quarter", "2026-Q2")
    assert code == 0 and "versjon 0, fra grunndataene" in seed
    assert "EPJ-modernisering i kommunal sektor kan påvirke fremdrift" in seed


def test_show_names_an_older_text_as_older(run):
    code, shown, _ = run("narrative", "show", "mal4", "--quarter", "2026-Q4")
    assert code == 0
    assert "Statusvurderingen er fra 2. kvartal 2026; det er ikke skrevet noen for 4. kvartal 2026." in shown


@pytest.mark.slow
def test_a_dry_run_stores_nothing(run, edited, session):
    before = narrative_rows(session)
    code, stdout, _ = run("narrative", "import", str(edited), "--accept-carried-over", "--dry-run")
    assert (
        code == 0 and "Kontrollert: 5 mål ville fått ny tekst" in stdout and "Ingenting er lagret" in stdout
    )
    assert narrative_rows(session) == before
    (entry,) = audit_entries(session, action="narrative_import")
    assert entry.details["dry_run"] is True


@pytest.mark.slow
def test_bullets_numbers_bold_links_sub_points_and_paragraphs_become_the_stored_form(
    run, exported, session, tmp_path
):
    doc = Document(str(exported))
    for goal in headings(doc, 1):
        for heading in (*SECTIONS, "Fotnoter"):
            rewrite(doc, goal, heading, [f"{goal} {heading}"])
    first, second = rewrite(doc, MAL2, "Positive hendelser", ["Første ", "Andre "], style="List Number")
    first.add_run("med fet skrift").bold = True
    add_link(second, "veikartet", "https://www.ehelse.no/veikart")
    following = section_range(doc, MAL2, "Utfordringer")[1]
    following.insert_paragraph_before("Dette inkluderer å:", style="List Bullet")
    following.insert_paragraph_before("finne nye måter", style="List Bullet 2")
    following.insert_paragraph_before("strukturere opplysninger", style="List Bullet 2")
    broken = following.insert_paragraph_before("Et nytt avsnitt", style="Normal")
    broken.add_run().add_break()
    broken.add_run("over to linjer")
    doc.save(str(tmp_path / "formatert.docx"))
    code, _, stderr = run("narrative", "import", str(tmp_path / "formatert.docx"))
    assert code == 0, stderr
    stored = queries.narrative(session, goal_by_code(session, "mal2").id, "2026-Q4")
    assert stored.positive_events == [
        "Første med fet skrift",
        "Andre veikartet (https://www.ehelse.no/veikart)",
    ]
    assert stored.challenges == [
        f"{MAL2} Utfordringer",
        "Dette inkluderer å: finne nye måter; strukturere opplysninger",
        "Et nytt avsnitt over to linjer",
    ]
    assert (
        stored.version == 1 and stored.title == "Enklere arbeidshverdag" and stored.indicator_codes == ["PLL"]
    )


def _not_docx(path, tmp_path):
    (tmp_path / "tekst.docx").write_text("Overordnet status: alt går bra", encoding="utf-8")
    return tmp_path / "tekst.docx"


def _wrong_document(path, tmp_path):
    doc = Document()
    doc.add_heading("Toppnotat sak 40/25", 1)
    doc.add_paragraph("Forslag til vedtak")
    doc.save(str(tmp_path / "feil.docx"))
    return tmp_path / "feil.docx"


def _missing_goal(path, tmp_path):
    doc = Document(str(path))
    (goal,) = [p for p in doc.paragraphs if p.text == MAL4 and p.style.name == "Heading 1"]
    goal._p.getparent().remove(goal._p)
    doc.save(str(path))
    return path


def _unknown_heading(path, tmp_path):
    doc = Document(str(path))
    _, following = section_range(doc, MAL2, "Utfordringer")
    following.insert_paragraph_before("Risikovurdering", style="Heading 2")
    doc.save(str(path))
    return path


def _empty_section(path, tmp_path):
    doc = Document(str(path))
    rewrite(doc, MAL2, "Utfordringer", [])
    doc.save(str(path))
    return path


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [
        (_not_docx, "Filen er ikke et Word-dokument (.docx)"),
        (_wrong_document, "Dette er ikke et statusdokument fra Rådsbot"),
        (_missing_goal, f"{MAL4} mangler: overskriften står ikke i dokumentet"),
        (_unknown_heading, f"Ukjent overskrift «Risikovurdering» under {MAL2}"),
        (_empty_section, f"{MAL2}: «Utfordringer» er tom. Skriv minst ett punkt"),
    ],
    ids=["not-docx", "wrong-document", "missing-goal", "unknown-heading", "empty-section"],
)
@pytest.mark.slow
def test_a_bad_file_is_refused_in_norwegian_and_nothing_is_stored(
    run, edited, session, tmp_path, spoil, expected
):
    before = narrative_rows(session)
    bad = spoil(edited, tmp_path)
    code, stdout, stderr = run("narrative", "import", str(bad), "--accept-carried-over")
    assert code == 1 and expected in stderr, stderr
    assert "Traceback" not in stderr + stdout
    assert narrative_rows(session) == before
    (entry,) = audit_entries(session, action="narrative_import")
    assert entry.outcome == "failed"


def test_a_bad_quarter_and_an_unknown_goal_are_named(run, tmp_path):
    code, _, stderr = run("narrative", "export", "--quarter", "2026-Q5", "--out", str(tmp_path / "x.docx"))
    assert code == 1 and "«2026-Q5» er ikke et kvartal. Skriv det som 2026-Q4." in stderr
    assert not (tmp_path / "x.docx").exists()
    code, _, stderr = run("narrative", "show", "mal9")
    assert code == 1 and "Fant ikke målet «mal9». Bruk et av: kvalitet" in stderr


@pytest.mark.pdf
@pytest.mark.slow
def test_the_exported_document_renders_to_pdf_with_the_marks_and_tables(exported, tmp_path):
    text = pdf_text(exported, tmp_path)
    assert "Statusvurdering per mål – 4. kvartal" in text
    assert "fra 2. kvartal 2026 – oppdater" in text
    assert "Mål 5: Samarbeid og virkemidler som styrker" in text
    assert "Indikatorer (til orientering – leses ikke inn)" in text


@pytest.mark.pdf
@pytest.mark.slow
def test_a_copy_saved_by_libreoffice_reads_back_to_the_same_texts(edited, session, tmp_path):
    """LibreOffice writes its own styles, numbering and properties: the texts read the same."""
    from radsbot.data.narratives import ordered_goals
    from radsbot.reports.narrative_read import read_narratives

    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    out = tmp_path / "libreoffice"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(edited),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    goals = ordered_goals(session)
    original = read_narratives(edited.read_bytes(), goals, accept_carried_over=True)
    resaved = read_narratives((out / edited.name).read_bytes(), goals, accept_carried_over=True)
    assert resaved == original and len(original.texts) == 5
    assert original.texts[1].items("challenges") == (
        "M2: Utfordringer – nytt punkt 1",
        "M2: Utfordringer – nytt punkt 2",
    )
