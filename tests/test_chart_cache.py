"""The one chart cache: a chart is drawn once per version of its data, kept in memory and on disk,
and several are drawn in parallel processes."""

from __future__ import annotations

import datetime as dt
import pickle
import threading
from pathlib import Path

import pytest
from radsbot.data.models import Ambition, Council, Indicator, Measurement
from radsbot.reports import chart_cache, charts
from radsbot.reports.digest import build_digest, draw_charts
from radsbot.reports.status import goal_status, indicator_status
from sqlalchemy import select
from sqlalchemy.orm import Session

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def folder(tmp_path) -> Path:
    """A fresh cache folder and an empty memory for this test; the session's folder afterwards."""
    before = chart_cache._settings.directory, chart_cache._settings.workers
    chart_cache.configure(tmp_path / "charts")
    chart_cache.clear_memory()
    yield tmp_path / "charts"
    chart_cache.configure(*before)
    chart_cache.clear_memory()


class Counting:
    """charts.draw, counting the charts it draws (a real drawing, not a stand-in)."""

    def __init__(self):
        self.drawn = 0

    def __call__(self, job: charts.ChartJob) -> bytes:
        self.drawn += 1
        return charts.draw(job)


def pll(session: Session) -> Indicator:
    return session.scalars(select(Indicator).where(Indicator.code == "PLL")).one()


@pytest.mark.slow
def test_the_same_data_is_drawn_once(session: Session, folder):
    draw = Counting()
    job = charts.indicator_job(indicator_status(session, pll(session), TODAY))
    first = chart_cache.cached(job, draw)
    again = chart_cache.cached(charts.indicator_job(indicator_status(session, pll(session), TODAY)), draw)
    assert draw.drawn == 1 and again == first and first.startswith(b"\x89PNG")
    assert [p.name for p in folder.iterdir()] == [chart_cache.key(job)]


@pytest.mark.slow
@pytest.mark.parametrize("change", ["measurement", "ambition", "name", "language", "format"])
def test_any_change_to_what_is_drawn_gives_a_new_chart(session: Session, folder, change):
    indicator = pll(session)
    before = charts.indicator_job(indicator_status(session, indicator, TODAY))
    lang, image = "nb", "png"
    if change == "measurement":
        session.add(
            Measurement(
                indicator=indicator,
                period_kind="quarter",
                period="2026-Q4",
                period_start=dt.date(2026, 10, 1),
                period_end=dt.date(2026, 10, 31),
                value=17.0,
            )
        )
    elif change == "ambition":
        ambition: Ambition = indicator.ambitions[-1]
        ambition.target_value = (ambition.target_value or 0) + 5
    elif change == "name":
        indicator.name = indicator.name + " (ny)"
    elif change == "language":
        lang = "en"
    else:
        image = "svg"
    session.flush()
    after = charts.indicator_job(indicator_status(session, indicator, TODAY), lang, image)
    assert chart_cache.key(after) != chart_cache.key(before)
    draw = Counting()
    assert chart_cache.cached(before, draw) != chart_cache.cached(after, draw)
    assert draw.drawn == 2


@pytest.mark.slow
def test_charts_on_disk_serve_another_process_and_damaged_ones_are_drawn_again(session: Session, folder):
    job = charts.goal_job(goal_status(session, pll(session).goal, TODAY))
    draw = Counting()
    png = chart_cache.cached(job, draw)
    chart_cache.clear_memory()  # as a fresh process: only the folder remains
    assert chart_cache.cached(job, draw) == png and draw.drawn == 1
    chart_cache.clear_memory()
    (folder / chart_cache.key(job)).write_bytes(b"<html>not a chart</html>")
    assert chart_cache.cached(job, draw) == png and draw.drawn == 2


@pytest.mark.slow
def test_a_chart_job_carries_data_only(session: Session):
    """A job pickles without database objects (worker processes get it), and hashes the same after."""
    job = charts.goal_job(goal_status(session, pll(session).goal, TODAY))
    data = pickle.dumps(job)
    assert b"sqlalchemy" not in data and b"InstanceState" not in data
    assert chart_cache.key(pickle.loads(data)) == chart_cache.key(job)


@pytest.mark.slow
@pytest.mark.parametrize("threads", [False, True], ids=["fork", "forkserver"])
def test_several_charts_are_drawn_in_worker_processes_as_here(session: Session, folder, threads):
    council = session.scalars(select(Council).where(Council.code == "nuit")).one()
    digest = build_digest(session, council, None, today=TODAY)
    jobs = [charts.goal_job(goal.status) for goal in digest.goals]
    here = [charts.draw(job) for job in jobs]
    chart_cache.configure(folder, workers=2)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)  # a web process has threads
    if threads:
        other.start()
    try:
        assert chart_cache.cached_many(jobs, charts.draw) == here
    finally:
        stop.set()
    assert len(list(folder.iterdir())) == len(set(map(chart_cache.key, jobs)))


@pytest.mark.slow
def test_a_second_digest_with_nothing_changed_draws_nothing(session: Session, folder):
    council = session.scalars(select(Council).where(Council.code == "nuit")).one()
    first = draw_charts(build_digest(session, council, None, today=TODAY))
    kept = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert len(kept) == len(first) == 8
    chart_cache.clear_memory()
    second = draw_charts(build_digest(session, council, None, today=TODAY))
    assert second == first
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == kept  # nothing written again


@pytest.mark.slow
def test_the_digests_word_file_is_made_again_only_when_its_content_or_charts_change(session: Session, folder):
    from dataclasses import replace

    from docx_readback import open_docx
    from radsbot.reports.digest_docx import to_docx

    from tests.fakes.engine import tiny_png

    council = session.scalars(select(Council).where(Council.code == "nuit")).one()
    digest = build_digest(session, council, None, today=TODAY)
    pictures = {goal.chart_filename: tiny_png() for goal in digest.goals}
    first = to_docx(digest, pictures)
    chart_cache.clear_memory()
    assert to_docx(digest, pictures) == first and len(list(folder.iterdir())) == 1
    renamed = to_docx(replace(digest, title="Et annet sammendrag"), pictures)
    assert open_docx(renamed).core_properties.title == "Et annet sammendrag"
    redrawn = dict(pictures, **{digest.goals[0].chart_filename: tiny_png(5, 3)})
    assert to_docx(digest, redrawn) not in (first, renamed)
    assert len(list(folder.iterdir())) == 3


def test_an_unusable_cache_folder_costs_speed_not_answers(db_url, tmp_path, folder, caplog):
    """RADSBOT_CHART_CACHE naming a file (or a folder that cannot be made): memory only, and said."""
    from radsbot.bot.bootstrap import Context
    from radsbot.bot.settings import Settings

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    ctx = Context(Settings(DATABASE_URL=db_url, RADSBOT_CHART_CACHE=str(blocker / "charts")))
    assert chart_cache._settings.directory is None
    assert "Charts are kept in memory only" in caplog.text
    with ctx.sessions() as session:
        png = charts.indicator_chart(indicator_status(session, pll(session), TODAY))
    assert png.startswith(b"\x89PNG") and chart_cache._settings.directory is None
    ctx.close()
