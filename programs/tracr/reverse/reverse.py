"""reverse: emitted by tpc's Python back end from the program's IR.

Task: reverse (k = 8, N = 8).
Model: 3 layers, 4+4 heads and 1+1 MLPs (categorical+numerical), d_var 8.
Discrete model accuracy: train 97.08%, val 96.67%, test 97.24% (epoch 239).
Produced by: tpc lower, tpc opt -O3.
Exact on the scored positions of every reverse input (k = 8, N = 8); BOS/EOS outputs are free.

Vocabulary (7): '<s>', '</s>', '0', '1', '2', '3', '4'
Maximum length: 8 (counting BOS '<s>', EOS '</s>': include them in the input)
Output: node `readout` (sequence_map, values {'0', '1', '2', '3', '4'})

Usage: run(tokens) gives one output per position; run_batch(inputs) maps run.
    run(['<s>', '0', '</s>'])
Needs only the standard library. Generated code: edit the IR, not this file.
"""

from functools import cache

VOCAB = ("<s>", "</s>", "0", "1", "2", "3", "4")
_IN_VOCAB = frozenset(VOCAB)
MAX_LEN = 8
BOS = "<s>"
EOS = "</s>"


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


def _check_members(values, allowed, node):
    """Raise ValueError unless every value is in `allowed`, the value set of the IR node
    `node` (a sum or mean can reach a value its declared value set leaves out)."""
    for v in values:
        if v not in allowed:
            raise ValueError(
                f"node {node!r} took the value {v!r}, outside its value set"
            )


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


def _count_selected(keys, queries, selects, causal=False):
    """For each query i, the number of keys j with keys[j] in selects[queries[i]] (and
    j <= i if causal)."""
    return [
        sum(map(selects[q].__contains__, keys[: i + 1] if causal else keys))
        for i, q in enumerate(queries)
    ]


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_3(key: int, query: int) -> bool:
    return key == {1: 6, 2: 5, 3: 4, 5: 2, 6: 1, 7: 6}.get(query, 3)
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_num_attn_0_3(key: int, query: int) -> bool:
    return key == {0: 3, 1: 5}.get(query, 7)
# fmt: on


NUM_ATTN_0_3_VALUES = {0, 1}


# num_mlp_0_0 = NUM_MLP_0_0_TABLE[num_attn_0_3], i.e. 7 * x
# fmt: off
NUM_MLP_0_0_TABLE = {
    0: 0, 1: 7,
}
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_2_1(key: int, query: int) -> bool:
    return key == {0: 7, 1: 5, 2: 4, 3: 3, 4: 2, 7: 0}.get(query, 1)
# fmt: on


# mlp_2_0 = MLP_2_0_TABLE[num_mlp_0_0, attn_0_3]
# fmt: off
MLP_2_0_TABLE = {
    (0, '0'): 0, (0, '1'): 0, (0, '2'): 2, (0, '3'): 2, (0, '4'): 2, (0, '</s>'): 0, (0, '<s>'): 2,
    (7, '0'): 3, (7, '1'): 4, (7, '2'): 5, (7, '3'): 6, (7, '4'): 1, (7, '</s>'): 2, (7, '<s>'): 2,
}
# fmt: on


# readout = READOUT_TABLE[attn_2_1, mlp_2_0]
# fmt: off
READOUT_TABLE = {
    ('0', 0): '0', ('0', 1): '4', ('0', 2): '0', ('0', 3): '0', ('0', 4): '1', ('0', 5): '2',
    ('0', 6): '3', ('1', 0): '1', ('1', 1): '4', ('1', 2): '1', ('1', 3): '0', ('1', 4): '1',
    ('1', 5): '2', ('1', 6): '3', ('2', 0): '2', ('2', 1): '4', ('2', 2): '2', ('2', 3): '0',
    ('2', 4): '1', ('2', 5): '2', ('2', 6): '3', ('3', 0): '3', ('3', 1): '4', ('3', 2): '3',
    ('3', 3): '0', ('3', 4): '1', ('3', 5): '2', ('3', 6): '3', ('4', 0): '4', ('4', 1): '4',
    ('4', 2): '4', ('4', 3): '0', ('4', 4): '1', ('4', 5): '2', ('4', 6): '3', ('</s>', 0): '3',
    ('</s>', 1): '4', ('</s>', 2): '2', ('</s>', 3): '0', ('</s>', 4): '1', ('</s>', 5): '2',
    ('</s>', 6): '3', ('<s>', 0): '1', ('<s>', 1): '4', ('<s>', 2): '2', ('<s>', 3): '0',
    ('<s>', 4): '1', ('<s>', 5): '2', ('<s>', 6): '3',
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
    attn_0_3 = _attend_closest(indices, indices, select_attn_0_3, tokens)
    num_attn_0_3 = _count_selected(indices, indices, select_num_attn_0_3)
    _check_members(num_attn_0_3, NUM_ATTN_0_3_VALUES, "num_attn_0_3")
    num_mlp_0_0 = [NUM_MLP_0_0_TABLE[x] for x in num_attn_0_3]
    attn_2_1 = _attend_closest(indices, indices, select_attn_2_1, tokens)
    mlp_2_0 = [MLP_2_0_TABLE[(x, y)] for x, y in zip(num_mlp_0_0, attn_0_3)]
    readout = [READOUT_TABLE[(x, y)] for x, y in zip(attn_2_1, mlp_2_0)]
    return readout


def run_batch(batch: list[list[str]]) -> list[list]:
    """`run` on each input of `batch`."""
    return [run(tokens) for tokens in batch]
