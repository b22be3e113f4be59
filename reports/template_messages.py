"""Where a template problem is and what it is, in words a Word user can act on.

A template's Jinja text is the document's XML; messages quote the visible text around a problem
(the XML tags stripped) and the expression as written, such as «{{ sak.tittel | upper }}».
"""

from __future__ import annotations

import re

from jinja2 import TemplateError, UndefinedError, nodes
from jinja2.sandbox import SecurityError
from radsbot.data.words import Message, msg
from radsbot.reports.template_limits import LimitExceeded, problem_message

_TAG = re.compile(r"<[^>]+>")
_OPERATORS = {
    "eq": "==",
    "ne": "!=",
    "gt": ">",
    "gteq": ">=",
    "lt": "<",
    "lteq": "<=",
    "in": "in",
    "notin": "not in",
}
LONGEST = 120  # characters of an expression or a piece of text quoted in a message


def _cut(text: str, longest: int = LONGEST) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= longest else text[: longest - 1] + "…"


def around(text: str, lineno: int | None, spread: int = 0) -> str:
    """The visible text of line `lineno` of a template part (± `spread` lines), without XML."""
    lines = text.splitlines()
    index = max((lineno or 1) - 1, 0)
    picked = lines[max(0, index - spread) : index + spread + 1]
    return _cut(" ".join(_TAG.sub("", line) for line in picked), 160)


def describe(node: nodes.Node | None) -> str:
    """An expression as a template writes it: "sak.tittel | upper", "1 / 0", "m(s ~ s)"."""
    return _cut(_text(node))


def statement(node: nodes.Node) -> str:
    """A statement or output as written: "{{ sak.tittel }}", "{% for a in sak.bakgrunn %}"."""
    if isinstance(node, nodes.For):
        return f"{{% for {_text(node.target)} in {_text(node.iter)} %}}"
    if isinstance(node, nodes.If):
        return f"{{% if {_text(node.test)} %}}"
    if isinstance(node, nodes.Assign):
        return f"{{% set {_text(node.target)} = {_text(node.node)} %}}"
    if isinstance(node, nodes.AssignBlock):
        return f"{{% set {_text(node.target)} %}}"
    if isinstance(node, nodes.FilterBlock):
        return f"{{% filter {_text(node.filter)} %}}"
    if isinstance(node, nodes.With):
        return "{% with %}"
    if isinstance(node, nodes.CallBlock):
        return f"{{% call {_text(node.call)} %}}"
    if isinstance(node, nodes.Output):
        return "malteksten"
    if isinstance(node, nodes.Expr):
        return f"{{{{ {_text(node)} }}}}"
    return f"{{% {type(node).__name__.lower()} %}}"


def _unmetered(node: nodes.Node) -> nodes.Node:
    """The expression as written, where the sandbox wrapped it (reports/template_sandbox.py)."""
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.EnvironmentAttribute):
        inner = node.args[0]
        if node.node.name != "joined":
            return inner
        if isinstance(inner, nodes.Const):  # Jinja's optimizer folded the parts into a constant
            return nodes.Concat([nodes.Const(part) for part in inner.value])
        if isinstance(inner, nodes.List):  # the parts, as visit_Concat listed them
            return nodes.Concat(inner.items)
    return node


def _args(node: nodes.Call | nodes.Filter | nodes.Test) -> str:
    parts = [_text(a) for a in node.args]
    parts += [f"{k.key}={_text(k.value)}" for k in node.kwargs]
    if node.dyn_args is not None:
        parts.append(f"*{_text(node.dyn_args)}")
    if node.dyn_kwargs is not None:
        parts.append(f"**{_text(node.dyn_kwargs)}")
    return ", ".join(parts)


def _text(node: nodes.Node | None) -> str:
    node = _unmetered(node) if node is not None else None
    if node is None:
        return ""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Const):
        if node.value is None or isinstance(node.value, bool):
            return {True: "true", False: "false", None: "none"}[node.value]
        return repr(node.value)
    if isinstance(node, nodes.Getattr):
        return f"{_operand(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        return f"{_operand(node.node)}[{_text(node.arg)}]"
    if isinstance(node, nodes.Slice):
        parts = [_text(node.start), _text(node.stop)] + ([_text(node.step)] if node.step else [])
        return ":".join(parts)
    if isinstance(node, nodes.Call):
        return f"{_operand(node.node)}({_args(node)})"
    if isinstance(node, nodes.Filter):
        head = f"{_operand(node.node)} | " if node.node is not None else ""
        args = _args(node)
        return f"{head}{node.name}" + (f"({args})" if args else "")
    if isinstance(node, nodes.Test):
        args = _args(node)
        return f"{_operand(node.node)} is {node.name}" + (f"({args})" if args else "")
    if isinstance(node, nodes.BinExpr):
        return f"{_operand(node.left)} {node.operator} {_operand(node.right)}"
    if isinstance(node, nodes.Not):
        return f"not {_operand(node.node)}"
    if isinstance(node, nodes.UnaryExpr):
        return f"{node.operator}{_operand(node.node)}"
    if isinstance(node, nodes.Compare):
        ops = " ".join(f"{_OPERATORS.get(op.op, op.op)} {_operand(op.expr)}" for op in node.ops)
        return f"{_operand(node.expr)} {ops}"
    if isinstance(node, nodes.Concat):
        return " ~ ".join(_operand(n) for n in node.nodes)
    if isinstance(node, nodes.CondExpr):
        tail = f" else {_text(node.expr2)}" if node.expr2 is not None else ""
        return f"{_text(node.expr1)} if {_text(node.test)}{tail}"
    if isinstance(node, nodes.List):
        return "[" + ", ".join(_text(n) for n in node.items) + "]"
    if isinstance(node, nodes.Tuple):
        return "(" + ", ".join(_text(n) for n in node.items) + ("," if len(node.items) == 1 else "") + ")"
    if isinstance(node, nodes.Dict):
        return "{" + ", ".join(f"{_text(p.key)}: {_text(p.value)}" for p in node.items) + "}"
    if isinstance(node, nodes.NSRef):
        return f"{node.name}.{node.attr}"
    return type(node).__name__


def _operand(node: nodes.Node) -> str:
    """An operand, in parentheses when it is itself an operation."""
    text = _text(node)
    compound = (nodes.BinExpr, nodes.UnaryExpr, nodes.Compare, nodes.Concat, nodes.CondExpr, nodes.Filter)
    return f"({text})" if isinstance(_unmetered(node), compound) else text


def failure(exc: BaseException) -> Message:
    """What went wrong while a template was filled in (never Python's own text)."""
    if isinstance(exc, LimitExceeded | SecurityError):
        return problem_message(exc)
    if isinstance(exc, UndefinedError):
        return msg(
            "the value does not exist (for example an item of an empty list, or a field of an empty value)"
        )
    if isinstance(exc, ZeroDivisionError):
        return msg("division by zero")
    if isinstance(exc, IndexError | KeyError):
        return msg("the item does not exist")
    if isinstance(exc, RecursionError):
        return msg("the template calls itself too deeply")
    if isinstance(exc, MemoryError):
        return msg("the template uses too much memory")
    if isinstance(exc, TypeError | ValueError | OverflowError | AttributeError):
        return msg("the value has the wrong type or form for this expression")
    if isinstance(exc, TemplateError):
        return msg("the template code cannot run as it stands")
    return msg("unexpected error ({kind})", kind=type(exc).__name__)
