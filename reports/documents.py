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

from radsbot.data.resources import TEMPLATES_DIR as TEMPLATES
from radsbot.reports.template_fields import check, schema
from radsbot.reports.template_limits import LIMITS, Limits, limit_text
from radsbot.reports.template_messages import around, failure, statement
from radsbot.reports.template_sandbox import DocumentSandbox, vocabulary_classes

if TYPE_CHECKING:
    from docxtpl import DocxTemplate

log = logging.getLogger(__name__)
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CHART_WIDTH_MM = 160  # the text width of an A4 page with 2.5 cm margins


@dataclass
class TemplateProblem(ValueError):
    """A template that cannot be used; str() is a Norwegian message naming every problem."""

    template: str
    syntax: str = ""
    unknown: dict[str, str] = dataclasses.field(default_factory=dict)
    missing: tuple[str, ...] = ()
    other: str = ""
    refused: tuple[str, ...] = ()  # expressions the sandbox does not allow, each with its place
    where: dict[str, str] = dataclasses.field(default_factory=dict)  # unknown field -> its place

    def __str__(self) -> str:
        lines = [f"Malen {self.template} kan ikke brukes:"]
        if self.other:
            lines.append(f"  {self.other}")
        if self.syntax:
            lines.append(f"  Feil i malkoden: {self.syntax}")
        lines.extend(f"  {text}" for text in self.refused)
        for path, near in sorted(self.unknown.items()):
            hint = f" Mente du «{near}»?" if near else ""
            place = f" ({self.where[path]})" if path in self.where else ""
            lines.append(f"  Ukjent felt «{path}».{hint}{place}")
        for path in self.missing:
            lines.append(f"  Malen mangler det påkrevde feltet «{{{{ {path} }}}}».")
        lines.append("Rett malen i Word og prøv igjen. Ingen fil er skrevet.")
        return "\n".join(lines)


@dataclass(frozen=True)
class Part:
    """One piece of a template docxtpl fills in: its Jinja text and how to name it in messages."""

    label: str  # "" for the body
    text: str

    def place(self, lineno: int | None) -> str:
        """ "ved «…»", or "i toppteksten, ved «…»": where line `lineno` is, in visible text."""
        shown = f"ved «{around(self.text, lineno)}»"
        return f"i {self.label}, {shown}" if self.label else shown


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
            raise TemplateProblem(name, other="Filen finnes ikke.")
        raw = path.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TemplateProblem(name, other="Filen er ikke et Word-dokument (.docx).") from None
    if unpacked > limits.template_bytes:
        raise TemplateProblem(name, other=f"Word-filen er for stor: {limit_text(limits, 'template_bytes')}.")
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
        raise TemplateProblem(name, other=f"Word-filen kan ikke leses ({type(exc).__name__}).") from None
    return tpl


def _lines(xml: str) -> str:
    """One paragraph per line, as docxtpl renders it (so that line numbers point to paragraphs)."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def template_parts(tpl: DocxTemplate) -> list[Part]:
    """Every piece of Jinja text docxtpl fills in: body, headers, footers, footnotes, properties."""
    from docx.oxml import parse_xml

    parts = [Part("", _lines(tpl.patch_xml(tpl.xml_to_string(tpl.docx._element.body))))]
    labels = {tpl.HEADER_URI: "toppteksten", tpl.FOOTER_URI: "bunnteksten"}
    for rel in tpl.docx._part.rels.values():
        if rel.reltype in labels and rel.target_part.blob:
            xml = tpl.xml_to_string(parse_xml(rel.target_part.blob))
            parts.append(Part(labels[rel.reltype], _lines(tpl.patch_xml(xml))))
    for part in tpl.docx._part.package.parts:
        if part.content_type == FOOTNOTES:
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            parts.append(Part("fotnotene", _lines(tpl.patch_xml(blob))))
    for prop in PROPERTIES:
        value = getattr(tpl.docx.core_properties, prop) or ""
        if value:
            parts.append(Part(f"dokumentegenskapen «{prop}»", value))
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
    where: dict[str, str] = {}
    refused: list[str] = []
    parts = template_parts(_load(source, name))
    if sum(part.text.count("{{") + part.text.count("{%") for part in parts) > LIMITS.template_tags:
        raise TemplateProblem(name, other=f"Malen er for stor: {limit_text(LIMITS, 'template_tags')}.")
    for part in parts:
        try:
            found = check(env.parse(part.text), root)
        except TemplateSyntaxError as exc:
            raise TemplateProblem(name, syntax=_syntax_message(exc, part)) from None
        except RecursionError:
            where = f" i {part.label}" if part.label else ""
            raise TemplateProblem(name, other=f"Malkoden{where} er nestet for dypt.") from None
        used |= found.used
        for path, near in found.unknown.items():
            unknown.setdefault(path, near)
            where.setdefault(path, part.place(found.lines.get(path)))
        refused.extend(f"{text} ({part.place(line)})." for line, text in found.problems)
    missing = tuple(p for p in required if p not in used)
    if unknown or missing or refused:
        raise TemplateProblem(name, unknown=unknown, missing=missing, refused=tuple(refused), where=where)


def _syntax_message(exc: Exception, part: Part) -> str:
    """Jinja's message with the template text around the error, without the XML."""
    hint = (
        " Sjekk at hver {% if %} og {% for %} har sin {% endif %} og {% endfor %}, "
        "og at felter står i {{ … }}."
    )
    lineno = getattr(exc, "lineno", None) or 1
    shown = f"ved «{around(part.text, lineno, spread=1)}»"
    place = f"i {part.label}, {shown}" if part.label else shown
    return f"{getattr(exc, 'message', str(exc))} ({place}).{hint}"


def render(
    source: bytes,
    context: object,
    images: dict[str, bytes] | None = None,
    name: str = "",
    limits: Limits = LIMITS,
) -> bytes:
    """Render a template with a context dataclass in the sandbox; `images` become inline PNGs.

    Text is XML-escaped, so "&" and "<" in stored text cannot break the document.

    Raises:
        TemplateProblem: the template failed or passed a limit while being filled in.
    """
    from docx.shared import Mm
    from docxtpl import InlineImage

    tpl = _load(source, name)
    env = DocumentSandbox(vocabulary_classes(type(context)), limits)
    values = {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}
    for key, png in (images or {}).items():
        values[key] = InlineImage(tpl, io.BytesIO(png), width=Mm(CHART_WIDTH_MM))
    try:
        tpl.render(values, jinja_env=env, autoescape=True)
    except Exception as exc:  # whatever a template does wrong becomes a message, never a traceback
        log.info("Template %s failed while rendering: %r", name, exc)
        raise TemplateProblem(name, other=_failed(env, exc, source, name)) from None
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def _failed(env: DocumentSandbox, exc: Exception, source: bytes, name: str) -> str:
    """ "«{{ 1 / 0 }}» kunne ikke fylles ut: deling på null (ved «…»)."."""
    reason = failure(exc)
    spot = env.where()
    if spot is None:
        return f"Malen kunne ikke fylles ut: {reason}."
    text, node = spot
    # The part's name, from a fresh copy: rendering has changed the loaded one.
    labels = {part.text: part.label for part in template_parts(_load(source, name))}
    place = Part(labels.get(text, ""), text).place(node.lineno)
    try:
        shown = statement(node)
    except RecursionError:
        shown = "malkoden"
    return f"«{shown}» kunne ikke fylles ut: {reason} ({place})."
