"""The digest scheduler: due times, catch-up, calendar changes, retries, previews, exactly once.

Every post goes through the real Slack publisher to the fake Slack Web API and is checked there.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from radsbot.bot.digest_thread import digest_thread, post_thread
from radsbot.bot.scheduler import DigestScheduler, SchedulingError
from radsbot.data import deliveries
from radsbot.data.db import make_engine, session_factory
from radsbot.data.destinations import Channel
from radsbot.data.models import AuditLog, Council, CouncilDestination, DigestDelivery, Meeting
from sqlalchemy import delete, select, update

from tests.channels import set_channel
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_workspace import Workspace, publishers, simple_digest

OSLO = ZoneInfo("Europe/Oslo")


def at(*args) -> dt.datetime:
    """A time in Oslo."""
    return dt.datetime(*args, tzinfo=OSLO)


@pytest.fixture
def sessions(engine):
    """Session factory on the test database."""
    return session_factory(engine)


def only_council(s, code: str, channel: str) -> Council:
    """Silence the seeded councils and add one posting to `channel`, 7 days before at 08:00."""
    s.execute(delete(CouncilDestination).where(CouncilDestination.purpose == "council"))
    c = Council(
        code=code,
        name=f"Testråd {code}",
        short_name=code.capitalize(),
        destinations=[
            CouncilDestination(transport="slack", purpose="council", address=channel),
            CouncilDestination(transport="slack", purpose="secretariat", address="#sek"),
        ],
        digest_lead_days=7,
        digest_hour=8,
        preview_first=False,
    )
    s.add(c)
    s.flush()
    return c


@pytest.fixture
def council(sessions) -> Council:
    """The only council with a channel: #test."""
    with sessions.begin() as s:
        return only_council(s, "testrad", "#test")


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
        return deliveries.get(s, meeting_id, Channel("slack", channel))


@pytest.fixture
def slack() -> Workspace:
    """A fake Slack workspace with the test council's channels."""
    with FakeSlackAPI() as api:
        yield Workspace(api, "#test", "#sek")


@pytest.fixture
def scheduler(sessions, slack) -> DigestScheduler:
    """A scheduler posting through the real Slack publisher, with fast retries."""
    return DigestScheduler(
        sessions, publishers(slack.api.url), simple_digest, worker="w1", retry_base=dt.timedelta(minutes=30)
    )


def test_due_times_follow_council_settings(sessions, council, scheduler):
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10), start="09:30")
    with sessions() as s:
        due = scheduler.due(s.get(Council, council.id), s.get(Meeting, mid))
    assert due.post_at == at(2027, 3, 3, 8)
    assert due.starts_at == at(2027, 3, 10, 9, 30)
    assert due.preview_at is None


def test_posts_at_due_time_and_only_once(sessions, council, scheduler, slack):
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    assert scheduler.tick(at(2027, 3, 3, 7, 59)) == []
    assert slack.digests() == []
    scheduler.tick(at(2027, 3, 3, 8, 0))
    scheduler.tick(at(2027, 3, 3, 8, 1))
    scheduler.tick(at(2027, 3, 9, 12, 0))
    assert slack.digests("#test") == [mid]
    [overview] = slack.overviews("#test")
    assert overview["text"] == "1/2027" and [m["text"] for m in slack.thread("#test", overview["ts"])] == [
        "mål 1"
    ]
    row = ledger(sessions, mid)
    assert row.status == "posted" and row.root_ref == overview["ts"] and row.attempts == 1


@pytest.mark.slow
def test_a_year_of_calendar_changes_without_restart(sessions, council, scheduler, slack):
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
            before = set(slack.digests())
            scheduler.tick()
            for mid in set(slack.digests()) - before:
                posted_at[mid] = now
            now += dt.timedelta(hours=6)
    assert Counter(slack.digests("#test")) == Counter({feb: 1, may: 1, added: 1})
    # Posted at the first six-hour tick at or after 08:00 seven days before, and before the meeting.
    assert posted_at[feb] == at(2027, 2, 3, 12, 0)
    assert posted_at[may] == at(2027, 4, 13, 12, 0)
    assert posted_at[added] == at(2027, 6, 17, 12, 0)
    assert ledger(sessions, sep) is None


def test_missed_while_down_is_caught_up_before_the_meeting(sessions, council, scheduler, slack):
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    scheduler.tick(at(2027, 3, 2, 12, 0))  # before due: nothing
    # The worker is down from 2 March until 9 March 23:00: the meeting has not begun.
    scheduler.tick(at(2027, 3, 9, 23, 0))
    assert slack.digests() == [mid]


def test_never_posted_after_the_meeting_has_begun(sessions, council, scheduler, slack):
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    scheduler.tick(at(2027, 3, 10, 10, 0))
    scheduler.tick(at(2027, 3, 11, 8, 0))
    assert slack.api.calls_to("chat.postMessage") == []
    assert ledger(sessions, mid) is None


@pytest.mark.slow
def test_slack_failing_then_recovering(sessions, council, scheduler, slack):
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    slack.fail_posts(2)
    scheduler.tick(at(2027, 3, 3, 8, 0))
    row = ledger(sessions, mid)
    assert row.status == "retry" and "fatal_error" in row.last_error
    scheduler.tick(at(2027, 3, 3, 8, 10))  # before the back-off has passed: nothing
    assert ledger(sessions, mid).attempts == 1
    scheduler.tick(at(2027, 3, 3, 8, 30))  # second attempt fails, back-off doubles to 60 min
    assert ledger(sessions, mid).status == "retry"
    scheduler.tick(at(2027, 3, 3, 9, 0))
    assert slack.digests() == []
    scheduler.tick(at(2027, 3, 3, 9, 30))
    row = ledger(sessions, mid)
    assert row.status == "posted" and row.attempts == 3
    assert slack.digests() == [mid]
    assert slack.notices("#sek") == []


@pytest.mark.slow
def test_a_failure_after_the_overview_is_finished_by_the_retry(sessions, council, scheduler, slack):
    """Slack takes the overview, then fails a goal reply: the ledger knows the overview, so the
    retry posts only the missing reply — one overview, one reply, `posted`, nobody bothered."""
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    slack.api.fail("chat.postMessage", status=500, retry_after=None, times=1, after=1)
    scheduler.tick(at(2027, 3, 3, 8, 0))
    row = ledger(sessions, mid)
    assert row.status == "retry" and row.root_ref
    assert slack.digests("#test") == [mid]
    for minute in (31, 59):
        scheduler.tick(at(2027, 3, 3, 8, minute))
    [overview] = slack.overviews("#test")
    assert [m["text"] for m in slack.thread("#test", overview["ts"])] == ["mål 1"]
    assert ledger(sessions, mid).status == "posted"
    assert slack.notices("#sek") == []


@pytest.mark.slow
def test_gives_up_and_tells_the_secretariat(sessions, council, scheduler, slack):
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    slack.fail_posts(scheduler.max_attempts)  # every attempt fails; the notice afterwards gets through
    now = at(2027, 3, 3, 8, 0)
    for _ in range(40):
        scheduler.tick(now)
        now += dt.timedelta(hours=2)
    row = ledger(sessions, mid)
    assert row.status == "failed" and row.attempts == scheduler.max_attempts
    assert row.failure_reported
    assert slack.digests() == []
    [text] = slack.notices("#sek")
    assert "kunne ikke postes" in text and "1/2027" in text and "#test" in text


@pytest.mark.slow
def test_crash_between_claim_and_post_is_recovered(sessions, council, scheduler, slack):
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    with sessions.begin() as s:  # another worker claimed it and died before posting
        deliveries.claim_new(
            s, mid, Channel("slack", "#test"), "posting", "dead", at(2027, 3, 3, 8, 0), scheduler.lease
        )
    scheduler.tick(at(2027, 3, 3, 8, 5))  # the lease still holds
    assert slack.digests() == []
    scheduler.tick(at(2027, 3, 3, 8, 11))
    assert slack.digests() == [mid]
    assert ledger(sessions, mid).status == "posted"


def test_crash_after_slack_accepted_the_post_does_not_post_twice(sessions, council, scheduler, slack):
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    with sessions.begin() as s:
        deliveries.claim_new(
            s, mid, Channel("slack", "#test"), "posting", "dead", at(2027, 3, 3, 8, 0), scheduler.lease
        )
    # The dead worker had posted to Slack; the ledger does not know.
    with sessions() as s:
        replies = simple_digest(s, s.get(Council, council.id), s.get(Meeting, mid), dt.date(2027, 3, 3))
    ts = post_thread(scheduler.publishers["slack"], digest_thread("#test", mid), replies)
    scheduler.tick(at(2027, 3, 3, 8, 30))
    assert slack.digests() == [mid]
    assert [m["text"] for m in slack.thread("#test", ts)] == ["mål 1"]
    row = ledger(sessions, mid)
    assert row.status == "posted" and row.root_ref == ts


def test_preview_first_waits_for_approval(sessions, council, scheduler, slack):
    with sessions.begin() as s:
        s.execute(update(Council).where(Council.id == council.id).values(preview_first=True))
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    scheduler.tick(at(2027, 3, 2, 8, 0))  # the day before the due time
    row = ledger(sessions, mid)
    assert slack.previews("#sek") == [row.id]
    assert row.status == "awaiting" and row.preview_address == "#sek"
    scheduler.tick(at(2027, 3, 3, 8, 0))  # due, but not approved
    assert slack.digests() == []
    scheduler.approve(row.id, "U_STAFF", now=at(2027, 3, 3, 9, 0))
    with pytest.raises(SchedulingError, match="allerede godkjent"):
        scheduler.approve(row.id, "U_OTHER", now=at(2027, 3, 3, 9, 1))
    scheduler.tick(at(2027, 3, 3, 9, 1))
    assert slack.digests("#test") == [mid]
    assert ledger(sessions, mid).approved_by == "U_STAFF"


@pytest.mark.slow
def test_preview_cancelled_or_left_unanswered(sessions, council, scheduler, slack):
    with sessions.begin() as s:
        s.execute(update(Council).where(Council.id == council.id).values(preview_first=True))
    cancelled = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    ignored = add_meeting(sessions, council, "2/2027", dt.date(2027, 3, 12))
    scheduler.tick(at(2027, 3, 4, 8, 0))
    scheduler.cancel(ledger(sessions, cancelled).id, "U_STAFF", now=at(2027, 3, 4, 9, 0))
    for day in range(4, 14):
        scheduler.tick(at(2027, 3, day, 12, 0))
    assert slack.digests() == []
    assert ledger(sessions, cancelled).status == "cancelled"
    assert ledger(sessions, ignored).status == "expired"
    assert [t for t in slack.notices("#sek") if "ble ikke postet" in t and "2/2027" in t]


@pytest.mark.slow
def test_two_schedulers_in_one_process_post_once(engine, sessions, council, slack):
    """Two workers with their own engines tick the same moments: one post per meeting."""
    ids = [add_meeting(sessions, council, f"{i}/2027", dt.date(2027, 3, 10)) for i in range(20)]
    other = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        a = DigestScheduler(sessions, publishers(slack.api.url), simple_digest, worker="a")
        b = DigestScheduler(session_factory(other), publishers(slack.api.url), simple_digest, worker="b")
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda s: s.tick(at(2027, 3, 3, 8, 0)), [a, b]))
    finally:
        other.dispose()
    assert sorted(slack.digests()) == sorted(ids)


def _race_worker(url: str, api_url: str, name: str, start, rounds: int) -> None:
    """One scheduler process: wait for the start signal, then tick at the due time."""
    engine = make_engine(url)
    scheduler = DigestScheduler(session_factory(engine), publishers(api_url), simple_digest, worker=name)
    start.wait()
    for _ in range(rounds):
        scheduler.tick(at(2027, 3, 3, 8, 0))
    engine.dispose()


def race(url: str, meetings: int) -> Counter:
    """Two scheduler processes race for `meetings` due digests; returns posts per meeting in Slack."""
    engine = make_engine(url)
    sessions = session_factory(engine)
    with sessions.begin() as s:
        c = only_council(s, "race", "#race")
        s.add_all(
            Meeting(council_id=c.id, number=f"{i}/2027", date=dt.date(2027, 3, 10)) for i in range(meetings)
        )
    engine.dispose()
    with FakeSlackAPI() as api:
        slack = Workspace(api, "#race", "#sek")
        ctx = multiprocessing.get_context("spawn")
        start = ctx.Event()
        procs = [ctx.Process(target=_race_worker, args=(url, api.url, n, start, 2)) for n in ("p1", "p2")]
        for p in procs:
            p.start()
        start.set()
        for p in procs:
            p.join(180)
            assert p.exitcode == 0
        return Counter(slack.digests("#race"))


@pytest.mark.postgres
@pytest.mark.slow
def test_two_scheduler_processes_race_on_postgresql(pg_db_url):
    """200 races between two processes on one PostgreSQL database: zero duplicates."""
    posts = race(pg_db_url, 200)
    assert len(posts) == 200
    assert max(posts.values()) == 1


@pytest.mark.slow
def test_two_scheduler_processes_race_on_sqlite(db_url):
    """The same race on the embedded SQLite database (file locks instead of row locks)."""
    if not db_url.startswith("sqlite"):
        pytest.skip("covered by the PostgreSQL race test")
    posts = race(db_url, 60)
    assert len(posts) == 60 and max(posts.values()) == 1


def test_upcoming_lists_next_digests(sessions, council, scheduler):
    later = add_meeting(sessions, council, "2/2027", dt.date(2027, 5, 12))
    soon = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    add_meeting(sessions, council, "x/2027", dt.date(2027, 4, 1), status="cancelled")
    with sessions() as s:
        dues = scheduler.upcoming(s, at(2027, 3, 1))
    assert [d.meeting_id for d in dues] == [soon, later]
    assert dues[0].channel == Channel("slack", "#test")


# -- when the council's channel, a meeting's date or the clock changes ---------------------------


def set_council(sessions, council, **values) -> None:
    """Change a council's settings, as `radsbot council set` does."""
    with sessions.begin() as s:
        s.execute(update(Council).where(Council.id == council.id).values(**values))


def set_slack_channel(sessions, council, address: str) -> None:
    """Move the council to another Slack channel, as `radsbot council set --channel` does."""
    with sessions.begin() as s:
        set_channel(s, council.id, address)


def test_a_channel_change_after_the_post_does_not_post_again(sessions, council, scheduler, slack):
    """The admin sets the channel's id instead of its name (or moves the council) after the post:
    the meeting's digest is posted, and is not posted again in the new channel."""
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    scheduler.tick(at(2027, 3, 3, 8, 0))
    assert slack.digests() == [mid]
    set_slack_channel(sessions, council, slack.api.channel_id("#test"))
    scheduler.tick(at(2027, 3, 3, 8, 1))
    set_slack_channel(sessions, council, "#nytt")
    for day in range(3, 10):
        scheduler.tick(at(2027, 3, day, 12, 0))
    assert slack.digests() == [mid]
    with pytest.raises(SchedulingError, match="allerede postet"):
        scheduler.post_now(mid, now=at(2027, 3, 9, 12, 0))
    assert slack.digests() == [mid]


def test_a_channel_change_before_the_post_moves_the_delivery(sessions, council, scheduler, slack):
    """An approved preview is posted to the council's channel as it is at the due time, once,
    and the approval is not lost (nor reported as expired)."""
    set_council(sessions, council, preview_first=True)
    slack.api.add_channel("#nytt")
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    scheduler.tick(at(2027, 3, 2, 8, 0))
    scheduler.approve(ledger(sessions, mid).id, "U_STAFF", now=at(2027, 3, 2, 9, 0))
    set_slack_channel(sessions, council, "#nytt")
    for day in range(3, 11):
        scheduler.tick(at(2027, 3, day, 8, 0))
    assert slack.digests() == [mid]
    assert slack.digests("#nytt") == [mid]
    assert ledger(sessions, mid, "#nytt").approved_by == "U_STAFF"
    assert not [t for t in slack.notices("#sek") if "ble ikke postet" in t]


def test_a_meeting_moved_after_its_preview_was_approved(sessions, council, scheduler, slack):
    """Moved a week later: nothing at the old due time, one post at the new one, naming the new date."""
    set_council(sessions, council, preview_first=True)
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    scheduler.tick(at(2027, 3, 2, 8, 0))
    scheduler.approve(ledger(sessions, mid).id, "U_STAFF", now=at(2027, 3, 2, 9, 0))
    set_meeting(sessions, mid, date=dt.date(2027, 3, 17))
    scheduler.tick(at(2027, 3, 3, 8, 0))
    assert slack.digests() == []
    for day in range(4, 18):
        scheduler.tick(at(2027, 3, day, 8, 0))
    assert slack.digests("#test") == [mid]
    assert ledger(sessions, mid).status == "posted"


def test_digest_hour_in_the_hour_that_does_not_exist(sessions, council, scheduler, slack):
    """Spring forward (29 March 2026, 02:00 → 03:00): a digest due at 02:00 goes out at 03:00."""
    set_council(sessions, council, digest_lead_days=1, digest_hour=2)
    mid = add_meeting(sessions, council, "1/2026", dt.date(2026, 3, 30))
    assert scheduler.tick(at(2026, 3, 29, 1, 59)) == []
    scheduler.tick(at(2026, 3, 29, 3, 0))
    assert slack.digests() == [mid]


def test_a_meeting_in_the_hour_that_comes_twice_has_begun_on_the_second_pass(
    sessions, council, scheduler, slack
):
    """Fall back (25 October 2026, 03:00 → 02:00): a meeting at 02:30 begins on the first pass
    (summer time); at 02:10 on the second pass it has begun, so its digest is not posted."""
    set_council(sessions, council, digest_lead_days=0, digest_hour=2)
    mid = add_meeting(sessions, council, "4/2026", dt.date(2026, 10, 25), start="02:30")
    second_pass = dt.datetime(2026, 10, 25, 1, 10, tzinfo=dt.UTC)  # 02:10 winter time
    scheduler.tick(second_pass)
    assert slack.digests() == []
    assert ledger(sessions, mid) is None


def test_a_digest_due_in_the_hour_that_comes_twice_is_posted_once(sessions, council, scheduler, slack):
    """Fall back: due at 02:00, ticks through both passes of 02:00–03:00 post it once, on the first."""
    set_council(sessions, council, digest_lead_days=1, digest_hour=2)
    mid = add_meeting(sessions, council, "4/2026", dt.date(2026, 10, 26))
    start = dt.datetime(2026, 10, 24, 23, 50, tzinfo=dt.UTC)  # 01:50 summer time
    for minutes in range(0, 150, 10):
        scheduler.tick(start + dt.timedelta(minutes=minutes))
    assert slack.digests() == [mid]
    posted = ledger(sessions, mid).posted_at
    assert posted.replace(tzinfo=posted.tzinfo or dt.UTC) == dt.datetime(2026, 10, 25, 0, 0, tzinfo=dt.UTC)


# -- the audit log and what the secretariat reads ---------------------------------------------


def audited(sessions) -> list[tuple[str, str, str, str]]:
    """(action, actor, target, outcome) of the digest rows in the audit log, oldest first."""
    with sessions() as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.action.like("digest_%")).order_by(AuditLog.id))
        return [(a.action, a.actor, a.target, a.outcome) for a in rows]


@pytest.mark.slow
def test_previews_approvals_posts_and_recoveries_are_audited(sessions, council, scheduler, slack):
    set_council(sessions, council, preview_first=True)
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    scheduler.tick(at(2027, 3, 2, 8, 0))
    scheduler.approve(ledger(sessions, mid).id, "U_STAFF", now=at(2027, 3, 2, 9, 0))
    scheduler.tick(at(2027, 3, 3, 8, 0))
    set_council(sessions, council, preview_first=False)
    crashed = add_meeting(sessions, council, "2/2027", dt.date(2027, 3, 12))
    with sessions.begin() as s:  # a worker claimed it and died
        deliveries.claim_new(
            s, crashed, Channel("slack", "#test"), "posting", "dead", at(2027, 3, 5, 8, 0), scheduler.lease
        )
    scheduler.tick(at(2027, 3, 5, 8, 11))
    assert audited(sessions) == [
        ("digest_preview", "scheduler", "testrad 1/2027", "ok"),
        ("digest_approve", "U_STAFF", str(mid), "ok"),
        ("digest_post", "scheduler", "testrad 1/2027", "ok"),
        ("digest_recover", "scheduler", "testrad 2/2027", "ok"),
        ("digest_post", "scheduler", "testrad 2/2027", "ok"),
    ]
    with sessions() as s:
        recover = s.scalar(select(AuditLog).where(AuditLog.action == "digest_recover"))
    assert recover.details["previous"] == "dead" and recover.details["worker"] == "w1"


@pytest.mark.slow
def test_retries_failures_cancellations_and_expiries_are_audited(sessions, council, scheduler, slack):
    failing = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    slack.fail_posts(scheduler.max_attempts)
    for hours in range(0, 80, 2):
        scheduler.tick(at(2027, 3, 3, 8, 0) + dt.timedelta(hours=hours))
    set_council(sessions, council, preview_first=True)
    cancelled = add_meeting(sessions, council, "2/2027", dt.date(2027, 3, 20))
    ignored = add_meeting(sessions, council, "3/2027", dt.date(2027, 3, 22))
    scheduler.tick(at(2027, 3, 14, 8, 0))
    set_meeting(sessions, cancelled, status="cancelled")
    for day in range(14, 23):
        scheduler.tick(at(2027, 3, day, 12, 0))
    assert ledger(sessions, failing).status == "failed"
    log = audited(sessions)
    assert [a for a in log if a[2] == "testrad 1/2027"] == [
        *[("digest_retry", "scheduler", "testrad 1/2027", "failed")] * (scheduler.max_attempts - 1),
        ("digest_failed", "scheduler", "testrad 1/2027", "failed"),
    ]
    assert ("digest_cancelled", "scheduler", "testrad 2/2027", "ok") in log
    assert ("digest_expired", "scheduler", "testrad 3/2027", "failed") in log
    assert [a[0] for a in log if a[2] == "testrad 3/2027"] == ["digest_preview", "digest_expired"]
    assert ledger(sessions, ignored).status == "expired"


@pytest.mark.slow
def test_a_failure_someone_must_fix_is_told_at_once_in_norwegian(sessions, council, scheduler, slack):
    """The bot is not in the channel: the secretariat hears at once what to do (invite it), and
    that it is tried again; when it gives up, it says so and how to post by hand. Slack's English
    error stays in the ledger."""
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    slack.api.refuse_channel(slack.api.channel_id("#test"))
    scheduler.tick(at(2027, 3, 3, 8, 0))
    [first] = slack.notices("#sek")
    assert "Rådsbot er ikke med i kanalen #test" in first and "«/invite @Rådsbot»" in first
    assert "prøver igjen 3. mars 2027 kl. 08.30" in first
    for hours in range(24):
        scheduler.tick(at(2027, 3, 3, 8, 30) + dt.timedelta(hours=hours))
    row = ledger(sessions, mid)
    assert row.status == "failed" and "not_in_channel" in row.last_error
    [_, last] = slack.notices("#sek")
    assert "har gitt opp etter 5 forsøk" in last and "«/invite @Rådsbot»" in last
    assert "«radsbot digest --council testrad --meeting 1/2027 --post»" in last
    for notice in (first, last):
        assert "not_in_channel" not in notice and "SlackApiError" not in notice and "request" not in notice


@pytest.mark.slow
def test_a_failed_digest_can_be_posted_by_hand_once_fixed(sessions, council, scheduler, slack):
    """The command the notice names finishes the digest: one overview, its reply, `posted`."""
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    slack.api.fail("chat.postMessage", status=500, retry_after=None, times=scheduler.max_attempts, after=1)
    for hours in range(24):
        scheduler.tick(at(2027, 3, 3, 8, 0) + dt.timedelta(hours=hours))
    assert ledger(sessions, mid).status == "failed"
    assert "mangler Mål 1" in slack.notices("#sek")[0]
    assert scheduler.post_now(mid, now=at(2027, 3, 4, 12, 0)) == "#test"
    [overview] = slack.overviews("#test")
    assert [m["text"] for m in slack.thread("#test", overview["ts"])] == ["mål 1"]
    assert ledger(sessions, mid).status == "posted"


@pytest.mark.slow
def test_a_thread_begun_before_a_channel_change_is_finished_where_it_began(
    sessions, council, scheduler, slack
):
    mid = add_meeting(sessions, council, "1/2027", dt.date(2027, 3, 10))
    slack.api.add_channel("#nytt")
    slack.api.fail("chat.postMessage", status=500, retry_after=None, times=1, after=1)
    scheduler.tick(at(2027, 3, 3, 8, 0))
    set_slack_channel(sessions, council, "#nytt")
    for minutes in (31, 61, 120):
        scheduler.tick(at(2027, 3, 3, 8, 0) + dt.timedelta(minutes=minutes))
    [overview] = slack.overviews("#test")
    assert [m["text"] for m in slack.thread("#test", overview["ts"])] == ["mål 1"]
    assert slack.digests("#nytt") == []
    assert ledger(sessions, mid).status == "posted"
