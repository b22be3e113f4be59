"""The seed dataset: load data/seed/ into the database, syncing by natural key.

Goals, indicators and councils are matched by code, meetings by (council, number), cases by
(council, number). Loading twice changes nothing; editing a file and loading again updates
what changed. Council channels and digest settings are set only when a council is created
(admins change them with `radsbot council`). Seed measurements never overwrite a value that
came from an import.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from data.importer import ImportReport, plan_rows, read_table, validate, write_rows
from data.models import (
    AMBITION_STATUSES,
    DIRECTIONS,
    FREQUENCIES,
    MEETING_STATUSES,
    READINESS,
    Ambition,
    Case,
    Council,
    Goal,
    GoalNarrative,
    ImportBatch,
    Indicator,
    Measurement,
    Meeting,
)

SEED_DIR = Path(__file__).parent / "seed"
INDICATOR_FIELDS = (
    "name",
    "short_name",
    "aliases",
    "number",
    "measures",
    "unit",
    "indicator_type",
    "source",
    "readiness",
    "frequency",
    "direction",
    "composite",
    "catalogue",
    "dashboard_versions",
    "notes",
)
# Values a field takes when the entry leaves it out, so that deleting a line resets the field.
INDICATOR_DEFAULTS = {
    "short_name": "",
    "aliases": [],
    "number": "",
    "measures": "",
    "unit": "%",
    "indicator_type": "",
    "source": "",
    "composite": False,
    "catalogue": "dashbord",
    "dashboard_versions": [],
    "notes": "",
}
CATALOGUES = ("dashbord", "plan2023")
DASHBOARD_VERSIONS = ("v0.7", "v0.95")
CASE_FIELDS = (
    "title",
    "case_type",
    "agenda_time",
    "presenter",
    "owner",
    "officer",
    "summary",
    "proposed_decision",
    "purpose",
    "background",
    "further_process",
    "attachments",
    "decision",
    "topics",
    "has_toppnotat",
    "meeting_label",
    "meeting_date",
)
COUNCIL_SETTINGS = (
    "slack_channel",
    "secretariat_channel",
    "digest_lead_days",
    "digest_hour",
    "preview_first",
)


class SeedError(ValueError):
    """A seed file that cannot be loaded; the message names the file, the entry and the problem."""


def load_seed(session: Session, seed_dir: Path | None = None) -> ImportBatch:
    """Sync the seed files into the database; the caller commits.

    Returns:
        The seed measurement batch (a new one when measurements changed, else the newest).
    """
    root = Path(seed_dir or SEED_DIR)
    goals = _sync_goals(session, _entries(root / "goals.yaml", "goals"))
    files = sorted((root / "indicators").glob("*.yaml")) if (root / "indicators").is_dir() else []
    indicator_entries = [(f, e) for f in files for e in _entries(f, "indicators")]
    indicators = _sync_indicators(session, indicator_entries, goals)
    _sync_narratives(session, _entries(root / "narratives.yaml", "narratives"), goals, indicators)
    councils = _sync_councils(session, _entries(root / "councils.yaml", "councils"))
    meetings_file = root / "meetings.yaml"
    _sync_meetings(session, meetings_file, councils, indicators)
    session.flush()
    return _sync_measurements(session, root / "measurements.csv")


# -- reading -------------------------------------------------------------------------------


def _entries(path: Path, key: str) -> list[dict[str, Any]]:
    """The list under `key` in a YAML file."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise SeedError(f"Grunndatafilen {path.name} mangler i {path.parent}.") from None
    except yaml.YAMLError as exc:
        raise SeedError(f"{path.name} er ikke gyldig YAML: {exc}") from None
    entries = content.get(key, []) if isinstance(content, dict) else None
    if not isinstance(entries, list):
        raise SeedError(f"{path.name}: forventet en liste under «{key}:».")
    return entries


def _need(entry: dict, field: str, where: str) -> Any:
    value = entry.get(field)
    if value in (None, ""):
        raise SeedError(f"{where}: feltet «{field}» mangler.")
    return value


def _choice(entry: dict, field: str, allowed: tuple[str, ...], default: str, where: str) -> str:
    value = entry.get(field, default)
    if value not in allowed:
        raise SeedError(f"{where}: «{field}» er «{value}», men må være en av {', '.join(allowed)}.")
    return value


def _date(value: Any, where: str, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise SeedError(f"{where}: «{field}» er «{value}», ikke en dato (ÅÅÅÅ-MM-DD).") from None


def _document(value: Any, where: str) -> str:
    """A source document reference such as "002"; YAML turns an unquoted 002 into the number 2."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise SeedError(f'{where}: «source_document» må stå i anførselstegn, f.eks. "002".')
    return value


def _upsert(
    session: Session,
    model,
    key: dict[str, Any],
    values: dict[str, Any],
    *,
    insert_only: dict[str, Any] | None = None,
):
    """Find by key and update the values that differ, or create; returns the object."""
    obj = session.scalar(select(model).filter_by(**key))
    if obj is None:
        obj = model(**key, **values, **(insert_only or {}))
        session.add(obj)
        return obj
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
    return obj


# -- catalogue -------------------------------------------------------------------------------


def _sync_goals(session: Session, entries: list[dict]) -> dict[str, Goal]:
    goals = {}
    for order, entry in enumerate(entries):
        where = f"goals.yaml, mål nr. {order + 1}"
        code = _need(entry, "code", where)
        goals[code] = _upsert(
            session,
            Goal,
            {"code": code},
            {
                "kind": _choice(entry, "kind", ("overordnet", "strategisk"), "strategisk", where),
                "number": entry.get("number"),
                "name": _need(entry, "name", where),
                "description": entry.get("description", "") or "",
                "aliases": list(entry.get("aliases", [])),
                "sort_order": order,
            },
        )
    session.flush()
    return goals


def _sync_indicators(
    session: Session, entries: list[tuple[Path, dict]], goals: dict[str, Goal]
) -> dict[str, Indicator]:
    indicators: dict[str, Indicator] = {}
    order = 0

    def add(path: Path, entry: dict, parent: Indicator | None) -> None:
        nonlocal order
        where = f"{path.name}, indikator «{entry.get('code', '?')}»"
        code = _need(entry, "code", where)
        if code in indicators:
            raise SeedError(f"{where}: koden {code} er brukt to ganger.")
        goal_code = entry.get("goal") or (parent.goal.code if parent else None)
        if goal_code not in goals:
            raise SeedError(f"{where}: ukjent mål «{goal_code}». Gyldige: {', '.join(goals)}.")
        values = dict(INDICATOR_DEFAULTS)
        values.update({f: entry[f] for f in INDICATOR_FIELDS if entry.get(f) is not None})
        values["aliases"] = [str(a) for a in values["aliases"]]
        values["number"] = str(values["number"])
        values["catalogue"] = _choice(entry, "catalogue", CATALOGUES, "dashbord", where)
        unknown = [v for v in values["dashboard_versions"] if v not in DASHBOARD_VERSIONS]
        if unknown:
            raise SeedError(f"{where}: ukjent dashbordversjon {', '.join(map(str, unknown))}.")
        values["readiness"] = _choice(entry, "readiness", READINESS, "under_arbeid", where)
        values["frequency"] = _choice(entry, "frequency", FREQUENCIES, "arlig", where)
        values["direction"] = _choice(entry, "direction", DIRECTIONS, "up", where)
        values.update(goal=goals[goal_code], parent=parent, sort_order=order)
        order += 1
        ind = _upsert(session, Indicator, {"code": code}, values)
        session.flush()
        _sync_ambitions(session, ind, entry.get("ambitions", []) or [], where)
        indicators[code] = ind
        for child in entry.get("children", []) or []:
            add(path, child, ind)

    for path, entry in entries:
        add(path, entry, None)
    return indicators


def _sync_ambitions(session: Session, indicator: Indicator, entries: list[dict], where: str) -> None:
    wanted = []
    for i, entry in enumerate(entries):
        w = f"{where}, ambisjon nr. {i + 1}"
        wanted.append(
            {
                "target_value": entry.get("target_value"),
                "target_date": _date(entry.get("target_date"), w, "target_date"),
                "target_label": str(entry.get("target_label", "") or ""),
                "status": _choice(entry, "status", AMBITION_STATUSES, "foreslått", w),
                "wording": entry.get("wording", "") or "",
                "baseline_value": entry.get("baseline_value"),
                "baseline_label": str(entry.get("baseline_label", "") or ""),
                "baseline_date": _date(entry.get("baseline_date"), w, "baseline_date"),
                "source_document": _document(entry.get("source_document"), w),
            }
        )
    current = [{k: getattr(a, k) for k in wanted[0]} for a in indicator.ambitions] if wanted else None
    if wanted and current == wanted:
        return
    if not wanted and not indicator.ambitions:
        return
    indicator.ambitions.clear()
    session.flush()
    indicator.ambitions.extend(Ambition(**w) for w in wanted)


def _sync_narratives(
    session: Session, entries: list[dict], goals: dict[str, Goal], indicators: dict[str, Indicator]
) -> None:
    lists = (
        "overall_status",
        "selected",
        "positive_events",
        "challenges",
        "strategic_questions",
        "footnotes",
    )
    for i, entry in enumerate(entries):
        where = f"narratives.yaml, nr. {i + 1}"
        goal = goals.get(_need(entry, "goal", where))
        if goal is None:
            raise SeedError(f"{where}: ukjent mål «{entry['goal']}».")
        codes = list(entry.get("indicators", []) or [])
        unknown = [c for c in codes if c not in indicators]
        if unknown:
            raise SeedError(f"{where}: ukjente indikatorkoder {', '.join(unknown)}.")
        values = {k: [str(x) for x in entry.get(k, []) or []] for k in lists}
        values.update(
            title=entry.get("title", "") or "",
            indicator_codes=codes,
            source_document=_document(entry.get("source_document"), where),
        )
        _upsert(
            session, GoalNarrative, {"goal_id": goal.id, "quarter": _need(entry, "quarter", where)}, values
        )


# -- councils, meetings, cases ---------------------------------------------------------------


def _sync_councils(session: Session, entries: list[dict]) -> dict[str, Council]:
    councils = {}
    for i, entry in enumerate(entries):
        where = f"councils.yaml, råd nr. {i + 1}"
        code = _need(entry, "code", where)
        councils[code] = _upsert(
            session,
            Council,
            {"code": code},
            {
                "name": _need(entry, "name", where),
                "short_name": _need(entry, "short_name", where),
                "former_names": list(entry.get("former_names", []) or []),
                "aliases": list(entry.get("aliases", []) or []),
            },
            insert_only={k: entry[k] for k in COUNCIL_SETTINGS if k in entry},
        )
    session.flush()
    return councils


def _sync_meetings(
    session: Session, path: Path, councils: dict[str, Council], indicators: dict[str, Indicator]
) -> None:
    meetings = _entries(path, "meetings")
    previous = _entries(path, "previous_decisions")
    cases: dict[tuple[str, str], tuple[Case, dict, str]] = {}

    def council_of(entry: dict, where: str) -> Council:
        code = _need(entry, "council", where)
        if code not in councils:
            raise SeedError(f"{where}: ukjent råd «{code}». Gyldige: {', '.join(councils)}.")
        return councils[code]

    def add_case(entry: dict, council: Council, meeting: Meeting | None, order: int, where: str) -> None:
        number = str(_need(entry, "number", where))
        w = f"{where}, sak {number}"
        if (council.code, number) in cases:
            raise SeedError(f"{w}: saken står to ganger.")
        # Fields left out are reset, so that deleting a line in the file clears the field.
        values = {f: ([] if f in ("attachments", "topics") else "") for f in CASE_FIELDS}
        values["has_toppnotat"] = True
        values.update({f: entry[f] for f in CASE_FIELDS if entry.get(f) is not None})
        values["meeting_date"] = _date(entry.get("meeting_date"), w, "meeting_date")
        for f in ("attachments", "topics"):
            values[f] = list(values.get(f, []))
        values.update(meeting=meeting, sort_order=order)
        case = _upsert(
            session,
            Case,
            {"council_id": council.id, "number": number},
            {"title": _need(entry, "title", w), **values},
        )
        cases[(council.code, number)] = (case, entry, w)

    for i, entry in enumerate(meetings):
        where = f"meetings.yaml, møte nr. {i + 1}"
        council = council_of(entry, where)
        number = str(_need(entry, "number", where))
        where = f"meetings.yaml, {council.code} møte {number}"
        meeting = _upsert(
            session,
            Meeting,
            {"council_id": council.id, "number": number},
            {
                "date": _date(_need(entry, "date", where), where, "date"),
                "end_date": _date(entry.get("end_date"), where, "end_date"),
                "start_time": str(entry.get("start_time", "10:00")),
                "end_time": str(entry.get("end_time", "16:00")),
                "place": entry.get("place", "") or "",
                "status": _choice(entry, "status", MEETING_STATUSES, "planned", where),
                "is_example": bool(entry.get("is_example", False)),
                "members": list(entry.get("members", []) or []),
                "notes": entry.get("notes", "") or "",
            },
        )
        session.flush()
        for order, case in enumerate(entry.get("cases", []) or []):
            add_case(case, council, meeting, order, where)
    for i, entry in enumerate(previous):
        where = f"meetings.yaml, tidligere vedtak nr. {i + 1}"
        add_case(entry, council_of(entry, where), None, 0, where)
    session.flush()
    for case, entry, where in cases.values():
        cites = []
        for ref in entry.get("cites", []) or []:
            key = (ref.get("council"), str(ref.get("number")))
            if key not in cases:
                raise SeedError(f"{where}: viser til ukjent sak {key[1]} i «{key[0]}».")
            cites.append(cases[key][0])
        codes = list(entry.get("indicators", []) or [])
        unknown = [c for c in codes if c not in indicators]
        if unknown:
            raise SeedError(f"{where}: ukjente indikatorkoder {', '.join(unknown)}.")
        if [c.id for c in case.cites] != [c.id for c in cites]:
            case.cites = cites
        linked = [indicators[c] for c in codes]
        if [i.id for i in case.indicators] != [i.id for i in linked]:
            case.indicators = linked


# -- measurements ----------------------------------------------------------------------------


def _sync_measurements(session: Session, path: Path) -> ImportBatch:
    """Add, update and remove seed measurements; imported values always win."""
    report = ImportReport(filename=path.name)
    try:
        frame = read_table(path.read_bytes(), ".csv", report)
    except FileNotFoundError:
        raise SeedError(f"Grunndatafilen {path.name} mangler.") from None
    rows = None if report.errors else validate(session, frame, report)
    if report.errors or rows is None:
        listed = "; ".join(str(e) for e in report.errors[:10])
        raise SeedError(f"{path.name} har feil: {listed}")
    seed_batches = set(session.scalars(select(ImportBatch.id).where(ImportBatch.kind == "seed")))
    plan = plan_rows(session, rows)
    # Values stored by an import are the secretariat's; the seed must not overwrite them.
    plan.changed = plan.changed[plan.changed["old_batch"].isin(seed_batches)]
    plan.replaced = []
    in_file = set(
        map(
            tuple,
            rows[["indicator_id", "period_kind", "period", "breakdown", "breakdown_value"]].itertuples(
                index=False
            ),
        )
    )
    stale = (
        [
            m.id
            for m in session.scalars(select(Measurement).where(Measurement.batch_id.in_(seed_batches)))
            if (m.indicator_id, m.period_kind, m.period, m.breakdown, m.breakdown_value) not in in_file
        ]
        if seed_batches
        else []
    )
    newest = session.scalar(
        select(ImportBatch).where(ImportBatch.kind == "seed").order_by(ImportBatch.id.desc()).limit(1)
    )
    if newest is not None and plan.new.empty and plan.changed.empty and not stale:
        return newest
    if stale:
        session.execute(delete(Measurement).where(Measurement.id.in_(stale)))
    batch = ImportBatch(
        kind="seed",
        filename=path.name,
        rows_added=len(plan.new),
        rows_updated=len(plan.changed),
        rows_unchanged=len(rows) - len(plan.new) - len(plan.changed),
        actor="seed",
        replaced=[],
    )
    session.add(batch)
    session.flush()
    write_rows(session, plan, batch.id)
    return batch
