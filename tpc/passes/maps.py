"""Map simplification: fusion, constant folding, symbolic forms.

``fuse_maps``: ``Map(f, Map(g, x))`` becomes ``Map(f∘g, x)`` and ``Map(f, SequenceMap(g,
x, y))`` becomes ``SequenceMap(f∘g, x, y)`` when the inner node has no other user and is
not the output. The composed table is tabulated over the inner node's operand values, so
it computes ``f(g(·))`` exactly; the outer node keeps its name and type.

``fold_constants``: a node whose value is the same at every position becomes a
``Constant`` (keeping its name and type): a ``Map``/``SequenceMap`` whose table has a
single output over its operands' values (with constant operands fixed), a closest
aggregate of a constant (it copies some position's value), any node with a one-value
categorical type (its code can only be 0). A ``SequenceMap`` with equal operands, or
whose table does not depend on one operand (over the operands' values; in particular
when that operand is constant or one-valued), becomes a ``Map`` of the other. Each
rewrite reads the same entries the interpreter would, so values are unchanged.

``recognize_forms``: sets ``form`` on maps without one to the first candidate expression
(identity, integer affine maps, comparisons with a constant; for sequence maps sums,
differences with an integer offset, products, min/max, comparisons) that reproduces every
table entry exactly, value and Python type, when evaluated as Python. Candidates are forms
(:mod:`tpc.ir.forms`, RASP text: ``not (x == 3)`` for ``x != 3``, ``y if y < x else x``
for ``min(x, y)``), evaluated as :func:`~tpc.ir.forms.render_form` writes them in
Python. An identity ``Map`` whose type equals its operand's is removed and its users read
the operand. The table stays the definition, so only the removal touches values, and it
is the identity.

Open maps (no table, defined by their form) are not fused, tabulated or given forms;
``fold_constants`` makes one a constant only when its categorical type has one value.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable
from fractions import Fraction

from tpc.ir.forms import literal, render_form
from tpc.ir.nodes import Aggregate, Constant, Map, Node, SequenceMap
from tpc.ir.program import Program
from tpc.ir.types import Categorical, Selector, Value, tag, unique, value_set
from tpc.passes.manager import register_pass
from tpc.passes.rewrite import (
    INPUT_KINDS,
    live_names,
    same_type,
    same_value,
    substitute,
)

# ---- fuse_maps ----------------------------------------------------------------------------


@register_pass("fuse_maps")
def fuse_maps(program: Program) -> Program:
    """Compose a map with the map or sequence map it reads (module docstring)."""
    live = live_names(program)  # dead users do not count: they are about to go
    users: dict[str, list[str]] = {n.name: [] for n in program}
    for node in program:
        for op in node.inputs if node.name in live else ():
            users[op].append(node.name)
    current: dict[str, Node] = dict(program.nodes)
    replacements: dict[str, Node] = {}
    for node in program:
        if not isinstance(node, Map) or node.table is None:
            continue
        inner = current[node.x]
        if users[node.x] != [node.name] or node.x == program.output:
            continue
        if not isinstance(inner, (Map, SequenceMap)) or inner.table is None:
            continue
        if isinstance(inner, Map):
            domain = value_set(current[inner.x].type) or ()
            table = {v: node.table[inner.table[v]] for v in domain}
            fused: Node = Map(node.name, node.type, x=inner.x, table=table, meta=dict(node.meta))
        else:
            xs = value_set(current[inner.x].type) or ()
            ys = value_set(current[inner.y].type) or ()
            table = {(a, b): node.table[inner.table[(a, b)]] for a in xs for b in ys}
            fused = SequenceMap(
                node.name, node.type, x=inner.x, y=inner.y, table=table, meta=dict(node.meta)
            )
        current[node.name] = replacements[node.name] = fused
    return substitute(program, replacements)


# ---- fold_constants -----------------------------------------------------------------------


def _image(table: dict, keys: Iterable) -> tuple[Value, ...]:
    return unique(map(table.__getitem__, keys))


@register_pass("fold_constants")
def fold_constants(program: Program) -> Program:
    """Turn constant-valued nodes into constants, one-operand sequence maps into maps."""
    consts: dict[str, Value] = {n.name: n.value for n in program if isinstance(n, Constant)}
    replacements: dict[str, Node] = {}

    def domain(name: str) -> tuple[Value, ...]:
        return (consts[name],) if name in consts else value_set(program[name].type) or ()

    for node in program:
        if isinstance(node, (*INPUT_KINDS, Constant)) or isinstance(node.type, Selector):
            continue
        value: tuple[Value, ...] = ()
        tabled = isinstance(node, (Map, SequenceMap)) and node.table is not None
        if isinstance(node, Map) and tabled:
            value = _image(node.table, domain(node.x))
        elif isinstance(node, SequenceMap) and tabled:
            pairs = (
                [(a, a) for a in domain(node.x)]
                if node.x == node.y
                else itertools.product(domain(node.x), domain(node.y))
            )
            value = _image(node.table, pairs)
        elif isinstance(node, Aggregate) and node.reduce == "closest" and node.values in consts:
            value = (consts[node.values],)
        elif isinstance(node.type, Categorical):
            value = node.type.values
        if len(value) == 1:
            consts[node.name] = value[0]
            replacements[node.name] = Constant(
                node.name, node.type, value=value[0], meta=dict(node.meta)
            )
        elif isinstance(node, SequenceMap) and tabled:
            as_map = _one_operand(program, node, domain(node.x), domain(node.y))
            if as_map is not None:
                replacements[node.name] = as_map
    return substitute(program, replacements)


def _one_operand(program: Program, node: SequenceMap, xs: tuple, ys: tuple) -> Map | None:
    """The sequence map as a map of one operand, when (over ``xs × ys``) it only reads that one.

    The map's table covers the kept operand's whole type; the other operand is read at
    its first possible value, which gives the same entry wherever the kept one can be.
    """

    def only(axis: int) -> bool:
        first: dict = {}
        return all(
            first.setdefault(tag((a, b)[axis]), tag(node.table[(a, b)])) == tag(node.table[(a, b)])
            for a in xs
            for b in ys
        )

    full_x = value_set(program[node.x].type) or ()
    if node.x == node.y:
        x, table = node.x, {a: node.table[(a, a)] for a in full_x}
    elif only(0):
        x, table = node.x, {a: node.table[(a, ys[0])] for a in full_x}
    elif only(1):
        x, table = (
            node.y,
            {b: node.table[(xs[0], b)] for b in value_set(program[node.y].type) or ()},
        )
    else:
        return None
    return Map(node.name, node.type, x=x, table=table, meta=dict(node.meta))


# ---- recognize_forms ----------------------------------------------------------------------

#: Comparisons in candidate forms: ``a OP b`` (``{}`` stands for it), in the order tried.
_COMPARISONS = ("{} == {}", "not ({} == {})", "{} < {}", "{} <= {}", "{} > {}", "{} >= {}")
#: What the Python rendering of a form may call (``and``/``or`` as ``bool(a) and bool(b)``).
_NAMESPACE = {"__builtins__": {}, "bool": bool}


def _is_number(v: Value) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _offset(expr: str, c: Fraction) -> str | None:
    """``expr`` plus an integer ``c`` (``None`` if ``c`` is not an integer)."""
    if c.denominator != 1:
        return None
    c_int = int(c)
    if c_int == 0:
        return expr
    return f"{expr} + {c_int}" if c_int > 0 else f"{expr} - {-c_int}"


def _map_candidates(table: dict) -> list[str]:
    xs = list(table)
    found = ["x"]
    numbers = [v for v in xs if _is_number(v) and _is_number(table[v])]
    if len(numbers) >= 2:
        (x0, x1), (y0, y1) = numbers[:2], (table[numbers[0]], table[numbers[1]])
        a = (Fraction(y1) - Fraction(y0)) / (Fraction(x1) - Fraction(x0))
        if a.denominator == 1 and a != 0:
            scaled = {1: "x", -1: "-x"}.get(int(a), f"{int(a)} * x")
            found.append(_offset(scaled, Fraction(y0) - a * Fraction(x0)) or "")
    found += [cmp.format("x", literal(a)) for cmp, a in _comparison_atoms(table)]
    return [f for f in found if f]


def _comparison_atoms(table: dict) -> list[tuple[str, Value]]:
    """``(comparison, constant)`` pairs for the candidates ``x OP constant``, in the order
    of :data:`_COMPARISONS` then of the table, less those that cannot reproduce it: a
    comparison gives booleans, so every output must be one; ``x OP a`` is True at ``a``
    for ``==``, ``<=``, ``>=`` and False for the others, which fixes ``table[a]``; and
    where the keys are all strings, all ints or all floats (ordered, ``==`` only between
    equals),
    only one ``a`` can work: the one True (False) key for ``==`` (``!=``), the least False
    key for ``<``, the greatest True for ``<=``, the greatest False for ``>``, the least
    True for ``>=``. (A map over a corpus's 10,000 words would otherwise try 60,000 forms.)"""
    if not all(type(v) is bool for v in table.values()):
        return []
    atoms = [a for a in table if literal(a) is not None]
    true = [a for a in atoms if table[a]]
    false = [a for a in atoms if not table[a]]
    ordered = len({type(k) for k in table}) == 1 and type(next(iter(table))) in (str, int, float)
    if not ordered:
        by_role = (true, false, false, true, false, true)
        return [(cmp, a) for cmp, group in zip(_COMPARISONS, by_role) for a in group]
    only = {
        "{} == {}": true if len(true) == 1 else [],
        "not ({} == {})": false if len(false) == 1 else [],
        "{} < {}": [min(false)] if false else [],
        "{} <= {}": [max(true)] if true else [],
        "{} > {}": [max(false)] if false else [],
        "{} >= {}": [min(true)] if true else [],
    }
    return [(cmp, a) for cmp in _COMPARISONS for a in only[cmp]]


def _sequence_map_candidates(table: dict) -> list[str]:
    (a, b), out = next(iter(table.items()))
    found = []
    if all(_is_number(v) for v in (a, b, out)):
        base = {"x + y": a + b, "x - y": a - b, "y - x": b - a}
        for expr, value in base.items():
            found.append(_offset(expr, Fraction(out) - Fraction(value)))
    found += ["x * y", "y if y < x else x", "y if y > x else x"]  # min(x, y), max(x, y)
    found += [cmp.format("x", "y") for cmp in _COMPARISONS]
    return [f for f in found if f]


def _reproduces(form: str, table: dict, names: tuple[str, ...]) -> bool:
    """Whether the form, evaluated as Python, gives every entry of ``table``."""
    code = compile(render_form(form, names, repr, python=True), "<form>", "eval")
    for key, out in table.items():
        args = key if len(names) == 2 else (key,)
        try:
            got = eval(code, _NAMESPACE, dict(zip(names, args)))  # noqa: S307 -- our own text
        except (TypeError, ZeroDivisionError):
            return False
        if not same_value(got, out):
            return False
    return True


def find_form(node: Map | SequenceMap) -> str | None:
    """The first candidate expression equal to the node's table (module docstring)."""
    if isinstance(node, Map):
        candidates, names = _map_candidates(node.table), ("x",)
    else:
        candidates, names = _sequence_map_candidates(node.table), ("x", "y")
    return next((f for f in candidates if _reproduces(f, node.table, names)), None)


@register_pass("recognize_forms")
def recognize_forms(program: Program) -> Program:
    """Name identity, affine and comparison maps; remove identity maps (module docstring)."""
    replacements: dict[str, Node | str] = {}
    for node in program:
        if not isinstance(node, (Map, SequenceMap)) or not node.table:
            continue
        form = node.form or find_form(node)
        if (
            form == "x"
            and isinstance(node, Map)
            and same_type(node.type, program[node.x].type)
            and node.name != program.output
        ):
            replacements[node.name] = node.x
        elif form != node.form:
            replacements[node.name] = dataclasses.replace(node, form=form)
    return substitute(program, replacements)
