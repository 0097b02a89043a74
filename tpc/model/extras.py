"""The optional numerical inputs of a Transformer Program (GitHub issue 17, item 3).

Both are numerical variables of the residual, readable like ``ones`` by the numerical
heads (as their value), the numerical MLPs and the readout.

``prefix_count`` (``--prefix-counts``): at position i, the number of positions j <= i
whose token equals token i, counted over the real positions only (j < length; padding
never counts). Every position counts itself, so it is at least 1; BOS is unique at
position 0, so it is 1 there. No parameters; the same in the relaxed and the discrete
model.

``expert`` (``--experts``): expert routing. Per sequence, the histogram h over the
*content* symbols (the input vocabulary without ``<pad>``, ``<s>`` and ``</s>``, in
vocabulary order; BOS/EOS/PAD are never counted) of the real positions. A router, the
parameters ``router.weight`` [5, S] and ``router.bias`` [5] (initialised to 0 and
(0, 0, 0, 0, 1): the last expert wins), maps h to 5 logits; five fixed parameter-free
experts give a number each:

- e0: the sum of h (the content tokens of the sequence);
- e1: max(h) / sum(h), 0 when the sum is 0;
- e2: the number of non-zero bins;
- e3: the number of adjacent bins (t-1, t), t = 1..S-1, whose counts differ;
- e4: 0.

The chosen expert's value is the same at every position of the sequence (the histogram
reads the whole sequence, so in a causal model too). Training relaxes the choice as every
other discrete choice (Gumbel-softmax of the logits at the model's temperature, mixing
the experts' values); the discrete model takes the first argmax of the logits, computed
in float64 in a fixed order: ``logit[e] = b[e]``, then for t = 0..S-1
``logit[e] = logit[e] + h[t] * w[e, t]`` (each product and each sum rounded, no fused
multiply-add), which is what the lowered program computes (:mod:`tpc.lower`).
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

#: The number of experts (e0 .. e4, see the module docstring).
N_EXPERTS = 5
#: The tokens the histogram never counts (tpc.tasks.tokens' PAD, BOS, EOS).
SPECIAL_TOKENS = ("<pad>", "<s>", "</s>")


def content_symbols(input_vocab: tuple[str, ...] | list[str]) -> list[int]:
    """The ids of the tokens the experts' histogram counts, in vocabulary order."""
    return [i for i, tok in enumerate(input_vocab) if tok not in SPECIAL_TOKENS]


def valid_positions(lengths: Tensor, width: int) -> Tensor:
    """Bool [B, width]: the position is a real one (not padding)."""
    return torch.arange(width, device=lengths.device)[None, :] < lengths[:, None]


def prefix_counts(ids: Tensor, lengths: Tensor) -> Tensor:
    """Float64 [B, W]: at i, how many real positions j <= i hold token ids[i]."""
    width = ids.shape[1]
    pos = torch.arange(width, device=ids.device)
    same = ids[:, :, None] == ids[:, None, :]  # [B, i, j]
    keep = (pos[None, :] <= pos[:, None])[None] & valid_positions(lengths, width)[:, None, :]
    return (same & keep).sum(-1).double()


def histogram(ids: Tensor, lengths: Tensor, symbols: Tensor) -> Tensor:
    """Long [B, S]: how often each content symbol (``symbols``: ids) occurs at the real
    positions of each sequence."""
    real = valid_positions(lengths, ids.shape[1])
    return ((ids[:, :, None] == symbols[None, None, :]) & real[:, :, None]).sum(1)


def expert_values(h: Tensor) -> Tensor:
    """[B, 5] the experts' values for histograms ``h`` [B, S] (float64 for a long ``h``,
    else ``h``'s dtype)."""
    h = h.double() if not h.is_floating_point() else h
    total = h.sum(-1)
    top = h.max(-1).values if h.shape[-1] else torch.zeros_like(total)
    ratio = torch.where(total > 0, top / torch.where(total > 0, total, 1.0), 0.0)
    nonzero = (h > 0).sum(-1).to(h.dtype)
    changes = (h[:, 1:] != h[:, :-1]).sum(-1).to(h.dtype)
    return torch.stack([total, ratio, nonzero, changes, torch.zeros_like(total)], -1)


class ExpertRouter(nn.Module):
    """The router over the histogram of ``symbols`` (content token ids), see the module
    docstring."""

    def __init__(self, symbols: list[int]):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(N_EXPERTS, len(symbols)))
        bias = torch.zeros(N_EXPERTS)
        bias[-1] = 1.0
        self.bias = nn.Parameter(bias)
        self.register_buffer("symbols", torch.tensor(symbols, dtype=torch.long), persistent=False)

    def relaxed(self, ids: Tensor, lengths: Tensor, pick) -> Tensor:
        """[B]: the experts' values mixed by the relaxed choice ``pick`` of the logits."""
        h = histogram(ids, lengths, self.symbols).to(self.weight.dtype)
        logits = h @ self.weight.T + self.bias
        return (pick(logits) * expert_values(h)).sum(-1)

    def logits(self, h: Tensor) -> Tensor:
        """Float64 [B, 5]: the discrete model's logits of histograms ``h`` [B, S], in the
        fixed order of the module docstring."""
        w = self.weight.detach().double()
        out = self.bias.detach().double().expand(h.shape[0], -1).clone()
        hd = h.double()
        for t in range(w.shape[1]):
            term = hd[:, t : t + 1] * w[:, t][None, :]
            out = out + term
        return out

    def discrete(self, ids: Tensor, lengths: Tensor) -> tuple[Tensor, Tensor]:
        """The discrete routing: (long [B] the chosen expert, float64 [B] its value)."""
        h = histogram(ids, lengths, self.symbols)
        choice = self.logits(h).argmax(-1)
        value = expert_values(h).gather(-1, choice[:, None])[:, 0]
        return choice, value


__all__ = [
    "N_EXPERTS",
    "SPECIAL_TOKENS",
    "ExpertRouter",
    "content_symbols",
    "expert_values",
    "histogram",
    "prefix_counts",
]
