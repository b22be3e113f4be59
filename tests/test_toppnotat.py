"""Case papers (toppnotat): rendered from the stored case and read back field by field."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from docx_readback import (
    edited_template,
    header_text,
    open_docx,
    pdf_text,
    rows,
    section,
    tables,
    texts,
)
from radsbot.data.agenda import case_date, case_year, find_case, previous_decisions
from radsbot.data.meeting_refs import find_meeting
from radsbot.data.models import Case, Council, Goal, Indicator, Measurement, Meeting
from radsbot.reports.analytics import Verdict, explain
from radsbot.reports.documents import TemplateProblem
from radsbot.reports.papers import attachments, paragraphs
from radsbot.reports.status import indicator_status
from radsbot.reports.toppnotat import (
    TEMPLATE,
    build_context,
    empty_section,
    toppnotat_docx,
    toppnotat_filename,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

TODAY = dt.date(2026, 11, 22)
# The sections of every case paper, in order ("Status for indikatorene" only with indicators).
SECTIONS = (
    "Forslag til vedtak",
    "Hensikt med saken",
    "Bakgrunn",
    "Videre saksprosess",
    "Vedlegg",
    "Vedtak fra tidligere behandlinger i rådsmodellen",
)


@pytest.fixture
def meeting(session: Session) -> Meeting:
    """NUIT's meeting 4/2025 (20 November 2025), whose papers the seed carries."""
    return find_meeting(session, "4/2025", "nuit")


@pytest.fixture
def papers(meeting: Meeting) -> list[Case]:
    """The cases of that meeting that have a case paper."""
    found = [c for c in meeting.cases if c.has_toppnotat]
    assert found, "the seed should carry case papers for NUIT 4/2025"
    return found


def expected_paragraphs(text: str) -> list[tuple[str, bool]]:
    """What a stored text should become: one paragraph per line, bullet lines as bullets."""
    return [(p.tekst, p.punkt) for p in paragraphs(text)] or [(empty_section("nb"), False)]


@pytest.mark.slow
def test_header_table_and_sections_match_the_stored_case(session: Session, papers: list[Case]):
    for case in papers:
        doc = open_docx(toppnotat_docx(session, case, today=TODAY, chart=False))
        day = case_date(case)
        short = re.sub(r"/(\d{2})(\d{2})$", r"/\2", case.meeting.number)
        assert doc.paragraphs[0].text == case.title
        assert doc.paragraphs[0].style.name == "Title"
        assert rows(doc.tables[0]) == [
            ["Til", f"Møte {short}"],
            ["Dato", day.strftime("%d.%m.%Y")],
            ["Saksnummer", case.number],
            ["Innretning", case.case_type],
            ["Sakseier", case.owner or "–"],
            ["Saksbehandler", case.officer or "–"],
        ]
        for heading, text in (
            ("Forslag til vedtak", case.proposed_decision),
            ("Hensikt med saken", case.purpose),
            ("Bakgrunn", case.background),
            ("Videre saksprosess", case.further_process),
        ):
            assert texts(section(doc, heading)) == expected_paragraphs(text), (case.number, heading)
        listed = texts(section(doc, "Vedlegg"))
        assert listed == ([(a, True) for a in attachments(case)] or [("Ingen vedlegg.", False)])
        assert not any(
            text.startswith(("Vedlegg ", "Toppnotat")) for text, _ in listed if text != "Ingen vedlegg."
        )
        header = header_text(doc)
        assert (case.council.short_name or case.council.name) in header
        assert "side" in header and "PAGE" in header


def test_header_table_uses_norwegian_date_forms(session: Session, meeting: Meeting):
    case = next(c for c in meeting.cases if c.has_toppnotat)
    doc = open_docx(toppnotat_docx(session, case, today=TODAY, chart=False))
    assert rows(doc.tables[0])[0] == ["Til", "Møte 4/25"]
    assert rows(doc.tables[0])[1] == ["Dato", "20.11.2025"]


def test_bullet_lines_become_list_paragraphs(session: Session, papers: list[Case]):
    case = papers[0]
    case.background = "Innledning & <bakgrunn>.\n• Første punkt\n- Andre punkt\n\nAvslutning."
    session.flush()
    doc = open_docx(toppnotat_docx(session, case, today=TODAY, chart=False))
    assert texts(section(doc, "Bakgrunn")) == [
        ("Innledning & <bakgrunn>.", False),
        ("Første punkt", True),
        ("Andre punkt", True),
        ("Avslutning.", False),
    ]


@pytest.mark.slow
def test_previous_decisions_table_lists_them_newest_first(session: Session, papers: list[Case]):
    with_earlier = [(c, previous_decisions(session, c)) for c in papers]
    with_earlier = [(c, found) for c, found in with_earlier if found]
    assert with_earlier, "some paper of NUIT 4/2025 should cite earlier decisions"
    for case, found in with_earlier:
        doc = open_docx(toppnotat_docx(session, case, today=TODAY, chart=False))
        table = tables(section(doc, "Vedtak fra tidligere behandlinger i rådsmodellen"))[0]
        body = rows(table)
        assert body[0] == ["Saksnummer", "Møte og dato", "Tittel på sak", "Vedtak"]
        assert [r[0] for r in body[1:]] == [c.number for c in found]
        assert [r[2] for r in body[1:]] == [c.title for c in found]
        for row, earlier in zip(body[1:], found, strict=True):
            day = case_date(earlier)
            assert (day.strftime("%d.%m.%Y") if day else earlier.meeting_label) in row[1]
            assert row[3] == (
                earlier.decision.strip() or f"Forslag til vedtak: {earlier.proposed_decision.strip()}"
            )
        years = [case_year(c) for c in found]
        assert years == sorted(years, reverse=True)
        dated = [case_date(c) for c in found if case_date(c)]
        assert dated == sorted(dated, reverse=True)
        assert case.id not in {c.id for c in found}
        assert {c.id for c in case.cites if c.decision or c.proposed_decision} <= {c.id for c in found}


def test_without_previous_decisions_the_section_says_so(session: Session, papers: list[Case]):
    case = papers[0]
    case.cites = []
    case.indicators = []
    case.topics = []
    session.flush()
    assert previous_decisions(session, case) == []
    doc = open_docx(toppnotat_docx(session, case, today=TODAY, chart=False))
    earlier = section(doc, "Vedtak fra tidligere behandlinger i rådsmodellen")
    assert tables(earlier) == []
    assert texts(earlier) == [("Saken har ingen tidligere vedtak i rådsmodellen.", False)]


def _case(session: Session, council: Council, number: str, meeting: Meeting, **fields) -> Case:
    case = Case(council_id=council.id, number=number, title=f"Testsak {number}", meeting=meeting, **fields)
    session.add(case)
    return case


def test_previous_decisions_rule(session: Session):
    """Cited cases plus earlier cases sharing an indicator or topic, with a decision, newest first."""
    nuit = session.scalar(select(Council).where(Council.code == "nuit"))
    goal = session.scalars(select(Goal)).first()
    only_here = Indicator(code="TEST-X", name="Testindikator", goal_id=goal.id)
    session.add(only_here)
    m = {
        day: Meeting(council_id=nuit.id, number=f"{i}/2031", date=dt.date(2031, *day))
        for i, day in enumerate([(1, 10), (3, 10), (6, 10), (9, 10)], start=1)
    }
    session.add_all(m.values())
    jan, mar, jun, sep = m.values()
    cited = _case(session, nuit, "1/31", jan, decision="Vedtatt A.")
    by_indicator = _case(session, nuit, "2/31", jan, decision="Vedtatt B.", indicators=[only_here])
    by_topic = _case(session, nuit, "3/31", mar, proposed_decision="Forslag C.", topics=["Testtema"])
    _case(session, nuit, "4/31", mar, topics=["testtema"])  # no decision
    _case(session, nuit, "5/31", jun, decision="Samme dag.", topics=["testtema"])  # not earlier
    _case(session, nuit, "6/31", sep, decision="Senere.", topics=["testtema"])  # later
    _case(session, nuit, "7/31", jan, decision="Annet tema.", topics=["annet"])  # unrelated
    target = _case(
        session,
        nuit,
        "8/31",
        jun,
        topics=["testtema"],
        indicators=[only_here],
        cites=[cited, by_indicator],
    )
    session.flush()
    found = previous_decisions(session, target)
    assert [c.number for c in found] == [by_topic.number, by_indicator.number, cited.number]
    doc = open_docx(toppnotat_docx(session, target, today=TODAY, chart=False))
    body = rows(tables(section(doc, "Vedtak fra tidligere behandlinger i rådsmodellen"))[0])
    assert body[1] == [
        "3/31",
        f"{nuit.short_name} 10.03.2031",
        "Testsak 3/31",
        "Forslag til vedtak: Forslag C.",
    ]
    assert body[2][3] == "Vedtatt B."


@pytest.fixture
def linked(session: Session, papers: list[Case]) -> Case:
    """A paper linked to two measured indicators, one of them with example data."""
    measured = select(Measurement.indicator_id).where(Measurement.breakdown == "")
    example = session.scalars(
        select(Indicator).where(
            Indicator.id.in_(measured.where(Measurement.is_example)), Indicator.parent_id.is_(None)
        )
    ).first()
    real = session.scalars(
        select(Indicator).where(
            Indicator.id.in_(measured.where(Measurement.is_example.is_(False))),
            Indicator.parent_id.is_(None),
            Indicator.id != (example.id if example else -1),
        )
    ).first()
    case = papers[-1]
    case.indicators = [i for i in (example, real) if i is not None]
    assert len(case.indicators) == 2, "the seed should have measured indicators, some with example data"
    session.flush()
    return case


@pytest.mark.slow
def test_indicator_status_table_uses_the_chat_analytics(session: Session, linked: Case):
    doc = open_docx(toppnotat_docx(session, linked, today=TODAY, chart=True))
    status = section(doc, "Status for indikatorene")
    table = tables(status)[0]
    body = rows(table)
    assert body[0] == ["Indikator", "Siste verdi", "Ambisjon", "Vurdering"]
    ordered = sorted(linked.indicators, key=lambda i: (i.goal_id, i.sort_order, i.code))
    leaves = [leaf for ind in ordered for leaf in indicator_status(session, ind, TODAY).leaves]
    assert len(body) - 1 == len(leaves)
    for row, leaf in zip(body[1:], leaves, strict=True):
        latest = leaf.assessment.latest
        assert row[0] == (leaf.indicator.short_name or leaf.indicator.name)
        assert row[3] == leaf.verdict.label("nb")
        if latest is not None:
            assert ("(eksempeldata)" in row[1]) == latest.is_example
        explanation = explain(leaf.assessment, "nb", unit=leaf.indicator.unit)
        assert any(explanation in text for text, _ in texts(status))
    notes = [text for text, _ in texts(status)]
    assert any("eksempeldata" in n and "ikke offisielle tall" in n for n in notes)
    pictures = [p for p in status if hasattr(p, "_p") and p._p.xpath(".//pic:pic")]
    assert len(pictures) == 1
    without = open_docx(toppnotat_docx(session, linked, today=TODAY, chart=False))
    assert not any(p._p.xpath(".//pic:pic") for p in without.paragraphs)


def test_case_without_indicators_has_no_status_section(session: Session, papers: list[Case]):
    case = papers[0]
    case.indicators = []
    session.flush()
    doc = open_docx(toppnotat_docx(session, case, today=TODAY))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert "Status for indikatorene" not in headings
    assert headings == list(SECTIONS)


def test_template_with_misspelt_fields_is_refused_with_suggestions(
    session: Session, papers: list[Case], tmp_path
):
    custom = edited_template(
        tmp_path,
        TEMPLATE,
        {
            "{{ sak.tittel }}": "{{ sak.titel }}",
            "{{ t.vedtak }}": "{{ t.vedtakk }}",
            "{{ råd.kortnavn }}": "{{ raad.kortnavn }}",
        },
    )
    with pytest.raises(TemplateProblem) as caught:
        toppnotat_docx(session, papers[0], today=TODAY, template=custom)
    message = str(caught.value)
    assert "Ukjent felt «sak.titel». Mente du «sak.tittel»?" in message
    assert "Ukjent felt «t.vedtakk». Mente du «t.vedtak»?" in message
    assert "Ukjent felt «raad»" in message
    assert "mangler det påkrevde feltet «{{ sak.tittel }}»" in message
    assert "Ingen fil er skrevet" in message


def test_template_syntax_error_is_reported_in_norwegian(session: Session, papers: list[Case], tmp_path):
    custom = edited_template(tmp_path, TEMPLATE, {"{%p endif %}": "{%p endiff %}"})
    with pytest.raises(TemplateProblem) as caught:
        toppnotat_docx(session, papers[0], today=TODAY, template=custom)
    assert "Feil i malkoden" in str(caught.value)
    assert "{% endif %}" in str(caught.value)


def test_template_missing_required_fields_is_refused(session: Session, papers: list[Case], tmp_path):
    custom = edited_template(tmp_path, TEMPLATE, {"{{ sak.saksnummer }}": "", "{{ sak.tittel }}": "Sak"})
    with pytest.raises(TemplateProblem) as caught:
        toppnotat_docx(session, papers[0], today=TODAY, template=custom)
    assert "«{{ sak.saksnummer }}»" in str(caught.value)
    assert "«{{ sak.tittel }}»" in str(caught.value)


@pytest.mark.slow
def test_a_valid_custom_template_is_used(session: Session, papers: list[Case], tmp_path):
    custom = edited_template(tmp_path, TEMPLATE, {"Forslag til vedtak": "Innstilling", "Til": "Mottaker"})
    doc = open_docx(toppnotat_docx(session, papers[0], today=TODAY, template=custom))
    assert "Innstilling" in [p.text for p in doc.paragraphs]
    assert rows(doc.tables[0])[0][0] == "Mottaker"


def test_english_values_and_file_name(session: Session, linked: Case):
    context = build_context(session, linked, today=TODAY, lang="en")
    labels = {v.label("en") for v in Verdict}
    assert context.indikatorer and all(row.vurdering in labels for row in context.indikatorer)
    assert all("kvartal" not in row.siste_verdi for row in context.indikatorer)
    assert (
        toppnotat_filename(linked)
        == f"toppnotat-{linked.council.code}-{linked.number.replace('/', '-')}.docx"
    )


@pytest.mark.pdf
@pytest.mark.slow
def test_case_paper_for_41_25_converts_to_pdf(session: Session, tmp_path):
    case = find_case(session, "41/25", "nuit")
    path = tmp_path / "notat.docx"
    path.write_bytes(toppnotat_docx(session, case, today=TODAY))
    text = pdf_text(path, tmp_path)
    flat = " ".join(text.split())
    assert " ".join(case.title.split()) in flat
    for label in ("Til", "Dato", "Saksnummer", "Innretning", "Sakseier", "Saksbehandler"):
        assert label in text
    assert "20.11.2025" in text and case.number in text
    for heading in SECTIONS:
        assert heading in text
    assert "side 1" in text
    assert " ".join(paragraphs(case.proposed_decision)[0].tekst.split()[:6]) in flat
