"""The relaxed model's soft attention: what a trained run's categorical heads attend to
before discretisation, at a temperature (by default the run's final one).

The weights are the model's own: :func:`relaxed_attention` runs the model's relaxed
forward pass (``TransformerProgram.forward`` with ``noise=False``: the tempered softmax
instead of Gumbel noise, no dropout) and records the softmax over keys that each layer
computes for its categorical heads (the ``attention`` list of
:meth:`tpc.model.program.TransformerProgram.forward`); nothing about attention is computed
here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from tpc.train import Run


def final_temperature(run: Run) -> float:
    """The temperature of the run's last epoch (``metrics.jsonl``), else its ``tau_end``."""
    from tpc.train.rundir import read_metrics

    rows = read_metrics(run.path)
    tau = rows[-1].get("tau") if rows else None
    if (
        isinstance(tau, (int, float))
        and not isinstance(tau, bool)
        and math.isfinite(tau)
        and tau > 0
    ):
        return float(tau)
    return float(run.train.tau_end)


def relaxed_attention(
    run: Run, tokens: Sequence[str], tau: float | None = None
) -> tuple[dict[str, np.ndarray], float]:
    """The relaxed model's attention weights on one input, per categorical head: head
    name (``attn_{layer}_{head}``, as lowering names it) → float [n, n] (query, key; each
    row sums to 1), and the temperature used (default :func:`final_temperature`).

    Empty when the run's model is not a Transformer Program (a standard Transformer has
    no program heads).
    """
    import torch

    from tpc.model import TransformerProgram
    from tpc.tasks import encode

    model = run.model
    if not isinstance(model, TransformerProgram):
        return {}, math.nan
    tau = final_temperature(run) if tau is None else float(tau)
    ids, lengths = encode([list(tokens)], list(run.config.input_vocab))
    hc = model.config.n_heads_cat
    recorded: list = []
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            model(
                torch.as_tensor(ids),
                torch.as_tensor(lengths),
                tau=tau,
                noise=False,
                attention=recorded,
            )
    finally:
        model.train(was_training)
    weights: dict[str, np.ndarray] = {}
    for index, found in enumerate(recorded if hc else []):  # [key, head, batch, query]
        attn = found[:, :, 0, :].double().numpy()  # [key, head, query]
        for h, name in enumerate(model.head_names(index)[:hc]):
            weights[name] = attn[:, h, :].T.copy()
    return weights, tau
