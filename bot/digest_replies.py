"""The digest as chat replies: an overview message, then one reply per goal with its chart.

Sized for Slack's limits whatever the renderer does with a Section: a section's heading, text
and items stay well under 3,000 characters (long narratives are split over several sections)
and a reply has at most MAX_SECTIONS sections, so it renders to fewer than 50 blocks; a goal
that needs more continues in a second reply.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from radsbot.bot.replies import Attachment, Fact, Reply, Section
from radsbot.data.words import words
from radsbot.reports import formatting as fmt
from radsbot.reports.chart_text import chart_text
from radsbot.reports.digest import Digest, GoalSection, IndicatorRow, VerdictCount
from radsbot.reports.digest_texts import labels

# Room for mrkdwn escaping (& -> &amp;) and bullets inside Slack's 3,000 characters per text.
SECTION_BUDGET = 2400
# A Section renders to at most three blocks (text, fields, context); plus header and notice.
MAX_SECTIONS = 15


def digest_replies(
    digest: Digest, lang: str | None = None, *, charts: Mapping[str, bytes] | None = None
) -> list[Reply]:
    """The overview reply first, then one reply per goal (with its chart as an attachment).

    Args:
        digest: the composed digest.
        lang: the language of the reply's own labels (defaults to the digest's).
        charts: the goal charts by file name, if already drawn; drawn here otherwise.
    """
    lang = lang or digest.lang
    if charts is None:
        from radsbot.reports.digest import draw_charts

        charts = draw_charts(digest)
    replies = [overview_reply(digest, lang)]
    for goal in digest.goals:
        replies += _goal_replies(digest, goal, lang, charts.get(goal.chart_filename))
    return replies


def counts_text(counts: tuple[VerdictCount, ...], lang: str) -> str:
    """ "2 på sporet, 1 usikkert" for the verdicts that occur."""
    shown = [f"{c.count} {c.label.lower()}" for c in counts if c.count]
    return ", ".join(shown) or words(lang)._("no indicators")


def overview_reply(digest: Digest, lang: str | None = None, *, threaded: bool = True) -> Reply:
    """The digest's overview message; `threaded` says the goals follow in its thread."""
    lang = lang or digest.lang
    w, lab = words(lang), digest.labels
    sections = (
        Section(facts=tuple(Fact(label, value) for label, value in digest.facts)),
        Section(heading=lab["overview"], facts=tuple(Fact(c.label, str(c.count)) for c in digest.totals)),
        *_split(
            w._("Status per goal"),
            [f"{g.label}: {counts_text(g.counts, lang)}" for g in digest.goals],
            lang,
            context=w._("One message per goal follows in the thread, with a chart.") if threaded else "",
        ),
    )
    return Reply(
        title=digest.title,
        summary=f"{digest.title}: {counts_text(digest.totals, lang)}.",
        sections=sections,
        notice=" ".join(digest.notices) if digest.has_example_data else "",
        meta={"digest": "overview", "council": digest.council_code, "quarter": digest.quarter},
    )


def _goal_replies(digest: Digest, goal: GoalSection, lang: str, chart: bytes | None) -> list[Reply]:
    w, lab, narrative = words(lang), digest.labels, goal.narrative
    sections: list[Section] = []
    if narrative.note:
        sections.append(Section(text=narrative.note))
    if narrative.parts:
        sections += _split(narrative.parts[0].heading, list(narrative.parts[0].items), lang)
    lines = list(narrative.selected) + [_indicator_line(r, lab, lang) for r in goal.indicators]
    sections += _split(lab["selected"], lines or [lab["none"]], lang)
    for part in narrative.parts[1:]:
        items = [f"{i}. {item}" if part.numbered else item for i, item in enumerate(part.items, start=1)]
        sections += _split(part.heading, items, lang)
    if narrative.footnotes:
        sections += _split(w._("Notes"), list(narrative.footnotes), lang)
    chart_title = f"{labels(lang)['chart']}: {goal.label}"
    alt = chart_text(goal.status, lang).full
    attachments = (Attachment(goal.chart_filename, chart_title, chart, alt=alt),) if chart else ()
    cont = w._("cont.")
    chunks = [sections[i : i + MAX_SECTIONS] for i in range(0, len(sections), MAX_SECTIONS)] or [[]]
    replies = []
    for n, chunk in enumerate(chunks):
        title = goal.label if n == 0 else f"{goal.label} ({cont})"
        replies.append(
            Reply(
                title=title,
                summary=f"{goal.label}: {counts_text(goal.counts, lang)}.",
                sections=tuple(chunk),
                attachments=attachments if n == 0 else (),
                notice=fmt.example_note(lang) if goal.has_example_data and n == 0 else "",
                # "part" keys the reply in the posted thread (bot/digest_thread.py); "label"
                # names the goal when the thread is reported incomplete.
                meta={
                    "digest": "goal",
                    "goal": goal.code,
                    "council": digest.council_code,
                    "part": f"goal:{goal.code}" if n == 0 else f"goal:{goal.code}:{n + 1}",
                    "label": goal.label,
                },
            )
        )
    return replies


def _indicator_line(row: IndicatorRow, lab: dict[str, str], lang: str) -> str:
    name = f"{row.name} ({lab['highlighted']})" if row.highlighted else row.name
    return words(lang)._(
        "{name}: {value} ({period}) · target {ambition} · {verdict} · change since the previous meeting: "
        "{change}",
        name=name,
        value=row.value,
        period=row.period,
        ambition=row.ambition,
        verdict=row.verdict_label,
        change=row.change,
    )


def _split(heading: str, items: list[str], lang: str, *, context: str = "") -> list[Section]:
    """Sections holding the items, each within SECTION_BUDGET; over-long items are cut at words."""
    limit = SECTION_BUDGET - 200
    pieces = [p for item in items for p in ([item] if len(item) <= limit else textwrap.wrap(item, limit))]
    sections: list[list[str]] = []
    current: list[str] = []
    size = len(heading)
    for piece in pieces:
        if current and size + len(piece) + 3 > SECTION_BUDGET:
            sections.append(current)
            current, size = [], len(heading) + 10
        current.append(piece)
        size += len(piece) + 3
    sections.append(current)
    cont = words(lang)._("cont.")
    return [
        Section(
            heading=heading if i == 0 else f"{heading} ({cont})",
            items=tuple(chunk),
            context=context if i == len(sections) - 1 else "",
        )
        for i, chunk in enumerate(sections)
    ]


def compose(session, council, meeting, today, *, lang: str = "nb") -> list[Reply]:
    """The scheduler's Composer: build the meeting's digest and turn it into replies."""
    from radsbot.reports.digest import build_digest

    return digest_replies(build_digest(session, council, meeting, today=today, lang=lang))
