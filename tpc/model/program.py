"""The Transformer Program model (docs/design.md §2): relaxed for training, discrete for lowering.

The residual stream is a list of named variables. Categorical variables hold one of
``d_var`` values (a one-hot vector in the relaxed model, an integer index in the discrete
model); numerical variables hold a scalar. Variables, in residual order:

- categorical: ``tokens`` (one-hot embedding) or ``embed_0`` .. ``embed_{n_vars_cat-1}``
  (learned embedding), ``indices``, then per layer l: ``attn_{l}_{h}`` for each
  categorical head, ``mlp_{l}_{i}`` for each categorical MLP, ``num_mlp_{l}_{i}`` for each
  numerical MLP;
- numerical: ``ones`` (count-only) or ``num_embed_0`` .. (learned), then
  ``prefix_count`` (``prefix_counts``) and ``expert`` (``experts``), see
  :mod:`tpc.model.extras`, then per layer l: ``num_attn_{l}_{h}`` for each numerical head.

A layer's attention heads read the variables written before the layer; its categorical
MLPs also read the layer's categorical heads, its numerical MLPs the layer's numerical
heads. Every read is a one-of-n choice over the variables available to it.

Weights (``state_dict`` names; "logits" are relaxed by Gumbel-softmax in training and
replaced by their argmax in the discrete model, first index on ties):

- ``embed`` [n_vars_cat, vocab, d_var] (learned embedding only): logits over the value of
  each embedding variable for each token id.
- ``num_embed`` [vocab, n_vars_num] (unless count-only): the value of each numerical
  embedding variable for each token id.
- ``layers.{l}.read_cat`` [2H + Hc, V_l] with H = Hc + Hn heads: logits over the V_l
  categorical variables available to layer l; row h is head h's query, row H + h its key
  (categorical heads first, then numerical heads), row 2H + h categorical head h's value.
- ``layers.{l}.predicate`` [H, d_var, d_var]: row q holds logits over the key value that
  query value q selects: ``pred(key, query) = key == argmax(predicate[h, query])``.
- ``layers.{l}.read_num`` [Hn, U_l]: logits over the U_l numerical variables available to
  layer l, the value each numerical head sums.
- ``layers.{l}.mlp.*`` / ``layers.{l}.num_mlp.*``: see :class:`MLPBank`.
- ``router.weight`` [5, S], ``router.bias`` [5] (``experts`` only): the expert router
  over the histogram of the S content symbols (:mod:`tpc.model.extras`).
- ``readout_cat`` [V, d_var, C]: logit contribution of each categorical variable's value
  to each class; ``readout_num`` [U, C]: contribution per unit of each numerical variable;
  ``readout_bias`` [C]. With ``readout_vars`` R > 0 instead: ``readout_read`` [R, V],
  logits over the categorical variable each of R slots reads, and ``readout_slots``
  [R, d_var, C], each slot's contribution per value; no numerical variable is read
  (:meth:`TransformerProgram.readout_weights` gives the equivalent ``readout_cat``).

Attention (both forms): ``pred`` as above, selected keys M_i = {j allowed : pred(k_j, q_i)}
where allowed means j is not padding (and j <= i when causal). A categorical head takes the
value at the closest other match (ties to the earlier position), at i itself only if
M_i = {i}, at position 0 (BOS) if M_i is empty. A numerical head sums the value over M_i.

The relaxed model (training) follows the reference implementation: with soft one-hot
reads and predicates, match(i, j) = q_i^T pred k_j in [0, 1]; a categorical head attends
with Gumbel-softmax over keys of ``(log(match + 1e-20) + bias[i, j]) / sqrt(d_var)``
(:func:`closest_match_bias`), BOS counting as a match when the row's total match is ~0; a
numerical head sums ``match * value``. In the discrete model (:meth:`run_discrete`) every
choice is its argmax and attention is the rule above, computed on value indices.

Dropout (``dropout`` p > 0; the relaxed model in training mode only) is where the
reference's model (``TransformerProgramBlock``/``CatMLP`` in princeton-nlp/
TransformerPrograms ``src/models/programs.py``) has it: on the relaxed output of every
head and MLP before it joins the residual (so the layer's MLPs and the readout read the
dropped values), and on every MLP's hidden layer after the ReLU; entries are zeroed
with probability p and the rest scaled by 1/(1-p). It has no weights, so the discrete
model, lookup tables and lowering never see it.

Layouts (for speed on CPU, see ``benchmarks/train_speed.py``): the relaxed residual is a
list of variable-major blocks ([V_k, B, W, d_var] and [U_k, B, W], one per layer) so that
every read is a sum of matrix products and the residual is never copied;
attention scores are key-major ([W_j, heads, B, W_i]) so that the softmax over keys does
not run over a short innermost dimension; logits are class-major in memory.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor, nn

from tpc.model.config import ProgramConfig
from tpc.model.extras import ExpertRouter, content_symbols, prefix_counts
from tpc.model.gumbel import relax
from tpc.model.mlp_argmax import mlp_argmax, numerical_mlp_argmax

MATCH_FLOOR = 1e-20  # added to every match score: a non-match scores log(1e-20) ~ -46
BOS_EPS = 1e-10  # BOS default fires when the total match mass is ~0 (tot / (tot + eps) ~ 0)
MASKED_LOGIT = -1e9  # logit of a masked class in the relaxed model
# (10x faster than 4096 rows); results do not depend on it (each row is reduced alone)

Pick = Callable[..., Tensor]  # pick(logits, dim=-1): the relaxed choice over ``dim``
Drop = Callable[[Tensor], Tensor]  # dropout in training, else the identity


def no_dropout(x: Tensor) -> Tensor:
    """The identity: the :data:`Drop` of a model without dropout or not training."""
    return x


def dropout(x: Tensor, p: float) -> Tensor:
    """Inverted dropout: each entry of ``x`` zeroed with probability ``p``, the others
    scaled by 1/(1-p), as ``torch.nn.functional.dropout`` in training but 2-3x faster on
    the CPU (a uniform draw compared with p instead of torch's Bernoulli sampler)."""
    return x * torch.rand_like(x).ge_(p).mul_(1.0 / (1.0 - p))


def closest_match_bias(n: int) -> Tensor:
    """The fixed relative-position bias [n, n] (query i, key j) of docs/design.md §2.

    Self -2; key d >= 1 before the query -(d-1)/(n-1); key d after it -(d-1)/(n-2), minus
    a tie-break eps = 1/(4 (n-1) (n-2)) smaller than any gap between two distinct values,
    so that the two keys at distance 1 are ordered as the rule wants (earlier first) in the
    relaxed model too. Among matching keys the argmax is thus the closest other match
    (earlier on ties), and the query itself only when it is the only match.
    """
    i = torch.arange(n).unsqueeze(1)
    j = torch.arange(n).unsqueeze(0)
    d = (i - j).abs().double()
    after_den = max(n - 2, 1)
    before = -(d - 1) / max(n - 1, 1)
    after = -(d - 1) / after_den - 1.0 / (4 * max(n - 1, 1) * after_den)
    bias = torch.where(j < i, before, torch.where(j > i, after, torch.full_like(d, -2.0)))
    return bias.float()


def allowed_keys(lengths: Tensor, width: int, causal: bool) -> Tensor:
    """Bool [B, 1, width, width]: key j is visible to query i (not padding; j <= i if causal)."""
    pos = torch.arange(width, device=lengths.device)
    allowed = (pos.unsqueeze(0) < lengths.unsqueeze(1))[:, None, None, :]
    if causal:
        allowed = allowed & (pos.unsqueeze(1) >= pos.unsqueeze(0))
    return allowed.expand(-1, 1, width, width)


def key_major_keys(lengths: Tensor, width: int, causal: bool) -> Tensor:
    """:func:`allowed_keys` in the relaxed model's key-major layout: contiguous bool
    [W_j, 1, B, W_i] (key j, query i)."""
    pos = torch.arange(width, device=lengths.device)
    keys = pos[:, None, None, None] < lengths[None, None, :, None]
    if causal:
        keys = keys & (pos[:, None, None, None] <= pos[None, None, None, :])
    return keys.expand(width, 1, lengths.shape[0], width).contiguous()


def read_blocks(weights: Tensor, blocks: list[Tensor]) -> Tensor:
    """``weights`` [R, V] applied to the variables of ``blocks`` (variable-major tensors
    [V_k, ...], sum V_k = V), without concatenating them: [R, prod(...)]."""
    out = None
    for w, block in zip(weights.split([b.shape[0] for b in blocks], 1), blocks):
        term = w @ block.reshape(block.shape[0], -1)
        out = term if out is None else out + term
    return out


class MLPBank(nn.Module):
    """``n`` MLPs of one layer, each reading ``n_in`` of the ``n_vars`` available variables.

    Weights: ``read`` [n, n_in, n_vars] logits over which variable input r reads;
    ``w_in`` [n, d_mlp, n_in, width] first layer (``width`` = d_var for categorical inputs,
    where column [.., r, v] is the contribution of value v of input r; 1 for numerical
    inputs, a weight on the value); ``b_in`` [n, d_mlp]; ``w_out`` [n, d_var, d_mlp];
    ``b_out`` [n, d_var]. Output: a categorical variable, the argmax of
    ``w_out relu(w_in x + b_in) + b_out`` (the relaxed model Gumbel-softmaxes it).
    """

    def __init__(self, n: int, n_in: int, n_vars: int, width: int, d_mlp: int, d_var: int):
        super().__init__()
        self.read = nn.Parameter(torch.randn(n, n_in, n_vars) / math.sqrt(n_vars))
        self.w_in = nn.Parameter(torch.randn(n, d_mlp, n_in, width) / math.sqrt(d_mlp))
        self.b_in = nn.Parameter(torch.zeros(n, d_mlp))
        self.w_out = nn.Parameter(torch.randn(n, d_var, d_mlp) / math.sqrt(d_var))
        self.b_out = nn.Parameter(torch.zeros(n, d_var))

    def relaxed(self, blocks: list[Tensor], pick: Pick, drop: Drop = no_dropout) -> Tensor:
        """Relaxed outputs [n, d_var, B*W] from the available variables, given as
        variable-major blocks [n_k, B, W, width] (in residual order, concatenated);
        ``drop`` applies to the hidden layer (after the ReLU)."""
        n, d_mlp, n_in, width = self.w_in.shape
        reads = read_blocks(pick(self.read).view(n * n_in, -1), blocks)
        reads = reads.view(n, n_in, -1, width).transpose(2, 3).reshape(n, n_in * width, -1)
        hidden = torch.baddbmm(self.b_in.unsqueeze(-1), self.w_in.view(n, d_mlp, -1), reads)
        out = torch.baddbmm(self.b_out.unsqueeze(-1), self.w_out, drop(hidden.relu_()))
        return pick(out, dim=1)

    def reads(self) -> Tensor:
        """Long [n, n_in]: the variable index each input of each MLP reads (discrete)."""
        return self.read.argmax(-1)

    def table_contributions(self, m: int) -> list[Tensor]:
        """Each input's share [d_var ** n_in, d_mlp] (float64) of categorical MLP m's first
        layer, for every input value tuple (row-major), as :func:`mlp_argmax` takes them."""
        n_in, d_var = self.w_in.shape[2], self.w_in.shape[3]
        combos = torch.tensor(
            list(itertools.product(range(d_var), repeat=n_in)), device=self.w_in.device
        ).reshape(-1, n_in)
        w = self.w_in[m].double()
        return [w[:, r, combos[:, r]].T for r in range(n_in)]

    def categorical_table(self, m: int) -> Tensor:
        """Long [d_var ** n_in]: output of MLP m for every input value tuple (row-major)."""
        return mlp_argmax(self.b_in[m], self.w_out[m], self.b_out[m], self.table_contributions(m))

    def dead_units(self, m: int) -> Tensor:
        """Long [K], ascending: the hidden units of categorical MLP m whose ReLU input is
        <= 0 at every input value tuple, so that they add nothing to any table entry."""
        pre = self.b_in[m].double() + sum(self.table_contributions(m))
        return (pre.max(0).values <= 0).nonzero().squeeze(1)

    def numerical_apply(self, m: int, values: Tensor) -> Tensor:
        """Long [K]: output of MLP m for numerical inputs ``values`` [K, n_in]."""
        return numerical_mlp_argmax(
            self.w_in[m, :, :, 0], self.b_in[m], self.w_out[m], self.b_out[m], values
        )


class ProgramLayer(nn.Module):
    """One layer: Hc categorical + Hn numerical heads, then the MLP banks (see module doc)."""

    def __init__(self, config: ProgramConfig, n_cat: int, n_num: int):
        super().__init__()
        c = config
        self.n_cat_heads, self.n_num_heads = c.n_heads_cat, c.n_heads_num
        heads = c.n_heads_cat + c.n_heads_num
        d = c.d_var
        self.read_cat = (
            nn.Parameter(torch.randn(2 * heads + c.n_heads_cat, n_cat) / math.sqrt(n_cat))
            if heads
            else None
        )
        self.predicate = nn.Parameter(torch.randn(heads, d, d) / math.sqrt(d)) if heads else None
        self.read_num = (
            nn.Parameter(torch.randn(c.n_heads_num, n_num) / math.sqrt(n_num))
            if c.n_heads_num
            else None
        )
        self.mlp = (
            MLPBank(c.n_cat_mlps, c.mlp_vars_in, n_cat + c.n_heads_cat, d, c.d_mlp, d)
            if c.n_cat_mlps
            else None
        )
        self.num_mlp = (
            MLPBank(c.n_num_mlps, c.mlp_vars_in, n_num + c.n_heads_num, 1, c.d_mlp, d)
            if c.n_num_mlps
            else None
        )
        self.register_buffer("floor", torch.tensor(MATCH_FLOOR), persistent=False)
        first_key = torch.zeros(c.max_len, 1, 1, 1)  # one-hot of key 0 (BOS), key-major
        first_key[0] = 1.0
        self.register_buffer("first_key", first_key, persistent=False)

    def relaxed(
        self,
        cat: list[Tensor],
        num: list[Tensor],
        keys: Tensor,
        score_bias: Tensor,
        pick: Pick,
        drop: Drop = no_dropout,
        attention: list[Tensor] | None = None,
        matches: list[Tensor] | None = None,
    ) -> tuple[Tensor | None, Tensor | None]:
        """Relaxed layer. The residual is a list of variable-major blocks, categorical
        [V_k, B, W, d_var] and numerical [U_k, B, W] (reads are sums of matrix products
        over the blocks, so the residual is never copied); returns the layer's new blocks.
        ``drop`` (dropout) applies to every head's and MLP's output before it joins the
        residual, and to the MLPs' hidden layers, where the reference's model has it.

        ``keys`` (float 0/1) and ``score_bias`` (closest-match bias, -inf where the key is
        not allowed) are key-major [W_j, 1, B, W_i]; attention scores are kept key-major so
        that the softmax over keys runs over a non-innermost dimension. ``attention``, if
        given, receives the categorical heads' attention weights, key-major
        [W_j, n_cat_heads, B, W_i] (each query's weights sum to 1 over the keys);
        ``matches``, if given, the numerical heads' match of each key, key-major
        [W_j, n_num_heads, B, W_i] (in (0, 1]: the soft selection whose values the head
        sums; a key that is not allowed has MATCH_FLOOR).
        """
        hc, hn = self.n_cat_heads, self.n_num_heads
        h = hc + hn
        batch, width, d_var = cat[0].shape[1:]
        new_cat, new_num = [], []
        if h:
            read_q, read_k, read_v = pick(self.read_cat).split([h, h, hc])
            k = read_blocks(read_k, cat).view(h * batch, width, d_var)
            q = read_blocks(read_q, cat).view(h, -1, d_var) @ pick(self.predicate)
            scores = torch.bmm(k, q.view(h * batch, width, d_var).transpose(1, 2))
            scores = scores.view(h, batch, width, width).permute(2, 0, 1, 3).contiguous()
            # match of allowed keys, plus MATCH_FLOOR: [W_j, H, B, W_i], in (0, 1]
            match = torch.addcmul(self.floor, scores, keys)
            m_cat, m_num = match.split([hc, hn], 1) if hc and hn else (match, match)
        if hc:
            total = m_cat.sum(0)
            no_match = torch.relu(1.0 - total / (total + BOS_EPS))  # 1: default to BOS
            m_cat = torch.addcmul(m_cat, self.first_key[:width], no_match)
            attn = pick(torch.log(m_cat) + score_bias, dim=0, scale=1.0 / math.sqrt(d_var))
            if attention is not None:
                attention.append(attn)
            attn = attn.permute(1, 2, 3, 0).reshape(hc * batch, width, width)  # [., W_i, W_j]
            v = read_blocks(read_v, cat).view(hc * batch, width, d_var)
            new_cat.append(drop(torch.bmm(attn, v).view(hc, batch, width, d_var)))
        if hn:
            if matches is not None:
                matches.append(m_num)
            values = read_blocks(pick(self.read_num), num).view(hn, batch, width)
            new_num.append(drop((m_num * values.permute(2, 0, 1).unsqueeze(-1)).sum(0)))
        outs = []
        if self.mlp is not None:
            outs.append(self.mlp.relaxed([*cat, *new_cat], pick, drop))
        if self.num_mlp is not None:
            blocks = [x.unsqueeze(-1) for x in [*num, *new_num]]
            outs.append(self.num_mlp.relaxed(blocks, pick, drop))
        if outs:  # [n, d_var, B*W] -> variable-major [n, B, W, d_var]
            out = drop(torch.cat(outs, 0) if len(outs) > 1 else outs[0])
            new_cat.append(out.view(-1, d_var, batch, width).permute(0, 2, 3, 1))
        return (torch.cat(new_cat, 0) if new_cat else None, new_num[0] if new_num else None)

    def discrete(
        self, xc: Tensor, xn: Tensor, allowed: Tensor, bias: Tensor, tables: list[Tensor]
    ) -> tuple[Tensor, Tensor, Tensor]:
        """Discrete layer: xc long [B, W, V] value indices, xn float64 [B, W, U].

        Returns the grown residuals and the bool selection [B, H, W, W] of every head.
        ``tables`` are the categorical MLPs' lookup tables (see :meth:`MLPBank.categorical_table`).
        """
        hc, hn = self.n_cat_heads, self.n_num_heads
        h = hc + hn
        batch, width = xc.shape[:2]
        selected = torch.zeros(batch, 0, width, width, dtype=torch.bool, device=xc.device)
        if h:
            reads = self.read_cat.argmax(-1)
            q = xc[..., reads[:h]].transpose(1, 2)  # [B, H, W]
            k = xc[..., reads[h : 2 * h]].transpose(1, 2)
            wanted = self.predicate.argmax(-1).gather(1, q.transpose(0, 1).flatten(1))
            wanted = wanted.view(h, batch, width).transpose(0, 1)  # key value each query wants
            selected = (wanted.unsqueeze(-1) == k.unsqueeze(-2)) & allowed
        if hc:
            sel = selected[:, :hc]
            best = torch.where(sel, bias, float("-inf")).argmax(-1)
            best = torch.where(sel.any(-1), best, 0)  # no match: BOS
            values = xc[..., reads[2 * h :]].transpose(1, 2)
            xc = torch.cat([xc, values.gather(-1, best).transpose(1, 2)], 2)
        if hn:
            values = xn[..., self.read_num.argmax(-1)].transpose(1, 2)  # [B, Hn, W]
            sums = (selected[:, hc:].double() * values.unsqueeze(-2)).sum(-1)
            xn = torch.cat([xn, sums.transpose(1, 2)], 2)
        new = []
        if self.mlp is not None:
            d_var = self.mlp.w_out.shape[1]
            for m, r in enumerate(self.mlp.reads()):
                flat = torch.zeros_like(xc[..., 0])
                for var in r.tolist():
                    flat = flat * d_var + xc[..., var]
                new.append(tables[m][flat])
        if self.num_mlp is not None:
            for m, r in enumerate(self.num_mlp.reads()):
                vals = xn[..., r].reshape(-1, len(r))
                new.append(self.num_mlp.numerical_apply(m, vals).view(batch, width))
        if new:
            xc = torch.cat([xc, torch.stack(new, -1)], 2)
        return xc, xn, selected


@dataclass
class DiscreteRun:
    """The discrete model on a batch: every variable, the logits and the predictions.

    ``values`` maps a variable name to long [B, W] value indices (categorical) or float64
    [B, W] values (numerical); ``selected`` maps a head name to its bool [B, W, W] selection
    M (query i, key j); ``expert_choice`` (``experts`` only) long [B] the expert chosen
    for each sequence; ``logits`` float64 is [B, W, C] ([B, C] when pooled), masked
    classes -inf; ``predictions`` long is the argmax (first index on ties). Entries at
    padding positions are meaningless.
    """

    values: dict[str, Tensor]
    selected: dict[str, Tensor]
    logits: Tensor
    predictions: Tensor
    expert_choice: Tensor | None = None


class TransformerProgram(nn.Module):
    """A Transformer Program: ``forward`` is the relaxed model, :meth:`run_discrete` the
    discrete one (what gets lowered); :func:`tpc.model.structure.read_structure` reads the discrete program off.

    ``relax_batch_rows`` (not part of the configuration; False unless set): the relaxed
    model draws the Gumbel-softmax of the learned embedding for the rows of the tokens in
    the batch only, not for the whole vocabulary. Same distribution (each row its own
    noise, as before), other random draws, and for a vocabulary of 10,000 words several
    times faster; the trainer sets it for corpus runs, and leaves runs on synthetic tasks
    with the draws (and so the weights) they always had.
    """

    relax_batch_rows: bool = False

    def __init__(self, config: ProgramConfig):
        super().__init__()
        config.check()
        self.config = c = config
        vocab, d = len(c.input_vocab), c.d_var
        self.embed = (
            None
            if c.one_hot_embed
            else nn.Parameter(torch.randn(c.n_vars_cat, vocab, d) / math.sqrt(d))
        )
        self.num_embed = (
            None
            if c.count_only
            else nn.Parameter(torch.randn(vocab, c.n_vars_num) / math.sqrt(c.n_vars_num))
        )
        self.router = ExpertRouter(content_symbols(c.input_vocab)) if c.experts else None
        self.cat_names, self.num_names = self._variable_names()
        layers = []
        n_cat, n_num = c.n_vars_cat + 1, self.n_num_inputs
        for _ in range(c.n_layers):
            layers.append(ProgramLayer(c, n_cat, n_num))
            n_cat += c.n_heads_cat + c.n_cat_mlps + c.n_num_mlps
            n_num += c.n_heads_num
        self.layers = nn.ModuleList(layers)
        n_classes = len(c.classes)
        scale = 1.0 / math.sqrt(n_classes)
        if c.readout_vars:
            r = c.readout_vars
            self.readout_read = nn.Parameter(torch.randn(r, n_cat) / math.sqrt(n_cat))
            self.readout_slots = nn.Parameter(torch.randn(r, d, n_classes) * scale)
        else:
            self.readout_cat = nn.Parameter(torch.randn(n_cat, d, n_classes) * scale)
            self.readout_num = nn.Parameter(torch.randn(n_num, n_classes) * scale)
        self.readout_bias = nn.Parameter(torch.zeros(n_classes))
        self.register_buffer("bias", closest_match_bias(c.max_len), persistent=False)
        self.register_buffer("eye", torch.eye(d), persistent=False)
        mask = torch.zeros(n_classes, dtype=torch.bool)
        mask[list(c.class_mask)] = True
        self.register_buffer("class_mask", mask, persistent=False)
        self.register_buffer("class_penalty", mask.float() * MASKED_LOGIT, persistent=False)

    def readout_weights(self, pick: Pick | None = None) -> tuple[Tensor, Tensor | None]:
        """The readout's weights per categorical variable [V, d_var, C] and per numerical
        one [U, C] (None: it reads none). With ``readout_vars`` the categorical weights are
        the slots' placed at the variables they read: relaxed by ``pick``, or at the
        argmax choices when ``pick`` is None (two slots reading one variable add up)."""
        if not self.config.readout_vars:
            return self.readout_cat, self.readout_num
        if pick is None:
            choice = nn.functional.one_hot(self.readout_read.argmax(-1), len(self.cat_names))
            choice = choice.to(self.readout_slots.dtype)
        else:
            choice = pick(self.readout_read)
        return torch.einsum("rv,rdc->vdc", choice, self.readout_slots), None

    def readout_reads(self) -> list[str]:
        """The variables the discrete readout reads, in residual order."""
        if not self.config.readout_vars:
            return [*self.cat_names, *self.num_names]
        chosen = set(self.readout_read.argmax(-1).tolist())
        return [name for i, name in enumerate(self.cat_names) if i in chosen]

    @property
    def n_num_inputs(self) -> int:
        """The numerical variables before the first layer: the numerical embedding
        (``ones`` or ``num_embed_*``), then ``prefix_count`` and ``expert`` if enabled."""
        c = self.config
        return c.n_vars_num + int(c.prefix_counts) + int(c.experts)

    def _variable_names(self) -> tuple[list[str], list[str]]:
        c = self.config
        cat = ["tokens"] if c.one_hot_embed else [f"embed_{i}" for i in range(c.n_vars_cat)]
        cat.append("indices")
        num = ["ones"] if c.count_only else [f"num_embed_{i}" for i in range(c.n_vars_num)]
        num += ["prefix_count"] * c.prefix_counts + ["expert"] * c.experts
        for layer in range(c.n_layers):
            cat += [f"attn_{layer}_{h}" for h in range(c.n_heads_cat)]
            cat += [f"mlp_{layer}_{i}" for i in range(c.n_cat_mlps)]
            cat += [f"num_mlp_{layer}_{i}" for i in range(c.n_num_mlps)]
            num += [f"num_attn_{layer}_{h}" for h in range(c.n_heads_num)]
        return cat, num

    def head_names(self, layer: int) -> list[str]:
        """Names of layer ``layer``'s heads in selection order (categorical first)."""
        c = self.config
        return [f"attn_{layer}_{h}" for h in range(c.n_heads_cat)] + [
            f"num_attn_{layer}_{h}" for h in range(c.n_heads_num)
        ]

    def _check_batch(self, ids: Tensor, lengths: Tensor) -> None:
        if ids.dim() != 2 or lengths.shape != ids.shape[:1]:
            raise ValueError(
                f"expected ids [B, W] and lengths [B], got {tuple(ids.shape)} "
                f"and {tuple(lengths.shape)}"
            )
        if ids.shape[1] > self.config.max_len:
            raise ValueError(
                f"sequences of width {ids.shape[1]} exceed the model's max "
                f"length {self.config.max_len}"
            )

    def forward(
        self,
        ids: Tensor,
        lengths: Tensor,
        tau: float = 1.0,
        noise: bool = True,
        attention: list[Tensor] | None = None,
        matches: list[Tensor] | None = None,
    ) -> Tensor:
        """Relaxed logits: [B, W, C] per position, [B, C] when pooled.

        Every discrete choice is ``relax(logits, tau, noise)``: Gumbel-softmax in training,
        the tempered softmax with ``noise=False`` (tending to the discrete model as tau -> 0).
        Masked classes get -1e9 added. The result is a view whose memory is class-major
        (``logits.movedim(-1, 0)`` is contiguous), the fast layout for a softmax over classes.
        Dropout applies in training mode (``self.training``) only. ``attention``, if given,
        receives each layer's categorical attention weights, ``matches`` its numerical
        heads' matches (:meth:`ProgramLayer.relaxed`), layer by layer.
        """
        self._check_batch(ids, lengths)
        c = self.config
        batch, width = ids.shape
        pick = functools.partial(relax, tau=tau, noise=noise)
        drop: Drop = no_dropout
        if self.training and c.dropout > 0:
            drop = functools.partial(dropout, p=c.dropout)
        if self.embed is None:
            tokens = self.eye[ids].unsqueeze(0)
        elif self.relax_batch_rows:  # only the rows of this batch's tokens
            rows, where = torch.unique(ids, return_inverse=True)
            tokens = pick(self.embed[:, rows])[:, where]  # [n_vars_cat, B, W, d_var]
        else:
            tokens = pick(self.embed)[:, ids]
        indices = self.eye[:width].expand(1, batch, width, c.d_var)
        cat = [torch.cat([tokens, indices], 0)]
        if self.num_embed is None:
            num = [self.eye.new_ones(1, batch, width)]
        else:
            num = [self.num_embed.T[:, ids]]
        if c.prefix_counts:
            num.append(prefix_counts(ids, lengths).to(self.eye.dtype).unsqueeze(0))
        if self.router is not None:
            expert = self.router.relaxed(ids, lengths, pick)
            num.append(expert[None, :, None].expand(1, batch, width))
        keys = key_major_keys(lengths, width, c.causal)
        score_bias = torch.where(keys, self.bias[:width, :width].T[:, None, None, :], float("-inf"))
        keys = keys.float()
        for layer in self.layers:
            new_cat, new_num = layer.relaxed(
                cat, num, keys, score_bias, pick, drop, attention, matches
            )
            cat += [new_cat] if new_cat is not None else []
            num += [new_num] if new_num is not None else []
        w_cat, w_num = self.readout_weights(pick)
        weights = w_cat.transpose(1, 2).split([x.shape[0] for x in cat])
        logits = sum(
            (w @ x.view(x.shape[0], -1, c.d_var).transpose(1, 2)).sum(0)
            for w, x in zip(weights, cat)
        )
        if w_num is not None:
            logits = logits + read_blocks(w_num.T, num)
        logits = logits + self.readout_bias[:, None]
        logits = logits.view(-1, batch, width).permute(1, 2, 0)  # [B, W, C], class-major memory
        if c.pooled:
            valid = keys[:, 0, :, -1].T.unsqueeze(-1)  # [B, W, 1]: position is not padding
            logits = (logits * valid).sum(1) / valid.sum(1)
        return logits + self.class_penalty

    @torch.inference_mode()
    def run_discrete(self, ids: Tensor, lengths: Tensor) -> DiscreteRun:
        """The discrete model (every choice its argmax) on a batch; see :class:`DiscreteRun`."""
        self._check_batch(ids, lengths)
        c = self.config
        batch, width = ids.shape
        if self.embed is None:
            tokens = ids.unsqueeze(-1)
        else:
            tokens = self.embed.argmax(-1).T[ids]  # [B, W, n_vars_cat]
        indices = torch.arange(width, device=ids.device).expand(batch, width).unsqueeze(-1)
        xc = torch.cat([tokens, indices], -1)
        if self.num_embed is None:
            xn = torch.ones(batch, width, 1, dtype=torch.float64, device=ids.device)
        else:
            xn = self.num_embed.double()[ids]
        extra = []
        if c.prefix_counts:
            extra.append(prefix_counts(ids, lengths))
        choice = None
        if self.router is not None:
            choice, expert = self.router.discrete(ids, lengths)
            extra.append(expert[:, None].expand(batch, width))
        if extra:
            xn = torch.cat([xn, torch.stack(extra, -1)], -1)
        allowed = allowed_keys(lengths, width, c.causal)
        bias = self.bias[:width, :width]
        selected: dict[str, Tensor] = {}
        for index, layer in enumerate(self.layers):
            tables = (
                [layer.mlp.categorical_table(m) for m in range(c.n_cat_mlps)]
                if layer.mlp is not None
                else []
            )
            xc, xn, sel = layer.discrete(xc, xn, allowed, bias, tables)
            selected.update(zip(self.head_names(index), sel.unbind(1)))
        n_cat = xc.shape[-1]
        w_cat, w_num = self.readout_weights()
        logits = self.readout_bias.double() + w_cat.double()[
            torch.arange(n_cat, device=ids.device), xc
        ].sum(2)
        if w_num is not None:
            logits = logits + (xn.unsqueeze(-1) * w_num.double()).sum(2)
        if c.pooled:
            valid = allowed[:, 0, -1, :].unsqueeze(-1).double()
            logits = (logits * valid).sum(1) / valid.sum(1)
        logits = logits.masked_fill(self.class_mask, float("-inf"))
        values = dict(zip(self.cat_names, xc.unbind(-1)))
        values.update(zip(self.num_names, xn.unbind(-1)))
        run = DiscreteRun(values, selected, logits, logits.argmax(-1))
        if choice is not None:
            run.expert_choice = choice
        return run

    def predict(self, ids: Tensor, lengths: Tensor) -> Tensor:
        """Discrete predictions (class ids), [B, W] or [B] when pooled."""
        return self.run_discrete(ids, lengths).predictions

    def trace(
        self, ids: Tensor | np.ndarray, lengths: Tensor | np.ndarray
    ) -> dict[str, np.ndarray]:
        """Every variable of the discrete model as numpy [B, W] (value indices for
        categorical variables, values for numerical ones) plus ``"predictions"`` (class ids)
        and ``"logits"`` (and ``"expert_choice"``, the chosen expert's number at every
        position, with ``experts``). Inputs are id arrays as made by ``tpc.tasks.encode``."""
        device = self.readout_bias.device
        run = self.run_discrete(
            torch.as_tensor(ids, device=device), torch.as_tensor(lengths, device=device)
        )
        out = {name: v.cpu().numpy() for name, v in run.values.items()}
        if run.expert_choice is not None:  # the lowered program's node of that name
            choice = run.expert_choice.cpu().numpy()
            out["expert_choice"] = np.repeat(choice[:, None], np.shape(ids)[1], 1)
        out["predictions"] = run.predictions.cpu().numpy()
        out["logits"] = run.logits.cpu().numpy()
        return out
