"""data.events: event ids recorded once, also when several processes race (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading

from radsbot.data.db import make_engine, session_factory, transaction
from radsbot.data.events import prune_events, record_event
from radsbot.data.models import SlackEvent
from sqlalchemy import func, select


def test_an_event_id_is_new_only_once(session):
    """The first record is new; the second of the same id is not, and nothing is duplicated."""
    assert record_event(session, "Ev1") is True
    assert record_event(session, "Ev1") is False
    assert record_event(session, "Ev2") is True
    session.commit()
    assert session.scalar(select(func.count()).select_from(SlackEvent)) == 2


def test_racing_replicas_agree_on_one_winner(db_url):
    """Eight engines (as eight replicas) record the same id at once: exactly one wins."""
    barrier = threading.Barrier(8)
    results: list[bool] = []
    lock = threading.Lock()

    def replica():
        engine = make_engine(db_url)
        try:
            barrier.wait()
            with transaction(session_factory(engine)) as session:
                won = record_event(session, "EvRACE")
            with lock:
                results.append(won)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=replica) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]


def test_prune_forgets_only_old_ids(session):
    """Ids older than the cut-off go; newer ones stay and still count as seen."""
    now = dt.datetime.now(dt.UTC)
    record_event(session, "old", now=now - dt.timedelta(days=2))
    record_event(session, "new", now=now)
    assert prune_events(session, now - dt.timedelta(days=1)) == 1
    assert record_event(session, "new") is False
    assert record_event(session, "old") is True
