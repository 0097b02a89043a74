"""Value-set inference: which values each node can take at a valid position.

The analysis runs forward in evaluation order and over-approximates, so every value a
node takes on some input at a position inside the input is in its inferred set:

* ``tokens``: the vocabulary (no assumption about where ``bos`` stands); ``indices``:
  0..max_len−1; ``Constant``: its value.
* ``Map``: the image of its operand's set. ``SequenceMap``: the image of the operand
  *pairs* that can meet at one position. An open map (defined by its form, no table)
  keeps its declared type (``Numerical(None)`` stays open) and counts as a leaf below. Element-wise nodes (maps, constants) are
  functions of the non-element-wise nodes below them (inputs, aggregates, widths) at the
  same position; when those "leaves" have at most :data:`JOINT_LIMIT` value
  combinations the pairs are enumerated through them (``SequenceMap(t, f(t))`` only
  meets ``(v, f(v))``); otherwise the full product is used. Treating leaves as
  independent is the over-approximation that keeps this sound.
* selectors: whether a query always selects its own position (the predicate holds on
  every key/query pair that meets at one position) and whether nothing is ever
  selected (no reachable key/query pair satisfies it). A query then selects between
  ``lo`` (1 when it selects itself, else 0) and ``hi`` (0 when nothing, else max_len)
  keys.
* ``closest``: the values' set; ``sum``: every sum of lo..hi values of the set;
  ``mean``: every mean of 1..hi values, plus the default when ``lo`` is 0 (categorical:
  the values' set plus the default); ``SelectorWidth``: lo..hi; ``Readout``: the unmasked
  classes.

Numerical sums and means are computed exactly (fractions) and matched to the declared
value set with the interpreter's tolerance. Declared numerical value sets are trusted
(the interpreter checks them wherever it looks a value up); an inferred value outside
them is dropped.

:func:`infer_value_sets` then shrinks every type it may to the inferred set (not the
``tokens``/``indices`` inputs, whose types are fixed, nor selector widths, typed
0..max_len by definition; a closest aggregate keeps its values' type), drops table rows,
predicate pairs and readout weight rows of values that cannot occur, and fills table
entries that are still required by an operand's type but unreachable (a width that never
occurs, an operand pair that never meets) with a value the node already takes, so the
filled entries cannot widen its type. Values at padding positions are never observed
(keys there are never selected, outputs are trimmed), so none of this changes any output.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from tpc.ir.build import MAX_INFERRED_VALUES, mean_values
from tpc.ir.interp import NUMERIC_TOL
from tpc.ir.nodes import (
    Aggregate,
    Comparison,
    Constant,
    Indices,
    Map,
    Node,
    Readout,
    Select,
    SelectorOp,
    SelectorWidth,
    SequenceMap,
    TablePredicate,
    Tokens,
)
from tpc.ir.program import Program
from tpc.ir.types import Categorical, Numerical, Type, Value, tag, unique, value_set
from tpc.passes.manager import register_pass
from tpc.passes.rewrite import rebuild, same_value

#: Largest number of leaf value combinations enumerated to find the pairs that meet.
JOINT_LIMIT = 4096

#: Widest range of sums (in steps of the values' common denominator) ``_sums`` enumerates.
MAX_SUM_SPAN = 1 << 22

Values = tuple[Value, ...]


@dataclass(frozen=True)
class SelectorFacts:
    """What is known about a selector at every valid query position."""

    self_selected: bool  #: the query's own position is always selected
    never_self: bool  #: the query's own position is never selected
    empty: bool  #: no key is ever selected


@dataclass
class ValueSets:
    """The result of the analysis: reachable values per node, facts per selector."""

    program: Program
    values: dict[str, Values | None] = field(default_factory=dict)
    selectors: dict[str, SelectorFacts] = field(default_factory=dict)
    _support: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _order: dict[str, int] = field(default_factory=dict, repr=False)

    def count_range(self, sel: str) -> tuple[int, int]:
        """Bounds ``(lo, hi)`` on how many keys ``sel`` selects for a valid query."""
        facts = self.selectors[sel]
        return (
            1 if facts.self_selected else 0,
            0 if facts.empty else self.program.max_len,
        )

    def joint(self, names: Sequence[str]) -> list[tuple[Value, ...]] | None:
        """The value tuples ``names`` can take together at one position, or ``None``.

        ``None`` when a leaf has no finite set or the leaves have more than
        :data:`JOINT_LIMIT` combinations.
        """
        leaves = sorted(
            set().union(*(self._support[n] for n in names)), key=self._order.get
        )
        sets = [self.values[leaf] for leaf in leaves]
        if (
            any(s is None for s in sets)
            or math.prod(len(s) for s in sets) > JOINT_LIMIT
        ):
            return None
        seen: dict[tuple, tuple[Value, ...]] = {}
        for combo in itertools.product(*sets):
            env = dict(zip(leaves, combo))
            row = tuple(self._eval(n, env) for n in names)
            seen.setdefault(tuple(tag(v) for v in row), row)
        return list(seen.values())

    def pairs(self, x: str, y: str) -> list[tuple[Value, Value]]:
        """The ``(x, y)`` value pairs that can meet at one position (both finite)."""
        xs, ys = self.values[x], self.values[y]
        assert xs is not None and ys is not None, (x, y)
        if x == y:
            return [(v, v) for v in xs]
        found = self.joint((x, y))
        return list(itertools.product(xs, ys)) if found is None else found  # type: ignore[return-value]

    def _eval(self, name: str, env: dict[str, Value]) -> Value:
        """An element-wise node's value given its leaves' values (memoised in ``env``)."""
        if name not in env:
            node = self.program[name]
            if isinstance(node, Constant):
                env[name] = node.value
            elif isinstance(node, Map):
                env[name] = node.table[self._eval(node.x, env)]
            else:
                assert isinstance(node, SequenceMap)
                env[name] = node.table[
                    (self._eval(node.x, env), self._eval(node.y, env))
                ]
        return env[name]


def reachable_values(program: Program) -> ValueSets:
    """Run the analysis (see the module docstring) on a validated program."""
    vs = ValueSets(program)
    for i, node in enumerate(program):
        vs._order[node.name] = i
        if isinstance(node, (Constant, Map, SequenceMap)) and not _is_open(node):
            vs._support[node.name] = tuple(
                sorted(
                    set().union(*(vs._support[op] for op in node.inputs)),
                    key=vs._order.get,
                )
            )
        else:
            vs._support[node.name] = (node.name,)
        if isinstance(node, (Select, SelectorOp)):
            vs.selectors[node.name] = _selector_facts(node, vs)
        else:
            vs.values[node.name] = _fit(node.type, _infer(node, vs))
    return vs


def _infer(node: Node, vs: ValueSets) -> Values | None:
    """The inferred values of a non-selector node, before matching its declared type."""
    if isinstance(node, (Tokens, Indices)):
        return value_set(node.type)
    if isinstance(node, Constant):
        return (node.value,)
    if _is_open(node):
        return value_set(node.type)
    if isinstance(node, Map):
        return unique(map(node.table.__getitem__, vs.values[node.x] or ()))
    if isinstance(node, SequenceMap):
        return unique(map(node.table.__getitem__, vs.pairs(node.x, node.y)))
    if isinstance(node, SelectorWidth):
        lo, hi = vs.count_range(node.sel)
        return tuple(range(lo, hi + 1))
    if isinstance(node, Readout):
        return tuple(c for c, keep in zip(node.classes, node.mask) if keep)
    assert isinstance(node, Aggregate)
    vals = vs.values[node.values]
    if node.reduce == "closest" or vals is None:
        return vals
    lo, hi = vs.count_range(node.sel)
    if node.reduce == "sum":
        return _sums(vals, lo, hi)
    if isinstance(node.type, Categorical):  # no default: selecting nothing is an error
        return unique(
            (*vals, *((node.default,) if lo == 0 and node.default is not None else ()))
        )
    means = mean_values(vals, hi) if hi >= 1 else ()
    if means is None:
        return None
    return (
        *means,
        *((0 if node.default is None else node.default,) if lo == 0 else ()),
    )


def _is_open(node: Node) -> bool:
    """A Map/SequenceMap defined by its form alone (no table)."""
    return isinstance(node, (Map, SequenceMap)) and node.table is None


def _selector_facts(node: Select | SelectorOp, vs: ValueSets) -> SelectorFacts:
    if isinstance(node, SelectorOp):
        a = vs.selectors[node.sels[0]]
        if node.op == "not":  # selects exactly the valid keys ``a`` does not
            return SelectorFacts(a.never_self, a.self_selected, empty=False)
        b = vs.selectors[node.sels[1]]
        if node.op == "and":
            return SelectorFacts(
                a.self_selected and b.self_selected,
                a.never_self or b.never_self,
                a.empty or b.empty,
            )
        return SelectorFacts(
            a.self_selected or b.self_selected,
            a.never_self and b.never_self,
            a.empty and b.empty,
        )
    pred = node.predicate
    keys, queries = vs.values.get(node.keys), vs.values.get(node.queries)
    if keys is None or queries is None:
        true, false = pred == Comparison("TRUE"), pred == Comparison("FALSE")
        return SelectorFacts(true, false, false)
    same_position = [bool(pred(k, q)) for k, q in vs.pairs(node.keys, node.queries)]
    empty = not any(pred(k, q) for q in queries for k in keys)
    return SelectorFacts(all(same_position), not any(same_position), empty)


def _sums(values: Values, lo: int, hi: int) -> Values | None:
    """Every sum of lo..hi values drawn (with repetition) from ``values``; exact.

    The values are scaled to integers by their common denominator; the sums of ``n + 1``
    values are the sums of ``n`` values convolved with the values' indicator. ``None``
    when the sums span more than :data:`MAX_SUM_SPAN` steps or number more than
    ``MAX_INFERRED_VALUES``.
    """
    base = sorted({Fraction(v) for v in values})
    den = math.lcm(*(f.denominator for f in base))
    ints = [int(f * den) for f in base]
    low, width = ints[0], ints[-1] - ints[0]
    if hi * width >= MAX_SUM_SPAN:
        return None
    step = np.zeros(width + 1, dtype=np.int64)
    step[[i - low for i in ints]] = 1
    level = np.ones(1, dtype=np.int64)  # the sum of no values, 0, at offset 0
    found: set[int] = set()
    for count in range(hi + 1):
        if count >= lo:
            found.update((np.flatnonzero(level) + count * low).tolist())
            if len(found) > MAX_INFERRED_VALUES:
                return None
        if count < hi:
            level = (np.convolve(level, step) > 0).astype(np.int64)
    return tuple(
        s // den if s % den == 0 else float(Fraction(s, den)) for s in sorted(found)
    )


def _fit(t: Type, inferred: Values | None) -> Values | None:
    """The inferred values expressed in the declared type: its own values, in its order."""
    declared = value_set(t)
    if not inferred:
        return declared
    if declared is None:
        return tuple(Numerical(inferred).values or ())
    if isinstance(t, Categorical):
        tags = {tag(v) for v in inferred}
        kept = tuple(v for v in declared if tag(v) in tags)
    else:
        known = np.asarray([float(v) for v in declared])
        got = np.sort(np.asarray([float(v) for v in inferred]))
        above = np.clip(np.searchsorted(got, known), 0, len(got) - 1)
        below = np.clip(above - 1, 0, len(got) - 1)
        hit = np.isclose(known, got[above], rtol=NUMERIC_TOL, atol=NUMERIC_TOL)
        hit |= np.isclose(known, got[below], rtol=NUMERIC_TOL, atol=NUMERIC_TOL)
        kept = tuple(v for v, ok in zip(declared, hit) if ok)
    return kept or declared  # nothing matched: the declared set is all we can say


def _shrunk_type(node: Node, reach: Values | None) -> Type:
    if reach is None:
        return node.type
    return (
        Categorical(reach) if isinstance(node.type, Categorical) else Numerical(reach)
    )


@register_pass("infer_value_sets")
def infer_value_sets(program: Program) -> Program:
    """Shrink types, tables and readout rows to the values that can occur (module docstring)."""
    return shrink_to(program, reachable_values(program))


def shrink_to(program: Program, vs: ValueSets) -> Program:
    """Shrink types, tables, predicates and readout rows to the values ``vs`` says occur."""
    types: dict[str, Type] = {}
    out: list[Node] = []
    for node in program:
        new = _shrink(node, vs, types)
        types[node.name] = new.type
        out.append(new)
    return rebuild(program, out)


def _shrink(node: Node, vs: ValueSets, types: dict[str, Type]) -> Node:
    reach = vs.values.get(node.name)
    if isinstance(node, (Tokens, Indices, SelectorWidth, SelectorOp)) or _is_open(node):
        return node
    if isinstance(node, Select):
        keys, queries = vs.values[node.keys], vs.values[node.queries]
        if (
            not isinstance(node.predicate, TablePredicate)
            or keys is None
            or queries is None
        ):
            return node
        pred = node.predicate
        pairs = frozenset((q, k) for q in queries for k in keys if pred(k, q))
        return dataclasses.replace(node, predicate=TablePredicate(pairs))
    if isinstance(node, Constant):
        return dataclasses.replace(node, type=_shrunk_type(node, reach))
    if isinstance(node, (Map, SequenceMap)):
        fill = _map_table if isinstance(node, Map) else _sequence_map_table
        table = fill(node, vs, types)
        # a form describes the whole table: it goes when a filled entry changed
        kept = all(same_value(out, node.table[k]) for k, out in table.items())
        return dataclasses.replace(
            node,
            type=_shrunk_type(node, reach),
            table=table,
            form=node.form if kept else None,
        )
    if isinstance(node, Aggregate):
        if node.reduce == "closest":
            return dataclasses.replace(node, type=types[node.values])
        if isinstance(node.type, Categorical):
            wanted = {tag(v) for v in value_set(types[node.values]) or ()}
            wanted |= {tag(node.default)} if node.default is not None else set()
            kept = tuple(v for v in node.type.values if tag(v) in wanted)
            return dataclasses.replace(node, type=Categorical(kept))
        return dataclasses.replace(node, type=_shrunk_type(node, reach))
    assert isinstance(node, Readout)
    weights = tuple(
        {v: w[v] for v in value_set(types[f]) or ()} if isinstance(w, dict) else w
        for f, w in zip(node.features, node.weights)
    )
    return dataclasses.replace(node, weights=weights)


def _map_table(node: Map, vs: ValueSets, types: dict[str, Type]) -> dict:
    """The table over the operand's type; an unreachable row keeps its entry when the node
    takes that value anyway, else takes the first reachable row's."""
    reach = vs.values[node.x] or ()
    image = {tag(node.table[v]) for v in reach}
    first = node.table[reach[0]]
    return {
        v: node.table[v] if tag(node.table[v]) in image else first
        for v in value_set(types[node.x]) or ()
    }


def _sequence_map_table(
    node: SequenceMap, vs: ValueSets, types: dict[str, Type]
) -> dict:
    """The table over the shrunk operand types, unreachable pairs filled.

    When the reachable entries depend on one operand only, an unreachable pair takes the
    first reachable output with the same value of that operand (so ``fold_constants``
    can drop the other operand); otherwise it keeps its entry if the node takes that
    value anyway, else takes the first reachable output in its row. A row or column
    without reachable pairs takes the first reachable output.
    """
    xs, ys = value_set(types[node.x]) or (), value_set(types[node.y]) or ()
    reach = {(tag(a), tag(b)): node.table[(a, b)] for a, b in vs.pairs(node.x, node.y)}
    if len(reach) == len(xs) * len(ys):  # every pair is reachable: nothing to fill
        return {key: node.table[key] for key in itertools.product(xs, ys)}
    image = {tag(out) for out in reach.values()}
    first = next(iter(reach.values()))

    def depends_only_on(axis: int) -> bool:
        seen: dict = {}
        return all(
            seen.setdefault(key[axis], tag(out)) == tag(out)
            for key, out in reach.items()
        )

    firsts: tuple[dict, dict] = (
        {},
        {},
    )  # per axis: an operand value -> its first output
    for k, out in reach.items():
        firsts[0].setdefault(k[0], out)
        firsts[1].setdefault(k[1], out)

    def along(key: tuple, axis: int) -> Value:
        return firsts[axis].get(key[axis], first)

    axis = 0 if depends_only_on(0) else 1 if depends_only_on(1) else None
    table = {}
    for a in xs:
        for b in ys:
            key, out = (tag(a), tag(b)), node.table[(a, b)]
            if key in reach:
                table[(a, b)] = out
            elif axis is not None:
                table[(a, b)] = along(key, axis)
            else:
                table[(a, b)] = out if tag(out) in image else along(key, 0)
    return table
