"""The fields a Word template uses, checked against the context a document provides.

The vocabulary a template may use is described by dataclasses (reports/papers.py); this module
turns their type hints into a schema and walks the template's Jinja syntax tree, so that a
misspelt attribute such as ``{{ sak.titel }}`` is found as well as an unknown top-level name,
also inside ``{% for %}`` loops.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from functools import lru_cache

from jinja2 import nodes

# Names Jinja provides itself, usable in any template.
JINJA_GLOBALS = {"range", "dict", "lipsum", "cycler", "joiner", "namespace", "true", "false", "none"}


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
    if dataclasses.is_dataclass(hint):
        return schema(hint)
    if hint in (str, int, float, bool):
        return Leaf(hint)
    return ANY


@dataclass
class Findings:
    """What the walk found: every field path used, and the unknown ones with a suggestion."""

    used: set[str] = field(default_factory=set)
    unknown: dict[str, str] = field(default_factory=dict)  # path -> nearest known path, or ""


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
    _Walker(found).visit(tree, dict(root.fields))
    return found


class _Walker:
    """Resolves names and attribute chains against the schema, with scopes for loops and sets."""

    def __init__(self, found: Findings):
        self.found = found

    def visit(self, node: nodes.Node, scope: dict[str, object]) -> None:
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            self.resolve(node, scope)
        elif isinstance(node, nodes.For):
            self.visit(node.iter, scope)
            item = self.resolve(node.iter, scope)
            inner = dict(scope, loop=ANY)
            self.bind(node.target, item.item if isinstance(item, ListOf) else ANY, inner)
            for child in [*node.body, *([node.test] if node.test else [])]:
                self.visit(child, inner)
            for child in node.else_:
                self.visit(child, scope)
        elif isinstance(node, nodes.Assign):
            self.visit(node.node, scope)
            self.bind(node.target, self.resolve(node.node, scope), scope)
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            inner = dict(scope, caller=ANY, varargs=ANY, kwargs=ANY)
            for arg in node.args:
                self.bind(arg, ANY, inner)
            if isinstance(node, nodes.CallBlock):
                self.visit(node.call, scope)
            for child in node.body:
                self.visit(child, inner)
            if isinstance(node, nodes.Macro):
                scope[node.name] = ANY
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
            self.bind(node.target, Leaf(str), scope)
        else:
            for child in node.iter_child_nodes():
                self.visit(child, scope)

    def bind(self, target: nodes.Node, value: object, scope: dict[str, object]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, ANY, scope)

    def resolve(self, node: nodes.Node, scope: dict[str, object]) -> object:
        """The schema an expression evaluates to, reporting the first unknown step of a path."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                self.found.used.add(node.name)
                return scope[node.name]
            if node.name not in JINJA_GLOBALS:
                self.found.unknown.setdefault(node.name, _nearest(node.name, list(scope)))
            return ANY
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            key = node.attr if isinstance(node, nodes.Getattr) else _const_key(node.arg)
            if isinstance(node, nodes.Getitem):
                self.visit(node.arg, scope)
            base = self.resolve(node.node, scope)
            path = _path(node)
            return self.step(base, key, path)
        self.visit(node, scope)
        return ANY

    def step(self, base: object, key: str | int | None, path: str | None) -> object:
        if base is ANY or key is None:
            return base.item if isinstance(base, ListOf) and key is None else ANY
        if isinstance(base, Record) and isinstance(key, str):
            if key in base.fields:
                if path:
                    self.found.used.add(path)
                return base.fields[key]
            if path:
                prefix = path.rsplit(".", 1)[0]
                self.found.unknown.setdefault(
                    path, _nearest(path, [f"{prefix}.{name}" for name in base.fields])
                )
            return ANY
        if isinstance(base, ListOf):
            return base.item if isinstance(key, int) else _method(list, key, path, self.found)
        if isinstance(base, Leaf):
            return _method(base.kind, key, path, self.found)
        return ANY


def _method(kind: type, key: str | int, path: str | None, found: Findings) -> object:
    """Allow the Python type's own methods (``upper``, ``count`` …); report anything else."""
    if isinstance(key, str) and not hasattr(kind, key) and path:
        found.unknown.setdefault(path, "")
    return ANY


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
