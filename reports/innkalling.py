"""The meeting notice (innkalling): agenda and each case's summary and proposed decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from radsbot.data.models import Meeting
from radsbot.data.words import words
from radsbot.reports import formatting as fmt
from radsbot.reports.documents import checked_template, render
from radsbot.reports.papers import Møte, Råd, Sak, case_fields, council_fields, meeting_fields

TEMPLATE = "innkalling.docx"
REQUIRED_FIELDS = ("møte.nummer", "saker")


@dataclass(frozen=True)
class Innkalling:
    """Everything a meeting-notice template may use (the fields of its fields included)."""

    råd: Råd
    møte: Møte
    saker: list[Sak]
    generert: str


def build_context(meeting: Meeting, *, today: dt.date, lang: str = "nb") -> Innkalling:
    """The notice's context: the council, the meeting and its cases in agenda order."""
    return Innkalling(
        råd=council_fields(meeting.council),
        møte=meeting_fields(meeting, lang),
        saker=[case_fields(c, lang) for c in meeting.cases],
        generert=fmt.date(today, lang),
    )


def innkalling_docx(
    meeting: Meeting, *, today: dt.date, lang: str = "nb", template: Path | None = None
) -> bytes:
    """The meeting notice as .docx bytes, from the shipped template or a custom one.

    Raises:
        TemplateProblem: the custom template has syntax errors, unknown or missing fields.
    """
    source, name = checked_template(template, TEMPLATE, Innkalling, REQUIRED_FIELDS)
    title = words(lang)._(
        "Notice of {council} meeting {number}", council=meeting.council.short_name, number=meeting.number
    )
    return render(source, build_context(meeting, today=today, lang=lang), name=name, lang=lang, title=title)


def innkalling_filename(meeting: Meeting) -> str:
    """A file name for the notice: "innkalling-nuit-4-2025.docx"."""
    return f"{fmt.file_stem('innkalling', meeting.council.code, meeting.number)}.docx"
