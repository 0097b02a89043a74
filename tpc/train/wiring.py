"""Wiring: the discrete choices that connect a Transformer Program's parts, as a file.

The wiring of a categorical attention head is what it reads (query, key and value
variables) and its predicate; the wiring of a categorical MLP is the variables it reads.
What is left (the MLPs' weights, the readout) is what a table-fitting trainer learns.
``tpc train --wiring FILE`` fixes the wiring of FILE and trains the rest;
``tpc search-wiring`` (:mod:`tpc.train.search`) finds a wiring by discrete search.

File format (JSON, ``"format": "tpc-wiring/1"``)::

    {"format": "tpc-wiring/1",
     "layers": [{"heads": [{"query": "indices", "key": "indices", "value": "tokens",
                            "predicate": [0, 5, 5, 6, 1, 1, 1, 1]}, null, ...],
                 "mlps": [["tokens", "attn_0_0"], null]}, ...]}

Other top-level keys (``tpc search-wiring`` adds ``found_by``) are kept for people and
ignored. One entry per layer (missing trailing layers are learned), one per categorical head and
per categorical MLP of the layer; ``null`` leaves that part learned. Variables are named as
in the model (``tokens``, ``indices``, ``attn_l_h``, ``mlp_l_i``, ...) and must be ones the
part can read. ``predicate[q]`` is the key value (an index, ``0 .. d_var-1``) that query
value ``q`` selects: the discrete head's ``pred(key, query) = key == predicate[query]``.

Applying a wiring sets the chosen logits to a one-hot margin of :data:`FIXED_LOGIT` (far
beyond any Gumbel noise at any temperature of the schedule, so the relaxed model makes the
same choice as the discrete one) and stops their gradients. Numerical heads and MLPs are
not part of a wiring; they stay learned.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from tpc.errors import FormatError, quote
from tpc.fileio import parse_json, read_text
from tpc.model import TransformerProgram

FORMAT = "tpc-wiring/1"
FIXED_LOGIT = 100.0  # the logit of a fixed choice; every other option gets 0
#: Largest wiring file read (a wiring of the largest model tpc trains is about 3 MB).
MAX_WIRING_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class HeadWiring:
    """A categorical head: variable indices into the layer's readable variables, and the
    key value each query value selects."""

    query: int
    key: int
    value: int
    predicate: tuple[int, ...]


@dataclass(frozen=True)
class LayerWiring:
    """One layer: an entry per categorical head and per categorical MLP (None: learned)."""

    heads: tuple[HeadWiring | None, ...]
    mlps: tuple[tuple[int, ...] | None, ...]


@dataclass(frozen=True)
class Wiring:
    """The wiring of the first ``len(layers)`` layers of a model."""

    layers: tuple[LayerWiring, ...]


def head_inputs(model: TransformerProgram, layer: int) -> list[str]:
    """Names of the categorical variables layer ``layer``'s heads can read."""
    c = model.config
    per_layer = c.n_heads_cat + c.n_cat_mlps + c.n_num_mlps
    return model.cat_names[: c.n_vars_cat + 1 + layer * per_layer]


def mlp_inputs(model: TransformerProgram, layer: int) -> list[str]:
    """Names of the categorical variables layer ``layer``'s categorical MLPs can read."""
    n = len(head_inputs(model, layer)) + model.config.n_heads_cat
    return model.cat_names[:n]


def read_wiring(model: TransformerProgram) -> Wiring:
    """The wiring of every layer of the discrete ``model`` (every choice its argmax)."""
    layers = []
    for layer in model.layers:
        hc, h = layer.n_cat_heads, layer.n_cat_heads + layer.n_num_heads
        heads: list[HeadWiring | None] = []
        if hc:
            reads = layer.read_cat.argmax(-1).tolist()
            preds = layer.predicate.argmax(-1).tolist()
            for i in range(hc):
                heads.append(HeadWiring(reads[i], reads[h + i], reads[2 * h + i], tuple(preds[i])))
        mlps = [tuple(r) for r in layer.mlp.reads().tolist()] if layer.mlp is not None else []
        layers.append(LayerWiring(tuple(heads), tuple(mlps)))
    return Wiring(tuple(layers))


def check_wiring(model: TransformerProgram, wiring: Wiring) -> None:
    """Raise :class:`FormatError` unless ``wiring`` fits ``model``'s shape."""
    c = model.config
    if len(wiring.layers) > c.n_layers:
        raise FormatError(f"the wiring has {len(wiring.layers)} layers; the model {c.n_layers}")
    for index, lw in enumerate(wiring.layers):
        where = f"wiring layer {index}"
        if len(lw.heads) != c.n_heads_cat or len(lw.mlps) != c.n_cat_mlps:
            raise FormatError(
                f"{where}: {len(lw.heads)} heads and {len(lw.mlps)} MLPs; the model has "
                f"{c.n_heads_cat} categorical heads and {c.n_cat_mlps} categorical MLPs"
            )
        n_head_in, n_mlp_in = len(head_inputs(model, index)), len(mlp_inputs(model, index))
        for h, hw in enumerate(lw.heads):
            if hw is None:
                continue
            if not all(0 <= v < n_head_in for v in (hw.query, hw.key, hw.value)):
                raise FormatError(f"{where}, head {h}: reads a variable the layer cannot read")
            if len(hw.predicate) != c.d_var or not all(0 <= v < c.d_var for v in hw.predicate):
                raise FormatError(
                    f"{where}, head {h}: the predicate needs {c.d_var} key values in 0..{c.d_var - 1}"
                )
        for m, reads in enumerate(lw.mlps):
            if reads is None:
                continue
            if len(reads) != c.mlp_vars_in or not all(0 <= v < n_mlp_in for v in reads):
                raise FormatError(
                    f"{where}, MLP {m}: must read {c.mlp_vars_in} variables the MLP can read"
                )


def _one_hot_(logits: torch.Tensor, choice: int) -> None:
    logits.zero_()
    logits[choice] = FIXED_LOGIT


@torch.no_grad()
def set_choices(
    model: TransformerProgram, wiring: Wiring
) -> list[tuple[torch.nn.Parameter, list[int]]]:
    """Set ``model``'s choices to ``wiring`` (gradients untouched); returns each parameter
    with the rows the wiring fixed."""
    check_wiring(model, wiring)
    fixed = []
    for layer, lw in zip(model.layers, wiring.layers):
        h = layer.n_cat_heads + layer.n_num_heads
        reads: list[int] = []
        preds: list[int] = []
        for i, hw in enumerate(lw.heads):
            if hw is None:
                continue
            for row, var in ((i, hw.query), (h + i, hw.key), (2 * h + i, hw.value)):
                _one_hot_(layer.read_cat[row], var)
                reads.append(row)
            for q, k in enumerate(hw.predicate):
                _one_hot_(layer.predicate[i, q], k)
            preds.append(i)
        mlps = []
        for m, mlp_reads in enumerate(lw.mlps):
            if mlp_reads is None:
                continue
            for r, var in enumerate(mlp_reads):
                _one_hot_(layer.mlp.read[m, r], var)
            mlps.append(m)
        fixed += [(layer.read_cat, reads), (layer.predicate, preds)]
        if layer.mlp is not None:
            fixed.append((layer.mlp.read, mlps))
    return [(param, rows) for param, rows in fixed if rows]


def apply_wiring(model: TransformerProgram, wiring: Wiring) -> None:
    """Set ``model``'s choices to ``wiring`` and stop their gradients.

    A parameter tensor (a layer's ``read_cat``, ``predicate`` or MLP ``read``) whose
    entries the wiring fixes only in part has the fixed rows' gradients zeroed by a hook,
    so the rest of it still learns.
    """
    for param, rows in set_choices(model, wiring):
        _freeze_rows(param, rows)


def _freeze_rows(param: torch.nn.Parameter, rows: list[int]) -> None:
    """No gradient for ``param``'s rows ``rows`` (all of them: no gradient at all)."""
    if len(rows) == param.shape[0]:
        param.requires_grad_(False)
        return
    mask = torch.ones_like(param)
    mask[rows] = 0.0
    param.register_hook(lambda grad: grad * mask)


# ---- the file format -----------------------------------------------------------------------


def wiring_to_json(model: TransformerProgram, wiring: Wiring) -> dict[str, Any]:
    """``wiring`` as the JSON document of the module doc (variables by name)."""
    check_wiring(model, wiring)
    layers = []
    for index, lw in enumerate(wiring.layers):
        heads_in, mlps_in = head_inputs(model, index), mlp_inputs(model, index)
        heads = [
            None
            if hw is None
            else {
                "query": heads_in[hw.query],
                "key": heads_in[hw.key],
                "value": heads_in[hw.value],
                "predicate": list(hw.predicate),
            }
            for hw in lw.heads
        ]
        mlps = [None if r is None else [mlps_in[v] for v in r] for r in lw.mlps]
        layers.append({"heads": heads, "mlps": mlps})
    return {"format": FORMAT, "layers": layers}


def wiring_from_json(model: TransformerProgram, doc: Any) -> Wiring:
    """Inverse of :func:`wiring_to_json`; :class:`FormatError` names what does not fit."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise FormatError(f'not a wiring file (expected "format": "{FORMAT}")')
    layers_doc = doc.get("layers")
    if not isinstance(layers_doc, list):
        raise FormatError('wiring: "layers" must be a list')
    if len(layers_doc) > model.config.n_layers:
        raise FormatError(
            f"the wiring has {len(layers_doc)} layers; the model {model.config.n_layers}"
        )

    def index(names: list[str], name: Any, where: str) -> int:
        if not isinstance(name, str) or name not in names:
            raise FormatError(f"{where}: cannot read {quote(name)} (readable: {', '.join(names)})")
        return names.index(name)

    layers = []
    for li, entry in enumerate(layers_doc):
        where = f"wiring layer {li}"
        if not isinstance(entry, dict) or not isinstance(entry.get("heads"), list):
            raise FormatError(f'{where}: needs "heads" and "mlps" lists')
        if not isinstance(entry.get("mlps"), list):
            raise FormatError(f'{where}: needs "heads" and "mlps" lists')
        heads_in, mlps_in = head_inputs(model, li), mlp_inputs(model, li)
        heads: list[HeadWiring | None] = []
        for h, hd in enumerate(entry["heads"]):
            if hd is None:
                heads.append(None)
                continue
            w = f"{where}, head {h}"
            if not isinstance(hd, dict) or not isinstance(hd.get("predicate"), list):
                raise FormatError(f"{w}: needs query, key, value and a predicate list")
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in hd["predicate"]):
                raise FormatError(f"{w}: the predicate must list integer key values")
            heads.append(
                HeadWiring(
                    index(heads_in, hd.get("query"), w),
                    index(heads_in, hd.get("key"), w),
                    index(heads_in, hd.get("value"), w),
                    tuple(hd["predicate"]),
                )
            )
        mlps: list[tuple[int, ...] | None] = []
        for m, md in enumerate(entry["mlps"]):
            if md is None:
                mlps.append(None)
            elif isinstance(md, list):
                mlps.append(tuple(index(mlps_in, v, f"{where}, MLP {m}") for v in md))
            else:
                raise FormatError(f"{where}, MLP {m}: must be a list of variable names or null")
        layers.append(LayerWiring(tuple(heads), tuple(mlps)))
    wiring = Wiring(tuple(layers))
    check_wiring(model, wiring)
    return wiring


_FLAT_LIST = re.compile(r'\[\s+((?:-?\d+|"[\w.]+")(?:,\s+(?:-?\d+|"[\w.]+"))*)\s+\]')


def dumps_wiring(doc: dict[str, Any]) -> str:
    """A wiring document as indented JSON with each predicate and read list on one line."""
    text = json.dumps(doc, indent=2)
    return (
        _FLAT_LIST.sub(lambda m: "[" + ", ".join(re.split(r",\s+", m.group(1))) + "]", text) + "\n"
    )


def parse_wiring(model: TransformerProgram, text: str, path: str | Path) -> Wiring:
    """The wiring in ``text`` (the content of the file ``path``) for ``model``;
    :class:`FormatError` with a one-line reason naming the file."""
    try:
        return wiring_from_json(model, parse_json(text, str(path), FormatError))
    except FormatError as exc:
        message = str(exc)
        raise FormatError(
            message if message.startswith(str(path)) else f"{path}: {message}"
        ) from None


def load_wiring(model: TransformerProgram, path: str | Path) -> Wiring:
    """Read a wiring file for ``model``; :class:`FormatError` with a one-line reason."""
    return parse_wiring(model, read_text(path, FormatError, MAX_WIRING_BYTES, "wiring file"), path)
