"""The fields a Word template uses, checked against the context a document provides.

The vocabulary a template may use is described by dataclasses (reports/papers.py); this module
turns their type hints into a schema and walks the template's Jinja syntax tree, so that a
misspelt attribute such as ``{{ sak.titel }}`` is found as well as an unknown top-level name,
also inside ``{% for %}`` loops. The same walk refuses what the sandbox would refuse
(reports/template_sandbox.py), with the expression and its line: names starting with "_",
filters, tests and methods outside the allowed ones, ``{% include %}`` and its kind, and
constant expressions past the size limits.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from functools import lru_cache

from jinja2 import nodes
from jinja2.filters import FILTERS as JINJA_FILTERS
from jinja2.sandbox import SecurityError
from jinja2.tests import TESTS as JINJA_TESTS
from radsbot.data.words import Message, did_you_mean, join, msg
from radsbot.reports.template_limits import LIMITS, LimitExceeded, check_binop, problem_message
from radsbot.reports.template_messages import describe
from radsbot.reports.template_sandbox import (
    DICT_METHODS,
    FILTER_NAMING_ATTRIBUTE,
    FILTER_NAMING_FILTER,
    FILTER_NAMING_TEST,
    FILTERS,
    LIST_METHODS,
    LOOP_ATTRIBUTES,
    STR_METHODS,
    TESTS,
)

# Tags a document template has no use for, and that reach outside it or switch escaping off.
FORBIDDEN_TAGS = (
    (nodes.Extends, "{% extends %}"),
    (nodes.Include, "{% include %}"),
    (nodes.Import, "{% import %}"),
    (nodes.FromImport, "{% from … import %}"),
    (nodes.Block, "{% block %}"),
    (nodes.EvalContextModifier, "{% autoescape %}"),
)
# Where filters take an attribute name as a positional argument (all also take `attribute=`).
ATTRIBUTE_ARGUMENT = {"join": 1, "sort": 2, "unique": 1, "min": 1, "max": 1, "selectattr": 0, "rejectattr": 0}


class Any_:
    """A value whose attributes are not checked (loop helpers, macro arguments, images)."""


ANY = Any_()


@dataclass(frozen=True)
class Leaf:
    """A scalar; only the Python type's own methods may follow it (``sak.tittel.upper()``)."""

    kind: type


@dataclass(frozen=True)
class ListOf:
    """A list whose items have the given schema."""

    item: object


@dataclass(frozen=True)
class Record:
    """An object with named fields."""

    name: str
    fields: dict[str, object]


@lru_cache(maxsize=32)
def schema(cls: type) -> Record:
    """The schema of a context dataclass, from its type hints."""
    hints = typing.get_type_hints(cls)
    return Record(cls.__name__, {f.name: _schema_of(hints[f.name]) for f in dataclasses.fields(cls)})


def _schema_of(hint) -> object:
    origin = typing.get_origin(hint)
    if origin in (list, tuple):
        return ListOf(_schema_of(typing.get_args(hint)[0]))
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _schema_of(options[0]) if len(options) == 1 else ANY
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return schema(hint)
    if hint in (str, int, float, bool):
        return Leaf(hint)
    return ANY


@dataclass
class Findings:
    """What the walk found: field paths used, unknown ones with a suggestion, refused expressions."""

    used: set[str] = field(default_factory=set)
    unknown: dict[str, str] = field(default_factory=dict)  # path -> nearest known path, or ""
    lines: dict[str, int] = field(default_factory=dict)  # unknown path -> its first line
    problems: list[tuple[int, Message]] = field(default_factory=list)  # (line, what is wrong)


def known_paths(root: Record, depth: int = 3) -> list[str]:
    """Every field path of the vocabulary ("sak.tittel", "tidligere_vedtak.vedtak" …)."""
    out: list[str] = []

    def visit(prefix: str, node: object, level: int) -> None:
        if isinstance(node, ListOf):
            node = node.item
        if isinstance(node, Record) and level < depth:
            for name, child in node.fields.items():
                path = f"{prefix}.{name}" if prefix else name
                out.append(path)
                visit(path, child, level + 1)

    visit("", root, 0)
    return out


def check(tree: nodes.Template, root: Record) -> Findings:
    """Walk a parsed template and collect the paths it uses and those the vocabulary lacks."""
    found = Findings()
    _Walker(found, root).visit(tree, dict(root.fields))
    return found


LOOP = Record("loop", dict.fromkeys(sorted(LOOP_ATTRIBUTES), ANY))
UNDERSCORE = msg("names beginning with «_» cannot be used in templates")


class _Walker:
    """Resolves names and attribute chains against the schema, with scopes for loops and sets."""

    def __init__(self, found: Findings, root: Record):
        self.found = found
        fields = {path.rsplit(".", 1)[-1] for path in known_paths(root, depth=6)}
        # What may follow a value of unknown kind (a macro argument, a filter's result).
        self.any_names = fields | STR_METHODS | LIST_METHODS | DICT_METHODS | LOOP_ATTRIBUTES

    def problem(self, node: nodes.Node, text: Message) -> None:
        self.found.problems.append((node.lineno or 1, text))

    def refuse(self, node: nodes.Node, what: str) -> None:
        """Report an expression or part of one that templates may not use."""
        self.problem(node, msg("«{what}» cannot be used in templates", what=what))

    def refuse_in(self, node: nodes.Node, problem: Message) -> None:
        """Report a problem with an expression, naming the expression."""
        self.problem(node, msg("«{expression}»: {problem}", expression=describe(node), problem=problem))

    def visit(self, node: nodes.Node, scope: dict[str, object]) -> None:
        for kind, tag in FORBIDDEN_TAGS:
            if isinstance(node, kind):
                self.refuse(node, tag)
                return
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            self.resolve(node, scope)
        elif isinstance(node, nodes.For):
            self.visit(node.iter, scope)
            item = self.resolve(node.iter, scope)
            inner = dict(scope, loop=LOOP)
            self.bind(node.target, item.item if isinstance(item, ListOf) else ANY, inner)
            for child in [*node.body, *([node.test] if node.test else [])]:
                self.visit(child, inner)
            for child in node.else_:
                self.visit(child, scope)
        elif isinstance(node, nodes.Assign):
            self.visit(node.node, scope)
            self.bind(node.target, self.resolve(node.node, scope), scope)
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            for default in node.defaults:
                self.visit(default, scope)
            if isinstance(node, nodes.Macro):
                scope[node.name] = ANY  # also inside its own body: a macro may call itself
            inner = dict(scope, caller=ANY, varargs=ANY, kwargs=ANY)
            for arg in node.args:
                self.bind(arg, ANY, inner)
            if isinstance(node, nodes.CallBlock):
                self.visit(node.call, scope)
            for child in node.body:
                self.visit(child, inner)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values, strict=True):
                self.visit(value, scope)
                self.bind(target, self.resolve(value, scope), inner)
            for child in node.body:
                self.visit(child, inner)
        elif isinstance(node, nodes.AssignBlock):
            for child in node.body:
                self.visit(child, scope)
            if node.filter is not None:
                self.visit(node.filter, scope)
            self.bind(node.target, Leaf(str), scope)
        else:
            if isinstance(node, nodes.Filter):
                self.check_filter(node)
            elif isinstance(node, nodes.Test):
                self.check_test(node)
            elif isinstance(node, nodes.BinExpr):
                self.check_constants(node)
            for child in node.iter_child_nodes():
                self.visit(child, scope)

    def bind(self, target: nodes.Node, value: object, scope: dict[str, object]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, ANY, scope)
        elif isinstance(target, nodes.NSRef):
            self.refuse(target, f"{{% set {target.name}.{target.attr} = … %}}")

    def resolve(self, node: nodes.Node, scope: dict[str, object]) -> object:
        """The schema an expression evaluates to, reporting the first unknown step of a path."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                self.found.used.add(node.name)
                return scope[node.name]
            self.unknown(node.name, _nearest(node.name, list(scope)), node)
            return ANY
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            key = node.attr if isinstance(node, nodes.Getattr) else _const_key(node.arg)
            if isinstance(node, nodes.Getitem):
                self.visit(node.arg, scope)
            base = self.resolve(node.node, scope)
            if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Slice):
                return base
            if isinstance(key, str) and key.startswith("_"):
                self.refuse_in(node, UNDERSCORE)
                return ANY
            return self.step(base, key, node)
        if isinstance(node, nodes.Const) and isinstance(node.value, str | int | float | bool | None):
            return Leaf(type(node.value))
        self.visit(node, scope)
        return ListOf(ANY) if isinstance(node, nodes.List | nodes.Tuple) else ANY

    def unknown(self, path: str, near: str, node: nodes.Node) -> None:
        self.found.unknown.setdefault(path, near)
        self.found.lines.setdefault(path, node.lineno or 1)

    def step(self, base: object, key: str | int | None, node: nodes.Getattr | nodes.Getitem) -> object:
        path = _path(node)
        if key is None:
            return base.item if isinstance(base, ListOf) else ANY
        if base is ANY:
            if isinstance(key, str) and key not in self.any_names:
                self.refuse_in(
                    node, msg("«{key}» is not a field or method of the template language", key=key)
                )
            return ANY
        if isinstance(base, Record) and isinstance(key, str):
            if key in base.fields:
                if path:
                    self.found.used.add(path)
                return base.fields[key]
            prefix = (path or describe(node)).rsplit(".", 1)[0]
            self.unknown(
                path or describe(node),
                _nearest(f"{prefix}.{key}", [f"{prefix}.{n}" for n in base.fields]),
                node,
            )
            return ANY
        if isinstance(base, ListOf):
            return base.item if isinstance(key, int) else self.method(list, LIST_METHODS, key, node)
        if isinstance(base, Leaf):
            return self.method(base.kind, STR_METHODS if base.kind is str else frozenset(), key, node)
        return ANY

    def method(self, kind: type, allowed: frozenset[str], key: str | int, node: nodes.Node) -> object:
        """Allow the listed methods of the Python type (``upper``, ``count`` …); report the rest."""
        if not isinstance(key, str) or key in allowed:
            return ANY
        if hasattr(kind, key):
            self.refuse_in(node, msg("the method «{key}» cannot be used in templates", key=key))
        else:
            self.unknown(_path(node) or describe(node), "", node)
        return ANY

    def check_filter(self, node: nodes.Filter) -> None:
        """The filter must be an allowed one, and name allowed filters, tests and attributes."""
        if not self.allowed("filter", node.name, FILTERS, JINJA_FILTERS, node):
            return
        first = _const_key(node.args[0]) if node.args else None
        if node.name in FILTER_NAMING_FILTER and isinstance(first, str):
            self.allowed("filter", first, FILTERS, JINJA_FILTERS, node)
        if node.name in FILTER_NAMING_TEST and isinstance(first, str):
            self.allowed("test", first, TESTS, JINJA_TESTS, node)
        if node.name in FILTER_NAMING_ATTRIBUTE and len(node.args) > 1:
            second = _const_key(node.args[1])
            if isinstance(second, str):
                self.allowed("test", second, TESTS, JINJA_TESTS, node)
        position = ATTRIBUTE_ARGUMENT.get(node.name)
        names = [_const_key(k.value) for k in node.kwargs if k.key == "attribute"]
        if position is not None and len(node.args) > position:
            names.append(_const_key(node.args[position]))
        for name in names:
            if isinstance(name, str) and any(part.startswith("_") for part in name.split(".")):
                self.refuse_in(node, UNDERSCORE)

    def check_test(self, node: nodes.Test) -> None:
        self.allowed("test", node.name, TESTS, JINJA_TESTS, node)

    def allowed(self, kind: str, name: str, allowed: frozenset[str], jinja: dict, node: nodes.Node) -> bool:
        """Whether `name` is an allowed filter or test (`kind`); reports it (with a suggestion) if not."""
        if name in allowed:
            return True
        expression = describe(node)
        if name in jinja:
            refused = (
                msg("the filter «{name}» cannot be used in templates", name=name)
                if kind == "filter"
                else msg("the test «{name}» cannot be used in templates", name=name)
            )
            self.refuse_in(node, refused)
            return False
        unknown = (
            msg("Unknown filter «{name}» in «{expression}».", name=name, expression=expression)
            if kind == "filter"
            else msg("Unknown test «{name}» in «{expression}».", name=name, expression=expression)
        )
        near = _nearest(name, sorted(allowed))
        self.problem(node, join(unknown, did_you_mean([near])) if near else unknown)
        return False

    def check_constants(self, node: nodes.BinExpr) -> None:
        """Refuse constant operations past the limits ("'x' * 300000000") before anything runs."""
        left = node.left.value if isinstance(node.left, nodes.Const) else None
        right = node.right.value if isinstance(node.right, nodes.Const) else None
        if left is None and right is None:
            return
        try:
            check_binop(node.operator, left, right, LIMITS)
        except (LimitExceeded, SecurityError) as exc:
            self.refuse_in(node, problem_message(exc))


def _const_key(arg: nodes.Node) -> str | int | None:
    return arg.value if isinstance(arg, nodes.Const) and isinstance(arg.value, str | int) else None


def _path(node: nodes.Node) -> str | None:
    """The path of an expression ("sak.tittel", "saker[0].tittel"), or None if a step varies."""
    parts: list[str] = []
    while isinstance(node, nodes.Getattr | nodes.Getitem):
        key = node.attr if isinstance(node, nodes.Getattr) else _const_key(node.arg)
        if key is None:
            return None
        parts.append(f"[{key}]" if isinstance(key, int) else f".{key}")
        node = node.node
    if not isinstance(node, nodes.Name):
        return None
    return node.name + "".join(reversed(parts))


def _nearest(word: str, choices: list[str]) -> str:
    """The closest known field name, or "" when nothing is close."""
    from rapidfuzz import fuzz, process

    if not choices:
        return ""
    best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=60)
    return best[0] if best else ""
