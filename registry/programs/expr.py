"""A small, safe expression language for eligibility rules: parsed here, never `eval`-ed.

Syntax (CEL-like): numbers, 'strings', true/false, [lists], field names, `and` `or` `not`
(also `&&` `||` `!`), `== != < <= > >=`, `in`, `+ - * /`, `cond ? a : b`, and the functions
`min`, `max`, `abs`. Every expression is type-checked against the known household fields and
compiled once into plain Python closures, evaluated many times.

What cannot be written cannot run: there are no loops, no attribute access, no calls other than
the three above, and no data other than the facts of the one household being evaluated. Size
and nesting are bounded, and a division is accepted only when its divisor can never be zero.
"""

from __future__ import annotations

import difflib
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from registry.i18n import N_

MAX_LENGTH = 2000
MAX_DEPTH = 30
MAX_NODES = 400

Compiled = Callable[[Mapping[str, Any]], Any]


class Type(StrEnum):
    NUMBER = "number"
    BOOL = "yes/no"
    TEXT = "text"
    TEXT_LIST = "list of text"
    NUMBER_LIST = "list of numbers"


class RuleError(Exception):
    """A refused rule: a translatable message and the place (line, column) it points at."""

    def __init__(self, msgid: str, position: int = 0, source: str = "", **params: object) -> None:
        self.msgid = msgid
        self.params = params
        self.source = source
        self.line, self.column = _line_column(source, position)
        self.where = ""
        super().__init__(f"line {self.line}, column {self.column}: {msgid % params}")

    def pointer(self) -> str:
        """The offending line with a caret under the place."""
        lines = self.source.splitlines() or [""]
        text = lines[min(self.line, len(lines)) - 1]
        return f"{text}\n{' ' * (self.column - 1)}^"


def _line_column(source: str, position: int) -> tuple[int, int]:
    before = source[:position]
    line = before.count("\n") + 1
    return line, position - (before.rfind("\n") + 1) + 1


# -- tokens ---------------------------------------------------------------------------------

_SYMBOLS = ("&&", "||", "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "(", ")")
_SYMBOLS += ("[", "]", ",", "!", "?", ":")
_WORDS = {"and": "&&", "or": "||", "not": "!"}


@dataclass(frozen=True)
class Token:
    kind: str  # "num", "str", "name", "op", "end"
    value: Any
    pos: int


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch.isspace():
            i += 1
        elif ch.isdigit() or (ch == "." and i + 1 < n and source[i + 1].isdigit()):
            start = i
            while i < n and (source[i].isdigit() or source[i] in "._"):
                i += 1
            text = source[start:i].replace("_", "")
            try:
                value: float | int = float(text) if "." in text else int(text)
            except ValueError:
                raise RuleError(
                    N_("“%(text)s” is not a number"), start, source, text=text
                ) from None
            tokens.append(Token("num", value, start))
        elif ch in "'\"":
            end = source.find(ch, i + 1)
            if end < 0 or "\n" in source[i:end]:
                raise RuleError(N_("text started here is never closed"), i, source)
            tokens.append(Token("str", source[i + 1 : end], i))
            i = end + 1
        elif ch.isalpha() or ch == "_":
            start = i
            while i < n and (source[i].isalnum() or source[i] == "_"):
                i += 1
            word = source[start:i]
            if word in _WORDS:
                tokens.append(Token("op", _WORDS[word], start))
            elif word in ("true", "false"):
                tokens.append(Token("bool", word == "true", start))
            elif word == "in":
                tokens.append(Token("op", "in", start))
            else:
                tokens.append(Token("name", word, start))
        else:
            symbol = next((s for s in _SYMBOLS if source.startswith(s, i)), None)
            if symbol is None:
                raise RuleError(N_("unexpected character “%(text)s”"), i, source, text=ch)
            tokens.append(Token("op", symbol, i))
            i += len(symbol)
    tokens.append(Token("end", None, n))
    return tokens


# -- syntax tree ----------------------------------------------------------------------------


@dataclass
class Node:
    kind: str  # literal, field, list, unary, binary, cond, call
    pos: int
    value: Any = None  # literal value, field name, operator or function name
    args: tuple[Node, ...] = ()
    type: Type | None = None


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.index = 0
        self.depth = 0
        self.nodes = 0

    def fail(self, msgid: str, token: Token | None = None, **params: object) -> RuleError:
        token = token or self.peek()
        return RuleError(msgid, token.pos, self.source, **params)

    def peek(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def at(self, *ops: str) -> bool:
        token = self.peek()
        return token.kind == "op" and token.value in ops

    def expect(self, op: str) -> Token:
        if not self.at(op):
            raise self.fail(N_("expected “%(expected)s” here"), expected=op)
        return self.take()

    def node(self, kind: str, pos: int, value: Any = None, args: tuple[Node, ...] = ()) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise RuleError(N_("the rule is too long; split it into several"), pos, self.source)
        return Node(kind, pos, value, args)

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise self.fail(N_("the rule is empty"))
        tree = self.expression()
        if self.peek().kind != "end":
            raise self.fail(N_("unexpected “%(text)s” after a complete rule"), text=self.text())
        return tree

    def text(self) -> str:
        token = self.peek()
        return str(token.value) if token.kind != "str" else f"'{token.value}'"

    def expression(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(N_("the rule is nested too deeply"))
        condition = self.binary(0)
        if self.at("?"):
            pos = self.take().pos
            then = self.expression()
            self.expect(":")
            otherwise = self.expression()
            condition = self.node("cond", pos, "?", (condition, then, otherwise))
        self.depth -= 1
        return condition

    _LEVELS: tuple[tuple[str, ...], ...] = (
        ("||",),
        ("&&",),
        ("==", "!=", "<", "<=", ">", ">=", "in"),
        ("+", "-"),
        ("*", "/"),
    )

    def binary(self, level: int) -> Node:
        if level == len(self._LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.at(*self._LEVELS[level]):
            op = self.take()
            right = self.binary(level + 1)
            left = self.node("binary", op.pos, op.value, (left, right))
            if level == 2 and self.at(*self._LEVELS[2]):
                raise self.fail(N_("put brackets around each comparison"))
        return left

    def unary(self) -> Node:
        if self.at("!", "-"):
            op = self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.fail(N_("the rule is nested too deeply"), op)
            operand = self.unary()
            self.depth -= 1
            return self.node("unary", op.pos, op.value, (operand,))
        return self.primary()

    def primary(self) -> Node:
        token = self.take()
        if token.kind in ("num", "str", "bool"):
            return self.node("literal", token.pos, token.value)
        if token.kind == "name":
            if self.at("("):
                self.take()
                args = self.items(")")
                return self.node("call", token.pos, token.value, args)
            return self.node("field", token.pos, token.value)
        if token.kind == "op" and token.value == "(":
            inner = self.expression()
            self.expect(")")
            return inner
        if token.kind == "op" and token.value == "[":
            return self.node("list", token.pos, None, self.items("]"))
        self.index -= 1
        if token.kind == "end":
            raise self.fail(N_("the rule stops too early"))
        raise self.fail(N_("unexpected “%(text)s”"), text=self.text())

    def items(self, closing: str) -> tuple[Node, ...]:
        found: list[Node] = []
        if not self.at(closing):
            found.append(self.expression())
            while self.at(","):
                self.take()
                found.append(self.expression())
        self.expect(closing)
        return tuple(found)


def parse(source: str) -> Node:
    if len(source) > MAX_LENGTH:
        raise RuleError(
            N_("the rule is longer than %(limit)s characters"), MAX_LENGTH, source, limit=MAX_LENGTH
        )
    return _Parser(source).parse()


# -- type checking --------------------------------------------------------------------------

FUNCTIONS = {"min": (1, 10), "max": (1, 10), "abs": (1, 1)}


class _Checker:
    def __init__(self, source: str, fields: Mapping[str, Type]) -> None:
        self.source = source
        self.fields = fields

    def fail(self, node: Node, msgid: str, **params: object) -> RuleError:
        return RuleError(msgid, node.pos, self.source, **params)

    def want(self, node: Node, expected: Type) -> None:
        found = self.check(node)
        if found != expected:
            raise self.fail(
                node,
                N_("expected %(expected)s here, found %(found)s"),
                expected=expected,
                found=found,
            )

    def check(self, node: Node) -> Type:
        node.type = getattr(self, f"_{node.kind}")(node)
        return node.type

    def _literal(self, node: Node) -> Type:
        if isinstance(node.value, bool):
            return Type.BOOL
        return Type.TEXT if isinstance(node.value, str) else Type.NUMBER

    def _field(self, node: Node) -> Type:
        if node.value not in self.fields:
            close = difflib.get_close_matches(node.value, list(self.fields), n=1)
            if close:
                raise self.fail(
                    node,
                    N_("unknown field “%(name)s”; did you mean “%(suggestion)s”?"),
                    name=node.value,
                    suggestion=close[0],
                )
            raise self.fail(node, N_("unknown field “%(name)s”"), name=node.value)
        return self.fields[node.value]

    def _list(self, node: Node) -> Type:
        kinds = {self.check(item) for item in node.args}
        if kinds <= {Type.TEXT}:
            return Type.TEXT_LIST
        if kinds == {Type.NUMBER}:
            return Type.NUMBER_LIST
        raise self.fail(node, N_("a list holds only numbers or only texts"))

    def _unary(self, node: Node) -> Type:
        expected = Type.BOOL if node.value == "!" else Type.NUMBER
        self.want(node.args[0], expected)
        return expected

    def _cond(self, node: Node) -> Type:
        condition, then, otherwise = node.args
        self.want(condition, Type.BOOL)
        kind = self.check(then)
        self.want(otherwise, kind)
        return kind

    def _call(self, node: Node) -> Type:
        if node.value not in FUNCTIONS:
            raise self.fail(
                node,
                N_("unknown function “%(name)s”; use %(functions)s"),
                name=node.value,
                functions=", ".join(FUNCTIONS),
            )
        low, high = FUNCTIONS[node.value]
        if not low <= len(node.args) <= high:
            raise self.fail(node, N_("wrong number of values for “%(name)s”"), name=node.value)
        for arg in node.args:
            self.want(arg, Type.NUMBER)
        return Type.NUMBER

    def _binary(self, node: Node) -> Type:
        left, right = node.args
        op = node.value
        if op in ("&&", "||"):
            self.want(left, Type.BOOL)
            self.want(right, Type.BOOL)
            return Type.BOOL
        if op in ("+", "-", "*", "/", "<", "<=", ">", ">="):
            self.want(left, Type.NUMBER)
            self.want(right, Type.NUMBER)
            if op == "/" and not _never_zero(right):
                raise self.fail(
                    node,
                    N_("this divisor may be zero; divide by a number, or by max(value, 1)"),
                )
            return Type.NUMBER if op in "+-*/" else Type.BOOL
        if op in ("==", "!="):
            self.want(right, self.check(left))
            return Type.BOOL
        # `in`
        container = self.check(right)
        item = {Type.TEXT_LIST: Type.TEXT, Type.NUMBER_LIST: Type.NUMBER}.get(container)
        if item is None:
            raise self.fail(right, N_("expected a list after “in”"))
        self.want(left, item)
        return Type.BOOL


def _never_zero(node: Node) -> bool:
    """True when the divisor is provably never zero (a non-zero number, or max(..., c > 0))."""
    if node.kind == "literal":
        return node.value != 0
    if node.kind == "unary" and node.value == "-":
        return _never_zero(node.args[0])
    if node.kind == "call" and node.value == "max":
        return any(a.kind == "literal" and a.value > 0 for a in node.args)
    if node.kind == "call" and node.value == "abs":
        return _never_zero(node.args[0])
    return False


def fields_used(node: Node) -> list[str]:
    found: list[str] = []
    if node.kind == "field" and node.value not in found:
        found.append(node.value)
    for arg in node.args:
        found.extend(name for name in fields_used(arg) if name not in found)
    return found


# -- compilation to closures ----------------------------------------------------------------

_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "in": lambda a, b: a in b,
}


def _binary(node: Node) -> Compiled:
    """Closures specialised for the shapes rules are made of (field op number) to run fast."""
    left_node, right_node = node.args
    operation = _OPERATORS[node.value]
    if left_node.kind == "field" and right_node.kind == "literal":
        name, value = left_node.value, right_node.value
        return lambda facts: operation(facts[name], value)
    if left_node.kind == "literal" and right_node.kind == "field":
        value, name = left_node.value, right_node.value
        return lambda facts: operation(value, facts[name])
    if left_node.kind == "field" and right_node.kind == "field":
        first, second = left_node.value, right_node.value
        return lambda facts: operation(facts[first], facts[second])
    left, right = _compile(left_node), _compile(right_node)
    return lambda facts: operation(left(facts), right(facts))


def _compile(node: Node) -> Compiled:  # noqa: C901 - one branch per node kind
    if node.kind == "literal":
        value = node.value
        return lambda facts: value
    if node.kind == "field":
        name = node.value
        return lambda facts: facts[name]
    if node.kind == "list":
        if all(item.kind == "literal" for item in node.args):
            frozen = frozenset(item.value for item in node.args)
            return lambda facts: frozen
        parts = [_compile(item) for item in node.args]
        return lambda facts: [part(facts) for part in parts]
    if node.kind == "unary":
        operand = _compile(node.args[0])
        if node.value == "!":
            return lambda facts: not operand(facts)
        return lambda facts: -operand(facts)
    if node.kind == "cond":
        test, then, otherwise = (_compile(a) for a in node.args)
        return lambda facts: then(facts) if test(facts) else otherwise(facts)
    if node.kind == "call":
        parts = [_compile(a) for a in node.args]
        function = {"min": min, "max": max}.get(node.value)
        if function is None:
            only = parts[0]
            return lambda facts: abs(only(facts))
        if len(parts) == 1:
            return parts[0]
        return lambda facts: function(part(facts) for part in parts)
    if node.value in ("&&", "||"):
        left, right = (_compile(a) for a in node.args)
        if node.value == "&&":
            return lambda facts: left(facts) and right(facts)
        return lambda facts: left(facts) or right(facts)
    return _binary(node)


@dataclass(frozen=True)
class Expression:
    """A checked, compiled expression: `evaluate(facts)` runs it on one household's facts."""

    source: str
    type: Type
    fields: tuple[str, ...]
    evaluate: Compiled


def compile_expression(
    source: str, fields: Mapping[str, Type], expected: Type | tuple[Type, ...] | None = None
) -> Expression:
    """Parses, checks and compiles `source`; raises RuleError pointing at the first problem."""
    tree = parse(source)
    kind = _Checker(source, fields).check(tree)
    allowed = (expected,) if isinstance(expected, Type) else expected
    if allowed and kind not in allowed:
        raise RuleError(
            N_("this rule gives %(found)s; %(expected)s is needed"),
            0,
            source,
            found=kind,
            expected=" / ".join(str(a) for a in allowed),
        )
    return Expression(source, kind, tuple(fields_used(tree)), _compile(tree))
