"""Every word a user reads, in bokmål and English: the gettext message catalogue, through Babel.

Messages are written in English in the code (the msgids) and translated by two complete
catalogues, `locale/nb/LC_MESSAGES/radsbot.po` (bokmål, the default) and
`locale/en/LC_MESSAGES/radsbot.po` (English), read on first use from the package
(importlib.resources). `pybabel extract -F babel.cfg` finds the messages by the names below;
tests/test_words.py fails on a message missing in either language, on a stale one, and on an
extraction that would find a message the catalogues lack.

In the reader's language now (a reply, a line of the CLI), fields filled in with str.format:

    w = words(lang)
    w._("Latest value");  w.ngettext("{n} day", "{n} days", n, n=n)
    w.pgettext("meeting status", "Planned");  w.npgettext(context, singular, plural, n)

Later, by whoever knows the reader's language (domain errors carry these):

    msg("No case numbered {number}.", number=n);  msg_n(singular, plural, n, …);  msg_p(context, …)

Defined at import time (tables of labels), translated where they are used:

    N_("Ready") -> the msgid;  N_p("meeting status", "Planned"), N_n("{n} day", "{n} days") -> Message

A field may itself be a Message (put into the same language), a date (written as the language
writes short dates, "20.11.2025"), a Number (with the language's decimal sign) or Either
(alternatives: "a, b eller c"); anything else is formatted as it is. Never put a catalogue call
inside an f-string: extraction cannot see it.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files
from typing import Any

LANGUAGES = ("nb", "en")
DEFAULT_LANGUAGE = "nb"
# Texts stored in the database (names, narratives, case texts, labels such as "desember 2029")
# are bokmål; they are shown as stored, in either language.
STORED_LANGUAGE = "nb"
LOCALES = {"nb": "nb_NO", "en": "en_GB"}
DOMAIN = "radsbot"


def catalogue_path(lang: str):
    """The .po file of a language, inside the installed package."""
    return files("radsbot.data") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@dataclass(frozen=True)
class Message:
    """A user-facing message not yet in a language: its English msgid, fields and plural.

    `verbatim` messages are not in the catalogue (a stored text, or the text of a component
    whose own messages are not converted yet): they are shown as they are, in any language.
    """

    msgid: str
    fields: tuple[tuple[str, Any], ...] = ()
    plural: str = ""
    n: int | None = None
    context: str = ""
    verbatim: bool = False

    def fill(self, n: int | None = None, **fields: Any) -> Message:
        """This message with a count (for a plural) and more fields."""
        return replace(self, n=self.n if n is None else n, fields=self.fields + tuple(fields.items()))

    def text(self, lang: str) -> str:
        """The message in a language."""
        return words(lang).text(self)

    def __str__(self) -> str:
        return self.text(DEFAULT_LANGUAGE)


def msg(msgid: str, /, **fields: Any) -> Message:
    """A message to be put into words later."""
    return Message(msgid, tuple(fields.items()))


def msg_n(singular: str, plural: str, n: int, /, **fields: Any) -> Message:
    """A message with singular and plural forms, chosen by `n`, to be put into words later."""
    return Message(singular, tuple(fields.items()), plural=plural, n=n)


def msg_p(context: str, msgid: str, /, **fields: Any) -> Message:
    """A message whose msgid needs a context to be translated right (a short label)."""
    return Message(msgid, tuple(fields.items()), context=context)


def verbatim(text: str) -> Message:
    """A text shown as it is in every language: stored texts, and messages not in the catalogue."""
    return Message(text, verbatim=True)


def join(*parts: Message | str, sep: str = " ") -> Message:
    """Messages (or plain texts) one after the other, put into the same language together."""
    template = sep.join(f"{{p{i}}}" for i in range(len(parts)))
    return Message(template, tuple((f"p{i}", p) for i, p in enumerate(parts)), verbatim=True)


def N_(msgid: str) -> str:
    """Mark a msgid defined at import time; it is translated where it is used."""
    return msgid


def N_p(context: str, msgid: str) -> Message:
    """Mark a msgid with a context, defined at import time."""
    return Message(msgid, context=context)


def N_n(singular: str, plural: str) -> Message:
    """Mark singular and plural msgids defined at import time; `fill(n=…)` gives the count."""
    return Message(singular, plural=plural)


class Words:
    """The catalogue in one language, with the language's way of writing numbers, dates and lists."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.locale = LOCALES[lang]
        self._translations = _translations(lang)

    def _(self, msgid: str, /, **fields: Any) -> str:
        """The message in this language, its fields filled in."""
        return self._fill(self._translations.gettext(msgid), fields)

    gettext = _

    def ngettext(self, singular: str, plural: str, n: int, /, **fields: Any) -> str:
        """The singular or plural form for `n` in this language, its fields filled in."""
        return self._fill(self._translations.ngettext(singular, plural, n), fields)

    def pgettext(self, context: str, msgid: str, /, **fields: Any) -> str:
        """The message with this context in this language, its fields filled in."""
        return self._fill(self._translations.pgettext(context, msgid), fields)

    def npgettext(self, context: str, singular: str, plural: str, n: int, /, **fields: Any) -> str:
        """The plural message with this context in this language, its fields filled in."""
        return self._fill(self._translations.npgettext(context, singular, plural, n), fields)

    def text(self, message: Message | str) -> str:
        """A Message in this language; a plain text as it is."""
        if not isinstance(message, Message):
            return message
        fields = dict(message.fields)
        if message.verbatim:
            return self._fill(message.msgid, fields)
        if message.plural:
            n = 1 if message.n is None else message.n
            if message.context:
                return self.npgettext(message.context, message.msgid, message.plural, n, **fields)
            return self.ngettext(message.msgid, message.plural, n, **fields)
        if message.context:
            return self.pgettext(message.context, message.msgid, **fields)
        return self._(message.msgid, **fields)

    def number(self, value: float, decimals: int) -> str:
        """A number with this language's separators and `decimals` decimals: "30,5", "115 678"."""
        from babel.numbers import format_decimal

        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        # + 0.0 turns a negative zero (an imported "-0", or −0.04 rounded) into 0: no "-0 %".
        return format_decimal(round(value, decimals) + 0.0, format=pattern, locale=self.locale)

    def date(self, day: dt.date) -> str:
        """A date written out: "20. november 2025", "20 November 2025"."""
        from babel.dates import format_date

        return format_date(day, "long", locale=self.locale)

    def short_date(self, day: dt.date) -> str:
        """A date in digits: "20.11.2025", "20/11/2025"."""
        from babel.dates import format_date

        return format_date(day, "short", locale=self.locale)

    def month(self, day: dt.date) -> str:
        """A month and year: "desember 2029", "December 2029"."""
        from babel.dates import format_date

        return format_date(day, "MMMM y", locale=self.locale)

    def either(self, items: Iterable[str]) -> str:
        """Alternatives: "a, b eller c", "a, b or c"."""
        from babel.lists import format_list

        return format_list(list(items), style="or", locale=self.locale)

    def both(self, items: Iterable[str]) -> str:
        """A list of several: "a, b og c", "a, b and c"."""
        from babel.lists import format_list

        return format_list(list(items), locale=self.locale)

    def _fill(self, template: str, fields: dict[str, Any]) -> str:
        if not fields:
            return template
        return template.format(**{name: self._field(value) for name, value in fields.items()})

    def _field(self, value: Any) -> Any:
        if isinstance(value, Message):
            return self.text(value)
        if isinstance(value, Either):
            return self.either(value)
        if isinstance(value, Number):
            return self.number(value.value, value.decimals)
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return self.short_date(value)
        return value


@dataclass(frozen=True)
class Number:
    """A number field, written with the language's decimal sign: 20,5 (bokmål), 20.5 (English)."""

    value: float
    decimals: int = 0


class Either(tuple):
    """A field of alternatives, written as the language lists them ("«a», «b» eller «c»")."""


def did_you_mean(choices: Iterable[str], *, quoted: bool = True) -> Message:
    """ "Mente du «a» eller «b»?": the nearest names (or numbers, unquoted) to what was written."""
    return msg("Did you mean {choices}?", choices=Either(f"«{c}»" if quoted else c for c in choices))


def goal_label(number: int | None, name: str, lang: str) -> str:
    """A goal as readers know it: "Mål 3: Helsedata …", or the overarching goal's name alone."""
    return words(lang)._("Goal {number}: {name}", number=number, name=name) if number else name


def words(lang: str) -> Words:
    """The catalogue in `lang` ("nb" or "en"; anything else gets the default, bokmål)."""
    return _words(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


@cache
def _words(lang: str) -> Words:
    return Words(lang)


@cache
def _translations(lang: str) -> gettext.GNUTranslations:
    """The language's .po file as gettext translations (read with Babel, compiled in memory)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with catalogue_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
