"""The units indicators are measured in, as stored ("%", "antall", "dager", "pasienter" …), and how a
value in each is written in the reader's language: "106 dager", "1 dag", "106 days"."""

from __future__ import annotations

from radsbot.data.words import Message, N_n, N_p, words

NBSP = "\u00a0"
# Stored units and how a value in each is written; "%" is a symbol, "antall" needs no word.
UNITS: dict[str, Message] = {
    "dager": N_n("{value} day", "{value} days"),
    "kommuner": N_n("{value} municipality", "{value} municipalities"),
    "søknader": N_n("{value} application", "{value} applications"),
    "pasienter": N_n("{value} patient", "{value} patients"),
    "helsefellesskap": N_n("{value} health community", "{value} health communities"),
    "brukere": N_n("{value} user", "{value} users"),
    "oppslag": N_n("{value} look-up", "{value} look-ups"),
    "helseregistre": N_n("{value} health registry", "{value} health registries"),
    "virksomheter": N_n("{value} organisation", "{value} organisations"),
    "besøk per måned": N_n("{value} visit per month", "{value} visits per month"),
    "plass": N_n("place {value}", "place {value}"),
    "prosjekter": N_n("{value} project", "{value} projects"),
}
COUNT = N_p("unit", "count")  # "antall" on its own, as a chart names the unit


def is_count(unit: str) -> bool:
    """Whether values in this unit are whole numbers: not shares, durations ("dager") or rates."""
    return unit not in ("", "%", "dager") and " per " not in unit


def with_unit(number: str, unit: str, lang: str) -> str:
    """A number (already written in the reader's language) with its unit: "30,5 %", "106 dager"."""
    if unit == "%":
        return f"{number}{NBSP}%"
    if unit in UNITS:
        return words(lang).text(UNITS[unit].fill(1 if number == "1" else 2, value=number))
    return f"{number} {'' if unit == 'antall' else unit}".rstrip()  # a unit no table knows: as stored


def unit_name(unit: str, lang: str) -> str:
    """The unit on its own, as a heading names it ("dager", "days"); a unit no table knows, as stored."""
    if unit == "antall":
        return words(lang).text(COUNT)
    if unit in UNITS:
        return words(lang).text(UNITS[unit].fill(2, value="")).strip()
    return unit
