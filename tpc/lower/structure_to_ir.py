"""A Transformer Program's structure (:mod:`tpc.model.structure`) → an IR program, exactly.

Every variable of the discrete model becomes one IR node of the same name:

* ``tokens`` / ``indices`` → the IR inputs (the IR vocabulary is the model's input vocabulary
  without ``<pad>``, which never occurs inside an input); ``ones`` → numerical
  ``Constant(1)``; learned embeddings → ``Map``s of ``tokens``;
* ``prefix_count`` and ``expert`` → :mod:`tpc.lower.extras_to_ir`;
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

import numpy as np

from tpc.ir import Categorical, Program, ProgramBuilder, Readout, TablePredicate
from tpc.ir.types import value_set
from tpc.lower.errors import LoweringError
from tpc.lower.extras_to_ir import expert_multiple_sum, lower_experts, lower_prefix_count
from tpc.tasks import BOS, EOS, PAD

#: Largest table a numerical MLP is tabulated into.
MAX_NUMERICAL_TABLE = 1_000_000


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
        lower_prefix_count(b)
    # numerical variables that are integer multiples 0..m of `expert` (per sequence)
    multiples: dict[str, int] = {}
    if s.router is not None:
        lower_experts(b, s.router)
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
        most = multiples[head.value] * b.max_len
        multiples[head.name] = most
        out = expert_multiple_sum(b, head.name, sel, head.value, most)
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
