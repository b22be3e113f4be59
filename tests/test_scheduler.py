"""The digest scheduler: due times, catch-up, calendar changes, retries, previews, exactly once."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import update

from bot.scheduler import DigestScheduler, SchedulingError
from data import deliveries
from data.db import make_engine, session_factory
from data.models import Council, DigestDelivery, Meeting
from tests.fakes.publisher import FakePublisher, FilePublisher, simple_digest

OSLO = ZoneInfo("Europe/Oslo")


def at(*args) -> dt.datetime:
    """A time in Oslo."""
    return dt.datetime(*args, tzinfo=OSLO)


@pytest.fixture
def sessions(engine):
    """Session factory on the test database."""
    return session_factory(engine)


@pytest.fixture
def council(sessions) -> Council:
    """A test council posting to #test, 7 days before at 08:00; the seeded councils are silenced."""
    with sessions.begin() as s:
        s.execute(update(Council).values(slack_channel=""))
        c = Council(
            code="testrad",
            name="Testrådet for planlegging",
            short_name="Testrådet",
            slack_channel="#test",
            secretariat_channel="#sek",
            digest_lead_days=7,
            digest_hour=8,
            preview_first=False,
        )
        s.add(c)
    return c


def add_meeting(sessions, council, number, date, status="planned", start="10:00") -> int:
    """Add a meeting and return its id."""
    with sessions.begin() as s:
        m = Meeting(council_id=council.id, number=number, date=date, status=status, start_time=start)
        s.add(m)
        s.flush()
        return m.id


def set_meeting(sessions, meeting_id, **values) -> None:
    """Change a stored meeting (move or cancel it)."""
    with sessions.begin() as s:
        s.execute(update(Meeting).where(Meeting.id == meeting_id).values(**values))


def ledger(sessions, meeting_id, channel="#test") -> DigestDelivery | None:
    """The ledger row of a meeting."""
    with sessions() as s:
        return deliveries.get(s, meeting_id, channel)


@pytest.fixture
def publisher() -> FakePublisher:
    """A recording publisher."""
    return FakePublisher()


@pytest.fixture
def scheduler(sessions, publisher) -> DigestScheduler:
    """A scheduler with fast retries."""
    return DigestScheduler(
        sessions, publisher, simple_digest, worker="w1", retry_base=dt.timedelta(minutes=30)
    )


def test_due_times_follow_council_settings(sessions, council, scheduler):
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10), start="09:30")
    with sessions() as s:
        due = scheduler.due(s.get(Council, council.id), s.get(Meeting, mid))
    assert due.post_at == at(2027, 3, 3, 8)
    assert due.starts_at == at(2027, 3, 10, 9, 30)
    assert due.preview_at is None


def test_posts_at_due_time_and_only_once(sessions, council, scheduler, publisher):
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    assert scheduler.tick(at(2027, 3, 3, 7, 59)) == []
    assert publisher.posts == []
    scheduler.tick(at(2027, 3, 3, 8, 0))
    scheduler.tick(at(2027, 3, 3, 8, 1))
    scheduler.tick(at(2027, 3, 9, 12, 0))
    assert publisher.posted("#test") == [mid]
    row = ledger(sessions, mid)
    assert row.status == "posted" and row.message_ts == "1.000" and row.attempts == 1


def test_a_year_of_calendar_changes_without_restart(sessions, council, scheduler, publisher):
    """Travel through 2027 in six-hour steps while meetings are added, moved and cancelled."""
    feb = add_meeting(sessions, council, "1/2027", dt.date(2027, 2, 10))
    may = add_meeting(sessions, council, "2/2027", dt.date(2027, 5, 12))
    sep = add_meeting(sessions, council, "3/2027", dt.date(2027, 9, 15))
    posted_at: dict[int, dt.datetime] = {}
    added = None
    with time_machine.travel(at(2027, 1, 1, 0, 0), tick=False) as traveller:
        now = at(2027, 1, 1, 0, 0)
        while now < at(2028, 1, 1):
            if now == at(2027, 3, 1, 0, 0):
                set_meeting(sessions, may, date=dt.date(2027, 4, 20))  # moved earlier
            if now == at(2027, 6, 1, 0, 0):
                added = add_meeting(sessions, council, "2b/2027", dt.date(2027, 6, 24))  # added
            if now == at(2027, 8, 1, 0, 0):
                set_meeting(sessions, sep, status="cancelled")  # cancelled
            traveller.move_to(now)
            before = set(publisher.posted())
            scheduler.tick()
            for mid in set(publisher.posted()) - before:
                posted_at[mid] = now
            now += dt.timedelta(hours=6)
    assert Counter(publisher.posted("#test")) == Counter({feb: 1, may: 1, added: 1})
    # Posted at the first six-hour tick at or after 08:00 seven days before, and before the meeting.
    assert posted_at[feb] == at(2027, 2, 3, 12, 0)
    assert posted_at[may] == at(2027, 4, 13, 12, 0)
    assert posted_at[added] == at(2027, 6, 17, 12, 0)
    assert ledger(sessions, sep) is None


def test_missed_while_down_is_caught_up_before_the_meeting(sessions, council, scheduler, publisher):
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    scheduler.tick(at(2027, 3, 2, 12, 0))  # before due: nothing
    # The worker is down from 2 March until 9 March 23:00: the meeting has not begun.
    scheduler.tick(at(2027, 3, 9, 23, 0))
    assert publisher.posted() == [mid]


def test_never_posted_after_the_meeting_has_begun(sessions, council, scheduler, publisher):
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    scheduler.tick(at(2027, 3, 10, 10, 0))
    scheduler.tick(at(2027, 3, 11, 8, 0))
    assert publisher.posts == []
    assert ledger(sessions, mid) is None


def test_slack_failing_then_recovering(sessions, council, scheduler, publisher):
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    publisher.failures_left = 2
    scheduler.tick(at(2027, 3, 3, 8, 0))
    row = ledger(sessions, mid)
    assert row.status == "retry" and "ratelimited" in row.last_error
    scheduler.tick(at(2027, 3, 3, 8, 10))  # before the back-off has passed: nothing
    assert ledger(sessions, mid).attempts == 1
    scheduler.tick(at(2027, 3, 3, 8, 30))  # second attempt fails, back-off doubles to 60 min
    assert ledger(sessions, mid).status == "retry"
    scheduler.tick(at(2027, 3, 3, 9, 0))
    assert publisher.posts == []
    scheduler.tick(at(2027, 3, 3, 9, 30))
    row = ledger(sessions, mid)
    assert row.status == "posted" and row.attempts == 3
    assert publisher.posted() == [mid]
    assert publisher.notices == []


def test_gives_up_and_tells_the_secretariat(sessions, council, scheduler, publisher):
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    publisher.failures_left = 100
    now = at(2027, 3, 3, 8, 0)
    for _ in range(40):
        scheduler.tick(now)
        now += dt.timedelta(hours=2)
    row = ledger(sessions, mid)
    assert row.status == "failed" and row.attempts == scheduler.max_attempts
    assert row.failure_reported
    assert len(publisher.notices) == 1
    channel, text = publisher.notices[0]
    assert channel == "#sek" and "kunne ikke postes" in text and "1/2027" in text


def test_crash_between_claim_and_post_is_recovered(sessions, council, scheduler, publisher):
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    with sessions.begin() as s:  # another worker claimed it and died before posting
        deliveries.claim_new(s, mid, "#test", "posting", "dead", at(2027, 3, 3, 8, 0), scheduler.lease)
    scheduler.tick(at(2027, 3, 3, 8, 5))  # the lease still holds
    assert publisher.posts == []
    scheduler.tick(at(2027, 3, 3, 8, 11))
    assert publisher.posted() == [mid]
    assert ledger(sessions, mid).status == "posted"


def test_crash_after_slack_accepted_the_post_does_not_post_twice(sessions, council, scheduler, publisher):
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    with sessions.begin() as s:
        deliveries.claim_new(s, mid, "#test", "posting", "dead", at(2027, 3, 3, 8, 0), scheduler.lease)
    publisher.in_channel[("#test", mid)] = "99.000"  # Slack has it; the ledger does not know
    scheduler.tick(at(2027, 3, 3, 8, 30))
    assert publisher.posts == []
    row = ledger(sessions, mid)
    assert row.status == "posted" and row.message_ts == "99.000"
    assert "etter et avbrudd" in publisher.notices[0][1]


def test_preview_first_waits_for_approval(sessions, council, scheduler, publisher):
    with sessions.begin() as s:
        s.execute(update(Council).where(Council.id == council.id).values(preview_first=True))
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    scheduler.tick(at(2027, 3, 2, 8, 0))  # the day before the due time
    assert [(c, n) for c, _d, n in publisher.previews] == [("#sek", 1)]
    row = ledger(sessions, mid)
    assert row.status == "awaiting" and row.preview_channel == "#sek"
    scheduler.tick(at(2027, 3, 3, 8, 0))  # due, but not approved
    assert publisher.posts == []
    scheduler.approve(row.id, "U_STAFF", now=at(2027, 3, 3, 9, 0))
    with pytest.raises(SchedulingError, match="allerede godkjent"):
        scheduler.approve(row.id, "U_OTHER", now=at(2027, 3, 3, 9, 1))
    scheduler.tick(at(2027, 3, 3, 9, 1))
    assert publisher.posted() == [mid]
    assert ledger(sessions, mid).approved_by == "U_STAFF"


def test_preview_cancelled_or_left_unanswered(sessions, council, scheduler, publisher):
    with sessions.begin() as s:
        s.execute(update(Council).where(Council.id == council.id).values(preview_first=True))
    cancelled = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    ignored = add_meeting(sessions, council, "2/2027", dt.date(2027, 3, 12))
    scheduler.tick(at(2027, 3, 4, 8, 0))
    scheduler.cancel(ledger(sessions, cancelled).id, "U_STAFF", now=at(2027, 3, 4, 9, 0))
    for day in range(4, 14):
        scheduler.tick(at(2027, 3, day, 12, 0))
    assert publisher.posts == []
    assert ledger(sessions, cancelled).status == "cancelled"
    assert ledger(sessions, ignored).status == "expired"
    assert any("ble ikke postet" in text for _c, text in publisher.notices)


def test_two_schedulers_in_one_process_post_once(engine, sessions, council, publisher):
    """Two workers with their own engines tick the same moments: one post per meeting."""
    ids = [add_meeting(sessions, council, f"{i}/2027", dt.date(2027, 3, 10)) for i in range(20)]
    other = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        a = DigestScheduler(sessions, publisher, simple_digest, worker="a")
        b = DigestScheduler(session_factory(other), publisher, simple_digest, worker="b")
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda s: s.tick(at(2027, 3, 3, 8, 0)), [a, b]))
    finally:
        other.dispose()
    assert sorted(publisher.posted()) == sorted(ids)


def _race_worker(url: str, out: str, name: str, start, rounds: int) -> None:
    """One scheduler process: wait for the start signal, then tick at the due time."""
    engine = make_engine(url)
    scheduler = DigestScheduler(session_factory(engine), FilePublisher(Path(out)), simple_digest, worker=name)
    start.wait()
    for _ in range(rounds):
        scheduler.tick(at(2027, 3, 3, 8, 0))
    engine.dispose()


def race(url: str, tmp_path: Path, meetings: int) -> Counter:
    """Two scheduler processes race for `meetings` due digests; returns posts per meeting."""
    engine = make_engine(url)
    sessions = session_factory(engine)
    with sessions.begin() as s:
        s.execute(update(Council).values(slack_channel=""))
        c = Council(
            code="race",
            name="Kappløpsrådet",
            short_name="Kappløp",
            slack_channel="#race",
            secretariat_channel="#sek",
        )
        s.add(c)
        s.flush()
        s.add_all(
            Meeting(council_id=c.id, number=f"{i}/2027", date=dt.date(2027, 3, 10)) for i in range(meetings)
        )
    engine.dispose()
    out = tmp_path / "posts.txt"
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    procs = [ctx.Process(target=_race_worker, args=(url, str(out), n, start, 2)) for n in ("p1", "p2")]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    lines = out.read_text().splitlines()
    assert {line.split()[2] for line in lines} and len(lines) >= meetings
    return Counter(line.split()[1] for line in lines)


@pytest.mark.postgres
def test_two_scheduler_processes_race_on_postgresql(pg_db_url, tmp_path):
    """200 races between two processes on one PostgreSQL database: zero duplicates."""
    posts = race(pg_db_url, tmp_path, 200)
    assert len(posts) == 200
    assert max(posts.values()) == 1


def test_two_scheduler_processes_race_on_sqlite(db_url, tmp_path):
    """The same race on the embedded SQLite database (file locks instead of row locks)."""
    if not db_url.startswith("sqlite"):
        pytest.skip("covered by the PostgreSQL race test")
    posts = race(db_url, tmp_path, 60)
    assert len(posts) == 60 and max(posts.values()) == 1


def test_upcoming_lists_next_digests(sessions, council, scheduler):
    later = add_meeting(sessions, council, "2/2027", dt.date(2027, 5, 12))
    soon = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    add_meeting(sessions, council, "x/2027", dt.date(2027, 4, 1), status="cancelled")
    with sessions() as s:
        dues = scheduler.upcoming(s, at(2027, 3, 1))
    assert [d.meeting_id for d in dues] == [soon, later]
    assert dues[0].channel == "#test"
