"""Reading and checking the seed files: YAML entries, required fields, choices, dates, upserts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from radsbot.data.fields import problem
from sqlalchemy import select
from sqlalchemy.orm import Session


class SeedError(ValueError):
    """A seed file that cannot be loaded; the message names the file, the entry and the problem."""


def entries(path: Path, key: str) -> list[dict[str, Any]]:
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


def need(entry: dict, field: str, where: str) -> Any:
    value = entry.get(field)
    if value in (None, ""):
        raise SeedError(f"{where}: feltet «{field}» mangler.")
    return value


def choice(entry: dict, field: str, allowed: tuple[str, ...], default: str, where: str) -> str:
    value = entry.get(field, default)
    if value not in allowed:
        raise SeedError(f"{where}: «{field}» er «{value}», men må være en av {', '.join(allowed)}.")
    return value


def parse_date(value: Any, where: str, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise SeedError(f"{where}: «{field}» er «{value}», ikke en dato (ÅÅÅÅ-MM-DD).") from None


def document(value: Any, where: str) -> str:
    """A source document reference such as "002"; YAML turns an unquoted 002 into the number 2."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise SeedError(f'{where}: «source_document» må stå i anførselstegn, f.eks. "002".')
    return value


def upsert(
    session: Session,
    model,
    key: dict[str, Any],
    values: dict[str, Any],
    *,
    insert_only: dict[str, Any] | None = None,
):
    """Find by key and update the values that differ, or create; returns the object.

    Raises:
        SeedError: a value its column cannot hold, naming the entry and the field.
    """
    columns = model.__table__.columns
    for name, value in {**key, **values, **(insert_only or {})}.items():
        reason = problem(value, columns[name]) if name in columns else None
        if reason:
            entry = " ".join(str(v) for v in key.values() if not isinstance(v, int)) or str(key)
            raise SeedError(f"{model.__tablename__} {entry}: feltet «{name}» kan ikke lagres: {reason}")
    obj = session.scalar(select(model).filter_by(**key))
    if obj is None:
        obj = model(**key, **values, **(insert_only or {}))
        session.add(obj)
        return obj
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
    return obj
