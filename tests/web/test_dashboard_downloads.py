"""Downloads over real HTTP: CSV for Norwegian Excel, the whole set as XLSX, charts as PNG and SVG."""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from PIL import Image
from radsbot.data import queries
from radsbot.data.importer import import_file
from radsbot.data.models import Indicator
from radsbot.reports import formatting as fmt
from radsbot.reports.status import indicator_status
from sqlalchemy import select

from tests.conftest import CHAT_TODAY


def test_series_csv_opens_in_norwegian_excel_and_imports_back(shared_site, tmp_path, session):
    """UTF-8 with BOM, semicolons, decimal comma, example values marked; `radsbot import` reads
    it back as the very values it came from (nothing to add or change)."""
    answer = shared_site.get("/indikator/PLL/verdier.csv")
    assert answer.status == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == 'attachment; filename="PLL-verdier.csv"'
    assert answer.body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(answer.body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["indikator", "periode", "verdi", "eksempeldata", "merknad", "kildedokument"]
    pll = session.scalar(select(Indicator).where(Indicator.code == "PLL"))
    stored = queries.national_values(session, pll.id)
    assert [(r[1], r[2], r[3]) for r in rows[1:]] == [
        (m.period, fmt.plain_number(m.value), "ja" if m.is_example else "nei") for m in stored
    ]
    assert any("," in r[2] for r in rows[1:]) and not any("." in r[2] for r in rows[1:])
    path = tmp_path / "PLL-verdier.csv"
    path.write_bytes(answer.body)
    report = import_file(session, path, dry_run=True)
    assert report.errors == [] and report.rows == len(stored)
    assert (report.added, report.updated, report.unchanged) == (0, 0, len(stored))


@pytest.mark.slow
def test_the_whole_set_as_xlsx(shared_site, session):
    """Every indicator with latest value and verdict, every national value with example data
    marked, and a sheet that says what example data means."""
    answer = shared_site.get("/nedlasting/indikatorer.xlsx")
    assert answer.status == 200 and answer.headers["content-disposition"].startswith("attachment;")
    book = load_workbook(io.BytesIO(answer.body))
    assert book.sheetnames == ["Indikatorer", "Målinger", "Om dataene"]
    indicators = list(book["Indikatorer"].iter_rows(values_only=True))
    assert len(indicators) - 1 == len(queries.indicators(session))
    header = indicators[0]
    codes = {r[0]: dict(zip(header, r, strict=True)) for r in indicators[1:]}
    assert codes["PLL"]["Eksempeldata"] == "ja" and codes["PLL"]["Enhet"] == "%"
    values = list(book["Målinger"].iter_rows(values_only=True))
    pll = session.scalar(select(Indicator).where(Indicator.code == "PLL"))
    pll_values = [r for r in values[1:] if r[0] == "PLL"]
    assert [r[4] for r in pll_values] == [m.value for m in queries.national_values(session, pll.id)]
    assert all(r[6] in ("ja", "nei") for r in values[1:])
    about = " ".join(str(r[0]) for r in book["Om dataene"].iter_rows(values_only=True))
    assert fmt.EXAMPLE_NOTE["nb"] in about


@pytest.mark.slow
def test_stored_text_never_becomes_a_formula(site):
    """A stored name starting with "=" is text in the workbook, and quoted in the CSV."""
    with site.context.sessions() as s:
        pll = s.scalar(select(Indicator).where(Indicator.code == "PLL"))
        pll.name = '=HYPERLINK("http://example.invalid","klikk")'
        first = queries.national_values(s, pll.id)[0]
        first.note = "=1+1"
        s.commit()
    book = load_workbook(io.BytesIO(site.get("/nedlasting/indikatorer.xlsx").body))
    row = next(r for r in book["Indikatorer"].iter_rows() if r[0].value == "PLL")
    assert row[1].data_type == "s" and row[1].value.startswith("=HYPERLINK")
    rows = site.get("/indikator/PLL/verdier.csv").body.decode("utf-8-sig").splitlines()
    assert rows[1].split(";")[4] == "'=1+1"


@pytest.mark.slow
def test_charts_as_png_and_svg(shared_site):
    """Each indicator's and goal's chart as PNG (shown) and SVG (downloaded)."""
    for path in ("/indikator/PLL/graf", "/mal/mal3/graf", "/indikator/DHO/graf"):
        png = shared_site.get(path + ".png")
        assert png.status == 200 and png.headers["content-type"] == "image/png"
        with Image.open(io.BytesIO(png.body)) as image:
            assert image.format == "PNG" and image.size[0] >= 400
        svg = shared_site.get(path + ".svg")
        assert svg.status == 200 and svg.headers["content-type"] == "image/svg+xml"
        assert svg.headers["content-disposition"].startswith("attachment;")
        assert ElementTree.fromstring(svg.body).tag.endswith("svg")
    assert shared_site.get("/indikator/PLL/graf.gif").status == 404


@pytest.mark.slow
def test_example_data_is_marked_on_every_page_that_shows_it(shared_site, session):
    """Example values carry «eksempeldata» next to the value and the notice, as in chat."""
    from radsbot.bot.web.texts import NB

    for path in ("/", "/mal/kvalitet", "/indikator/PLL", "/moter"):
        page = shared_site.get(path).text
        assert NB["example_notice"] in page, path
    # The latest value as stored (an example in the seed), not a copy of the seed's figure.
    pll = session.scalar(select(Indicator).where(Indicator.code == "PLL"))
    latest = indicator_status(session, pll, CHAT_TODAY).assessment.latest
    assert latest.is_example
    assert f"{fmt.value(latest.value, pll.unit)} (eksempeldata)" in shared_site.get("/indikator/PLL").text
