"""Word documents from docxtpl templates: load a template, check it, render it in the sandbox.

Every template — the shipped ones and a custom `--template` — is checked before it is filled in
(reports/template_fields.py) and filled in inside a sandbox with size and time limits
(reports/template_sandbox.py); any problem becomes a TemplateProblem naming the expression and
the text around it, and no bytes come back.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from radsbot.data.errors import DomainError
from radsbot.data.resources import TEMPLATES_DIR as TEMPLATES
from radsbot.data.words import Message, N_p, did_you_mean, join, msg, verbatim
from radsbot.reports.template_fields import check, schema
from radsbot.reports.template_limits import LIMITS, Limits, limit_text
from radsbot.reports.template_messages import around, failure, statement
from radsbot.reports.template_sandbox import DocumentSandbox, vocabulary_classes

if TYPE_CHECKING:
    from docxtpl import DocxTemplate

log = logging.getLogger(__name__)
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CHART_WIDTH_MM = 160  # the text width of an A4 page with 2.5 cm margins
TITLE_LIMIT = 255  # characters a .docx core property holds


@dataclass
class TemplateProblem(DomainError, ValueError):
    """A template that cannot be used; its message names every problem."""

    template: str
    syntax: Message | str = ""
    unknown: dict[str, str] = dataclasses.field(default_factory=dict)
    missing: tuple[str, ...] = ()
    other: Message | str = ""
    refused: tuple[Message, ...] = ()  # expressions the sandbox does not allow, each with its place
    where: dict[str, Message] = dataclasses.field(default_factory=dict)  # unknown field -> its place

    @property
    def problem(self) -> Message:
        """The template, each problem on a line of its own, and what to do."""
        problems: list[Message | str] = []
        if self.other:
            problems.append(self.other)
        if self.syntax:
            problems.append(msg("Error in the template code: {error}", error=self.syntax))
        problems.extend(self.refused)
        for path, near in sorted(self.unknown.items()):
            unknown = msg("Unknown field «{path}».", path=path)
            parts = [unknown, did_you_mean([near])] if near else [unknown]
            if path in self.where:
                parts.append(join("(", self.where[path], ")", sep=""))
            problems.append(join(*parts))
        for path in self.missing:
            problems.append(msg("The template lacks the required field «{{{{ {path} }}}}».", path=path))
        return join(
            msg("The template {name} cannot be used:", name=self.template),
            *(join("", problem, sep="  ") for problem in problems),
            msg("Correct the template in Word and try again. No file is written."),
            sep="\n",
        )


# The parts of a template besides its body, as messages name them.
HEADER = N_p("template part", "the header")
FOOTER = N_p("template part", "the footer")
FOOTNOTES_PART = N_p("template part", "the footnotes")


@dataclass(frozen=True)
class Part:
    """One piece of a template docxtpl fills in: its Jinja text and how to name it in messages."""

    label: Message | str  # "" for the body
    text: str

    def place(self, lineno: int | None, spread: int = 0) -> Message:
        """ "ved «…»", or "i toppteksten, ved «…»": where line `lineno` is, in visible text."""
        shown = around(self.text, lineno, spread=spread)
        if self.label:
            return msg("in {part}, near «{text}»", part=self.label, text=shown)
        return msg("near «{text}»", text=shown)


# The core properties docxtpl fills in (docxtpl.template.DocxTemplate.render_properties).
PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def template_source(path: Path | None, default: str, limits: Limits = LIMITS) -> tuple[bytes, str]:
    """The bytes and display name of a custom template, or of the shipped default.

    Raises:
        TemplateProblem: the file is missing, is not a Word document, or is too large unpacked.
    """
    if path is None:
        raw, name = _default(default), default
    else:
        name = f"«{path}»"
        if not path.is_file():
            raise TemplateProblem(name, other=msg("The file does not exist."))
        raw = path.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TemplateProblem(name, other=msg("The file is not a Word document (.docx).")) from None
    if unpacked > limits.template_bytes:
        limit = limit_text(limits, "template_bytes")
        raise TemplateProblem(name, other=msg("The Word file is too big: {limit}.", limit=limit))
    return raw, name


def checked_template(
    path: Path | None, default: str, vocabulary: type, required: tuple[str, ...]
) -> tuple[bytes, str]:
    """A template (custom, or the shipped default) checked against its vocabulary.

    Raises:
        TemplateProblem: the file is unusable, uses what the sandbox refuses or unknown fields,
            or lacks required ones.
    """
    source, name = template_source(path, default)
    if path is None:
        _check_default(default, vocabulary, required)
    else:
        check_template(source, vocabulary, required, name)
    return source, name


@lru_cache(maxsize=8)
def _default(name: str) -> bytes:
    return (TEMPLATES / name).read_bytes()


@lru_cache(maxsize=8)
def _check_default(name: str, vocabulary: type, required: tuple[str, ...]) -> None:
    check_template(_default(name), vocabulary, required, name)


def _load(source: bytes, name: str) -> DocxTemplate:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(io.BytesIO(source))
    try:
        tpl.init_docx()
    except Exception as exc:  # python-docx raises several kinds for a broken package
        problem = msg("The Word file cannot be read ({reason}).", reason=type(exc).__name__)
        raise TemplateProblem(name, other=problem) from None
    return tpl


def _lines(xml: str) -> str:
    """One paragraph per line, as docxtpl renders it (so that line numbers point to paragraphs)."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def template_parts(tpl: DocxTemplate) -> list[Part]:
    """Every piece of Jinja text docxtpl fills in: body, headers, footers, footnotes, properties."""
    from docx.oxml import parse_xml

    parts = [Part("", _lines(tpl.patch_xml(tpl.xml_to_string(tpl.docx._element.body))))]
    labels = {tpl.HEADER_URI: HEADER, tpl.FOOTER_URI: FOOTER}
    for rel in tpl.docx._part.rels.values():
        if rel.reltype in labels and rel.target_part.blob:
            xml = tpl.xml_to_string(parse_xml(rel.target_part.blob))
            parts.append(Part(labels[rel.reltype], _lines(tpl.patch_xml(xml))))
    for part in tpl.docx._part.package.parts:
        if part.content_type == FOOTNOTES:
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            parts.append(Part(FOOTNOTES_PART, _lines(tpl.patch_xml(blob))))
    for prop in PROPERTIES:
        value = getattr(tpl.docx.core_properties, prop) or ""
        if value:
            parts.append(Part(msg("the document property «{name}»", name=prop), value))
    return parts


def check_template(source: bytes, vocabulary: type, required: tuple[str, ...], name: str = "") -> None:
    """Check that a template parses, uses only what the sandbox allows, and all required fields.

    Args:
        source: the .docx bytes.
        vocabulary: the context dataclass whose fields (and their fields) a template may use.
        required: field paths the template must use, such as "sak.tittel".
        name: how to name the template in messages.

    Raises:
        TemplateProblem: listing syntax errors, refused expressions and unknown fields (each with
            the text around it) and missing fields.
    """
    from jinja2 import Environment, TemplateSyntaxError

    env = Environment()  # only parses; nothing is compiled or run here
    root = schema(vocabulary)
    used: set[str] = set()
    unknown: dict[str, str] = {}
    where: dict[str, Message] = {}
    refused: list[Message] = []
    parts = template_parts(_load(source, name))
    if sum(part.text.count("{{") + part.text.count("{%") for part in parts) > LIMITS.template_tags:
        limit = limit_text(LIMITS, "template_tags")
        raise TemplateProblem(name, other=msg("The template is too big: {limit}.", limit=limit))
    for part in parts:
        try:
            found = check(env.parse(part.text), root)
        except TemplateSyntaxError as exc:
            raise TemplateProblem(name, syntax=_syntax_message(exc, part)) from None
        except RecursionError:
            deep = (
                msg("The template code in {part} is nested too deeply.", part=part.label)
                if part.label
                else msg("The template code is nested too deeply.")
            )
            raise TemplateProblem(name, other=deep) from None
        used |= found.used
        for path, near in found.unknown.items():
            unknown.setdefault(path, near)
            where.setdefault(path, part.place(found.lines.get(path)))
        refused.extend(join(text, " (", part.place(line), ").", sep="") for line, text in found.problems)
    missing = tuple(p for p in required if p not in used)
    if unknown or missing or refused:
        raise TemplateProblem(name, unknown=unknown, missing=missing, refused=tuple(refused), where=where)


def _syntax_message(exc: Exception, part: Part) -> Message:
    """Jinja's message (as Jinja words it) with the template text around the error, without the XML."""
    hint = msg(
        "Check that every {% if %} and {% for %} has its {% endif %} and {% endfor %}, and that fields "
        "are in {{ … }}."
    )
    place = part.place(getattr(exc, "lineno", None) or 1, spread=1)
    error = verbatim(getattr(exc, "message", None) or str(exc))
    return join(join(error, " (", place, ").", sep=""), hint)


@dataclass(frozen=True)
class Figure:
    """A chart for a document: the PNG and its text alternative (reports/chart_text.py)."""

    png: bytes
    description: str


def render(
    source: bytes,
    context: object,
    images: dict[str, Figure] | None = None,
    name: str = "",
    limits: Limits = LIMITS,
    *,
    lang: str = "nb",
    title: str = "",
) -> bytes:
    """Render a template with a context dataclass in the sandbox; `images` become inline PNGs.

    Text is XML-escaped, so "&" and "<" in stored text cannot break the document. The document is
    marked as written in `lang`, each image carries its description, and `title` becomes the
    document's title unless the template makes its own with template code.

    Raises:
        TemplateProblem: the template failed or passed a limit while being filled in.
    """
    from docx.shared import Mm
    from radsbot.reports.document_access import DescribedImage, mark_language

    tpl = _load(source, name)
    # A title with template code is the template author's choice; any other (often left over from
    # the document the template was copied from) gives way to the one that names this document.
    chosen_title = "{{" in (tpl.docx.core_properties.title or "")
    env = DocumentSandbox(vocabulary_classes(type(context)), limits)
    if not dataclasses.is_dataclass(context):
        raise TypeError(f"a document's context is a dataclass, not {type(context).__name__}")
    values = {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}
    for key, figure in (images or {}).items():
        values[key] = DescribedImage(
            tpl, io.BytesIO(figure.png), figure.description, width=Mm(CHART_WIDTH_MM)
        )
    try:
        tpl.render(values, jinja_env=env, autoescape=True)
    except Exception as exc:  # whatever a template does wrong becomes a message, never a traceback
        log.info("Template %s failed while rendering: %r", name, exc)
        raise TemplateProblem(name, other=_failed(env, exc, source, name)) from None
    mark_language(tpl.docx, lang)
    if title and not chosen_title:
        tpl.docx.core_properties.title = _fit(title, TITLE_LIMIT)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def _fit(text: str, limit: int) -> str:
    """The text, cut at a word and marked with "…" when longer than `limit`."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _failed(env: DocumentSandbox, exc: Exception, source: bytes, name: str) -> Message:
    """ "«{{ 1 / 0 }}» kunne ikke fylles ut: deling på null (ved «…»)."."""
    reason = failure(exc)
    spot = env.where()
    if spot is None:
        return msg("The template could not be filled in: {reason}.", reason=reason)
    text, node = spot
    # The part's name, from a fresh copy: rendering has changed the loaded one.
    labels = {part.text: part.label for part in template_parts(_load(source, name))}
    place = Part(labels.get(text, ""), text).place(node.lineno)
    try:
        shown = statement(node)
    except RecursionError:
        return msg(
            "The template code could not be filled in: {reason} ({place}).", reason=reason, place=place
        )
    return msg(
        "«{expression}» could not be filled in: {reason} ({place}).",
        expression=shown,
        reason=reason,
        place=place,
    )
