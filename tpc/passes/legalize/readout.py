"""Readout legalisation: a per-position readout as element-wise operations, exactly.

Two rewrites, for the back ends that have no readout: :func:`lower_readout` makes it one
table over its product-encoded features (:mod:`tpc.passes.legalize.products`: at most
``MAX_PRODUCT`` feature combinations), and :func:`legalize_readout` makes it arithmetic,
as follows.

The interpreter computes a (non-pooled) ``Readout`` with features f_1..f_F at each
position as logits in float64, in this order (:meth:`tpc.ir.interp.Interpreter._readout`):
``L_c = ((b_c + t_1c) + t_2c) + … + t_Fc`` where ``t_fc = w_f[v][c]`` for a categorical
feature's value v and ``v · w_f[c]`` for a numerical one's (its computed float64 value);
masked classes get −inf and the prediction is the first class with the largest logit.

:func:`legalize_readout` rewrites it into maps with the same float64 operations:

* per allowed class c, the score chain ``s_c``: the first term with the bias folded in
  (a table ``v ↦ b_c + w_1[v][c]`` for a categorical feature, the open map
  ``b_c + x * w_1[c]`` for a numerical one: the same single addition), each later term a
  table ``v ↦ w_f[v][c]`` or the open map ``x * w_f[c]``, added by open maps ``x + y``;
* the first argmax over the allowed classes c_1 < … < c_K, two operands at a time: with
  the best score ``m`` and class ``a`` so far, ``keep = m >= s_k`` (categorical bool),
  ``a' = a if keep else c_k`` (a table) and ``m' = m if m >= s_k else s_k`` (open). The
  earlier class wins ties, as numpy's argmax does; masked classes never enter.

The last class node takes the readout's name and type. Exact for logits that are never
NaN (finite weights and feature values): NaN is where ``>=`` and numpy's argmax part.
Pooled readouts (logits averaged over the sequence) are refused.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence

import numpy as np

from tpc.errors import EmitError
from tpc.ir import Numerical, Program, Readout
from tpc.ir.forms import literal
from tpc.ir.nodes import Node
from tpc.ir.types import Value, value_set
from tpc.passes.legalize.aggregates import Rewriter, rewrite_each
from tpc.passes.legalize.products import apply_table, finite_values
from tpc.passes.manager import register_pass


def refuse_pooled(node: Readout) -> None:
    """``EmitError``: a pooled readout has no per-position form."""
    if node.pooled:
        raise EmitError(
            f"node '{node.name}': a pooled readout (logits averaged over the sequence) has "
            "no exact form for RASP text or Tracr"
        )


def _term(b: Rewriter, node: Readout, f: int, c: int, bias: float | None) -> str:
    """Feature f's contribution to class c's logit (plus ``bias`` when given)."""
    feature, w = node.features[f], node.weights[f]
    name = f"{node.name}_term{c}_{f}"
    if isinstance(w, dict):
        if bias is None:
            return b.map(lambda v: w[v][c], feature, numerical=True, name=name)
        return b.map(lambda v: bias + w[v][c], feature, numerical=True, name=name)
    product = f"x * {_number(node, w[c])}"
    form = product if bias is None else f"{_number(node, bias)} + {product}"
    return b.open_map(form, feature, name=name)


def _number(node: Readout, v: float) -> str:
    text = literal(v)
    if text is None:
        raise EmitError(f"node '{node.name}': the weight {v!r} has no exact element-wise form")
    return text


def _score(b: Rewriter, node: Readout, c: int) -> str:
    """Class c's logit, summed in the interpreter's order."""
    if not node.features:
        return b.constant(node.bias[c], numerical=True, name=f"{node.name}_logit{c}")
    score = _term(b, node, 0, c, node.bias[c])
    for f in range(1, len(node.features)):
        term = _term(b, node, f, c, None)
        score = b.open_map("x + y", score, term, name=f"{node.name}_logit{c}_{f}")
    return score


def _legalize(b: Rewriter, node: Readout) -> None:
    refuse_pooled(node)
    allowed = [c for c, keep in enumerate(node.mask) if keep]
    classes, stem = node.classes, node.name
    best, arg = _score(b, node, allowed[0]), None
    for k, c in enumerate(allowed[1:], start=1):
        score = _score(b, node, c)
        keep = b.open_map("x >= y", best, score, name=f"{stem}_keep{c}")
        last = k == len(allowed) - 1
        name = stem if last else f"{stem}_arg{c}"
        arg = _pick(b, arg, keep, classes[allowed[0]], classes[c], name)
        if not last:
            best = b.open_map("x if x >= y else y", best, score, name=f"{stem}_best{c}")
    if arg is None:
        b.constant(classes[allowed[0]], name=stem)
    b.nodes[stem] = dataclasses.replace(b.nodes[stem], type=node.type, meta=dict(node.meta))


def _pick(b: Rewriter, arg: str | None, keep: str, first: Value, new: Value, name: str) -> str:
    """The class so far: ``arg`` (``first`` when there is no ``arg`` yet) where ``keep``
    holds, else ``new``; a table, with its form when RASP can write the classes."""
    text = literal(new)
    if arg is None:
        form = f"{literal(first)} if x else {text}" if literal(first) and text else None
        return b.map(lambda kept: first if kept else new, keep, name=name, form=form)
    form = f"x if y else {text}" if text else None
    return b.sequence_map(lambda a, kept: a if kept else new, arg, keep, name=name, form=form)


@register_pass("legalize_readout")
def legalize_readout(program: Program) -> Program:
    """Rewrite every per-position readout into score and argmax maps (module docstring)."""

    def rule(b: Rewriter, node: Node) -> bool:
        if not isinstance(node, Readout):
            return False
        _legalize(b, node)
        return True

    return rewrite_each(program, rule)


def table_is_smaller(program: Program, node: Readout, limit: int) -> bool:
    """Whether one table over the product of the readout's features is exact and no
    larger than ``limit`` nor than the maps of :func:`legalize_readout` (table entries
    plus nodes). Exact needs integer-valued numerical features: the table is computed
    from their value sets, the interpreter multiplies the computed values."""
    sizes: list[int] = []
    for f in node.features:
        t = program[f].type
        values: tuple[Value, ...] | None = value_set(t)
        if values is None or (
            isinstance(t, Numerical) and not all(float(v).is_integer() for v in values)
        ):
            return False
        sizes.append(1 if isinstance(t, Numerical) else len(values))
    classes = sum(node.mask)
    chains = classes * (sum(sizes) + 2 * len(sizes)) + 3 * classes
    product = math.prod(len(value_set(program[f].type) or ()) for f in node.features)
    return product <= min(limit, chains)


def _readout_class(node: Readout, numerical: Sequence[bool]) -> Callable[..., Value]:
    """The class the readout predicts for one tuple of feature values, computed in the
    interpreter's float64 order (bias, then each feature in turn)."""
    bias = np.asarray(node.bias, dtype=np.float64)
    masked = ~np.asarray(node.mask, dtype=bool)
    classes = node.classes

    def predict(*values: Value) -> Value:
        logits = bias.copy()
        for w, num, v in zip(node.weights, numerical, values):
            logits += np.float64(v) * np.asarray(w) if num else np.asarray(w[v])
        logits[masked] = -np.inf
        return classes[int(logits.argmax())]

    return predict


@register_pass("lower_readout")
def lower_readout(program: Program) -> Program:
    """Replace a (per-position) readout by one table over its product-encoded features."""

    def rule(b: Rewriter, node: Node) -> bool:
        if not isinstance(node, Readout):
            return False
        refuse_pooled(node)
        numerical = [isinstance(b.type_of(f), Numerical) for f in node.features]
        for f in node.features:
            finite_values(b, f, node.name)
        predict = _readout_class(node, numerical)
        apply_table(b, predict, node.features, node.name, node.type, node.meta)
        return True

    return rewrite_each(program, rule)
