"""Legalisation for Tracr: rewrite a program into the RASP subset Tracr compiles, exactly.

Tracr compiles ``tokens``, ``indices``, Map, SequenceMap, Select, Aggregate and
SelectorWidth, with restrictions (docs/design.md §5): no ``length``/``Full``/``ConstantSOp``, no
composite selectors, no causal selects of its own (a model is causal as a whole),
categorical aggregates that select at most one key and default to ``None``, numerical
aggregates (means) of 0/1 values only, numerical Maps discretised over Tracr's own value
inference, and no readout. :func:`legalize_for_tracr` composes small exact passes:

1. :func:`legalize_aggregates_by_bits`: ``closest``/``sum`` aggregates → selects,
   selector widths, one-key means and maps (sums of integers bit by bit);
2. :func:`lower_readout`: the readout's argmax as one table over its product-encoded
   features (at most :data:`~tpc.passes.legalize.products.MAX_PRODUCT` combinations; pooled readouts are refused);
3. :func:`lower_numerical_means`: a numerical mean → a ratio of selector widths, one per
   value or per bit (exact, categorical), except a 0/1 mean that is the program's output,
   kept as Tracr's own numerical aggregate;
4. :func:`lower_constants`: a constant → a Map of ``tokens``;
5. :func:`lower_causal_selects`: a causal select → ``select and (indices <= indices)``;
6. :func:`fuse_selector_ops`: and/or/not of selects → one select over product-encoded
   keys and queries with a table predicate;
7. :func:`tabulate_comparisons`: named comparisons whose plain Python reading (Tracr's)
   differs from the IR's (``True == 1``) → tables;
8. :func:`lower_aggregate_defaults`: a categorical mean with a default → a numerical mean
   of value codes ``c / (m + 1)`` (0 when nothing is selected) and a decoding Map, checked
   against Tracr's discretising MLP;
9. dead nodes dropped.

The result's Tracr encoding is then fixed (:func:`tracr_numerical`): numerical mean
aggregates and the Maps that feed them values are Tracr-numerical, every other node is
Tracr-categorical (numerical IR values travel as categorical values, exactly).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from fractions import Fraction

import networkx as nx

from tpc.errors import EmitError
from tpc.ir import (
    Aggregate,
    Categorical,
    Comparison,
    Constant,
    Indices,
    Map,
    Node,
    Numerical,
    Program,
    Select,
    Selector,
    SelectorOp,
    SequenceMap,
    TablePredicate,
    Tokens,
)
from tpc.ir.types import Value, value_set
from tpc.passes.legalize.aggregates import Rewriter, fewer_bits, legalize_aggregates, rewrite_each
from tpc.passes.legalize.products import apply_table, finite_values, product_node
from tpc.passes.manager import legalize, register_pass

#: Most (query, key) pairs a fused select's predicate table is evaluated on.
MAX_PREDICATE_PAIRS = 2_000_000
#: Most distinct nonzero values a numerical mean may average (one selector width each).
MAX_MEAN_VALUES = 8
#: Tracr's default ``mlp_exactness``: the slope of its discretising MLPs.
MLP_EXACTNESS = 100.0


def tracr_mlp_exactness(max_len: int) -> float:
    """The ``mlp_exactness`` to compile with: 8 times what exact selector widths need.

    Tracr reads a selector width w <= ``max_len`` off an attention output 1 / (w + 1) with a
    discretising MLP of slope L, which tells apart values at least 2 / L apart; the closest
    two, 1 / max_len and 1 / (max_len + 1), need L >= 2 max_len (max_len + 1). Tracr's
    default (100) is too coarse from ``max_len`` 7 on: its outputs leak into neighbouring
    values, and large tables downstream add the leaks up into wrong answers. Measured on
    the learned sort in ``programs/tracr`` (max_len 8): at 100, 4 of 300 random-token
    inputs wrong (none of 3,000 task inputs); at 288 (twice the minimum), 589 of 3,000
    task inputs wrong; at 1,000 and at 1,152 (this value) none of 3,000 task inputs and
    none of 500 random-token ones. The errors are not monotone in the slope, which is
    not understood yet: ``tpc tracr compile`` checks every output against the interpreter.
    """
    return max(MLP_EXACTNESS, 16.0 * max_len * (max_len + 1))



def _as_number(f: Fraction) -> int | float:
    return int(f) if f.denominator == 1 else float(f)


# ---- 3. numerical means -------------------------------------------------------------------


def _binary(values: tuple[Value, ...] | None) -> bool:
    return values is not None and all(v in (0, 1) for v in values)


def _mean_flags(
    vals: tuple[Value, ...],
) -> tuple[list[Fraction], list[Callable[[Value], bool]], bool]:
    """How a mean over ``vals`` is counted: weights and flags such that a value ``v`` is
    ``Σ weight · flag(v)``, and whether the flags are one-hot (at most one per value).

    One flag per bit when :func:`~tpc.passes.legalize.aggregates.fewer_bits` says so, else one per
    nonzero value."""
    bits = fewer_bits(vals)
    if bits is not None:
        flags = [lambda v, k=k: (int(v) >> k) & 1 == 1 for k in range(bits)]
        return [Fraction(1 << k) for k in range(bits)], flags, False
    nonzero = [v for v in vals if v != 0]
    return [Fraction(c) for c in nonzero], [lambda v, c=c: v == c for c in nonzero], True


@register_pass("lower_numerical_means")
def lower_numerical_means(program: Program) -> Program:
    """A numerical mean becomes ``Σ w · width(sel and flag(values)) / width(sel)`` in exact
    arithmetic (default where nothing is selected), with a flag per nonzero value (w: the
    value) or, for non-negative integers, per bit (w: 2 ** bit), whichever needs fewer
    selector widths. A 0/1 mean that is the program's output stays a mean (Tracr's
    numerical aggregate), fed by a numerical Map of its own."""

    def rule(b: Rewriter, node: Node) -> bool:
        if not (
            isinstance(node, Aggregate)
            and node.reduce == "mean"
            and isinstance(node.type, Numerical)
        ):
            return False
        vals = finite_values(b, node.values, node.name)
        if node.name == program.output and _binary(vals) and node.default in (None, 0):
            feed = b.map(lambda v: int(v), node.values, numerical=True, name=f"{node.name}_value")
            b.add(dataclasses.replace(node, values=feed, default=0))
            return True
        weights, flags, one_hot = _mean_flags(vals)
        if len(flags) > MAX_MEAN_VALUES:
            raise EmitError(
                f"node '{node.name}': a numerical mean over {len(flags)} distinct nonzero "
                f"values needs a selector width each (at most {MAX_MEAN_VALUES} supported)"
            )
        counts = []
        for i, flag in enumerate(flags):
            is_set = b.select(
                node.values,
                node.values,
                TablePredicate(frozenset((q, k) for q in vals for k in vals if flag(k))),
                name=f"{node.name}_is_{i}",
            )
            both = b.selector_op("and", node.sel, is_set, name=f"{node.name}_sel_{i}")
            counts.append(b.selector_width(both, name=f"{node.name}_count_{i}"))
        total_count = b.selector_width(node.sel, name=f"{node.name}_count")
        default = 0 if node.default is None else node.default

        declared = value_set(node.type)

        def mean(*widths: int) -> Value:
            *parts, n = widths
            # nothing selected, or counts that cannot occur together
            if n == 0 or any(c > n for c in parts) or (one_hot and sum(parts) > n):
                return default
            result = _as_number(sum(w * c for w, c in zip(weights, parts)) / n)
            return default if declared and result not in declared else result

        apply_table(b, mean, [*counts, total_count], node.name, node.type, node.meta)
        return True

    return rewrite_each(program, rule)


# ---- 4. constants -------------------------------------------------------------------------


@register_pass("lower_constants")
def lower_constants(program: Program) -> Program:
    """A constant becomes a Map of ``tokens`` to that value (Tracr's ``Full`` does not compile)."""

    def rule(b: Rewriter, node: Node) -> bool:
        if not isinstance(node, Constant):
            return False
        table = {t: node.value for t in program.vocab}
        b.add(Map(node.name, node.type, x=b.tokens, table=table, meta=dict(node.meta)))
        return True

    return rewrite_each(program, rule)


# ---- 5. causal selects --------------------------------------------------------------------


@register_pass("lower_causal_selects")
def lower_causal_selects(program: Program) -> Program:
    """``Select(..., causal=True)`` becomes ``Select(...) and Select(indices, indices, LEQ)``
    (Tracr's causal flag is the whole model's, not one selector's)."""
    mask: list[str] = []

    def rule(b: Rewriter, node: Node) -> bool:
        if not (isinstance(node, Select) and node.causal):
            return False
        if not mask:
            mask.append(b.select(b.indices, b.indices, "LEQ", name="causal_mask"))
        plain = b.add(
            dataclasses.replace(node, name=b.fresh(f"{node.name}_unmasked"), causal=False)
        )
        b.add(SelectorOp(node.name, Selector(), op="and", sels=(plain, mask[0]), meta=node.meta))
        return True

    return rewrite_each(program, rule)


# ---- 6. selector fusion -------------------------------------------------------------------


def _leaves(program: Program, name: str, out: dict[str, Select]) -> dict[str, Select]:
    node = program[name]
    if isinstance(node, SelectorOp):
        for s in node.sels:
            _leaves(program, s, out)
    else:
        assert isinstance(node, Select)
        if node.causal:
            raise EmitError(f"node '{name}': causal selects must be lowered before fusion")
        out[name] = node
    return out


def _holds(program: Program, name: str, keys: dict[str, Value], queries: dict[str, Value]) -> bool:
    """The selector ``name`` at one (key tuple, query tuple), operands looked up by name."""
    node = program[name]
    if isinstance(node, Select):
        return bool(node.predicate(keys[node.keys], queries[node.queries]))
    vals = [_holds(program, s, keys, queries) for s in node.sels]
    if node.op == "not":
        return not vals[0]
    return all(vals) if node.op == "and" else any(vals)


@register_pass("fuse_selector_ops")
def fuse_selector_ops(program: Program) -> Program:
    """Every selector combination that an aggregate or selector width reads becomes one
    Select: its keys (queries) are the tuple of the leaf selects' distinct key (query)
    operands, product-encoded, and its table predicate evaluates the and/or/not tree."""
    products: dict[tuple[str, ...], tuple[str, dict[Value, tuple]]] = {}

    def encoded(b: Rewriter, operands: tuple[str, ...], stem: str, owner: str):
        if operands not in products:
            products[operands] = product_node(b, operands, stem, owner)
        return products[operands]

    def rule(b: Rewriter, node: Node) -> bool:
        if not isinstance(node, SelectorOp):
            return False
        users = [program[u] for u in program.users(node.name)]
        if all(isinstance(u, SelectorOp) for u in users):
            return True  # read only by other combinations, which fuse it in
        leaves = _leaves(program, node.name, {}).values()
        key_ops = tuple(dict.fromkeys(s.keys for s in leaves))
        query_ops = tuple(dict.fromkeys(s.queries for s in leaves))
        kname, kdec = encoded(b, key_ops, f"{node.name}_keys", node.name)
        qname, qdec = encoded(b, query_ops, f"{node.name}_queries", node.name)
        if len(kdec) * len(qdec) > MAX_PREDICATE_PAIRS:
            raise EmitError(
                f"node '{node.name}': its fused predicate has {len(qdec) * len(kdec):,} "
                f"(query, key) pairs (more than {MAX_PREDICATE_PAIRS:,})"
            )
        pairs = frozenset(
            (qc, kc)
            for qc, qt in qdec.items()
            for kc, kt in kdec.items()
            if _holds(program, node.name, dict(zip(key_ops, kt)), dict(zip(query_ops, qt)))
        )
        b.add(
            Select(
                node.name,
                Selector(),
                keys=kname,
                queries=qname,
                predicate=TablePredicate(pairs),
                meta=dict(node.meta),
            )
        )
        return True

    return rewrite_each(program, rule)


# ---- 7. comparisons -----------------------------------------------------------------------


@register_pass("tabulate_comparisons")
def tabulate_comparisons(program: Program) -> Program:
    """Named comparisons that Tracr would read differently become table predicates."""

    def rule(b: Rewriter, node: Node) -> bool:
        if not (isinstance(node, Select) and isinstance(node.predicate, Comparison)):
            return False
        keys = finite_values(b, node.keys, node.name)
        queries = finite_values(b, node.queries, node.name)
        if node.predicate.python_agrees(keys, queries):
            return False
        pairs = frozenset((q, k) for q in queries for k in keys if node.predicate(k, q))
        b.add(dataclasses.replace(node, predicate=TablePredicate(pairs)))
        return True

    return rewrite_each(program, rule)


# ---- 8. categorical defaults --------------------------------------------------------------


def nearest_key(keys: Sequence[float], x: float) -> float:
    """The key closest to ``x`` (the smaller one on ties): how a Map reads a Tracr-numerical
    operand, whose value set Tracr infers differently from the IR."""
    return min(keys, key=lambda k: (abs(k - x), k))


def tracr_mean_values(values: Sequence[float], max_len: int) -> list[float]:
    """The value set Tracr infers for a numerical mean of ``values``: ``v / n``, n ≤ max_len."""
    return sorted({v / n for v in values for n in range(1, max_len + 1)})


def check_discretisation(
    owner: str, table: dict, inferred: Sequence[float], large_number: float = MLP_EXACTNESS
) -> None:
    """Raise ``EmitError`` unless Tracr's discretising MLP for a Map over a numerical operand
    gives ``table[x]`` at every ``x`` in the table (the values that really occur).

    Tracr evaluates the Map at the inferred values v_0 < v_1 < … (we look up the nearest
    table key) and steps at thresholds t_k = (v_{k-1} + v_k) / 2 with a ramp of width
    1 / large_number below each; an input is exact when no threshold where the output
    changes lies on or within a ramp's width (plus margin) above it.
    """
    keys = sorted(table)
    vs = sorted(inferred)
    outs = [table[nearest_key(keys, v)] for v in vs]
    ramp = 1.0 / large_number
    for x in keys:
        reached = outs[0]
        for k in range(1, len(vs)):
            t = (vs[k - 1] + vs[k]) / 2
            if outs[k] == outs[k - 1]:
                continue
            if x >= t + 0.1 * ramp:
                reached = outs[k]
            elif x > t - 1.1 * ramp:
                raise EmitError(
                    f"node '{owner}': Tracr's discretising MLP cannot separate the value {x!r} "
                    f"(a threshold lies at {t:.4f}); too many values to decode exactly"
                )
        if reached != table[x]:
            raise EmitError(
                f"node '{owner}': Tracr's discretising MLP decodes {x!r} as {reached!r}, "
                f"not {table[x]!r}"
            )


@register_pass("lower_aggregate_defaults")
def lower_aggregate_defaults(program: Program) -> Program:
    """A categorical mean with a default (Tracr's only give ``None``, a zero vector that no
    later MLP can read) becomes a numerical mean of the code ``(i + 1) / (m + 1)`` of its
    i-th of m values (0 where nothing is selected) and a Map decoding it back."""

    def rule(b: Rewriter, node: Node) -> bool:
        if not (
            isinstance(node, Aggregate)
            and node.reduce == "mean"
            and isinstance(node.type, Categorical)
            and node.default is not None
        ):
            return False
        vals = finite_values(b, node.values, node.name)
        scale = len(vals) + 1
        codes = {v: (i + 1) / scale for i, v in enumerate(vals)}
        code = b.map(codes.__getitem__, node.values, numerical=True, name=f"{node.name}_code")
        coded = b.add(
            Aggregate(
                b.fresh(f"{node.name}_coded"),
                Numerical((0, *codes.values())),
                sel=node.sel,
                values=code,
                reduce="mean",
                default=0,
            )
        )
        decode = {0: node.default, **{c: v for v, c in codes.items()}}
        check_discretisation(
            node.name, decode, tracr_mean_values(list(codes.values()), program.max_len)
        )
        b.add(Map(node.name, node.type, x=coded, table=decode, meta=dict(node.meta)))
        return True

    return rewrite_each(program, rule)


# ---- 9. dead nodes and the whole pipeline -------------------------------------------------


@register_pass("prune_for_tracr")
def prune(program: Program) -> Program:
    """Drop the nodes the output does not need (``tokens`` and ``indices`` stay)."""
    live = nx.ancestors(program.graph, program.output) | {program.output}
    kept = [n for n in program if n.name in live or isinstance(n, (Tokens, Indices))]
    return program.replace(kept).validate()


@register_pass("legalize_aggregates_by_bits")
def legalize_aggregates_by_bits(program: Program) -> Program:
    """:func:`~tpc.passes.legalize.aggregates.legalize_aggregates`, adding up sums of small integers
    bit by bit: Tracr tabulates a mean over every combination of per-value counts."""
    return legalize_aggregates(program, sums_by_bits=True)


@register_pass("refuse_open_maps")
def refuse_open_maps(program: Program) -> Program:
    """``program`` itself; ``EmitError`` naming a map defined by its form alone, which has
    no table for Tracr to compile."""
    for node in program:
        if isinstance(node, (Map, SequenceMap)) and node.table is None:
            what = (
                "numerical map over an unbounded value set"
                if isinstance(node.type, Numerical)
                else "map defined by its form, without a table"
            )
            raise EmitError(f"node '{node.name}': {what} ({node.form}): Tracr cannot compile it")
    return program


def legalize_for_tracr(program: Program) -> Program:
    """An equivalent program that Tracr compiles node for node (the pass manager's
    ``tracr`` legalisation, :data:`~tpc.passes.manager.LEGALIZATIONS`); ``EmitError`` (or
    ``IRError``) naming the node that has no exact Tracr form (e.g. an open map)."""
    return legalize(program, "tracr")[0]


# ---- facts about legalised programs -------------------------------------------------------


def tracr_numerical(program: Program) -> set[str]:
    """Nodes of a legalised program that Tracr encodes numerically: numerical mean
    aggregates and the Maps that feed them values."""
    out: set[str] = set()
    for node in program:
        if isinstance(node, Aggregate) and isinstance(node.type, Numerical):
            out |= {node.name, node.values}
    return out


def needs_one_key(program: Program, node: Node) -> bool:
    """Whether an aggregate of a legalised program is only right when its selector picks at
    most one key: categorical means and the value-code means of
    :func:`lower_aggregate_defaults` (every numerical mean but an output one)."""
    return isinstance(node, Aggregate) and (
        isinstance(node.type, Categorical) or node.name != program.output
    )


def _injective(program: Program, name: str) -> bool:
    """Whether distinct positions always hold distinct values of node ``name``."""
    node = program[name]
    if isinstance(node, Indices):
        return True
    if isinstance(node, (Map, SequenceMap)) and node.table is not None:
        outs = list(node.table.values())
        distinct = len({(isinstance(v, bool), v) for v in outs}) == len(outs)
        return distinct and any(_injective(program, op) for op in node.inputs)
    return False


def proves_one_key(program: Program, sel: str) -> bool:
    """A sufficient static condition for ``sel`` to select at most one key per query: its
    keys differ at every position and each query value accepts at most one key value."""
    node = program[sel]
    if not isinstance(node, Select) or not _injective(program, node.keys):
        return False
    keys = value_set(program[node.keys].type) or ()
    queries = value_set(program[node.queries].type) or ()
    return all(sum(bool(node.predicate(k, q)) for k in keys) <= 1 for q in queries)


def unproved_one_key(program: Program) -> list[str]:
    """Aggregates of a legalised program that must select at most one key but that
    :func:`proves_one_key` cannot prove so (Tracr's output is silently wrong otherwise)."""
    return [
        n.name
        for n in program
        if needs_one_key(program, n) and not proves_one_key(program, n.inputs[0])
    ]


__all__ = [
    "refuse_open_maps",
    "check_discretisation",
    "fuse_selector_ops",
    "legalize_for_tracr",
    "lower_aggregate_defaults",
    "lower_causal_selects",
    "lower_constants",
    "lower_numerical_means",
    "nearest_key",
    "needs_one_key",
    "proves_one_key",
    "prune",
    "tabulate_comparisons",
    "tracr_mean_values",
    "tracr_numerical",
    "unproved_one_key",
]
