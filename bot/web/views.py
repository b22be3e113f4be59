"""One view per page of the dashboard: each asks `radsbot.reports` for the page and renders it.

Views compute nothing: figures, verdicts, texts for charts and downloads all come from reports.
An unknown code or id raises NotFound, which the application answers with its 404 page.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from radsbot.data import lookups
from radsbot.reports import dashboard, dashboard_agenda
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

if TYPE_CHECKING:
    from radsbot.bot.web.app import Page

# Codes are ASCII words ("PLL", "mal3", "P23_4_2_5"); anything else is no page, unread.
CODE = re.compile(r"[A-Za-z0-9_]{1,40}")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def overview(page: Page) -> Response:
    """Every goal with its highlighted (or, with ?visning=alle, all) indicators."""
    everything = page.request.args.get("visning") == "alle"
    data = dashboard.overview_page(
        page.session, page.today, page.lang, everything=everything, timezone=page.timezone
    )
    return page.render("overview.html", overview=data)


def goal(page: Page, code: str) -> Response:
    """A goal: its status text, its indicators and its chart."""
    data = dashboard.goal_page(page.session, _code(code), page.today, page.lang) or _missing()
    return page.render("goal.html", goal=data)


def indicator(page: Page, code: str) -> Response:
    """An indicator: the card's facts, chart, series, ambition, the 2023 plan and its cases."""
    data = dashboard.indicator_page(page.session, _code(code), page.today, page.lang) or _missing()
    return page.render("indicator.html", ind=data)


def meetings(page: Page) -> Response:
    """Every held and planned meeting."""
    return page.render("meetings.html", meetings=dashboard_agenda.meetings_page(page.session, page.lang))


def meeting(page: Page, meeting_id: int) -> Response:
    """A meeting's public agenda with its cases and decisions."""
    data = dashboard_agenda.meeting_page(page.session, meeting_id, page.lang) or _missing()
    return page.render("meeting.html", meeting=data)


def case(page: Page, case_id: int) -> Response:
    """A public case: its agenda fields, decision and indicators."""
    data = dashboard_agenda.case_page(page.session, case_id, page.lang) or _missing()
    return page.render("case.html", case=data)


def indicator_chart(page: Page, code: str, image: str) -> Response:
    """An indicator's chart as PNG (shown on the page) or SVG (downloaded)."""
    from radsbot.reports.charts import chart_of
    from radsbot.reports.status import indicator_status

    found = lookups.indicator_by_code(page.session, _code(code)) or _missing()
    data = chart_of(indicator_status(page.session, found, page.today), page.lang, image)
    return _image(data, image, f"{found.code}-graf")


def goal_chart(page: Page, code: str, image: str) -> Response:
    """A goal's small multiples as PNG or SVG."""
    from radsbot.reports.charts import goal_chart as draw
    from radsbot.reports.status import goal_status

    found = lookups.goal_by_code(page.session, _code(code)) or _missing()
    return _image(
        draw(goal_status(page.session, found, page.today), page.lang, image), image, f"{found.code}-graf"
    )


def indicator_csv(page: Page, code: str) -> Response:
    """An indicator's national values as CSV for Norwegian Excel (and `radsbot import`)."""
    from radsbot.reports.downloads import series_csv

    found = lookups.indicator_by_code(page.session, _code(code)) or _missing()
    return _download(series_csv(page.session, found), "text/csv; charset=utf-8", f"{found.code}-verdier.csv")


def indicators_xlsx(page: Page) -> Response:
    """Every indicator and every national value as one Excel workbook."""
    from radsbot.reports.downloads import indicators_xlsx as workbook

    data = workbook(page.session, page.today, page.lang)
    return _download(data, XLSX, f"radsbot-indikatorer-{page.today.isoformat()}.xlsx")


def _code(code: str) -> str:
    if not CODE.fullmatch(code):
        raise NotFound()
    return code


def _missing():
    raise NotFound()


def _image(data: bytes, image: str, stem: str) -> Response:
    if image == "svg":
        # Downloaded, not shown: the SVG's own styles need no exception to the page's policy.
        return _download(data, "image/svg+xml", f"{stem}.svg")
    response = Response(data, content_type="image/png")
    response.headers["Content-Disposition"] = f'inline; filename="{stem}.png"'
    return response


def _download(data: bytes, content_type: str, filename: str) -> Response:
    response = Response(data, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
