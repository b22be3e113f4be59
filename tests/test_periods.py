"""Period parsing: the forms staff write, and clear Norwegian errors for the rest."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from radsbot.data.periods import PeriodError, parse_period, quarter_of


@pytest.mark.parametrize(
    ("text", "kind", "label", "start", "end"),
    [
        ("2025", "year", "2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        (2025, "year", "2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        (2025.0, "year", "2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("2025-Q3", "quarter", "2025-Q3", dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
        ("2025q4", "quarter", "2025-Q4", dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        ("2025-K1", "quarter", "2025-Q1", dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
        ("Q2 2026", "quarter", "2026-Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        ("3. kvartal 2025", "quarter", "2025-Q3", dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
        ("2024-02", "month", "2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2025-11-01", "date", "2025-11-01", dt.date(2025, 11, 1), dt.date(2025, 11, 1)),
        ("1.11.2025", "date", "2025-11-01", dt.date(2025, 11, 1), dt.date(2025, 11, 1)),
        (dt.date(2025, 11, 1), "date", "2025-11-01", dt.date(2025, 11, 1), dt.date(2025, 11, 1)),
    ],
)
def test_accepted_forms(text, kind, label, start, end):
    period = parse_period(text)
    assert (period.kind, period.label, period.start, period.end) == (kind, label, start, end)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Perioden mangler"),
        ("i fjor", "ikke en periode"),
        ("2025-13", "måned 13"),
        ("2025-02-30", "ikke en gyldig dato"),
        ("1850", "utenfor 1990–2100"),
        ("2025-Q5", "ikke en periode"),
    ],
)
def test_rejected_forms_say_what_to_write(text, message):
    with pytest.raises(PeriodError) as err:
        parse_period(text)
    assert message in str(err.value)
    assert "2025-Q3" in str(err.value)


def test_quarter_of():
    assert quarter_of(dt.date(2026, 11, 22)) == "2026-Q4"
    assert quarter_of(dt.date(2026, 4, 1)) == "2026-Q2"


@given(st.text(max_size=40))
def test_never_crashes_on_any_text(text):
    try:
        period = parse_period(text)
    except PeriodError:
        return
    assert period.start <= period.end
