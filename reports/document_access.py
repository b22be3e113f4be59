"""Universal design in the Word documents: their language, image descriptions and header rows.

Screen readers and spell checkers read a document in the language its styles and runs are marked
with; python-docx's default template and documents edited in an English Word say en-US, so every
document Rådsbot writes is marked again with the language it is written in, down to each run.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docxtpl import InlineImage
from lxml import etree
from radsbot.data.words import DEFAULT_LANGUAGE, LOCALES


def language_tag(lang: str) -> str:
    """The BCP 47 tag Word and PDF readers expect: "nb-NO" for bokmål, "en-GB" for English."""
    return LOCALES.get(lang, LOCALES[DEFAULT_LANGUAGE]).replace("_", "-")


def mark_language(document, lang: str) -> None:
    """Mark the document (properties, default style, every style and run) as written in `lang`."""
    tag = language_tag(lang)
    document.core_properties.language = tag
    styles = document.styles.element
    defaults = _child(_child(_child(styles, "w:docDefaults", first=True), "w:rPrDefault"), "w:rPr")
    _child(defaults, "w:lang").set(qn("w:val"), tag)
    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)
        if element is not None:
            _retag(element, tag)
        elif part.content_type.endswith("+xml") and b"w:lang" in part.blob:
            # Parts python-docx does not model (stylesWithEffects.xml, Word 2010's copy of the
            # styles) are plain blobs: parsed, marked, and put back.
            tree = etree.fromstring(part.blob)
            _retag(tree, tag)
            part._blob = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)


def _retag(element, tag: str) -> None:
    for mark in element.iter(qn("w:lang")):
        if mark.get(qn("w:val")):
            mark.set(qn("w:val"), tag)


def describe(inline, description: str) -> None:
    """Give an inline picture (python-docx InlineShape) its text alternative."""
    inline._inline.docPr.set("descr", description)


def repeat_header_row(table) -> None:
    """Mark a table's first row as its header: read as headers, repeated on every page."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:tblHeader")) is None:
        tr_pr.append(OxmlElement("w:tblHeader"))


class DescribedImage(InlineImage):
    """A docxtpl inline image that carries its text alternative (wp:docPr/@descr)."""

    def __init__(self, tpl, image_descriptor, description: str, width=None, height=None):
        super().__init__(tpl, image_descriptor, width=width, height=height)
        self.description = description

    def _insert_image(self) -> str:
        xml = super()._insert_image()
        # Quoted as an XML attribute: the text is made from stored names and must not break the XML.
        return xml.replace("<wp:docPr ", f"<wp:docPr descr={quoteattr(self.description)} ", 1)


def _child(parent, tag: str, *, first: bool = False):
    """The element's child `tag`, made when missing (at the front where the schema wants it)."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found
