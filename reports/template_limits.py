"""The limits of filling in one document, and the budget that enforces them while it happens.

A template can ask for any amount of text or work; these limits bound it (the numbers are in
README.md), and every message about them names the limit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TypeVar

from jinja2.sandbox import SecurityError
from radsbot.data.errors import DomainError
from radsbot.data.words import N_, Message, Number, msg, verbatim

V = TypeVar("V")  # a value checked for size and handed back as it is


@dataclass(frozen=True)
class Limits:
    """What rendering one document may use; a template that needs more is refused."""

    output_bytes: int = 20_000_000  # UTF-8 XML produced, all parts, counted as it is made
    value_size: int = 2_000_000  # characters of one text, items of one list
    number_digits: int = 1_000  # digits of one whole number
    steps: int = 1_000_000  # loop iterations, calls, look-ups and operators
    seconds: float = 10.0  # wall time of the render
    call_depth: int = 20  # macros calling macros
    template_bytes: int = 50_000_000  # the .docx unpacked (a zip bomb is refused unread)
    template_tags: int = 5_000  # {{ … }} and {% … %} in one template (compiling is slow)


LIMITS = Limits()


class LimitExceeded(DomainError):
    """A template stopped by one of the limits; the message names the limit."""


class Refused(DomainError, SecurityError):
    """Something a template may not do (the sandbox's refusal); the message names it."""


def problem_message(exc: Exception) -> Message:
    """The message of a limit or a refusal; Jinja's own refusals (English) as they are."""
    return exc.problem if isinstance(exc, DomainError) else verbatim(str(exc))


def _n(value: float) -> Number:
    return Number(value, 0 if float(value).is_integer() or abs(value) >= 100 else 1)


# The sentence for each limit, by its field in Limits; {limit} is the number.
LIMIT_TEXTS = {
    "output_bytes": N_("the limit of {limit} bytes for the document's size is reached"),
    "value_size": N_("the limit of {limit} characters (or items) for one text or list is reached"),
    "number_digits": N_("the limit of {limit} digits for one number is reached"),
    "steps": N_("the limit of {limit} steps (loop rounds, calls and look-ups) for one filling in is reached"),
    "seconds": N_("the limit of {limit} seconds for one filling in is reached"),
    "call_depth": N_("the limit of {limit} levels for macros calling macros is reached"),
    "template_bytes": N_("the limit of {limit} bytes for an unpacked template is reached"),
    "template_tags": N_(
        "the limit of {limit} fields and tags ({{{{ … }}}} and {{% … %}}) for one template is reached"
    ),
}


def limit_text(limits: Limits, kind: str) -> Message:
    """The sentence for a limit: "grensen på 2 000 000 tegn for én tekst er nådd"."""
    return msg(LIMIT_TEXTS[kind], limit=_n(getattr(limits, kind)))


def _digits_bound(bits: int) -> int:
    return int(bits * 0.30103) + 1  # log10(2): the decimal digits of a number of `bits` bits


def weight(value: object, limit: int, depth: int = 0) -> int:
    """The size of a value as text would show it: characters of texts, items of lists, counted
    through nested lists (a list holding one long text many times is as large as that text
    repeated); stops counting once past `limit`."""
    if isinstance(value, str):
        return len(value)
    if not isinstance(value, list | tuple | dict):
        return 1
    if depth > 20:
        return limit + 1  # nothing a document needs is nested this deep
    total = len(value)
    items = (x for pair in value.items() for x in pair) if isinstance(value, dict) else value
    for item in items:
        total += weight(item, limit, depth + 1)
        if total > limit:
            break
    return total


def check_binop(operator: str, left: object, right: object, limits: Limits) -> None:
    """Refuse `left <operator> right` before it runs if it would pass a limit.

    Raises:
        SecurityError: %-formatting of text (its widths can make any amount of text).
        LimitExceeded: a text or list repeated past `value_size`, a number past `number_digits`.
    """
    if operator == "%" and isinstance(left, str):
        raise Refused(msg("text formatting with % cannot be used in templates"))
    too_big = None
    seq, times = (left, right) if isinstance(left, str | list | tuple) else (right, left)
    if operator == "*" and isinstance(seq, str | list | tuple) and isinstance(times, int):
        size = weight(seq, limits.value_size)
        too_big = "value_size" if size * max(times, 0) > limits.value_size else None
    elif operator in ("*", "**") and isinstance(left, int) and isinstance(right, int):
        bits = abs(left).bit_length() + abs(right).bit_length()
        if operator == "**":
            bits = abs(left).bit_length() * right if abs(left) > 1 and right > 0 else 0
        too_big = "number_digits" if _digits_bound(bits) > limits.number_digits + 1 else None
    if too_big:
        raise LimitExceeded(limit_text(limits, too_big))


class Budget:
    """What a render has used so far; raises LimitExceeded as soon as a limit is passed."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.steps = 0
        self.output = 0
        self.depth = 0
        self.deadline = time.monotonic() + limits.seconds

    def exceeded(self, kind: str) -> LimitExceeded:
        return LimitExceeded(limit_text(self.limits, kind))

    def tick(self) -> None:
        """One step: count it and check the clock."""
        self.steps += 1
        if self.steps > self.limits.steps:
            raise self.exceeded("steps")
        if time.monotonic() > self.deadline:
            raise self.exceeded("seconds")

    def emit(self, size: int) -> None:
        """Count `size` bytes of produced output."""
        self.output += size
        if self.output > self.limits.output_bytes:
            raise self.exceeded("output_bytes")

    def sized(self, value: V) -> V:
        """The value, if it is within the size limits (texts and lists by their `weight`)."""
        if isinstance(value, str | list | tuple | dict) and weight(value, self.limits.value_size) > (
            self.limits.value_size
        ):
            raise self.exceeded("value_size")
        if isinstance(value, int) and _digits_bound(abs(value).bit_length()) > self.limits.number_digits + 1:
            raise self.exceeded("number_digits")
        return value
