"""A readout's contributions as rows, and when its float64 sums do not depend on order.

The interpreter computes ``bias + row_1 + row_2 + ...`` in float64, feature by feature
(:class:`tpc.ir.nodes.Readout`). A back end that wants to add the same numbers in another
order (a C-level ``sum``, pre-combined tables) may do so exactly when every partial sum is
representable: then each addition is exact and the order cannot change the result.
:func:`sums_are_exact` decides that from the weights alone.
"""

from __future__ import annotations

from fractions import Fraction

from tpc.ir.nodes import Readout
from tpc.ir.program import Program
from tpc.ir.types import Value, value_set

#: float64 represents every integer of magnitude at most 2 ** 53 exactly.
_MANTISSA_BITS = 53


def contribution_rows(
    program: Program, node: Readout
) -> list[dict[Value, tuple[float, ...]]] | None:
    """Each feature's contribution per value: a categorical feature's weight rows as they
    are, a numerical feature's ``value * weight`` rows (the products the interpreter forms)
    over its value set; ``None`` when a numerical feature's value set is unknown."""
    rows = []
    for feature, w in zip(node.features, node.weights):
        if isinstance(w, dict):
            rows.append(dict(w))
            continue
        values = value_set(program[feature].type)
        if values is None:
            return None
        rows.append({v: tuple(float(v) * x for x in w) for v in values})
    return rows


def sums_are_exact(
    bias: tuple[float, ...], rows: list[dict[Value, tuple[float, ...]]]
) -> bool:
    """True when ``bias`` plus any one row of each of ``rows``, added in any order and
    grouping in float64, is computed without rounding.

    Every term is an integer multiple of 2**-q (q: the finest binary digit among the
    terms); every partial sum is then a multiple of 2**-q bounded per class by
    ``|bias| + sum of the largest |term| per feature``, so it is exact when that bound
    times 2**q is at most 2**53.
    """
    terms = [bias, *(r for rows_f in rows for r in rows_f.values())]
    flat = [x for row in terms for x in row]
    if not all(x == x and abs(x) != float("inf") for x in flat):
        return False
    q = max((x.as_integer_ratio()[1].bit_length() - 1 for x in flat), default=0)
    for c in range(len(bias)):
        bound = abs(Fraction(bias[c])) + sum(
            (
                max(abs(Fraction(r[c])) for r in rows_f.values())
                for rows_f in rows
                if rows_f
            ),
            Fraction(0),
        )
        if bound * 2**q > 2**_MANTISSA_BITS:
            return False
    return True
