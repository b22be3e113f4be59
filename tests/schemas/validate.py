"""Checks of Teams activities and cards against the vendored official schemas, and what they miss."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, Draft6Validator

HERE = Path(__file__).parent
MAX_ACTIVITY_BYTES = 28 * 1024
CARD_TYPE = "application/vnd.microsoft.card.adaptive"
# Element and action types of Adaptive Cards 1.5 (the schema's own enums are case-insensitive
# patterns that also match misspellings, so the exact names are checked here as well).
ELEMENTS = {
    "TextBlock", "Image", "FactSet", "Container", "ActionSet", "Table", "ColumnSet", "RichTextBlock",
}  # fmt: skip
ACTIONS = {"Action.Execute", "Action.OpenUrl", "Action.Submit", "Action.ShowCard"}
SPACINGS = {"None", "Small", "Medium", "Large", "ExtraLarge", "Default", "Padding"}


@cache
def schema(name: str) -> dict[str, Any]:
    """A vendored schema by file name."""
    return json.loads((HERE / name).read_text(encoding="utf-8"))


@cache
def card_validator() -> Draft6Validator:
    """The official Adaptive Card 1.5 schema (JSON Schema draft-06)."""
    return Draft6Validator(schema("adaptive-card-1.5.json"))


@cache
def manifest_validator() -> Draft4Validator:
    """The official Teams app manifest schema v1.25 (draft-04)."""
    return Draft4Validator(schema("teams-manifest-1.25.json"))


@cache
def localization_validator() -> Draft4Validator:
    """The official Teams localization file schema v1.25 (draft-04)."""
    return Draft4Validator(schema("teams-localization-1.25.json"))


def errors(validator, document: Any) -> list[str]:
    """Every schema violation, readable."""
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(document)
    ]


def size(document: Any) -> int:
    """Bytes of the JSON as the most verbose serialiser sends it (ASCII escapes, spaces)."""
    return len(json.dumps(document).encode())


def check_card(card: dict[str, Any]) -> None:
    """A valid 1.5 card, also in what the schema lets through."""
    assert errors(card_validator(), card) == []
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert card.get("fallbackText", "").strip()
    assert card["body"], "a card shows something"
    for element in walk(card["body"]):
        kind = element["type"]
        assert kind in ELEMENTS | ACTIONS | {"TableRow", "TableCell"}, kind
        if "spacing" in element:
            assert element["spacing"] in SPACINGS
        if kind == "TextBlock":
            assert element["text"].strip() and element.get("wrap") is True
            assert element.get("style") == "heading", "TextBlocks (markdown) only for headings"
        if kind == "RichTextBlock":
            assert element["inlines"] and all(
                run["type"] == "TextRun" and run["text"].strip() for run in element["inlines"]
            )
        if kind == "Image":
            assert element["url"].startswith(("data:image/", "https://"))
            assert element["altText"].strip(), "every picture has a text alternative"
        if kind == "FactSet":
            assert element["facts"] and all(
                f["title"].strip() and f["value"].strip() for f in element["facts"]
            )
        if kind == "ActionSet":
            assert 0 < len(element["actions"]) <= 6
        if kind == "Action.Execute":
            assert element["verb"] and element["title"].strip()
            assert (
                set(element["data"]) == {"action", "value"} and element["data"]["action"] == element["verb"]
            )
        if kind == "Table":
            assert all(len(r["cells"]) == len(element["columns"]) for r in element["rows"])


def walk(elements: list[dict[str, Any]]):
    """Every element and action inside `elements`, depth first."""
    for element in elements:
        yield element
        for key in ("items", "actions", "rows", "cells"):
            yield from walk(element.get(key, []))


def check_activity(activity: dict[str, Any]) -> list[dict[str, Any]]:
    """A message activity Teams takes: text fallback, ≤ 28 KB, valid cards; returns its cards."""
    assert activity["type"] == "message"
    assert activity.get("text", "").strip(), "a text fallback is always present"
    assert size(activity) <= MAX_ACTIVITY_BYTES, size(activity)
    cards = []
    for attachment in activity.get("attachments", []):
        if attachment["contentType"] == CARD_TYPE:
            check_card(attachment["content"])
            cards.append(attachment["content"])
        else:
            assert attachment["contentType"].startswith("image/") and attachment["contentUrl"].startswith(
                "data:"
            )
    return cards


def texts_of(cards: list[dict[str, Any]]) -> list[str]:
    """Every TextBlock text and fact of the cards, in order."""
    out = []
    for card in cards:
        for element in walk(card["body"]):
            if element["type"] == "TextBlock":
                out.append(element["text"])
            if element["type"] == "RichTextBlock":
                out.append("".join(run["text"] for run in element["inlines"]))
            if element["type"] == "FactSet":
                out += [f"{f['title']}: {f['value']}" for f in element["facts"]]
    return out
