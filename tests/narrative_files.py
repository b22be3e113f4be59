"""Editing an exported status document with python-docx, as a secretary would in Word."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from radsbot.data.models import GoalNarrative
from sqlalchemy import select


def headings(doc, level: int) -> list[str]:
    """The texts of the document's headings of one level."""
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def section_range(doc, goal: str, section: str) -> tuple[list, object]:
    """The paragraphs under a goal's section heading, and the heading that follows them."""
    paragraphs = doc.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.style.name == "Heading 1" and p.text == goal)
    head = next(
        i
        for i in range(start + 1, len(paragraphs))
        if paragraphs[i].style.name == "Heading 2" and paragraphs[i].text == section
    )
    end = next(i for i in range(head + 1, len(paragraphs)) if paragraphs[i].style.name.startswith("Heading"))
    return paragraphs[head + 1 : end], paragraphs[end]


def rewrite(doc, goal: str, section: str, items: list[str], style: str = "List Bullet") -> list:
    """Replace what a section holds (the carried-over mark too) by new paragraphs; returns them."""
    old, following = section_range(doc, goal, section)
    for p in old:
        p._p.getparent().remove(p._p)
    return [following.insert_paragraph_before(text, style=style) for text in items]


def add_link(paragraph, text: str, url: str) -> None:
    """Append a hyperlink run, as Word stores one (w:hyperlink with an external relationship)."""
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def edit(path: Path, changes: dict[str, dict[str, list[str]]], out: Path | None = None) -> Path:
    """Rewrite sections of goals ({goal label: {heading: items}}) and save (to `out` or in place)."""
    doc = Document(str(path))
    for goal, sections in changes.items():
        for section, items in sections.items():
            rewrite(doc, goal, section, items)
    target = out or path
    doc.save(str(target))
    return target


def narrative_rows(session) -> list[tuple]:
    """Every stored narrative version, as comparable tuples (the database before and after)."""
    session.expire_all()
    rows = session.scalars(select(GoalNarrative).order_by(GoalNarrative.id))
    return [
        (n.goal_id, n.quarter, n.version, n.overall_status, n.selected, n.challenges, n.recorded_by)
        for n in rows
    ]
