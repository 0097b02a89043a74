"""Forms: the element-wise expressions that define *open* maps (``table=None``).

A form is RASP text (the grammar of :mod:`tpc.grammar`) for an expression in the operands
``x`` (and ``y`` for a ``SequenceMap``) built only from

* literals: integers, decimals without an exponent (``0.000125``), double-quoted strings,
  ``True``, ``False``; the operands ``x``, ``y``; parentheses;
* unary ``-``, ``+``, ``not``; binary ``+ - *``, ``== < > <= >=``, ``and``, ``or``;
  ``a if c else b`` (RASP groups it to the left and every binary operator too).

**Semantics** (what :mod:`tpc.ir.interp` computes, per position, with numpy): the form is
evaluated as RASP evaluates it (:func:`tpc.frontends.rasp_to_ir.compile_form`) on the operand
values — a categorical operand's value, a numerical operand's float64 — with one
refinement: ``+``, ``-`` and ``*`` (and unary ``-``/``+``) compute in IEEE float64, as
Python floats do, on operands converted to float (``True`` is 1.0). Integers must lie
within ±2^53 (so the conversion is exact); the result then equals Python's on the same
values, except that an integer zero may come out as ``-0.0``. Comparisons are Python's
(numbers and booleans as numbers, strings against strings; a string may not meet a
number), ``and``/``or`` give ``bool(a) and bool(b)`` / ``bool(a) or bool(b)``, ``not``
gives ``not a``, ``a if c else b`` is Python's conditional. As in RASP, a part without
operands is an atom computed when the form is read, with Python's operators (``0 or 2``
is ``2``; ``1 + 2`` is the int ``3``; a conditional on such a part is just its branch).
Anything else (``/``, ``in``, calls, strings in arithmetic) is rejected when the form is
compiled.

Compiling a form for its operands' types (:class:`OpenForm`) also finds its *finite
outputs*: the values it can produce when no arithmetic result reaches the output
(comparisons give ``{False, True}``, a conditional the union of its branches), else
``None`` — any number. A categorical open map needs finite outputs inside its type.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from lark import Tree

from tpc.errors import IRError, ParseError, quote
from tpc.grammar.parser import parse_expression
from tpc.ir.limits import MAX_FORM_DEPTH, check_form_text
from tpc.ir.types import Categorical, Numerical, Type, Value, tag

#: A parsed form: ("var", name) | ("lit", value) | ("unop", op, a) | ("binop", op, a, b)
#: | ("if", cond, yes, no).
Ast = tuple

ARITHMETIC: dict[str, Callable] = {"+": np.add, "-": np.subtract, "*": np.multiply}
COMPARISONS: dict[str, Callable] = {
    "==": operator.eq,
    "<": operator.lt,
    ">": operator.gt,
    "<=": operator.le,
    ">=": operator.ge,
}
#: Largest (string-valued) operand-value product a comparison is tabulated over.
MAX_PAIRS = 1 << 16
#: Integers beyond this magnitude do not convert to float64 exactly.
MAX_EXACT_INT = 2**53
_BOOLS = (False, True)


def _too_deep(root: object, children: Callable[[Any], Iterable[Any]]) -> bool:
    """Whether the tree under ``root`` nests more than :data:`MAX_FORM_DEPTH` levels."""
    level = [root]
    for _ in range(MAX_FORM_DEPTH):
        level = [kid for node in level for kid in children(node)]
        if not level:
            return False
    return True


def _syntax_tree(text: str) -> Tree:
    """The RASP syntax tree of a form's text (:func:`check_form_text` holds)."""
    check_form_text(text)
    try:
        tree = parse_expression(text)
    except ParseError as e:
        raise IRError(f"the form {quote(text)} does not parse: {e}") from None
    if _too_deep(tree, lambda t: (k for k in t.children if isinstance(k, Tree))):
        raise IRError(f"the form {quote(text)} nests more than {MAX_FORM_DEPTH} levels")
    return tree


@lru_cache(maxsize=4096)
def parse_form(text: str) -> Ast:
    """The form's syntax tree; ``IRError`` saying why when ``text`` is not a form (nor
    one line of printable text without comments, :func:`check_form_text`, nor nested at
    most :data:`MAX_FORM_DEPTH` levels, so that back ends can write it as an expression)."""
    try:
        ast = _fold(_ast(_syntax_tree(text)))
    except RecursionError:
        ast = None
    if ast is None or _too_deep(ast, lambda a: (k for k in a[1:] if isinstance(k, tuple))):
        raise IRError(f"the form {quote(text)} nests more than {MAX_FORM_DEPTH} levels")
    return ast


@lru_cache(maxsize=4096)
def check_form(text: str, arity: int) -> None:
    """``IRError`` unless ``text`` may be the ``form`` of a map with ``arity`` operands:
    one line of printable text without comments (:func:`check_form_text`) that parses as
    a RASP expression nested at most :data:`MAX_FORM_DEPTH` levels whose only variables
    are the operands ``x`` (and ``y``). Back ends print it (in comments, in RASP text), so
    this holds whether or not the map has a table; a table map's form is a readable
    equivalent and may use any RASP operator (``round(x * y)``), an open map's must be a
    form proper (:func:`parse_form`)."""
    tree = _syntax_tree(text)
    names = {str(var.children[0]) for var in tree.find_data("var")} - {"True", "False"}
    extra = sorted(names - set("xy"[:arity]))
    if extra:
        raise IRError(f"the form reads {extra[0]}, but the node has {arity} operand(s)")


def _ast(tree) -> Ast:
    kind, kids = tree.data, tree.children
    if kind == "var":
        name = str(kids[0])
        if name in ("True", "False"):
            return ("lit", name == "True")
        if name not in ("x", "y"):
            raise IRError(f"a form reads only x and y, not {quote(name)}")
        return ("var", name)
    if kind == "int_lit":
        return ("lit", int(kids[0]))
    if kind == "float_lit":
        return ("lit", float(kids[0]))
    if kind == "string_lit":
        return ("lit", str(kids[0])[1:-1])
    if kind == "unop":
        return ("unop", str(kids[0]), _ast(kids[1]))
    if kind == "binop" and str(kids[1]) in (*ARITHMETIC, *COMPARISONS, "and", "or"):
        return ("binop", str(kids[1]), _ast(kids[0]), _ast(kids[2]))
    if kind == "conditional":
        return ("if", _ast(kids[1]), _ast(kids[0]), _ast(kids[2]))
    if kind == "contains":  # x in [a, b]: (x == a) or (x == b), as Python decides it
        listed = kids[1].children if getattr(kids[1], "data", None) == "list_lit" else None
        items = None if listed is None else listed[0].children if listed[0] is not None else []
        atoms = [_fold(_ast(item)) for item in items or ()]
        if items is None or any(atom[0] != "lit" for atom in atoms):
            raise IRError("'in' in a form takes a list of atoms")
        left = _ast(kids[0])  # computed even for [], so that its errors surface
        test = ("binop", "and", ("binop", "==", left, left), ("lit", False))
        for i, atom in enumerate(atoms):
            same = ("binop", "==", left, atom)
            test = same if i == 0 else ("binop", "or", test, same)
        return test
    shown = str(kids[1]) if kind == "binop" else kind.replace("_", " ")
    raise IRError(f"'{shown}' is not allowed in a form")


_PYTHON_OPS: dict[str, Callable] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    **COMPARISONS,
    "and": lambda a, b: a and b,
    "or": lambda a, b: a or b,
}
_UNARY_OPS: dict[str, Callable] = {"not": operator.not_, "-": operator.neg, "+": operator.pos}


def _fold(ast: Ast) -> Ast:
    """Operations on atoms done now, as RASP does when it reads them (Python's operators:
    ``0 or 2`` is ``2``), and a conditional on an atom replaced by its branch."""
    kind = ast[0]
    if kind in ("var", "lit"):
        return ast
    if kind == "if":
        cond = _fold(ast[1])
        if cond[0] == "lit":
            return _fold(ast[2] if cond[1] else ast[3])
        return ("if", cond, _fold(ast[2]), _fold(ast[3]))
    op, kids = ast[1], [_fold(a) for a in ast[2:]]
    if any(k[0] != "lit" for k in kids):
        return (kind, op, *kids)
    atoms = [k[1] for k in kids]
    if op in ARITHMETIC and any(isinstance(a, str) for a in atoms):
        raise IRError(f"a form computes with the strings {quote(atoms)}")
    try:
        value = (_UNARY_OPS if kind == "unop" else _PYTHON_OPS)[op](*atoms)
    except TypeError as e:
        raise IRError(f"the form fails: {e}") from None
    if isinstance(value, int) and abs(value) > MAX_EXACT_INT:
        raise IRError(f"the form computes {value}, beyond ±2^53")
    return ("lit", value)


def form_operands(ast: Ast) -> set[str]:
    """The operand names (``x``, ``y``) a parsed form reads."""
    if ast[0] == "var":
        return {ast[1]}
    return set().union(*(form_operands(a) for a in ast[1:] if isinstance(a, tuple)))


# ---- compilation: a static pass that types every subexpression -----------------------------


@dataclass(frozen=True)
class _Part:
    """A compiled subexpression: ``run(args)`` gives codes into ``values`` (int64) when
    its values are finite, else float64 numbers (``values`` is None). ``exact``: it gives
    Python's values *and types* (its arithmetic always has a float operand)."""

    values: tuple[Value, ...] | None
    run: Callable[[Sequence[np.ndarray]], np.ndarray]
    exact: bool = True

    @property
    def floats(self) -> bool:
        """Its values are Python floats (arithmetic results are)."""
        return self.values is None or all(isinstance(v, float) for v in self.values)


def _all_exact(*parts: _Part) -> bool:
    return all(p.exact for p in parts)


def _key(v: Value) -> tuple[type, str]:
    """Identity of a value: its type and repr (so ``1``, ``1.0``, ``True``, ``-0.0`` differ)."""
    return (type(v), repr(v))


def _numbers(part: _Part) -> Callable[[Sequence[np.ndarray]], np.ndarray]:
    """``part`` as float64 numbers (finite values converted exactly, else IRError)."""
    if part.values is None:
        return part.run
    for v in part.values:
        if isinstance(v, str):
            raise IRError(f"a form computes with the string {quote(v)} as a number")
        if isinstance(v, int) and abs(v) > MAX_EXACT_INT:
            raise IRError(f"a form computes with {v}, beyond ±2^53 (not exact as a float)")
    lut = np.array([float(v) for v in part.values], dtype=np.float64)
    return lambda args: lut[part.run(args)]


def _truth(part: _Part) -> Callable[[Sequence[np.ndarray]], np.ndarray]:
    """``bool(v)`` of ``part``'s values, as a bool array."""
    if part.values is None:
        return lambda args: part.run(args) != 0
    lut = np.array([bool(v) for v in part.values], dtype=bool)
    return lambda args: lut[part.run(args)]


def _compare(op: str, a: _Part, b: _Part) -> _Part:
    fn = COMPARISONS[op]
    strings = any(isinstance(v, str) for p in (a, b) for v in p.values or ())
    if not strings:
        na, nb = _numbers(a), _numbers(b)
        return _Part(_BOOLS, lambda args: fn(na(args), nb(args)).astype(np.int64), _all_exact(a, b))
    if a.values is None or b.values is None:
        raise IRError(f"a form compares strings with numbers ({op})")
    if len(a.values) * len(b.values) > MAX_PAIRS:
        raise IRError(f"a form compares {len(a.values) * len(b.values):,} pairs of strings")
    try:
        lut = np.array([[fn(u, v) for v in b.values] for u in a.values], dtype=np.int64)
    except TypeError:
        raise IRError(f"a form orders strings against numbers ({op})") from None
    return _Part(_BOOLS, lambda args: lut[a.run(args), b.run(args)], _all_exact(a, b))


def _conditional(cond: _Part, yes: _Part, no: _Part) -> _Part:
    truth = _truth(cond)
    exact = _all_exact(cond, yes, no)
    if yes.values is None or no.values is None:
        ny, nn = _numbers(yes), _numbers(no)
        exact = exact and yes.floats and no.floats
        return _Part(None, lambda args: np.where(truth(args), ny(args), nn(args)), exact)
    merged: dict[tuple[type, str], int] = {}
    values: list[Value] = []
    for v in (*yes.values, *no.values):
        if _key(v) not in merged:
            merged[_key(v)] = len(values)
            values.append(v)
    ry = np.array([merged[_key(v)] for v in yes.values], dtype=np.int64)
    rn = np.array([merged[_key(v)] for v in no.values], dtype=np.int64)
    return _Part(
        tuple(values),
        lambda args: np.where(truth(args), ry[yes.run(args)], rn[no.run(args)]),
        exact,
    )


def _compile(ast: Ast, operands: dict[str, tuple[Value, ...] | None]) -> _Part:
    kind = ast[0]
    if kind == "var":
        index = "xy".index(ast[1])
        return _Part(operands[ast[1]], lambda args: args[index])
    if kind == "lit":
        return _Part((ast[1],), lambda args: np.zeros((), dtype=np.int64))
    if kind == "if":
        return _conditional(*(_compile(a, operands) for a in ast[1:]))
    if kind == "unop":
        a = _compile(ast[2], operands)
        if ast[1] == "not":
            truth = _truth(a)
            return _Part(_BOOLS, lambda args: (~truth(args)).astype(np.int64), a.exact)
        num = _numbers(a)
        run = (lambda args: -num(args)) if ast[1] == "-" else num
        return _Part(None, run, a.exact and a.floats)
    op, a, b = ast[1], _compile(ast[2], operands), _compile(ast[3], operands)
    if op in ARITHMETIC:
        fn, na, nb = ARITHMETIC[op], _numbers(a), _numbers(b)
        exact = _all_exact(a, b) and (a.floats or b.floats)
        return _Part(None, lambda args: fn(na(args), nb(args)), exact)
    if op in COMPARISONS:
        return _compare(op, a, b)
    ta, tb = _truth(a), _truth(b)
    both = np.logical_and if op == "and" else np.logical_or
    return _Part(_BOOLS, lambda args: both(ta(args), tb(args)).astype(np.int64), _all_exact(a, b))


class OpenForm:
    """A form compiled for operands of the given types (one per operand, ``x`` first).

    ``values`` are its finite outputs, or None when it can give any number.
    ``IRError`` when the form is not one or does not fit its operands.
    """

    def __init__(self, text: str, operands: Sequence[Type]):
        ast = parse_form(text)
        names = "xy"[: len(operands)]
        extra = sorted(form_operands(ast) - set(names))
        if extra:
            raise IRError(f"the form reads {extra[0]}, but the node has {len(operands)} operand(s)")
        kinds = {
            n: t.values if isinstance(t, Categorical) else None for n, t in zip(names, operands)
        }
        if any(not isinstance(t, (Categorical, Numerical)) for t in operands):
            raise IRError("a form's operands are sequences, not selectors")
        try:
            self._part = _compile(ast, kinds)
        except RecursionError:
            raise IRError(f"the form {quote(text)} is nested too deeply") from None
        self.values = self._part.values
        self._domains = [kinds[n] for n in names]

    def tabulate(self) -> list[Value] | None:
        """The form's value on every combination of its operands' values (categorical
        operands; ``itertools.product`` order), as Python computes it — values and types —
        or None when float64 arithmetic might differ from Python's (an ``int + int``)."""
        if not self._part.exact or any(d is None for d in self._domains):
            return None
        grid = np.meshgrid(*(np.arange(len(d)) for d in self._domains), indexing="ij")  # type: ignore[arg-type]
        args = [g.ravel() for g in grid]
        with np.errstate(all="ignore"):
            out = np.broadcast_to(self._part.run(args), args[0].shape if args else ())
        if self.values is None:
            return out.tolist()
        return [self.values[c] for c in out.tolist()]

    def check_type(self, out: Type) -> None:
        """``IRError`` unless every output the form can give is a value of ``out``."""
        if isinstance(out, Categorical):
            if self.values is None:
                raise IRError("the form gives numbers without a finite value set; type it num")
            allowed = {tag(v) for v in out.values}
            bad = [v for v in self.values if tag(v) not in allowed]
            if bad:
                raise IRError(f"the form gives {quote(bad[0])}, which is not in its type {out}")
        elif isinstance(out, Numerical) and out.values is not None:
            if self.values is None:
                raise IRError(f"the form gives numbers without a finite value set, not only {out}")
            allowed_floats = {float(v) for v in out.values}
            for v in self.values:
                if isinstance(v, str) or float(v) not in allowed_floats:
                    raise IRError(f"the form gives {quote(v)}, which is not in its type {out}")
        elif isinstance(out, Numerical):
            _numbers(self._part)  # strings cannot be numerical values
        else:
            raise IRError("a form cannot produce a selector")

    def evaluate(self, args: Sequence[np.ndarray], out: Type, shape: tuple[int, ...]) -> np.ndarray:
        """The outputs at every position, encoded as the interpreter encodes ``out``
        (codes into a categorical type, float64 for a numerical one). ``args``: each
        operand's interpreter array (codes if categorical, float64 if numerical)."""
        with np.errstate(all="ignore"):  # IEEE results (inf, nan) are the semantics
            if isinstance(out, Categorical):
                index = out.index()
                lut = np.array([index[v] for v in self.values or ()], dtype=np.int64)
                result = lut[self._part.run(args)]
            else:
                result = _numbers(self._part)(args)
        return np.broadcast_to(np.asarray(result), shape)


# ---- writing forms ---------------------------------------------------------------------------


def literal(v: Value) -> str | None:
    """RASP text for an atom that reads back as the identical value, or None (non-finite
    floats, strings holding quotes or characters that are not printable, such as line
    breaks: forms are one line of printable text). RASP numbers have no exponent, so a
    float is written positionally with the digits of its shortest repr (``1.5e-05`` →
    ``0.000015``); negative numbers (and ``-0.0``) as ``(-...)``."""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v) if v >= 0 else f"(-{-v})"
    if isinstance(v, float):
        if not math.isfinite(v):
            return None
        text = _positional(abs(v))
        return f"(-{text})" if math.copysign(1.0, v) < 0 else text
    if isinstance(v, str):
        return None if '"' in v or not v.isprintable() else f'"{v}"'
    return None


def _positional(v: float) -> str:
    """A non-negative finite float as ``digits.digits`` with its shortest repr's digits."""
    text = repr(v)
    if "e" in text:
        mantissa, exp = text.split("e")
        digits = mantissa.replace(".", "")
        point = (mantissa.index(".") if "." in mantissa else len(mantissa)) + int(exp)
        if point <= 0:
            text = "0." + "0" * -point + digits
        elif point >= len(digits):
            text = digits + "0" * (point - len(digits)) + ".0"
        else:
            text = digits[:point] + "." + digits[point:]
    return text


def render_form(
    text: str, names: Sequence[str], literal: Callable[[Value], str], python: bool = False
) -> str:
    """The form with operands ``x``, ``y`` written as ``names`` and literals by
    ``literal``, fully parenthesised: RASP text, or with ``python`` a Python expression
    computing the same (``and``/``or`` as ``bool(a) and bool(b)``)."""
    operands = dict(zip("xy", names))

    def go(ast: Ast) -> str:
        kind = ast[0]
        if kind == "var":
            return operands[ast[1]]
        if kind == "lit":
            return literal(ast[1])
        if kind == "unop":
            space = " " if ast[1] == "not" else ""
            return f"({ast[1]}{space}{go(ast[2])})"
        if kind == "if":
            return f"({go(ast[2])} if {go(ast[1])} else {go(ast[3])})"
        a, b = go(ast[2]), go(ast[3])
        if python and ast[1] in ("and", "or"):
            a, b = f"bool({a})", f"bool({b})"
        return f"({a} {ast[1]} {b})"

    return go(parse_form(text))
