"""Legalisation: rewrite Transformer Program aggregates into RASP primitives, exactly.

RASP (and Tracr) have only mean aggregates, selector widths and element-wise maps. The
Transformer Program's ``closest`` and ``sum`` aggregates are rewritten into those:

``closest`` over ``Select(keys, queries, pred)`` needs the predicate to *partition* the
key values: every query value selects one class of key values (or none), and distinct
classes are disjoint. Then ``match(j, i) ⇔ cls(key_j) == cls(query_i)``, and with

* ``rank[j]``  — how many keys before j are in j's class (a selector width),
* ``before[i]`` — how many matches i has at positions < i, ``upto[i]`` the same for ≤ i,

the nearest match before i is the match of rank ``before[i] − 1`` and the nearest match
after i the match of rank ``upto[i]``: each is found by a select that picks exactly one
key, so a mean aggregate of ``indices`` reads its position. Element-wise maps then apply
the docs/design.md §2 rule (closer one, earlier on ties; i itself only when it is the only match;
position 0 when nothing matches) and a last select reads the value at that position.
Transformer Program categorical heads (one key value per query value) always partition.

``sum`` of a numerical value is ``mean × width``; for integer values (counts, ``ones``)
the product table recovers the exact sum. When the values' means are too many to list
(a sum of counts at N = 16), non-negative integers are summed bit by bit: Σ_k 2^k ×
(mean of bit k × width). A sum of ``ones``-like constants is the selector width itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tpc.errors import IRError
from tpc.ir import (
    Aggregate,
    Constant,
    Indices,
    Node,
    Program,
    ProgramBuilder,
    Select,
    Tokens,
)
from tpc.ir.build import mean_values
from tpc.ir.types import Value, value_set
from tpc.passes.manager import register_pass

NO_MATCH = -1  # position code for "no such match"


class Rewriter(ProgramBuilder):
    """A builder pre-filled with a program's metadata, to which nodes are re-added in order."""

    def __init__(self, program: Program):
        super().__init__(program.vocab, program.max_len, program.bos, program.eos, program.meta)
        self.source = program
        self.reserved = set(program.nodes)  # source names not re-added yet

    def fresh(self, stem: str) -> str:
        """A name used neither so far nor by a source node still to come."""
        name, i = super().fresh(stem), 0
        while name in self.reserved:
            i += 1
            name = super().fresh(f"{stem}_{i}")
        return name

    def keep(self, node: Node) -> None:
        if not isinstance(node, (Tokens, Indices)):
            self.add(node)


def _classes(
    agg: Aggregate, node: Select, keys: tuple[Value, ...], queries: tuple[Value, ...]
) -> tuple[dict, dict]:
    """(key value → class, query value → class) if the predicate partitions the keys, else IRError."""
    key_class: dict[Value, int] = {}
    query_class: dict[Value, int] = {}
    classes: list[frozenset] = []
    for q in queries:
        chosen = frozenset(k for k in keys if node.predicate(k, q))
        if not chosen:
            query_class[q] = -2
            continue
        if chosen not in classes:
            if any(chosen & c for c in classes):
                raise IRError(
                    f"node '{agg.name}': a closest aggregate over predicate {node.predicate} (select "
                    f"'{node.name}') has no exact RASP form: two query values select overlapping "
                    "but different key sets"
                )
            classes.append(chosen)
        query_class[q] = classes.index(chosen)
    for c, members in enumerate(classes):
        for k in members:
            key_class[k] = c
    for k in keys:
        key_class.setdefault(k, NO_MATCH)
    return key_class, query_class


def _legalize_closest(b: Rewriter, agg: Aggregate) -> None:
    sel = b.source[agg.sel]
    if not isinstance(sel, Select):
        raise IRError(
            f"node '{agg.name}': closest aggregates over combined selectors cannot be legalised"
        )
    keys, queries = value_set(b.type_of(sel.keys)), value_set(b.type_of(sel.queries))
    if keys is None or queries is None:
        raise IRError(f"node '{agg.name}': its select's operands have no finite value sets")
    key_class, query_class = _classes(agg, sel, keys, queries)
    stem = agg.name
    kc = b.map(key_class.__getitem__, sel.keys, name=f"{stem}_key_class")
    qc = b.map(query_class.__getitem__, sel.queries, name=f"{stem}_query_class")
    match = b.select(kc, qc, "EQ", causal=sel.causal, name=f"{stem}_match")
    earlier = b.select(b.indices, b.indices, "LT", name=f"{stem}_earlier")
    not_later = b.select(b.indices, b.indices, "LEQ", name=f"{stem}_not_later")
    same_class = b.select(kc, kc, "EQ", name=f"{stem}_same_class")
    rank = b.selector_width(
        b.selector_op("and", same_class, earlier, name=f"{stem}_rank_sel"), name=f"{stem}_rank"
    )
    before = b.selector_width(
        b.selector_op("and", match, earlier, name=f"{stem}_before_sel"),
        name=f"{stem}_matches_before",
    )
    upto = b.selector_width(
        b.selector_op("and", match, not_later, name=f"{stem}_upto_sel"), name=f"{stem}_matches_upto"
    )
    wanted_prev = b.map(lambda n: n - 1, before, name=f"{stem}_prev_rank", form="x - 1")
    prev_sel = b.selector_op(
        "and", match, b.select(rank, wanted_prev, "EQ"), name=f"{stem}_prev_sel"
    )
    prev = b.aggregate(prev_sel, b.indices, default=NO_MATCH, name=f"{stem}_prev")
    next_sel = b.selector_op("and", match, b.select(rank, upto, "EQ"), name=f"{stem}_next_sel")
    nxt = b.aggregate(next_sel, b.indices, default=NO_MATCH, name=f"{stem}_next")
    far = 2 * b.max_len
    # forms in RASP's own syntax (no != between s-ops; `not` binds tightest)
    unmatched = f"x == {NO_MATCH}"
    d_prev = b.sequence_map(
        lambda p, i: i - p if p != NO_MATCH else far,
        prev,
        b.indices,
        name=f"{stem}_prev_dist",
        form=f"{far} if {unmatched} else y - x",
    )
    d_next = b.sequence_map(
        lambda n, i: n - i if n != NO_MATCH else far,
        nxt,
        b.indices,
        name=f"{stem}_next_dist",
        form=f"{far} if {unmatched} else x - y",
    )
    take_prev = b.sequence_map(
        lambda a, c: a < far and a <= c,
        d_prev,
        d_next,
        name=f"{stem}_take_prev",
        form=f"x < {far} and x <= y",
    )
    other = b.sequence_map(
        lambda t, p: p if t else NO_MATCH,
        take_prev,
        prev,
        name=f"{stem}_other_if_prev",
        form=f"y if x else {NO_MATCH}",
    )
    other = b.sequence_map(
        lambda o, n: o if o != NO_MATCH else n,
        other,
        nxt,
        name=f"{stem}_other",
        form=f"y if {unmatched} else x",
    )
    self_match = b.sequence_map(
        lambda k, q: k == q and k != NO_MATCH,
        kc,
        qc,
        name=f"{stem}_self_match",
        form=f"x == y and not ({unmatched})",
    )
    fallback = b.sequence_map(
        lambda s, i: i if s else 0,
        self_match,
        b.indices,
        name=f"{stem}_fallback",
        form="y if x else 0",
    )
    target = b.sequence_map(
        lambda o, f: o if o != NO_MATCH else f,
        other,
        fallback,
        name=f"{stem}_target",
        form=f"y if {unmatched} else x",
    )
    pick = b.select(b.indices, target, "EQ", name=f"{stem}_pick")
    b.add(
        Aggregate(
            agg.name,
            agg.type,
            sel=pick,
            values=agg.values,
            reduce="mean",
            default=None,
            meta=agg.meta,
        )
    )


def fewer_bits(vals: Sequence[Value]) -> int | None:
    """The bits of the largest of ``vals`` when they are non-negative integers with fewer
    bits than nonzero values (counting bits takes fewer selector widths), else None."""
    if not all(float(v) == int(v) and v >= 0 for v in vals):
        return None
    bits = int(max(vals, default=0)).bit_length()
    return bits if bits < sum(v != 0 for v in vals) else None


def _legalize_sum(b: Rewriter, agg: Aggregate, by_bits: bool = False) -> None:
    stem = agg.name
    width = b.selector_width(agg.sel, name=f"{stem}_width")
    values = b.source[agg.values]
    # the sum's declared values (e.g. narrowed to a domain by -O3): a width outside them
    # cannot occur where the program is defined, and maps to a member so that the
    # operand types of the sum's users still fit
    declared = value_set(agg.type)
    members = None if declared is None else frozenset(declared)

    def fit(total: int) -> int:
        return total if members is None or total in members else declared[0]

    if isinstance(values, Constant) and values.value == 1:
        widths = value_set(b.type_of(width)) or ()
        exact = all(fit(w) == w for w in widths)
        b.map(fit, width, numerical=True, name=agg.name, form="x" if exact else None)
    else:
        vals = value_set(values.type)
        if vals is None or any(float(v) != int(v) for v in vals):
            raise IRError(f"node '{agg.name}': only sums of integer values have an exact RASP form")
        if (by_bits and fewer_bits(vals)) or mean_values(vals, b.max_len) is None:  # the bits
            if min(vals) < 0:
                raise IRError(
                    f"node '{agg.name}': its sum is written as a mean times a count, and the "
                    f"means of {len(vals)} values over up to {b.max_len} keys are too many to "
                    "tabulate (-O3 narrows value sets to the task's inputs)"
                )
            bound = max(declared) if by_bits and declared else None
            total = _sum_of_bits(b, agg, width, [int(v) for v in vals], bound)
            exact = all(fit(t) == t for t in value_set(b.type_of(total)) or ())
            node = b.map(fit, total, numerical=True, name=agg.name, form="x" if exact else None)
            if declared and not exact:  # bit counts can add up past the sum's declared values
                b.nodes[node].meta = {"rasp": f"x if x <= {max(declared)} else {declared[0]}"}
        else:
            mean = b.aggregate(agg.sel, agg.values, reduce="mean", default=0, name=f"{stem}_mean")
            _times_width(b, mean, width, fit, agg.name)
    b.nodes[agg.name].meta = {**b.nodes[agg.name].meta, **agg.meta}


def _times_width(
    b: Rewriter, mean: str, width: str, fit: Callable[[int], int], name: str
) -> str:
    """``fit(round(mean * width))``: a sum recovered from its mean over ``width`` keys."""
    node = b.nodes[
        b.sequence_map(lambda m, w: fit(round(m * w)), mean, width, numerical=True, name=name)
    ]
    if all(out == round(m * w) for (m, w), out in node.table.items()):
        node.form = "round(x * y)"  # RASP text: one expression instead of a huge table
    return node.name


def _sum_of_bits(
    b: Rewriter, agg: Aggregate, width: str, values: list[int], bound: int | None = None
) -> str:
    """The sum of non-negative integers as sum over bits k of 2**k x (how many selected
    values have bit k): each count is a mean of 0/1 flags times the width, whose value
    sets stay small where the means of the values themselves are too many to list.

    With ``bound`` (the sum's largest declared value) a running sum past it, which cannot
    occur, becomes ``bound + 1``: its value set stays within ``bound + 2`` values."""
    total = ""  # the running sum's node; max(values) >= 1 (the values are many)
    for k in range(max(values).bit_length()):
        stem = f"{agg.name}_bit{k}"
        flag = b.map(lambda v, k=k: (int(v) >> k) & 1, agg.values, numerical=True, name=stem)
        b.nodes[flag].meta = {"rasp": f"indicator(x % {2 << k} >= {1 << k})"}
        share = b.aggregate(agg.sel, flag, reduce="mean", default=0, name=f"{stem}_mean")
        count = _times_width(b, share, width, lambda c: c, f"{stem}_count")
        if k:
            count = b.map(lambda c, k=k: c << k, count, numerical=True, name=f"{stem}_value")
            b.nodes[count].form = f"x * {1 << k}"
        if total and bound is None:
            total = b.sequence_map(
                lambda t, c: t + c, total, count, numerical=True, name=f"{agg.name}_upto{k}"
            )
            b.nodes[total].form = "x + y"
        elif total:
            total = b.sequence_map(
                lambda t, c: min(t + c, bound + 1),
                total,
                count,
                numerical=True,
                name=f"{agg.name}_upto{k}",
            )
        else:
            total = count
    return total


def rewrite_each(program: Program, rule: Callable[[Rewriter, Node], bool]) -> Program:
    """Re-add every node of ``program``; ``rule`` adds a replacement and returns True, or
    returns False to keep the node as it is."""
    b = Rewriter(program)
    for node in program:
        b.reserved.discard(node.name)
        if not rule(b, node):
            b.keep(node)
    return b.build(program.output)


@register_pass("legalize_aggregates")
def legalize_aggregates(program: Program, sums_by_bits: bool = False) -> Program:
    """Rewrite every ``closest`` and ``sum`` aggregate into selects, selector widths, mean
    aggregates and maps; other nodes are kept. Raises ``IRError`` naming a node that has no
    exact rewrite.

    A sum of non-negative integers is a mean of its values times the selector width, or,
    when their means are too many to list or ``sums_by_bits`` is set and the values have
    fewer bits than nonzero values, a sum over bits of 2 ** bit x (selected values with that
    bit set): Tracr's tables then grow with the bits, not with the values."""

    if not any(isinstance(n, Aggregate) and n.reduce in ("closest", "sum") for n in program):
        return program

    def rule(b: Rewriter, node: Node) -> bool:
        if not isinstance(node, Aggregate) or node.reduce not in ("closest", "sum"):
            return False
        if node.reduce == "closest":
            _legalize_closest(b, node)
        else:
            _legalize_sum(b, node, by_bits=sums_by_bits)
        return True

    return rewrite_each(program, rule)
