"""Lowering: a trained Transformer Program's discrete weights → an IR program, exactly.

Every variable of the discrete model becomes one IR node of the same name:

* ``tokens`` / ``indices`` → the IR inputs (the IR vocabulary is the model's input vocabulary
  without ``<pad>``, which never occurs inside an input); ``ones`` → numerical
  ``Constant(1)``; learned embeddings → ``Map``s of ``tokens``;
* ``prefix_count`` → ``SelectorWidth`` of ``Select(tokens, tokens, EQ) and
  Select(indices, indices, LEQ)`` (query i selects key j iff tokens[j] == tokens[i] and
  j <= i), then a numerical ``Map`` onto 1..N (:func:`_lower_prefix_count`);
* ``expert`` → per content symbol a ``SelectorWidth`` counting it, the router's logits as
  chains of open maps in the model's float64 order, the first argmax and the experts'
  values as small tables (:func:`_lower_experts`);
* categorical head ``attn_l_h`` → ``Select(key, query, TablePredicate)`` + ``Aggregate(closest)``
  (the predicate lists the (query, key) value pairs with ``predicate[query] == key``);
* numerical head ``num_attn_l_h`` → ``Select`` + ``Aggregate(sum)``;
* categorical MLP → ``Map``/``SequenceMap`` tabulated from the MLP's own argmax table;
  numerical MLP → a table over the values its inputs can reach (value-set inference),
  computed with the model's own arithmetic; MLPs reading more than two variables are
  lowered through pairing maps;
* readout → ``Readout`` with one weight row per reachable value.

Value indices that a variable can never hold (``None`` labels) get no table rows. Each node's
``meta`` records which weights it came from.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tpc.errors import TpcError
from tpc.ir import (
    Aggregate,
    Categorical,
    Numerical,
    Program,
    ProgramBuilder,
    Readout,
    TablePredicate,
)
from tpc.ir.forms import literal
from tpc.ir.reading import TextReading
from tpc.ir.types import value_set
from tpc.tasks import BOS, EOS, PAD, UNK, get_corpus

if TYPE_CHECKING:
    from tpc.train import Run, TrainConfig

#: Largest table a numerical MLP is tabulated into.
MAX_NUMERICAL_TABLE = 1_000_000


class LoweringError(TpcError):
    """A model that has no exact finite program (e.g. unbounded numerical value sets)."""


def _labels(b: ProgramBuilder, structure, name: str) -> dict[object, int]:
    """Label → value index of a lowered categorical variable, for the values its node can hold."""
    var = structure.variable(name)
    reachable = set(b.values_of(name))
    return {lab: i for i, lab in enumerate(var.values) if lab is not None and lab in reachable}


def lower_structure(structure, meta: dict | None = None) -> Program:
    """The IR program of a :class:`tpc.model.structure.ProgramStructure`."""
    s = structure
    vocab = tuple(t for t in s.input_vocab if t != PAD)
    b = ProgramBuilder(
        vocab=vocab,
        max_len=s.max_len,
        bos=BOS if BOS in vocab else None,
        eos=EOS if EOS in vocab else None,
        meta=meta,
    )
    token_ids = {t: i for i, t in enumerate(s.input_vocab)}
    for emb in s.embeddings:
        if emb.kind == "categorical":
            table = {t: int(emb.table[token_ids[t]]) for t in vocab}
            node = b.map(table.__getitem__, b.tokens, name=emb.name)
        else:
            table = {t: float(emb.table[token_ids[t]]) for t in vocab}
            node = b.map(table.__getitem__, b.tokens, numerical=True, name=emb.name)
        b.nodes[node].meta = {"weights": "embed" if emb.kind == "categorical" else "num_embed"}
    if any(v.name == "ones" for v in s.variables):
        b.constant(1, numerical=True, name="ones")
    if s.prefix_counts:
        _lower_prefix_count(b)
    # numerical variables that are integer multiples 0..m of `expert` (per sequence)
    multiples: dict[str, int] = {}
    if s.router is not None:
        _lower_experts(b, s.router)
        multiples["expert"] = 1

    mlps_by_layer: dict[int, list] = {}
    for mlp in s.mlps:
        mlps_by_layer.setdefault(mlp.layer, []).append(mlp)
    layers = sorted({h.layer for h in s.heads} | set(mlps_by_layer))
    for layer in layers:
        for head in (h for h in s.heads if h.layer == layer):
            _lower_head(b, s, head, multiples)
        for mlp in mlps_by_layer.get(layer, []):
            _lower_mlp(b, s, mlp)
    return b.build(_lower_readout(b, s))


def _lower_prefix_count(b: ProgramBuilder) -> None:
    """``prefix_count``: at i, how many real positions j <= i hold tokens[i]. The width
    is never 0 at a real position (i selects itself), so the map sends 0 to 1 and the
    value set is 1..N."""
    same = b.select(b.tokens, b.tokens, "EQ", name="prefix_count_same_token")
    upto = b.select(b.indices, b.indices, "LEQ", name="prefix_count_up_to")
    sel = b.selector_op("and", same, upto, name="prefix_count_select")
    width = b.selector_width(sel, name="prefix_count_width")
    node = b.map(lambda w: max(w, 1), width, numerical=True, name="prefix_count")
    for name in (same, upto, sel, width, node):
        b.nodes[name].meta = {"weights": "none (prefix_counts)"}


def _lower_experts(b: ProgramBuilder, router) -> None:
    """``expert`` (:mod:`tpc.model.extras`), exactly as the discrete model computes it.

    * ``expert_count_t``: the count of content symbol t, the width of
      ``select(tokens, tokens, key == t)``; ``expert_total``: the count of every content
      symbol, the width of ``select(tokens, tokens, key in symbols)``;
    * ``expert_logit_e``: ``b[e] + count_0 * w[e, 0]``, then ``+ count_t * w[e, t]``
      for t = 1..S-1, one open map per term: float64, each product and sum rounded, as
      the model computes them (weights are float32 values, written exactly);
    * ``expert_best_e``: the running maximum of the logits, ``expert_is_e``: logit e equals
      the maximum, ``expert_choice``: the first such e (the model's argmax);
    * the experts' values e0 .. e3 as chains of small tables over the counts, and
      ``expert``: the chosen one's value (``expert_pick_e`` carries ``-c`` while expert
      c > e is still to come).
    """
    meta = {"weights": "router.weight, router.bias"}
    symbols = [t for t in router.symbols if t in b.vocab]
    if len(symbols) != len(router.symbols):
        raise LoweringError("the expert router counts a token outside the program's vocabulary")
    start = len(b.nodes)
    counts = []
    for i, sym in enumerate(symbols):
        sel = b.select(
            b.tokens,
            b.tokens,
            TablePredicate(frozenset((q, sym) for q in b.vocab)),
            name=f"expert_select_{i}",
        )
        counts.append(b.selector_width(sel, name=f"expert_count_{i}"))
        b.nodes[counts[-1]].meta = {"symbol": sym}
    every = TablePredicate(frozenset((q, k) for q in b.vocab for k in symbols))
    total = b.selector_width(
        b.select(b.tokens, b.tokens, every, name="expert_select_all"), name="expert_total"
    )
    # the router's logits, in the model's order
    logits = []
    for e in range(len(router.bias)):
        bias = float(router.bias[e])
        if not symbols:
            logits.append(b.constant(bias, numerical=True, name=f"expert_logit_{e}"))
            continue
        node = b.open_map(
            f"{_literal(bias)} + (x * {_literal(float(router.weight[e, 0]))})",
            counts[0],
            name=f"expert_logit_{e}" if len(symbols) == 1 else f"expert_logit_{e}_0",
        )
        for t in range(1, len(symbols)):
            node = b.open_map(
                f"x + (y * {_literal(float(router.weight[e, t]))})",
                node,
                counts[t],
                name=f"expert_logit_{e}" if t == len(symbols) - 1 else f"expert_logit_{e}_{t}",
            )
        logits.append(node)
    # the first argmax
    best = logits[0]
    for e in range(1, len(logits)):
        best = b.open_map("y if y > x else x", best, logits[e], name=f"expert_best_{e}")
    choice = None
    last = len(logits) - 1
    for e in range(last):
        is_e = b.open_map("x == y", logits[e], best, name=f"expert_is_{e}")
        if choice is None:
            choice = b.table_map({True: 0, False: -1}, is_e, name="expert_choice_0")
            continue
        choice = b.table_map(
            {
                (c, m): c if c >= 0 else (e if m else -1)
                for c in range(-1, e)
                for m in (False, True)
            },
            choice,
            is_e,
            name=f"expert_choice_{e}",
        )
    # no earlier logit is the maximum: the last one is
    choice = b.map(lambda c: c if c >= 0 else last, choice, name="expert_choice")
    # the experts' values
    top = counts[0] if counts else b.constant(0, name="expert_max")
    for t in range(1, len(counts)):
        top = b.sequence_map(
            max, top, counts[t], name="expert_max" if t == len(counts) - 1 else None
        )
    ratio = b.sequence_map(
        lambda m, n: m / n if n else 0.0, top, total, numerical=True, name="expert_ratio"
    )
    nonzero = b.constant(0, name="expert_nonzero") if not counts else None
    for t, count in enumerate(counts):
        name = "expert_nonzero" if t == len(counts) - 1 else None
        nonzero = (
            b.map(lambda c: int(c > 0), count, name=name)
            if nonzero is None
            else b.sequence_map(lambda n, c: n + int(c > 0), nonzero, count, name=name)
        )
    changes = b.constant(0, name="expert_changes") if len(counts) < 2 else None
    for t in range(1, len(counts)):
        last_pair = t == len(counts) - 1
        differs = b.sequence_map(
            lambda x, y: int(x != y),
            counts[t - 1],
            counts[t],
            name="expert_changes" if last_pair and changes is None else f"expert_differs_{t}",
        )
        changes = (
            differs
            if changes is None
            else b.sequence_map(
                lambda x, y: x + y, changes, differs, name="expert_changes" if last_pair else None
            )
        )
    # the chosen expert's value: pick_e holds the value once expert e was chosen, else -c
    pick = b.sequence_map(
        lambda c, v: float(v) if c == 0 else -c, choice, total, numerical=True, name="expert_pick_0"
    )
    for e, value in ((1, ratio), (2, nonzero), (3, changes)):
        pick = b.sequence_map(
            lambda p, v, e=e: float(v) if p == -e else p,
            pick,
            value,
            numerical=True,
            name=f"expert_pick_{e}",
        )
    b.map(lambda p: 0.0 if p == -4 else p, pick, numerical=True, name="expert")
    for name in list(b.nodes)[start:]:
        b.nodes[name].meta = {**meta, **b.nodes[name].meta}


def _literal(x: float) -> str:
    """A float64 as form text that reads back as the same float64."""
    text = literal(float(x))
    if text is None:
        raise LoweringError(f"the expert router has a weight {x!r} that is not finite")
    return text


def _lower_head(b: ProgramBuilder, s, head, multiples: dict[str, int]) -> None:
    queries, keys = _labels(b, s, head.query), _labels(b, s, head.key)
    key_of_index = {i: lab for lab, i in keys.items()}
    pairs = frozenset(
        (q, key_of_index[head.predicate[qi]])
        for q, qi in queries.items()
        if head.predicate[qi] in key_of_index
    )
    sel = b.select(
        head.key, head.query, TablePredicate(pairs), causal=head.causal, name=f"select_{head.name}"
    )
    b.nodes[sel].meta = {"weights": f"layers.{head.layer}.predicate", "head": head.name}
    if head.reduce == "sum" and head.value in multiples:
        # the value is an integer multiple (0..most) of `expert`, one value per sequence:
        # so is the sum, which is typed exactly (inference would give up on such sums)
        most = multiples[head.value] * b.max_len
        multiples[head.name] = most
        values = value_set(b.type_of("expert")) or ()
        sums = {float(k * Fraction(v)) for k in range(most + 1) for v in values}
        node = Aggregate(
            head.name,
            Numerical(tuple(sorted(int(x) if x.is_integer() else x for x in sums))),
            sel=sel,
            values=head.value,
            reduce="sum",
        )
        out = b.add(node)
    else:
        out = b.aggregate(sel, head.value, reduce=head.reduce, name=head.name)
    b.nodes[out].meta = {"weights": f"layers.{head.layer}.read_cat", "layer": head.layer}


def _lower_mlp(b: ProgramBuilder, s, mlp) -> None:
    meta = {"weights": f"layers.{mlp.layer}.{'mlp' if mlp.kind == 'categorical' else 'num_mlp'}"}
    if mlp.kind == "categorical":
        labels = [_labels(b, s, name) for name in mlp.inputs]
        table = {
            combo: int(mlp.table[tuple(lab[c] for lab, c in zip(labels, combo))])
            for combo in itertools.product(*labels)
        }
    else:
        domains = [value_set(b.type_of(name)) for name in mlp.inputs]
        if any(d is None for d in domains):
            raise LoweringError(f"{mlp.name} reads a numerical variable with no finite value set")
        combos = list(itertools.product(*domains))
        if len(combos) > MAX_NUMERICAL_TABLE:
            raise LoweringError(
                f"{mlp.name}: {len(combos):,} input combinations are too many to tabulate"
            )
        outputs = mlp.apply(
            np.array(combos, dtype=np.float64).reshape(len(combos), len(mlp.inputs))
        )
        table = dict(zip(combos, outputs.tolist()))
    _tabulate(b, mlp.name, list(mlp.inputs), table, meta)


def _tabulate(b: ProgramBuilder, name: str, inputs: list[str], table: dict, meta: dict) -> None:
    """A node ``name`` computing ``table[(x1, ..., xn)]``; n > 2 inputs are paired first."""
    if len(inputs) == 1:
        node = b.table_map({k[0]: v for k, v in table.items()}, inputs[0], name=name)
    elif len(inputs) == 2:
        node = b.table_map(table, inputs[0], inputs[1], name=name)
    else:
        paired = b.sequence_map(lambda x, y: f"{x}|{y}", inputs[0], inputs[1], name=f"{name}_pair")
        rest = {(f"{k[0]}|{k[1]}", *k[2:]): v for k, v in table.items()}
        return _tabulate(b, name, [paired, *inputs[2:]], rest, meta)
    b.nodes[node].meta = meta


def _lower_readout(b: ProgramBuilder, s) -> str:
    r = s.readout
    features, weights = [], []
    for var in s.variables:
        read = r.categorical if var.kind == "categorical" else r.numerical
        if var.name not in b.nodes or var.name not in read:
            continue
        if var.kind == "categorical":
            labels = _labels(b, s, var.name)
            values = value_set(b.type_of(var.name))
            block = r.categorical[var.name]
            weights.append({v: [float(x) for x in block[labels[v]]] for v in values})
        else:
            weights.append([float(x) for x in r.numerical[var.name]])
        features.append(var.name)
    mask = [i not in set(r.mask) for i in range(len(r.classes))]
    node = Readout(
        b.fresh("readout"),
        Categorical(tuple(r.classes)),
        features=features,
        weights=weights,
        bias=[float(x) for x in r.bias],
        mask=mask,
        pooled=r.pooled,
        meta={"weights": "readout_cat, readout_num, readout_bias"},
    )
    return b.add(node)


def inputs_meta(train: TrainConfig) -> dict:
    """What a run's inputs are: a synthetic task's ``domain`` (every input up to N over k
    tokens), or for a corpus how raw text is read (``text``, :mod:`tpc.ir.reading`)."""
    if not train.is_corpus():
        return {"domain": dict(zip(("task", "k", "n"), (train.task, *train.task_size())))}
    reading = TextReading(
        corpus=train.task,
        kind=get_corpus(train.task).kind,
        lowercase=train.lowercase,
        replace_numbers=train.replace_numbers,
        unk=UNK,
    )
    return {"text": reading.to_meta()}


def lower_run(run: str | Path | Run) -> Program:
    """Lower the discrete model of a finished training run: a run directory, or a run
    already read with :func:`tpc.train.load_run`."""
    from tpc.model import TransformerProgram, config_to_dict, read_structure
    from tpc.train import load_run

    if isinstance(run, (str, Path)):
        run = load_run(run)
    if not isinstance(run.model, TransformerProgram):
        raise LoweringError(
            f"{run.path} holds a standard Transformer, which has no program to lower"
        )
    meta = {"source": "tpc lower", "task": run.train.task, **inputs_meta(run.train)}
    meta["model"] = config_to_dict(run.config)
    if run.results:
        meta["results"] = run.results
    return lower_structure(read_structure(run.model), meta=meta)
