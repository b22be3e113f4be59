"""Rewriting a parsed template so that every statement and output reports to the sandbox
(reports/template_sandbox.py): where it is, what it outputs, and every loop round."""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import nodes
from jinja2.visitor import NodeTransformer


@dataclass(frozen=True)
class Mark:
    """A place in a template: the node about to run, and the literal bytes it outputs."""

    node: nodes.Node
    literal: int = 0


class Instrument(NodeTransformer):
    """Inserts the sandbox's calls into a parsed template.

    Before each output and statement goes `environment.step(key, n)`, which records the place
    (for error messages) and counts the literal XML about to be output; loops iterate through
    `environment.metered`, one step a round; `a ~ b` becomes `environment.joined([a, b])`, checked
    before the text is made; lists, tuples and dicts written in the template are size-checked;
    and `{% filter %}` blocks become `{% set %}` blocks that are output, so that their result
    is counted as output too.
    """

    def __init__(self, marks: list[Mark], key: str):
        self.marks = marks
        self.key = key
        self.counter = 0

    def _call(self, name: str, *args: nodes.Node, lineno: int) -> nodes.Call:
        call = nodes.Call(nodes.EnvironmentAttribute(name), list(args), [], None, None)
        call.set_lineno(lineno)
        return call

    def _step(self, node: nodes.Node, literal: int = 0) -> nodes.Call:
        self.marks.append(Mark(node, literal))
        return self._call("step", nodes.Const(self.key), nodes.Const(len(self.marks) - 1), lineno=node.lineno)

    def _before(self, node: nodes.Node, subject: nodes.Node | None = None) -> list[nodes.Node]:
        marker = nodes.Output([self._step(subject or node)]).set_lineno(node.lineno)
        return [marker, node]

    def visit_Output(self, node: nodes.Output) -> nodes.Output:
        self.generic_visit(node)
        literal = sum(len(c.data.encode("utf-8")) for c in node.nodes if isinstance(c, nodes.TemplateData))
        children: list[nodes.Expr] = [self._step(node, literal)] if literal else []
        for child in node.nodes:
            if not isinstance(child, nodes.TemplateData):
                children.append(self._step(child))
            children.append(child)
        node.nodes = children
        return node

    def visit_For(self, node: nodes.For) -> list[nodes.Node]:
        self.generic_visit(node)
        node.iter = self._call("metered", node.iter, lineno=node.lineno)
        return self._before(node)

    def visit_If(self, node: nodes.If) -> list[nodes.Node]:
        # `elif` becomes `else: if`, so that each test gets its own place.
        if node.elif_:
            first, *rest = node.elif_
            nested = nodes.If(first.test, first.body, rest, node.else_).set_lineno(first.lineno)
            node.elif_, node.else_ = [], [nested]
        self.generic_visit(node)
        return self._before(node)

    def visit_Assign(self, node: nodes.Node) -> list[nodes.Node]:
        self.generic_visit(node)
        return self._before(node)

    visit_With = visit_CallBlock = visit_AssignBlock = visit_Assign

    def visit_FilterBlock(self, node: nodes.FilterBlock) -> list[nodes.Node]:
        self.generic_visit(node)
        self.counter += 1
        name = f"_filtered_{self.counter}"  # templates cannot name it: "_" names are refused
        capture = nodes.AssignBlock(nodes.Name(name, "store"), node.filter, node.body)
        shown = nodes.Output([nodes.Name(name, "load")])
        for new in (capture, shown):
            new.set_lineno(node.lineno)
        return [*self._before(capture, node), self.visit_Output(shown)]

    def visit_Concat(self, node: nodes.Concat) -> nodes.Call:
        self.generic_visit(node)
        parts = nodes.List(node.nodes).set_lineno(node.lineno)
        return self._call("joined", parts, lineno=node.lineno)

    def visit_List(self, node: nodes.Expr) -> nodes.Expr:
        self.generic_visit(node)
        if getattr(node, "ctx", "load") != "load":
            return node  # the target of `{% for a, b in … %}` or `{% set a, b = … %}`
        return self._call("sized_value", node, lineno=node.lineno)

    visit_Tuple = visit_Dict = visit_List
