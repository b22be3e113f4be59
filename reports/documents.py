"""Word documents from docxtpl templates: load a template, check its fields, render it to bytes."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from reports.template_fields import check, schema

if TYPE_CHECKING:
    from docxtpl import DocxTemplate

TEMPLATES = Path(__file__).resolve().parent.parent / "data" / "templates"
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

    def __str__(self) -> str:
        lines = [f"Malen {self.template} kan ikke brukes:"]
        if self.other:
            lines.append(f"  {self.other}")
        if self.syntax:
            lines.append(f"  Feil i malkoden: {self.syntax}")
        for path, near in sorted(self.unknown.items()):
            hint = f" Mente du «{near}»?" if near else ""
            lines.append(f"  Ukjent felt «{path}».{hint}")
        for path in self.missing:
            lines.append(f"  Malen mangler det påkrevde feltet «{{{{ {path} }}}}».")
        lines.append("Rett malen i Word og prøv igjen. Ingen fil er skrevet.")
        return "\n".join(lines)


def template_source(path: Path | None, default: str) -> tuple[bytes, str]:
    """The bytes and display name of a custom template, or of the shipped default.

    Raises:
        TemplateProblem: the file is missing or is not a Word document.
    """
    if path is None:
        return _default(default), default
    name = f"«{path}»"
    if not path.is_file():
        raise TemplateProblem(name, other="Filen finnes ikke.")
    raw = path.read_bytes()
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise TemplateProblem(name, other="Filen er ikke et Word-dokument (.docx).")
    return raw, name


def checked_template(
    path: Path | None, default: str, vocabulary: type, required: tuple[str, ...]
) -> tuple[bytes, str]:
    """A custom template checked against its vocabulary, or the shipped default (tested as is).

    Raises:
        TemplateProblem: the file is unusable, or uses unknown fields or lacks required ones.
    """
    source, name = template_source(path, default)
    if path is not None:
        check_template(source, vocabulary, required, name)
    return source, name


@lru_cache(maxsize=8)
def _default(name: str) -> bytes:
    return (TEMPLATES / name).read_bytes()


def _load(source: bytes, name: str) -> DocxTemplate:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(io.BytesIO(source))
    try:
        tpl.init_docx()
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise TemplateProblem(name, other=f"Word-filen kan ikke leses ({exc}).") from None
    return tpl


def _jinja_source(tpl: DocxTemplate) -> str:
    """The template's Jinja text as docxtpl renders it: body, headers and footers."""
    from docx.oxml import parse_xml

    xml = tpl.patch_xml(tpl.xml_to_string(tpl.docx._element.body))
    for rel in tpl.docx._part.rels.values():
        if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI) and rel.target_part.blob:
            xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    return xml


def check_template(source: bytes, vocabulary: type, required: tuple[str, ...], name: str = "") -> None:
    """Check that a template parses and uses only known fields, and all the required ones.

    Args:
        source: the .docx bytes.
        vocabulary: the context dataclass whose fields (and their fields) a template may use.
        required: field paths the template must use, such as "sak.tittel".
        name: how to name the template in messages.

    Raises:
        TemplateProblem: listing syntax errors, unknown fields with suggestions and missing fields.
    """
    from jinja2 import Environment, TemplateSyntaxError

    tpl = _load(source, name)
    text = _jinja_source(tpl)
    env = Environment()
    try:
        tree = env.parse(text)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(name, syntax=_syntax_message(exc, text)) from None
    root = schema(vocabulary)
    # docxtpl's own look-up of top-level names; the walk below adds attribute paths and loops.
    undeclared = tpl.get_undeclared_template_variables(jinja_env=env, context=dict.fromkeys(root.fields))
    found = check(tree, root)
    unknown = {k: v for k, v in found.unknown.items() if "." in k or k in undeclared}
    missing = tuple(p for p in required if p not in found.used)
    if unknown or missing:
        raise TemplateProblem(name, unknown=unknown, missing=missing)


def _syntax_message(exc: Exception, text: str) -> str:
    """Jinja's message with the template text around the error, without the XML."""
    lines = text.splitlines()
    lineno = getattr(exc, "lineno", None) or 1
    around = " ".join(re.sub(r"<[^>]+>", "", line) for line in lines[max(0, lineno - 2) : lineno + 1])
    around = re.sub(r"\s+", " ", around).strip()
    if len(around) > 160:
        around = around[:157] + "…"
    hint = (
        " Sjekk at hver {% if %} og {% for %} har sin {% endif %} og {% endfor %}, "
        "og at felter står i {{ … }}."
    )
    return f"{getattr(exc, 'message', str(exc))} (ved «{around}»).{hint}"


def render(source: bytes, context: object, images: dict[str, bytes] | None = None, name: str = "") -> bytes:
    """Render a template with a context dataclass; `images` become inline PNG images.

    Text is XML-escaped, so "&" and "<" in stored text cannot break the document.
    """
    from docx.shared import Mm
    from docxtpl import InlineImage
    from jinja2 import Environment, TemplateError

    tpl = _load(source, name)
    values = {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}
    for key, png in (images or {}).items():
        values[key] = InlineImage(tpl, io.BytesIO(png), width=Mm(CHART_WIDTH_MM))
    try:
        tpl.render(values, jinja_env=Environment(autoescape=True), autoescape=True)
    except TemplateError as exc:
        raise TemplateProblem(name, other=f"Malen feilet under utfylling: {exc.message or exc}.") from None
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
