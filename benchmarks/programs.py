"""Sort-sized programs (k = N = 8) and inputs shared by the speed benchmarks."""

from __future__ import annotations

import random

from tpc.ir import Categorical, Program, ProgramBuilder, Readout, TablePredicate

VOCAB = ("<pad>", "<s>", "</s>", "0", "1", "2", "3", "4")
MAX_LEN = 8
SYMBOLS = VOCAB[3:]


def rasp_sort() -> Program:
    """RASP-style sort: rank = selector width of ``key < key`` (keys made unique by the
    index), then each position reads the token whose rank is its index."""
    b = ProgramBuilder(VOCAB, MAX_LEN, bos="<s>", eos="</s>", meta={"name": "rasp_sort"})
    order = {"<s>": -1, "</s>": 9, "<pad>": 10} | {s: int(s) for s in SYMBOLS}
    key = b.sequence_map(
        lambda t, i: order[t] * MAX_LEN + i, b.tokens, b.indices, name="sort_key", form="x*8+y"
    )
    smaller = b.select(key, key, "LT", name="smaller")
    rank = b.selector_width(smaller, name="rank")
    target = b.select(rank, b.indices, "EQ", name="has_rank")
    return b.build(b.aggregate(target, b.tokens, name="sorted_tokens"))


def learned_sort(seed: int = 0) -> Program:
    """Shaped like a learned program: 2 layers x 4 closest heads with table predicates,
    a two-input MLP table and a readout over every variable (random tables, fixed seed)."""
    rng = random.Random(seed)
    b = ProgramBuilder(VOCAB, MAX_LEN, bos="<s>", eos="</s>", meta={"name": "learned_sort"})
    variables = [b.tokens, b.indices]
    for layer in range(2):
        heads = []
        for h in range(4):
            q, k, v = (rng.choice(variables) for _ in range(3))
            keys = b.values_of(k)
            pred = TablePredicate(frozenset((x, rng.choice(keys)) for x in b.values_of(q)))
            sel = b.select(k, q, pred, name=f"select_{layer}_{h}")
            heads.append(b.aggregate(sel, v, reduce="closest", name=f"attn_{layer}_{h}"))
        variables += heads
    x, y = variables[-2], variables[-5]
    outputs = list(SYMBOLS) + ["<pad>"]
    mlp = b.sequence_map(lambda a, c: rng.choice(outputs), x, y, name="mlp_1")
    variables.append(mlp)
    classes = ("<pad>",) + SYMBOLS
    weights = [
        {v: [round(rng.uniform(-2, 2), 3) for _ in classes] for v in b.values_of(var)}
        for var in variables
    ]
    readout = Readout(
        "predict",
        Categorical(classes),
        features=tuple(variables),
        weights=weights,
        bias=[round(rng.uniform(-1, 1), 3) for _ in classes],
        mask=[False] + [True] * len(SYMBOLS),
    )
    return b.build(b.add(readout))


PROGRAMS = {"rasp_sort": rasp_sort, "learned_sort": learned_sort}


def sort_inputs(count: int, seed: int = 0) -> list[list[str]]:
    """``count`` full-length sort inputs: ``<s>``, six random symbols, ``</s>``."""
    rng = random.Random(seed)
    return [["<s>", *rng.choices(SYMBOLS, k=MAX_LEN - 2), "</s>"] for _ in range(count)]
