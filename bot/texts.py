"""Texts of the modules not yet moved to the message catalogue, by their old keys.

The digest and council-settings handlers (bot/handlers/digests.py, bot/handlers/councils.py)
still ask `Request.t("key")`; each key names its catalogue message here, so their words are in
the catalogue too, in both languages. Converting such a module (README, "Languages"): replace
`req.t("key", **fields)` with `req._("<msgid>", **fields)` and delete the key here.
"""

from __future__ import annotations

from radsbot.data.words import N_, words

LEGACY = {
    "refused_title": N_("No access"),
    "refused_digest": N_(
        "Only the secretariat (the staff role) can see a digest before it is posted. Each council's "
        "digest is posted in its channel before every meeting: write “next digest” for when, or "
        "“overview” for the status now."
    ),
    "digest_document": N_(
        "The whole digest, with status, events, challenges and one chart per goal, is in the Word document."
    ),
    "next_digest": N_(
        "The next digest is for {council} meeting {number} ({date}); it is posted in {channel} {when}."
    ),
    "next_digest_title": N_("Next digest"),
    "next_digest_preview": N_("The secretariat gets a preview {when}."),
    "meeting_example": N_("Example data: this meeting is an example in the calendar, not a fixed meeting."),
    "at_time": N_("{date} at {time}"),
    "digest_decision_title": N_("Pre-meeting digest"),
    "digest_decision_refused": N_("Only the secretariat (the staff role) can publish or cancel a digest."),
    "digest_decision_unknown": N_("This digest was not found. Ask “next digest” to see what is planned."),
    "digest_at_once": N_("right away (within a minute)"),
    "digest_approved": N_(
        "Approved by {user}: the digest before {council} meeting {number} ({date}) is posted in {channel} "
        "{when}."
    ),
    "digest_cancelled": N_(
        "Cancelled by {user}: the digest before {council} meeting {number} ({date}) is not posted."
    ),
}


def text(lang: str, key: str, **fields: object) -> str:
    """The catalogue message an old key names, in `lang`, with fields filled in."""
    return words(lang)._(LEGACY[key], **fields)
