"""Meeting notices (innkalling): agenda and cases from the stored meeting, and meeting look-ups."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from docx_readback import blocks, edited_template, open_docx, pdf_text, rows, texts
from radsbot.data.agenda import AgendaError, AmbiguousError
from radsbot.data.meeting_refs import find_meeting
from radsbot.data.models import Council, Meeting
from radsbot.reports import formatting as fmt
from radsbot.reports.documents import TemplateProblem
from radsbot.reports.innkalling import TEMPLATE, innkalling_docx
from radsbot.reports.papers import attachments, paragraphs
from sqlalchemy import select
from sqlalchemy.orm import Session

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def meeting(session: Session) -> Meeting:
    """NUIT's meeting 4/2025 (20 November 2025)."""
    return find_meeting(session, "4/2025", "nuit")


def test_facts_and_agenda_match_the_stored_meeting(meeting: Meeting):
    doc = open_docx(innkalling_docx(meeting, today=TODAY))
    short = meeting.council.short_name or meeting.council.name
    assert doc.paragraphs[0].text == f"Møte i {short}"
    assert f"Møte {meeting.number}" in [p.text for p in doc.paragraphs]
    facts = rows(doc.tables[0])
    assert facts[0] == ["Dato", fmt.date(meeting.date)]
    assert facts[1] == [
        "Tid",
        f"Kl. {meeting.start_time.replace(':', '.')} – {meeting.end_time.replace(':', '.')}",
    ]
    assert facts[2] == ["Sted", meeting.place]
    members = [p.text for p in doc.tables[0].rows[3].cells[1].paragraphs if p.text]
    assert members == list(meeting.members)
    agenda = rows(doc.tables[1])
    assert agenda[0] == ["Sak", f"Agenda {short}", "Tidspunkt", "Sakstype"]
    assert agenda[1:-1] == [[c.number, c.title, c.agenda_time, c.case_type] for c in meeting.cases]
    assert agenda[-1] == ["", "Slutt", meeting.end_time, ""]


@pytest.mark.slow
def test_each_case_has_summary_attachments_and_proposed_decision(meeting: Meeting):
    doc = open_docx(innkalling_docx(meeting, today=TODAY))
    parts: dict[str, list] = {}
    current = None
    for block in blocks(doc):
        style = getattr(block, "style", None)
        if style is not None and style.name == "Heading 2":
            current = parts.setdefault(block.text.split()[0], [])
        elif current is not None:
            current.append(block)
    assert list(parts) == [c.number for c in meeting.cases]
    number = 0
    for case in meeting.cases:
        found = texts(parts[case.number])
        lines = [t for t, _ in found]
        summary = [(p.tekst, p.punkt) for p in paragraphs(case.summary)]
        assert found[1 : 1 + len(summary)] == summary
        if case.proposed_decision.strip():
            start = lines.index("Forslag til vedtak:")
            assert found[start + 1 :] == [(p.tekst, p.punkt) for p in paragraphs(case.proposed_decision)]
        else:
            assert "Forslag til vedtak:" not in lines
        labels = [t for t in lines if t.startswith("Vedlegg ")]
        expected = ([f"Toppnotat {case.title}"] if case.has_toppnotat else []) + attachments(case)
        if expected:
            number += 1
        # One number per case with papers, in agenda order; further attachments get letters.
        assert [re.sub(r"^Vedlegg \d+[A-Z]?: ", "", t) for t in labels] == expected
        assert [t.split(":")[0] for t in labels] == [
            f"Vedlegg {number}{'' if i == 0 else chr(ord('A') + i - 1)}" for i in range(len(expected))
        ]
        assert ("Ingen toppnotat" in lines) == (
            not case.has_toppnotat and not attachments(case) and bool(case.summary.strip())
        )


def test_meeting_is_found_by_number_date_or_next(session: Session, meeting: Meeting):
    for text in ("4/2025", "4/25", "møte 4/2025", "2025-11-20", "20.11.2025"):
        assert find_meeting(session, text, "nuit").id == meeting.id
    upcoming = find_meeting(session, "neste", "nuit", today=TODAY)
    assert upcoming.council.code == "nuit" and upcoming.date >= TODAY and upcoming.status == "planned"
    planned = session.scalars(
        select(Meeting.date).where(
            Meeting.council_id == upcoming.council_id, Meeting.status == "planned", Meeting.date >= TODAY
        )
    )
    assert upcoming.date == min(planned)


def test_unknown_or_ambiguous_meetings_get_norwegian_errors(session: Session, meeting: Meeting):
    with pytest.raises(AgendaError, match="Fant ikke møte 9/2025 i") as caught:
        find_meeting(session, "9/2025", "nuit", today=TODAY)
    planned = session.scalar(
        select(Meeting)
        .where(Meeting.council_id == meeting.council_id, Meeting.date >= TODAY, Meeting.status == "planned")
        .order_by(Meeting.date)
    )
    assert "Gyldige møter: " in str(caught.value) and f"{planned.number} ({planned.date:%d.%m.%Y})" in str(
        caught.value
    )
    with pytest.raises(AgendaError, match="verken et møtenummer"):
        find_meeting(session, "i morgen", "nuit")
    with pytest.raises(AgendaError, match="Ukjent råd «nuitt»"):
        find_meeting(session, "4/2025", "nuitt")
    elsewhere = session.scalars(select(Council).where(Council.id != meeting.council_id)).first()
    taken = select(Meeting.id).where(Meeting.council_id == elsewhere.id, Meeting.number == "4/2025")
    if session.scalar(taken) is None:
        session.add(Meeting(council_id=elsewhere.id, number="4/2025", date=dt.date(2025, 12, 1)))
        session.flush()
    with pytest.raises(AmbiguousError) as caught:
        find_meeting(session, "4/2025")
    assert len(caught.value.codes) == 2 and "finnes i flere råd" in str(caught.value)


def test_notice_template_with_unknown_field_is_refused(meeting: Meeting, tmp_path):
    custom = edited_template(tmp_path, TEMPLATE, {"{{ møte.sted }}": "{{ møte.stedd }}"})
    with pytest.raises(TemplateProblem) as caught:
        innkalling_docx(meeting, today=TODAY, template=custom)
    assert "Ukjent felt «møte.stedd». Mente du «møte.sted»?" in str(caught.value)


@pytest.mark.pdf
@pytest.mark.slow
def test_notice_converts_to_pdf(meeting: Meeting, tmp_path):
    path = tmp_path / "innkalling.docx"
    path.write_bytes(innkalling_docx(meeting, today=TODAY))
    text = pdf_text(path, tmp_path)
    flat = " ".join(text.split())
    assert f"Møte {meeting.number}" in text
    assert fmt.date(meeting.date) in text
    assert "Sakstype" in text and "Tidspunkt" in text
    for case in meeting.cases:
        assert case.number in text
        if case.proposed_decision:
            assert " ".join(case.proposed_decision.split()[:5]) in flat
