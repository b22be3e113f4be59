"""The digest as a Word document (python-docx) for the meeting papers, with the charts inline."""

from __future__ import annotations

import io
import sys
from collections.abc import Mapping
from pathlib import Path

from radsbot.reports.chart_text import chart_text
from radsbot.reports.digest import Digest, GoalSection, NarrativePart

EXAMPLE_COLOUR = (0xD5, 0x5E, 0x00)  # vermillion, as in the charts


def to_docx(digest: Digest, charts: Mapping[str, bytes]) -> bytes:
    """The digest as .docx bytes; the one made last time when neither its content nor charts changed.

    Everything the document says is in its Markdown twin, and everything its images show (and
    their descriptions say) is in the charts, so those and this code are its fingerprint.
    """
    from radsbot.reports.chart_cache import kept
    from radsbot.reports.digest_markdown import to_markdown

    fingerprint = [to_markdown(digest).encode(), *(charts[name] for name in sorted(charts))]
    fingerprint += [Path(module.__file__ or "").read_bytes() for module in _makers()]
    return kept(b"\x1f".join(fingerprint), lambda: _docx(digest, charts))


def _makers():
    """The modules whose code shapes the Word file."""
    from radsbot.reports import chart_text, document_access, formatting

    return (sys.modules[__name__], chart_text, document_access, formatting)


def _docx(digest: Digest, charts: Mapping[str, bytes]) -> bytes:
    """The digest as .docx bytes: title, overview table, then per goal narrative, table and chart."""
    from docx import Document
    from docx.shared import Cm, Pt
    from radsbot.reports.document_access import mark_language

    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.0)
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.core_properties.title, doc.core_properties.author = digest.title, "Rådsbot"
    mark_language(doc, digest.lang)
    _styled(doc, digest.title, "Title")
    for label, value in digest.facts:
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        p.add_run(f"{label}: ").bold = True
        p.add_run(value)
    for notice in digest.notices:
        _coloured(doc.add_paragraph(), notice, italic=True)
    lab = digest.labels
    _styled(doc, lab["overview"], "Heading1")
    head, rows = digest.overview_table()
    _table(doc, head, rows, widths=[4.2] + [12.8 / (len(head) - 1)] * (len(head) - 1), bold_last=True)
    for goal in digest.goals:
        _goal(doc, goal, digest, charts.get(goal.chart_filename), Cm(17.0))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _goal(doc, goal: GoalSection, digest: Digest, chart: bytes | None, width) -> None:
    lab, narrative = digest.labels, goal.narrative
    doc.add_page_break()
    _styled(doc, goal.label, "Heading1")
    if narrative.note:
        _coloured(doc.add_paragraph(), narrative.note, italic=True, colour=None)
    if narrative.parts:
        _part(doc, narrative.parts[0])
    _styled(doc, lab["selected"], "Heading2")
    for item in narrative.selected:
        _styled(doc, item, "ListBullet")
    if goal.indicators:
        head, rows = goal.table(lab)
        _table(doc, head, rows, widths=[4.2, 2.8, 2.0, 2.9, 2.3, 2.5])
        _styled(doc, lab["assessment"], "Heading3")
        for r in goal.indicators:
            p = _styled(doc, "", "ListBullet")
            p.add_run(f"{r.name}: ").bold = True
            p.add_run(r.explanation)
    else:
        doc.add_paragraph(lab["none"])
    if chart:
        from radsbot.reports.document_access import describe

        describe(doc.add_picture(io.BytesIO(chart), width=width), chart_text(goal.status, digest.lang).full)
    for part in narrative.parts[1:]:
        _part(doc, part)
    for note in narrative.footnotes:
        _coloured(doc.add_paragraph(), note, italic=True, colour=None, size=8.5)


def _part(doc, part: NarrativePart) -> None:
    from docx.shared import Cm

    _styled(doc, part.heading, "Heading2")
    for i, item in enumerate(part.items, start=1):
        if part.numbered:
            # Numbers are written out: Word's "List Number" keeps counting across the document.
            p = doc.add_paragraph(f"{i}.\t{item.strip()}")
            p.paragraph_format.left_indent = Cm(0.8)
            p.paragraph_format.first_line_indent = Cm(-0.8)
            p.paragraph_format.tab_stops.add_tab_stop(Cm(0.8))
        else:
            _styled(doc, item.strip(), "ListBullet")


def _styled(doc, text: str, style_id: str):
    """A paragraph with a built-in style set by its id.

    python-docx resolves style names through a scan of every style on each call, which made up
    half the time of writing this document; the ids of the default template are stable.
    """
    paragraph = doc.add_paragraph(text)
    paragraph._p.style = style_id
    return paragraph


def _table(doc, head: list[str], rows: list[list[str]], *, widths: list[float], bold_last: bool = False):
    from docx.shared import Cm, Pt
    from radsbot.reports.document_access import repeat_header_row

    table = doc.add_table(rows=len(rows) + 1, cols=len(head))
    table.style = "Table Grid"
    repeat_header_row(table)
    table.autofit = False
    # LibreOffice reads the grid's column widths, Word the cells'; set both.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    cells = table._cells  # one flat list; table.cell(r, c) rebuilds it on every call
    n = len(head)
    for r, row in enumerate([head, *rows]):
        bold = r == 0 or (bold_last and r == len(rows))
        for c, text in enumerate(row):
            cell = cells[r * n + c]
            cell.width = Cm(widths[c])
            run = cell.paragraphs[0].add_run(text)
            run.font.size = Pt(8.5)
            run.bold = bold
    doc.add_paragraph()
    return table


def _coloured(
    paragraph, text: str, *, italic: bool = False, colour=EXAMPLE_COLOUR, size: float | None = None
):
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    run.italic = italic
    if colour:
        run.font.color.rgb = RGBColor(*colour)
    if size:
        run.font.size = Pt(size)
    return run
