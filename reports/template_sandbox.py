"""The sandbox every Word template is rendered in: the vocabulary only, with bounded size and time.

A template is code, written by whoever edits the Word file. It runs in Jinja's
SandboxedEnvironment, narrowed further: no Jinja globals (`range`, `lipsum`, `cycler` …), only
the filters, tests and methods listed here, attributes only of the vocabulary's dataclasses, and
a budget (`LIMITS`) checked on every loop iteration, call, look-up, operator and piece of output
— also output captured in macros and `{% set %}` blocks — so that a template that would make too
much or run too long is stopped early. The static check (reports/template_fields.py) refuses the
same things before rendering, with better messages; this module is what holds if it misses one.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import threading
import types
import typing
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from jinja2 import nodes, pass_eval_context
from jinja2.filters import FILTERS as JINJA_FILTERS
from jinja2.runtime import LoopContext, Macro, markup_join, str_join
from jinja2.sandbox import SandboxedEnvironment
from jinja2.tests import TESTS as JINJA_TESTS
from markupsafe import escape
from radsbot.data.words import msg
from radsbot.reports.template_instrument import Instrument, Mark
from radsbot.reports.template_limits import LIMITS, Budget, Limits, Refused, check_binop, weight


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Filters that shape text and lists, none of which can make much more than it is given.
# Left out: attr, format, safe, center, indent, wordwrap, batch, slice, sum, xmlattr, urlize,
# tojson, pprint, random, groupby, dictsort, items, striptags, forceescape, filesizeformat …
FILTERS = _names(
    "abs capitalize count d default e escape first float int join last length list lower map max "
    "min reject rejectattr replace reverse round select selectattr sort string title trim truncate "
    "unique upper wordcount"
)
TESTS = _names(
    "!= < <= == > >= boolean defined divisibleby eq equalto even false float ge greaterthan gt in "
    "integer iterable le lessthan lower lt mapping ne none number odd sameas sequence string true "
    "undefined upper"
)
# Methods of texts and lists a template may call ("sak.tittel.upper()"); none makes more text
# than it is given (center, ljust, zfill, expandtabs, join and format are left out), and
# `replace` is checked before it runs.
STR_METHODS = _names(
    "capitalize casefold count endswith find isalnum isalpha isdigit islower isnumeric isspace "
    "istitle isupper lower lstrip partition removeprefix removesuffix replace rfind rpartition "
    "rsplit rstrip split splitlines startswith strip swapcase title upper"
)
LIST_METHODS = frozenset({"count", "index"})
DICT_METHODS = frozenset({"get", "items", "keys", "values"})  # a macro's `kwargs`
LOOP_ATTRIBUTES = _names(
    "index index0 revindex revindex0 first last length depth depth0 previtem nextitem cycle changed"
)
# Filters whose first argument names another filter or test, or an attribute.
FILTER_NAMING_FILTER = frozenset({"map"})
FILTER_NAMING_TEST = frozenset({"select", "reject"})
FILTER_NAMING_ATTRIBUTE = frozenset({"selectattr", "rejectattr"})


@dataclass(frozen=True)
class Compiled:
    """A template text instrumented and compiled, with the places its `step` calls refer to."""

    text: str
    marks: tuple[Mark, ...]
    code: types.CodeType


# Compiled texts, shared by every DocumentSandbox: the code depends only on the class's settings
# (filters, tests, operators, finalize), and the shipped templates are compiled once, not for
# every document.
_COMPILED: OrderedDict[str, Compiled] = OrderedDict()
_COMPILED_MAX = 64  # texts: a document has several (body, headers, each property)
_COMPILED_LOCK = threading.Lock()


class DocumentSandbox(SandboxedEnvironment):
    """A sandbox for one document's render: the vocabulary's dataclasses, the allowed filters,
    tests and methods, and a fresh Budget.

    Args:
        classes: the vocabulary's dataclasses with the field names a template may read.
        limits: the budget of this render.
    """

    intercepted_binops = frozenset({"*", "**", "+", "-", "/", "//", "%"})

    def __init__(self, classes: dict[type, frozenset[str]], limits: Limits = LIMITS):
        super().__init__(autoescape=True, finalize=self._finalize)
        self.globals.clear()  # range, dict, lipsum, cycler, joiner, namespace: not vocabulary
        self.filters = {name: self._bounded(JINJA_FILTERS[name]) for name in FILTERS}
        self.filters["replace"] = self._bounded(JINJA_FILTERS["replace"], _replace_size)
        self.filters["join"] = self._bounded(JINJA_FILTERS["join"], _join_size)
        self.tests = {name: JINJA_TESTS[name] for name in TESTS}
        self.classes = classes
        self.budget = Budget(limits)
        self.tables: dict[str, Compiled] = {}  # by key, the texts compiled for this render
        self.position: tuple[str, int] | None = None

    # -- what a template may touch

    def is_safe_attribute(self, obj: object, attr: str, value: object) -> bool:
        if attr.startswith("_"):
            return False
        fields = self.classes.get(type(obj))
        if fields is not None:
            return attr in fields
        if isinstance(obj, str):
            return attr in STR_METHODS
        if isinstance(obj, list | tuple):
            return attr in LIST_METHODS
        if isinstance(obj, dict):
            return attr in DICT_METHODS
        if isinstance(obj, LoopContext):
            return attr in LOOP_ATTRIBUTES
        return False

    def unsafe_undefined(self, obj: object, attribute: str):
        # Jinja returns an Undefined that renders as ""; a refusal is clearer.
        raise Refused(msg("«{what}» cannot be used in templates", what=attribute))

    def wrap_str_format(self, value: object) -> None:
        return None  # str.format is not among the allowed methods at all

    def getattr(self, obj: object, attribute: str) -> object:
        self.budget.tick()
        if isinstance(attribute, str) and attribute.startswith("_"):
            raise Refused(msg("«{what}» cannot be used in templates", what=attribute))
        return super().getattr(obj, attribute)

    def getitem(self, obj: object, argument: object) -> object:
        self.budget.tick()
        if isinstance(argument, str) and argument.startswith("_"):
            raise Refused(msg("«{what}» cannot be used in templates", what=argument))
        return super().getitem(obj, argument)

    def call(self, context, obj, /, *args, **kwargs):
        self.budget.tick()
        for arg in (*args, *kwargs.values()):
            self.budget.sized(arg)
        if isinstance(obj, Macro | LoopContext):  # a macro, or a recursive loop's `loop(…)`
            self.budget.depth += 1
            try:
                if self.budget.depth > self.budget.limits.call_depth:
                    raise self.budget.exceeded("call_depth")
                return self.budget.sized(super().call(context, obj, *args, **kwargs))
            finally:
                self.budget.depth -= 1
        if _is_str_method(obj, "replace") and len(args) >= 2:
            self._check_size(_replace_size(obj.__self__, *args[:3]))
        return self.budget.sized(super().call(context, obj, *args, **kwargs))

    def call_binop(self, context, operator: str, left, right):
        self.budget.tick()
        check_binop(operator, left, right, self.budget.limits)
        return self.budget.sized(super().call_binop(context, operator, left, right))

    # -- counting output and steps

    @pass_eval_context
    def _finalize(self, eval_ctx, value: object) -> str:
        # Escaping here rather than after: the escaped text is what the document gets, and
        # escaping it again is a no-op for Markup.
        self.budget.sized(value)  # before it becomes text: a list can be far longer as text
        text = escape(value) if eval_ctx.autoescape else str(value)
        self.budget.emit(len(text.encode("utf-8")))
        return self.budget.sized(text)

    def _bounded(self, func, size=None):
        """A filter that counts as a step, may be checked before it runs, and is size-checked."""

        @functools.wraps(func)  # keeps jinja_pass_arg, so Jinja passes the same first argument
        def run(*args, **kwargs):
            self.budget.tick()
            for arg in (*args, *kwargs.values()):
                self.budget.sized(arg)
            if size is not None:
                self._check_size(size(*args[1:], **kwargs))
            return self.budget.sized(func(*args, **kwargs))

        return run

    def _check_size(self, size: int) -> None:
        if size > self.budget.limits.value_size:
            raise self.budget.exceeded("value_size")

    def step(self, key: str, index: int) -> str:
        """Called before each statement and output: where the render is, and its literal output."""
        self.position = (key, index)
        literal = self.tables[key].marks[index].literal
        if literal:
            self.budget.emit(literal)
        return ""

    def metered(self, iterable: Iterable) -> Iterator:
        """A loop's items, one step each."""
        for item in iterable:
            self.budget.tick()
            yield item

    def sized_value(self, value: object) -> object:
        """A list, tuple or dict written in the template, if within the limits."""
        return self.budget.sized(value)

    @pass_eval_context
    def joined(self, eval_ctx, parts: list) -> str:
        """`a ~ b ~ c`, checked before the text is made."""
        self._check_size(sum(weight(p, self.budget.limits.value_size) for p in parts))
        return markup_join(parts) if eval_ctx.autoescape else str_join(parts)

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        if not isinstance(source, str):
            raise TypeError("DocumentSandbox compiles template text only, so that it is instrumented")
        if raw or defer_init:
            return super().compile(self._instrument(source, _key(source))[0], name, filename, raw, defer_init)
        key = _key(source)
        with _COMPILED_LOCK:
            found = _COMPILED.get(key)
            if found is not None:
                _COMPILED.move_to_end(key)
        if found is None or found.text != source:
            tree, marks = self._instrument(source, key)
            found = Compiled(source, marks, super().compile(tree, name, filename))
            with _COMPILED_LOCK:
                _COMPILED[key] = found
                while len(_COMPILED) > _COMPILED_MAX:
                    _COMPILED.popitem(last=False)
        self.tables[key] = found
        return found.code

    def _instrument(self, text: str, key: str) -> tuple[nodes.Template, tuple[Mark, ...]]:
        tree = self.parse(text)
        marks: list[Mark] = []
        Instrument(marks, key).visit(tree)
        tree.set_environment(self)
        return tree, tuple(marks)

    def where(self) -> tuple[str, nodes.Node] | None:
        """The source text and node of the last place the render passed, if any."""
        if self.position is None:
            return None
        key, index = self.position
        compiled = self.tables[key]
        return compiled.text, compiled.marks[index].node


def _key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _is_str_method(obj: object, name: str) -> bool:
    return (
        isinstance(obj, types.BuiltinMethodType)
        and isinstance(getattr(obj, "__self__", None), str)
        and obj.__name__ == name
    )


def _replace_size(s: object, old: object = "", new: object = "", count: object = None) -> int:
    """The length of `s.replace(old, new, count)`, worked out without making it."""
    if not isinstance(s, str):
        s = str(s)
    old, new = str(old), str(new)
    found = len(s) + 1 if not old else s.count(old)
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(s) + found * (len(new) - len(old))


def _join_size(value: object, d: object = "", attribute: object = None) -> int:
    """A lower bound of the length of joining `value` with `d`: the separators alone."""
    count = len(value) if isinstance(value, str | list | tuple) else 0
    return max(count - 1, 0) * len(str(d))


def vocabulary_classes(cls: type) -> dict[type, frozenset[str]]:
    """The dataclasses a context dataclass reaches through its type hints, with their fields."""
    found: dict[type, frozenset[str]] = {}

    def visit(hint: object) -> None:
        for arg in typing.get_args(hint):
            visit(arg)
        if dataclasses.is_dataclass(hint) and isinstance(hint, type) and hint not in found:
            found[hint] = frozenset(f.name for f in dataclasses.fields(hint))
            for sub in typing.get_type_hints(hint).values():
                visit(sub)

    visit(cls)
    return found
