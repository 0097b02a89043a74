"""The relaxations of a discrete one-of-n choice.

A choice is given by logits over n options. Training uses the Gumbel-softmax relaxation
(``softmax((logits + g) / tau)`` with g ~ Gumbel(0, 1), the reference's "gumbel_soft");
``noise=False`` gives the tempered softmax, whose tau -> 0 limit is the discrete model's
argmax.
"""

from __future__ import annotations

import torch
from torch import Tensor

_U_MIN = 1e-20  # keeps -log(u) finite for a uniform draw of exactly 0


def neg_log_exponential(like: Tensor) -> Tensor:
    """log(-log u) for u ~ U(0, 1) of ``like``'s shape: minus standard Gumbel noise, drawn
    from torch's global generator."""
    u = torch.rand(like.shape, dtype=like.dtype, device=like.device).clamp_min_(_U_MIN)
    return u.log_().neg_().log_()


def relax(logits: Tensor, tau: float, noise: bool, dim: int = -1, scale: float = 1.0) -> Tensor:
    """Relaxed one-hot over ``dim`` of ``scale * logits``: Gumbel-softmax if ``noise``
    (``softmax((scale * logits + g) / tau)``, g ~ Gumbel(0, 1)), else softmax(scale *
    logits / tau).

    Prefer a ``dim`` that is not the innermost in memory when it is short: torch's CPU
    softmax over a short innermost dimension is several times slower.
    """
    z = logits * (scale / tau)
    if noise:
        z = torch.sub(z, neg_log_exponential(z), alpha=1.0 / tau)
    return torch.softmax(z, dim)
