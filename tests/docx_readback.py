"""Reading generated Word documents back for tests: python-docx for structure, LibreOffice for PDF."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentType
from docx.table import Table
from docx.text.paragraph import Paragraph
from radsbot.reports.documents import TEMPLATES


def open_docx(data: bytes) -> DocumentType:
    """A rendered document, opened with python-docx (fails if the bytes are not a valid .docx)."""
    return Document(io.BytesIO(data))


def blocks(doc: DocumentType) -> list[Paragraph | Table]:
    """The body's paragraphs and tables in document order."""
    out: list[Paragraph | Table] = []
    for child in doc.element.body.iterchildren():
        if child.tag.endswith("}p"):
            out.append(Paragraph(child, doc))
        elif child.tag.endswith("}tbl"):
            out.append(Table(child, doc))
    return out


def section(doc: DocumentType, heading: str, level: str = "Heading 1") -> list[Paragraph | Table]:
    """The blocks under a heading, up to the next heading of the same level."""
    found: list[Paragraph | Table] | None = None
    for block in blocks(doc):
        is_heading = isinstance(block, Paragraph) and block.style.name == level
        if is_heading and found is not None:
            break
        if is_heading and block.text.strip() == heading:
            found = []
        elif found is not None:
            found.append(block)
    if found is None:
        raise AssertionError(f"no heading {heading!r} in the document")
    return found


def texts(items: list[Paragraph | Table]) -> list[tuple[str, bool]]:
    """(text, is_bullet) of the non-empty paragraphs among the blocks."""
    return [
        (p.text.strip(), p.style.name == "List Bullet")
        for p in items
        if isinstance(p, Paragraph) and p.text.strip()
    ]


def rows(table: Table) -> list[list[str]]:
    """A table's cell texts, row by row."""
    return [[cell.text.strip() for cell in row.cells] for row in table.rows]


def tables(items: list[Paragraph | Table]) -> list[Table]:
    """The tables among the blocks."""
    return [b for b in items if isinstance(b, Table)]


def header_text(doc: DocumentType) -> str:
    """The first section's page header as text, fields included as their XML instruction."""
    header = doc.sections[0].header
    return " ".join(p.text for p in header.paragraphs) + " " + header._element.xml


def edited_template(tmp_path: Path, name: str, replace: dict[str, str]) -> Path:
    """A copy of a shipped template with text replaced in paragraphs, table cells and headers."""
    doc = Document(str(TEMPLATES / name))
    paragraphs = list(doc.paragraphs) + list(doc.sections[0].header.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    for p in paragraphs:
        text = p.text
        for old, new in replace.items():
            text = text.replace(old, new)
        if text != p.text:
            p.text = text
    out = tmp_path / f"custom-{name}"
    doc.save(str(out))
    return out


def pdf_text(docx: Path, workdir: Path) -> str:
    """Convert a .docx to PDF with LibreOffice headless (own profile) and return pdftotext's text."""
    if not shutil.which("soffice") or not shutil.which("pdftotext"):
        if os.environ.get("CI") == "true":
            raise RuntimeError("LibreOffice (soffice) and poppler (pdftotext) are required in CI")
        pytest.skip("LibreOffice or pdftotext is not installed")
    profile = workdir / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = workdir / f"{docx.stem}.pdf"
    assert pdf.is_file(), "LibreOffice produced no PDF"
    result = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60
    )
    return result.stdout.decode("utf-8")


def written_template(
    tmp_path: Path,
    *paragraphs: str,
    header: str = "",
    title: str = "",
    name: str = "mal.docx",
) -> Path:
    """A new Word template with these paragraphs (and optionally a page header and a title)."""
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if header:
        doc.sections[0].header.paragraphs[0].text = header
    if title:
        doc.core_properties.title = title
    out = tmp_path / name
    doc.save(str(out))
    return out
