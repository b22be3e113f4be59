"""RADSBOT_LANGUAGE=en: the digest (overview, goal replies, preview, scheduler notices) and the
council settings (chat and CLI, answers and refusals) say nothing in bokmål but the stored texts."""

from __future__ import annotations

import re

import pytest
from radsbot.bot import digest_notices as notices
from radsbot.bot.digest_replies import digest_replies
from radsbot.bot.digest_thread import preview_replies
from radsbot.bot.publisher import Trouble
from radsbot.bot.replies import Reply
from radsbot.data.councils import council_by_name
from radsbot.data.words import msg
from radsbot.reports.digest import build_digest

from tests.conftest import CHAT_TODAY
from tests.test_words import COMMANDS, nb_only_phrases, norwegian, stored_texts


def shown(reply: Reply) -> str:
    """Every text of a reply a reader sees: title, summary, notice, sections, buttons, files."""
    parts = [reply.title, reply.summary, reply.notice]
    for s in reply.sections:
        parts += [s.heading, s.text, *s.items, s.context]
        parts += [t for f in s.facts for t in (f.label, f.value)]
        parts += [b.label for b in s.buttons]
    parts += [a.title for a in reply.attachments]
    return "\n".join(p for p in parts if p)


def bokmal_in(text: str, stored: list[str], asked: str = "") -> list[str]:
    """The bokmål words and catalogue phrases in `text`, once stored texts, quotations of what
    was asked (and its options), channel addresses and file names are taken out."""
    text = " ".join(text.split())
    text = re.sub(r"[“«]([^”»]*)[”»]", lambda m: " " if m[1].casefold() in asked.casefold() else m[0], text)
    for stored_text in stored:
        text = text.replace(stored_text, " ")
    text = re.sub(r"#\S+|\S+\.(docx|png)\b", " ", text)  # channels (stored addresses) and files
    text = re.sub(r"--\w+", lambda m: " " if m[0] in asked.split() else m[0], text)  # options as typed
    found = [w for w in re.findall(r"[A-Za-zÆØÅæøå]+", text) if w.lower() not in COMMANDS and norwegian(w)]
    return sorted(set(found)) + [p for p in nb_only_phrases() if p in text]


@pytest.mark.slow
@pytest.mark.parametrize("code", ["nuit", "ehelseradet"])
def test_the_english_digest_overview_goal_replies_and_preview_are_english(session, code):
    council = council_by_name(session, code)
    meeting = next((m for m in council.meetings if m.date >= CHAT_TODAY), None)
    digest = build_digest(session, council, meeting, today=CHAT_TODAY, lang="en")
    replies = preview_replies(digest_replies(digest, "en", charts={}), 1, "en")
    assert len(replies) == 1 + len(digest.goals) and digest.goals
    stored = stored_texts(session)
    leaks = {r.title: found for r in replies if (found := bokmal_in(shown(r), stored))}
    assert not leaks
    assert "Preview" in shown(replies[0]) and "Status per goal" in shown(replies[0])


@pytest.mark.slow
def test_the_english_scheduler_notices_are_english(session):
    council = council_by_name(session, "nuit")
    meeting = council.meetings[-1]
    trouble = Trouble(msg("Slack limited how many messages Rådsbot could send."))
    texts = [
        notices.gave_up(meeting, "#nuit", 5, trouble, ["the overview", "Goal 1"], "en"),
        notices.gave_up(meeting, "#nuit", 1, trouble, [], "en"),
        notices.retrying(meeting, "#nuit", trouble, "tomorrow", "en"),
        notices.incomplete_at_start(meeting, "#nuit", ["Goal 2"], "en"),
        notices.expired(meeting, "en"),
    ]
    stored = stored_texts(session)
    assert not [t for t in texts if bokmal_in(t, stored)], texts
    assert "gave up after 5 attempts" in texts[0] and "after 1 attempt." in texts[1]


COUNCIL_QUESTIONS = [
    "råd",
    "council show nuit",
    "råd vis ehelseradet",
    "råd sett nuit --dager 5 --time 9 --forhåndsvisning",
    "råd sett nuit --dager 5",
    "council set nuit --lead-days 99",
    "council set nuit --hour tolv",
    "råd sett nuit --kanal ugyldig",
    "råd sett nuit --kanal teams:19:abc@thread.tacv2",
    "råd sett finnesikke --dager 3",
    "råd sett nuit --ukjent 3",
    "råd sett nuit --dager",
    "råd sett",
    "råd sett nuit",
    "råd sett nuit --kanal 'uten slutt",
    "next digest",
    "neste sammendrag nuit",
]


@pytest.mark.slow
def test_english_council_settings_answers_are_english(cli, session):
    """Every form of the council command in chat, as an admin and as a member, and the CLI's."""
    assert cli("access", "grant", "U_ADMIN", "admin")[0] == 0
    stored = stored_texts(session)
    found = []
    for user in ("U_ADMIN", "U_MEMBER"):
        for question in COUNCIL_QUESTIONS:
            code, out, err = cli(
                "ask", "--as", user, "--today", CHAT_TODAY.isoformat(), question, RADSBOT_LANGUAGE="en"
            )
            assert code in (0, 1) and not err and out.strip(), (question, out, err)  # 1: an error answer
            if leaks := bokmal_in(out, stored, question):
                found.append(f"{user} {question!r}: {leaks} in {out[:300]!r}")
    for args in (
        ("council", "list"),
        ("council", "show", "nuit"),
        ("council", "show", "finnesikke"),
        ("council", "set", "nuit", "--lead-days", "6", "--no-preview"),
        ("council", "set", "nuit", "--lead-days", "6"),
        ("council", "set", "nuit", "--hour", "30"),
        ("council", "set", "nuit", "--channel", "ugyldig"),
    ):
        code, out, err = cli(*args, RADSBOT_LANGUAGE="en")
        assert out.strip() or err.strip(), args
        if leaks := bokmal_in(out + err, stored, " ".join(args)):
            found.append(f"{args}: {leaks} in {(out + err)[:300]!r}")
    assert not found, "\n".join(found)
