"""Discrete MLPs as lookup tables: the argmax of a ReLU MLP, computed the same way by
every caller (the discrete forward pass, lookup tables and lowering).

README, "Discrete MLPs are evaluated on one torch thread in 1,024-row chunks": each row
is reduced on its own in a fixed order, so the result does not depend on the chunk.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch
from torch import Tensor

MLP_CHUNK = 1024  # rows per step of a discrete MLP evaluation: [rows, out, d_mlp] stays in cache


def mlp_argmax(b_in: Tensor, w_out: Tensor, b_out: Tensor, contributions: list[Tensor]) -> Tensor:
    """Discrete MLP output: argmax_d (w_out relu(b_in + sum_r contribution_r) + b_out)_d.

    ``contributions[r]`` [K, d_mlp] is input r's share of the first layer (a column of
    ``w_in`` for a categorical input, value x column for a numerical one). Computed in
    float64 with a fixed summation order, row by row, so every caller (discrete forward,
    lookup tables, lowering) gets the same answer for the same input.
    """
    pre = b_in.double().unsqueeze(0)
    for c in contributions:
        pre = pre + c
    hidden = torch.relu(pre)
    w_out, b_out = w_out.double().unsqueeze(0), b_out.double()
    with one_thread():
        return torch.cat(
            [((h.unsqueeze(1) * w_out).sum(-1) + b_out).argmax(-1) for h in hidden.split(MLP_CHUNK)]
        )


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """Run torch on one thread: small chunked operations only lose time to thread
    hand-offs (10x slower with two threads on a busy two-core machine)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def numerical_mlp_argmax(
    w_in: Tensor, b_in: Tensor, w_out: Tensor, b_out: Tensor, values: Tensor
) -> Tensor:
    """Discrete numerical MLP (w_in [d_mlp, n_in]) on ``values`` [K, n_in] -> long [K].

    Computed once per distinct row of ``values`` (a numerical variable takes few values
    over a batch): each row's result is the same either way, as :func:`mlp_argmax`
    reduces every row on its own."""
    w = w_in.double()
    distinct, where = distinct_rows(values.double())
    out = mlp_argmax(
        b_in, w_out, b_out, [distinct[:, r : r + 1] * w[:, r] for r in range(distinct.shape[1])]
    )
    return out[where]


def distinct_rows(values: Tensor) -> tuple[Tensor, Tensor]:
    """The distinct rows of ``values`` [K, n] (in lexicographic order) and each row's
    index among them, as ``torch.unique(values, dim=0, return_inverse=True)`` but through
    1-D uniques, several times faster on the CPU: rows are numbered column by column (a
    row's number so far times the column's count of values plus the value's number,
    renumbered densely after each column, so numbers stay below K)."""
    key = torch.zeros(values.shape[0], dtype=torch.long)
    for column in values.T:
        column_values, number = torch.unique(column, return_inverse=True)
        _, key = torch.unique(key * len(column_values) + number, return_inverse=True)
    rows = torch.arange(values.shape[0])
    first = torch.full((int(key.max()) + 1 if len(key) else 0,), values.shape[0])
    first = first.scatter_reduce(0, key, rows, "amin")
    return values[first], key
