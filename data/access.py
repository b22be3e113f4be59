"""Who may do what: roles keyed by chat user id, and the audit log of what was done."""

from __future__ import annotations

import logging
import re
from enum import IntEnum
from typing import Any

from radsbot.data.db import transaction
from radsbot.data.errors import DomainError
from radsbot.data.fields import check, fit, max_length, problem, quote
from radsbot.data.models import ROLES, AuditLog, User
from radsbot.data.words import msg
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

# The longest chat user id a role can be stored for (the chat core cuts longer ids to it).
USER_ID_LENGTH = max_length(User.chat_user_id)
# Teams users are keyed by their Entra object id: "aad:" and a GUID in lower case.
AAD_PREFIX = "aad:"
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class Role(IntEnum):
    """Roles in increasing order of power; each includes the ones below."""

    MEMBER = 1
    STAFF = 2
    ADMIN = 3

    @classmethod
    def parse(cls, text: str) -> Role:
        """A role from its name ("member", "staff", "admin", or medlem/stab/admin)."""
        names = {
            "member": cls.MEMBER,
            "medlem": cls.MEMBER,
            "staff": cls.STAFF,
            "stab": cls.STAFF,
            "sekretariat": cls.STAFF,
            "admin": cls.ADMIN,
        }
        try:
            return names[text.strip().lower()]
        except KeyError:
            raise AccessError(
                msg("Unknown role {role}. Choose one of: {roles}.", role=quote(text), roles=", ".join(ROLES))
            ) from None


# What each action requires. Asking is open to every workspace member.
REQUIRED_ROLE = {
    "ask": Role.MEMBER,
    "document": Role.STAFF,
    "import": Role.STAFF,
    # Replacing a goal's status text from chat (bot/narrative_edit.py).
    "narrative": Role.STAFF,
    # A digest before it is posted is the secretariat's draft; members read it in the channel.
    "digest_preview": Role.STAFF,
    "digest_approve": Role.STAFF,
    "configure": Role.ADMIN,
    "access": Role.ADMIN,
}


class AccessError(DomainError):
    """A refused or malformed access request; the message says what is wrong."""


def check_actor(actor: str) -> str:
    """Who acted, as the audit log stores it (--as, a chat user id); FieldError if it cannot hold it."""
    return check(actor, AuditLog.actor, msg("The user name {name}", name=quote(actor)))


def role_of(session: Session, chat_user_id: str, admins: tuple[str, ...] = ()) -> Role:
    """The user's role; unknown users are members, configured admins are always admins."""
    if chat_user_id in admins:
        return Role.ADMIN
    stored = session.scalar(select(User.role).where(User.chat_user_id == chat_user_id))
    return Role.parse(stored) if stored else Role.MEMBER


def allowed(session: Session, chat_user_id: str, action: str, admins: tuple[str, ...] = ()) -> bool:
    """Whether this user may perform `action` (a key of REQUIRED_ROLE)."""
    return role_of(session, chat_user_id, admins) >= REQUIRED_ROLE[action]


def user_key(chat_user_id: str) -> str:
    """A user id as typed (`radsbot access`) in the form roles are stored: a Teams user's
    `aad:<Entra object id>` checked to be a GUID and in lower case, as the Teams bot gives it; any
    other (Slack) id as given.

    Raises:
        AccessError: an `aad:` id whose object id is not a GUID.
    """
    if chat_user_id[:4].lower() != AAD_PREFIX:
        return chat_user_id
    object_id = chat_user_id[4:].strip().lower()
    if not GUID.match(object_id):
        raise AccessError(
            msg(
                "{value} is not a Teams user ID. Write aad: followed by the user's object ID in Entra ID "
                "(a GUID), e.g. aad:0f0e0d0c-0b0a-4909-8807-060504030201.",
                value=quote(chat_user_id),
            )
        )
    return AAD_PREFIX + object_id


def grant(session: Session, chat_user_id: str, role: str, name: str = "") -> User:
    """Give a user a role (creating the user); returns the stored user."""
    parsed = Role.parse(role)
    if not chat_user_id.strip():
        raise AccessError(msg("The user ID is missing. Give the Slack user's ID, e.g. U012ABCDEF."))
    fields = (
        (chat_user_id, User.chat_user_id, msg("The user ID {value}", value=quote(chat_user_id))),
        (name, User.name, msg("The name {value}", value=quote(name))),
    )
    for value, attribute, what in fields:
        reason = problem(value, attribute)
        if reason:
            raise AccessError(msg("{what} cannot be stored: {reason}", what=what, reason=reason))
    user = session.scalar(select(User).where(User.chat_user_id == chat_user_id))
    if user is None:
        user = User(chat_user_id=chat_user_id, name=name)
        session.add(user)
    user.role = parsed.name.lower()
    if name:
        user.name = name
    session.flush()
    return user


def revoke(session: Session, chat_user_id: str) -> None:
    """Remove a user's role, so that they are an ordinary member again."""
    user = session.scalar(select(User).where(User.chat_user_id == chat_user_id))
    if user is None:
        raise AccessError(msg("The user {user} has no role granted.", user=chat_user_id))
    session.delete(user)
    session.flush()


def users(session: Session) -> list[User]:
    """Users with an assigned role, admins first."""
    order = {"admin": 0, "staff": 1, "member": 2}
    return sorted(session.scalars(select(User)), key=lambda u: (order.get(u.role, 3), u.chat_user_id))


def audit(
    session: Session,
    actor: str,
    action: str,
    target: str = "",
    outcome: str = "ok",
    **details: Any,
) -> AuditLog:
    """Record what someone did (or was refused); the caller commits with the rest of the work.

    The target is kept as given, or escaped and shortened where its column cannot hold it (data.fields.fit).

    Raises:
        FieldError: the actor cannot be stored (the CLI checks --as, the chat core the user id).
    """
    check_actor(actor)
    target = fit(target, AuditLog.target)
    entry = AuditLog(actor=actor, action=action, target=target, outcome=outcome, details=details)
    session.add(entry)
    return entry


def audit_entries(session: Session, limit: int = 50, action: str | None = None) -> list[AuditLog]:
    """The newest audit log entries, optionally of one action."""
    query = select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)
    if action:
        query = query.where(AuditLog.action == action)
    return list(session.scalars(query))


class AuditFailed(DomainError):
    """The audit log did not take an entry; the message says what to do."""


def record(sessions: sessionmaker[Session], actor: str, action: str, target: str = "", **details: Any) -> int:
    """Commit one audit entry in its own transaction, before the work it records is made visible.

    Returns:
        The entry's id (for `mark_failed`).

    Raises:
        AuditFailed: the database refused the entry; nothing is stored.
    """
    try:
        with transaction(sessions) as session:
            entry = audit(session, actor, action, target=target, **details)
            session.flush()
            return entry.id
    except SQLAlchemyError as exc:
        log.warning("Audit entry %r for %r refused: %s", action, actor, type(exc).__name__)
        raise AuditFailed(
            msg(
                "The audit log did not take the entry, so nothing is written. Try again, or contact "
                "whoever runs Rådsbot."
            )
        ) from None


def mark_failed(sessions: sessionmaker[Session], entry_id: int, error: str) -> None:
    """Record that the work of a committed entry could not be completed after all.

    Raises:
        AuditFailed: the database refused the change.
    """
    try:
        with transaction(sessions) as session:
            entry = session.get(AuditLog, entry_id)
            if entry is not None:
                entry.outcome = "failed"
                entry.details = {**entry.details, "error": error[:500]}
    except SQLAlchemyError as exc:
        log.warning("Audit entry %s could not be marked failed: %s", entry_id, type(exc).__name__)
        raise AuditFailed(msg("The audit log could not be updated.")) from None
