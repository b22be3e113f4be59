"""Norwegian (and English) formatting of numbers, values, changes, dates and periods."""

import datetime as dt

import pytest

from reports import formatting as fmt

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((30.5, "%"), f"30,5{NBSP}%"),
        ((30, "%"), f"30{NBSP}%"),
        ((115678, "antall"), f"115{NBSP}678"),
        ((106, "dager"), "106 dager"),
        ((None, "%"), "–"),
    ],
)
def test_value_nb(args, expected):
    assert fmt.value(*args) == expected


def test_value_en():
    assert fmt.value(30.5, "%", "en") == f"30.5{NBSP}%"
    assert fmt.value(106, "dager", "en") == "106 days"


def test_change():
    assert fmt.change(2.14, "%") == "+2,1 prosentpoeng"
    assert fmt.change(-53, "dager") == "−53 dager"
    assert fmt.change(0, "%").startswith("±")


def test_dates_and_periods():
    assert fmt.date(dt.date(2025, 11, 20)) == "20. november 2025"
    assert fmt.date(dt.date(2025, 11, 20), "en") == "20 November 2025"
    assert fmt.month(dt.date(2029, 12, 31)) == "desember 2029"
    assert fmt.period("2025-Q3") == "3. kvartal 2025"
    assert fmt.period("2025-11") == "november 2025"
    assert fmt.period("2025-11-01") == "1. november 2025"
    assert fmt.period("2025") == "2025"
