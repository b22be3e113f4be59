"""The chat core on the seeded database: every answer shows the stored figures.

Expected values are read from the database (and from reports/, which the bot must use rather
than compute analytics itself); nothing here hard-codes a figure of the seed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from radsbot.bot.bootstrap import Context
from radsbot.bot.engine import Engine
from radsbot.bot.replies import Reply
from radsbot.bot.settings import Settings
from radsbot.data import queries
from radsbot.data.models import AuditLog, Case, Council, Goal, Indicator, Measurement, Meeting
from radsbot.reports import formatting as fmt
from radsbot.reports.status import goal_status, indicator_status, overview, total_counts
from sqlalchemy import func, select, text

from tests.conftest import CHAT_TODAY

CARD_CODES = ["PLL", "VFT", "TILLIT", "DDFL", "DHO_KOMMUNE", "EPJ_EFFEKTIV", "HTO", "KJ_KILDER"]


def facts(reply: Reply) -> dict[str, str]:
    """Every fact of a reply by label."""
    return {f.label: f.value for s in reply.sections for f in s.facts}


def all_text(reply: Reply) -> str:
    """Everything a reader sees, as one string."""
    parts = [reply.title, reply.summary, reply.notice]
    for s in reply.sections:
        parts += [s.heading, s.text, s.context, *s.items, *(f"{f.label} {f.value}" for f in s.facts)]
        parts += [b.label for b in s.buttons]
    return "\n".join(parts)


def indicator(session, code: str) -> Indicator:
    """The stored indicator."""
    found = session.scalar(select(Indicator).where(Indicator.code == code))
    assert found is not None, f"{code} is not in the seed"
    return found


def national(session, ind: Indicator) -> list[Measurement]:
    """The indicator's national values, newest first."""
    return list(
        session.scalars(
            select(Measurement)
            .where(Measurement.indicator_id == ind.id, Measurement.breakdown == "")
            .order_by(Measurement.period_end.desc())
        )
    )


def expected_card(session, ind: Indicator) -> dict[str, object]:
    """What the card must say, from the database and reports.status."""
    status = indicator_status(session, ind, CHAT_TODAY)
    rows = national(session, ind)
    ambition = queries.primary_ambition(ind)
    return {"status": status, "rows": rows, "ambition": ambition}


@pytest.mark.slow
@pytest.mark.parametrize("code", CARD_CODES)
def test_indicator_card_shows_the_stored_figures(chat, session, code):
    ind = indicator(session, code)
    want = expected_card(session, ind)
    status, rows, ambition = want["status"], want["rows"], want["ambition"]
    reply = chat.answer(f"status {code}")
    shown = facts(reply)

    assert reply.kind == "answer"
    assert ind.name in reply.title and code in reply.title
    if ind.parent is None:
        assert shown["Mål"] == ind.goal.label
    else:
        assert ind.parent.code in shown["Del av"] and ind.goal.label in shown["Del av"]
    composite = bool(status.children) and status.series.empty
    if composite:
        assert "sammensatt" in shown["Siste verdi"]
        section = next(s for s in reply.sections if s.heading == "Delindikatorer")
        assert [item.split(" – ")[0] for item in section.items] == [c.indicator.code for c in status.children]
    elif rows:
        latest = rows[0]
        assert fmt.value(latest.value, ind.unit) in shown["Siste verdi"]
        assert fmt.period(latest.period) in shown["Siste verdi"]
        assert ("eksempeldata" in shown["Siste verdi"]) == latest.is_example
        if len(rows) > 1:
            assert fmt.change(latest.value - rows[1].value, ind.unit) in shown["Endring"]
            assert fmt.period(rows[1].period) in shown["Endring"]
        assert shown["Vurdering"] == status.verdict.label("nb")
    else:
        assert shown["Siste verdi"] == "ingen målinger ennå"
    if ambition is not None and ambition.target_value is not None and ambition.status != "ikke_foreslått":
        assert fmt.value(ambition.target_value, ind.unit) in shown["Ambisjon"]
        assert ambition.status in shown["Ambisjon"]  # foreslått / vedtatt
    else:
        assert shown["Ambisjon"] == "Ingen ambisjon foreslått"
    assert (
        shown["Datastatus"]
        == {"klar": "Klar", "under_arbeid": "Under arbeid", "fremtidig": "Fremtidig"}[ind.readiness]
    )
    assert (
        shown["Oppdatering"]
        == {"arlig": "Årlig", "kvartalsvis": "Kvartalsvis", "lopende": "Løpende"}[ind.frequency]
    )
    assert shown["Kilde"] == (ind.source or "–")
    buttons = [b for s in reply.sections for b in s.buttons]
    assert [(b.label, b.action, b.value) for b in buttons] == [("Vis graf", "show_chart", code)]


@pytest.mark.slow
def test_every_indicator_card_marks_example_data_exactly_when_shown(chat, session):
    """Across the whole catalogue: the notice appears exactly when a shown number is example data."""
    for ind in session.scalars(select(Indicator).order_by(Indicator.id)):
        status = indicator_status(session, ind, CHAT_TODAY)
        a = status.assessment
        shown_example = status.has_example_data or any(
            p.is_example for p in (a.latest, a.previous) if p is not None
        )
        reply = chat.answer(f"status {ind.code}")
        assert reply.kind == "answer", (ind.code, reply)
        assert bool(reply.notice) == shown_example, ind.code
        if reply.notice:
            assert "eksempeldata" in reply.notice.lower()


def test_the_verdict_is_explained(chat, session):
    from radsbot.reports.analytics import explain

    ind = indicator(session, "PLL")
    status = indicator_status(session, ind, CHAT_TODAY)
    reply = chat.answer("status PLL")
    section = next(s for s in reply.sections if s.heading == "Vurdering")
    assert section.text == explain(status.assessment, "nb", unit=ind.unit)


def test_the_ambition_question_leads_with_the_ambition(chat, session):
    ind = indicator(session, "TILLIT")
    ambition = queries.primary_ambition(ind)
    reply = chat.answer("hva er ambisjonen for innbyggers tillit?")
    first = reply.sections[0]
    assert first.facts[0].label == "Ambisjon"
    assert reply.summary.startswith("Ambisjonen for")
    if ambition is not None and ambition.target_value is not None:
        assert fmt.value(ambition.target_value, ind.unit) in reply.summary
    if ambition is not None and ambition.wording:
        assert ambition.wording.strip() in first.text


def test_the_source_question_leads_with_the_source(chat, session):
    ind = indicator(session, "PLL")
    reply = chat.answer("hvilken kilde har pasientens legemiddelliste?")
    assert reply.sections[0].facts[0].label == "Kilde"
    assert ind.source in reply.summary


def test_how_many_municipalities_answers_with_the_count(chat, session):
    ind = indicator(session, "DHO_KOMMUNE")
    rows = national(session, ind)
    reply = chat.answer("hvor mange kommuner har digital hjemmeoppfølging?")
    assert reply.meta["indicator"] == "DHO_KOMMUNE"
    if rows:
        assert fmt.value(rows[0].value, ind.unit) in reply.summary


def test_a_composite_lists_its_parts_with_codes(chat, session):
    parent = session.scalar(
        select(Indicator)
        .where(Indicator.children.any(), Indicator.indicator_set == "dashbord")
        .order_by(Indicator.id)
    )
    reply = chat.answer(f"status {parent.code}")
    section = next(s for s in reply.sections if s.heading == "Delindikatorer")
    assert {item.split(" – ")[0] for item in section.items} == {c.code for c in parent.children}


def test_a_part_says_what_it_is_part_of(chat, session):
    child = session.scalar(select(Indicator).where(Indicator.parent_id.is_not(None)).order_by(Indicator.id))
    reply = chat.answer(f"status {child.code}")
    assert child.parent.code in facts(reply)["Del av"]


def test_goal_lists_its_indicators_with_verdicts(chat, session):
    goal = session.scalar(select(Goal).where(Goal.number == 1))
    status = goal_status(session, goal, CHAT_TODAY)
    reply = chat.answer("hvilke indikatorer hører til mål 1?")
    assert reply.title == goal.label
    items = next(s for s in reply.sections if s.heading == "Indikatorer").items
    listed = {item.lstrip("↳ ").split(" – ")[0] for item in items}
    assert {s.indicator.code for s in status.indicators} <= listed
    for s in status.indicators:
        if not (s.children and s.series.empty):
            line = next(x for x in items if x.startswith(f"{s.indicator.code} – "))
            assert line.endswith(s.verdict.label("nb"))
    counts = {f.label: int(f.value) for f in reply.sections[0].facts}
    assert counts == {v.label("nb"): n for v, n in status.counts.items() if n}


def test_overarching_goal_by_name(chat, session):
    goal = session.scalar(select(Goal).where(Goal.code == "baerekraft"))
    reply = chat.answer("overordnet mål bærekraftig helse- og omsorgssektor")
    assert reply.title == goal.label


@pytest.mark.slow
def test_overview_shows_every_goal_with_counts(chat, session):
    goals = overview(session, CHAT_TODAY)
    reply = chat.answer("oversikt")
    headings = [s.heading for s in reply.sections if s.heading]
    assert headings == [g.goal.label for g in goals]
    total = total_counts(goals)
    assert reply.summary.startswith(f"{sum(total.values())} indikatorer i {len(goals)} mål")
    for g, section in zip(goals, [s for s in reply.sections if s.heading], strict=True):
        for verdict, n in g.counts.items():
            assert f"{verdict.label('nb')} {n}" in section.text


@pytest.mark.slow
def test_home_is_the_overview(chat):
    assert chat.home("U1") == chat.answer("oversikt", "U1")


def test_next_meeting_is_the_first_planned_one_from_today(chat, session):
    planned = session.scalars(
        select(Meeting).where(Meeting.status == "planned", Meeting.date >= CHAT_TODAY).order_by(Meeting.date)
    ).all()
    first = planned[0]
    reply = chat.answer("neste møte")
    assert first.number in reply.title
    shown = facts(reply)
    assert shown["Dato"] == fmt.date(first.date)
    assert shown["Tid"] == f"kl. {first.start_time.replace(':', '.')}–{first.end_time.replace(':', '.')}"
    # Without a council the answer also lists each council's next meeting, and the example notice
    # covers every meeting shown.
    per_council = {m.council_id: m for m in reversed(planned)}
    listed = list(per_council.values()) if len(per_council) > 1 else [first]
    assert len(reply.sections) == (3 if len(per_council) > 1 else 2)
    assert bool(reply.notice) == any(m.is_example for m in listed)
    for m in listed:
        m.is_example = False
    session.commit()
    assert chat.answer("neste møte").notice == ""


@pytest.mark.parametrize("name", ["NUIT", "Porteføljerådet", "nuit"])
def test_next_meeting_of_a_council(chat, session, name):
    council = session.scalar(select(Council).where(Council.code == "nuit"))
    first = session.scalar(
        select(Meeting)
        .where(Meeting.status == "planned", Meeting.date >= CHAT_TODAY, Meeting.council_id == council.id)
        .order_by(Meeting.date)
    )
    reply = chat.answer(f"neste møte i {name}")
    if first is None:
        assert reply.kind == "not_found"
        return
    assert reply.title.endswith(f"møte {first.number}")
    assert "Porteføljerådet" in reply.title
    assert facts(reply)["Dato"] == fmt.date(first.date)
    agenda = next(s for s in reply.sections if s.heading == "Saker")
    assert [item.split(" ")[0] for item in agenda.items] == [c.number for c in first.cases]
    assert bool(reply.notice) == first.is_example
    if first.is_example:
        assert "eksempeldata" in reply.notice.lower()


def test_meetings_of_a_year(chat, session):
    stored = session.scalars(
        select(Meeting)
        .where(
            Meeting.date >= dt.date(2026, 1, 1),
            Meeting.date <= dt.date(2026, 12, 31),
            Meeting.status.in_(("planned", "held")),
        )
        .order_by(Meeting.date)
    ).all()
    reply = chat.answer("møter i 2026")
    items = reply.sections[0].items
    assert len(items) == len(stored)
    for item, meeting in zip(items, stored, strict=True):
        assert item.startswith(fmt.date(meeting.date))
        assert meeting.number in item
        assert item.endswith("(eksempeldata)") == meeting.is_example


def test_a_case_by_number(chat, session):
    case = session.scalar(select(Case).join(Council).where(Case.number == "40/25", Council.code == "nuit"))
    reply = chat.answer("sak 40/25")
    assert reply.title == f"Sak 40/25: {case.title}"
    body = all_text(reply)
    assert case.proposed_decision.strip() in body
    assert case.case_type in facts(reply)["Sakstype"]
    assert fmt.date(case.meeting.date) in facts(reply)["Møte"]
    for ind in case.indicators:
        assert ind.code in body
    for cited in case.cites:
        assert cited.number in body


def test_a_case_number_in_several_councils_asks_which(chat, session):
    number, count = session.execute(
        select(Case.number, func.count(Case.id)).group_by(Case.number).having(func.count(Case.id) > 1)
    ).first() or (None, 0)
    if number is None:
        pytest.skip("the seed has no case number shared by two councils")
    reply = chat.answer(f"sak {number}")
    assert reply.kind == "ambiguous"
    assert len(reply.sections[0].items) == count


def test_an_unknown_case(chat):
    reply = chat.answer("sak 99/19")
    assert reply.kind == "not_found"
    assert "Fant ingen sak 99/19" in reply.summary


def test_cases_at_the_next_meeting(chat, session):
    first = session.scalar(
        select(Meeting).where(Meeting.status == "planned", Meeting.date >= CHAT_TODAY).order_by(Meeting.date)
    )
    reply = chat.answer("saker på neste møte")
    assert first.number in reply.title
    agenda = next(s for s in reply.sections if s.heading == "Saker")
    if first.cases:
        assert [item.split(" ")[0] for item in agenda.items] == [c.number for c in first.cases]
    else:
        assert "ikke registrert saker" in agenda.text


def test_ambiguous_name_gives_a_short_list_with_codes(chat):
    reply = chat.answer("status EPJ")
    assert reply.kind == "ambiguous"
    assert reply.title == "Mente du …?"
    items = reply.sections[0].items
    assert 2 <= len(items) <= 6
    assert all("«status " in item for item in items)
    code = items[0].split(" – ")[0]
    assert chat.answer(f"status {code}").meta["indicator"] == code


def test_unknown_name_is_a_polite_not_found(chat):
    reply = chat.answer("hvordan går det med kaffemaskinen?")
    assert reply.kind == "not_found"
    assert reply.title.startswith("Fant ikke")
    assert "oversikt" in all_text(reply)


@pytest.mark.slow
def test_chart_button_gives_a_png(chat, session):
    reply = chat.action("show_chart", "PLL", "U1")
    assert reply.kind == "answer"
    (attachment,) = reply.attachments
    assert attachment.filename == "pll.png"
    assert attachment.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert attachment.is_image
    rows = national(session, indicator(session, "PLL"))
    assert bool(reply.notice) == any(r.is_example for r in rows)


@pytest.mark.slow
def test_chart_of_a_goal_and_of_a_composite(chat, session):
    goal_reply = chat.action("show_goal_chart", "mal1")
    assert goal_reply.attachments[0].content.startswith(b"\x89PNG")
    parent = session.scalar(select(Indicator).where(Indicator.children.any()).order_by(Indicator.id))
    reply = chat.answer(f"graf {parent.code}")
    assert reply.attachments[0].content.startswith(b"\x89PNG")


def test_unknown_action_is_a_norwegian_error(chat):
    reply = chat.action("launch_rocket", "PLL")
    assert reply.kind == "error"
    assert "Ukjent handling" in reply.summary


@pytest.mark.parametrize("text", ["toppnotat 40/25", "innkalling neste NUIT-møte"])
def test_documents_are_refused_to_members_and_the_refusal_audited(chat, session, text):
    reply = chat.answer(text, user="U_MEMBER")
    assert reply.kind == "refused"
    assert reply.ephemeral
    assert "staff" in reply.summary
    session.expire_all()
    entry = session.scalar(select(AuditLog).order_by(AuditLog.id.desc()))
    assert (entry.actor, entry.outcome) == ("U_MEMBER", "denied")
    assert entry.action == text.split()[0]


def test_help_lists_examples(chat):
    reply = chat.answer("hjelp")
    assert reply.kind == "help"
    items = [item for s in reply.sections for item in s.items]
    assert "«status PLL»" in items and "«neste møte i NUIT»" in items


def test_english_labels(db_url):
    context = Context(Settings(DATABASE_URL=db_url, RADSBOT_LANGUAGE="en"))
    try:
        bot = Engine(context, today=lambda: CHAT_TODAY)
        card = bot.answer("status PLL")
        help_ = bot.answer("help")
    finally:
        context.close()
    assert {"Latest value", "Target", "Assessment", "Source", "Updated"} <= set(facts(card))
    assert help_.title == "What you can ask Rådsbot"


def test_a_failure_becomes_a_polite_error_and_the_next_question_works(chat, engine):
    assert chat.answer("status PLL").kind == "answer"
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE measurement RENAME TO measurement_gone"))
    reply = chat.answer("status PLL")
    assert reply.kind == "error"
    assert reply.summary.startswith("Beklager, noe gikk galt")
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE measurement_gone RENAME TO measurement"))
    assert chat.answer("status PLL").kind == "answer"


def test_the_names_are_read_once(chat):
    chat.answer("status PLL")
    first = chat.names
    chat.answer("mål 3")
    assert chat.names is first
    chat.refresh()
    assert chat.names is not first
