"""Universal design in a real browser: axe-core's WCAG 2.1 A/AA rules, the keyboard, reflow at
320 px and 400 % zoom, the page language, text alternatives, and verdicts not by colour alone.

Headless Chromium (Debian's) loads each page from the real server; axe-core 4.14.1 (vendored in
tests/web/vendor) is injected into it.
"""

from __future__ import annotations

import pytest
from radsbot.reports.analytics import Verdict

from tests.web.conftest import AXE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = [
    "/",
    "/?visning=alle",
    "/mal/kvalitet",
    "/mal/mal3",
    "/indikator/PLL",
    "/indikator/HELSENORGE",
    "/indikator/DHO",
    "/moter",
    "/moter/1",
    "/saker/1",
    "/finnes-ikke",
    "/?lang=en",
    "/indikator/PLL?lang=en",
]
FOCUSABLE = (
    "a[href], button:not([disabled]), input:not([disabled]), select, textarea, "
    '[tabindex]:not([tabindex="-1"])'
)


def open_page(new_page, site, path: str, **kw):
    """The page loaded with everything it uses (styles, charts)."""
    page = new_page(**kw)
    page.goto(site.url.rstrip("/") + path, wait_until="load")
    return page


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_wcag_21_aa_violations(shared_site, browser, path):
    """Zero violations of axe-core's WCAG 2.0/2.1 level A and AA rules."""
    # axe is injected as a script, which the pages' own policy (no script at all) would refuse.
    context = browser.new_context(bypass_csp=True, locale="nb-NO", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(shared_site.url.rstrip("/") + path, wait_until="load")
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            WCAG_TAGS,
        )
        violations = [
            (v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:5])
            for v in result["violations"]
        ]
        assert violations == []
        assert result["passes"], "axe ran no rule"
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/", "/indikator/PLL", "/mal/mal1", "/moter/1"])
def test_the_keyboard_reaches_every_link_in_order_with_a_visible_focus(shared_site, new_page, path):
    """Tab goes through every link and control in document order, each with a focus outline."""
    page = open_page(new_page, shared_site, path)
    expected = page.evaluate(
        "sel => Array.from(document.querySelectorAll(sel)).map(e => e.outerHTML)", FOCUSABLE
    )
    assert len(expected) > 5
    reached = []
    for _ in expected:
        page.keyboard.press("Tab")
        focus = page.evaluate(
            """() => {
                const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
                return {html: e.outerHTML, outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                        shadow: s.boxShadow, w: r.width, h: r.height};
            }"""
        )
        reached.append(focus["html"])
        visible = (focus["outline"] != "none" and focus["width"] >= 2) or focus["shadow"] != "none"
        assert visible, f"no visible focus on {focus['html'][:120]}"
        assert focus["w"] > 0 and focus["h"] > 0, f"focused but not shown: {focus['html'][:120]}"
    assert reached == expected
    # The first stop is the skip link, and it leads to the main content.
    assert 'href="#main"' in reached[0]


@pytest.mark.parametrize("path", ["/", "/?visning=alle", "/mal/mal1", "/indikator/PLL", "/moter", "/moter/1"])
@pytest.mark.parametrize(
    ("width", "height", "scale"), [(320, 640, 1), (320, 225, 4)], ids=["320px", "400pct"]
)
def test_no_horizontal_scrolling_at_320px_or_400_percent_zoom(
    shared_site, new_page, path, width, height, scale
):
    """WCAG 1.4.10: at 320 CSS px (a phone, or 1280 px zoomed to 400 %) nothing scrolls sideways."""
    page = open_page(new_page, shared_site, path, width=width, height=height, scale=scale)
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"
    )
    assert sizes["scroll"] <= sizes["client"], sizes


@pytest.mark.parametrize(("path", "lang"), [("/", "nb"), ("/indikator/PLL?lang=en", "en"), ("/nope", "nb")])
def test_the_page_language_is_set(shared_site, new_page, path, lang):
    """<html lang> names the page's language; Norwegian text on an English page is marked nb."""
    page = open_page(new_page, shared_site, path)
    assert page.evaluate("document.documentElement.lang") == lang
    if lang == "en":
        assert page.evaluate("document.querySelector('h1 [lang=nb]').textContent").startswith("Pasientens")


def test_charts_load_under_the_pages_own_policy_with_a_text_alternative_and_data(shared_site, new_page):
    """Under the real Content-Security-Policy: styles and charts load, nothing is refused, each
    chart has words and the indicator's figures are in a table."""
    page = new_page()
    refused = []
    page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)
    page.goto(shared_site.url + "indikator/PLL", wait_until="load")
    images = page.evaluate(
        "() => Array.from(document.images).map(i => ({alt: i.alt, ok: i.complete && i.naturalWidth > 0}))"
    )
    assert images and all(i["ok"] and len(i["alt"]) > 40 for i in images)
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.site-header')).borderBottomStyle") == "solid"
    )
    rows = page.evaluate("document.querySelectorAll('table tbody tr').length")
    assert rows >= 10
    assert refused == []


def test_a_verdict_is_never_told_by_colour_alone(shared_site, new_page):
    """Every verdict shows its label in words and a shape of its own."""
    page = open_page(new_page, shared_site, "/?visning=alle")
    verdicts = page.evaluate(
        """() => Array.from(document.querySelectorAll('.verdict')).map(v => ({
            icon: v.querySelector('.verdict__icon').textContent.trim(),
            label: v.textContent.replace(v.querySelector('.verdict__icon').textContent, '').trim()}))"""
    )
    labels = {v.label() for v in Verdict}
    assert {v["label"] for v in verdicts} == labels  # the totals show every verdict
    icons = {}
    for v in verdicts:
        icons.setdefault(v["label"], set()).add(v["icon"])
    assert all(len(shapes) == 1 for shapes in icons.values())
    assert len({next(iter(s)) for s in icons.values()}) == len(labels)
