"""Reading and checking the seed files: YAML entries, required fields, choices, dates, upserts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from radsbot.data.errors import DomainError
from radsbot.data.fields import problem
from radsbot.data.words import Message, msg
from sqlalchemy import select
from sqlalchemy.orm import Session


class SeedError(DomainError, ValueError):
    """A seed file that cannot be loaded; the message names the file, the entry and the problem."""


def entries(path: Path, key: str) -> list[dict[str, Any]]:
    """The list under `key` in a YAML file."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise SeedError(
            msg("The seed file {file} is missing in {folder}.", file=path.name, folder=str(path.parent))
        ) from None
    except yaml.YAMLError as exc:
        raise SeedError(msg("{file} is not valid YAML: {reason}", file=path.name, reason=str(exc))) from None
    entries = content.get(key, []) if isinstance(content, dict) else None
    if not isinstance(entries, list):
        raise SeedError(msg("{file}: expected a list under «{key}:».", file=path.name, key=key))
    return entries


def need(entry: dict, field: str, where: Message | str) -> Any:
    value = entry.get(field)
    if value in (None, ""):
        raise SeedError(msg("{where}: the field «{field}» is missing.", where=where, field=field))
    return value


def choice(entry: dict, field: str, allowed: tuple[str, ...], default: str, where: Message | str) -> str:
    value = entry.get(field, default)
    if value not in allowed:
        raise SeedError(
            msg(
                "{where}: «{field}» is «{value}», but must be one of {allowed}.",
                where=where,
                field=field,
                value=value,
                allowed=", ".join(allowed),
            )
        )
    return value


def parse_date(value: Any, where: Message | str, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise SeedError(
            msg(
                "{where}: «{field}» is «{value}», not a date (YYYY-MM-DD).",
                where=where,
                field=field,
                value=value,
            )
        ) from None


def document(value: Any, where: Message | str) -> str:
    """A source document reference such as "002"; YAML turns an unquoted 002 into the number 2."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise SeedError(
            msg('{where}: «source_document» must be in quotation marks, e.g. "002".', where=where)
        )
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
            raise SeedError(
                msg(
                    "{table} {entry}: the field «{field}» cannot be stored: {reason}",
                    table=model.__tablename__,
                    entry=entry,
                    field=name,
                    reason=reason,
                )
            )
    obj = session.scalar(select(model).filter_by(**key))
    if obj is None:
        obj = model(**key, **values, **(insert_only or {}))
        session.add(obj)
        return obj
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
    return obj
