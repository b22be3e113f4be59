"""The dashboard's pages over real HTTP: what each page shows, from the same reports as the chat.

Expected figures are computed from `radsbot.reports` on the same database, so the tests check
that the pages show them (and only public data), not what the figures are.
"""

from __future__ import annotations

import html
import re

import pytest
from radsbot.data import public, queries
from radsbot.data.models import Case, Goal, Indicator, Meeting
from radsbot.reports import dashboard
from radsbot.reports.chart_text import chart_text
from radsbot.reports.status import goal_status, indicator_status
from sqlalchemy import select

from tests.conftest import CHAT_TODAY


def text_of(page: str) -> str:
    """The page's text as a reader sees it: tags dropped, entities resolved, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).replace("\xa0", " ")


def plain(value: str) -> str:
    return value.replace("\xa0", " ")


@pytest.mark.slow
def test_overview_shows_every_goal_with_its_highlighted_indicators(shared_site):
    """Each goal, the v0.95 indicators with value and verdict, counts per verdict, last change."""
    page = shared_site.get("/")
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    shown = text_of(page.text)
    with shared_site.context.sessions() as session:
        expected = dashboard.overview_page(session, CHAT_TODAY, timezone="Europe/Oslo")
        version = public.newest_dashboard_version(session)
        left_out = [
            i
            for i in queries.indicators(session, top_level=True)
            if i.indicator_set == "dashbord" and version not in i.dashboard_versions
        ]
    assert version == "v0.95"
    assert f"Dataene ble sist endret {plain(expected.changed)}." in shown
    for card in expected.goals:
        assert card.label in shown
        for row in card.rows:
            assert f'href="/indikator/{row.code}"' in page.text
            if not row.parts:
                assert plain(row.value) in shown and row.verdict_label in shown
    for count in expected.totals:
        assert f"{count.label} {count.count}" in shown
    # Indicators only in older drafts are left out here, and shown with the toggle.
    assert left_out, "the seed should have indicators outside v0.95"
    for ind in left_out:
        assert f'href="/indikator/{ind.code}"' not in page.text
    everything = shared_site.get("/?visning=alle")
    for ind in left_out:
        assert f'href="/indikator/{ind.code}"' in everything.text
    # The toggle is a plain link (no JavaScript), and says which view is on.
    assert re.search(r'href="/\?visning=alle"', page.text)
    assert re.search(r'href="/"\s+aria-current="page"', page.text)
    assert re.search(r'href="/\?visning=alle"\s+aria-current="page"', everything.text)


def test_goal_page_shows_status_text_indicators_and_the_chart_in_words(shared_site):
    """The newest published narrative, every indicator with value, period, ambition, trend and
    verdict, and the chart with its text alternative from chart_text."""
    page = shared_site.get("/mal/mal1")
    assert page.status == 200
    shown = text_of(page.text)
    with shared_site.context.sessions() as session:
        goal = session.scalar(select(Goal).where(Goal.code == "mal1"))
        status = goal_status(session, goal, CHAT_TODAY)
        words = chart_text(status)
        narrative = queries.latest_narrative(session, goal.id, "2026-Q3")
        leaves = [leaf for s in status.indicators for leaf in s.leaves]
    assert "Status for 2. kvartal 2026" in shown
    assert narrative.overall_status[0].split()[0] in shown
    for leaf in leaves:
        row = dashboard.to_row(leaf, "nb")
        for cell in (row.name, row.value, row.period, row.ambition, row.trend, row.verdict_label):
            assert plain(cell) in shown
    assert f'alt="{html.escape(words.summary, quote=True)}"' in page.text
    assert 'src="/mal/mal1/graf.png"' in page.text
    for sentence in words.details:
        assert plain(sentence) in shown


@pytest.mark.slow
def test_indicator_page_shows_the_card_series_ambition_plan_and_cases(shared_site):
    """PLL: facts, the chart's words, every value, the document's wording, the 2023 plan's
    baselines and targets, and links to the cases that concern it."""
    page = shared_site.get("/indikator/PLL")
    assert page.status == 200
    shown = text_of(page.text)
    with shared_site.context.sessions() as session:
        ind = session.scalar(select(Indicator).where(Indicator.code == "PLL"))
        status = indicator_status(session, ind, CHAT_TODAY)
        cases = public.cases_for_indicator(session, ind.id)
        plan = [(p.number, p.ambitions[0].baseline_label, p.ambitions[0].wording) for p in ind.plan_links]
        wording = queries.primary_ambition(ind).wording
        series = list(status.series.itertuples())
    assert ind.name in shown and status.verdict.label() in shown
    assert f'alt="{html.escape(chart_text(status).summary, quote=True)}"' in page.text
    for row in series:
        assert f"{plain(dashboard.fmt.period(row.period))} {plain(dashboard.fmt.value(row.value))}" in shown
    assert wording in shown
    assert plan and all(n in shown and b in shown and w in shown for n, b, w in plan)
    assert cases
    for case in cases:
        assert f'href="/saker/{case.id}"' in page.text
        assert shared_site.get(f"/saker/{case.id}").status == 200
    for link in ('href="/indikator/PLL/verdier.csv"', 'href="/indikator/PLL/graf.png"', "graf.svg"):
        assert link in page.text


def test_meetings_and_cases_show_public_agenda_information_only(site):
    """Held and planned meetings with their cases and decisions; a cancelled meeting, a case
    under work and the case paper's text are never shown."""
    with site.context.sessions() as session:
        held = session.scalar(select(Meeting).where(Meeting.number == "4/2025"))
        case = next(c for c in held.cases if c.background)
        secret_background = case.background.strip().split("\n")[0][:60]
        council = held.council_id
        cancelled = Meeting(council_id=council, number="9/2026", date=held.date, status="cancelled")
        session.add(cancelled)
        session.flush()
        hidden = Case(council_id=council, meeting_id=cancelled.id, number="98/26", title="Avlyst sak")
        drafting = Case(council_id=council, number="99/26", title="Sak under arbeid", summary="Utkast")
        session.add_all([hidden, drafting])
        session.commit()
        ids = {"held": held.id, "case": case.id, "cancelled": cancelled.id, "hidden": hidden.id}
        ids["drafting"] = drafting.id
        decision, title = case.decision or case.proposed_decision, case.title
    listing = site.get("/moter")
    assert f'href="/moter/{ids["held"]}"' in listing.text
    assert f'href="/moter/{ids["cancelled"]}"' not in listing.text
    meeting = text_of(site.get(f"/moter/{ids['held']}").text)
    assert title in meeting and decision.split("\n")[0].strip() in meeting
    shown = site.get(f"/saker/{ids['case']}")
    assert shown.status == 200 and title in text_of(shown.text)
    assert secret_background not in text_of(shown.text)  # the case paper's Bakgrunn stays out
    for key in ("cancelled",):
        assert site.get(f"/moter/{ids[key]}").status == 404
    for key in ("hidden", "drafting"):
        answer = site.get(f"/saker/{ids[key]}")
        assert answer.status == 404 and "Fant ikke siden" in answer.text


def test_the_running_quarters_narrative_and_digest_previews_are_not_shown(site):
    """A narrative for the quarter still running is being written (digest previews show it to
    staff): the goal page shows the newest one of an ended quarter."""
    from radsbot.data.models import GoalNarrative

    with site.context.sessions() as session:
        goal = session.scalar(select(Goal).where(Goal.code == "mal1"))
        session.add(
            GoalNarrative(
                goal_id=goal.id,
                quarter="2026-Q4",
                overall_status=["Utkast til status som ikke er publisert"],
            )
        )
        session.commit()
    page = text_of(site.get("/mal/mal1").text)
    assert "Utkast til status som ikke er publisert" not in page
    assert "Status for 2. kvartal 2026" in page


@pytest.mark.slow
def test_stored_text_is_escaped_everywhere(site):
    """An indicator name, a case title and a narrative holding markup are shown as text."""
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    with site.context.sessions() as session:
        pll = session.scalar(select(Indicator).where(Indicator.code == "PLL"))
        pll.name = f"{attack} legemidler"
        pll.short_name = f"{attack} PLL"
        case = session.scalar(select(Case).where(Case.number == "40/25"))
        case.title = f"{attack} sak"
        session.commit()
        case_id, goal = case.id, pll.goal.code
    for path in ("/", "/?visning=alle", f"/mal/{goal}", "/indikator/PLL", f"/saker/{case_id}", "/moter"):
        page = site.get(path)
        assert page.status == 200
        assert "<script>" not in page.text and "<img src=x" not in page.text, path
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in site.get("/indikator/PLL").text


@pytest.mark.parametrize(
    "path",
    [
        "/indikator/FINNESIKKE",
        "/mal/mal99",
        "/moter/999999",
        "/saker/999999",
        "/moter/99999999999999999999",
        "/indikator/%00",
        "/indikator/" + "A" * 500,
        "/nope",
        "/static/../app.py",
        "/static/radsbot.py",
    ],
)
def test_unknown_addresses_get_the_norwegian_404_page(shared_site, path):
    """Unknown codes, ids, paths and files: a 404 page in bokmål, with the usual headers."""
    page = shared_site.get(path)
    assert page.status == 404
    assert '<html lang="nb"' in page.text and "Fant ikke siden" in page.text
    assert "Traceback" not in page.text
    assert page.headers["x-content-type-options"] == "nosniff"


@pytest.mark.slow
def test_security_headers_on_every_kind_of_response(shared_site):
    """Pages, errors, images, downloads and static files carry the same hardened headers."""
    for path in (
        "/",
        "/indikator/PLL",
        "/nope",
        "/indikator/PLL/graf.png",
        "/indikator/PLL/verdier.csv",
        "/static/radsbot.css",
        "/nedlasting/indikatorer.xlsx",
    ):
        headers = shared_site.get(path).headers
        csp = headers["content-security-policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp, path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["x-frame-options"] == "DENY"
        assert "set-cookie" not in headers


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_only_get_and_head(shared_site, method):
    """The dashboard is read-only: any other method is 405 with Allow: GET, HEAD."""
    for path in ("/", "/indikator/PLL", "/nedlasting/indikatorer.xlsx"):
        answer = shared_site.get(path, method=method, data=b"x=1" if method != "OPTIONS" else None)
        assert answer.status == 405, (method, path)
        assert set(answer.headers["allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}
        assert "Traceback" not in answer.text


def test_head_answers_without_a_body(shared_site):
    """HEAD: the page's status and headers, no body."""
    answer = shared_site.get("/indikator/PLL", method="HEAD")
    assert answer.status == 200 and answer.body == b""
    assert answer.headers["content-type"].startswith("text/html")


@pytest.mark.slow
def test_language_by_parameter_or_browser_and_bad_values_ignored(shared_site):
    """?lang=en or Accept-Language: en gives English; other values are ignored (bokmål)."""
    english = shared_site.get("/?lang=en")
    assert '<html lang="en"' in english.text and "National e-health strategy status" in english.text
    assert 'href="/indikator/PLL?lang=en"' in english.text  # a chosen language is kept in links
    browser = shared_site.get("/indikator/PLL", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en"' in browser.text and "Latest value" in browser.text
    assert "Accept-Language" in browser.headers["vary"]
    for bad in ("xx", "../../etc", "nb<script>", "EN", ""):
        page = shared_site.get(f"/?lang={bad}")
        assert page.status == 200 and '<html lang="nb"' in page.text, bad
    norwegian = shared_site.get("/", headers={"Accept-Language": "nn-NO,nn;q=0.9,en;q=0.5"})
    assert '<html lang="nb"' in norwegian.text


def test_a_failing_database_gives_a_plain_500_page(databases):
    """When the database cannot be reached: a 500 page in bokmål, no trace of the error."""
    from tests.web.conftest import Site, serve_dashboard

    server, context = serve_dashboard("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2")
    try:
        page = Site(server.url, context).get("/indikator/PLL")
    finally:
        server.stop()
    assert page.status == 500
    assert "Noe gikk galt" in page.text
    for leak in ("Traceback", "psycopg", "127.0.0.1:9", "OperationalError", "DatabaseUnavailable"):
        assert leak not in page.text
