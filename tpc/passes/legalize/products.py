"""Product encoding, shared by the legalisations: a tuple of operand values as one node.

A legalised program may only apply tables to one or two operands (a Map or a
SequenceMap). :func:`product_node` encodes several operands' values as one integer code
with chained SequenceMaps; :func:`apply_table` adds a node computing any function of
several operands that way. Both refuse, naming the node, when an operand has no finite
value set or the encoding would need more than :data:`MAX_PRODUCT` values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

import numpy as np

from tpc.errors import EmitError
from tpc.ir import Categorical, Numerical
from tpc.ir.types import Value, value_set
from tpc.passes.legalize.aggregates import Rewriter

#: Most values one product-encoded node (a tuple of operand values) may take.
MAX_PRODUCT = 10_000


def finite_values(b: Rewriter, name: str, owner: str) -> tuple[Value, ...]:
    """The value set of operand ``name`` of node ``owner``; ``EmitError`` if unbounded."""
    vals = value_set(b.type_of(name))
    if vals is None:
        raise EmitError(
            f"node '{owner}': operand '{name}' has no finite value set, which Tracr needs"
        )
    return vals


def product_node(
    b: Rewriter, operands: Sequence[str], stem: str, owner: str
) -> tuple[str, dict[Value, tuple]]:
    """A node whose value encodes the tuple of ``operands``' values (an int code), built by
    chained SequenceMaps, and the code → tuple table. One operand is its own encoding."""
    name = operands[0]
    decode: dict[Value, tuple] = {v: (v,) for v in finite_values(b, name, owner)}
    for i, other in enumerate(operands[1:], start=1):
        ovals = finite_values(b, other, owner)
        size = len(decode) * len(ovals)
        if size > MAX_PRODUCT:
            raise EmitError(
                f"node '{owner}': encoding ({', '.join(operands)}) as one value for Tracr needs "
                f"{size:,} values (more than {MAX_PRODUCT:,})"
            )
        pairs = [(c, v) for c in decode for v in ovals]
        index = {p: j for j, p in enumerate(pairs)}
        last = i == len(operands) - 1
        name = b.sequence_map(
            lambda c, v, index=index: index[(c, v)],
            name,
            other,
            name=stem if last else f"{stem}_{i}",
        )
        decode = {index[(c, v)]: decode[c] + (v,) for c, v in pairs}
    return name, decode


def apply_table(
    b: Rewriter,
    fn: Callable[..., Value],
    operands: Sequence[str],
    name: str,
    type_: Categorical | Numerical,
    meta: dict,
) -> None:
    """Add node ``name`` = ``fn(*operand values)`` of type ``type_``: all operands but the
    last are product-encoded, then one Map or SequenceMap applies ``fn``."""
    numerical = isinstance(type_, Numerical)
    size = int(np.prod([len(finite_values(b, op, name)) for op in operands]))
    if size > MAX_PRODUCT:
        raise EmitError(
            f"node '{name}': one table over ({', '.join(operands)}) would need {size:,} entries "
            f"(more than {MAX_PRODUCT:,})"
        )
    if not operands:
        b.map(lambda _t: fn(), b.tokens, numerical=numerical, name=name)
    elif len(operands) == 1:
        b.map(fn, operands[0], numerical=numerical, name=name)
    else:
        head, decode = product_node(b, operands[:-1], f"{name}_args", name)
        b.sequence_map(
            lambda c, v: fn(*decode[c], v), head, operands[-1], numerical=numerical, name=name
        )
    b.nodes[name] = dataclasses.replace(b.nodes[name], type=type_, meta=dict(meta))


__all__ = ["MAX_PRODUCT", "apply_table", "finite_values", "product_node"]
