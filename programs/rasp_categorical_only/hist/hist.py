"""hist: emitted by tpc's Python back end from the program's IR.

Task: hist (k = 8, N = 8).
Model: 1 layer, 4+0 heads and 2+0 MLPs (categorical+numerical), d_var 8.
Discrete model accuracy: train 84.65%, val 85.03%, test 85.00% (epoch 122).
Produced by: tpc lower, tpc opt -O3.
Exact on the scored positions of every hist input (k = 8, N = 8); BOS/EOS outputs are free.

Vocabulary (7): '<s>', '0', '1', '2', '3', '4', '5'
Maximum length: 8 (counting BOS '<s>': include them in the input)
Output: node `readout` (sequence_map, values {'1', '2', '3'})

Usage: run(tokens) gives one output per position; run_batch(inputs) maps run.
    run(['<s>', '0'])
Needs only the standard library. Generated code: edit the IR, not this file.
"""

from functools import cache

VOCAB = ("<s>", "0", "1", "2", "3", "4", "5")
_IN_VOCAB = frozenset(VOCAB)
MAX_LEN = 8
BOS = "<s>"
EOS = None


def _check_input(tokens):
    """Raise ValueError unless every token is in VOCAB and the input fits in MAX_LEN."""
    if len(tokens) > MAX_LEN:
        raise ValueError(f"{len(tokens)} tokens; the program takes at most {MAX_LEN}")
    if not _IN_VOCAB.issuperset(tokens):
        i, token = next((i, t) for i, t in enumerate(tokens) if t not in _IN_VOCAB)
        raise ValueError(f"unknown token {token!r} at position {i}: not in VOCAB")


def _selects_by_query(keys, queries):
    """Decorator: tabulates predicate(key, query) as {query value: the key values it selects}."""
    return lambda predicate: {q: {k for k in keys if predicate(k, q)} for q in queries}


def _attend_closest(keys, queries, selects, values, causal=False):
    """Closest-match attention where query i selects key j iff keys[j] is in
    selects[queries[i]] (and j <= i if causal): query i reads the value at the selected
    key j != i nearest to i (the earlier one on ties), at i itself when only i is
    selected, and at position 0 (BOS) when nothing is."""
    out = []
    for query, order in zip(queries, _closest_orders(len(keys), causal)):
        chosen = selects[query]
        for j in order:
            if keys[j] in chosen:
                out.append(values[j])
                break
        else:
            out.append(values[0])
    return out


@cache
def _closest_orders(n, causal=False):
    """For each query position i < n, the key positions by preference: by distance to i,
    then position; i itself last (only positions j <= i if causal)."""
    return [
        sorted(range(i + 1 if causal else n), key=lambda j: (j == i, abs(i - j), j))
        for i in range(n)
    ]


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_0(key: int, query: int) -> bool:
    return key == {0: 7, 1: 6, 2: 5, 3: 5}.get(query, 1)
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, VOCAB)
def select_attn_0_1(key: str, query: str) -> bool:
    return key == {'<s>': None}.get(query, query)
# fmt: on


# mlp_0_0 = MLP_0_0_TABLE[indices, attn_0_1], 2 where not listed
# fmt: off
MLP_0_0_TABLE = {
    (0, 0): 4, (0, 1): 4, (0, 2): 6, (0, 3): 6, (0, 4): 4, (0, 5): 6, (0, 6): 4, (0, 7): 4,
    (1, 0): 4, (1, 1): 4, (1, 6): 4, (2, 0): 4, (2, 2): 6, (2, 5): 6, (3, 0): 4, (3, 3): 6,
    (3, 5): 6, (4, 0): 4, (4, 1): 4, (4, 4): 4, (5, 0): 4, (5, 1): 4, (5, 5): 4, (6, 0): 4,
    (6, 1): 4, (6, 6): 4, (7, 0): 4, (7, 1): 4, (7, 7): 4,
}
# fmt: on


# mlp_0_1 = MLP_0_1_TABLE[tokens, attn_0_0], 0 where not listed
# fmt: off
MLP_0_1_TABLE = {
    ('0', '0'): 3, ('1', '1'): 3, ('2', '2'): 3, ('3', '3'): 3, ('4', '4'): 3, ('5', '5'): 3,
}
# fmt: on


# readout = READOUT_TABLE[mlp_0_0, mlp_0_1]
# fmt: off
READOUT_TABLE = {
    (2, 0): '2', (2, 3): '3', (4, 0): '1', (4, 3): '2', (6, 0): '1', (6, 3): '2',
}
# fmt: on


def run(tokens: list[str]) -> list:
    """The value of node `readout` at each position of `tokens`.

    tokens: a list of VOCAB tokens, at most MAX_LEN of them.
    """
    _check_input(tokens)
    if not tokens:
        return []
    n = len(tokens)
    indices = list(range(n))
    attn_0_0 = _attend_closest(indices, indices, select_attn_0_0, tokens)
    attn_0_1 = _attend_closest(tokens, tokens, select_attn_0_1, indices)
    mlp_0_0 = [MLP_0_0_TABLE.get((x, y), 2) for x, y in zip(indices, attn_0_1)]
    mlp_0_1 = [MLP_0_1_TABLE.get((x, y), 0) for x, y in zip(tokens, attn_0_0)]
    readout = [READOUT_TABLE[(x, y)] for x, y in zip(mlp_0_0, mlp_0_1)]
    return readout


def run_batch(batch: list[list[str]]) -> list[list]:
    """`run` on each input of `batch`."""
    return [run(tokens) for tokens in batch]
