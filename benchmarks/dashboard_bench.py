"""Dashboard benchmark: `radsbot serve`'s public pages under load, and Slack's acks beside them.

`dashboard`: every page kind (overview, goals, indicators, meetings, cases) of a real
`radsbot serve` process on the seeded database, loaded 2,000 times by 50 concurrent clients
after one warm-up pass; then, in a fresh process with no chart kept, each indicator page loaded
for the first time together with the chart it shows (a page whose chart must be drawn).
`dashboard_slack`: the same 2,000 page loads while 1,000 signed Slack requests arrive at the same
process, to show the acks keep their bars. Bars: pages p50 ≤ 20 ms, p99 ≤ 100 ms warm, none of
2,000 over 1 s; a page whose charts must be drawn ≤ 400 ms; Slack ack p99 ≤ 250 ms.
"""

from __future__ import annotations

import os
import re
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from benchmarks.common import benchmark, show, summary, workdir
from benchmarks.data_bench import seeded_database

SLOW_SECONDS = 1.0
LINK = re.compile(r'href="(/(?:mal|indikator|moter|saker)/[^"#?]+)"')


def get(url: str) -> tuple[float, int, bytes]:
    """Seconds, status and body of one GET."""
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        body = response.read()
        return time.perf_counter() - start, response.status, body


def page_paths(base: str) -> list[str]:
    """Every page the overview and the meetings page link to, and those two."""
    paths = {"/", "/moter"}
    for start in ("/", "/moter", "/?alle=1"):
        paths |= set(LINK.findall(get(base + start)[2].decode()))
    for path in list(paths):
        if path.startswith("/moter/"):
            paths |= set(LINK.findall(get(base + path)[2].decode()))
    return sorted(p for p in paths if "/graf." not in p and not p.endswith((".csv", ".xlsx")))


def serve_env(**extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(workdir())),
        **extra,
    }


def load(base: str, paths: list[str], total: int) -> tuple[list[float], Counter]:
    """`total` page loads over 50 client threads, cycling through the pages."""
    mix = [paths[i % len(paths)] for i in range(total)]
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(lambda path: get(base + path)[:2], mix))
    return [seconds for seconds, _ in results], Counter(status for _, status in results)


def cold_indicator_pages(url: str) -> dict:
    """First loads of each indicator page with its chart, in a process that has drawn nothing."""
    from tests.fakes.serve import ServeProcess

    with ServeProcess(
        serve_env(DATABASE_URL=url, RADSBOT_CHART_CACHE="off"), "--log-level", "WARNING"
    ) as server:
        paths = [p for p in page_paths(server.url) if p.startswith("/indikator/")]
        seconds = []
        for path in paths:
            page, _, _ = get(server.url + path)
            chart, _, _ = get(server.url + path + "/graf.png")
            seconds.append(page + chart)
    return summary(seconds)


@benchmark("dashboard")
def dashboard(args) -> dict:
    """2,000 page loads, 50 concurrent, warm; then first loads of pages whose chart is drawn."""
    from tests.fakes.serve import ServeProcess

    total = args.runs or 2000
    url = seeded_database("dashboard-bench", args.database_url)
    with ServeProcess(serve_env(DATABASE_URL=url), "--log-level", "WARNING") as server:
        paths = page_paths(server.url)
        for path in paths:  # warm-up: every page once
            get(server.url + path)
        started = time.perf_counter()
        latencies, statuses = load(server.url, paths, total)
        elapsed = time.perf_counter() - started
    result = summary(latencies)
    result.update(
        pages=len(paths),
        over_1s=sum(s > SLOW_SECONDS for s in latencies),
        statuses=dict(statuses),
        all_s=round(elapsed, 2),
    )
    show(f"dashboard pages, {len(paths)} kinds, 50 concurrent", result, "p50 ≤ 20, p99 ≤ 100 ms, none > 1 s")
    cold = cold_indicator_pages(url)
    show("indicator page + chart, chart drawn", cold, "≤ 400 ms")
    result["cold_page_with_chart"] = cold
    return result


@benchmark("dashboard_slack")
def dashboard_slack(args) -> dict:
    """Slack acks while the dashboard is loaded: 1,000 signed requests beside 2,000 page loads."""
    from benchmarks.slack_bench import SECRET, TOKEN, FakeInOwnProcess, requests_mix
    from tests.fakes.serve import ServeProcess
    from tests.fakes.slack_requests import SlackRequests

    url = seeded_database("dashboard-slack-bench", args.database_url)
    with FakeInOwnProcess() as fake:
        env = serve_env(
            DATABASE_URL=url, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.url
        )
        with ServeProcess(env, "--log-level", "WARNING") as server:
            base = server.url.removesuffix("/slack/events")  # with Slack it prints the events URL
            paths = page_paths(base)
            for path in paths:
                get(base + path)
            slack = SlackRequests(server.url, SECRET)
            mix = requests_mix(1000, slack, fake.response_url())

            def send(item) -> float:
                body, content_type = item
                start = time.perf_counter()
                slack.send(body, content_type)
                return time.perf_counter() - start

            with ThreadPoolExecutor(max_workers=2) as both:
                pages = both.submit(load, base, paths, 2000)
                with ThreadPoolExecutor(max_workers=50) as pool:
                    acks = list(pool.map(send, mix))
                page_latencies, _ = pages.result()
    ack = summary(acks)
    ack["over_3s"] = sum(s > 3.0 for s in acks)
    page = summary(page_latencies)
    page["over_1s"] = sum(s > SLOW_SECONDS for s in page_latencies)
    show("Slack acks while the dashboard is loaded", ack, "p99 ≤ 250 ms, none > 3 s")
    show("dashboard pages beside Slack", page, "none > 1 s")
    return {"ack": ack, "pages": page}
