"""Dead-code elimination and dead-head pruning.

``eliminate_dead_code`` drops every node the output does not depend on (the ``tokens`` and
``indices`` inputs stay). Nothing it drops is evaluated for the output, so outputs are
unchanged wherever the input program is defined.

``prune_dead_heads`` removes readout features that cannot change the prediction, then
eliminates the heads and MLPs that only fed them. Write ``L(x)`` for a readout's logits
at feature values ``x`` (each feature ranging over its reachable values, from
:mod:`~tpc.passes.value_sets`) and ``U`` for the unmasked classes. It applies, in order:

1. **Zero features.** A feature whose contribution is exactly 0.0 on ``U`` for every
   reachable value (numerical: a zero weight vector) adds nothing: dropped, bitwise
   exactly (also for pooled readouts).
2. **Duplicate classes.** An unmasked class whose bias and rows equal, bitwise, those of
   an earlier unmasked class always ties with it and loses the tie: it is masked.
3. **Dominated classes** (finite features only). Class ``c`` is masked when some other
   unmasked ``d`` satisfies ``max_x (L_c − L_d) < −ε``; the maximum is exact because the
   difference is a sum of per-feature terms. ``c`` never wins, pooled or not.
4. **Single class.** With one unmasked class left every feature is dead.
5. **Offset features** (non-pooled, exact arithmetic). If every reachable row equals the
   first row plus a per-value constant on ``U`` (identical rows are the special case), the
   feature only shifts all logits together: its first row is folded into the bias. Applied
   only when a certificate shows the interpreter's float arithmetic is exact here (every
   term a multiple of 2^-k with Σ|terms| · 2^k ≤ 2^53, so every sum in any order is exact),
   which makes the rewrite bitwise exact, ties included.
6. **Margin analysis** (non-pooled, finite features). Let ``m`` be a lower bound on the
   winning margin ``min_x (top1(L(x)) − top2(L(x)))``, found by branch and bound over the
   product of the features' reachable values (a box's bound uses the exact per-pair
   minima of the separable differences ``L_c − L_d`` over the classes that can still win
   in it; a box is split by halving the value set of the feature that spreads most in
   it; the search stops early or after :data:`MARGIN_BUDGET` boxes, returning a bound
   that is still sound). A feature whose rows
   differ from a reference row ``r`` by at most ``S`` across classes (``S = max_v (max_c −
   min_c)(w(v) − r)``) moves any class difference by at most ``S``. Features are dropped in
   increasing ``S`` (their reference rows folded into the bias) while the dropped ``S``
   sum plus ``ε`` stays below ``m``: the winner at every ``x`` keeps a strictly positive
   lead, so the argmax cannot change. ``ε = 1e-9 · Σ|terms|`` dominates every rounding
   error of the interpreter's and this analysis's float sums (each below about
   (features + 2) · 2⁻⁵³ · Σ|terms|), and the difference between a computed numerical
   value and its value-set entry.

Pooled readouts average logits over positions, where per-position margins do not bound
the pooled margin; only rules 1–4 apply to them. A numerical feature without a finite
value set stops rules 3, 5 and 6.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
from fractions import Fraction

import numpy as np

from tpc.ir.nodes import Readout
from tpc.ir.program import Program
from tpc.passes.manager import register_pass
from tpc.passes.readout import exact_products, feature_rows
from tpc.passes.rewrite import rebuild, substitute
from tpc.passes.value_sets import ValueSets, reachable_values

#: Most boxes the margin branch and bound expands per readout.
MARGIN_BUDGET = 2000

#: Relative slack of the margin analysis over floating-point rounding.
MARGIN_SLACK = 1e-9

#: Reference rows tried per feature when measuring its spread.
SPREAD_CANDIDATES = 64


@register_pass("eliminate_dead_code")
def eliminate_dead_code(program: Program) -> Program:
    """Drop the nodes the output does not depend on (inputs stay)."""
    return rebuild(program, program)


@register_pass("prune_dead_heads")
def prune_dead_heads(program: Program) -> Program:
    """Drop readout features that cannot change the prediction, then dead code (module docstring)."""
    vs = reachable_values(program)
    return substitute(program, {n.name: _prune(n, vs) for n in program if isinstance(n, Readout)})


@dataclasses.dataclass
class _Readout:
    """A readout under analysis: bias, mask and each kept feature's rows over reachable values."""

    node: Readout
    bias: np.ndarray
    mask: np.ndarray
    keep: list[int]
    rows: list[np.ndarray | None]  # per original feature; None: no finite value set

    def unmasked(self) -> np.ndarray:
        return np.flatnonzero(self.mask)

    def drop(self, i: int, reference: np.ndarray | None = None) -> None:
        self.keep.remove(i)
        if reference is not None:
            self.bias = self.bias + reference

    def result(self) -> Readout:
        n = self.node
        return dataclasses.replace(
            n,
            features=tuple(n.features[i] for i in self.keep),
            weights=tuple(n.weights[i] for i in self.keep),
            bias=tuple(float(b) for b in self.bias),
            mask=tuple(bool(m) for m in self.mask),
        )


def _prune(node: Readout, vs: ValueSets) -> Readout:
    r = _Readout(
        node=node,
        bias=np.asarray(node.bias, dtype=np.float64),
        mask=np.asarray(node.mask, dtype=bool),
        keep=list(range(len(node.features))),
        rows=[feature_rows(w, vs.values[f]) for f, w in zip(node.features, node.weights)],
    )
    for i in list(r.keep):
        w = node.weights[i]
        contribution = np.asarray(w) if r.rows[i] is None else r.rows[i]
        if not contribution[..., r.mask].any():
            r.drop(i)
    _mask_duplicates(r)
    bounded = all(r.rows[i] is not None for i in r.keep)
    eps = MARGIN_SLACK * max(1.0, _scale(r)) if bounded else 0.0
    if bounded:
        _mask_dominated(r, eps)
    if len(r.unmasked()) == 1:
        r.keep = []
    elif bounded and not node.pooled:
        if _exact_arithmetic(r, vs):
            for i in list(r.keep):
                if _is_offset(r.rows[i][:, r.mask]):
                    r.drop(i, r.rows[i][0])
        _drop_by_margin(r, eps)
    return r.result()


def _columns(r: _Readout) -> list[np.ndarray]:
    """Per kept feature, its rows (numerical: weight vector) as class columns."""
    return [
        np.asarray(r.node.weights[i])[None, :] if r.rows[i] is None else r.rows[i] for i in r.keep
    ]


def _mask_duplicates(r: _Readout) -> None:
    stacked = np.concatenate([r.bias[None, :], *_columns(r)], axis=0)
    seen: set[bytes] = set()
    for c in r.unmasked():
        key = stacked[:, c].tobytes()
        if key in seen:
            r.mask[c] = False
        seen.add(key)


def _pair_bounds(bias: np.ndarray, rows: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Exact min and max over all feature values of ``L_c − L_d``, as ``[c, d]`` matrices."""
    lo = bias[:, None] - bias[None, :]
    hi = lo.copy()
    for rows_f in rows:
        diff = rows_f[:, :, None] - rows_f[:, None, :]
        lo = lo + diff.min(0)
        hi = hi + diff.max(0)
    return lo, hi


def _scale(r: _Readout) -> float:
    cols = r.unmasked()
    return float(np.abs(r.bias[cols]).max() + sum(np.abs(r.rows[i][:, cols]).max() for i in r.keep))


def _mask_dominated(r: _Readout, eps: float) -> None:
    cols = r.unmasked()
    _, hi = _pair_bounds(r.bias[cols], [r.rows[i][:, cols] for i in r.keep])
    np.fill_diagonal(hi, np.inf)
    r.mask[cols[(hi < -eps).any(1)]] = False


def _exact_arithmetic(r: _Readout, vs: ValueSets) -> bool:
    """The certificate of rule 5: every partial sum of the logits is exact in float64."""
    node, cols = r.node, r.unmasked()
    if not all(exact_products(node.weights[i], vs.values[node.features[i]]) for i in r.keep):
        return False
    terms = [r.bias[cols], *(r.rows[i][:, cols] for i in r.keep)]
    if not all(np.isfinite(t).all() for t in terms):
        return False
    k = max(x.as_integer_ratio()[1].bit_length() - 1 for t in terms for x in np.ravel(t).tolist())
    total = sum(Fraction(float(np.abs(t).max())) for t in terms)
    return total * 2**k <= 2**53


def _is_offset(rows: np.ndarray) -> bool:
    """Every row minus the first is the same number in every column (exact rationals)."""
    for row in rows[1:]:
        deltas = {Fraction(float(a)) - Fraction(float(b)) for a, b in zip(row, rows[0])}
        if len(deltas) > 1:
            return False
    return True


def _spread(rows: np.ndarray) -> tuple[float, int]:
    """``(S, v0)``: the worst-case class spread of ``rows − rows[v0]``, for the best v0 tried.

    Every ``v0`` is tried for up to :data:`SPREAD_CANDIDATES` rows, evenly spaced ones
    beyond (any ``v0`` gives a valid bound).
    """
    n = len(rows)
    tried = range(n) if n <= SPREAD_CANDIDATES else np.linspace(0, n - 1, SPREAD_CANDIDATES)
    return min((float(np.ptp(rows - rows[int(v0)], axis=1).max()), int(v0)) for v0 in tried)


def _drop_by_margin(r: _Readout, eps: float) -> None:
    cols = r.unmasked()
    spreads = {i: _spread(r.rows[i][:, cols]) for i in r.keep}
    if not spreads:
        return
    target = sum(s for s, _ in spreads.values()) + eps
    floor = min(s for s, _ in spreads.values()) + eps
    margin = min_margin(r.bias[cols], [r.rows[i][:, cols] for i in r.keep], target, floor)
    dropped = 0.0
    for i in sorted(r.keep, key=lambda i: (spreads[i][0], i)):
        s, v0 = spreads[i]
        if dropped + s + eps < margin:
            r.drop(i, r.rows[i][v0])
            dropped += s


def min_margin(bias: np.ndarray, rows: list[np.ndarray], enough: float, useless: float) -> float:
    """A lower bound on ``min_x top1(L(x)) − top2(L(x))`` for ``L = bias + Σ_f rows_f[x_f]``.

    Branch and bound (module docstring, rule 6): a box gives each feature a set of its
    values; it is split by halving the set of the feature whose rows spread most in it.
    The search may stop as soon as the bound reaches ``enough`` or a point with margin
    ≤ ``useless`` is found, or after :data:`MARGIN_BUDGET` boxes. One class: ``inf``.
    """
    n_classes = len(bias)
    if n_classes < 2:
        return np.inf
    diffs = [f[:, :, None] - f[:, None, :] for f in rows]
    off_diag = ~np.eye(n_classes, dtype=bool)

    def point_margin(logits: np.ndarray) -> float:
        top = np.sort(logits)
        return float(top[-1] - top[-2])

    def lower_bound(lo: np.ndarray, hi: np.ndarray) -> float:
        winners = np.where(off_diag, hi, 0.0).min(1) >= 0
        if not winners.any():
            return 0.0
        return max(0.0, float(np.where(off_diag, lo, np.inf)[winners].min()))

    # a box: per feature the value indices still open; ``point``: logits at their firsts
    root = tuple(np.arange(len(f)) for f in rows)
    point = bias + sum((f[0] for f in rows), np.zeros(n_classes))
    lo, hi = _pair_bounds(bias, rows)
    best = point_margin(point)
    counter = itertools.count()
    heap = [(lower_bound(lo, hi), next(counter), root, lo, hi, point)]
    for _ in range(MARGIN_BUDGET):
        if not heap or best <= useless or heap[0][0] >= min(best, enough):
            break
        _, _, box, lo, hi, point = heapq.heappop(heap)
        spread = [
            np.ptp(diffs[i][idx], axis=0).max() if len(idx) > 1 else -1.0
            for i, idx in enumerate(box)
        ]
        split = int(np.argmax(spread))
        if spread[split] < 0:
            continue  # a point: its margin is already in ``best``
        idx = box[split]
        sub = diffs[split][idx]
        lo_rest, hi_rest = lo - sub.min(0), hi - sub.max(0)
        for half in (idx[: len(idx) // 2], idx[len(idx) // 2 :]):
            part = diffs[split][half]
            c_lo, c_hi = lo_rest + part.min(0), hi_rest + part.max(0)
            c_point = point - rows[split][idx[0]] + rows[split][half[0]]
            child = (*box[:split], half, *box[split + 1 :])
            best = min(best, point_margin(c_point))
            heapq.heappush(
                heap, (lower_bound(c_lo, c_hi), next(counter), child, c_lo, c_hi, c_point)
            )
    return min(best, heap[0][0]) if heap else best
