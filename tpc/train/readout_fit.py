"""The readout that makes the most residual rows right by a margin: a linear program.

A discrete Transformer Program's readout is linear in its residual: with ``x`` a row of
features (the one-hot of each categorical variable's value, each numerical variable's
value, and a constant 1 for the bias) and ``W`` the weights [F, C], the prediction is
argmax over allowed classes of ``x W``. :func:`fit_readout` looks for weights ``W0 + D``
with every row right by ``margin``, as the linear program

    minimise   sum_r s_r  +  reg * sum |D|
    subject to x_r (W0 + D)[:, y_r] - x_r (W0 + D)[:, c] + s_r >= margin
               for every row r and every allowed class c != y_r;  s_r >= 0,

solved by HiGHS (:func:`scipy.optimize.linprog`). ``s_r`` is row r's shortfall; the
program is the convex hinge loss, so a readout with every row right exists exactly when
the optimum is 0 (up to the small ``reg`` term, which keeps the weights near the trained
ones and bounded). Rows far past the margin are left out (cutting planes): the program
starts with the rows short of ``2 margin`` under ``W0``, and every solution's rows that
fall short of ``margin / 2`` are added, until none is or ``max_rounds`` are done.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, sparse


@dataclass(frozen=True)
class Rows:
    """Residual rows: ``columns`` [R, K] feature indices and ``values`` [R, K] (each row
    has K nonzero features, the same count for every row), ``labels`` [R], and the number
    of features ``n_features``."""

    columns: np.ndarray
    values: np.ndarray
    labels: np.ndarray
    n_features: int

    def logits(self, weights: np.ndarray, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """``x W`` for the chosen rows, [R, C]."""
        return np.einsum("rk,rkc->rc", self.values[rows], weights[self.columns[rows]])


def gaps(rows: Rows, weights: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Each row's logit of its label minus its highest other allowed logit."""
    logits = np.where(allowed, rows.logits(weights), -np.inf)
    label = logits[np.arange(len(logits)), rows.labels]
    logits[np.arange(len(logits)), rows.labels] = -np.inf
    return label - logits.max(1)


def fit_readout(
    rows: Rows,
    start: np.ndarray,
    allowed: np.ndarray,
    margin: float = 0.1,
    reg: float = 1e-4,
    max_rounds: int = 12,
) -> np.ndarray:
    """Weights [F, C] near ``start`` that put the most rows right by ``margin`` (module
    docstring); ``allowed`` [C] marks the classes the readout may predict."""
    weights = start.copy()
    active = np.flatnonzero(gaps(rows, weights, allowed) < 2 * margin)
    for _ in range(max_rounds):
        if not len(active):
            break
        weights = start + _solve(rows, active, start, allowed, margin, reg)
        short = gaps(rows, weights, allowed) < margin / 2
        short[active] = False
        if not short.any():
            break
        active = np.union1d(active, np.flatnonzero(short))
    return weights


def _solve(
    rows: Rows,
    active: np.ndarray,
    start: np.ndarray,
    allowed: np.ndarray,
    margin: float,
    reg: float,
) -> np.ndarray:
    """The change D [F, C] of the linear program restricted to the ``active`` rows."""
    n_features, n_classes = start.shape
    size = n_features * n_classes
    # one constraint per (active row, competing class)
    row_of = np.repeat(active, n_classes)
    competitor = np.tile(np.arange(n_classes), len(active))
    label = rows.labels[row_of]
    keep = allowed[competitor] & (competitor != label)
    row_of, competitor, label = row_of[keep], competitor[keep], label[keep]
    slack = np.searchsorted(active, row_of)
    count = len(row_of)
    cols, vals = rows.columns[row_of], rows.values[row_of]  # [P, K]
    # -x (p_y - q_y) + x (p_c - q_c) - s <= gap0 - margin, with D = p - q
    y_index = cols * n_classes + label[:, None]
    c_index = cols * n_classes + competitor[:, None]
    entry_cols = np.concatenate([y_index, size + y_index, c_index, size + c_index], axis=1).ravel()
    entry_vals = np.concatenate([-vals, vals, vals, -vals], axis=1).ravel()
    entry_rows = np.repeat(np.arange(count), cols.shape[1] * 4)
    a_ub = sparse.csr_matrix(
        (
            np.concatenate([entry_vals, -np.ones(count)]),
            (
                np.concatenate([entry_rows, np.arange(count)]),
                np.concatenate([entry_cols, 2 * size + slack]),
            ),
        ),
        shape=(count, 2 * size + len(active)),
    )
    logits = rows.logits(start, row_of)
    ids = np.arange(count)
    b_ub = logits[ids, label] - logits[ids, competitor] - margin
    cost = np.concatenate([np.full(2 * size, reg), np.ones(len(active))])
    result = optimize.linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
    if result.x is None:  # always feasible and bounded; a numerical failure changes nothing
        return np.zeros_like(start)
    return (result.x[:size] - result.x[size : 2 * size]).reshape(n_features, n_classes)
