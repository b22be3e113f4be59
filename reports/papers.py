"""The template vocabulary of council papers, built from stored councils, meetings and cases.

Staff write templates in Word, so the fields have Norwegian names: ``{{ sak.tittel }}``,
``{{ møte.dato }}``, ``{{ råd.navn }}``. The dataclasses below are that vocabulary; template
checks (reports/template_fields.py) read it from their type hints, so a field added here is at
once usable and checked. Texts are lists of `Avsnitt` (paragraphs): stored text has one
paragraph per line, and a line starting with "•", "-", "*" or "–" is a bullet item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from string import ascii_uppercase

from radsbot.data.models import Case, Council, Meeting
from radsbot.data.words import words
from radsbot.reports import formatting as fmt

_BULLET = re.compile(r"^\s*[•\-\*–·]\s+")
_LABEL = re.compile(r"^\s*Vedlegg\s+\d+[A-Za-z]?\s*:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Avsnitt:
    """One paragraph of a text; `punkt` when it is a bullet item (the bullet is not in `tekst`)."""

    tekst: str
    punkt: bool = False


@dataclass(frozen=True)
class Råd:
    """A council: code, name and short name ("nuit", "Porteføljerådet", "NUIT")."""

    kode: str
    navn: str
    kortnavn: str
    tidligere_navn: str


@dataclass(frozen=True)
class Møte:
    """A meeting as a notice shows it: "4/2025", "20.11.2025", "Kl. 10.00 – 16.00" …"""

    nummer: str
    kortnummer: str
    dato: str
    dato_lang: str
    tid: str
    start: str
    slutt: str
    sted: str
    medlemmer: list[str]
    status: str
    eksempeldata: bool


@dataclass(frozen=True)
class Sak:
    """A case with its paper's fields; texts are paragraphs, attachments are plain titles."""

    saksnummer: str
    tittel: str
    innretning: str
    til: str
    dato: str
    dato_lang: str
    sakseier: str
    saksbehandler: str
    presentert_av: str
    tidspunkt: str
    sammendrag: list[Avsnitt]
    forslag_til_vedtak: list[Avsnitt]
    hensikt: list[Avsnitt]
    bakgrunn: list[Avsnitt]
    videre_saksprosess: list[Avsnitt]
    vedtak: list[Avsnitt]
    vedlegg: list[str]
    vedlegg_nummerert: list[str]
    toppnotat: bool
    ingen_toppnotat: bool
    temaer: list[str] = field(default_factory=list)


def paragraphs(text: str) -> list[Avsnitt]:
    """A stored text as paragraphs: one per non-empty line, bullet lines as bullet items."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        m = _BULLET.match(line)
        out.append(Avsnitt(line[m.end() :].strip(), True) if m else Avsnitt(line.strip()))
    return out


def council_fields(council: Council) -> Råd:
    """The council's fields."""
    return Råd(
        kode=council.code,
        navn=council.name,
        kortnavn=council.display_name,
        tidligere_navn=", ".join(council.former_names),
    )


def short_meeting_number(number: str) -> str:
    """ "4/25" for "4/2025", as the header table of a case paper writes it."""
    head, _, year = number.partition("/")
    return f"{head}/{year[-2:]}" if len(year) == 4 else number


def meeting_name(meeting: Meeting, lang: str = "nb") -> str:
    """ "Møte 4/25", or "Møte 13.02.2025" for a meeting known only by its date."""
    named = short_meeting_number(meeting.number) if "/" in meeting.number else meeting.date
    return words(lang)._("Meeting {meeting}", meeting=named)


def _clock(start: str, end: str, lang: str) -> str:
    """ "Kl. 10.00 – 16.00"; empty when the times are not known."""
    if not start:
        return ""
    w, start = words(lang), fmt.clock(start, lang)
    if not end:
        return w.pgettext("notice time", "{start}", start=start)
    return w.pgettext("notice time", "{start} – {end}", start=start, end=fmt.clock(end, lang))


def meeting_fields(meeting: Meeting, lang: str = "nb") -> Møte:
    """The meeting's fields, dates in the reader's language ("20.11.2025", "20. november 2025")."""
    day, end = meeting.date, meeting.end_date
    long = fmt.date(day, lang)
    numeric = fmt.short_date(day, lang)
    if end and end != day:
        numeric = f"{numeric}–{fmt.short_date(end, lang)}"
        long = (
            words(lang).pgettext(
                "days of one month", "{first}–{last}", first=day.day, last=fmt.date(end, lang)
            )
            if (day.year, day.month) == (end.year, end.month)
            else f"{fmt.date(day, lang)} – {fmt.date(end, lang)}"
        )
    return Møte(
        nummer=fmt.meeting_number(meeting.number, meeting.date, lang),
        kortnummer=short_meeting_number(meeting.number) if "/" in meeting.number else numeric,
        dato=numeric,
        dato_lang=long,
        tid=_clock(meeting.start_time, meeting.end_time, lang),
        start=meeting.start_time,
        slutt=meeting.end_time,
        sted=meeting.place,
        medlemmer=list(meeting.members),
        status=fmt.meeting_status(meeting.status, lang),
        eksempeldata=meeting.is_example,
    )


def attachment_labels(meeting: Meeting | None, case: Case, lang: str = "nb") -> list[str]:
    """The case's attachments numbered as in the meeting notice: "Vedlegg 2: Toppnotat …", "2A: …".

    Each case with a paper or attachments takes the next number in agenda order; its paper
    comes first, and further attachments get letters after the number.
    """
    cases = meeting.cases if meeting is not None else [case]
    w = words(lang)
    number = 0
    for other in cases:
        items = _notice_items(other, lang)
        if not items:
            continue
        number += 1
        if other.id == case.id:
            # The paper takes the number, further attachments letters after it: 2, 2A, 2B …
            labels = [str(number)] + [str(number) + ascii_uppercase[i % 26] for i in range(len(items) - 1)]
            return [
                w._("Attachment {number}: {item}", number=label, item=item)
                for label, item in zip(labels, items, strict=True)
            ]
    return []


def _notice_items(case: Case, lang: str) -> list[str]:
    paper = [words(lang)._("Case paper {title}", title=case.title)] if case.has_toppnotat else []
    return paper + attachments(case)


def attachments(case: Case) -> list[str]:
    """The case's own attachments: without a notice's "Vedlegg 2A: " label, and without its paper.

    Stored attachments may be copied from a notice, which numbers them and lists the case
    paper itself ("Vedlegg 7: Toppnotat …"); the paper is implied by `has_toppnotat`.
    """
    out = []
    for item in case.attachments:
        text = _LABEL.sub("", item).strip()
        if text and not (case.has_toppnotat and text.casefold().startswith("toppnotat")):
            out.append(text)
    return out


def case_fields(case: Case, lang: str = "nb", *, empty: str = "") -> Sak:
    """The case's fields; a text section left empty in the data becomes `empty` (if given)."""
    meeting = case.meeting

    def text(value: str) -> list[Avsnitt]:
        found = paragraphs(value)
        return found or ([Avsnitt(empty)] if empty else [])

    day = meeting.date if meeting else case.meeting_date
    til = meeting_name(meeting, lang) if meeting else (case.meeting_label or "–")
    return Sak(
        saksnummer=case.number,
        tittel=case.title,
        innretning=case.case_type or ("–" if empty else ""),
        til=til,
        dato=fmt.short_date(day, lang),
        dato_lang=fmt.date(day, lang) if day else "–",
        sakseier=case.owner or "–",
        saksbehandler=case.officer or "–",
        presentert_av=case.presenter,
        tidspunkt=case.agenda_time,
        sammendrag=paragraphs(case.summary),
        forslag_til_vedtak=text(case.proposed_decision),
        hensikt=text(case.purpose),
        bakgrunn=text(case.background),
        videre_saksprosess=text(case.further_process),
        vedtak=paragraphs(case.decision),
        vedlegg=attachments(case),
        vedlegg_nummerert=attachment_labels(meeting, case, lang),
        toppnotat=case.has_toppnotat,
        # As in the notice of 20 November 2025: said for substantive cases without any paper.
        ingen_toppnotat=not case.has_toppnotat and not attachments(case) and bool(case.summary.strip()),
        temaer=list(case.topics),
    )
