"""The seed dataset: load data/seed/ into the database, syncing by natural key.

Goals, indicators and councils are matched by code, meetings by (council, number), cases by
(council, number). Loading twice changes nothing; editing a file and loading again updates
what changed. Council channels and digest settings are set only when a council is created
(admins change them with `radsbot council`). Seed measurements never overwrite a value that
came from an import.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from radsbot.data.import_checks import validate
from radsbot.data.importer import ImportReport, lock_measurements, plan_rows, read_table, write_rows
from radsbot.data.models import (
    AMBITION_STATUSES,
    DIRECTIONS,
    FREQUENCIES,
    READINESS,
    Ambition,
    Goal,
    GoalNarrative,
    ImportBatch,
    Indicator,
    Measurement,
)
from radsbot.data.resources import SEED_DIR
from radsbot.data.seed_agenda import sync_councils, sync_meetings
from radsbot.data.seed_files import SeedError, choice, document, entries, need, parse_date, upsert
from radsbot.data.words import Message, join, msg
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

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
    "indicator_set",
    "dashboard_versions",
    "notes",
)
# Values a field takes when the entry leaves it out, so that deleting a line resets the field.
INDICATOR_DEFAULTS: dict[str, Any] = {
    "short_name": "",
    "aliases": [],
    "number": "",
    "measures": "",
    "unit": "%",
    "indicator_type": "",
    "source": "",
    "composite": False,
    "indicator_set": "dashbord",
    "dashboard_versions": [],
    "notes": "",
}
INDICATOR_SETS = ("dashbord", "plan2023")
DASHBOARD_VERSIONS = ("v0.7", "v0.95")


@dataclass(frozen=True)
class SeedLoad:
    """What a seed load did to the measurements; `kept` are imported values the seed left alone."""

    batch: ImportBatch
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    kept: int = 0


def load_seed(session: Session, seed_dir: Path | None = None) -> SeedLoad:
    """Sync the seed files into the database; the caller commits.

    Returns:
        What changed, with the seed measurement batch (a new one when measurements changed, else
        the newest).
    """
    root = Path(seed_dir or SEED_DIR)
    goals = _sync_goals(session, entries(root / "goals.yaml", "goals"))
    files = sorted((root / "indicators").glob("*.yaml")) if (root / "indicators").is_dir() else []
    indicator_entries = [(f, e) for f in files for e in entries(f, "indicators")]
    indicators = _sync_indicators(session, indicator_entries, goals)
    _sync_narratives(session, entries(root / "narratives.yaml", "narratives"), goals, indicators)
    councils = sync_councils(session, entries(root / "councils.yaml", "councils"))
    meetings_file = root / "meetings.yaml"
    sync_meetings(session, meetings_file, councils, indicators)
    session.flush()
    return _sync_measurements(session, root / "measurements.csv")


# -- goals and indicators --------------------------------------------------------------------


def _sync_goals(session: Session, entries: list[dict]) -> dict[str, Goal]:
    goals = {}
    for order, entry in enumerate(entries):
        where = msg("goals.yaml, goal no. {number}", number=order + 1)
        code = need(entry, "code", where)
        goals[code] = upsert(
            session,
            Goal,
            {"code": code},
            {
                "kind": choice(entry, "kind", ("overordnet", "strategisk"), "strategisk", where),
                "number": entry.get("number"),
                "name": need(entry, "name", where),
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
    links: list[tuple[Indicator, list, Message]] = []
    order = 0

    def add(path: Path, entry: dict, parent: Indicator | None) -> None:
        nonlocal order
        where = msg("{file}, indicator «{code}»", file=path.name, code=entry.get("code", "?"))
        code = need(entry, "code", where)
        if code in indicators:
            raise SeedError(msg("{where}: the code {code} is used twice.", where=where, code=code))
        goal_code = entry.get("goal") or (parent.goal.code if parent else None)
        if goal_code not in goals:
            raise SeedError(
                msg(
                    "{where}: unknown goal «{goal}». Valid: {goals}.",
                    where=where,
                    goal=goal_code,
                    goals=", ".join(goals),
                )
            )
        values = dict(INDICATOR_DEFAULTS)
        values.update({f: entry[f] for f in INDICATOR_FIELDS if entry.get(f) is not None})
        values["aliases"] = [str(a) for a in values["aliases"]]
        values["number"] = str(values["number"])
        values["indicator_set"] = choice(entry, "indicator_set", INDICATOR_SETS, "dashbord", where)
        unknown = [v for v in values["dashboard_versions"] if v not in DASHBOARD_VERSIONS]
        if unknown:
            versions = ", ".join(map(str, unknown))
            raise SeedError(
                msg("{where}: unknown dashboard version {versions}.", where=where, versions=versions)
            )
        values["readiness"] = choice(entry, "readiness", READINESS, "under_arbeid", where)
        values["frequency"] = choice(entry, "frequency", FREQUENCIES, "arlig", where)
        values["direction"] = choice(entry, "direction", DIRECTIONS, "up", where)
        values.update(goal=goals[goal_code], parent=parent, sort_order=order)
        order += 1
        ind = upsert(session, Indicator, {"code": code}, values)
        session.flush()
        _sync_ambitions(session, ind, entry.get("ambitions", []) or [], where)
        indicators[code] = ind
        links.append((ind, list(entry.get("plan_indicators", []) or []), where))
        for child in entry.get("children", []) or []:
            add(path, child, ind)

    for path, entry in entries:
        add(path, entry, None)
    for ind, codes, where in links:
        _sync_plan_links(ind, codes, indicators, where)
    return indicators


def _sync_plan_links(
    indicator: Indicator, codes: list, indicators: dict[str, Indicator], where: Message
) -> None:
    """Link a dashboard indicator to the 2023 plan's indicators it continues (`plan_indicators`)."""
    wanted = []
    for code in codes:
        plan = indicators.get(str(code))
        if plan is None or plan.indicator_set != "plan2023":
            raise SeedError(
                msg(
                    "{where}: plan_indicators: «{code}» is no indicator of Plan for realisering 2023.",
                    where=where,
                    code=code,
                )
            )
        wanted.append(plan)
    if [p.id for p in indicator.plan_links] != [p.id for p in wanted]:
        indicator.plan_links = wanted


def _sync_ambitions(session: Session, indicator: Indicator, entries: list[dict], where: Message) -> None:
    wanted = []
    for i, entry in enumerate(entries):
        w = msg("{where}, ambition no. {number}", where=where, number=i + 1)
        wanted.append(
            {
                "target_value": entry.get("target_value"),
                "target_date": parse_date(entry.get("target_date"), w, "target_date"),
                "target_label": str(entry.get("target_label", "") or ""),
                "status": choice(entry, "status", AMBITION_STATUSES, "foreslått", w),
                "wording": entry.get("wording", "") or "",
                "baseline_value": entry.get("baseline_value"),
                "baseline_label": str(entry.get("baseline_label", "") or ""),
                "baseline_date": parse_date(entry.get("baseline_date"), w, "baseline_date"),
                "source_document": document(entry.get("source_document"), w),
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
        where = msg("narratives.yaml, no. {number}", number=i + 1)
        goal = goals.get(need(entry, "goal", where))
        if goal is None:
            raise SeedError(msg("{where}: unknown goal «{goal}».", where=where, goal=entry["goal"]))
        codes = list(entry.get("indicators", []) or [])
        unknown = [c for c in codes if c not in indicators]
        if unknown:
            raise SeedError(
                msg("{where}: unknown indicator codes {codes}.", where=where, codes=", ".join(unknown))
            )
        values: dict[str, Any] = {k: [str(x) for x in entry.get(k, []) or []] for k in lists}
        values.update(
            title=entry.get("title", "") or "",
            indicator_codes=codes,
            source_document=document(entry.get("source_document"), where),
        )
        # The seed owns version 0; texts imported or edited later are newer versions it never touches.
        key = {"goal_id": goal.id, "quarter": need(entry, "quarter", where), "version": 0}
        upsert(session, GoalNarrative, key, values)


# -- measurements ----------------------------------------------------------------------------


def _sync_measurements(session: Session, path: Path) -> SeedLoad:
    """Add, update and remove seed measurements; imported values always win."""
    report = ImportReport(filename=path.name)
    try:
        frame = read_table(path.read_bytes(), ".csv", report)
    except FileNotFoundError:
        raise SeedError(msg("The seed file {file} is missing.", file=path.name)) from None
    rows = None if report.errors else validate(session, frame, report)
    if report.errors or rows is None:
        listed = join(*(e.located() for e in report.errors[:10]), sep="; ")
        raise SeedError(msg("{file} has errors: {errors}", file=path.name, errors=listed))
    seed_batches = set(session.scalars(select(ImportBatch.id).where(ImportBatch.kind == "seed")))
    lock_measurements(session)
    plan = plan_rows(session, rows)
    # Values stored by an import are the secretariat's; the seed must not overwrite them.
    seeded = plan.changed["old_batch"].isin(seed_batches)
    kept = int((~seeded).sum())
    plan.changed = plan.changed[seeded]
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
    added, updated = len(plan.new), len(plan.changed)
    unchanged = len(rows) - added - updated - kept
    newest = session.scalar(
        select(ImportBatch).where(ImportBatch.kind == "seed").order_by(ImportBatch.id.desc()).limit(1)
    )
    if newest is not None and not (added or updated or stale):
        return SeedLoad(newest, unchanged=unchanged, kept=kept)
    if stale:
        session.execute(delete(Measurement).where(Measurement.id.in_(stale)))
    batch = ImportBatch(
        kind="seed",
        filename=path.name,
        rows_added=added,
        rows_updated=updated,
        rows_unchanged=unchanged,
        actor="seed",
        replaced=[],
    )
    session.add(batch)
    session.flush()
    write_rows(session, plan, batch.id)
    return SeedLoad(batch, added, updated, len(stale), unchanged, kept)
