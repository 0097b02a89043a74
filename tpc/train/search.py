"""Discrete search for a better wiring of a trained categorical-only Transformer Program.

Gradient training of the relaxed model can miss a structure made of two parts that are
useless alone: a head that fetches a token from a chosen position and an MLP that compares
it with the token at the query (README, "Categorical-only hist"). The relaxed attention
averages over every matching key, a soft count that no discrete head can make, so the
gradient points elsewhere. This module searches the wiring directly, on the discrete model.

**Score.** A wiring is scored by :class:`ReadoutProxy`: the token accuracy, on the training
split (or a random sample of its sequences), of the best additive readout (multinomial
logistic regression) over one-hot features of every categorical variable, except that each
categorical MLP is represented by the one-hot of the tuple of values it reads (the most an
MLP table could pass on). Variables are computed by the discrete model with the candidate
wiring; MLPs downstream of a change keep their current tables.

**Moves.** For each layer and categorical head in turn, every (query, key, value) choice of
readable variables, with the predicate taken from the current head (same query and key),
the identity or a random one, either alone or together with one MLP of the layer rewired to
read the head (and any variable): a compound move, because the head alone may be worth
nothing. At most ``budget`` of these candidates per head are scored (a seeded random
subset, the current wiring always included). The best ``refine`` candidates then have
their predicate improved by coordinate descent, one query value's row at a time over the
key values that occur. The best result replaces the head if it raises the score by more
than ``min_gain`` (default half a point: a head that adds less is not worth its lines of
program). Rounds repeat until one changes nothing or ``rounds`` are done.

``tpc search-wiring RUN_DIR -o wiring.json`` runs it; ``tpc train --wiring wiring.json``
then trains the MLPs and the readout under the wiring found (:mod:`tpc.train.wiring`).
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import random
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import Tensor

from tpc.errors import TpcError
from tpc.model import TransformerProgram
from tpc.train.data import Split
from tpc.train.interrupts import deferred_interrupts
from tpc.train.wiring import (
    HeadWiring,
    LayerWiring,
    Wiring,
    head_inputs,
    mlp_inputs,
    read_wiring,
    set_choices,
)

Log = Callable[[str], None]


class SearchError(TpcError):
    """A model the wiring search cannot take."""


@dataclass(frozen=True)
class Score:
    """Proxy accuracy (higher is better) and cross-entropy (breaks ties) on the train split."""

    accuracy: float
    loss: float

    def beats(self, other: Score, min_gain: float) -> bool:
        return self.accuracy > other.accuracy + min_gain


class ReadoutProxy:
    """Scores the values of a discrete model's variables on a split's scored positions by
    the best additive readout over them (see the module doc).

    Rows with identical features are grouped (their label counts kept), which makes a fit
    of ``steps`` full-batch Adam steps take a fraction of a second.
    """

    def __init__(self, labels: Tensor, d_var: int, n_classes: int, steps: int = 100):
        self.scored = labels != 0
        self.labels = labels[self.scored]
        self.d_var, self.n_classes, self.steps = d_var, n_classes, steps

    def score(self, values: Tensor, one_hot: list[int], tuples: list[tuple[int, ...]]) -> Score:
        """``values`` long [B, W, V]; ``one_hot``: the variables read as one-hot values;
        ``tuples``: the variable tuples read as one-hot value tuples (an MLP's inputs)."""
        rows = values[self.scored]
        d = self.d_var
        columns, sizes, offset = [], [], 0
        for var in one_hot:
            columns.append(rows[:, var] + offset)
            sizes.append(offset + d)
            offset += d
        for group in tuples:
            flat = torch.zeros_like(rows[:, 0])
            for var in group:
                flat = flat * d + rows[:, var]
            columns.append(flat + offset)
            sizes.append(offset + d ** len(group))
            offset += d ** len(group)
        features = torch.stack(columns, 1)
        group = torch.zeros_like(columns[0])
        for column, size in zip(columns, sizes):
            group = torch.unique(group * size + column, return_inverse=True)[1]
        first = torch.full((int(group.max()) + 1,), len(group), dtype=torch.long)
        first.scatter_reduce_(0, group, torch.arange(len(group)), reduce="amin")
        unique, inverse = features[first], group
        counts = torch.zeros(len(unique), self.n_classes)
        counts.index_put_((inverse, self.labels), torch.ones(len(inverse)), accumulate=True)
        logits = _fit_readout(unique, counts, offset, self.steps)
        n = len(inverse)
        right = counts.gather(1, logits.argmax(1, keepdim=True)).sum().item()
        loss = -(counts * logits.log_softmax(1)).sum().item() / n
        return Score(right / n, loss)


def _fit_readout(rows: Tensor, counts: Tensor, n_features: int, steps: int) -> Tensor:
    """Logits [G, C] of the additive readout fitted by ``steps`` full-batch Adam steps
    (lr 0.3, from zero) on the mean cross-entropy of grouped rows: row g has the features
    ``rows[g]`` (distinct column indices) and ``counts[g, c]`` positions of class c.

    The gradient is written out (a sparse one-hot matrix and its transpose), three times
    faster than autograd through a gather."""
    g, k = rows.shape
    n = counts.sum()
    total = counts.sum(1, keepdim=True)
    row_ids = torch.arange(g).repeat_interleave(k)
    ones = torch.ones(g * k)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "sparse CSR support is in beta"
        x = torch.sparse_coo_tensor(torch.stack([row_ids, rows.flatten()]), ones, (g, n_features))
        x_t = x.t().coalesce().to_sparse_csr()
        x = x.coalesce().to_sparse_csr()
        weights = torch.zeros(n_features, counts.shape[1])
        m, v = torch.zeros_like(weights), torch.zeros_like(weights)
        beta1, beta2, lr, eps = 0.9, 0.999, 0.3, 1e-8
        for step in range(1, steps + 1):
            grad = x_t @ ((x @ weights).softmax(1) * total - counts) / n
            m.mul_(beta1).add_(grad, alpha=1 - beta1)
            v.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            denom = (v / (1 - beta2**step)).sqrt_().add_(eps)
            weights.addcdiv_(m, denom, value=-lr / (1 - beta1**step))
        return x @ weights


@dataclass
class SearchResult:
    """The wiring found, its score and the start's, one line per accepted move, how many
    wirings were scored, and whether Ctrl-C stopped the search (between two heads' moves:
    the wiring is the one accepted last)."""

    wiring: Wiring
    start: Score
    score: Score
    moves: list[str]
    evaluated: int
    interrupted: bool = False


def check_searchable(model: TransformerProgram) -> None:
    """Raise :class:`SearchError` unless the search supports ``model``."""
    c = model.config
    if c.n_heads_num or c.n_num_mlps or not c.count_only:
        raise SearchError(
            "search-wiring needs a categorical-only program (no numerical heads or MLPs)"
        )
    if c.readout_vars or c.pooled:
        raise SearchError("search-wiring needs the paper's per-position readout of every variable")
    if c.n_heads_cat == 0:
        raise SearchError("the model has no categorical heads to rewire")


class Evaluator:
    """Scores wirings of one model on one split: ``evaluator(wiring)`` is the
    :class:`ReadoutProxy` score of the discrete model's variables under ``wiring``."""

    def __init__(self, model: TransformerProgram, split: Split, steps: int):
        self.model = copy.deepcopy(model)
        self.split = split
        self.proxy = ReadoutProxy(
            split.labels, model.config.d_var, len(model.config.classes), steps
        )
        c = model.config
        mlp_names = {f"mlp_{lay}_{m}" for lay in range(c.n_layers) for m in range(c.n_cat_mlps)}
        self.one_hot = [i for i, name in enumerate(model.cat_names) if name not in mlp_names]
        self.evaluated = 0
        self._cached_key: object = None
        self._cached = torch.empty(0)

    def values(self, wiring: Wiring) -> Tensor:
        """Long [B, W, V]: every categorical variable of the discrete model under ``wiring``.

        Cached on what the values depend on: every head's wiring and the MLP reads of every
        layer but the last (the last layer's MLPs feed only the readout, which the proxy
        reads through their input tuples).
        """
        key = (
            tuple(lw.heads for lw in wiring.layers),
            tuple(lw.mlps for lw in wiring.layers[: self.model.config.n_layers - 1]),
        )
        if key != self._cached_key:
            set_choices(self.model, wiring)
            with torch.no_grad():
                run = self.model.run_discrete(self.split.ids, self.split.lengths)
            self._cached = torch.stack([run.values[n] for n in self.model.cat_names], -1)
            self._cached_key = key
        return self._cached

    def __call__(self, wiring: Wiring) -> Score:
        tuples = [reads for lw in wiring.layers for reads in lw.mlps if reads is not None]
        self.evaluated += 1
        return self.proxy.score(self.values(wiring), self.one_hot, tuples)


def _replace(
    wiring: Wiring, layer: int, head: int, hw: HeadWiring, mlp: tuple[int, tuple[int, ...]] | None
) -> Wiring:
    lw = wiring.layers[layer]
    heads = list(lw.heads)
    heads[head] = hw
    mlps = list(lw.mlps)
    if mlp is not None:
        mlps[mlp[0]] = mlp[1]
    layers = list(wiring.layers)
    layers[layer] = LayerWiring(tuple(heads), tuple(mlps))
    return Wiring(tuple(layers))


def search_wiring(
    model: TransformerProgram,
    train: Split,
    *,
    rounds: int = 2,
    budget: int = 200,
    refine: int = 2,
    min_gain: float = 0.005,
    steps: int = 100,
    sample: int = 5000,
    layers: tuple[int, ...] | None = None,
    seed: int = 0,
    log: Log | None = None,
) -> SearchResult:
    """Search a wiring for ``model`` scored on ``train`` (see the module doc), or on a
    seeded random ``sample`` of its sequences when it has more (0: all of them); the heads
    of ``layers`` only (default: every layer)."""
    check_searchable(model)
    if layers is not None and not all(0 <= layer < model.config.n_layers for layer in layers):
        raise SearchError(f"--layers: the model has layers 0..{model.config.n_layers - 1}")
    say = log or (lambda _msg: None)
    rng = random.Random(seed)
    gen = torch.Generator().manual_seed(seed)
    if 0 < sample < len(train):
        keep = torch.randperm(len(train), generator=gen)[:sample]
        train = Split(train.ids[keep], train.lengths[keep], train.labels[keep])
    evaluate = Evaluator(model, train, steps)
    c = model.config
    wiring = read_wiring(model)
    best = start = evaluate(wiring)
    say(f"start: proxy train accuracy {start.accuracy:.4f}")
    moves: list[str] = []
    interrupted = False
    try:
        for rnd in range(rounds):
            changed = False
            for layer in range(c.n_layers) if layers is None else sorted(set(layers)):
                for head in range(c.n_heads_cat):
                    top_score, top, tried = _improve_head(
                        evaluate,
                        model,
                        wiring,
                        best,
                        layer,
                        head,
                        budget,
                        refine,
                        min_gain,
                        rng,
                        gen,
                    )
                    label = f"round {rnd + 1}: attn_{layer}_{head}"
                    if top is wiring:
                        say(f"{label}: kept (proxy {best.accuracy:.4f}, {tried} candidates)")
                        continue
                    move = (
                        f"{label}: {_describe(model, top, layer, head)}: "
                        f"{best.accuracy:.4f} -> {top_score.accuracy:.4f}"
                    )
                    with deferred_interrupts():  # a move is recorded and made together
                        moves.append(move)
                        wiring, best, changed = top, top_score, True
                    say(move)
            if not changed:
                break
    except KeyboardInterrupt:
        interrupted = True
        say("interrupted: keeping the moves accepted so far")
    return SearchResult(wiring, start, best, moves, evaluate.evaluated, interrupted)


def _improve_head(
    evaluate: Evaluator,
    model: TransformerProgram,
    wiring: Wiring,
    best: Score,
    layer: int,
    head: int,
    budget: int,
    refine: int,
    min_gain: float,
    rng: random.Random,
    gen: torch.Generator,
) -> tuple[Score, Wiring, int]:
    """The best rewiring of one head (``wiring`` itself if none beats ``best``), its score
    and the number of screening candidates."""
    c = model.config
    n_head_in, n_mlp_in = len(head_inputs(model, layer)), len(mlp_inputs(model, layer))
    candidates = _candidates(
        wiring, layer, head, n_head_in, n_mlp_in, n_head_in + head, c.d_var, c.mlp_vars_in, gen
    )
    if len(candidates) > budget:
        candidates = [candidates[0], *rng.sample(candidates[1:], budget - 1)]
    scored = sorted(
        ((evaluate(w), i, w) for i, w in enumerate(candidates)),
        key=lambda t: (-t[0].accuracy, t[0].loss, t[1]),
    )
    top_score, top = best, wiring
    for score, _, cand in scored[:refine]:
        score, cand = _descend(evaluate, cand, score, layer, head, min_gain)
        if score.beats(top_score, min_gain):
            top_score, top = score, cand
    return top_score, top, len(candidates)


def _candidates(
    wiring: Wiring,
    layer: int,
    head: int,
    n_head_in: int,
    n_mlp_in: int,
    head_var: int,
    d: int,
    n_in: int,
    gen: torch.Generator,
) -> list[Wiring]:
    """The current wiring first, then every screening candidate for one head."""
    current = wiring.layers[layer].heads[head]
    assert current is not None
    out = [wiring]
    mlp_moves: list[tuple[int, tuple[int, ...]] | None] = [None]
    for m, reads in enumerate(wiring.layers[layer].mlps):
        assert reads is not None
        if n_in == 1:
            mlp_moves.append((m, (head_var,)))
        else:
            mlp_moves += [(m, (x, head_var, *reads[2:])) for x in range(n_mlp_in) if x != head_var]
    identity = tuple(range(d))
    for q, k, v in itertools.product(range(n_head_in), repeat=3):
        preds = [identity, tuple(torch.randint(0, d, (d,), generator=gen).tolist())]
        if (q, k) == (current.query, current.key):
            preds.insert(0, current.predicate)
        for pred in dict.fromkeys(preds):
            hw = HeadWiring(q, k, v, pred)
            for mm in mlp_moves:
                if hw == current and mm is None:
                    continue
                out.append(_replace(wiring, layer, head, hw, mm))
    return out


def _descend(
    evaluate: Evaluator,
    wiring: Wiring,
    score: Score,
    layer: int,
    head: int,
    min_gain: float,
) -> tuple[Score, Wiring]:
    """Coordinate descent on one head's predicate rows (query values that occur), over the
    key values that occur plus one that never does (no match: attend to BOS)."""
    hw = wiring.layers[layer].heads[head]
    assert hw is not None
    values, split = evaluate.values(wiring), evaluate.split
    valid = torch.arange(split.ids.shape[1])[None, :] < split.lengths[:, None]
    queries = sorted(set(values[..., hw.query][valid].tolist()))
    keys = sorted(set(values[..., hw.key][valid].tolist()))
    absent = [v for v in range(evaluate.model.config.d_var) if v not in keys][:1]
    for _sweep in range(2):
        improved = False
        for q in queries:
            for k in keys + absent:
                if k == hw.predicate[q]:
                    continue
                pred = list(hw.predicate)
                pred[q] = k
                trial_hw = dataclasses.replace(hw, predicate=tuple(pred))
                trial = _replace(wiring, layer, head, trial_hw, None)
                s = evaluate(trial)
                if s.beats(score, min_gain / 10):
                    score, wiring, hw, improved = s, trial, trial_hw, True
        if not improved:
            break
    return score, wiring


def _describe(model: TransformerProgram, wiring: Wiring, layer: int, head: int) -> str:
    hw = wiring.layers[layer].heads[head]
    assert hw is not None
    names_h, names_m = head_inputs(model, layer), mlp_inputs(model, layer)
    text = (
        f"query {names_h[hw.query]}, key {names_h[hw.key]}, value {names_h[hw.value]}, "
        f"predicate {list(hw.predicate)}"
    )
    reads = [
        f"mlp_{layer}_{m} reads {', '.join(names_m[v] for v in r)}"
        for m, r in enumerate(wiring.layers[layer].mlps)
        if r is not None
    ]
    return text + "; " + "; ".join(reads)
