"""Toppnotat, meeting notices and digests: parsed here, answered by features of later versions.

Documents need the staff role already now; refusals are written to the audit log.
"""

from __future__ import annotations

from bot.handlers.request import Request
from bot.replies import Reply, Section
from data.access import allowed, audit


def toppnotat_reply(req: Request, number: str, council: str | None) -> Reply:
    """A case paper: refused without the staff role; otherwise not available yet."""
    refused = _refuse(req, "toppnotat", number or "", council)
    if refused is not None:
        return refused
    if not number:
        return _later(req, req.t("later_toppnotat_missing"))
    return _later(req, req.t("later_toppnotat", number=number))


def innkalling_reply(req: Request, meeting: str, council: str | None) -> Reply:
    """A meeting notice: refused without the staff role; otherwise not available yet."""
    refused = _refuse(req, "innkalling", meeting, council)
    if refused is not None:
        return refused
    label = req.t("meeting_next") if meeting == "neste" else meeting
    if council:
        label += f" ({council.upper()})"
    return _later(req, req.t("later_innkalling", meeting=label))


def digest_reply(req: Request, council: str | None, next_: bool) -> Reply:
    """The pre-meeting digest: not available yet."""
    where = req.t("in_council", council=council.upper()) if council else ""
    return _later(req, req.t("later_digest_next" if next_ else "later_digest", council=where))


def _refuse(req: Request, document: str, target: str, council: str | None) -> Reply | None:
    """A refusal (audited) when the user may not generate documents, else None."""
    if allowed(req.session, req.user, "document", req.admins):
        return None
    audit(req.session, req.user or "ukjent", document, target=target, outcome="denied", council=council or "")
    text = req.t("refused_document", document=req.t(f"document_{document}"))
    return Reply(title=req.t("refused_title"), summary=text, kind="refused", ephemeral=True)


def _later(req: Request, text: str) -> Reply:
    return Reply(
        title=req.t("later_title"),
        summary=text,
        sections=(Section(context=req.t("later_hint")),),
        kind="unavailable",
    )
