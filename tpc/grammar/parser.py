"""RASP text → lark parse tree (syntax only; :mod:`tpc.frontends.rasp_to_ir` gives it meaning).

The grammar is ``rasp.lark`` (the dialect of the reference implementation's ``RASP.g4``).
Malformed text raises :class:`~tpc.errors.ParseError` with a one-line message giving the
line and column of the problem and what was expected there. RASP text is untrusted input,
and its parse tree takes several hundred bytes per character of text, so texts longer
than :data:`MAX_TEXT` characters are refused before they are parsed.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from lark import Lark, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from tpc.errors import ParseError, quote

#: How terminals that are not fixed strings are described in error messages.
_TERMINAL_NAMES = {
    "NAME": "a name",
    "INT": "an integer",
    "FLOAT": "a number",
    "STRING": "a string",
    "$END": "end of input",
}
_MAX_EXPECTED = 8
#: Longest RASP text parsed, in characters (the largest program in ``programs/``, a
#: learned program's emitted text, has 594,635; parsing 2 MiB of text takes about 30
#: seconds and 1 GB of memory).
MAX_TEXT = 2 * 2**20
#: Terminals that start an expression / continue one: summarised in error messages as
#: "an expression" / "an operator" when the first few (the telltales) are all expected.
_EXPRESSION_START = (
    "NAME INT FLOAT STRING LPAR LSQB LBRACE NOT MINUS PLUS ROUND INDICATOR "
    "_SELECT _AGGREGATE _RANGE _ZIP _LEN"
).split()
_OPERATOR = "PLUS STAR EQ AND OR MINUS SLASH PERCENT CARET LE GE LT GT IF IN LSQB LPAR".split()


@cache
def _parser() -> Lark:
    grammar = resources.files("tpc.grammar").joinpath("rasp.lark").read_text(encoding="utf-8")
    return Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        start=["start", "expr"],
        propagate_positions=True,
        maybe_placeholders=True,
    )


def parse_program(text: str) -> Tree:
    """Parse a whole RASP program (a sequence of statements)."""
    return _parse(text, "start")


def parse_expression(text: str) -> Tree:
    """Parse a single RASP expression (no trailing ``;``)."""
    return _parse(text, "expr")


def _parse(text: str, start: str) -> Tree:
    if len(text) > MAX_TEXT:
        line = text.count("\n", 0, MAX_TEXT) + 1
        column = MAX_TEXT - text.rfind("\n", 0, MAX_TEXT)
        raise ParseError(
            f"line {line}, column {column}: the text goes on past {MAX_TEXT:,} characters, "
            "the most tpc reads"
        )
    try:
        return _parser().parse(text, start=start)
    except UnexpectedInput as e:
        raise ParseError(_describe(e, text)) from None


def _describe(e: UnexpectedInput, text: str) -> str:
    """One line: where, what was found, what was expected."""
    if isinstance(e, UnexpectedCharacters):
        return f"line {e.line}, column {e.column}: unexpected character {e.char!r}"
    if isinstance(e, UnexpectedToken) and e.token.type != "$END":
        found = quote(str(e.token.value))
        line, column = e.line, e.column
    else:  # UnexpectedEOF, or an UnexpectedToken at the end of the input
        found = "end of input"
        line = text.count("\n") + 1
        column = len(text) - text.rfind("\n")
    expected = _expected(getattr(e, "expected", None) or ())
    hint = f"; expected {expected}" if expected else ""
    return f"line {line}, column {column}: unexpected {found}{hint}"


def _expected(names) -> str:
    names = set(names)
    summary = []
    for group, text in ((_EXPRESSION_START, "an expression"), (_OPERATOR, "an operator")):
        if set(group[:4]) <= names:
            names -= set(group)
            summary.append(text)
    shown = summary + sorted({_terminal_text(n) for n in names})
    more = ", ..." if len(shown) > _MAX_EXPECTED else ""
    return ", ".join(shown[:_MAX_EXPECTED]) + more


def _terminal_text(name: str) -> str:
    if name in _TERMINAL_NAMES:
        return _TERMINAL_NAMES[name]
    try:
        pattern = _parser().get_terminal(name).pattern
    except KeyError:
        return name.lower()
    if pattern.type == "str":
        return repr(pattern.value)
    return name.lower()


__all__ = ["parse_expression", "parse_program"]
