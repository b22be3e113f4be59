"""Build the Word templates toppnotat.docx and innkalling.docx: `python data/templates/build.py`.

The templates are ordinary .docx files with docxtpl (Jinja) tags that staff may open and edit in
Word; this script only exists so that the shipped versions can be regenerated with clean styles.
Field names are the template vocabulary documented in reports/papers.py: `sak.tittel`,
`møte.dato`, `råd.navn` … Paragraphs holding only a `{%p … %}` tag are removed when rendering;
they use the grey "Malkode" style so that staff can tell them apart from text.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument  # the type; docx.Document is its factory
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from radsbot.reports.document_access import mark_language

HERE = Path(__file__).parent
FONT = "Calibri"
NAVY = RGBColor(0x1F, 0x38, 0x64)
GREY = RGBColor(0x80, 0x80, 0x80)
TEXT_WIDTH_CM = 16.0  # A4 (21 cm) minus 2.5 cm margins

# A table style with a shaded header row that repeats on every page, and a lighter first column.
TABLE_STYLE = f"""
<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="Radstabell">
  <w:name w:val="Rådstabell"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="40"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="8EA2C4"/>
      <w:left w:val="single" w:sz="4" w:space="0" w:color="8EA2C4"/>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="8EA2C4"/>
      <w:right w:val="single" w:sz="4" w:space="0" w:color="8EA2C4"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="8EA2C4"/>
      <w:insideV w:val="single" w:sz="4" w:space="0" w:color="8EA2C4"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="57" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>
      <w:bottom w:w="57" w:type="dxa"/><w:right w:w="100" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="1F3864"/></w:tcPr>
  </w:tblStylePr>
  <w:tblStylePr w:type="firstCol">
    <w:rPr><w:b/><w:bCs/></w:rPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="E6ECF5"/></w:tcPr>
  </w:tblStylePr>
</w:style>
"""
PAGE_FIELD = (
    f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:rPr><w:noProof/></w:rPr>'
    "<w:t>1</w:t></w:r></w:fldSimple>"
)


def new_document(title: str) -> WordDocument:
    """An empty A4 document with the house styles and a header "<council>   side N"."""
    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.author = "Rådsbot"
    mark_language(doc, "nb")  # styles and runs too: python-docx's default template says en-US
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.5))
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.header_distance = Cm(1.2)
    _styles(doc)
    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    name = header.add_run("{{ råd.kortnavn }}")
    name.bold = True
    header.add_run("\tside ")
    header._p.append(parse_xml(PAGE_FIELD))
    return doc


def _styles(doc: WordDocument) -> None:
    """A readable font, navy headings, bullets, a style for template code and the table style."""
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    _font(normal, FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    for name, size, before in (("Title", 20, 0), ("Heading 1", 14, 16), ("Heading 2", 12, 12)):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = NAVY
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(6 if name == "Title" else 4)
        style.paragraph_format.keep_with_next = True
        _font(style, FONT)
    # The default Title has a bottom border and expanded spacing; keep it plain.
    title_ppr = styles["Title"].element.pPr
    if title_ppr is not None and title_ppr.find(qn("w:pBdr")) is not None:
        title_ppr.remove(title_ppr.find(qn("w:pBdr")))
    # The default Header style has centre and right tabs for Letter paper; one right tab on A4.
    page_header = styles["Header"]
    tabs = page_header.element.pPr.find(qn("w:tabs"))
    if tabs is not None:
        page_header.element.pPr.remove(tabs)
    page_header.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
    page_header.font.size = Pt(9)
    page_header.font.color.rgb = NAVY
    bullet = styles["List Bullet"]
    bullet.paragraph_format.space_after = Pt(3)
    label = styles.add_style("Ledetekst", WD_STYLE_TYPE.PARAGRAPH)
    label.base_style = normal
    label.font.bold = True
    label.paragraph_format.space_before = Pt(6)
    label.paragraph_format.space_after = Pt(2)
    label.paragraph_format.keep_with_next = True
    code = styles.add_style("Malkode", WD_STYLE_TYPE.PARAGRAPH)
    code.base_style = normal
    code.font.size = Pt(8)
    code.font.color.rgb = GREY
    code.paragraph_format.space_after = Pt(0)
    note = styles.add_style("Merknad", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size = Pt(9)
    note.font.italic = True
    note.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    styles.element.append(parse_xml(TABLE_STYLE))


def _font(style, font: str) -> None:
    """Set every script's font and drop theme fonts, which would otherwise win in Word."""
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), font)


def tag(doc: WordDocument, text: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag such as {%p if … %}."""
    doc.add_paragraph(text, style="Malkode")


def paragraphs(doc: WordDocument, expr: str, *, var: str = "a") -> None:
    """Paragraphs from a list of Avsnitt: bullet items in List Bullet, the rest in Normal."""
    tag(doc, f"{{%p for {var} in {expr} %}}")
    tag(doc, f"{{%p if {var}.punkt %}}")
    doc.add_paragraph(f"{{{{ {var}.tekst }}}}", style="List Bullet")
    tag(doc, "{%p else %}")
    doc.add_paragraph(f"{{{{ {var}.tekst }}}}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")


def table(
    doc: WordDocument, rows: int, widths_cm: list[float], *, header: bool = True, keep_rows: bool = True
):
    """A table in the house style: a shaded header row (repeated per page) or a label column."""
    tbl = doc.add_table(rows=rows, cols=len(widths_cm))
    tbl.style = doc.styles["Rådstabell"]
    tbl.alignment = WD_TABLE_ALIGNMENT.LEFT
    look = tbl._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = parse_xml(f"<w:tblLook {nsdecls('w')}/>")
        tbl._tbl.tblPr.append(look)
    # The hex value must agree with the flags: LibreOffice reads it rather than the attributes.
    look.set(qn("w:val"), "0620" if header else "0680")
    for key, on in (("firstRow", header), ("firstColumn", not header), ("lastRow", False)):
        look.set(qn(f"w:{key}"), "1" if on else "0")
    look.set(qn("w:noHBand"), "1")
    look.set(qn("w:noVBand"), "1")
    # Fixed layout with explicit grid widths: Word and LibreOffice both keep the columns as drawn.
    tbl.autofit = False
    layout = parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>')
    tbl._tbl.tblPr.append(layout)
    for col, width in zip(tbl._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in tbl.rows:
        if keep_rows:
            # A row stays on one page; tables of long texts allow breaks to avoid half-empty pages.
            row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    if header:
        tbl.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    return tbl


def fill(row, texts: list[str]) -> None:
    """Write one text per cell of a table row."""
    for cell, text in zip(row.cells, texts, strict=True):
        cell.paragraphs[0].text = text


def heading_row(row, texts: list[str]) -> None:
    """Write a header row; its size is set directly too, as not every reader applies the style's."""
    fill(row, texts)
    for cell in row.cells:
        for run in cell.paragraphs[0].runs:
            run.font.size = Pt(9)


def loop_table(
    doc: WordDocument,
    widths_cm: list[float],
    headings: list[str],
    loop: str,
    cells: list[str],
    *,
    keep_rows: bool = True,
):
    """A table with a header row and one row repeated for each item: {%tr for <loop> %}."""
    blank = [""] * (len(widths_cm) - 1)
    tbl = table(doc, 4, widths_cm, keep_rows=keep_rows)
    heading_row(tbl.rows[0], headings)
    fill(tbl.rows[1], [f"{{%tr for {loop} %}}", *blank])
    fill(tbl.rows[2], cells)
    fill(tbl.rows[3], ["{%tr endfor %}", *blank])
    return tbl


def toppnotat() -> WordDocument:
    """The case paper, as in the NUIT papers of 20 November 2025."""
    doc = new_document("Toppnotat")
    doc.add_paragraph("{{ sak.tittel }}", style="Title")
    head = table(doc, 6, [4.0, 12.0], header=False)
    for row, (label, field) in zip(
        head.rows,
        [
            ("Til", "sak.til"),
            ("Dato", "sak.dato"),
            ("Saksnummer", "sak.saksnummer"),
            ("Innretning", "sak.innretning"),
            ("Sakseier", "sak.sakseier"),
            ("Saksbehandler", "sak.saksbehandler"),
        ],
        strict=True,
    ):
        fill(row, [label, f"{{{{ {field} }}}}"])
    for heading, field in (
        ("Forslag til vedtak", "sak.forslag_til_vedtak"),
        ("Hensikt med saken", "sak.hensikt"),
        ("Bakgrunn", "sak.bakgrunn"),
    ):
        doc.add_paragraph(heading, style="Heading 1")
        paragraphs(doc, field)
    tag(doc, "{%p if indikatorer %}")
    doc.add_paragraph("Status for indikatorene", style="Heading 1")
    doc.add_paragraph(
        "Status per {{ generert }}. Vurderingen sammenligner trenden i målingene med ambisjonen."
    )
    loop_table(
        doc,
        [5.6, 3.6, 3.8, 3.0],
        ["Indikator", "Siste verdi", "Ambisjon", "Vurdering"],
        "i in indikatorer",
        ["{{ i.navn }}", "{{ i.siste_verdi }}", "{{ i.ambisjon }}", "{{ i.vurdering }}"],
    )
    tag(doc, "{%p for i in indikatorer %}")
    doc.add_paragraph("{{ i.navn }}: {{ i.forklaring }}", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if figur %}")
    doc.add_paragraph("{{ figur }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if eksempeldata %}")
    doc.add_paragraph("{{ eksempeldata_merknad }}", style="Merknad")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")
    doc.add_paragraph("Videre saksprosess", style="Heading 1")
    paragraphs(doc, "sak.videre_saksprosess")
    doc.add_paragraph("Vedlegg", style="Heading 1")
    tag(doc, "{%p for v in sak.vedlegg %}")
    doc.add_paragraph("{{ v }}", style="List Bullet")
    tag(doc, "{%p else %}")
    doc.add_paragraph("Ingen vedlegg.")
    tag(doc, "{%p endfor %}")
    doc.add_paragraph("Vedtak fra tidligere behandlinger i rådsmodellen", style="Heading 1")
    tag(doc, "{%p if tidligere_vedtak %}")
    loop_table(
        doc,
        [2.7, 3.5, 4.7, 5.1],
        ["Saksnummer", "Møte og dato", "Tittel på sak", "Vedtak"],
        "t in tidligere_vedtak",
        ["{{ t.saksnummer }}", "{{ t.møte_og_dato }}", "{{ t.tittel }}", "{{ t.vedtak }}"],
        keep_rows=False,
    )
    tag(doc, "{%p else %}")
    doc.add_paragraph("Saken har ingen tidligere vedtak i rådsmodellen.")
    tag(doc, "{%p endif %}")
    return doc


def innkalling() -> WordDocument:
    """The meeting notice, as the first pages of the NUIT notice of 20 November 2025."""
    doc = new_document("Innkalling")
    doc.add_paragraph("Møte i {{ råd.kortnavn }}", style="Title")
    doc.add_paragraph("Møte {{ møte.nummer }}", style="Heading 1")
    facts = table(doc, 4, [4.0, 12.0], header=False)
    fill(facts.rows[0], ["Dato", "{{ møte.dato_lang }}"])
    fill(facts.rows[1], ["Tid", "{{ møte.tid }}"])
    fill(facts.rows[2], ["Sted", "{{ møte.sted }}"])
    facts.rows[3].cells[0].paragraphs[0].text = "Medlemmer"
    members = facts.rows[3].cells[1]
    members.paragraphs[0].text = "{%p for m in møte.medlemmer %}"
    members.paragraphs[0].style = doc.styles["Malkode"]
    members.add_paragraph("{{ m }}").paragraph_format.space_after = Pt(0)
    members.add_paragraph("{%p endfor %}", style="Malkode")
    doc.add_paragraph("Dagsorden", style="Heading 1")
    agenda = loop_table(
        doc,
        [1.8, 8.2, 2.6, 3.4],
        ["Sak", "Agenda {{ råd.kortnavn }}", "Tidspunkt", "Sakstype"],
        "s in saker",
        ["{{ s.saksnummer }}", "{{ s.tittel }}", "{{ s.tidspunkt }}", "{{ s.innretning }}"],
    )
    end = agenda.add_row()
    fill(end, ["", "Slutt", "{{ møte.slutt }}", ""])
    doc.add_paragraph("Saker", style="Heading 1")
    tag(doc, "{%p for s in saker %}")
    doc.add_paragraph("{{ s.saksnummer }}  {{ s.tittel }}", style="Heading 2")
    tag(doc, "{%p if s.innretning %}")
    doc.add_paragraph("Sakstype: {{ s.innretning }}", style="Merknad")
    tag(doc, "{%p endif %}")
    paragraphs(doc, "s.sammendrag")
    tag(doc, "{%p for v in s.vedlegg_nummerert %}")
    doc.add_paragraph("{{ v }}", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if s.ingen_toppnotat %}")
    doc.add_paragraph("Ingen toppnotat", style="Merknad")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if s.forslag_til_vedtak %}")
    doc.add_paragraph("Forslag til vedtak:", style="Ledetekst")
    paragraphs(doc, "s.forslag_til_vedtak")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    return doc


def main(out: Path = HERE) -> int:
    """Write both templates into `out` (this folder by default)."""
    for name, build in (("toppnotat.docx", toppnotat), ("innkalling.docx", innkalling)):
        build().save(str(out / name))  # python-docx types the path as str
        print(f"wrote {out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE))
