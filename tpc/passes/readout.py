"""Readout folding: a readout that reads at most two features becomes a lookup table.

``fold_readout`` replaces a (non-pooled) ``Readout`` whose distinct features number at
most two, each categorical or numerical with a finite set of *integer* values, and whose
operand types have at most :data:`FOLD_LIMIT` value combinations, by a ``Map`` (one
feature), ``SequenceMap`` (two) or ``Constant`` (none) from the feature values to the
predicted class. The table is computed with exactly the interpreter's floating-point
operations, in its order (bias, then each feature's row added in feature order, masked
classes set to −inf, argmax with the first class on ties), so every entry is bitwise the
interpreter's answer. Numerical features must be integer-valued because the interpreter
multiplies the *computed* value, which equals its value-set entry exactly only for
integers (sums and means of integers that are integers are exact in floating point).
Pooled readouts average over positions and cannot be tabulated per position; they stay.
"""

from __future__ import annotations

import math

import numpy as np

from tpc.ir.nodes import Constant, Map, Node, Readout, SequenceMap
from tpc.ir.program import Program
from tpc.ir.types import Numerical, Value, unique, value_set
from tpc.passes.manager import register_pass
from tpc.passes.rewrite import substitute

#: Largest table ``fold_readout`` writes.
FOLD_LIMIT = 4096


def feature_rows(weights, values: tuple[Value, ...] | None) -> np.ndarray | None:
    """A feature's contribution to the logits for each of ``values``: ``[len(values), classes]``.

    Categorical features contribute their weight row; numerical ones ``value · weights``
    (the interpreter's product). ``None`` for a numerical feature without a finite set.
    """
    if isinstance(weights, dict):
        return np.array([weights[v] for v in values or ()], dtype=np.float64).reshape(
            len(values or ()), -1
        )
    if values is None:
        return None
    return np.array([float(v) for v in values])[:, None] * np.asarray(weights)[None, :]


def exact_products(weights, values: tuple[Value, ...]) -> bool:
    """Whether ``value · weights`` is exact in floating point for every value (numerical features)."""
    if isinstance(weights, dict):
        return True
    rows = feature_rows(weights, values)
    assert rows is not None
    ratios = [float(w).as_integer_ratio() for w in weights]
    for v, row in zip(values, rows):
        nv, dv = float(v).as_integer_ratio()
        for (nw, dw), x in zip(ratios, row.tolist()):
            nx, dx = x.as_integer_ratio()
            if nv * nw * dx != nx * dv * dw:  # v * w == x as fractions, in integers
                return False
    return True


def _foldable(program: Program, node: Readout) -> bool:
    if node.pooled:
        return False
    sizes = []
    for f in unique(node.features):
        t = program[f].type
        vals = value_set(t)
        if vals is None:
            return False
        if isinstance(t, Numerical) and not all(float(v).is_integer() for v in vals):
            return False
        sizes.append(len(vals))
    return len(sizes) <= 2 and math.prod(sizes) <= FOLD_LIMIT


def _table(program: Program, node: Readout) -> tuple[list[str], np.ndarray]:
    """The distinct features and the predicted class codes on their value grid."""
    names = list(unique(node.features))
    grids = [value_set(program[f].type) or () for f in names]
    shape = tuple(len(g) for g in grids)
    logits = np.broadcast_to(
        np.asarray(node.bias, dtype=np.float64), (*shape, len(node.bias))
    ).copy()
    for f, w in zip(node.features, node.weights):
        axis = names.index(f)
        rows = feature_rows(w, grids[axis])
        assert rows is not None
        view = [1] * len(shape) + [rows.shape[1]]
        view[axis] = rows.shape[0]
        logits += rows.reshape(view)
    logits[..., ~np.asarray(node.mask, dtype=bool)] = -np.inf
    return names, logits.argmax(-1)


def _folded(program: Program, node: Readout) -> Node:
    names, codes = _table(program, node)
    classes, out_type = node.classes, node.type  # value sets shrink the type later
    if not names:
        value = classes[int(codes)]
        return Constant(node.name, out_type, value=value, meta=dict(node.meta))
    grids = [value_set(program[f].type) or () for f in names]
    if len(names) == 1:
        table = {v: classes[int(codes[i])] for i, v in enumerate(grids[0])}
        return Map(node.name, out_type, x=names[0], table=table, meta=dict(node.meta))
    table = {
        (a, b): classes[int(codes[i, j])]
        for i, a in enumerate(grids[0])
        for j, b in enumerate(grids[1])
    }
    return SequenceMap(
        node.name, out_type, x=names[0], y=names[1], table=table, meta=dict(node.meta)
    )


@register_pass("fold_readout")
def fold_readout(program: Program) -> Program:
    """Replace small readouts by exact lookup tables (module docstring)."""
    return substitute(
        program,
        {
            n.name: _folded(program, n)
            for n in program
            if isinstance(n, Readout) and _foldable(program, n)
        },
    )
