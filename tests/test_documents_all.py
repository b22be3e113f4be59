"""Every seeded case paper and meeting notice renders, reads back, and speaks Norwegian dates.

One test per case with a toppnotat and per meeting, on the seeded database: the document opens,
has no template tags or Python values left in it, no ISO dates ("2025-02-13"), and says so where
a field is empty instead of leaving a blank.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml
from docx.table import Table
from docx_readback import blocks, open_docx
from radsbot.data.models import Case, Council, Meeting
from radsbot.data.seed import SEED_DIR
from radsbot.reports import formatting as fmt
from radsbot.reports.innkalling import innkalling_docx
from radsbot.reports.toppnotat import toppnotat_docx
from sqlalchemy import select

TODAY = dt.date(2026, 11, 22)
LEFTOVERS = re.compile(r"\{\{|\{%|\}\}|%\}|\bNone\b|\bnan\b|Undefined|\[\]|\bTrue\b|\bFalse\b")
ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")


def _keys(kind: str) -> list[str]:
    """ "council:number" of every case with a paper (kind "case") or every meeting, from the seed files."""
    seed = yaml.safe_load((SEED_DIR / "meetings.yaml").read_text(encoding="utf-8"))
    meetings = seed["meetings"]
    if kind == "meeting":
        return [f"{m['council']}:{m['number']}" for m in meetings]
    cases = [c | {"council": m["council"]} for m in meetings for c in m.get("cases") or []]
    cases += seed.get("previous_decisions") or []
    return [f"{c['council']}:{c['number']}" for c in cases if c.get("has_toppnotat", True)]


def document_text(data: bytes) -> str:
    """Header, paragraphs and table cells of a rendered document."""
    doc = open_docx(data)
    parts = [p.text for p in doc.sections[0].header.paragraphs]
    for block in blocks(doc):
        if isinstance(block, Table):
            parts += [" | ".join(cell.text for cell in row.cells) for row in block.rows]
        else:
            parts.append(block.text)
    return "\n".join(parts)


def stored(session, model, key: str):
    code, number = key.split(":", 1)
    return session.scalar(select(model).join(Council).where(Council.code == code, model.number == number))


def check_text(text: str) -> None:
    assert not LEFTOVERS.search(text), LEFTOVERS.search(text)
    assert not ISO_DATE.search(text), f"ISO date in the document: {ISO_DATE.search(text)[0]}"


@pytest.mark.parametrize("key", _keys("case"))
def test_every_case_paper_renders(session, key):
    case = stored(session, Case, key)
    assert case.has_toppnotat
    text = document_text(toppnotat_docx(session, case, today=TODAY, chart=False))
    check_text(text)
    assert case.title.split()[0] in text
    assert case.council.display_name in text
    for label in ("Til", "Dato", "Saksnummer", "Innretning", "Sakseier", "Saksbehandler"):
        row = next(line for line in text.splitlines() if line.startswith(f"{label} | "))
        assert row.split(" | ", 1)[1].strip(), f"{label} is blank; an empty field says so"


@pytest.mark.parametrize("key", _keys("meeting"))
def test_every_meeting_notice_renders(session, key):
    meeting = stored(session, Meeting, key)
    text = document_text(innkalling_docx(meeting, today=TODAY))
    check_text(text)
    assert fmt.date(meeting.end_date or meeting.date) in text  # "21.–22. januar 2026" for two days
    for case in meeting.cases:
        assert case.number in text
