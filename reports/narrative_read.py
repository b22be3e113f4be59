"""Reading an edited status-text document back: goals by heading, sections by heading, all checked.

What the secretariat writes in Word becomes the stored form the seed uses, one text per item: a
bullet, a numbered point or a new paragraph is an item; a sub-point joins its parent item
("…: a; b"); bold and other formatting keep their words; a link keeps its text and its address
("tekst (https://…)"); line breaks inside a paragraph become spaces. The indicator tables, the
title and the introduction are not read. Every problem is collected, so one reading names them all.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from radsbot.data.errors import DomainError
from radsbot.data.fields import quote
from radsbot.data.models import Goal
from radsbot.data.narratives import FIELDS, HEADINGS, SECTIONS, GoalText, check_quarter
from radsbot.data.words import LANGUAGES, Message, join, msg, words
from radsbot.reports.narrative_docx import CATEGORY, marker, placeholder, reference_heading, title

MAX_FILE_BYTES = 20_000_000
MAX_UNPACKED_BYTES = 100_000_000
REFERENCE = "reference"


class NarrativeFileError(DomainError):
    """A document that cannot be imported; `problems` names each, with where it is."""

    def __init__(self, problems: list[Message]) -> None:
        super().__init__(join(*problems) if len(problems) > 1 else problems[0])
        self.problems = problems


@dataclass
class ReadGoal:
    """One goal's sections as read, and the sections still marked as carried over."""

    goal: Goal
    sections: dict[str, list[str]] = field(default_factory=dict)
    carried: list[str] = field(default_factory=list)

    def is_blank(self) -> bool:
        """Nothing written in any section (a goal that has no text this quarter)."""
        return not any(self.sections.get(name) for name in FIELDS)


@dataclass(frozen=True)
class ReadFile:
    """A document read and checked: its quarter, the goals' texts, and what was carried over."""

    quarter: str
    texts: tuple[GoalText, ...]
    carried: tuple[tuple[str, str], ...]  # (goal label, section name) still marked
    blank: tuple[str, ...]  # labels of goals left without any text (not stored)


def read_narratives(data: bytes, goals: list[Goal], *, accept_carried_over: bool = False) -> ReadFile:
    """Read and check an exported document; NarrativeFileError names every problem found."""
    doc = _open(data)
    quarter = _quarter(doc)
    reader = _Reader(goals)
    for paragraph in doc.paragraphs:
        reader.paragraph(paragraph)
    problems = reader.problems + _missing(reader, goals)
    read = [g for g in reader.found.values() if not g.is_blank()]
    for goal in read:
        problems += _section_problems(goal, accept_carried_over)
    if problems:
        raise NarrativeFileError(problems)
    texts = tuple(
        GoalText(g.goal.code, {name: tuple(g.sections.get(name, ())) for name in FIELDS}) for g in read
    )
    carried = tuple((g.goal.label, section) for g in read for section in g.carried)
    blank = tuple(g.goal.label for g in reader.found.values() if g.is_blank())
    return ReadFile(quarter, texts, carried, blank)


def _open(data: bytes):
    """The document, or a problem saying it is not one (also a zip that unpacks too far)."""
    from docx import Document

    not_docx = msg(
        "The file is not a Word document (.docx). Save it in Word as «Word Document (*.docx)» and try again."
    )
    if len(data) > MAX_FILE_BYTES:
        raise NarrativeFileError(
            [msg("The file is larger than {limit} MB; a status document is far smaller.", limit=20)]
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise NarrativeFileError([not_docx])
        return Document(io.BytesIO(data))
    except NarrativeFileError:
        raise
    except Exception:  # python-docx raises many kinds (zip, XML, missing parts, wrong content type)
        raise NarrativeFileError([not_docx]) from None


def _quarter(doc) -> str:
    """The quarter the document is for, from its properties or its title; else: not our document."""
    props = doc.core_properties
    if props.category == CATEGORY and props.identifier:
        try:
            return check_quarter(props.identifier)
        except DomainError:
            pass
    first = next((p for p in doc.paragraphs if p.text.strip()), None)
    if first is not None and _style(first) == "title":
        for lang in LANGUAGES:
            pattern = _pattern(title("2000-Q1", lang), "2000-Q1", lang)
            if m := pattern.fullmatch(_fold(first.text)):
                try:
                    return check_quarter(m["quarter"])
                except DomainError:
                    break
    raise NarrativeFileError(
        [
            msg(
                "This is not a status document from Rådsbot: it has neither its properties nor its title "
                "(«{title}»). Make one with «radsbot narrative export --quarter 2026-Q4 --out FILE.docx», "
                "write in it and import that file.",
                title=title("2026-Q4", "nb"),
            )
        ]
    )


class _Reader:
    """Walks the paragraphs: headings open goals and sections, other paragraphs are items."""

    def __init__(self, goals: list[Goal]) -> None:
        self.goals = goals
        self.found: dict[str, ReadGoal] = {}
        self.problems: list[Message] = []
        self.goal: ReadGoal | None = None
        self.section: str | None = None
        self.skipping = False  # under an unknown goal heading
        self.number = 0
        self.sections = _section_names()
        self.markers = [_pattern(marker("2000-Q1", lang), "2000-Q1", lang) for lang in LANGUAGES]
        self.placeholders = {_fold(placeholder(lang)) for lang in LANGUAGES}
        self.joined = False  # the last item has sub-points joined into it

    def paragraph(self, p) -> None:
        self.number += 1
        text = _text(p)
        style = _style(p)
        if style == "title" or (not text and not style.startswith("heading")):
            return
        if style == "heading 1":
            return self._goal(text)
        if style.startswith("heading"):
            return self._section(text, style)
        if self.goal is None or self.skipping or self.section in (None, REFERENCE):
            return
        folded = _fold(text)
        if any(m.fullmatch(folded) for m in self.markers):
            if self.section not in self.goal.carried:
                self.goal.carried.append(self.section)
            return
        if folded in self.placeholders:
            return
        self._item(p, text)

    def _goal(self, text: str) -> None:
        goal = _goal_named(text, self.goals)
        self.section, self.skipping = None, goal is None
        if goal is None:
            self.goal = None
            self.problems.append(
                msg(
                    "Unknown goal heading {heading} (paragraph {number}). The goals are: {goals}. "
                    "Correct the heading or delete the section.",
                    heading=quote(text),
                    number=self.number,
                    goals="; ".join(g.label for g in self.goals),
                )
            )
        elif goal.code in self.found:
            self.goal, self.skipping = None, True
            self.problems.append(
                msg(
                    "{goal} appears twice (paragraph {number}). Keep one.",
                    goal=goal.label,
                    number=self.number,
                )
            )
        else:
            self.goal = self.found[goal.code] = ReadGoal(goal)

    def _section(self, text: str, style: str) -> None:
        if self.skipping:
            return
        name = self.sections.get(_fold(text)) if style == "heading 2" else None
        if self.goal is None or name is None:
            where = self.goal.goal.label if self.goal else msg("before the first goal")
            self.problems.append(
                msg(
                    "Unknown heading {heading} under {where} (paragraph {number}). The headings are: "
                    "{headings}. Correct it, or make it ordinary text.",
                    heading=quote(text),
                    where=where,
                    number=self.number,
                    headings="; ".join(words("nb")._(HEADINGS[n]) for n in FIELDS),
                )
            )
            self.section = None
            return
        if name != REFERENCE and name in self.goal.sections:
            self.problems.append(
                msg(
                    "{goal}: the heading «{section}» appears twice (paragraph {number}). Keep one.",
                    goal=self.goal.goal.label,
                    section=msg(HEADINGS[name]),
                    number=self.number,
                )
            )
        self.section = name
        if name != REFERENCE:
            self.goal.sections.setdefault(name, [])

    def _item(self, p, text: str) -> None:
        if self.goal is None or self.section is None:  # called only inside a goal's section
            raise RuntimeError("a point outside a goal's section")
        items = self.goal.sections[self.section]
        if _list_level(p) > 0 and items:
            # A sub-point joins its parent, as the seed stores 002's sub-bullets ("…: a; b").
            sep = "; " if self.joined else (" " if items[-1].endswith(":") else ": ")
            items[-1] += sep + text
            self.joined = True
        else:
            items.append(text)
            self.joined = False


def _missing(reader: _Reader, goals: list[Goal]) -> list[Message]:
    if not reader.found and not reader.problems:
        return [
            msg(
                "The document has no goal headings (Heading 1 with the goal's name, such as «{example}»). "
                "Make a new one with «radsbot narrative export».",
                example=goals[-1].label if goals else "",
            )
        ]
    return [
        msg(
            "{goal} is missing: its heading is not in the document. Put it back (as Heading 1).", goal=g.label
        )
        for g in goals
        if g.code not in reader.found
    ]


def _section_problems(goal: ReadGoal, accept_carried_over: bool) -> list[Message]:
    problems = []
    for name in SECTIONS:
        heading = msg(HEADINGS[name])
        if name not in goal.sections:
            problems.append(
                msg(
                    "{goal}: the heading «{section}» is missing. Put it back (as Heading 2).",
                    goal=goal.goal.label,
                    section=heading,
                )
            )
        elif not goal.sections[name]:
            problems.append(
                msg(
                    "{goal}: «{section}» is empty. Write at least one point, or empty every section of the "
                    "goal to leave it without a text this quarter.",
                    goal=goal.goal.label,
                    section=heading,
                )
            )
    if goal.carried and not accept_carried_over:
        problems.append(
            msg(
                "{goal}: the sections {sections} are still marked as carried over from an earlier "
                "quarter. Update the text and delete the mark, or import with --accept-carried-over to "
                "keep it as it is.",
                goal=goal.goal.label,
                sections=", ".join("«" + words("nb")._(HEADINGS[n]) + "»" for n in goal.carried),
            )
        )
    return problems


def _section_names() -> dict[str, str]:
    """Folded heading text -> section name, in every language, plus the reference table's heading."""
    names = {}
    for lang in LANGUAGES:
        w = words(lang)
        for name in FIELDS:
            names[_fold(w._(HEADINGS[name]))] = name
        names[_fold(w._("Selected indicators"))] = "selected"
        names[_fold(reference_heading(lang))] = REFERENCE
    return names


def _goal_named(text: str, goals: list[Goal]) -> Goal | None:
    folded = _fold(text)
    for goal in goals:
        labels = {_fold(goal.label_in(lang)) for lang in LANGUAGES} | {_fold(goal.name)}
        if folded in labels:
            return goal
    return None


def _pattern(sample: str, quarter: str, lang: str) -> re.Pattern:
    """A pattern for a text made with a quarter's label, matching any quarter."""
    from radsbot.reports import formatting as fmt

    label = _fold(fmt.period(quarter, lang))
    before, _, after = _fold(sample).partition(label)
    return re.compile(re.escape(before) + r"(?P<quarter>.+?)" + re.escape(after))


def _fold(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).casefold()


def _style(p) -> str:
    """The paragraph's style name in lower case ("heading 1", "title", "list bullet")."""
    try:
        name = p.style.name if p.style is not None else ""
    except (KeyError, ValueError):
        name = ""
    name = (name or "").lower()
    # Word in Norwegian names the built-in headings «Overskrift 1».
    return name.replace("overskrift", "heading").replace("tittel", "title")


def _list_level(p) -> int:
    ppr = p._p.pPr
    if ppr is not None and ppr.numPr is not None and ppr.numPr.ilvl is not None:
        return int(ppr.numPr.ilvl.val)
    m = re.search(r"\blist (?:bullet|number) (\d)$", _style(p))
    return int(m[1]) - 1 if m else 0


def _text(p) -> str:
    """The paragraph's words, a link as «text (address)»; whitespace and line breaks as single spaces."""
    from docx.text.hyperlink import Hyperlink

    parts = []
    for content in p.iter_inner_content():
        if isinstance(content, Hyperlink):
            text, url = content.text, content.url
            parts.append(f"{text} ({url})" if url and url != "#" and url not in text else text)
        else:
            parts.append(content.text)
    return " ".join("".join(parts).split())
