"""The model's optional inputs → IR (:mod:`tpc.model.extras`), exactly as the discrete
model computes them.

* ``prefix_count`` → ``SelectorWidth`` of ``Select(tokens, tokens, EQ) and
  Select(indices, indices, LEQ)`` (query i selects key j iff tokens[j] == tokens[i] and
  j <= i), then a numerical ``Map`` onto 1..N (:func:`lower_prefix_count`);
* ``expert`` → per content symbol a ``SelectorWidth`` counting it, the router's logits as
  chains of open maps in the model's float64 order, the first argmax and the experts'
  values as small tables (:func:`lower_experts`); a numerical head summing a multiple of
  ``expert`` gets its exact value set from here (:func:`expert_multiple_sum`).
"""

from __future__ import annotations

from fractions import Fraction

from tpc.ir import Aggregate, Numerical, ProgramBuilder, TablePredicate
from tpc.ir.forms import literal
from tpc.ir.types import value_set
from tpc.lower.errors import LoweringError


def lower_prefix_count(b: ProgramBuilder) -> None:
    """``prefix_count``: at i, how many real positions j <= i hold tokens[i]. The width
    is never 0 at a real position (i selects itself), so the map sends 0 to 1 and the
    value set is 1..N."""
    same = b.select(b.tokens, b.tokens, "EQ", name="prefix_count_same_token")
    upto = b.select(b.indices, b.indices, "LEQ", name="prefix_count_up_to")
    sel = b.selector_op("and", same, upto, name="prefix_count_select")
    width = b.selector_width(sel, name="prefix_count_width")
    node = b.map(lambda w: max(w, 1), width, numerical=True, name="prefix_count")
    for name in (same, upto, sel, width, node):
        b.nodes[name].meta = {"weights": "none (prefix_counts)"}


def lower_experts(b: ProgramBuilder, router) -> None:
    """``expert`` (:mod:`tpc.model.extras`), exactly as the discrete model computes it.

    * ``expert_count_t``: the count of content symbol t, the width of
      ``select(tokens, tokens, key == t)``; ``expert_total``: the count of every content
      symbol, the width of ``select(tokens, tokens, key in symbols)``;
    * ``expert_logit_e``: ``b[e] + count_0 * w[e, 0]``, then ``+ count_t * w[e, t]``
      for t = 1..S-1, one open map per term: float64, each product and sum rounded, as
      the model computes them (weights are float32 values, written exactly);
    * ``expert_best_e``: the running maximum of the logits, ``expert_is_e``: logit e equals
      the maximum, ``expert_choice``: the first such e (the model's argmax);
    * the experts' values e0 .. e3 as chains of small tables over the counts, and
      ``expert``: the chosen one's value (``expert_pick_e`` carries ``-c`` while expert
      c > e is still to come).
    """
    meta = {"weights": "router.weight, router.bias"}
    symbols = [t for t in router.symbols if t in b.vocab]
    if len(symbols) != len(router.symbols):
        raise LoweringError("the expert router counts a token outside the program's vocabulary")
    start = len(b.nodes)
    counts = []
    for i, sym in enumerate(symbols):
        sel = b.select(
            b.tokens,
            b.tokens,
            TablePredicate(frozenset((q, sym) for q in b.vocab)),
            name=f"expert_select_{i}",
        )
        counts.append(b.selector_width(sel, name=f"expert_count_{i}"))
        b.nodes[counts[-1]].meta = {"symbol": sym}
    every = TablePredicate(frozenset((q, k) for q in b.vocab for k in symbols))
    total = b.selector_width(
        b.select(b.tokens, b.tokens, every, name="expert_select_all"), name="expert_total"
    )
    # the router's logits, in the model's order
    logits = []
    for e in range(len(router.bias)):
        bias = float(router.bias[e])
        if not symbols:
            logits.append(b.constant(bias, numerical=True, name=f"expert_logit_{e}"))
            continue
        node = b.open_map(
            f"{_literal(bias)} + (x * {_literal(float(router.weight[e, 0]))})",
            counts[0],
            name=f"expert_logit_{e}" if len(symbols) == 1 else f"expert_logit_{e}_0",
        )
        for t in range(1, len(symbols)):
            node = b.open_map(
                f"x + (y * {_literal(float(router.weight[e, t]))})",
                node,
                counts[t],
                name=f"expert_logit_{e}" if t == len(symbols) - 1 else f"expert_logit_{e}_{t}",
            )
        logits.append(node)
    # the first argmax
    best = logits[0]
    for e in range(1, len(logits)):
        best = b.open_map("y if y > x else x", best, logits[e], name=f"expert_best_{e}")
    choice = None
    last = len(logits) - 1
    for e in range(last):
        is_e = b.open_map("x == y", logits[e], best, name=f"expert_is_{e}")
        if choice is None:
            choice = b.table_map({True: 0, False: -1}, is_e, name="expert_choice_0")
            continue
        choice = b.table_map(
            {
                (c, m): c if c >= 0 else (e if m else -1)
                for c in range(-1, e)
                for m in (False, True)
            },
            choice,
            is_e,
            name=f"expert_choice_{e}",
        )
    # no earlier logit is the maximum: the last one is
    choice = b.map(lambda c: c if c >= 0 else last, choice, name="expert_choice")
    # the experts' values
    top = counts[0] if counts else b.constant(0, name="expert_max")
    for t in range(1, len(counts)):
        top = b.sequence_map(
            max, top, counts[t], name="expert_max" if t == len(counts) - 1 else None
        )
    ratio = b.sequence_map(
        lambda m, n: m / n if n else 0.0, top, total, numerical=True, name="expert_ratio"
    )
    nonzero = b.constant(0, name="expert_nonzero") if not counts else None
    for t, count in enumerate(counts):
        name = "expert_nonzero" if t == len(counts) - 1 else None
        nonzero = (
            b.map(lambda c: int(c > 0), count, name=name)
            if nonzero is None
            else b.sequence_map(lambda n, c: n + int(c > 0), nonzero, count, name=name)
        )
    changes = b.constant(0, name="expert_changes") if len(counts) < 2 else None
    for t in range(1, len(counts)):
        last_pair = t == len(counts) - 1
        differs = b.sequence_map(
            lambda x, y: int(x != y),
            counts[t - 1],
            counts[t],
            name="expert_changes" if last_pair and changes is None else f"expert_differs_{t}",
        )
        changes = (
            differs
            if changes is None
            else b.sequence_map(
                lambda x, y: x + y, changes, differs, name="expert_changes" if last_pair else None
            )
        )
    # the chosen expert's value: pick_e holds the value once expert e was chosen, else -c
    pick = b.sequence_map(
        lambda c, v: float(v) if c == 0 else -c, choice, total, numerical=True, name="expert_pick_0"
    )
    for e, value in ((1, ratio), (2, nonzero), (3, changes)):
        pick = b.sequence_map(
            lambda p, v, e=e: float(v) if p == -e else p,
            pick,
            value,
            numerical=True,
            name=f"expert_pick_{e}",
        )
    b.map(lambda p: 0.0 if p == -4 else p, pick, numerical=True, name="expert")
    for name in list(b.nodes)[start:]:
        b.nodes[name].meta = {**meta, **b.nodes[name].meta}


def expert_multiple_sum(b: ProgramBuilder, name: str, sel: str, value: str, most: int) -> str:
    """The numerical head ``name`` summing ``value`` over ``sel``, where ``value`` (and so
    the sum) is an integer multiple 0..``most`` of ``expert``, one value per sequence. Its
    value set is every such multiple, exactly; value-set inference
    (:mod:`tpc.passes.value_sets`) cannot know that the summed values are equal within a
    sequence, and gives up on sums this wide."""
    values = value_set(b.type_of("expert")) or ()
    sums = {float(k * Fraction(v)) for k in range(most + 1) for v in values}
    node = Aggregate(
        name,
        Numerical(tuple(sorted(int(x) if x.is_integer() else x for x in sums))),
        sel=sel,
        values=value,
        reduce="sum",
    )
    return b.add(node)


def _literal(x: float) -> str:
    """A float64 as form text that reads back as the same float64."""
    text = literal(float(x))
    if text is None:
        raise LoweringError(f"the expert router has a weight {x!r} that is not finite")
    return text
