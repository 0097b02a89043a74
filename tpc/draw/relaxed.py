"""The relaxed model's soft attention: what a trained run's categorical heads attend to
before discretisation, at a temperature (by default the run's final one).

The weights are the model's own: :func:`relaxed_attention` runs the model's relaxed
forward pass (``TransformerProgram.forward`` with ``noise=False``: the tempered softmax
instead of Gumbel noise, no dropout) and records the softmax over keys that each layer
computes for its categorical heads. It does so by handing every layer's ``relaxed`` a
``pick`` (the relaxation the model passes its layers) that keeps the result of the call
over keys (``dim=0``, the key-major scores ``[W_j, heads, B, W_i]`` of
:meth:`tpc.model.program.ProgramLayer.relaxed`), for the duration of one call; nothing
about attention is computed here. If the model's layout is not that one (another model
version), no weights are returned rather than wrong ones.
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
    no program heads) or does not have the expected layout.
    """
    import torch

    from tpc.model import TransformerProgram
    from tpc.tasks import encode

    model = run.model
    if not isinstance(model, TransformerProgram):
        return {}, math.nan
    tau = final_temperature(run) if tau is None else float(tau)
    ids, lengths = encode([list(tokens)], list(run.config.input_vocab))
    n = len(tokens)
    hc = model.config.n_heads_cat
    records: dict[int, list] = {}

    def patch(index: int, original):
        def recording(pick):
            def pick_and_keep(logits, *args, dim=-1, **kwargs):
                out = pick(logits, *args, dim=dim, **kwargs)
                if dim == 0:
                    records.setdefault(index, []).append(out.detach())
                return out

            return pick_and_keep

        def relaxed(cat, num, keys, score_bias, pick, *rest, **kwargs):
            return original(cat, num, keys, score_bias, recording(pick), *rest, **kwargs)

        return relaxed

    layers = list(model.layers)
    was_training = model.training
    try:
        for index, layer in enumerate(layers):
            object.__setattr__(layer, "relaxed", patch(index, layer.relaxed))
        model.eval()
        with torch.no_grad():
            model(torch.as_tensor(ids), torch.as_tensor(lengths), tau=tau, noise=False)
    finally:
        for layer in layers:
            layer.__dict__.pop("relaxed", None)
        model.train(was_training)
    weights: dict[str, np.ndarray] = {}
    for index in range(len(layers)):
        found = records.get(index, [])
        if hc == 0:
            continue
        if len(found) != 1 or tuple(found[0].shape) != (n, hc, 1, n):
            return {}, tau  # not the layout this module knows: nothing rather than a guess
        attn = found[0][:, :, 0, :].double().numpy()  # [key, head, query]
        for h, name in enumerate(model.head_names(index)[:hc]):
            weights[name] = attn[:, h, :].T.copy()
    return weights, tau
