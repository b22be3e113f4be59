"""Case and meeting files staff write: YAML, or Markdown with YAML front matter, validated.

A case file names its council and number and any other field; texts have one paragraph per
line and bullet lines start with "•" or "-". In Markdown, the body's "## Bakgrunn" (and the
other section headings) hold the texts, with ordinary Markdown paragraphs. Keys are Norwegian,
as staff write them; see data/examples/ for one of each.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)
from pydantic_core import ErrorDetails, PydanticUseDefault
from radsbot.data.agenda import AgendaError, normalise_case_number
from radsbot.data.encodings import wide_encoding
from radsbot.data.errors import DomainError
from radsbot.data.fields import quote
from radsbot.data.meeting_refs import normalise_meeting_number
from radsbot.data.periods import PeriodError, parse_day
from radsbot.data.words import Message, did_you_mean, join, msg, verbatim

_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)(.*)\Z", re.DOTALL)
_MD_HEADING = re.compile(r"^#{1,3}\s+(.+?)\s*#*\s*$")
_MD_BULLET = re.compile(r"^\s*[-*•]\s+")
MAX_FILE_BYTES = 1_000_000  # a case paper's texts fit many times over
YES = {"ja", "j", "yes", "true", "sann"}
NO = {"nei", "n", "no", "false", "usann"}
# A meeting's status as staff write it (and as documents and `meeting show` print it).
MEETING_STATUS = {"planned": "planlagt", "held": "avholdt", "cancelled": "avlyst"}
STATUSES = {word: status for status, word in MEETING_STATUS.items()} | {"holdt": "held"}
# Markdown section headings and the case field each fills.
SECTIONS = {
    "sammendrag": "sammendrag",
    "forslag til vedtak": "forslag_til_vedtak",
    "hensikt med saken": "hensikt",
    "hensikt": "hensikt",
    "bakgrunn": "bakgrunn",
    "videre saksprosess": "videre_saksprosess",
    "vedtak": "vedtak",
}


class FileProblem(DomainError, ValueError):
    """A case or meeting file that cannot be stored; its message lists every problem."""

    def __init__(self, source: str, problems: Sequence[tuple[str, Message | str]]):
        ValueError.__init__(self, source, problems)
        self.source = source
        self.problems = problems

    @property
    def problem(self) -> Message:
        """The file, each problem on a line of its own, and what to do."""
        lines = [
            msg("{file} cannot be stored:", file=self.source),
            *(
                join(f"  {field}:", problem) if field else join(" ", problem)
                for field, problem in self.problems
            ),
            msg("Nothing is changed. Correct the file and try again."),
        ]
        return join(*lines, sep="\n")


class _Invalid(DomainError, ValueError):
    """A value of a file's field that pydantic reports as invalid, with the reason."""


def clock(value: Any) -> str:
    """A time of day as "10:00" from "10:00", "10.00" or YAML's sexagesimal 600 for 10:00."""
    if value in ("", None):
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 10:00 as 600 (base 60).
        value = f"{value // 60}:{value % 60:02d}"
    m = _TIME.match(str(value).strip())
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise _Invalid(msg("{value} is not a time of day. Write e.g. 10:00.", value=quote(value)))
    return f"{int(m[1]):02d}:{m[2]}"


def day(value: Any) -> dt.date:
    """A date from YAML (2025-11-20) or text ("20.11.2025")."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        parsed = parse_day(str(value))
    except PeriodError as exc:
        raise _Invalid(exc.problem) from None
    if parsed is None:
        raise _Invalid(msg("{value} is not a date. Write e.g. 2025-11-20 or 20.11.2025.", value=quote(value)))
    return parsed


def yes_no(value: Any) -> Any:
    """True/False from ja/nei as well as YAML booleans."""
    if isinstance(value, str) and value.strip().casefold() in YES | NO:
        return value.strip().casefold() in YES
    return value


def as_list(value: Any) -> Any:
    """A single value as a one-item list; an empty value as an empty list."""
    if value in ("", None):
        return []
    return [value] if isinstance(value, str) else value


def _checked(normalise) -> Any:
    """A validator running a look-up normaliser, its error turned into the ValueError pydantic reports."""

    def run(value: Any) -> str:
        try:
            return normalise(str(value))
        except AgendaError as exc:
            raise _Invalid(exc.problem) from None

    return run


def _optional(validate, empty: Any) -> Any:
    """A validator that turns an empty text into `empty` and validates anything else."""
    return lambda value: empty if value == "" else validate(value)


CaseNumber = Annotated[str, BeforeValidator(_checked(normalise_case_number))]
MeetingNumber = Annotated[str, BeforeValidator(_checked(normalise_meeting_number))]
OptionalMeetingNumber = Annotated[str, BeforeValidator(_optional(_checked(normalise_meeting_number), ""))]
Clock = Annotated[str, BeforeValidator(clock)]
Day = Annotated[dt.date, BeforeValidator(day)]
OptionalDay = Annotated[dt.date | None, BeforeValidator(_optional(day, None))]
YesNo = Annotated[bool, BeforeValidator(yes_no)]
Texts = Annotated[list[str], BeforeValidator(as_list)]


def _alias(name: str, ascii_name: str = "") -> dict[str, Any]:
    """Field aliases: the Norwegian key, also accepted without æøå."""
    if not ascii_name:
        return {"alias": name}
    return {"validation_alias": AliasChoices(name, ascii_name), "serialization_alias": name}


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=False)

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_default(cls, value: Any) -> Any:
        # An empty YAML value ("vedlegg:") means the field's default: empty text, no list items.
        if value is None:
            raise PydanticUseDefault()
        return value


class CaseFile(_File):
    """A case as staff write it; only the keys present are changed by `case edit`."""

    council: str = Field(**_alias("råd", "rad"))
    number: CaseNumber = Field(**_alias("saksnummer"))
    title: str = Field("", **_alias("tittel"))
    meeting: OptionalMeetingNumber = Field("", **_alias("møte", "mote"))
    case_type: str = Field("", **_alias("sakstype"))
    agenda_time: Clock = Field("", **_alias("tidspunkt"))
    presenter: str = Field("", **_alias("presentert_av"))
    owner: str = Field("", **_alias("sakseier"))
    officer: str = Field("", **_alias("saksbehandler"))
    summary: str = Field("", **_alias("sammendrag"))
    proposed_decision: str = Field("", **_alias("forslag_til_vedtak"))
    purpose: str = Field("", **_alias("hensikt"))
    background: str = Field("", **_alias("bakgrunn"))
    further_process: str = Field("", **_alias("videre_saksprosess"))
    attachments: Texts = Field(default_factory=list, **_alias("vedlegg"))
    decision: str = Field("", **_alias("vedtak"))
    topics: Texts = Field(default_factory=list, **_alias("temaer"))
    indicators: Texts = Field(default_factory=list, **_alias("indikatorer"))
    cites: Texts = Field(default_factory=list, **_alias("viser_til"))
    has_toppnotat: YesNo = Field(True, **_alias("toppnotat"))
    meeting_label: str = Field("", **_alias("møtenavn", "motenavn"))
    meeting_date: OptionalDay = Field(None, **_alias("møtedato", "motedato"))
    sort_order: int = Field(0, **_alias("rekkefølge", "rekkefolge"))


class MeetingFile(_File):
    """A meeting as staff write it; only the keys present are changed by `meeting edit`."""

    council: str = Field(**_alias("råd", "rad"))
    number: MeetingNumber = Field(**_alias("nummer"))
    date: Day = Field(**_alias("dato"))
    end_date: OptionalDay = Field(None, **_alias("sluttdato"))
    start_time: Clock = Field("10:00", **_alias("start"))
    end_time: Clock = Field("16:00", **_alias("slutt"))
    place: str = Field("", **_alias("sted"))
    status: str = Field("planned", **_alias("status"))
    members: Texts = Field(default_factory=list, **_alias("medlemmer"))
    notes: str = Field("", **_alias("merknader"))
    is_example: YesNo = Field(False, **_alias("eksempeldata"))

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> str:
        text = str(value).strip().casefold()
        if text in STATUSES.values():
            return text
        if text not in STATUSES:
            raise _Invalid(
                msg(
                    "{value} is not a meeting status. Use planned, held or cancelled "
                    "(planlagt, avholdt, avlyst).",
                    value=quote(value),
                )
            )
        return STATUSES[text]


def read_file(path: Path) -> dict[str, Any]:
    """The fields of a YAML file, or of a Markdown file's front matter and section headings.

    Raises:
        FileProblem: the file is missing, is not valid YAML, or has an unknown section.
    """
    import yaml

    source = f"«{path.name}»"
    if not path.is_file():
        raise FileProblem(source, [("", msg("The file does not exist."))])
    text = _text(path, source)
    body = ""
    if path.suffix.casefold() in (".md", ".markdown"):
        m = _FRONT_MATTER.match(text)
        if not m:
            problem = msg("The Markdown file must begin with YAML between two lines «---».")
            raise FileProblem(source, [("", problem)])
        text, body = m[1], m[2]
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = msg(" (line {line})", line=where.line + 1) if where else ""
        problem = msg("The file is not valid YAML{line}: {reason}", line=line, reason=str(exc))
        raise FileProblem(source, [("", problem)]) from None
    if not isinstance(data, dict):
        raise FileProblem(source, [("", msg("The file must consist of fields in the form «name: value»."))])
    sections, problems = markdown_sections(body)
    for key in sections.keys() & data.keys():
        problem = msg("is both in the front matter and a heading in the Markdown. Choose one of the places.")
        problems.append((key, problem))
    if problems:
        raise FileProblem(source, problems)
    return {**data, **sections}


def _text(path: Path, source: str) -> str:
    """The file's text: UTF-8 and at most MAX_FILE_BYTES, or FileProblem saying what it is instead."""
    with path.open("rb") as handle:
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        problem = msg("The file is too big: a case or meeting file can be at most 1 MB.")
        raise FileProblem(source, [("", problem)])
    wide = wide_encoding(raw)
    if wide:
        problem = msg("The file is saved as {encoding}, not UTF-8. Save it as UTF-8.", encoding=wide)
        raise FileProblem(source, [("", problem)])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problem = msg("The file is not encoded as UTF-8 (line {line}). Save it as UTF-8.", line=line)
        raise FileProblem(source, [("", problem)]) from None


def markdown_sections(body: str) -> tuple[dict[str, str], list[tuple[str, Message]]]:
    """Texts under "## Heading" lines, as stored text: one paragraph per line, "• " bullets."""
    sections: dict[str, list[str]] = {}
    problems: list[tuple[str, Message]] = []
    current: list[str] | None = None
    for line in body.splitlines():
        m = _MD_HEADING.match(line)
        if m:
            key = SECTIONS.get(m[1].strip().rstrip(":").casefold())
            if key is None:
                known = ", ".join(f"«## {h[0].upper()}{h[1:]}»" for h in SECTIONS)
                problems.append(
                    ("", msg("Unknown heading «{heading}». Use one of: {known}.", heading=m[1], known=known))
                )
                current = None
                continue
            current = sections.setdefault(key, [])
        elif current is not None:
            current.append(line)
        elif line.strip():
            problem = msg(
                "Text before the first heading: «{text}». Put it under a ## heading.", text=line.strip()[:60]
            )
            problems.append(("", problem))
    return {k: markdown_to_text(v) for k, v in sections.items()}, problems


def markdown_to_text(lines: list[str]) -> str:
    """Markdown paragraphs (wrapped lines joined) and bullets, as one stored line each."""
    out: list[str] = []
    joining = False
    for line in lines:
        if not line.strip():
            joining = False
        elif _MD_BULLET.match(line):
            out.append("• " + _MD_BULLET.sub("", line, count=1).strip())
            joining = True
        elif joining:
            out[-1] += " " + line.strip()
        else:
            out.append(line.strip())
            joining = True
    return "\n".join(out)


def parse(model: type[_File], data: dict[str, Any], source: str) -> _File:
    """Validate file fields with a model.

    Raises:
        FileProblem: naming each wrong field and what to do, in Norwegian.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise FileProblem(source, [problem(model, e) for e in exc.errors()]) from None


# What a file's field must be, by pydantic's error type.
_TYPES = {
    "string_type": msg("must be text."),
    "list_type": msg("must be a list (one line per item, as «- …»)."),
    "bool_type": msg("must be ja or nei."),
    "bool_parsing": msg("must be ja or nei."),
    "int_type": msg("must be a whole number."),
    "int_parsing": msg("must be a whole number."),
    "date_type": msg("must be a date, e.g. 2025-11-20."),
}


def problem(model: type[_File], error: ErrorDetails) -> tuple[str, Message]:
    """One pydantic error as (field, what is wrong)."""
    loc = [str(p) for p in error["loc"]]
    name = loc[0] if loc else ""
    where = name + "".join(f"[{int(p) + 1}]" if p.isdigit() else f".{p}" for p in loc[1:])
    kind = error["type"]
    if kind == "extra_forbidden":
        from rapidfuzz import process

        near = process.extractOne(name, file_keys(model), score_cutoff=60)
        valid = msg("Valid fields: {fields}.", fields=", ".join(file_keys(model)))
        unknown = msg("unknown field.")
        return where, join(unknown, did_you_mean([near[0]]), valid) if near else join(unknown, valid)
    if kind == "missing":
        return where, msg("is missing. Add «{name}: …».", name=name)
    if kind == "value_error":
        cause = error["ctx"]["error"]
        return where, cause.problem if isinstance(cause, DomainError) else verbatim(str(cause))
    return where, _TYPES.get(kind) or msg("invalid value ({reason}).", reason=error["msg"])


def file_keys(model: type[_File]) -> list[str]:
    """The keys a file may use, as staff write them."""
    return [f.serialization_alias or f.alias or n for n, f in model.model_fields.items()]


def dump_yaml(data: dict[str, Any]) -> str:
    """File fields as YAML staff can edit: Norwegian letters as they are, texts as blocks."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, text)
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)
