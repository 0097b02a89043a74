"""Predicate recognition and common-subexpression elimination.

``recognize_predicates`` replaces a ``TablePredicate`` by the first named comparison
(in the order of :data:`CANDIDATES`) that agrees with it on every pair of *reachable*
key and query values (from :mod:`~tpc.passes.value_sets`). A select only ever compares
reachable values at valid positions (keys at padding are masked, queries at padding
are never observed), so the selector is unchanged wherever it matters. Order
comparisons are only tried when every value of both operand types can be ordered
against the other side (Python's order: strings with strings, numbers and bools with
numbers and bools), as the IR requires.

``eliminate_common_subexpressions`` merges nodes of the same kind with the same operands
(after earlier merges) and attributes, type included: the first in evaluation order
survives under its own name and users of the others are rewired to it. Going in
evaluation order merges selectors before the aggregates that read them and those before
the maps above. Two such nodes compute the same array on every input, so outputs are
unchanged (a merged output node is replaced by its survivor).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from tpc.ir.nodes import Comparison, Node, Predicate, Select, TablePredicate
from tpc.ir.program import Program
from tpc.ir.types import Value, tag, value_set
from tpc.passes.manager import register_pass
from tpc.passes.rewrite import INPUT_KINDS, rename_operands, substitute
from tpc.passes.value_sets import reachable_values

#: Comparisons tried, in order; the first that matches the table is used.
CANDIDATES = ("TRUE", "FALSE", "EQ", "NEQ", "LT", "LEQ", "GT", "GEQ")


def _orderable(keys: Iterable[Value], queries: Iterable[Value]) -> bool:
    kinds = {isinstance(v, str) for v in (*keys, *queries)}
    return len(kinds) <= 1


def matching_comparison(
    pred: Predicate,
    keys: tuple[Value, ...],
    queries: tuple[Value, ...],
    orderable: bool,
) -> Comparison | None:
    """The first comparison in :data:`CANDIDATES` equal to ``pred`` on ``keys × queries``."""
    truth = [[bool(pred(k, q)) for k in keys] for q in queries]
    for op in CANDIDATES:
        if op in ("LT", "LEQ", "GT", "GEQ") and not orderable:
            continue
        cmp = Comparison(op)
        if all(
            cmp(k, q) == truth[i][j]
            for i, q in enumerate(queries)
            for j, k in enumerate(keys)
        ):
            return cmp
    return None


@register_pass("recognize_predicates")
def recognize_predicates(program: Program) -> Program:
    """Replace table predicates by the named comparison they equal (module docstring)."""
    vs = reachable_values(program)
    replacements: dict[str, Node] = {}
    for node in program:
        if not (
            isinstance(node, Select) and isinstance(node.predicate, TablePredicate)
        ):
            continue
        keys, queries = vs.values[node.keys], vs.values[node.queries]
        if (
            keys is None or queries is None
        ):  # undefined: the interpreter refuses to run it
            continue
        orderable = _orderable(
            value_set(program[node.keys].type) or (),
            value_set(program[node.queries].type) or (),
        )
        cmp = matching_comparison(node.predicate, keys, queries, orderable)
        if cmp is not None:
            replacements[node.name] = dataclasses.replace(node, predicate=cmp)
    return substitute(program, replacements)


def group_queries(
    pred: Predicate, key_values: Iterable[Value], query_values: Iterable[Value]
) -> list[tuple[frozenset, frozenset]]:
    """Query values grouped by the set of key values they select: ``[(queries, keys)]``.

    Groups come in the order of their first query value; back ends print one
    ``if q in {...}: return k in {...}`` branch per group.
    """
    keys = list(key_values)
    groups: dict[frozenset, list[Value]] = {}
    for q in query_values:
        selected = frozenset(tag(k) for k in keys if pred(k, q))
        groups.setdefault(selected, []).append(q)
    by_tag = {tag(k): k for k in keys}
    return [
        (frozenset(qs), frozenset(by_tag[t] for t in selected))
        for selected, qs in groups.items()
    ]


_ATOMS = frozenset({str, int, float, bool, type(None)})


def _freeze(x: object) -> object:
    """A hashable, type-exact image of an attribute (``1``, ``1.0`` and ``True`` stay apart)."""
    if type(x) in _ATOMS:  # most calls: table keys and values
        return (type(x).__name__, x)
    if isinstance(x, dict):
        return ("dict", frozenset((_freeze(k), _freeze(v)) for k, v in x.items()))
    if isinstance(x, (tuple, list)):
        return ("seq", tuple(_freeze(v) for v in x))
    if isinstance(x, frozenset):
        return ("set", frozenset(_freeze(v) for v in x))
    if dataclasses.is_dataclass(x) and not isinstance(x, type):  # types, predicates
        return (
            type(x).__name__,
            tuple(_freeze(getattr(x, f.name)) for f in dataclasses.fields(x)),
        )
    return (type(x).__name__, x)


def _defining_fields(node: Node) -> list[str]:
    """The fields that determine a node's value: all but its name and meta (and a map's
    form unless it is open: then it is the definition)."""
    skip = {"name", "meta"} | (
        {"form"} if getattr(node, "table", None) is not None else set()
    )
    return [f.name for f in dataclasses.fields(node) if f.name not in skip]


def signature(node: Node) -> object:
    """Everything that determines a node's value: kind, type, operands and attributes."""
    return (node.kind, tuple((f, _freeze(getattr(node, f))) for f in _defining_fields(node)))


@register_pass("eliminate_common_subexpressions")
def eliminate_common_subexpressions(program: Program) -> Program:
    """Merge nodes that compute the same thing from the same operands (module docstring)."""
    # nodes are compared in full (tables can be large) only when kind and operands match
    alike: dict[tuple, list[Node]] = {}
    signatures: dict[str, object] = {}
    renamed: dict[str, str] = {}
    replacements: dict[str, Node | str] = {}

    def sig(node: Node) -> object:
        if node.name not in signatures:
            signatures[node.name] = signature(node)
        return signatures[node.name]

    def same(a: Node, b: Node) -> bool:
        # equal signatures need == attributes, which Python compares fast even for large
        # tables; the type-exact signatures then decide (1 == 1.0 == True are 3 values)
        fields = _defining_fields(a)
        plain = fields == _defining_fields(b) and all(
            getattr(a, f) == getattr(b, f) for f in fields
        )
        return plain and sig(a) == sig(b)

    for node in program:
        if isinstance(node, INPUT_KINDS):
            continue
        node = rename_operands(node, renamed)
        group = alike.setdefault((node.kind, node.inputs), [])
        match = next((other.name for other in group if same(other, node)), None)
        if match is not None:
            renamed[node.name] = match
            replacements[node.name] = match
        else:
            group.append(node)
    return substitute(program, replacements)
