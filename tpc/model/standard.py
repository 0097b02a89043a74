"""The baseline: a standard Transformer encoder of comparable size (``--model standard``).

Pre-LayerNorm blocks (multi-head softmax attention, ReLU MLP), learned token and position
embeddings, a linear readout with the same class mask, causal masking and mean pooling as
the Transformer Program. It has no discrete form: its predictions are the argmax of its
logits.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch.nn import functional as F

from tpc.model.config import StandardConfig
from tpc.model.program import MASKED_LOGIT, allowed_keys


class Block(nn.Module):
    """One pre-LN Transformer block."""

    def __init__(self, c: StandardConfig):
        super().__init__()
        self.n_heads = c.n_heads
        self.dropout = c.dropout
        inner = c.n_heads * -(-c.d_model // c.n_heads)
        self.ln_attn = nn.LayerNorm(c.d_model)
        self.qkv = nn.Linear(c.d_model, 3 * inner)
        self.out = nn.Linear(inner, c.d_model)
        self.ln_mlp = nn.LayerNorm(c.d_model)
        self.mlp = nn.Sequential(
            nn.Linear(c.d_model, c.d_mlp),
            nn.ReLU(),
            nn.Linear(c.d_mlp, c.d_model),
            nn.Dropout(c.dropout),
        )

    def forward(self, x: Tensor, allowed: Tensor) -> Tensor:
        """x [B, W, d_model], allowed bool [B, 1, W, W] -> x [B, W, d_model]."""
        q, k, v = (
            self.qkv(self.ln_attn(x)).unflatten(-1, (3, self.n_heads, -1)).permute(2, 0, 3, 1, 4)
        )
        z = F.scaled_dot_product_attention(
            q, k, v, attn_mask=allowed, dropout_p=self.dropout if self.training else 0.0
        )
        x = x + F.dropout(self.out(z.transpose(1, 2).flatten(2)), self.dropout, self.training)
        return x + self.mlp(self.ln_mlp(x))


class StandardTransformer(nn.Module):
    """Standard Transformer with the Transformer Program's interface."""

    def __init__(self, config: StandardConfig):
        super().__init__()
        config.check()
        self.config = c = config
        self.embed = nn.Embedding(len(c.input_vocab), c.d_model)
        self.pos = nn.Parameter(torch.randn(c.max_len, c.d_model) * 0.02)
        self.blocks = nn.ModuleList(Block(c) for _ in range(c.n_layers))
        self.ln = nn.LayerNorm(c.d_model)
        self.readout = nn.Linear(c.d_model, len(c.classes))
        mask = torch.zeros(len(c.classes), dtype=torch.bool)
        mask[list(c.class_mask)] = True
        self.register_buffer("class_mask", mask, persistent=False)

    def forward(self, ids: Tensor, lengths: Tensor, tau: float = 1.0, noise: bool = True) -> Tensor:
        """Logits [B, W, C] ([B, C] when pooled); ``tau`` and ``noise`` are ignored."""
        width = ids.shape[1]
        if width > self.config.max_len:
            raise ValueError(
                f"sequences of width {width} exceed the model's max length {self.config.max_len}"
            )
        allowed = allowed_keys(lengths, width, self.config.causal)
        x = self.embed(ids) + self.pos[:width]
        for block in self.blocks:
            x = block(x, allowed)
        logits = self.readout(self.ln(x))
        if self.config.pooled:
            valid = allowed[:, 0, -1, :].unsqueeze(-1).float()
            logits = (logits * valid).sum(1) / valid.sum(1)
        return logits.masked_fill(self.class_mask, MASKED_LOGIT)

    @torch.inference_mode()
    def predict(self, ids: Tensor, lengths: Tensor) -> Tensor:
        """Predicted class ids, [B, W] or [B] when pooled."""
        return self.forward(ids, lengths).argmax(-1)
