"""Norwegian (and English) formatting of numbers, values, changes, dates and periods."""

import datetime as dt

import pytest
from radsbot.reports import formatting as fmt

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


def test_an_ambition_target_says_by_when_in_the_readers_language():
    day = dt.date(2029, 12, 31)
    assert fmt.target(30, "%", "desember 2029", day) == f"30{NBSP}% innen desember 2029"
    assert fmt.target(30, "%", "", day) == f"30{NBSP}% innen desember 2029"
    # The stored label is bokmål; English shows the date instead.
    assert fmt.target(30, "%", "desember 2029", day, "en") == f"30{NBSP}% by December 2029"
    assert fmt.target(30, "%", "4. kvartal 2027", None, "nb") == f"30{NBSP}% innen 4. kvartal 2027"
    assert fmt.target(30, "%", "", None) == f"30{NBSP}%"  # no "innen –"


def test_small_shared_wordings():
    assert fmt.clock("10:00") == "10.00" and fmt.clock("10:00", "en") == "10:00"
    assert fmt.marked("4/2026", True) == "4/2026 (eksempeldata)" and fmt.marked("4/2026", False) == "4/2026"
    assert fmt.marked("4/2026", True, "en") == "4/2026 (example data)"
    assert fmt.readiness("under_arbeid") == "Under arbeid" and fmt.readiness("klar", "en") == "Ready"
    assert fmt.file_stem("toppnotat", "nuit", "41/25") == "toppnotat-nuit-41-25"


@pytest.mark.parametrize("val", [-0.0, -0.04, -0.0001])
def test_a_value_that_rounds_to_zero_has_no_minus_sign(val):
    """An imported "-0" (or a tiny negative) is shown as 0, not "-0 %"."""
    assert not fmt.value(val, "%").startswith(("-", "−"))
    assert not fmt.value(val, "dager").startswith(("-", "−"))


@pytest.mark.parametrize("delta", [-0.001, 0.001, -0.0])
def test_a_change_that_rounds_to_zero_is_plus_minus_zero(delta):
    """A slope of −0,001 prosentpoeng per år is "±0", not "−0,0"."""
    assert fmt.change(delta, "%") == "±0 prosentpoeng"
    assert fmt.change(delta, "dager") == "±0 dager"
