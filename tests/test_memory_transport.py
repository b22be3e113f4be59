"""The core drives a chat transport that is not Slack: an in-memory Publisher (tests/fakes).

A council has a Slack and a Teams destination at once; each transport gets its digest once,
whole, through its own Publisher — also when answers are lost, posts are refused, or a worker
dies mid-thread — and the preview's Publiser / Avbryt and chat answers work the same way. No
Slack code takes part: `test_no_slack_code_is_loaded` runs this module in a fresh process and
checks that neither slack_sdk, slack_bolt nor radsbot.bot.slack was imported.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from radsbot.bot.bootstrap import Context
from radsbot.bot.digest_replies import compose
from radsbot.bot.digest_thread import Progress, digest_thread, post_thread
from radsbot.bot.engine import Engine
from radsbot.bot.publisher import Tag, keys_of, post_reply
from radsbot.bot.replies import Attachment, Reply, Section
from radsbot.bot.scheduler import DigestScheduler
from radsbot.bot.settings import Settings
from radsbot.data import deliveries
from radsbot.data.access import grant
from radsbot.data.councils import update_council
from radsbot.data.db import session_factory
from radsbot.data.destinations import Channel, register_address_rule
from radsbot.data.models import AuditLog, Council, CouncilDestination, Meeting
from sqlalchemy import delete, select, update

from tests.fakes.engine import tiny_png
from tests.fakes.memory_transport import MemoryTransport, teams_address

OSLO = ZoneInfo("Europe/Oslo")
TEAMS = "19:nuitkanal@thread.tacv2"
TEAMS_SECRETARIAT = "19:sekretariat@thread.tacv2"
SLACK = "#radsbot-nuit"


def at(*args) -> dt.datetime:
    """A time in Oslo."""
    return dt.datetime(*args, tzinfo=OSLO)


@pytest.fixture(scope="module", autouse=True)
def no_slack_after_all():
    """In the fresh process of test_no_slack_code_is_loaded: fail if any Slack code was imported."""
    yield
    if os.environ.get("RADSBOT_EXPECT_NO_SLACK") == "1":
        loaded = [m for m in sys.modules if m.split(".")[0] in ("slack_sdk", "slack_bolt")]
        loaded += [m for m in sys.modules if m.startswith("radsbot.bot.slack")]
        assert loaded == [], f"Slack code was imported: {sorted(loaded)[:10]}"


@pytest.fixture
def teams_rule():
    """The memory transport stands in for Teams: it registers its own address rule, as Teams will."""
    previous = register_address_rule("teams", teams_address)
    yield
    register_address_rule("teams", previous)


@pytest.fixture
def sessions(engine):
    """Session factory on the test database."""
    return session_factory(engine)


@pytest.fixture
def nuit(sessions, teams_rule) -> Council:
    """NUIT alone has channels: its seeded Slack ones, and Teams ones set as an admin sets them."""
    with sessions.begin() as s:
        council = s.scalar(select(Council).where(Council.code == "nuit"))
        s.execute(
            delete(CouncilDestination).where(
                CouncilDestination.council_id != council.id, CouncilDestination.purpose == "council"
            )
        )
        update_council(s, council, channel=f"teams:{TEAMS}", secretariat=f"teams:{TEAMS_SECRETARIAT}")
        # The rest of the calendar out of the way: one meeting, 3 December 2026.
        s.execute(update(Meeting).where(Meeting.council_id == council.id).values(status="held"))
        s.add(Meeting(council_id=council.id, number="9/2026", date=dt.date(2026, 12, 3), start_time="10:00"))
    with sessions() as s:
        return s.scalar(select(Council).where(Council.code == "nuit"))


def meeting_id(sessions) -> int:
    """The test meeting's id."""
    with sessions() as s:
        return s.scalar(select(Meeting.id).where(Meeting.number == "9/2026"))


def small_digest(session, council, meeting, today) -> list[Reply]:
    """A digest shaped like the real one, quick to make: a two-page overview, three goals with a
    chart each, one of them three pages long."""

    def goal(code: str, sections: int) -> Reply:
        return Reply(
            title=f"Mål {code}",
            summary=f"mål {code}",
            sections=tuple(Section(heading=f"{code} {i}", text="…") for i in range(sections)),
            attachments=(Attachment(f"{code.lower()}.png", f"Graf {code}", tiny_png()),),
            meta={"part": f"goal:{code}", "label": f"Mål {code}"},
        )

    overview = Reply(
        title=f"Status før {council.short_name} {meeting.number}",
        summary=meeting.number,
        sections=tuple(Section(heading=f"Oversikt {i}") for i in range(4)),
    )
    return [overview, goal("1", 1), goal("2", 7), goal("3", 2)]


def scheduler_for(sessions, **publishers) -> DigestScheduler:
    """A scheduler posting through the given publishers, with fast retries."""
    return DigestScheduler(
        sessions, publishers, small_digest, worker="w1", retry_base=dt.timedelta(minutes=30)
    )


def expected_keys(meeting: int) -> set[str]:
    """Every key the test digest's thread holds: pages, continuations and charts."""
    return {
        f"digest:{meeting}",
        f"digest:{meeting}/2",
        "goal:1",
        "goal:1/file:1.png",
        "goal:2",
        "goal:2/2",
        "goal:2/3",
        "goal:2/file:2.png",
        "goal:3",
        "goal:3/file:3.png",
    }


def assert_one_whole_thread(transport: MemoryTransport, address: str, meeting: int) -> str:
    """One overview in the channel; its thread holds every part exactly once."""
    [overview] = transport.top_level(address, "digest")
    thread = transport.thread(address, overview.ref)
    keys = Counter([overview.tag.key, *(m.tag.key for m in thread)])
    assert keys == Counter(expected_keys(meeting)), keys
    return overview.ref


def ledger(sessions, meeting: int, transport: str, address: str):
    """The ledger row of the meeting in one channel."""
    with sessions() as s:
        return deliveries.get(s, meeting, Channel(transport, address))


@pytest.mark.slow
def test_each_transport_gets_the_digest_once_and_whole(sessions, nuit):
    slack, teams = MemoryTransport("slack"), MemoryTransport("teams")
    scheduler = scheduler_for(sessions, slack=slack, teams=teams)
    mid = meeting_id(sessions)
    assert scheduler.tick(at(2026, 11, 26, 7, 59)) == []
    assert sorted(scheduler.tick(at(2026, 11, 26, 8, 0))) == [
        f"posted {mid} {SLACK}",
        f"posted {mid} {TEAMS} (Teams)",
    ]
    for _ in range(3):
        assert scheduler.tick(at(2026, 11, 27, 8, 0)) == []
    for transport, address in ((slack, SLACK), (teams, TEAMS)):
        root = assert_one_whole_thread(transport, address, mid)
        row = ledger(sessions, mid, transport.transport, address)
        assert (row.status, row.root_ref, row.attempts) == ("posted", root, 1)
        with sessions() as s:
            assert deliveries.missing(s, row) == []
            assert set(deliveries.parts(s, row.id, "post")) == expected_keys(mid)
    assert teams.pauses == 3  # one pause before each goal reply, none inside a reply


@pytest.mark.slow
def test_the_real_digest_goes_whole_to_teams(sessions, nuit):
    """The digest as the council reads it: overview, then every goal with its chart."""
    teams = MemoryTransport("teams")
    scheduler = DigestScheduler(sessions, {"teams": teams}, compose, worker="w1")
    mid = meeting_id(sessions)
    assert scheduler.tick(at(2026, 11, 26, 8, 0)) == [f"posted {mid} {TEAMS} (Teams)"]
    [overview] = teams.top_level(TEAMS, "digest")
    assert "Status nasjonal e-helsestrategi" in overview.text
    thread = teams.thread(TEAMS, overview.ref)
    charts = Counter(m.file.filename for m in thread if m.file)
    assert len(charts) == 8 and set(charts.values()) == {1}
    goals = [m.reply.meta["label"] for m in thread if m.reply and m.page == 1]
    assert len(goals) == len(set(goals)) == 8  # three overarching and five strategic goals, once each
    row = ledger(sessions, mid, "teams", TEAMS)
    with sessions() as s:
        assert deliveries.missing(s, row) == []
        planned = {p["key"] for p in row.parts_planned}
        assert Counter(m.tag.key for m in [overview, *thread]) == Counter(planned)


@pytest.mark.slow
def test_lost_answers_and_a_refused_reply_are_finished_by_the_retry(sessions, nuit):
    """The overview's and a chart's answers are lost (both were stored), and goal 2's second page
    is refused in two attempts: the ledger keeps what is there, says `retry`, names what is
    missing, and the retry posts only that — one overview, every part once. The secretariat
    hears of the refusal once, when it first happens."""
    teams = MemoryTransport("teams")
    teams.fail("lose", lambda method, tag, _thread: tag.kind == "digest" and method == "post_overview")
    teams.fail("lose", lambda _method, tag, _thread: tag.key == "goal:1/file:1.png")
    teams.fail("refuse", lambda _method, tag, _thread: tag.key == "goal:2/2", times=2)
    scheduler = scheduler_for(sessions, teams=teams)
    mid = meeting_id(sessions)
    [line] = scheduler.tick(at(2026, 11, 26, 8, 0))
    assert line.startswith(f"retry {mid} {TEAMS}")
    row = ledger(sessions, mid, "teams", TEAMS)
    with sessions() as s:
        assert row.status == "retry" and "Refused" in row.last_error and row.root_ref
        assert deliveries.missing(s, row) == ["Mål 2", "Mål 3"]
    scheduler.tick(at(2026, 11, 26, 8, 30))  # refused again
    assert ledger(sessions, mid, "teams", TEAMS).status == "retry"
    assert scheduler.tick(at(2026, 11, 26, 9, 30)) == [f"posted {mid} {TEAMS} (Teams)"]
    assert_one_whole_thread(teams, TEAMS, mid)
    [notice] = teams.notices(TEAMS_SECRETARIAT)
    assert "tok ikke imot meldingen" in notice and "prøver igjen 26. november 2026 kl. 08.30" in notice


@pytest.mark.slow
def test_a_refusal_someone_must_fix_is_told_and_given_up_on_in_norwegian(sessions, nuit):
    teams = MemoryTransport("teams")
    teams.fail("refuse", lambda _method, tag, _thread: tag.kind == "digest_part", times=10_000, after=1)
    scheduler = scheduler_for(sessions, teams=teams)
    mid = meeting_id(sessions)
    now = at(2026, 11, 26, 8, 0)
    while now < at(2026, 12, 3, 12, 0):
        scheduler.tick(now)
        now += dt.timedelta(hours=2)
    row = ledger(sessions, mid, "teams", TEAMS)
    assert row.status == "failed" and row.attempts == scheduler.max_attempts and row.failure_reported
    first, last = teams.notices(TEAMS_SECRETARIAT)
    assert f"kunne ikke postes i {TEAMS} (Teams)" in first and "Rådsbot prøver igjen" in first
    assert "tok ikke imot meldingen" in first
    # Goal 1's message went through, its chart did not.
    assert "har gitt opp etter 5 forsøk" in last and "mangler Mål 1, Mål 2 og Mål 3" in last
    assert "«radsbot digest --council nuit --meeting 9/2026 --post»" in last
    assert "Refused" not in first + last
    [overview] = teams.top_level(TEAMS, "digest")
    assert [m.tag.key for m in teams.thread(TEAMS, overview.ref)] == [f"digest:{mid}/2", "goal:1"]


@pytest.mark.slow
def test_a_worker_that_died_mid_thread_is_taken_over(sessions, nuit):
    """A worker claimed the digest, posted the overview and goal 1 — recording only the overview
    — and died. After its lease the next worker finds the rest in the thread and finishes it."""
    teams = MemoryTransport("teams")
    scheduler = scheduler_for(sessions, teams=teams)
    mid = meeting_id(sessions)
    with sessions.begin() as s:
        row = deliveries.claim_new(
            s, mid, Channel("teams", TEAMS), "posting", "dead", at(2026, 11, 26, 8, 0), scheduler.lease
        )
    recorded = []

    def record_then_die(key: str, ref: str) -> None:
        if len(recorded) == 3:
            raise SystemExit("killed")
        recorded.append(key)

    with sessions() as s:
        replies = small_digest(s, s.get(Council, nuit.id), s.get(Meeting, mid), dt.date(2026, 11, 26))
    dying = Progress(started=lambda key, ref: _record(sessions, row, key, ref), record=record_then_die)
    with pytest.raises(SystemExit):
        post_thread(teams, digest_thread(TEAMS, mid), replies, dying)
    assert scheduler.tick(at(2026, 11, 26, 8, 5)) == []  # the lease still holds
    assert scheduler.tick(at(2026, 11, 26, 8, 11)) == [
        f"recovering {mid} {TEAMS} (Teams)",
        f"posted {mid} {TEAMS} (Teams)",
    ]
    assert_one_whole_thread(teams, TEAMS, mid)
    with sessions() as s:
        actions = [a.action for a in s.scalars(select(AuditLog).where(AuditLog.action.like("digest_%")))]
    assert actions == ["digest_recover", "digest_post"]


def _record(sessions, row, key: str, ref: str) -> None:
    with sessions.begin() as s:
        assert deliveries.record_part(
            s, row, "post", key, ref, at(2026, 11, 26, 8, 0), dt.timedelta(minutes=10), root_ref=ref
        )


@pytest.mark.slow
def test_preview_publiser_and_avbryt_through_chat(db_url, sessions, nuit):
    """The preview reaches the Teams secretariat with Publiser / Avbryt; a member's click is
    refused, staff approve one transport's and cancel the other's; the answers are posted where
    the buttons were; only the approved digest is posted, at its time."""
    slack, teams = MemoryTransport("slack"), MemoryTransport("teams")
    with sessions.begin() as s:
        s.execute(update(Council).where(Council.id == nuit.id).values(preview_first=True))
        grant(s, "aad:staff", "staff")
    scheduler = scheduler_for(sessions, slack=slack, teams=teams)
    mid = meeting_id(sessions)
    assert len(scheduler.tick(at(2026, 11, 25, 8, 0))) == 2  # previews, the day before the due time
    context = Context(Settings(DATABASE_URL=db_url))
    engine = Engine(context, today=lambda: dt.date(2026, 11, 25))
    try:
        for transport, secretariat, decision in (
            (teams, TEAMS_SECRETARIAT, "publish_digest"),
            (slack, "#radsbot-sekretariat", "cancel_digest"),
        ):
            [preview] = transport.top_level(secretariat, "digest_preview")
            buttons = {b.action: b.value for s in preview.reply.sections for b in s.buttons}
            assert set(buttons) == {"publish_digest", "cancel_digest"} and "Publiser" in preview.text
            refused = engine.action(decision, buttons[decision], "aad:member")
            assert refused.kind == "refused"
            answer = engine.action(decision, buttons[decision], "aad:staff")
            assert answer.kind == "answer"
            key = Tag(f"action:{decision}:answer")
            post_reply(transport, secretariat, answer, key, thread=preview.ref)
            post_reply(transport, secretariat, answer, key, thread=preview.ref, found={key.key: "x"})
            [said] = [m for m in transport.thread(secretariat, preview.ref) if m.tag.key == key.key]
            expected = (
                "Godkjent av aad:staff: sammendraget før Porteføljerådet (NUIT) møte 9/2026 "
                f"(3. desember 2026) postes i {TEAMS} (Teams)"
                if decision == "publish_digest"
                else "Avbrutt av aad:staff"
            )
            assert expected in " ".join(said.text.split())
    finally:
        context.close()
    assert ledger(sessions, mid, "teams", TEAMS).status == "approved"
    assert ledger(sessions, mid, "slack", SLACK).status == "cancelled"
    assert scheduler.tick(at(2026, 11, 25, 9, 0)) == []  # approved, but not yet due
    assert scheduler.tick(at(2026, 11, 26, 8, 0)) == [f"posted {mid} {TEAMS} (Teams)"]
    assert_one_whole_thread(teams, TEAMS, mid)
    assert slack.top_level(SLACK, "digest") == []
    with sessions() as s:
        decided = s.scalars(select(AuditLog).where(AuditLog.action.in_(["digest_approve", "digest_cancel"])))
        assert sorted((a.action, a.actor, a.outcome) for a in decided) == [
            ("digest_approve", "aad:member", "denied"),
            ("digest_approve", "aad:staff", "ok"),
            ("digest_cancel", "aad:member", "denied"),
            ("digest_cancel", "aad:staff", "ok"),
        ]


@pytest.mark.slow
def test_chat_answers_are_posted_once_with_their_chart(chat, nuit):
    """A question answered in its thread, and the chart button's answer with its file; a lost
    answer is looked for and not posted again."""
    teams = MemoryTransport("teams")
    teams.fail("lose", lambda method, _tag, _thread: method == "post_reply")
    question = teams.post_overview(TEAMS, Reply(title="status PLL", summary="status PLL"), Tag("user:1"))
    answer = chat.answer("status PLL", user="aad:member")
    assert answer.kind == "answer" and answer.sections
    post_reply(teams, TEAMS, answer, Tag("event:E1:answer", answer.kind, answer.meta), thread=question)
    [button] = [b for s in answer.sections for b in s.buttons if b.action == "show_chart"]
    chart = chat.action(button.action, button.value, "aad:member")
    post_reply(teams, TEAMS, chart, Tag("action:T1:answer", chart.kind), thread=question)
    thread = teams.thread(TEAMS, question)
    expected = keys_of(teams, answer, Tag("event:E1:answer")) + keys_of(teams, chart, Tag("action:T1:answer"))
    assert Counter(m.tag.key for m in thread) == Counter(expected)  # the lost answer looked for, not doubled
    assert ("find_post", TEAMS, "event:E1:answer") in teams.calls
    [png] = [m.file for m in thread if m.file]
    assert png.is_image and png.content.startswith(b"\x89PNG")


@pytest.mark.slow
def test_no_slack_code_is_loaded():
    """This module's tests in a process of their own: none of them imports Slack code."""
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "RADSBOT_EXPECT_NO_SLACK": "1"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(Path(__file__)),
            "-q",
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            "-k",
            "not test_no_slack_code_is_loaded",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "error" not in result.stdout.splitlines()[-1]
