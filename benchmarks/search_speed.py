"""Speed of ``tpc search-wiring``: candidate wirings scored per second.

The search (tpc.train.search) spends its time scoring candidates: the discrete model under
the candidate wiring (cached when only a last-layer MLP's reads change) and the fit of the
proxy readout. This times both kinds on the categorical-only recipes' shapes, hist (1
layer, 4 heads, 2 MLPs) and double_hist (3 layers), on the default 5,000-sequence sample,
for untrained models: their random MLP tables make more distinct feature rows than a
trained model's, so these are slow cases. Prints a table and a JSON line. Usage: ``python benchmarks/search_speed.py [--candidates 30] [--threads 1]``.

What makes it fast: rows with identical features are scored once (with their label
counts); the readout is fitted with a written-out gradient through a sparse one-hot
matrix (3x faster than autograd through a gather); the discrete model's values are cached
across candidates that change only what the readout alone reads.
"""

from __future__ import annotations

import argparse
import json
import time

import torch

from tpc.model import build_model
from tpc.train import TrainConfig, load_data, model_config, preset_options
from tpc.train.data import Split
from tpc.train.search import Evaluator
from tpc.train.wiring import LayerWiring, Wiring, read_wiring

SAMPLE = 5000


def shapes() -> dict[str, TrainConfig]:
    """The categorical-only recipes of programs/recipes.json (without their wiring)."""
    out = {}
    for task in ("hist", "double_hist"):
        options = dict(preset_options("paper", task))
        options.update(n_heads_cat=4, n_heads_num=0, n_cat_mlps=2, n_num_mlps=0)
        out[task] = TrainConfig(task=task, **options)
    return out


def time_candidates(config: TrainConfig, n: int) -> dict[str, float]:
    data = load_data(config)
    torch.manual_seed(0)
    model = build_model(
        model_config(config, data.input_vocab, data.classes, data.max_len, data.causal)
    )
    train = Split(data.train.ids[:SAMPLE], data.train.lengths[:SAMPLE], data.train.labels[:SAMPLE])
    evaluate = Evaluator(model, train, steps=100)
    base = read_wiring(model)
    evaluate(base)
    gen = torch.Generator().manual_seed(0)
    d = config.d_var or 8
    heads, mlps = [], []
    for i in range(n):  # a new predicate for head 0 of layer 0: the model reruns
        first = base.layers[0]
        head = first.heads[0]
        pred = tuple(torch.randint(0, d, (d,), generator=gen).tolist())
        new_head = type(head)(head.query, head.key, head.value, pred)
        layer = LayerWiring((new_head, *first.heads[1:]), first.mlps)
        heads.append(Wiring((layer, *base.layers[1:])))
        last = base.layers[-1]  # a last-layer MLP reading something else: cached
        reads = ((i % 2, *last.mlps[0][1:]), *last.mlps[1:])
        mlps.append(Wiring((*base.layers[:-1], LayerWiring(last.heads, reads))))
    out = {}
    for name, batch in (("head change", heads), ("MLP-read change", mlps)):
        start = time.perf_counter()
        for wiring in batch:
            evaluate(wiring)
        out[name] = len(batch) / (time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=30)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    results = {}
    print(f"candidates scored per second ({SAMPLE:,} training sequences, {args.threads} thread)")
    for task, config in shapes().items():
        results[task] = time_candidates(config, args.candidates)
        figures = "  ".join(f"{k}: {v:6.1f}/s" for k, v in results[task].items())
        print(f"  {task:12s} {config.n_layers}L  {figures}")
    print(json.dumps({"benchmark": "search_speed", "sample": SAMPLE, **results}))


if __name__ == "__main__":
    main()
