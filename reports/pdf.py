"""Tagged PDF next to a Word document, through LibreOffice headless (universal design: PDF/UA).

LibreOffice runs with its own throw-away profile (so that two conversions never share one) and
without the process's environment, which holds the bot's secrets; it is stopped, with all its
processes, when it takes longer than the limit.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from radsbot.data.errors import DomainError
from radsbot.data.words import msg

log = logging.getLogger(__name__)

# Tagged (structure, reading order, alt texts, language) and PDF/UA; the title is what a reader's
# window shows.
FILTER = (
    'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
    '"PDFUACompliance":{"type":"boolean","value":"true"},'
    '"DisplayPDFDocumentTitle":{"type":"boolean","value":"true"}}'
)
TIMEOUT_SECONDS = 120


class PdfProblem(DomainError):
    """The PDF could not be written; the Word document itself is fine."""


def soffice() -> str | None:
    """LibreOffice's command, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def tagged_pdf(docx: bytes, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The document as a tagged PDF.

    Raises:
        PdfProblem: LibreOffice is missing, failed, or took longer than `timeout` seconds.
    """
    command = soffice()
    if command is None:
        raise PdfProblem(
            msg(
                "LibreOffice is needed to write the PDF, and it is not installed. Install it "
                "(Debian: apt install libreoffice-writer-nogui), or leave out --pdf."
            )
        )
    with tempfile.TemporaryDirectory(prefix="radsbot-pdf-") as tmp:
        work = Path(tmp)
        (work / "document.docx").write_bytes(docx)
        args = [
            command,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            FILTER,
            "--outdir",
            str(work),
            str(work / "document.docx"),
        ]
        _run(args, work, timeout)
        out = work / "document.pdf"
        if not out.is_file() or out.stat().st_size == 0:
            raise PdfProblem(
                msg("LibreOffice could not turn the document into PDF. Try again, or leave out --pdf.")
            )
        return out.read_bytes()


def _run(args: list[str], work: Path, timeout: float) -> None:
    """Run LibreOffice in its own process group with a bare environment; stop it all at the limit."""
    # LibreOffice's own folder and the system's: nothing of the process's environment.
    env = {"PATH": f"{Path(args[0]).parent}{os.pathsep}{os.defpath}", "HOME": str(work), "LANG": "C.UTF-8"}
    process = subprocess.Popen(
        args, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfProblem(
            msg(
                "LibreOffice did not finish the PDF within {seconds} seconds. Try again, or leave out --pdf.",
                seconds=int(timeout),
            )
        ) from None
    if process.returncode != 0:
        log.warning("LibreOffice exited with %s: %s", process.returncode, err.decode(errors="replace")[-500:])
