"""The quarter's status texts as an editable Word document, for the secretariat to write in.

One section per goal (Heading 1, the goal's label), each with the five headings of the status
report (Heading 2), pre-filled from the goal's latest text; a text from an earlier quarter is
marked «fra 2. kvartal 2026 – oppdater» at the top of each section. Each goal ends with its
indicator table, for reference only (reports/narrative_read.py skips it on import).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from radsbot.data import queries
from radsbot.data.db import Session
from radsbot.data.models import Goal
from radsbot.data.narratives import FIELDS, HEADINGS, OPTIONAL, text_of
from radsbot.data.words import LOCALES, words
from radsbot.reports import formatting as fmt
from radsbot.reports.digest import GoalSection, goal_sections

# The document says what it is in its properties, so that import can refuse any other document.
CATEGORY = "radsbot-narratives"
# Sections numbered in the status report; the others are bulleted.
NUMBERED = frozenset({"positive_events", "challenges", "strategic_questions"})
MARK_COLOUR = (0xB3, 0x26, 0x1E)  # dark red: the marker must be seen


@dataclass(frozen=True)
class ExportedGoal:
    """What the document holds for one goal: the quarter its text is from ("" if none)."""

    code: str
    source_quarter: str


def marker(source_quarter: str, lang: str) -> str:
    """The mark on a carried-over text: «fra 2. kvartal 2026 – oppdater»."""
    return words(lang)._("«from {quarter} – update»", quarter=fmt.period(source_quarter, lang))


def placeholder(lang: str) -> str:
    """What an empty section says to its writer."""
    return words(lang)._("(No text yet – write the status here.)")


def reference_heading(lang: str) -> str:
    """The heading of a goal's indicator table: for reference, not read back."""
    return words(lang)._("Indicators (for reference – not imported)")


def title(quarter: str, lang: str) -> str:
    """The document's title: "Statusvurdering per mål – 4. kvartal 2026"."""
    return words(lang)._("Status assessment per goal – {quarter}", quarter=fmt.period(quarter, lang))


def export_docx(
    session: Session, quarter: str, *, today: dt.date, lang: str = "nb"
) -> tuple[bytes, list[ExportedGoal]]:
    """The editable document for a quarter ("2026-Q4") and, per goal, where its text came from."""
    from docx import Document
    from docx.shared import Cm, Pt

    w = words(lang)
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.0)
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10.5)
    _mark_language(doc, LOCALES.get(lang, LOCALES["nb"]).replace("_", "-"))
    props = doc.core_properties
    props.title, props.author, props.category = title(quarter, lang), "Rådsbot", CATEGORY
    props.identifier, props.subject = quarter, w._("Status texts per goal for {quarter}", quarter=quarter)
    _styled(doc, title(quarter, lang), "Title")
    intro = w._(
        "Write the quarter's status under each heading: bullets, numbered lists, bold, links and new "
        "paragraphs are kept. A text marked «from … – update» is the latest one written: update it and "
        "delete the mark. Keep the headings as they are. The indicator tables are for reference and "
        "are not imported. Read the document back with: radsbot narrative import FILE.docx"
    )
    _note(doc.add_paragraph(), intro)
    exported = []
    for goal_section in goal_sections(session, quarter, today=today, lang=lang):
        exported.append(_goal(doc, session, goal_section, quarter, lang))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue(), exported


def _goal(doc, session: Session, section: GoalSection, quarter: str, lang: str) -> ExportedGoal:
    goal: Goal = section.status.goal
    stored = queries.latest_narrative(session, goal.id, quarter)
    text = text_of(stored, goal.code)
    carried = stored.quarter if stored is not None and stored.quarter != quarter else ""
    heading = _styled(doc, section.label, "Heading1")
    heading.paragraph_format.page_break_before = True  # one goal per page (or more), as in 002
    for name in FIELDS:
        items = text.items(name)
        _styled(doc, words(lang)._(HEADINGS[name]), "Heading2")
        if carried and items:
            _mark(doc.add_paragraph(), marker(carried, lang))
        if not items and name not in OPTIONAL:
            _note(doc.add_paragraph(), placeholder(lang))
        _list(doc, items, numbered=name in NUMBERED)
    _styled(doc, reference_heading(lang), "Heading2")
    head, rows = section.table(_labels(lang))
    _table(doc, head[:5], [r[:5] for r in rows], lang)
    return ExportedGoal(goal.code, stored.quarter if stored is not None else "")


def _labels(lang: str) -> dict[str, str]:
    from radsbot.reports.digest_texts import labels

    return labels(lang)


def _list(doc, items: tuple[str, ...], *, numbered: bool) -> None:
    """Items as a list; a numbered list starts again at 1 (Word's "List Number" counts on otherwise)."""
    if not items:
        return
    num_id = _restarted_numbering(doc) if numbered else None
    for item in items:
        p = _styled(doc, item, "ListNumber" if numbered else "ListBullet")
        if num_id is not None:
            p._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = num_id


def _restarted_numbering(doc) -> int:
    """A new numbering instance of the "List Number" style's list, starting at 1."""
    style = doc.styles.get_by_id("ListNumber", 1)  # WD_STYLE_TYPE.PARAGRAPH
    numbering = doc.part.numbering_part.element
    style_num = style.element.pPr.numPr.numId.val
    abstract = next(n for n in numbering.num_lst if n.numId == style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def _mark_language(doc, tag: str) -> None:
    """The document's language in its properties and as the default of every run (w:lang)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc.core_properties.language = tag
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), tag)


def _styled(doc, text: str, style_id: str):
    # Set by id: python-docx resolves names by scanning every style on each call.
    paragraph = doc.add_paragraph(text)
    paragraph._p.style = style_id
    return paragraph


def _note(paragraph, text: str) -> None:
    from docx.shared import RGBColor

    run = paragraph.add_run(text)
    run.italic = True
    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)


def _mark(paragraph, text: str) -> None:
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import RGBColor

    run = paragraph.add_run(text)
    run.bold = True
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    run.font.color.rgb = RGBColor(*MARK_COLOUR)


def _table(doc, head: list[str], rows: list[list[str]], lang: str) -> None:
    from docx.shared import Cm, Pt

    if not rows:
        _note(doc.add_paragraph(), words(lang)._("No indicators are registered for this goal."))
        return
    widths = [5.4, 3.2, 2.4, 3.4, 2.6]
    table = doc.add_table(rows=len(rows) + 1, cols=len(head))
    table.style = "Table Grid"
    table.autofit = False  # a fixed layout: Word and LibreOffice both take the grid's widths
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    cells = table._cells
    for r, row in enumerate([head, *rows]):
        for c, text in enumerate(row):
            run = cells[r * len(head) + c].paragraphs[0].add_run(text)
            run.font.size = Pt(8.5)
            run.bold = r == 0
