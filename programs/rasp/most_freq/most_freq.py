"""most_freq: emitted by tpc's Python back end from the program's IR.

Task: most_freq (k = 8, N = 8).
Model: 4 layers, 8+8 heads and 4+4 MLPs (categorical+numerical), d_var 8.
Discrete model accuracy: train 83.44%, val 83.45%, test 83.83% (epoch 153).
Produced by: tpc lower, tpc opt -O3.
Exact on the scored positions of every most_freq input (k = 8, N = 8); BOS/EOS outputs are free.

Vocabulary (7): '<s>', '0', '1', '2', '3', '4', '5'
Maximum length: 8 (counting BOS '<s>': include them in the input)
Output: node `readout` (readout, values {'<pad>', '<s>', '0', '1', '2', …, '5'})

Usage: run(tokens) gives one output per position; run_batch(inputs) maps run.
    run(['<s>', '0'])
Needs only the standard library. Generated code: edit the IR, not this file.
"""

from bisect import bisect_right
from functools import cache
from itertools import compress

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


def _attend_sum(keys, queries, selects, values, causal=False):
    """For each query i, the sum of values[j] over the keys j with keys[j] in
    selects[queries[i]] (and j <= i if causal); 0 where there are none."""
    return [
        sum(
            compress(
                values, map(selects[q].__contains__, keys[: i + 1] if causal else keys)
            )
        )
        for i, q in enumerate(queries)
    ]


def _count_selected(keys, queries, selects, causal=False):
    """For each query i, the number of keys j with keys[j] in selects[queries[i]] (and
    j <= i if causal)."""
    return [
        sum(map(selects[q].__contains__, keys[: i + 1] if causal else keys))
        for i, q in enumerate(queries)
    ]


def _runs(starts):
    """{start: output} -> (starts, outputs), sorted by start, for `_in_run`."""
    return tuple(starts), tuple(starts.values())


def _in_run(runs, value):
    """The output of the last run in `runs` that starts at or before `value`."""
    starts, outputs = runs
    return outputs[bisect_right(starts, value) - 1]


def _argmax(scores, allowed):
    """The index in `allowed` with the highest score, the first one on ties."""
    return max(allowed, key=scores.__getitem__)


def _logits(bias, features, weights):
    """Per position, the bias plus the weight row of each feature's value. Every such sum
    is exact in float64 (checked when this module was written), so the order in which
    `sum` adds them cannot change the result."""
    return [
        [sum(column) for column in zip(bias, *map(dict.__getitem__, weights, values))]
        for values in zip(*features)
    ]


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_0(key: int, query: int) -> bool:
    return key == {1: 0, 2: 2, 4: 4, 5: 7, 6: 7, 7: 0}.get(query, 1)
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_attn_0_1(key: str, query: int) -> bool:
    return key == {0: '2', 1: '2', 6: '5', 7: '5'}.get(query, '1')
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_2(key: int, query: int) -> bool:
    return key == {1: 0, 2: 1, 4: 5, 5: 6, 6: 7, 7: 3}.get(query, 2)
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_attn_0_3(key: str, query: int) -> bool:
    return key == {0: '5', 1: '1', 6: '2', 7: '2'}.get(query, '0')
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_4(key: int, query: int) -> bool:
    return key == {1: 2, 2: 3, 5: 6, 6: 4, 7: 2}.get(query, 5)
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_5(key: int, query: int) -> bool:
    return key == {0: 4, 1: 2, 4: 3, 5: 7, 6: 6, 7: 5}.get(query, 1)
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_attn_0_6(key: str, query: int) -> bool:
    return key == {0: '2', 1: '<s>', 2: '<s>', 6: '1', 7: '5'}.get(query, '3')
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_attn_0_7(key: str, query: int) -> bool:
    return key == {1: '<s>', 2: '0', 3: '1', 4: '0', 5: '3', 6: '1'}.get(query, '2')
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), VOCAB)
def select_num_attn_0_0(key: int, query: str) -> bool:
    return key == {'1': 6, '2': 6, '5': 3}.get(query, 1)
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_0_1(key: str, query: int) -> bool:
    return key == {1: '2', 3: '1', 4: '1', 5: '1', 6: '0'}.get(query, '<s>')
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_0_2(key: str, query: int) -> bool:
    return key == {1: '5'}.get(query, '<s>')
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_0_3(key: str, query: int) -> bool:
    return key == {0: '<s>', 1: '1', 2: '1', 6: '0', 7: '0'}.get(query, '2')
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_0_4(key: str, query: int) -> bool:
    return key == {0: '<s>', 1: '3', 2: '<s>', 7: None}.get(query, '4')
# fmt: on


NUM_ATTN_0_4_VALUES = {0, 1, 2, 3, 4, 5, 6, 7}


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_0_5(key: str, query: int) -> bool:
    return key == {0: '<s>', 1: '1', 2: '<s>'}.get(query, '0')
# fmt: on


NUM_ATTN_0_5_VALUES = {0, 1, 2, 3, 4, 5, 6, 7}


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_0_6(key: str, query: int) -> bool:
    return key == {0: '1', 1: '4'}.get(query, '<s>')
# fmt: on


NUM_ATTN_0_6_VALUES = {0, 1, 2, 3, 4, 5, 6, 7}


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_0_7(key: str, query: int) -> bool:
    return key == {0: '<s>', 1: '1', 2: '<s>', 6: None, 7: None}.get(query, '2')
# fmt: on


# mlp_0_0 = MLP_0_0_TABLE[attn_0_1, attn_0_3], 1 where not listed
# fmt: off
MLP_0_0_TABLE = {
    ('0', '1'): 4, ('0', '2'): 2, ('0', '3'): 2, ('0', '5'): 2, ('1', '0'): 4, ('1', '1'): 4,
    ('1', '2'): 2, ('1', '3'): 2, ('1', '4'): 4, ('1', '5'): 2, ('2', '0'): 4, ('2', '1'): 4,
    ('2', '2'): 2, ('2', '3'): 2, ('2', '4'): 4, ('2', '5'): 2, ('2', '<s>'): 4, ('3', '2'): 2,
    ('3', '3'): 6, ('4', '1'): 4, ('4', '2'): 2, ('4', '5'): 2, ('5', '0'): 6, ('5', '1'): 2,
    ('5', '2'): 2, ('5', '3'): 2, ('5', '4'): 6, ('5', '5'): 2, ('5', '<s>'): 6, ('<s>', '2'): 4,
    ('<s>', '5'): 6,
}
# fmt: on


# mlp_0_1 = MLP_0_1_TABLE[attn_0_4, indices], 2 where not listed
# fmt: off
MLP_0_1_TABLE = {
    ('0', 0): 7, ('0', 1): 1, ('0', 5): 4, ('0', 6): 4, ('0', 7): 4, ('1', 1): 1, ('1', 5): 4,
    ('1', 6): 4, ('1', 7): 4, ('2', 1): 1, ('2', 5): 4, ('2', 6): 4, ('2', 7): 4, ('3', 1): 1,
    ('3', 5): 4, ('3', 6): 4, ('3', 7): 4, ('4', 0): 7, ('4', 3): 7, ('4', 5): 4, ('4', 6): 4,
    ('4', 7): 4, ('5', 1): 1, ('5', 5): 4, ('5', 6): 4, ('5', 7): 4, ('<s>', 0): 7, ('<s>', 1): 1,
    ('<s>', 5): 4, ('<s>', 6): 4, ('<s>', 7): 4,
}
# fmt: on


# mlp_0_2 = MLP_0_2_TABLE[attn_0_0, attn_0_4], 3 where not listed
# fmt: off
MLP_0_2_TABLE = {
    ('0', '1'): 4, ('0', '2'): 4, ('0', '5'): 4, ('1', '1'): 4, ('1', '2'): 4, ('1', '5'): 4,
    ('2', '0'): 4, ('2', '1'): 4, ('2', '2'): 4, ('2', '3'): 4, ('2', '4'): 4, ('2', '5'): 4,
    ('2', '<s>'): 4, ('3', '1'): 2, ('3', '2'): 4, ('3', '5'): 2, ('4', '1'): 2, ('4', '2'): 4,
    ('4', '5'): 4, ('5', '0'): 2, ('5', '1'): 2, ('5', '2'): 4, ('5', '3'): 2, ('5', '4'): 2,
    ('5', '5'): 4, ('5', '<s>'): 2, ('<s>', '2'): 4, ('<s>', '5'): 2,
}
# fmt: on


# mlp_0_3 = MLP_0_3_TABLE[indices, attn_0_4], 7 where not listed
# fmt: off
MLP_0_3_TABLE = {
    (0, '0'): 0, (0, '1'): 0, (0, '2'): 0, (0, '3'): 0, (0, '4'): 0, (0, '5'): 0, (0, '<s>'): 0,
    (1, '0'): 3, (1, '1'): 3, (1, '2'): 3, (1, '3'): 3, (1, '4'): 3, (1, '5'): 3, (1, '<s>'): 3,
    (2, '0'): 1, (2, '1'): 1, (2, '2'): 1, (2, '3'): 1, (2, '4'): 1, (2, '5'): 6, (2, '<s>'): 1,
    (6, '0'): 4, (6, '1'): 4, (6, '2'): 4, (6, '3'): 4, (6, '4'): 4, (6, '5'): 4, (6, '<s>'): 4,
    (7, '0'): 4, (7, '1'): 4, (7, '2'): 4, (7, '3'): 4, (7, '4'): 4, (7, '5'): 4, (7, '<s>'): 4,
}
# fmt: on


# num_mlp_0_1 = NUM_MLP_0_1_RUNS at num_attn_0_5:
# the output of the last listed start at or before it
# fmt: off
NUM_MLP_0_1_RUNS = _runs({0: 0, 1: 3, 2: 2})
# fmt: on


# num_mlp_0_2 = NUM_MLP_0_2_RUNS[num_attn_0_4] at num_attn_0_6:
# the output of the last listed start at or before it
# fmt: off
NUM_MLP_0_2_RUNS = {
    0: _runs({0: 0}), 1: _runs({0: 3, 1: 6, 2: 0}), 2: _runs({0: 7, 2: 6, 4: 0}),
    3: _runs({0: 7, 3: 6, 6: 0}), 4: _runs({0: 7, 4: 6}), 5: _runs({0: 7, 5: 6}),
    6: _runs({0: 7, 7: 6}), 7: _runs({0: 7}),
}
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_1_0(key: int, query: int) -> bool:
    return key == {0: 3, 1: 2, 2: 7, 3: 0, 7: 3}.get(query, 5)
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, VOCAB)
def select_attn_1_1(key: str, query: str) -> bool:
    return key == {'<s>': '0'}.get(query, '<s>')
# fmt: on


MLP_0_3_VALUES = {0, 1, 3, 4, 6, 7}


ATTN_0_1_VALUES = {"0", "1", "2", "3", "4", "5", "<s>"}


# fmt: off
@_selects_by_query(MLP_0_3_VALUES, ATTN_0_1_VALUES)
def select_attn_1_2(key: int, query: str) -> bool:
    return key == {'1': 4, '2': 7, '5': 4, '<s>': 3}.get(query)
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_1_3(key: int, query: int) -> bool:
    return key == {2: 5, 3: 7, 4: 7, 5: 0, 6: 0, 7: 6}.get(query, 1)
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, VOCAB)
def select_attn_1_4(key: str, query: str) -> bool:
    return key == {'0': '0', '1': '2', '2': '1', '3': '4', '5': '1'}.get(query, '3')
# fmt: on


# fmt: off
@_selects_by_query(MLP_0_3_VALUES, range(MAX_LEN))
def select_attn_1_5(key: int, query: int) -> bool:
    return key == {2: 0}.get(query, 4)
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_attn_1_6(key: str, query: int) -> bool:
    return key == {0: '2', 1: '5', 3: '4', 4: '0', 5: '0', 7: None}.get(query, '<s>')
# fmt: on


ATTN_0_5_VALUES = {"0", "1", "2", "3", "4", "5", "<s>"}


# fmt: off
@_selects_by_query(ATTN_0_5_VALUES, MLP_0_3_VALUES)
def select_attn_1_7(key: str, query: int) -> bool:
    return key == {1: '1', 3: '0', 6: '<s>', 7: '0'}.get(query, '3')
# fmt: on


ATTN_0_2_VALUES = {"0", "1", "2", "3", "4", "5", "<s>"}


# fmt: off
@_selects_by_query(VOCAB, ATTN_0_2_VALUES)
def select_num_attn_1_0(key: str, query: str) -> bool:
    return key == {'2': '2', '<s>': '3'}.get(query, '<s>')
# fmt: on


ATTN_0_0_VALUES = {"0", "1", "2", "3", "4", "5", "<s>"}


# fmt: off
@_selects_by_query(VOCAB, ATTN_0_0_VALUES)
def select_num_attn_1_1(key: str, query: str) -> bool:
    return key == {'2': '<s>', '3': '3'}.get(query, '2')
# fmt: on


NUM_ATTN_1_1_VALUES = {0, 1, 2, 3, 4, 5, 6, 7}


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_1_2(key: str, query: int) -> bool:
    return key == {1: '1', 2: '1', 6: None, 7: None}.get(query, '3')
# fmt: on


NUM_ATTN_1_2_VALUES = {0, 1, 2, 3, 4, 5, 6, 7}


# fmt: off
@_selects_by_query(VOCAB, ATTN_0_2_VALUES)
def select_num_attn_1_3(key: str, query: str) -> bool:
    return key == {'3': '3', '4': '4', '5': '0', '<s>': '0'}.get(query, '<s>')
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_1_4(key: str, query: int) -> bool:
    return key == {0: '<s>', 1: '2', 2: '<s>', 6: None, 7: None}.get(query, '5')
# fmt: on


NUM_ATTN_1_4_VALUES = {0, 1, 2, 3, 4, 5, 6, 7}


# fmt: off
@_selects_by_query(VOCAB, VOCAB)
def select_num_attn_1_5(key: str, query: str) -> bool:
    return key == {'0': '0', '1': '1', '5': '5'}.get(query, '<s>')
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, ATTN_0_0_VALUES)
def select_num_attn_1_6(key: str, query: str) -> bool:
    return key == {'0': '<s>', '1': '<s>', '<s>': '5'}.get(query, query)
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, ATTN_0_2_VALUES)
def select_num_attn_1_7(key: str, query: str) -> bool:
    return key == {'1': '<s>', '3': '2', '5': '5'}.get(query, '1')
# fmt: on


# mlp_1_0 = MLP_1_0_TABLE[attn_1_7, attn_0_3], 5 where not listed
# fmt: off
MLP_1_0_TABLE = {
    ('1', '2'): 0, ('1', '4'): 0, ('1', '5'): 0, ('1', '<s>'): 0, ('2', '4'): 0, ('2', '<s>'): 0,
    ('3', '4'): 0, ('3', '<s>'): 0, ('4', '4'): 0, ('4', '<s>'): 0, ('5', '4'): 0, ('5', '<s>'): 0,
    ('<s>', '<s>'): 0,
}
# fmt: on


# mlp_1_1 = MLP_1_1_TABLE[attn_1_7, attn_0_7], 5 where not listed
# fmt: off
MLP_1_1_TABLE = {
    ('0', '3'): 6, ('0', '<s>'): 3, ('1', '3'): 6, ('1', '<s>'): 3, ('2', '3'): 6, ('2', '<s>'): 3,
    ('3', '0'): 6, ('3', '1'): 6, ('3', '2'): 6, ('3', '3'): 6, ('3', '4'): 6, ('3', '5'): 6,
    ('3', '<s>'): 3, ('4', '3'): 6, ('4', '<s>'): 3, ('5', '3'): 6, ('5', '<s>'): 3,
    ('<s>', '3'): 6, ('<s>', '<s>'): 3,
}
# fmt: on


# mlp_1_2 = MLP_1_2_TABLE[tokens, indices], 6 where not listed
# fmt: off
MLP_1_2_TABLE = {
    ('0', 0): 2, ('0', 1): 3, ('0', 2): 2, ('0', 3): 2, ('0', 4): 1, ('1', 1): 7, ('1', 3): 2,
    ('1', 4): 1, ('1', 7): 1, ('2', 0): 1, ('2', 1): 1, ('2', 2): 1, ('2', 3): 1, ('2', 4): 1,
    ('3', 0): 1, ('3', 1): 3, ('3', 2): 1, ('3', 3): 2, ('3', 4): 1, ('3', 5): 1, ('3', 7): 1,
    ('4', 1): 3, ('4', 3): 2, ('4', 4): 1, ('4', 7): 1, ('5', 0): 2, ('5', 1): 3, ('5', 2): 2,
    ('5', 3): 2, ('5', 4): 2, ('<s>', 0): 1, ('<s>', 1): 3, ('<s>', 2): 1, ('<s>', 3): 2,
    ('<s>', 4): 1, ('<s>', 7): 1,
}
# fmt: on


# mlp_1_3 = MLP_1_3_TABLE[attn_0_6, attn_0_1], 0 where not listed
# fmt: off
MLP_1_3_TABLE = {
    ('0', '5'): 4, ('0', '<s>'): 4, ('2', '2'): 4, ('2', '4'): 4, ('2', '5'): 4, ('2', '<s>'): 4,
    ('3', '<s>'): 4, ('4', '2'): 4, ('4', '4'): 4, ('4', '5'): 4, ('5', '5'): 4, ('5', '<s>'): 4,
}
# fmt: on


# fmt: off
@_selects_by_query(MLP_0_3_VALUES, VOCAB)
def select_attn_2_0(key: int, query: str) -> bool:
    return key == {'5': 4, '<s>': 4}.get(query, 7)
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_2_1(key: int, query: int) -> bool:
    return key == {1: 4, 2: 6}.get(query, 7)
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, VOCAB)
def select_attn_2_2(key: str, query: str) -> bool:
    return key == {'4': '<s>', '<s>': '3'}.get(query, '4')
# fmt: on


MLP_1_1_VALUES = {3, 5, 6}


# fmt: off
@_selects_by_query(VOCAB, MLP_1_1_VALUES)
def select_attn_2_3(key: str, query: int) -> bool:
    return key == {3: '2'}.get(query, '<s>')
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_2_4(key: int, query: int) -> bool:
    return key == {0: 5, 1: 1, 3: 4, 4: 6, 7: 0}.get(query, 7)
# fmt: on


# fmt: off
@_selects_by_query(MLP_0_3_VALUES, range(MAX_LEN))
def select_attn_2_5(key: int, query: int) -> bool:
    return key == {0: 4, 1: 4, 2: 3, 7: 1}.get(query, 0)
# fmt: on


NUM_MLP_0_2_VALUES = {0, 3, 6, 7}


# fmt: off
@_selects_by_query(NUM_MLP_0_2_VALUES, ATTN_0_0_VALUES)
def select_attn_2_6(key: int, query: str) -> bool:
    return key == {'0': None, '2': None, '3': 6, '4': None}.get(query, 7)
# fmt: on


# fmt: off
@_selects_by_query(MLP_1_1_VALUES, VOCAB)
def select_attn_2_7(key: int, query: str) -> bool:
    return key == {'0': 6, '3': 6, '5': None, '<s>': None}.get(query, 3)
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_2_0(key: str, query: int) -> bool:
    return key == {0: '5', 1: '3', 2: '<s>', 6: None, 7: None}.get(query, '0')
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, ATTN_0_2_VALUES)
def select_num_attn_2_1(key: str, query: str) -> bool:
    return key == {'0': '0', '5': '5', '<s>': '1'}.get(query, '<s>')
# fmt: on


NUM_ATTN_2_1_VALUES = {0, 1, 4, 9, 16, 25, 36, 49}


ATTN_0_3_VALUES = {"0", "1", "2", "3", "4", "5", "<s>"}


# fmt: off
@_selects_by_query(VOCAB, ATTN_0_3_VALUES)
def select_num_attn_2_2(key: str, query: str) -> bool:
    return key == {'3': None, '4': None}.get(query, '4')
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, ATTN_0_0_VALUES)
def select_num_attn_2_3(key: str, query: str) -> bool:
    return key == {'4': '<s>'}.get(query, '4')
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, ATTN_0_0_VALUES)
def select_num_attn_2_4(key: str, query: str) -> bool:
    return key == {'2': '<s>', '5': '<s>', '<s>': '2'}.get(query, query)
# fmt: on


ATTN_0_6_VALUES = {"0", "1", "2", "3", "4", "5", "<s>"}


# fmt: off
@_selects_by_query(ATTN_0_6_VALUES, VOCAB)
def select_num_attn_2_5(key: str, query: str) -> bool:
    return key == {'3': '<s>'}.get(query, '3')
# fmt: on


NUM_ATTN_2_5_VALUES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}


# fmt: off
@_selects_by_query(VOCAB, ATTN_0_2_VALUES)
def select_num_attn_2_6(key: str, query: str) -> bool:
    return key == {'1': '1', '2': '<s>', '4': '4', '5': '<s>', '<s>': '5'}.get(query, '2')
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, ATTN_0_2_VALUES)
def select_num_attn_2_7(key: str, query: str) -> bool:
    return key == {'2': '<s>', '4': '4', '5': '3'}.get(query, '5')
# fmt: on


# mlp_2_0 = MLP_2_0_TABLE[indices, attn_0_1], 5 where not listed
# fmt: off
MLP_2_0_TABLE = {
    (0, '0'): 4, (0, '1'): 4, (0, '2'): 4, (0, '3'): 4, (0, '5'): 4, (0, '<s>'): 3, (4, '0'): 4,
    (4, '1'): 4, (4, '2'): 4, (4, '3'): 4, (4, '4'): 4, (4, '5'): 4, (4, '<s>'): 4, (5, '0'): 3,
    (5, '1'): 3, (5, '2'): 3, (5, '3'): 3, (5, '4'): 3, (5, '5'): 3, (5, '<s>'): 3, (6, '0'): 3,
    (6, '1'): 3, (6, '2'): 3, (6, '3'): 3, (6, '4'): 3, (6, '5'): 3, (6, '<s>'): 3, (7, '0'): 4,
    (7, '1'): 3, (7, '2'): 3, (7, '3'): 3, (7, '4'): 3, (7, '5'): 3, (7, '<s>'): 3,
}
# fmt: on


# mlp_2_2 = MLP_2_2_TABLE[attn_2_4, tokens], 3 where not listed
# fmt: off
MLP_2_2_TABLE = {
    ('0', '4'): 6, ('0', '5'): 6, ('1', '4'): 6, ('1', '5'): 6, ('2', '4'): 6, ('2', '5'): 6,
    ('3', '3'): 6, ('3', '4'): 6, ('3', '5'): 6, ('3', '<s>'): 6, ('4', '0'): 6, ('4', '1'): 6,
    ('4', '2'): 6, ('4', '3'): 6, ('4', '4'): 6, ('4', '5'): 6, ('4', '<s>'): 6, ('5', '3'): 6,
    ('5', '4'): 6, ('5', '5'): 6, ('5', '<s>'): 6, ('<s>', '4'): 6, ('<s>', '5'): 6,
}
# fmt: on


# num_mlp_2_2 = NUM_MLP_2_2_TABLE[num_attn_1_4, num_attn_1_2], 6 where not listed
# fmt: off
NUM_MLP_2_2_TABLE = {
    (0, 1): 2, (0, 2): 5, (0, 3): 5, (0, 4): 5, (0, 5): 5, (0, 6): 5, (0, 7): 5, (1, 3): 5,
    (1, 4): 5, (1, 5): 5, (1, 6): 5, (1, 7): 5, (2, 4): 5, (2, 5): 5, (2, 6): 5, (2, 7): 5,
    (3, 6): 5, (3, 7): 5,
}
# fmt: on


NUM_MLP_2_2_VALUES = {2, 5, 6}


# fmt: off
@_selects_by_query(NUM_MLP_0_2_VALUES, NUM_MLP_2_2_VALUES)
def select_attn_3_0(key: int, query: int) -> bool:
    return key == {6: None}.get(query, 7)
# fmt: on


MLP_1_2_VALUES = {1, 2, 3, 6, 7}


# fmt: off
@_selects_by_query(MLP_1_2_VALUES, range(MAX_LEN))
def select_attn_3_1(key: int, query: int) -> bool:
    return key == {1: 1, 3: 7}.get(query, 3)
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), ATTN_0_2_VALUES)
def select_attn_3_2(key: int, query: str) -> bool:
    return key == {'<s>': 7}.get(query, 0)
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, VOCAB)
def select_attn_3_3(key: str, query: str) -> bool:
    return key == {'0': '<s>', '<s>': '4'}.get(query, '0')
# fmt: on


# fmt: off
@_selects_by_query(NUM_MLP_0_2_VALUES, range(MAX_LEN))
def select_attn_3_4(key: int, query: int) -> bool:
    return key == {0: 0, 2: 0, 7: 0}.get(query, 7)
# fmt: on


# fmt: off
@_selects_by_query(MLP_0_3_VALUES, VOCAB)
def select_attn_3_5(key: int, query: str) -> bool:
    return key == {'3': 7, '4': 7, '5': 7, '<s>': 6}.get(query, 4)
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_attn_3_6(key: str, query: int) -> bool:
    return key == {1: '0', 3: '0', 4: '5', 5: '5', 6: '5'}.get(query, '3')
# fmt: on


# fmt: off
@_selects_by_query(ATTN_0_2_VALUES, VOCAB)
def select_attn_3_7(key: str, query: str) -> bool:
    return key == {'1': '1', '2': '2', '5': '5'}.get(query, '4')
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, ATTN_0_2_VALUES)
def select_num_attn_3_0(key: str, query: str) -> bool:
    return key == {'0': '2', '4': '4', '5': '1'}.get(query, '0')
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, ATTN_0_2_VALUES)
def select_num_attn_3_1(key: str, query: str) -> bool:
    return key == {'0': '5', '1': '0', '2': '<s>', '3': '3', '4': '0'}.get(query, '4')
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, ATTN_0_2_VALUES)
def select_num_attn_3_2(key: str, query: str) -> bool:
    return key == {'0': '<s>', '2': '<s>', '4': '4'}.get(query, '2')
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, ATTN_0_0_VALUES)
def select_num_attn_3_3(key: str, query: str) -> bool:
    return key == {'1': '1', '2': '2', '<s>': '0'}.get(query, '<s>')
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, ATTN_0_2_VALUES)
def select_num_attn_3_4(key: str, query: str) -> bool:
    return key == {'3': '1', '4': '4', '5': '5', '<s>': '1'}.get(query, '<s>')
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, ATTN_0_6_VALUES)
def select_num_attn_3_5(key: str, query: str) -> bool:
    return key == {'1': '1', '2': '2', '3': '3', '5': '<s>'}.get(query)
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, ATTN_0_2_VALUES)
def select_num_attn_3_6(key: str, query: str) -> bool:
    return key == {'1': '1', '5': '5', '<s>': '0'}.get(query, '<s>')
# fmt: on


NUM_ATTN_3_6_VALUES = {0, 1, 4, 9, 16, 25, 36, 49}


# fmt: off
@_selects_by_query(VOCAB, ATTN_0_2_VALUES)
def select_num_attn_3_7(key: str, query: str) -> bool:
    return key == {'2': '0', '3': '3', '<s>': '2'}.get(query, '<s>')
# fmt: on


# mlp_3_0 = MLP_3_0_TABLE[attn_1_7, attn_0_1], 4 where not listed
# fmt: off
MLP_3_0_TABLE = {
    ('0', '1'): 2, ('1', '0'): 2, ('1', '1'): 2, ('1', '2'): 2, ('1', '3'): 2, ('1', '4'): 2,
    ('1', '5'): 2, ('1', '<s>'): 2, ('2', '1'): 2, ('3', '1'): 2, ('4', '1'): 2, ('5', '1'): 2,
    ('<s>', '1'): 2,
}
# fmt: on


# mlp_3_1 = MLP_3_1_TABLE[attn_2_4, attn_0_2], 4 where not listed
# fmt: off
MLP_3_1_TABLE = {
    ('0', '0'): 1, ('0', '1'): 1, ('0', '2'): 1, ('0', '3'): 1, ('0', '5'): 1, ('1', '0'): 0,
    ('1', '1'): 5, ('1', '5'): 5, ('1', '<s>'): 3, ('2', '<s>'): 5, ('3', '0'): 1, ('3', '1'): 1,
    ('3', '2'): 1, ('3', '3'): 1, ('3', '4'): 1, ('3', '5'): 1, ('3', '<s>'): 3, ('4', '<s>'): 5,
    ('5', '0'): 5, ('5', '1'): 5, ('5', '2'): 5, ('5', '3'): 5, ('5', '4'): 5, ('5', '5'): 5,
    ('5', '<s>'): 3, ('<s>', '2'): 1, ('<s>', '4'): 1, ('<s>', '5'): 7, ('<s>', '<s>'): 3,
}
# fmt: on


# num_mlp_3_1 = NUM_MLP_3_1_RUNS[num_attn_3_6] at num_attn_2_1:
# the output of the last listed start at or before it
# fmt: off
NUM_MLP_3_1_RUNS = {
    0: _runs({0: 5, 4: 7}), 1: _runs({0: 4, 1: 5, 9: 7}), 4: _runs({0: 4, 4: 5, 25: 7}),
    9: _runs({0: 4, 9: 5, 36: 7}), 16: _runs({0: 4, 9: 5}), 25: _runs({0: 4, 16: 5}),
    36: _runs({0: 4, 25: 5}), 49: _runs({0: 4, 36: 5}),
}
# fmt: on


# num_mlp_3_3 = NUM_MLP_3_3_TABLE[num_attn_2_5], 7 where not listed
# fmt: off
NUM_MLP_3_3_TABLE = {
    0: 5,
}
# fmt: on


# readout: logits = READOUT_BIAS + the weight row of each categorical feature's value
# + each numerical feature (tabulated per value); the prediction is the allowed class
# with the highest logit (the first one on ties)
READOUT_CLASSES = ("<pad>", "<s>", "0", "1", "2", "3", "4", "5")
READOUT_ALLOWED = (1, 2, 3, 4, 5, 6, 7)
# fmt: off
READOUT_BIAS = (0.3527875021100044, -1.2549736239016056, 1.4483897723257542, 0.4169680243358016, 0.9850004427134991, 0.6114075407385826, -1.1000026278197765, 0.7914669513702393)
# fmt: on
# fmt: off
READOUT_WEIGHTS_TOKENS = {
    '0': (-0.4606538712978363, -0.7528555989265442, 2.0996291637420654, -0.7452106475830078, -0.39468610286712646, -1.0297526121139526, -0.6964228749275208, -0.5265953540802002),
    '1': (0.04549219086766243, -0.09550370275974274, -0.10372789204120636, 1.7042313814163208, -0.49478644132614136, -0.5307765603065491, -0.2998557984828949, -0.06029466912150383),
    '2': (-0.5446859002113342, 1.1439359188079834, -0.18546432256698608, -0.6124857068061829, 1.879254698753357, -0.1534281075000763, -0.1069905087351799, -0.4218851923942566),
    '3': (-0.14497485756874084, 0.9159102439880371, -0.6138912439346313, -0.7043157815933228, -0.14470161497592926, 2.0060129165649414, -0.5463928580284119, -0.7119229435920715),
    '4': (-0.40214142203330994, -1.2705609798431396, -0.876775860786438, -0.49107715487480164, -0.10548175126314163, -0.4767574071884155, 2.074873924255371, -0.46877509355545044),
    '5': (0.2934572398662567, 0.6011026501655579, -0.25772523880004883, 0.12535764276981354, -0.009627746418118477, -0.33648839592933655, -0.49987921118736267, 2.014003276824951),
    '<s>': (-0.5527574419975281, -0.30867868661880493, 0.32382142543792725, -0.1972101628780365, 0.1089363545179367, -0.14390777051448822, -0.15820544958114624, -0.4083743393421173),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_INDICES = {
    0: (-0.20434509217739105, 0.40728700160980225, 0.006571204401552677, 0.48638516664505005, -0.26020801067352295, 0.9532885551452637, -0.285258412361145, -0.6095147132873535),
    1: (0.3459421992301941, -12.343215942382812, 4.612435340881348, 1.844740867614746, 0.9021954536437988, 1.559247612953186, 1.0880709886550903, 3.2273993492126465),
    2: (-0.0356120765209198, -4.684322834014893, 0.2487805336713791, 1.5393184423446655, 1.5981132984161377, 2.1850786209106445, 1.4746164083480835, 1.77748441696167),
    3: (-0.04476149007678032, -6.337727069854736, 1.397989273071289, 1.4473669528961182, 1.6860743761062622, 1.4680651426315308, 1.0132871866226196, 1.5089263916015625),
    4: (0.4501698911190033, 2.030900478363037, -0.6213730573654175, -0.3656746745109558, -0.6233699917793274, -0.3994784951210022, -0.6111828684806824, -0.5264416337013245),
    5: (-0.6182113289833069, 6.504530429840088, -2.8412346839904785, -2.273541212081909, -2.8802449703216553, -3.0059633255004883, -2.205275535583496, -2.7670094966888428),
    6: (0.1039963811635971, 5.893708229064941, -3.5194149017333984, -3.202596664428711, -4.827816963195801, -2.418335437774658, -4.260857582092285, -3.873485803604126),
    7: (0.03412088006734848, 6.151889324188232, -3.2120440006256104, -2.887068748474121, -4.470187187194824, -2.8759241104125977, -4.227726936340332, -4.59619140625),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_0 = {
    '0': (0.27329543232917786, 0.09718220680952072, -0.0031433720141649246, 0.4156622886657715, -0.3491671681404114, 0.5087986588478088, -0.14387856423854828, -0.2878039479255676),
    '1': (0.5901449918746948, -0.990397036075592, -0.1982840746641159, 0.3997068405151367, 0.2592344880104065, 0.28046122193336487, -0.12013892829418182, -0.3938226103782654),
    '2': (-0.10970298945903778, 0.02957717888057232, -0.5502630472183228, 0.40275388956069946, -0.02878445014357567, -0.18089821934700012, -0.21684585511684418, 0.2862034738063812),
    '3': (-0.5299734473228455, 0.16353759169578552, 0.5491728186607361, 0.11553851515054703, 0.1101931780576706, 0.030023809522390366, 0.03242918476462364, 0.05311327427625656),
    '4': (-0.5804328322410583, -1.8441112041473389, 0.11191575229167938, 0.4635024964809418, -0.07074272632598877, 0.5328506231307983, 0.6006741523742676, -0.0940127819776535),
    '5': (0.13576287031173706, -0.12098856270313263, -0.13819275796413422, -0.591471791267395, 0.8298442363739014, 0.5853558778762817, -0.14249259233474731, 0.01607651263475418),
    '<s>': (-0.5327827334403992, 0.5737754106521606, 0.20819775760173798, 0.5071833729743958, 0.2445555031299591, -0.14580406248569489, 0.4181135594844818, 0.09822110831737518),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_1 = {
    '0': (-0.36304590106010437, -0.02395441010594368, -0.4021730422973633, -0.08084650337696075, 0.09525620192289352, -0.45986446738243103, -0.39670509099960327, 0.06964582204818726),
    '1': (0.17690646648406982, -5.03149938583374, 0.020119041204452515, 1.464742660522461, 0.1531171202659607, 0.0034963369835168123, -0.5357662439346313, 0.331914484500885),
    '2': (0.052525170147418976, 1.2913166284561157, 1.604026198387146, -2.2327780723571777, -0.1664779931306839, 0.15251970291137695, 1.4064512252807617, -1.378190040588379),
    '3': (-0.3600412607192993, 1.904952049255371, -0.26046130061149597, 0.5346665382385254, -0.15122798085212708, -0.18452832102775574, -1.249375581741333, -0.5067254304885864),
    '4': (0.3091510832309723, -0.18081034719944, -0.11576931923627853, 0.16341975331306458, 0.7781276106834412, 0.2326597273349762, 0.1474415510892868, 0.541772723197937),
    '5': (0.22359292209148407, -1.387636423110962, -0.20718291401863098, -0.3271474242210388, 0.19031119346618652, 0.11324939876794815, -0.6130518317222595, -0.08555864542722702),
    '<s>': (0.07879891991615295, 4.244452476501465, -0.23020601272583008, -7.429800033569336, 0.5972217321395874, -0.10736194998025894, -0.21938323974609375, 0.3856275975704193),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_2 = {
    '0': (-0.3609945476055145, -0.34329360723495483, 1.5257718563079834, -0.6332464218139648, -0.34011638164520264, -0.6114871501922607, -0.6918625831604004, -0.622554361820221),
    '1': (-0.3473648428916931, 0.09779686480760574, -0.6434853672981262, 1.998425006866455, -0.303913950920105, -0.36557766795158386, -0.5750651955604553, -0.28515753149986267),
    '2': (-0.3788871467113495, 0.45557892322540283, -0.47170355916023254, -0.3513995409011841, 2.034759521484375, -0.2582191526889801, -0.597313404083252, -0.12559035420417786),
    '3': (-0.20028012990951538, -0.4608406126499176, -0.4036334753036499, -0.17900267243385315, 0.13623619079589844, 2.364107370376587, -0.09143441170454025, -0.003234562464058399),
    '4': (0.5696521401405334, 0.04989767074584961, -0.7327641844749451, -1.065001130104065, -0.45316237211227417, -0.5834879875183105, 1.5774132013320923, -0.6178596019744873),
    '5': (0.8643333911895752, 0.6882805228233337, -0.7409084439277649, -0.464499294757843, -0.23494289815425873, -0.2122213989496231, -0.5614314675331116, 1.671580195426941),
    '<s>': (0.03145522624254227, -1.1056092977523804, 1.7905677556991577, 0.026335518807172775, -0.2640502452850342, -0.8206044435501099, 0.7930499911308289, -0.8079901337623596),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_3 = {
    '0': (-0.0675530806183815, -3.4705581665039062, 1.8272578716278076, -0.1765112727880478, -0.15361087024211884, 0.008964324370026588, 0.3845455050468445, 0.01301184855401516),
    '1': (0.09816252440214157, 0.6261182427406311, -7.459874153137207, 0.9385569095611572, 3.2402565479278564, 2.9640564918518066, 1.0243779420852661, -0.6493358612060547),
    '2': (0.22457505762577057, 1.3026982545852661, 0.21374239027500153, -0.24044270813465118, -0.43278178572654724, -0.11502420157194138, 0.025466594845056534, 0.03397973254323006),
    '3': (-0.12454160302877426, 1.379858374595642, 0.2157476395368576, 0.10645449906587601, -0.4342508316040039, -0.28277987241744995, 0.024867059662938118, -0.08000820875167847),
    '4': (0.38048315048217773, -2.182349681854248, 1.1795076131820679, -0.19779404997825623, 0.17820078134536743, 0.1104554608464241, -0.20259839296340942, 0.07431241869926453),
    '5': (-0.2479197233915329, 0.991024911403656, 1.1656123399734497, 0.11536148190498352, -0.3820778727531433, -0.2669316828250885, 0.04662878438830376, -0.12605604529380798),
    '<s>': (-0.35247090458869934, 2.447561502456665, -3.9936397075653076, 0.44229352474212646, -0.218796044588089, -0.206811785697937, 0.2513032853603363, 0.6159194111824036),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_4 = {
    '0': (0.1467306762933731, -0.483349084854126, 0.2910163998603821, -0.4690939784049988, -0.19052937626838684, -0.3845401704311371, -0.08485928177833557, -0.3658667504787445),
    '1': (-0.13983722031116486, -0.7310895323753357, -0.22821520268917084, 0.7888942956924438, 0.1366463303565979, -0.010960455983877182, 0.16071565449237823, -0.004429887048900127),
    '2': (0.12057609111070633, 0.2154006063938141, -0.5085778832435608, 0.22500935196876526, 0.37874579429626465, -0.29548370838165283, 0.09655359387397766, 0.14106237888336182),
    '3': (-0.032132431864738464, -0.26273056864738464, -0.2122960090637207, -0.24790418148040771, 0.01652851700782776, 0.7461981773376465, 0.06674673408269882, -0.1313207596540451),
    '4': (-0.12884953618049622, -0.6333293318748474, -0.4230981767177582, -0.18890944123268127, -0.08200584352016449, -0.19474276900291443, 0.47760915756225586, -0.22602760791778564),
    '5': (0.19955657422542572, -0.10180670768022537, -0.5027561783790588, 0.12065497785806656, -0.2835322320461273, 0.1015181690454483, -0.0293983556330204, 0.6134042739868164),
    '<s>': (0.121408611536026, 1.1928234100341797, -0.5437416434288025, -0.13866026699543, 0.6229994893074036, 0.009966892190277576, -0.9324427247047424, -0.6394274830818176),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_5 = {
    '0': (-0.5646799802780151, -0.009989279322326183, 1.0490305423736572, -0.07143773138523102, -0.10186534374952316, -0.2532655596733093, -0.17848168313503265, -0.3988820016384125),
    '1': (0.4770626425743103, -0.05357620120048523, 0.194614976644516, 1.2404766082763672, -0.056105125695466995, -0.245172381401062, -0.27557656168937683, -0.09458170086145401),
    '2': (0.4269470274448395, 0.464340478181839, 0.4192221760749817, 0.20362849533557892, 0.9676623344421387, -0.14721746742725372, 0.16959741711616516, 0.2292443960905075),
    '3': (0.2906937301158905, -0.7991843223571777, -0.003174410667270422, -0.21898308396339417, -0.36222752928733826, 0.38870924711227417, -0.353534460067749, -0.3225609362125397),
    '4': (-0.03168926760554314, 0.1079929918050766, 0.3840385675430298, -0.07894659042358398, -0.039359234273433685, -0.09618900716304779, 0.7571068406105042, -0.12662392854690552),
    '5': (0.1352204978466034, -0.15720988810062408, 0.23784305155277252, -0.05359296128153801, -0.12462814897298813, -0.4394419491291046, -0.37328198552131653, 0.6600017547607422),
    '<s>': (-0.002304811030626297, -0.3744809627532959, 0.148345947265625, 0.42728015780448914, -0.22342324256896973, 0.009640173986554146, 0.15406864881515503, -0.18805140256881714),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_6 = {
    '0': (0.4211488664150238, -0.09234824031591415, 0.14188559353351593, -0.24522024393081665, 0.0852464810013771, 0.02646760083734989, -0.10653641074895859, -0.447794646024704),
    '1': (0.4279836118221283, -3.5503926277160645, 0.3641713261604309, 0.2185206562280655, 0.5024585127830505, 0.846057116985321, 0.2620508372783661, 0.17222751677036285),
    '2': (-0.7131264209747314, -0.13127239048480988, -0.0915881022810936, 0.09302596747875214, -0.1064380407333374, -0.19159899652004242, -0.367973268032074, -0.08522921055555344),
    '3': (-0.042587172240018845, -2.097261428833008, 0.20176570117473602, 0.2525641918182373, 0.19396734237670898, 0.7760151624679565, 0.10000517964363098, 0.4419172406196594),
    '4': (0.22485332190990448, -0.0823938399553299, 0.24659420549869537, -0.12024176865816116, 0.02615787275135517, 0.37674468755722046, 0.2316523939371109, 0.12354539334774017),
    '5': (-0.02843039110302925, -0.057023078203201294, 0.01410622987896204, -0.08163971453905106, -0.05497553572058678, 0.01202459167689085, -0.1291515827178955, -0.0543239526450634),
    '<s>': (-0.2709331214427948, 5.979945182800293, 0.6260886192321777, 0.3976527452468872, 0.29257261753082275, -0.7786382436752319, 0.32634565234184265, 0.2444978952407837),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_7 = {
    '0': (0.13182087242603302, -0.37613746523857117, 0.35763606429100037, 0.16393537819385529, 0.1751367151737213, 0.013298331759870052, 0.2213527262210846, 0.30511730909347534),
    '1': (0.2761133313179016, -1.5735756158828735, -0.04314418137073517, -0.004339311271905899, -0.06755920499563217, -0.2099359929561615, 0.09779606014490128, 0.20008428394794464),
    '2': (-0.398649662733078, 1.8989189863204956, 0.032420333474874496, -0.017587315291166306, 0.16409070789813995, 0.3465605080127716, -0.04534686356782913, 0.036671169102191925),
    '3': (-0.2668409049510956, 0.15019591152668, -0.06927888095378876, -0.31934329867362976, -0.12067786604166031, 0.23044876754283905, -0.13898667693138123, 0.04677537828683853),
    '4': (-0.4313531816005707, -0.3754017651081085, 0.34508365392684937, 0.31352752447128296, 0.2758955657482147, -0.09901975095272064, 0.25330650806427, 0.13818153738975525),
    '5': (-0.4870268404483795, 0.6269404292106628, -0.07751540094614029, 0.07536336034536362, -0.026791980490088463, -0.13390687108039856, 0.17562881112098694, 0.048370443284511566),
    '<s>': (0.05608471482992172, 0.5895176529884338, -0.0450965091586113, -0.13842546939849854, -0.0004463512450456619, -0.28429824113845825, -0.12378029525279999, -0.150328129529953),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_0_0 = {
    1: (-0.13171429932117462, 0.5279637575149536, -0.31303712725639343, -0.4026217758655548, -0.11297884583473206, -0.20163282752037048, -0.3902483582496643, -0.38773879408836365),
    2: (0.08499584347009659, -0.08654332160949707, 1.0005724430084229, -0.16196608543395996, 0.20261302590370178, 0.34517067670822144, -0.027105232700705528, 0.0900752991437912),
    4: (0.10856645554304123, -0.3846966028213501, 0.14735791087150574, -0.10346253961324692, 0.21870853006839752, -0.01174527034163475, -0.2415681928396225, -0.16130568087100983),
    6: (0.46123895049095154, 0.6858537793159485, 0.3019926846027374, -0.07635823637247086, 0.05453626438975334, 0.09586883336305618, 0.0415722131729126, 0.15999166667461395),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_0_1 = {
    1: (-0.4407057464122772, -5.508660316467285, 0.7805021405220032, 0.3808867335319519, 0.8130240440368652, 0.1690676063299179, 0.4817380905151367, 0.49980834126472473),
    2: (0.32172223925590515, -1.5869845151901245, 0.33179253339767456, 0.4501633644104004, 0.3296397626399994, 0.40173831582069397, 0.49344807863235474, 0.2824399471282959),
    4: (-0.9665438532829285, 7.932963848114014, -1.5246331691741943, -1.4633961915969849, -1.3877692222595215, -1.145683765411377, -1.8342981338500977, -1.7072601318359375),
    7: (-0.20882779359817505, -1.247842788696289, 0.14323745667934418, 0.2495328187942505, 0.17293301224708557, 0.225400909781456, 0.49558135867118835, 0.2799595594406128),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_0_2 = {
    2: (-0.7031959891319275, 0.2975985109806061, 0.07425013184547424, 0.4529057443141937, 0.011363878846168518, 0.14587341248989105, 0.11360237747430801, 0.5022913217544556),
    3: (0.2717854976654053, -0.31172311305999756, 0.013671757653355598, 0.4526759386062622, -0.15313807129859924, 0.06328578293323517, -0.18207895755767822, 0.05411743372678757),
    4: (-0.034571319818496704, -0.026819782331585884, 0.047025930136442184, -0.08472517877817154, 0.21035458147525787, -0.0502922497689724, -0.19225814938545227, -0.18529263138771057),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_0_3 = {
    0: (0.05374975502490997, -0.5321148633956909, 0.6982603669166565, -0.08482331782579422, 0.5020908713340759, 0.2129601091146469, 0.3059227764606476, 0.13935893774032593),
    1: (-0.13547879457473755, 1.231242060661316, 0.26400381326675415, 0.028042655438184738, 0.5654477477073669, 0.7963345646858215, 0.534073531627655, 0.051361970603466034),
    3: (-0.16367970407009125, -8.581871032714844, 3.285564422607422, 0.8582797646522522, -0.23753635585308075, 0.2815692722797394, -1.3194434642791748, 1.908917784690857),
    4: (-0.03634193167090416, 3.482055187225342, -1.0929901599884033, -1.3106614351272583, -1.3436046838760376, -0.25996342301368713, -1.6854177713394165, -0.4197987914085388),
    6: (-0.1782468557357788, -0.7599244117736816, 0.1736588180065155, -0.2010318487882614, 0.6774911880493164, 0.08753208070993423, 0.2656552791595459, -0.13625144958496094),
    7: (-0.45444273948669434, 0.13004134595394135, -0.26467078924179077, -0.507652759552002, -0.05198138207197189, -0.26438096165657043, -0.1470881998538971, -0.2271539866924286),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_MLP_0_1 = {
    0: (-0.46511638164520264, 7.9971604347229, -4.260425567626953, -0.7949821949005127, -0.33227938413619995, -0.03476165980100632, -0.3504626452922821, -0.8819982409477234),
    2: (-0.05160949379205704, -2.269155740737915, -0.6797322034835815, 0.7729440927505493, 0.7540432214736938, 0.2829742431640625, 0.16786064207553864, 0.408731609582901),
    3: (-0.011515649035573006, -4.6934309005737305, 0.8400271534919739, 0.09726975858211517, 0.13782930374145508, 0.18706032633781433, 0.13089816272258759, 0.18523132801055908),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_MLP_0_2 = {
    0: (-0.4602574110031128, 10.364667892456055, -0.8573504090309143, -1.2215287685394287, -1.1524360179901123, -0.24808058142662048, -3.0691800117492676, -0.8310736417770386),
    3: (0.5105195641517639, -1.608184576034546, 0.172044575214386, 0.8971956372261047, 0.13021615147590637, -0.9868996739387512, 1.2723993062973022, 0.07235345244407654),
    6: (0.7966876029968262, -6.144618034362793, 0.22642873227596283, 0.29984214901924133, 0.18121463060379028, 0.4865897297859192, 1.5540181398391724, 0.45204615592956543),
    7: (0.13855868577957153, -2.4728517532348633, 0.1212151050567627, 1.4302648305892944, 0.18091681599617004, 1.5210012197494507, -2.7061705589294434, 0.3162582516670227),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_0 = {
    '0': (0.4974033534526825, -0.8146135807037354, 0.8888332843780518, -0.29305505752563477, -0.0008706098888069391, 0.10606257617473602, 0.27516552805900574, -0.11680632829666138),
    '1': (-0.6562575101852417, 0.11755426228046417, -0.05033361166715622, 0.013430203311145306, -0.2829374074935913, -0.16638898849487305, -0.2082984745502472, -0.5315141081809998),
    '2': (0.10719097405672073, 0.5389696359634399, 0.017348406836390495, -0.32497990131378174, 0.5577384233474731, 0.0014938591048121452, -0.013674027286469936, -0.7058857083320618),
    '3': (-0.44254252314567566, -0.4175701141357422, 0.10728999227285385, -0.3736293315887451, -0.008649340830743313, 0.8238556981086731, -0.21253520250320435, -0.42414936423301697),
    '4': (0.10075964778661728, -0.5851168036460876, 0.041581783443689346, -0.40224912762641907, 0.07572823017835617, -0.15889579057693481, 0.6274639964103699, -0.2040804624557495),
    '5': (-0.7039141058921814, -0.14039123058319092, 0.3190835416316986, -0.07665801793336868, -0.14109545946121216, 0.16397306323051453, 0.2315872609615326, 0.35664957761764526),
    '<s>': (-0.6144356727600098, -0.33948028087615967, -0.05217374861240387, -0.4988740086555481, 0.06949552893638611, 0.41142135858535767, 0.0918688103556633, -0.10501013696193695),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_1 = {
    1: (0.6597153544425964, 3.4808332920074463, -0.5720282793045044, 0.04566170647740364, -5.004660606384277, 0.22879977524280548, -0.2503979206085205, 0.17870928347110748),
    2: (-0.3315824866294861, -1.6529632806777954, -0.10202541202306747, 0.2942242920398712, 0.46260419487953186, -0.08056765794754028, 0.21233509480953217, 0.22927603125572205),
    4: (-0.29057446122169495, -0.5942196846008301, -0.4990207850933075, -0.24953249096870422, 0.4282550513744354, -0.24974596500396729, -0.5086290836334229, -0.6585102677345276),
    6: (0.19180497527122498, 1.4944835901260376, -0.02753608115017414, 0.8369221091270447, -2.11582088470459, 0.5050512552261353, 0.1261378675699234, 0.5190589427947998),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_2 = {
    '0': (0.06538788974285126, 0.008361061103641987, 0.24694094061851501, 0.1727900356054306, -0.018522068858146667, 0.22650247812271118, -0.15813973546028137, 0.09510006010532379),
    '1': (-0.056136470288038254, -0.8774696588516235, -0.17555497586727142, -0.09841708093881607, 0.18402692675590515, 0.4156750738620758, 0.11500945687294006, 0.5449005365371704),
    '2': (-0.11432138830423355, 0.27958253026008606, 0.21740971505641937, 0.02039760909974575, 0.3286546468734741, 0.11417172849178314, 0.005014827474951744, 0.06565015763044357),
    '3': (-0.20444424450397491, 0.39360854029655457, 0.05552137643098831, 0.22966797649860382, 0.3208879828453064, -0.1047057956457138, 0.11017031222581863, 0.00468068104237318),
    '4': (0.17495404183864594, 0.037265267223119736, 0.07991619408130646, 0.25164926052093506, 0.287360817193985, 0.2931196391582489, -0.08277999609708786, 0.04906069487333298),
    '5': (0.11620958894491196, -1.0934665203094482, -0.025617321953177452, -0.16507495939731598, 0.0009310755413025618, -0.33576470613479614, -0.11656153202056885, -0.10015977919101715),
    '<s>': (0.14732395112514496, 0.25580406188964844, 0.2551742196083069, 0.22659693658351898, 0.10981439799070358, 0.11749885231256485, 0.004609143361449242, -0.038901690393686295),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_3 = {
    '0': (-0.5609486103057861, -0.3691765367984772, -1.567495584487915, -0.12581360340118408, 0.16075797379016876, 0.10465731471776962, 0.19874241948127747, -0.18032298982143402),
    '1': (-0.07393059879541397, 0.8028945326805115, 0.37801817059516907, -1.7024532556533813, 0.05628238990902901, 0.0037180189974606037, 0.06545374542474747, -0.2493586391210556),
    '2': (-0.058328259736299515, 1.4488826990127563, 0.5435537695884705, 0.34816619753837585, -1.3606516122817993, 0.296851247549057, 0.2780841588973999, -0.14184121787548065),
    '3': (-0.3809366524219513, 0.13712403178215027, 0.4013238549232483, 0.2802557945251465, 0.23724685609340668, -0.9048134684562683, 0.2654200494289398, -0.02285624109208584),
    '4': (-0.10048459470272064, -0.167886883020401, 0.667718768119812, 0.3308785855770111, 0.4157513380050659, 0.5640930533409119, -1.121124505996704, 0.12791527807712555),
    '5': (0.104958176612854, 0.442233145236969, 0.4673483371734619, 0.18267658352851868, 0.03731972724199295, 0.2939300239086151, 0.19317124783992767, -1.499906063079834),
    '<s>': (0.4190696179866791, -2.5049569606781006, 0.49313339591026306, -0.2580658197402954, 0.07695093005895615, 0.6804620027542114, 0.3472815454006195, 0.14478780329227448),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_4 = {
    '0': (-0.22637514770030975, -0.45511671900749207, -0.09707450866699219, 0.36564263701438904, 0.09712730348110199, 0.20676690340042114, 0.4573642909526825, 0.11066567897796631),
    '1': (0.025203147903084755, 0.15814900398254395, 0.12041215598583221, 0.00861028116196394, -0.3580397367477417, -0.003783381776884198, 0.19375573098659515, -0.14622902870178223),
    '2': (-0.26170259714126587, 0.4373224973678589, -0.07968271523714066, 0.05273643508553505, -0.2968221604824066, 0.08429213613271713, 0.39494216442108154, 0.05024648457765579),
    '3': (0.07470881938934326, -0.3530534505844116, -0.2605743706226349, -0.06949805468320847, -0.4294104278087616, -0.3758447468280792, -0.19785627722740173, -0.2677195072174072),
    '4': (-0.7261499166488647, -0.462465763092041, -0.04029758274555206, 0.3167380094528198, -0.07532985508441925, -0.14596790075302124, 0.3285001218318939, 0.0029813270084559917),
    '5': (-0.16694025695323944, -0.060827963054180145, 0.09870130568742752, 0.19050748646259308, -0.06872465461492538, -0.0066879563964903355, 0.21264119446277618, -0.05288168042898178),
    '<s>': (0.0007045955280773342, -0.8724321722984314, 0.1520572006702423, 0.42859113216400146, 0.016497597098350525, 0.15188409388065338, 0.4386378526687622, 0.18263602256774902),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_5 = {
    1: (-0.027722792699933052, 2.302617073059082, -0.25933441519737244, -0.10538008064031601, -0.415139377117157, 0.18692392110824585, 0.12002621591091156, -0.8196097612380981),
    2: (0.5636495351791382, -1.8162670135498047, -0.04632686451077461, 0.17913873493671417, 0.3368428349494934, 0.2826646566390991, 0.21358540654182434, 0.5403447151184082),
    4: (-0.12096742540597916, 1.1320805549621582, 0.19737254083156586, 0.38321760296821594, 0.25360751152038574, 0.5812172293663025, 0.5305257439613342, -1.025838017463684),
    6: (0.6356105208396912, -0.1288881003856659, -0.16558097302913666, 0.08064429461956024, -0.41470909118652344, 0.12197466194629669, 0.04129166156053543, 0.41169461607933044),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_6 = {
    '0': (-0.027308691293001175, -0.5970234870910645, 0.08791917562484741, -0.021704161539673805, 0.8100658059120178, 0.22057875990867615, 0.16071155667304993, 0.28051918745040894),
    '1': (0.27058202028274536, -0.2728818953037262, 0.10971352458000183, 0.18844173848628998, 0.2117103487253189, -0.055915798991918564, -0.16438570618629456, 0.229486346244812),
    '2': (0.11045689135789871, 0.2081141471862793, -0.20136363804340363, 0.05057278275489807, 0.21068339049816132, 0.15193313360214233, 0.016820620745420456, 0.2769496738910675),
    '3': (0.19329331815242767, 0.04612364619970322, 0.0776325985789299, 0.22029079496860504, 0.3676169514656067, 0.2787729799747467, 0.272880882024765, 0.3738501965999603),
    '4': (-0.1813376098871231, -0.33652982115745544, -0.038710519671440125, 0.27079564332962036, 0.12930771708488464, -0.04503747448325157, 0.1759069859981537, 0.585152804851532),
    '5': (-0.04075505584478378, -0.4626249372959137, 0.011087343096733093, -0.08697372674942017, 0.11489201337099075, -0.06293048709630966, -0.09655086696147919, -0.06418051570653915),
    '<s>': (0.089083231985569, -0.308100163936615, -0.45240890979766846, 0.08037448674440384, 0.172769233584404, 0.07793363928794861, 0.10413630306720734, 0.2507961690425873),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_7 = {
    '0': (-0.12086790055036545, -0.48219865560531616, 0.30216184258461, 0.19874230027198792, -0.14225561916828156, 0.3640267848968506, 0.2869164049625397, -0.01869170553982258),
    '1': (-0.27326834201812744, 0.6197319030761719, 0.16005125641822815, 0.2805215120315552, 0.040492285043001175, 0.36667880415916443, 0.3596978485584259, -0.07858652621507645),
    '2': (0.5042275786399841, 0.13320761919021606, 0.1969764530658722, 0.22764070332050323, 0.3157346844673157, 0.5534622669219971, 0.3997885584831238, -0.04348456859588623),
    '3': (0.18009202182292938, -0.15960633754730225, 0.1985205113887787, -0.046582646667957306, -0.17116451263427734, 0.740079939365387, 0.19538210332393646, -0.14000020921230316),
    '4': (-0.18519221246242523, -0.6165634989738464, -0.09539800137281418, -0.06887044757604599, -0.1886649876832962, 0.24491296708583832, 0.10083843767642975, -0.2755434215068817),
    '5': (-0.08577901124954224, 0.047405023127794266, 0.20013268291950226, 0.24703364074230194, 0.10959834605455399, 0.355896532535553, 0.23005861043930054, 0.2097511738538742),
    '<s>': (-0.10002194344997406, -0.7977070212364197, 0.48821142315864563, -0.18773579597473145, -0.15199558436870575, 0.14583706855773926, 0.08629024028778076, -0.40802159905433655),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_1_0 = {
    0: (0.8331923484802246, 0.3883756995201111, 1.6748100519180298, 0.11659340560436249, -0.2762852609157562, 0.18690793216228485, -0.10822168737649918, 0.01460506021976471),
    5: (-0.3058127760887146, -0.7244633436203003, 1.5315251350402832, 0.08603961765766144, -0.3114682137966156, 0.06950574368238449, -0.15153326094150543, -0.0010864476207643747),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_1_1 = {
    3: (-0.35327526926994324, -0.2056199610233307, 0.14886632561683655, 0.26065540313720703, 0.06997288763523102, 0.5628475546836853, 0.0835304856300354, 0.31092196702957153),
    5: (0.7809063196182251, -0.06161050125956535, 0.013874592259526253, -0.057583365589380264, -0.12079887092113495, 0.4395783841609955, -0.13152450323104858, 0.01603998988866806),
    6: (0.2114858478307724, -0.01247017364948988, -0.0018836716189980507, 0.13442090153694153, 0.1485583335161209, 0.4082345962524414, 0.17304493486881256, 0.2487560659646988),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_1_2 = {
    1: (0.03260031342506409, 1.8321934938430786, -0.16238218545913696, -0.25391748547554016, 0.20447592437267303, -0.1346665471792221, -0.6028384566307068, 0.12217308580875397),
    2: (-0.1248074397444725, 0.6495254635810852, 0.18299150466918945, 0.2294163703918457, 0.2053363174200058, 0.24661512672901154, -0.28464698791503906, 0.09352705627679825),
    3: (0.7447625398635864, -9.674703598022461, 1.8852479457855225, 1.575190782546997, 0.9863444566726685, 1.409519076347351, 1.835639238357544, 1.3891569375991821),
    6: (0.15128427743911743, 3.356395721435547, -0.4868696928024292, -1.0008739233016968, -0.2160681039094925, -0.25243499875068665, -0.9330427050590515, -0.13980163633823395),
    7: (0.3195747435092926, -0.1807875633239746, 0.19034422934055328, 2.7826709747314453, -0.5827606320381165, -0.8969200253486633, 0.4205228388309479, -1.179471731185913),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_1_3 = {
    0: (-0.057718511670827866, -1.216069221496582, 0.2704799473285675, 0.8819231390953064, -0.06530866771936417, 0.33045047521591187, 0.1523197889328003, 0.27536144852638245),
    4: (0.3986275792121887, 1.0584690570831299, -0.022900082170963287, -1.0504095554351807, -0.44169875979423523, 0.08812100440263748, -0.23847529292106628, -0.11944832652807236),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_MLP_1_0 = {
    0: (-0.15139320492744446, 1.030138373374939, 0.7191076278686523, 0.9411807060241699, -0.026039641350507736, 0.6704012751579285, -0.08642154932022095, -2.6981139183044434),
    3: (-0.23754869401454926, -0.38402286171913147, -0.06659474223852158, -0.14477567374706268, -0.14428333938121796, -0.022798582911491394, -0.29767462611198425, 0.7004694938659668),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_0 = {
    0: (-0.06417912244796753, 0.8860101699829102, -0.6802690625190735, -0.41491419076919556, -0.486188143491745, -0.7880847454071045, -0.4863770604133606, 1.2959016561508179),
    3: (0.14202925562858582, -0.2756339907646179, -0.018472347408533096, 0.33113715052604675, -0.07387951016426086, 0.23169805109500885, 0.01028534397482872, -0.4030741751194),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_1 = {
    0: (-0.07845210283994675, 0.2788534462451935, 0.01293944288045168, 0.02595258317887783, 0.055552367120981216, -0.13390861451625824, 0.007765524089336395, 0.14388230443000793),
    1: (-0.02564241923391819, -0.051214203238487244, 0.405472993850708, 0.17934781312942505, 0.49829715490341187, 0.33418816328048706, 0.31426456570625305, 0.5010802149772644),
    2: (-0.7231580018997192, -0.2238980382680893, 0.3680744469165802, 0.4541962742805481, 0.3187338709831238, 0.15850722789764404, 0.5063831806182861, 0.43706613779067993),
    3: (0.46291276812553406, -0.21553517878055573, 0.21200934052467346, 0.2653414309024811, 0.2697790563106537, 0.31634658575057983, 0.11402342468500137, 0.3182881772518158),
    4: (-0.4297022819519043, -0.2840232253074646, 0.6800091862678528, 0.00578249990940094, 0.785955011844635, 0.4074348211288452, -1.0607950687408447, 0.21952857077121735),
    5: (0.28265124559402466, -0.10257390141487122, 0.00046005769399926066, 0.07838308811187744, 0.1843900978565216, 0.06524484604597092, -0.04821310192346573, 0.37571170926094055),
    6: (0.1208328977227211, -0.9125095009803772, -0.24107801914215088, 0.08403289318084717, 0.39486145973205566, 0.39768654108047485, -0.29018664360046387, 0.1904165893793106),
    7: (0.14240311086177826, 0.4146151840686798, -0.24413003027439117, 0.16619116067886353, -0.6627681255340576, -0.4676836133003235, 1.3364847898483276, 0.743089497089386),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_2 = {
    0: (-0.1369234025478363, -0.1461813747882843, 0.7084702253341675, 0.8570513129234314, 0.14704428613185883, 0.5545950531959534, 0.13913819193840027, -0.06210712343454361),
    3: (0.16666865348815918, 1.606369972229004, 0.5163916945457458, -0.26740577816963196, 0.2635571360588074, 0.6014026403427124, -0.2582307755947113, -0.05775923281908035),
    6: (-0.5696508884429932, -1.6263842582702637, 0.6724358797073364, 0.539360761642456, 0.29712945222854614, 0.3822428584098816, 0.32705238461494446, 0.04438810050487518),
    7: (-0.3484122157096863, -1.9042876958847046, 0.1811235547065735, 0.22803544998168945, -0.15263065695762634, 0.06333066523075104, 0.8050148487091064, -0.4538232684135437),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_3 = {
    1: (-0.21757330000400543, 2.8156301975250244, -0.26094523072242737, -0.4348744750022888, -0.2466391623020172, -0.4279630780220032, -0.12276170402765274, -2.3881285190582275),
    2: (0.7443016767501831, -2.051955461502075, 0.1317857801914215, -0.01699930988252163, 0.4058746099472046, -0.3374078571796417, 0.19138503074645996, 0.45157763361930847),
    4: (0.14593753218650818, 0.9107102751731873, 0.09753301739692688, 0.19711753726005554, 0.4978947043418884, -0.005712147802114487, 0.4293816387653351, -2.300724983215332),
    6: (0.03137972578406334, 0.1407083421945572, 0.002496918197721243, -0.13005158305168152, -0.20029926300048828, -0.31092607975006104, 0.029980864375829697, 0.4202987551689148),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_4 = {
    '0': (-0.182309091091156, -0.38357415795326233, 1.6205943822860718, -0.4190758764743805, -0.364429771900177, -0.40112900733947754, -0.445916086435318, -0.1944245994091034),
    '1': (0.11922650784254074, -0.6297829747200012, -0.1576620191335678, 1.5788161754608154, -0.1252465397119522, -0.44947493076324463, -0.021064551547169685, -0.06152743846178055),
    '2': (0.39452990889549255, -0.5567545294761658, -0.6348594427108765, -0.49276190996170044, 1.591494083404541, -0.6898188591003418, -0.1944510042667389, -0.11966568976640701),
    '3': (0.2827071249485016, -0.5361433625221252, -0.2926734387874603, -0.40143483877182007, -0.28293377161026, 1.7926985025405884, -0.5379883050918579, -0.28528425097465515),
    '4': (0.27338799834251404, -0.055412571877241135, -0.5323398113250732, -0.2639648914337158, -0.10872608423233032, -0.23563556373119354, 1.8982067108154297, 0.0895327478647232),
    '5': (-0.5204397439956665, 0.0844411551952362, 0.26020243763923645, -0.2732314467430115, 0.01225898414850235, -0.3305704593658447, -0.1669149547815323, 2.2579076290130615),
    '<s>': (-0.5877482295036316, 1.2788658142089844, -0.20697541534900665, -0.1487337350845337, 0.21379704773426056, -0.2378634363412857, -0.4573250114917755, -0.4666355550289154),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_5 = {
    1: (0.6379594802856445, 1.7959861755371094, -0.671027660369873, -0.24308255314826965, -0.42537689208984375, -0.7944545149803162, -0.4805234968662262, 0.09551168233156204),
    2: (0.20282651484012604, -1.8589069843292236, 0.07938249409198761, -0.024253902956843376, 1.2452391386032104, -0.10268723964691162, 0.12455510348081589, 0.006710302550345659),
    4: (-0.04467993229627609, -0.0949457436800003, -0.08221562951803207, 0.1228247880935669, 0.5912410616874695, -0.38605889678001404, 0.25788643956184387, 0.25296783447265625),
    6: (-0.8646780848503113, 3.120119571685791, -0.3735935389995575, -0.2455572783946991, -1.6065483093261719, 0.041930027306079865, 0.003384653013199568, 0.05599009618163109),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_6 = {
    '0': (-0.5852088928222656, 0.16286124289035797, 0.06487356871366501, 0.3119177520275116, -0.25052887201309204, 0.13618935644626617, -0.1385120004415512, 0.1357656717300415),
    '1': (0.08143679797649384, -0.45618072152137756, 0.025224344804883003, 0.38652756810188293, -0.25649577379226685, 0.21643070876598358, 0.049740977585315704, 0.17604421079158783),
    '2': (0.15163853764533997, -0.35949793457984924, 0.06432616710662842, 0.20146571099758148, -0.023554464802145958, -0.2726740539073944, -0.2970998287200928, 0.06535663455724716),
    '3': (-0.047155074775218964, -0.325610876083374, -0.1522839367389679, 0.32829707860946655, -0.06986692547798157, 0.2526344060897827, 0.0048873936757445335, -0.04411064088344574),
    '4': (0.4161403179168701, -0.24463079869747162, 0.07259805500507355, 0.3019903302192688, 0.03474738821387291, -0.07913420349359512, -0.11335910856723785, -0.03192568197846413),
    '5': (-0.34361404180526733, -0.09293897449970245, 0.38831523060798645, 0.47975969314575195, 0.519862949848175, -0.2119499295949936, 0.010356355458498001, 0.4354364275932312),
    '<s>': (0.5590337514877319, 0.5127448439598083, -0.14569233357906342, 0.1159164309501648, -0.3259351849555969, 0.02351376600563526, -0.3192276954650879, -0.03845452144742012),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_7 = {
    1: (0.34891802072525024, 0.5862216353416443, 0.00055351248010993, -0.03373095765709877, 0.45050469040870667, -0.2725525498390198, -0.20179979503154755, 0.014746023342013359),
    2: (-0.239739790558815, -0.5915177464485168, 0.09298032522201538, 0.28428879380226135, 0.5148797631263733, -0.02559898979961872, 0.15210142731666565, -0.1252889782190323),
    4: (0.023027412593364716, -0.16010908782482147, 0.37623119354248047, 0.31943780183792114, 0.4914546012878418, -0.017430366948246956, 0.23855473101139069, 0.4524726867675781),
    6: (0.27654367685317993, 0.3358672559261322, -0.2009591907262802, -0.2875254154205322, -1.2182601690292358, -0.5471103191375732, -0.42914649844169617, -0.1637117564678192),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_2_0 = {
    3: (0.4021397531032562, 2.5393431186676025, -0.1597241461277008, -0.29958730936050415, -0.2839365005493164, -0.5029587745666504, -0.3445378243923187, -0.2852190136909485),
    4: (-0.7486387491226196, 1.4059677124023438, -0.2137078195810318, -0.12292837351560593, -0.21184518933296204, -0.29674866795539856, -0.2791731655597687, -0.3406922519207001),
    5: (-0.37113818526268005, -10.10648250579834, 0.5299779176712036, 0.6227608323097229, 0.5743376016616821, 0.4882287383079529, 0.3885626196861267, 0.4463275074958801),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_2_2 = {
    3: (-0.3348444700241089, -0.041091155260801315, -0.10817646980285645, -0.10835379362106323, -0.05946972593665123, 0.32774049043655396, -0.31232038140296936, -0.04970492795109749),
    6: (-0.1399867683649063, -0.14689013361930847, 0.3778132200241089, 0.14211809635162354, 0.2197878658771515, 0.2038867175579071, 0.26452791690826416, 0.20179563760757446),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_MLP_2_0 = {
    1: (0.3773728013038635, 5.121170520782471, -0.2600580155849457, -0.10300041735172272, 1.0566741228103638, -1.3850913047790527, -0.18507201969623566, -6.409958362579346),
    4: (0.022646641358733177, -3.4420576095581055, 0.6294742822647095, 0.21200259029865265, 0.13931667804718018, 0.4712883532047272, 0.32978373765945435, 1.5517302751541138),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_MLP_2_2 = {
    2: (0.32489529252052307, -0.5398432612419128, -0.5630749464035034, -0.1424061357975006, -0.7104995250701904, 0.2662568986415863, 0.08864805102348328, 0.9198870062828064),
    5: (0.3616355061531067, 1.4978867769241333, 0.17126457393169403, -0.7690626978874207, -0.1469077318906784, 0.13836514949798584, 0.33586183190345764, -0.10097633302211761),
    6: (-0.011275045573711395, -0.40083643794059753, -0.17934396862983704, 0.42297425866127014, -0.16008096933364868, -0.5054729580879211, 0.33145368099212646, -0.20744645595550537),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_MLP_2_3 = {
    1: (-0.46874409914016724, 2.310664176940918, 0.48040369153022766, 0.22028879821300507, -4.600106239318848, -0.5662409067153931, 0.331260085105896, -0.013978935778141022),
    2: (0.11060415953397751, -1.981150507926941, -0.41990792751312256, 0.12610656023025513, 0.901874840259552, 0.6375126242637634, 0.13749371469020844, -0.053714025765657425),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_3_0 = {
    '0': (0.7894352674484253, -0.6781355738639832, 0.05215435475111008, -0.10823015868663788, 0.20546676218509674, 0.06675545871257782, 0.23800170421600342, 0.06632295250892639),
    '1': (-0.1116696298122406, -0.4323774576187134, 0.1798235923051834, 0.2524718642234802, 0.5038870573043823, 0.23644372820854187, 0.46655362844467163, 0.24822324514389038),
    '2': (0.14148041605949402, 0.22091639041900635, -0.30632054805755615, -0.2076924592256546, 0.005244692321866751, 0.25916385650634766, -0.2890704870223999, -0.15399254858493805),
    '3': (-0.4155625104904175, -0.6053005456924438, -0.21720080077648163, -0.2517828941345215, 0.10786891728639603, -0.059454139322042465, 0.16034814715385437, -0.12556369602680206),
    '4': (-0.19190596044063568, 0.17261077463626862, 0.18293991684913635, 0.08882500231266022, 0.3884887993335724, 0.0654812678694725, 0.32436585426330566, 0.0062868413515388966),
    '5': (0.15860827267169952, 0.41732433438301086, -0.3103763163089752, 0.0067488220520317554, 0.24334189295768738, 0.07751118391752243, 0.13283485174179077, 0.12390406429767609),
    '<s>': (-0.6844475269317627, 0.0015996068250387907, -0.47928860783576965, -0.3123909831047058, -0.24743737280368805, 0.16352635622024536, -0.3017883598804474, -0.37919676303863525),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_3_1 = {
    0: (-0.05935407429933548, 0.6221198439598083, -0.08228007704019547, 0.2029239982366562, 0.18416497111320496, -0.4994153678417206, 0.015540068969130516, 0.17707322537899017),
    3: (0.028295252472162247, 0.22580435872077942, 0.09230023622512817, 0.17689532041549683, 0.3886526823043823, -0.12711332738399506, 0.27356064319610596, 0.3355744183063507),
    6: (-0.701254665851593, -0.7876886129379272, 0.22839313745498657, 0.32769814133644104, 0.6745873689651489, 0.43687930703163147, 0.5720510482788086, 0.5164052844047546),
    7: (0.21191129088401794, 1.0211443901062012, 0.06465812027454376, 0.21149958670139313, 0.2179005742073059, 0.26483768224716187, -0.030226346105337143, -0.07921356707811356),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_3_2 = {
    1: (-0.005268784239888191, 5.229434013366699, 0.1647392213344574, 0.22578877210617065, -3.284059762954712, 0.1316327452659607, -0.1415109932422638, -1.9403663873672485),
    2: (0.051211342215538025, -2.5999419689178467, 0.7063324451446533, 0.5405111908912659, 1.8724297285079956, 0.49527424573898315, 0.5504034161567688, 0.5918508172035217),
    4: (-0.6332663893699646, -0.5403326153755188, -0.1178535670042038, -0.3317164480686188, 0.9018226861953735, -0.1882738620042801, -0.21585652232170105, -1.6044143438339233),
    6: (0.053180843591690063, 1.3936169147491455, -0.026800906285643578, -0.0266327653080225, -3.470371723175049, -0.21718138456344604, 0.1685660034418106, 0.28595951199531555),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_3_3 = {
    0: (0.09706629067659378, 0.16827024519443512, 0.4003707468509674, 0.1427205502986908, 0.595611035823822, 0.27480146288871765, 0.2869086265563965, 0.45898711681365967),
    2: (-0.2047400027513504, -0.6618981957435608, 1.3845959901809692, -0.5218638777732849, -0.07946852594614029, -0.4740334153175354, -0.43994325399398804, -0.30717411637306213),
    3: (-0.06369294971227646, 0.013405614532530308, -0.19851957261562347, 0.4082174003124237, 0.4766138195991516, 0.47278276085853577, 0.2766764760017395, 0.6383087038993835),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_3_4 = {
    0: (0.38454803824424744, 0.46031996607780457, -0.07430863380432129, 0.11872761696577072, 0.2849481403827667, 0.3780750334262848, -0.3433818817138672, 0.17231982946395874),
    3: (-0.45516782999038696, 0.5831170082092285, -0.3868926465511322, -0.3829142451286316, 0.22947479784488678, 0.6289445161819458, -0.0074426946230232716, -0.10558997839689255),
    6: (-0.1565675139427185, -1.4425981044769287, -0.17633531987667084, 0.8351284861564636, 0.20359660685062408, 0.5081207156181335, 0.1080375537276268, 0.29447340965270996),
    7: (-0.09808589518070221, -0.6978871822357178, 0.06219837814569473, -0.408648282289505, 0.7808626890182495, -0.7510820627212524, 0.43079322576522827, 0.6699262857437134),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_3_5 = {
    '0': (0.3161986172199249, 0.3919866383075714, -0.24922965466976166, -0.27531909942626953, 0.23942020535469055, -0.0789380669593811, 0.04104543477296829, 0.09434055536985397),
    '1': (0.40754586458206177, 0.425266295671463, 0.15128982067108154, 0.07089032232761383, 0.167655810713768, 0.2700662910938263, 0.07221271097660065, 0.27711543440818787),
    '2': (-0.22516004741191864, 0.07921716570854187, -0.19747653603553772, 0.2275698333978653, 0.40368664264678955, 0.018349355086684227, -0.0013631945475935936, 0.3266680836677551),
    '3': (-0.2484772652387619, -0.6791316270828247, -0.09228412806987762, 0.021273640915751457, 0.3386135995388031, 0.10983769595623016, 0.025249850004911423, 0.18472833931446075),
    '4': (-0.3667052686214447, -0.05398574098944664, -0.6139357686042786, 0.30826589465141296, 0.41482022404670715, 0.1674606055021286, 0.03503960743546486, 0.13771462440490723),
    '5': (-0.011264823377132416, 0.223057359457016, 0.29609790444374084, 0.31894180178642273, 0.5953307747840881, 0.27299967408180237, 0.499931663274765, 0.6273958086967468),
    '<s>': (-0.3284797966480255, 0.26351943612098694, 0.10914421081542969, 0.11635161936283112, 0.3087728023529053, 0.22527572512626648, 0.08859962224960327, 0.3177313506603241),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_3_6 = {
    3: (-0.29143816232681274, 0.1960856318473816, 0.13001152873039246, -0.19577723741531372, -0.014282861724495888, -0.2542557716369629, 0.01928388886153698, -0.059708185493946075),
    5: (-0.12820810079574585, -0.10179818421602249, 0.20995090901851654, -0.017299439758062363, 0.06533606350421906, -0.03293047845363617, 0.15608562529087067, 0.1367688626050949),
    6: (0.04219294711947441, -0.4636891186237335, 0.2440766990184784, -0.003518833313137293, 0.0825204849243164, 0.08488324284553528, 0.06715734302997589, 0.003627180587500334),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_3_7 = {
    0: (0.13557450473308563, -0.5396731495857239, 0.2514549493789673, 0.5157607793807983, 0.06234101951122284, -0.08856748789548874, 0.4778711497783661, 0.18476387858390808),
    1: (-0.09693866968154907, -0.37786024808883667, 0.22878733277320862, 0.372696191072464, -0.23466236889362335, -0.019022226333618164, 0.2464807629585266, -0.1366182565689087),
    2: (0.0886056199669838, 0.16078075766563416, 0.2729177176952362, 0.34693846106529236, 0.06738594174385071, 0.23946692049503326, 0.18044815957546234, 0.32853299379348755),
    3: (-0.4524413049221039, -0.04239131137728691, -0.052792299538850784, 0.3069896697998047, -0.1475028097629547, 0.014665809459984303, 0.15758116543293, 0.06252822279930115),
    4: (0.446892648935318, 0.04029347002506256, -0.020301174372434616, 0.21135306358337402, -0.14828749001026154, -0.11841616034507751, 0.5209776163101196, -0.091667041182518),
    5: (-0.11078290641307831, -0.05610494315624237, -0.1194513812661171, -0.05447794869542122, -0.21984100341796875, -0.2783920466899872, -0.15141351521015167, -0.33704569935798645),
    6: (-0.4341276288032532, 0.03712717071175575, 0.0362936407327652, 0.19446179270744324, 0.23327715694904327, -0.23226067423820496, 0.013021218590438366, -0.020152566954493523),
    7: (-0.03316296264529228, 0.1744488626718521, 0.19572652876377106, 0.2516440153121948, 0.029328878968954086, 0.09263060986995697, 0.015378475189208984, -0.07942289113998413),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_3_0 = {
    2: (0.5753985643386841, -0.34085458517074585, 0.09054417908191681, 0.4590836465358734, 0.17096932232379913, 0.03771234676241875, -0.22322705388069153, -0.025185517966747284),
    4: (-0.41012313961982727, 2.297436237335205, -0.13927429914474487, 0.2841984033584595, -0.06546846777200699, -0.17546077072620392, -0.20204044878482819, -0.09039431810379028),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_3_1 = {
    0: (-0.03673082962632179, -0.290988564491272, 0.02439102716743946, 0.24421046674251556, 0.08107917010784149, -0.25425443053245544, 0.019614817574620247, -0.09441085904836655),
    1: (-0.7940999865531921, -0.48625412583351135, 0.36697837710380554, 0.20586077868938446, 0.15566962957382202, -0.20598052442073822, 0.5730920433998108, -0.105256587266922),
    3: (0.41114941239356995, 3.084745407104492, -1.849575400352478, 0.31227874755859375, -0.25512614846229553, 0.8158068060874939, -0.6666690707206726, 1.068591594696045),
    4: (0.018994560465216637, -0.3271566331386566, 0.3272171914577484, 0.2582523226737976, 0.2167375236749649, -0.17600591480731964, 0.08096671104431152, -0.23836687207221985),
    5: (-0.3154122829437256, -0.7473646402359009, -0.22588618099689484, 0.25189289450645447, 0.0008492865599691868, -0.13251623511314392, 0.3801515996456146, -0.571800172328949),
    7: (0.23197618126869202, -0.6297010779380798, 0.3878127336502075, 0.10379280894994736, 0.726081132888794, -0.7641490697860718, 0.11196175217628479, 0.2035442441701889),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_MLP_3_1 = {
    4: (-0.19055680930614471, -0.3241828382015228, 0.5526556372642517, -2.263045072555542, 0.11271936446428299, 1.09414803981781, 0.7078011631965637, 0.30745649337768555),
    5: (-0.02039775624871254, 0.4326363801956177, 0.3563278019428253, 0.7481841444969177, 0.1275777667760849, 0.24061688780784607, 0.35122472047805786, 0.3148435056209564),
    7: (-0.18824094533920288, 0.6152526140213013, 0.3342190682888031, 0.36491501331329346, 0.07063212990760803, -0.09272485971450806, -0.30521848797798157, -0.20507746934890747),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_MLP_3_2 = {
    0: (-0.139571413397789, 1.0873363018035889, 0.10204006731510162, 1.583789348602295, -0.11269018799066544, -0.2956402897834778, -0.3830741345882416, -0.2834877371788025),
    1: (0.25926634669303894, -1.2341562509536743, -0.1284457892179489, -0.7493677735328674, -0.060654573142528534, -0.06529388576745987, -0.32876548171043396, -0.3308613896369934),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_MLP_3_3 = {
    5: (0.1562766134738922, 6.160242080688477, -0.32113727927207947, 0.0107436403632164, -0.1599504053592682, -6.995023727416992, 0.13097406923770905, 0.4650242328643799),
    7: (-0.10115998238325119, -5.001322269439697, 0.15010249614715576, 0.4388977289199829, 0.0969848483800888, 0.6735297441482544, -0.025830145925283432, -0.14330576360225677),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_0 = {
    0: (-0.0, -0.0, 0.0, -0.0, -0.0, 0.0, 0.0, 0.0),
    1: (-0.854459285736084, -0.7338573336601257, 0.5427452921867371, -0.6869714856147766, -0.7273883819580078, 0.5455008149147034, 0.5231660008430481, 0.5242933630943298),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_1 = {
    0: (0.0, -0.0, -0.0, -0.0, 0.0, 0.0, 0.0, 0.0),
    1: (0.22060810029506683, -0.5521755814552307, -0.33195945620536804, -3.4462695121765137, 1.874436855316162, 0.5800567865371704, 0.5935017466545105, 0.9094529151916504),
    2: (0.44121620059013367, -1.1043511629104614, -0.6639189124107361, -6.892539024353027, 3.748873710632324, 1.1601135730743408, 1.187003493309021, 1.8189058303833008),
    3: (0.6618243008852005, -1.6565267443656921, -0.9958783686161041, -10.338808536529541, 5.623310565948486, 1.7401703596115112, 1.7805052399635315, 2.728358745574951),
    4: (0.8824324011802673, -2.208702325820923, -1.3278378248214722, -13.785078048706055, 7.497747421264648, 2.3202271461486816, 2.374006986618042, 3.6378116607666016),
    5: (1.1030405014753342, -2.7608779072761536, -1.6597972810268402, -17.23134756088257, 9.37218427658081, 2.900283932685852, 2.9675087332725525, 4.547264575958252),
    6: (1.323648601770401, -3.3130534887313843, -1.9917567372322083, -20.677617073059082, 11.246621131896973, 3.4803407192230225, 3.561010479927063, 5.456717491149902),
    7: (1.5442567020654678, -3.865229070186615, -2.3237161934375763, -24.123886585235596, 13.121057987213135, 4.060397505760193, 4.1545122265815735, 6.366170406341553),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_2 = {
    0: (-0.0, 0.0, -0.0, -0.0, -0.0, -0.0, -0.0, 0.0),
    1: (-0.313556432723999, 0.4905962646007538, -0.5733438730239868, -1.3202234506607056, -1.2892284393310547, -1.5241841077804565, -0.5560538172721863, 5.178500652313232),
    2: (-0.627112865447998, 0.9811925292015076, -1.1466877460479736, -2.640446901321411, -2.5784568786621094, -3.048368215560913, -1.1121076345443726, 10.357001304626465),
    3: (-0.9406692981719971, 1.4717887938022614, -1.7200316190719604, -3.9606703519821167, -3.867685317993164, -4.57255232334137, -1.6681614518165588, 15.535501956939697),
    4: (-1.254225730895996, 1.9623850584030151, -2.2933754920959473, -5.280893802642822, -5.156913757324219, -6.096736431121826, -2.224215269088745, 20.71400260925293),
    5: (-1.5677821636199951, 2.452981323003769, -2.866719365119934, -6.601117253303528, -6.446142196655273, -7.620920538902283, -2.7802690863609314, 25.892503261566162),
    6: (-1.8813385963439941, 2.9435775876045227, -3.440063238143921, -7.921340703964233, -7.735370635986328, -9.14510464668274, -3.3363229036331177, 31.071003913879395),
    7: (-2.194895029067993, 3.4341738522052765, -4.013407111167908, -9.241564154624939, -9.024599075317383, -10.669288754463196, -3.892376720905304, 36.24950456619263),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_3 = {
    0: (0.0, 0.0, -0.0, -0.0, -0.0, 0.0, 0.0, 0.0),
    1: (0.2535792589187622, 0.09906814992427826, -1.4768205881118774, -0.38982751965522766, -0.9366778135299683, 1.4006202220916748, 0.3324629068374634, 0.2370961755514145),
    2: (0.5071585178375244, 0.19813629984855652, -2.953641176223755, -0.7796550393104553, -1.8733556270599365, 2.8012404441833496, 0.6649258136749268, 0.474192351102829),
    3: (0.7607377767562866, 0.2972044497728348, -4.430461764335632, -1.169482558965683, -2.810033440589905, 4.201860666275024, 0.9973887205123901, 0.7112885266542435),
    4: (1.0143170356750488, 0.39627259969711304, -5.90728235244751, -1.5593100786209106, -3.746711254119873, 5.602480888366699, 1.3298516273498535, 0.948384702205658),
    5: (1.267896294593811, 0.4953407496213913, -7.384102940559387, -1.9491375982761383, -4.683389067649841, 7.003101110458374, 1.662314534187317, 1.1854808777570724),
    6: (1.5214755535125732, 0.5944088995456696, -8.860923528671265, -2.338965117931366, -5.62006688117981, 8.403721332550049, 1.9947774410247803, 1.422577053308487),
    7: (1.7750548124313354, 0.6934770494699478, -10.337744116783142, -2.7287926375865936, -6.556744694709778, 9.804341554641724, 2.3272403478622437, 1.6596732288599014),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_4 = {
    0: (-0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.0, 0.0),
    1: (-0.5056701898574829, 1.5385651588439941, 0.27550792694091797, 0.3101610243320465, 0.6945174932479858, 1.4123423099517822, -2.699338674545288, 0.04558872804045677),
    2: (-1.0113403797149658, 3.0771303176879883, 0.5510158538818359, 0.620322048664093, 1.3890349864959717, 2.8246846199035645, -5.398677349090576, 0.09117745608091354),
    3: (-1.5170105695724487, 4.615695476531982, 0.8265237808227539, 0.9304830729961395, 2.0835524797439575, 4.237026929855347, -8.098016023635864, 0.13676618412137032),
    4: (-2.0226807594299316, 6.154260635375977, 1.1020317077636719, 1.240644097328186, 2.7780699729919434, 5.649369239807129, -10.797354698181152, 0.1823549121618271),
    5: (-2.5283509492874146, 7.692825794219971, 1.3775396347045898, 1.5508051216602325, 3.472587466239929, 7.061711549758911, -13.49669337272644, 0.22794364020228386),
    6: (-3.0340211391448975, 9.231390953063965, 1.6530475616455078, 1.860966145992279, 4.167104959487915, 8.474053859710693, -16.19603204727173, 0.27353236824274063),
    7: (-3.5396913290023804, 10.769956111907959, 1.9285554885864258, 2.1711271703243256, 4.861622452735901, 9.886396169662476, -18.895370721817017, 0.3191210962831974),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_5 = {
    0: (-0.0, 0.0, -0.0, 0.0, -0.0, -0.0, -0.0, 0.0),
    1: (-1.0165860652923584, 0.5861908793449402, -1.5144541263580322, 3.217958927154541, -0.5232446789741516, -2.885033369064331, -0.41028842329978943, 0.5346618294715881),
    2: (-2.033172130584717, 1.1723817586898804, -3.0289082527160645, 6.435917854309082, -1.0464893579483032, -5.770066738128662, -0.8205768465995789, 1.0693236589431763),
    3: (-3.049758195877075, 1.7585726380348206, -4.543362379074097, 9.653876781463623, -1.5697340369224548, -8.655100107192993, -1.2308652698993683, 1.6039854884147644),
    4: (-4.066344261169434, 2.3447635173797607, -6.057816505432129, 12.871835708618164, -2.0929787158966064, -11.540133476257324, -1.6411536931991577, 2.1386473178863525),
    5: (-5.082930326461792, 2.930954396724701, -7.572270631790161, 16.089794635772705, -2.616223394870758, -14.425166845321655, -2.051442116498947, 2.6733091473579407),
    6: (-6.09951639175415, 3.517145276069641, -9.086724758148193, 19.307753562927246, -3.1394680738449097, -17.310200214385986, -2.4617305397987366, 3.207970976829529),
    7: (-7.116102457046509, 4.103336155414581, -10.601178884506226, 22.525712490081787, -3.6627127528190613, -20.195233583450317, -2.872018963098526, 3.742632806301117),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_6 = {
    0: (-0.0, 0.0, -0.0, -0.0, -0.0, -0.0, 0.0, -0.0),
    1: (-0.4304037392139435, 0.5397445559501648, -1.922767996788025, -0.7305522561073303, -1.3772494792938232, -0.32030224800109863, 5.828843116760254, -1.3127849102020264),
    2: (-0.860807478427887, 1.0794891119003296, -3.84553599357605, -1.4611045122146606, -2.7544989585876465, -0.6406044960021973, 11.657686233520508, -2.6255698204040527),
    3: (-1.2912112176418304, 1.6192336678504944, -5.768303990364075, -2.191656768321991, -4.13174843788147, -0.9609067440032959, 17.48652935028076, -3.938354730606079),
    4: (-1.721614956855774, 2.158978223800659, -7.6910719871521, -2.9222090244293213, -5.508997917175293, -1.2812089920043945, 23.315372467041016, -5.2511396408081055),
    5: (-2.1520186960697174, 2.698722779750824, -9.613839983940125, -3.6527612805366516, -6.886247396469116, -1.6015112400054932, 29.14421558380127, -6.563924551010132),
    6: (-2.582422435283661, 3.2384673357009888, -11.53660798072815, -4.383313536643982, -8.26349687576294, -1.9218134880065918, 34.97305870056152, -7.876709461212158),
    7: (-3.0128261744976044, 3.7782118916511536, -13.459375977516174, -5.113865792751312, -9.640746355056763, -2.2421157360076904, 40.80190181732178, -9.189494371414185),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_7 = {
    0: (-0.0, -0.0, 0.0, 0.0, -0.0, 0.0, 0.0, 0.0),
    1: (-0.2540016174316406, -0.8394693732261658, 2.2835118770599365, 1.6353349685668945, -3.332183361053467, 0.063404880464077, 0.15682563185691833, 0.2485499233007431),
    2: (-0.5080032348632812, -1.6789387464523315, 4.567023754119873, 3.270669937133789, -6.664366722106934, 0.126809760928154, 0.31365126371383667, 0.4970998466014862),
    3: (-0.7620048522949219, -2.5184081196784973, 6.85053563117981, 4.906004905700684, -9.9965500831604, 0.190214641392231, 0.470476895570755, 0.7456497699022293),
    4: (-1.0160064697265625, -3.357877492904663, 9.134047508239746, 6.541339874267578, -13.328733444213867, 0.253619521856308, 0.6273025274276733, 0.9941996932029724),
    5: (-1.2700080871582031, -4.197346866130829, 11.417559385299683, 8.176674842834473, -16.660916805267334, 0.317024402320385, 0.7841281592845917, 1.2427496165037155),
    6: (-1.5240097045898438, -5.036816239356995, 13.70107126235962, 9.812009811401367, -19.9931001663208, 0.380429282784462, 0.94095379114151, 1.4912995398044586),
    7: (-1.7780113220214844, -5.87628561258316, 15.984583139419556, 11.447344779968262, -23.325283527374268, 0.44383416324853897, 1.0977794229984283, 1.7398494631052017),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_0 = {
    0: (-0.0, 0.0, 0.0, 0.0, -0.0, 0.0, -0.0, -0.0),
    1: (-0.35308215022087097, 1.1330944299697876, 0.05338732898235321, 0.41622328758239746, -3.5451414585113525, 0.7421008348464966, -0.004931122064590454, -0.0546187087893486),
    2: (-0.7061643004417419, 2.266188859939575, 0.10677465796470642, 0.8324465751647949, -7.090282917022705, 1.4842016696929932, -0.009862244129180908, -0.1092374175786972),
    3: (-1.059246450662613, 3.399283289909363, 0.16016198694705963, 1.2486698627471924, -10.635424375534058, 2.2263025045394897, -0.014793366193771362, -0.1638561263680458),
    4: (-1.4123286008834839, 4.53237771987915, 0.21354931592941284, 1.6648931503295898, -14.18056583404541, 2.9684033393859863, -0.019724488258361816, -0.2184748351573944),
    5: (-1.7654107511043549, 5.665472149848938, 0.26693664491176605, 2.0811164379119873, -17.725707292556763, 3.710504174232483, -0.02465561032295227, -0.273093543946743),
    6: (-2.118492901325226, 6.798566579818726, 0.32032397389411926, 2.4973397254943848, -21.270848751068115, 4.4526050090789795, -0.029586732387542725, -0.3277122527360916),
    7: (-2.471575051546097, 7.931661009788513, 0.3737113028764725, 2.9135630130767822, -24.815990209579468, 5.194705843925476, -0.03451785445213318, -0.3823309615254402),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_1 = {
    0: (0.0, 0.0, 0.0, -0.0, 0.0, -0.0, -0.0, -0.0),
    1: (0.3743756115436554, 1.4624764919281006, 0.4581281542778015, -0.22757132351398468, 1.0008320808410645, -1.159787654876709, -0.030037473887205124, -0.2539619505405426),
    2: (0.7487512230873108, 2.924952983856201, 0.916256308555603, -0.45514264702796936, 2.001664161682129, -2.319575309753418, -0.06007494777441025, -0.5079239010810852),
    3: (1.1231268346309662, 4.387429475784302, 1.3743844628334045, -0.682713970541954, 3.0024962425231934, -3.479362964630127, -0.09011242166161537, -0.7618858516216278),
    4: (1.4975024461746216, 5.849905967712402, 1.832512617111206, -0.9102852940559387, 4.003328323364258, -4.639150619506836, -0.1201498955488205, -1.0158478021621704),
    5: (1.871878057718277, 7.312382459640503, 2.2906407713890076, -1.1378566175699234, 5.004160404205322, -5.798938274383545, -0.15018736943602562, -1.269809752702713),
    6: (2.2462536692619324, 8.774858951568604, 2.748768925666809, -1.365427941083908, 6.004992485046387, -6.958725929260254, -0.18022484332323074, -1.5237717032432556),
    7: (2.6206292808055878, 10.237335443496704, 3.2068970799446106, -1.5929992645978928, 7.005824565887451, -8.118513584136963, -0.21026231721043587, -1.7777336537837982),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_2 = {
    0: (-0.0, -0.0, 0.0, 0.0, 0.0, -0.0, 0.0, 0.0),
    1: (-0.03382358327507973, -2.1509039402008057, 0.7514702677726746, 0.9065727591514587, 1.651548147201538, -1.8185838460922241, 0.2906440794467926, 0.33646586537361145),
    2: (-0.06764716655015945, -4.301807880401611, 1.5029405355453491, 1.8131455183029175, 3.303096294403076, -3.6371676921844482, 0.5812881588935852, 0.6729317307472229),
    3: (-0.10147074982523918, -6.452711820602417, 2.2544108033180237, 2.719718277454376, 4.954644441604614, -5.455751538276672, 0.8719322383403778, 1.0093975961208344),
    4: (-0.1352943331003189, -8.603615760803223, 3.0058810710906982, 3.626291036605835, 6.606192588806152, -7.2743353843688965, 1.1625763177871704, 1.3458634614944458),
    5: (-0.16911791637539864, -10.754519701004028, 3.757351338863373, 4.532863795757294, 8.25774073600769, -9.09291923046112, 1.453220397233963, 1.6823293268680573),
    6: (-0.20294149965047836, -12.905423641204834, 4.508821606636047, 5.439436554908752, 9.909288883209229, -10.911503076553345, 1.7438644766807556, 2.0187951922416687),
    7: (-0.2367650829255581, -15.05632758140564, 5.260291874408722, 6.346009314060211, 11.560837030410767, -12.730086922645569, 2.034508556127548, 2.35526105761528),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_3 = {
    0: (0.0, 0.0, 0.0, 0.0, 0.0, -0.0, -0.0, 0.0),
    1: (0.08363066613674164, 0.6382149457931519, 0.9558934569358826, 0.5222820043563843, 0.17723259329795837, -1.0136007070541382, -0.42533403635025024, 0.416271448135376),
    2: (0.16726133227348328, 1.2764298915863037, 1.9117869138717651, 1.0445640087127686, 0.35446518659591675, -2.0272014141082764, -0.8506680727005005, 0.832542896270752),
    3: (0.2508919984102249, 1.9146448373794556, 2.8676803708076477, 1.5668460130691528, 0.5316977798938751, -3.0408021211624146, -1.2760021090507507, 1.248814344406128),
    4: (0.33452266454696655, 2.5528597831726074, 3.8235738277435303, 2.089128017425537, 0.7089303731918335, -4.054402828216553, -1.701336145401001, 1.665085792541504),
    5: (0.4181533306837082, 3.1910747289657593, 4.779467284679413, 2.6114100217819214, 0.8861629664897919, -5.068003535270691, -2.126670181751251, 2.08135724067688),
    6: (0.5017839968204498, 3.829289674758911, 5.735360741615295, 3.1336920261383057, 1.0633955597877502, -6.081604242324829, -2.5520042181015015, 2.497628688812256),
    7: (0.5854146629571915, 4.467504620552063, 6.691254198551178, 3.65597403049469, 1.2406281530857086, -7.095204949378967, -2.9773382544517517, 2.913900136947632),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_4 = {
    0: (-0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.0),
    1: (-0.5953053832054138, 0.7821305990219116, 0.8548266887664795, 1.1934858560562134, 2.317178249359131, 1.2325495481491089, 0.586865246295929, -3.665849447250366),
    2: (-1.1906107664108276, 1.5642611980438232, 1.709653377532959, 2.3869717121124268, 4.634356498718262, 2.4650990962982178, 1.173730492591858, -7.331698894500732),
    3: (-1.7859161496162415, 2.346391797065735, 2.5644800662994385, 3.58045756816864, 6.951534748077393, 3.6976486444473267, 1.7605957388877869, -10.997548341751099),
    4: (-2.3812215328216553, 3.1285223960876465, 3.419306755065918, 4.7739434242248535, 9.268712997436523, 4.9301981925964355, 2.347460985183716, -14.663397789001465),
    5: (-2.976526916027069, 3.910652995109558, 4.2741334438323975, 5.967429280281067, 11.585891246795654, 6.162747740745544, 2.9343262314796448, -18.32924723625183),
    6: (-3.571832299232483, 4.69278359413147, 5.128960132598877, 7.16091513633728, 13.903069496154785, 7.395297288894653, 3.5211914777755737, -21.995096683502197),
    7: (-4.167137682437897, 5.474914193153381, 5.9837868213653564, 8.354400992393494, 16.220247745513916, 8.627846837043762, 4.108056724071503, -25.660946130752563),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_5 = {
    1: (0.23808538913726807, 0.9029883742332458, 0.12137401849031448, -0.3560078740119934, 0.4244609773159027, 0.43591561913490295, 0.30585992336273193, -0.4975470006465912),
    2: (0.47617077827453613, 1.8059767484664917, 0.24274803698062897, -0.7120157480239868, 0.8489219546318054, 0.8718312382698059, 0.6117198467254639, -0.9950940012931824),
    3: (0.7142561674118042, 2.7089651226997375, 0.36412205547094345, -1.0680236220359802, 1.2733829319477081, 1.3077468574047089, 0.9175797700881958, -1.4926410019397736),
    4: (0.9523415565490723, 3.6119534969329834, 0.48549607396125793, -1.4240314960479736, 1.6978439092636108, 1.7436624765396118, 1.2234396934509277, -1.9901880025863647),
    5: (1.1904269456863403, 4.514941871166229, 0.6068700924515724, -1.780039370059967, 2.1223048865795135, 2.1795780956745148, 1.5292996168136597, -2.487735003232956),
    6: (1.4285123348236084, 5.417930245399475, 0.7282441109418869, -2.1360472440719604, 2.5467658638954163, 2.6154937148094177, 1.8351595401763916, -2.985282003879547),
    7: (1.6665977239608765, 6.320918619632721, 0.8496181294322014, -2.492055118083954, 2.971226841211319, 3.0514093339443207, 2.1410194635391235, -3.4828290045261383),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_6 = {
    0: (-0.0, 0.0, 0.0, 0.0, -0.0, -0.0, 0.0, -0.0),
    1: (-0.17017386853694916, 0.3949504494667053, 0.10157418251037598, 0.8690526485443115, -0.9086163640022278, -0.3897266983985901, 0.07684092223644257, -0.7428008913993835),
    2: (-0.3403477370738983, 0.7899008989334106, 0.20314836502075195, 1.738105297088623, -1.8172327280044556, -0.7794533967971802, 0.15368184447288513, -1.485601782798767),
    3: (-0.5105216056108475, 1.184851348400116, 0.30472254753112793, 2.6071579456329346, -2.7258490920066833, -1.1691800951957703, 0.2305227667093277, -2.2284026741981506),
    4: (-0.6806954741477966, 1.5798017978668213, 0.4062967300415039, 3.476210594177246, -3.634465456008911, -1.5589067935943604, 0.30736368894577026, -2.971203565597534),
    5: (-0.8508693426847458, 1.9747522473335266, 0.5078709125518799, 4.345263242721558, -4.543081820011139, -1.9486334919929504, 0.38420461118221283, -3.7140044569969177),
    6: (-1.021043211221695, 2.369702696800232, 0.6094450950622559, 5.214315891265869, -5.451698184013367, -2.3383601903915405, 0.4610455334186554, -4.456805348396301),
    7: (-1.191217079758644, 2.7646531462669373, 0.7110192775726318, 6.083368539810181, -6.3603145480155945, -2.7280868887901306, 0.537886455655098, -5.199606239795685),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_7 = {
    0: (0.0, -0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.0),
    1: (0.5370064973831177, -0.416445791721344, 0.7943270206451416, 0.6312100291252136, 0.048522163182497025, 0.32251688838005066, 0.10076777637004852, -0.685578465461731),
    2: (1.0740129947662354, -0.832891583442688, 1.5886540412902832, 1.2624200582504272, 0.09704432636499405, 0.6450337767601013, 0.20153555274009705, -1.371156930923462),
    3: (1.611019492149353, -1.249337375164032, 2.382981061935425, 1.8936300873756409, 0.14556648954749107, 0.967550665140152, 0.30230332911014557, -2.056735396385193),
    4: (2.1480259895324707, -1.665783166885376, 3.1773080825805664, 2.5248401165008545, 0.1940886527299881, 1.2900675535202026, 0.4030711054801941, -2.742313861846924),
    5: (2.6850324869155884, -2.08222895860672, 3.971635103225708, 3.156050145626068, 0.24261081591248512, 1.6125844419002533, 0.5038388818502426, -3.427892327308655),
    6: (3.222038984298706, -2.498674750328064, 4.76596212387085, 3.7872601747512817, 0.29113297909498215, 1.935101330280304, 0.6046066582202911, -4.113470792770386),
    7: (3.7590454816818237, -2.915120542049408, 5.560289144515991, 4.418470203876495, 0.33965514227747917, 2.2576182186603546, 0.7053744345903397, -4.799049258232117),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_0 = {
    0: (-0.0, -0.0, -0.0, -0.0, 0.0, 0.0, 0.0, -0.0),
    1: (-0.14713016152381897, -0.039794307202100754, -2.058077335357666, -2.5775985717773438, 1.6126387119293213, 4.454039573669434, 0.5762744545936584, -0.3327941298484802),
    2: (-0.29426032304763794, -0.07958861440420151, -4.116154670715332, -5.1551971435546875, 3.2252774238586426, 8.908079147338867, 1.152548909187317, -0.6655882596969604),
    3: (-0.4413904845714569, -0.11938292160630226, -6.174232006072998, -7.732795715332031, 4.837916135787964, 13.3621187210083, 1.7288233637809753, -0.9983823895454407),
    4: (-0.5885206460952759, -0.15917722880840302, -8.232309341430664, -10.310394287109375, 6.450554847717285, 17.816158294677734, 2.305097818374634, -1.331176519393921),
    5: (-0.7356508076190948, -0.19897153601050377, -10.29038667678833, -12.887992858886719, 8.063193559646606, 22.270197868347168, 2.8813722729682922, -1.6639706492424011),
    6: (-0.8827809691429138, -0.23876584321260452, -12.348464012145996, -15.465591430664062, 9.675832271575928, 26.7242374420166, 3.4576467275619507, -1.9967647790908813),
    7: (-1.0299111306667328, -0.2785601504147053, -14.406541347503662, -18.043190002441406, 11.288470983505249, 31.178277015686035, 4.033921182155609, -2.3295589089393616),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_1 = {
    0: (-0.0, 0.0, -0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    1: (-0.28770551085472107, 0.46928682923316956, -1.0239390134811401, 0.45623162388801575, 0.3032070994377136, 0.15929481387138367, 0.31848639249801636, 0.28030022978782654),
    4: (-1.1508220434188843, 1.8771473169326782, -4.0957560539245605, 1.824926495552063, 1.2128283977508545, 0.6371792554855347, 1.2739455699920654, 1.1212009191513062),
    9: (-2.5893495976924896, 4.223581463098526, -9.215451121330261, 4.106084614992142, 2.7288638949394226, 1.433653324842453, 2.866377532482147, 2.522702068090439),
    16: (-4.603288173675537, 7.508589267730713, -16.383024215698242, 7.299705982208252, 4.851313591003418, 2.5487170219421387, 5.095782279968262, 4.484803676605225),
    25: (-7.192637771368027, 11.732170730829239, -25.598475337028503, 11.405790597200394, 7.580177485942841, 3.9823703467845917, 7.962159812450409, 7.0075057446956635),
    36: (-10.357398390769958, 16.894325852394104, -36.861804485321045, 16.424338459968567, 10.91545557975769, 5.734613299369812, 11.465510129928589, 10.090808272361755),
    49: (-14.097570031881332, 22.99505463242531, -50.17301166057587, 22.35534957051277, 14.857147872447968, 7.8054458796978, 15.605833232402802, 13.7347112596035),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_2 = {
    0: (-0.0, -0.0, 0.0, 0.0, 0.0, 0.0, -0.0, 0.0),
    1: (-0.3149011731147766, -1.3492534160614014, 1.4852321147918701, 0.1689106673002243, 1.2420015335083008, 0.8683050870895386, -0.6665769815444946, 0.4357163608074188),
    2: (-0.6298023462295532, -2.6985068321228027, 2.9704642295837402, 0.3378213346004486, 2.4840030670166016, 1.7366101741790771, -1.3331539630889893, 0.8714327216148376),
    3: (-0.9447035193443298, -4.047760248184204, 4.45569634437561, 0.5067320019006729, 3.7260046005249023, 2.6049152612686157, -1.9997309446334839, 1.3071490824222565),
    4: (-1.2596046924591064, -5.3970136642456055, 5.9409284591674805, 0.6756426692008972, 4.968006134033203, 3.4732203483581543, -2.6663079261779785, 1.7428654432296753),
    5: (-1.574505865573883, -6.746267080307007, 7.426160573959351, 0.8445533365011215, 6.210007667541504, 4.341525435447693, -3.332884907722473, 2.178581804037094),
    6: (-1.8894070386886597, -8.095520496368408, 8.91139268875122, 1.0134640038013458, 7.452009201049805, 5.2098305225372314, -3.9994618892669678, 2.614298164844513),
    7: (-2.2043082118034363, -9.44477391242981, 10.39662480354309, 1.1823746711015701, 8.694010734558105, 6.07813560962677, -4.666038870811462, 3.0500145256519318),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_3 = {
    0: (-0.0, -0.0, -0.0, 0.0, -0.0, -0.0, 0.0, -0.0),
    1: (-0.24183756113052368, -1.029510259628296, -1.0208927392959595, 0.038535479456186295, -0.8986791372299194, -0.9951090812683105, 2.7830591201782227, -0.5600596070289612),
    2: (-0.48367512226104736, -2.059020519256592, -2.041785478591919, 0.07707095891237259, -1.7973582744598389, -1.990218162536621, 5.566118240356445, -1.1201192140579224),
    3: (-0.725512683391571, -3.0885307788848877, -3.0626782178878784, 0.11560643836855888, -2.6960374116897583, -2.9853272438049316, 8.349177360534668, -1.6801788210868835),
    4: (-0.9673502445220947, -4.118041038513184, -4.083570957183838, 0.15414191782474518, -3.5947165489196777, -3.980436325073242, 11.13223648071289, -2.2402384281158447),
    5: (-1.2091878056526184, -5.1475512981414795, -5.104463696479797, 0.19267739728093147, -4.493395686149597, -4.975545406341553, 13.915295600891113, -2.800298035144806),
    6: (-1.451025366783142, -6.177061557769775, -6.125356435775757, 0.23121287673711777, -5.392074823379517, -5.970654487609863, 16.698354721069336, -3.360357642173767),
    7: (-1.6928629279136658, -7.206571817398071, -7.146249175071716, 0.26974835619330406, -6.290753960609436, -6.965763568878174, 19.48141384124756, -3.9204172492027283),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_4 = {
    0: (-0.0, 0.0, -0.0, -0.0, 0.0, -0.0, 0.0, 0.0),
    1: (-0.2807559072971344, 0.11506331712007523, -0.6107800602912903, -0.1992124319076538, 0.4209437668323517, -0.08037512749433517, 0.1938534528017044, 0.7083138227462769),
    2: (-0.5615118145942688, 0.23012663424015045, -1.2215601205825806, -0.3984248638153076, 0.8418875336647034, -0.16075025498867035, 0.3877069056034088, 1.4166276454925537),
    3: (-0.8422677218914032, 0.3451899513602257, -1.8323401808738708, -0.5976372957229614, 1.262831300497055, -0.24112538248300552, 0.5815603584051132, 2.1249414682388306),
    4: (-1.1230236291885376, 0.4602532684803009, -2.443120241165161, -0.7968497276306152, 1.6837750673294067, -0.3215005099773407, 0.7754138112068176, 2.8332552909851074),
    5: (-1.403779536485672, 0.5753165856003761, -3.0539003014564514, -0.996062159538269, 2.1047188341617584, -0.4018756374716759, 0.969267264008522, 3.5415691137313843),
    6: (-1.6845354437828064, 0.6903799027204514, -3.6646803617477417, -1.1952745914459229, 2.52566260099411, -0.48225076496601105, 1.1631207168102264, 4.249882936477661),
    7: (-1.9652913510799408, 0.8054432198405266, -4.275460422039032, -1.3944870233535767, 2.946606367826462, -0.5626258924603462, 1.3569741696119308, 4.958196759223938),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_5 = {
    0: (-0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    1: (-0.08963136374950409, 0.4093822240829468, 0.32314571738243103, 0.262638658285141, 0.28157368302345276, 0.29171332716941833, 0.3511376976966858, 0.4021468162536621),
    2: (-0.17926272749900818, 0.8187644481658936, 0.6462914347648621, 0.525277316570282, 0.5631473660469055, 0.5834266543388367, 0.7022753953933716, 0.8042936325073242),
    3: (-0.26889409124851227, 1.2281466722488403, 0.9694371521472931, 0.787915974855423, 0.8447210490703583, 0.875139981508255, 1.0534130930900574, 1.2064404487609863),
    4: (-0.35852545499801636, 1.637528896331787, 1.2925828695297241, 1.050554633140564, 1.126294732093811, 1.1668533086776733, 1.4045507907867432, 1.6085872650146484),
    5: (-0.44815681874752045, 2.046911120414734, 1.6157285869121552, 1.313193291425705, 1.4078684151172638, 1.4585666358470917, 1.755688488483429, 2.0107340812683105),
    6: (-0.5377881824970245, 2.4562933444976807, 1.9388743042945862, 1.575831949710846, 1.6894420981407166, 1.75027996301651, 2.1068261861801147, 2.4128808975219727),
    7: (-0.6274195462465286, 2.8656755685806274, 2.262020021677017, 1.838470607995987, 1.9710157811641693, 2.0419932901859283, 2.4579638838768005, 2.8150277137756348),
    8: (-0.7170509099960327, 3.275057792663574, 2.5851657390594482, 2.101109266281128, 2.252589464187622, 2.3337066173553467, 2.8091015815734863, 3.217174530029297),
    9: (-0.8066822737455368, 3.684440016746521, 2.9083114564418793, 2.363747924566269, 2.534163147211075, 2.625419944524765, 3.160239279270172, 3.619321346282959),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_6 = {
    0: (0.0, 0.0, -0.0, -0.0, -0.0, 0.0, -0.0, 0.0),
    1: (0.21780817210674286, 0.0687074065208435, -0.9498786330223083, -0.4518629014492035, -0.09947868436574936, 0.1421716958284378, -0.2541322410106659, 0.5203790664672852),
    2: (0.4356163442134857, 0.137414813041687, -1.8997572660446167, -0.903725802898407, -0.19895736873149872, 0.2843433916568756, -0.5082644820213318, 1.0407581329345703),
    3: (0.6534245163202286, 0.20612221956253052, -2.849635899066925, -1.3555887043476105, -0.2984360530972481, 0.4265150874853134, -0.7623967230319977, 1.5611371994018555),
    4: (0.8712326884269714, 0.274829626083374, -3.7995145320892334, -1.807451605796814, -0.39791473746299744, 0.5686867833137512, -1.0165289640426636, 2.0815162658691406),
    5: (1.0890408605337143, 0.34353703260421753, -4.749393165111542, -2.2593145072460175, -0.4973934218287468, 0.710858479142189, -1.2706612050533295, 2.601895332336426),
    6: (1.3068490326404572, 0.41224443912506104, -5.69927179813385, -2.711177408695221, -0.5968721061944962, 0.8530301749706268, -1.5247934460639954, 3.122274398803711),
    7: (1.5246572047472, 0.48095184564590454, -6.6491504311561584, -3.1630403101444244, -0.6963507905602455, 0.9952018707990646, -1.7789256870746613, 3.642653465270996),
    9: (1.9602735489606857, 0.6183666586875916, -8.548907697200775, -4.066766113042831, -0.8953081592917442, 1.2795452624559402, -2.287190169095993, 4.683411598205566),
    16: (3.4849307537078857, 1.099318504333496, -15.198058128356934, -7.229806423187256, -1.5916589498519897, 2.274747133255005, -4.066115856170654, 8.326065063476562),
    25: (5.4452043026685715, 1.7176851630210876, -23.74696582555771, -11.296572536230087, -2.486967109143734, 3.554292395710945, -6.353306025266647, 13.009476661682129),
    36: (7.841094195842743, 2.473466634750366, -34.1956307888031, -16.267064452171326, -3.581232637166977, 5.118181049823761, -9.148760676383972, 18.733646392822266),
    49: (10.6726004332304, 3.366662919521332, -46.54405301809311, -22.14128217101097, -4.874455533921719, 6.9664130955934525, -12.452479809522629, 25.498574256896973),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_7 = {
    0: (-0.0, 0.0, -0.0, -0.0, -0.0, 0.0, -0.0, 0.0),
    1: (-0.2967183291912079, 0.2466432899236679, -0.14801537990570068, -0.18003565073013306, -0.31089600920677185, 0.20939901471138, -0.7208609580993652, 0.3431538939476013),
    2: (-0.5934366583824158, 0.4932865798473358, -0.29603075981140137, -0.3600713014602661, -0.6217920184135437, 0.41879802942276, -1.4417219161987305, 0.6863077878952026),
    3: (-0.8901549875736237, 0.7399298697710037, -0.44404613971710205, -0.5401069521903992, -0.9326880276203156, 0.62819704413414, -2.1625828742980957, 1.029461681842804),
    4: (-1.1868733167648315, 0.9865731596946716, -0.5920615196228027, -0.7201426029205322, -1.2435840368270874, 0.83759605884552, -2.883443832397461, 1.3726155757904053),
    5: (-1.4835916459560394, 1.2332164496183395, -0.7400768995285034, -0.9001782536506653, -1.5544800460338593, 1.0469950735569, -3.604304790496826, 1.7157694697380066),
    6: (-1.7803099751472473, 1.4798597395420074, -0.8880922794342041, -1.0802139043807983, -1.865376055240631, 1.25639408826828, -4.325165748596191, 2.058923363685608),
    7: (-2.077028304338455, 1.7265030294656754, -1.0361076593399048, -1.2602495551109314, -2.176272064447403, 1.46579310297966, -5.046026706695557, 2.4020772576332092),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_3_0 = {
    0: (0.0, -0.0, 0.0, 0.0, -0.0, -0.0, -0.0, -0.0),
    1: (0.27060338854789734, -0.3955494165420532, 0.48974481225013733, 0.17328201234340668, -0.2574100196361542, -0.15627680718898773, -0.7854207754135132, -0.43239161372184753),
    2: (0.5412067770957947, -0.7910988330841064, 0.9794896245002747, 0.34656402468681335, -0.5148200392723083, -0.31255361437797546, -1.5708415508270264, -0.8647832274436951),
    3: (0.811810165643692, -1.1866482496261597, 1.469234436750412, 0.51984603703022, -0.7722300589084625, -0.4688304215669632, -2.3562623262405396, -1.2971748411655426),
    4: (1.0824135541915894, -1.582197666168213, 1.9589792490005493, 0.6931280493736267, -1.0296400785446167, -0.6251072287559509, -3.1416831016540527, -1.7295664548873901),
    5: (1.3530169427394867, -1.9777470827102661, 2.4487240612506866, 0.8664100617170334, -1.2870500981807709, -0.7813840359449387, -3.927103877067566, -2.1619580686092377),
    6: (1.623620331287384, -2.3732964992523193, 2.938468873500824, 1.03969207406044, -1.544460117816925, -0.9376608431339264, -4.712524652481079, -2.594349682331085),
    7: (1.8942237198352814, -2.7688459157943726, 3.4282136857509613, 1.2129740864038467, -1.8018701374530792, -1.0939376503229141, -5.497945427894592, -3.0267412960529327),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_3_1 = {
    0: (-0.0, 0.0, 0.0, 0.0, 0.0, -0.0, 0.0, 0.0),
    1: (-0.3861270844936371, 0.3792915642261505, 0.13950765132904053, 0.19310373067855835, 0.08285482227802277, -0.6555506587028503, 0.3184436559677124, 0.2194375842809677),
    2: (-0.7722541689872742, 0.758583128452301, 0.27901530265808105, 0.3862074613571167, 0.16570964455604553, -1.3111013174057007, 0.6368873119354248, 0.4388751685619354),
    3: (-1.1583812534809113, 1.1378746926784515, 0.4185229539871216, 0.579311192035675, 0.2485644668340683, -1.966651976108551, 0.9553309679031372, 0.6583127528429031),
    4: (-1.5445083379745483, 1.517166256904602, 0.5580306053161621, 0.7724149227142334, 0.33141928911209106, -2.6222026348114014, 1.2737746238708496, 0.8777503371238708),
    5: (-1.9306354224681854, 1.8964578211307526, 0.6975382566452026, 0.9655186533927917, 0.41427411139011383, -3.2777532935142517, 1.592218279838562, 1.0971879214048386),
    6: (-2.3167625069618225, 2.275749385356903, 0.8370459079742432, 1.15862238407135, 0.4971289336681366, -3.933303952217102, 1.9106619358062744, 1.3166255056858063),
    7: (-2.7028895914554596, 2.6550409495830536, 0.9765535593032837, 1.3517261147499084, 0.5799837559461594, -4.588854610919952, 2.229105591773987, 1.536063089966774),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_3_2 = {
    0: (0.0, 0.0, -0.0, -0.0, 0.0, 0.0, -0.0, 0.0),
    1: (0.46712833642959595, 0.6123445630073547, -0.3510012924671173, -0.0001324191689491272, 0.9318329095840454, 0.15124477446079254, -0.9994260668754578, 0.23735877871513367),
    2: (0.9342566728591919, 1.2246891260147095, -0.7020025849342346, -0.0002648383378982544, 1.8636658191680908, 0.3024895489215851, -1.9988521337509155, 0.47471755743026733),
    3: (1.4013850092887878, 1.8370336890220642, -1.053003877401352, -0.0003972575068473816, 2.7954987287521362, 0.4537343233823776, -2.9982782006263733, 0.712076336145401),
    4: (1.8685133457183838, 2.449378252029419, -1.4040051698684692, -0.0005296766757965088, 3.7273316383361816, 0.6049790978431702, -3.997704267501831, 0.9494351148605347),
    5: (2.3356416821479797, 3.0617228150367737, -1.7550064623355865, -0.000662095844745636, 4.659164547920227, 0.7562238723039627, -4.997130334377289, 1.1867938935756683),
    6: (2.8027700185775757, 3.6740673780441284, -2.106007754802704, -0.0007945150136947632, 5.5909974575042725, 0.9074686467647552, -5.996556401252747, 1.424152672290802),
    7: (3.2698983550071716, 4.286411941051483, -2.457009047269821, -0.0009269341826438904, 6.522830367088318, 1.0587134212255478, -6.995982468128204, 1.6615114510059357),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_3_3 = {
    0: (0.0, 0.0, 0.0, -0.0, -0.0, 0.0, 0.0, 0.0),
    1: (0.4443000257015228, 0.7607134580612183, 1.1005698442459106, -0.9670420289039612, -0.4843960106372833, 0.22803711891174316, 0.3282400965690613, 0.44506898522377014),
    2: (0.8886000514030457, 1.5214269161224365, 2.2011396884918213, -1.9340840578079224, -0.9687920212745667, 0.45607423782348633, 0.6564801931381226, 0.8901379704475403),
    3: (1.3329000771045685, 2.282140374183655, 3.301709532737732, -2.9011260867118835, -1.45318803191185, 0.6841113567352295, 0.9847202897071838, 1.3352069556713104),
    4: (1.7772001028060913, 3.042853832244873, 4.402279376983643, -3.8681681156158447, -1.9375840425491333, 0.9121484756469727, 1.3129603862762451, 1.7802759408950806),
    5: (2.221500128507614, 3.8035672903060913, 5.502849221229553, -4.835210144519806, -2.4219800531864166, 1.1401855945587158, 1.6412004828453064, 2.2253449261188507),
    6: (2.665800154209137, 4.56428074836731, 6.603419065475464, -5.802252173423767, -2.9063760638237, 1.368222713470459, 1.9694405794143677, 2.670413911342621),
    7: (3.11010017991066, 5.324994206428528, 7.7039889097213745, -6.769294202327728, -3.3907720744609833, 1.5962598323822021, 2.297680675983429, 3.115482896566391),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_3_4 = {
    0: (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.0, -0.0),
    1: (0.39221394062042236, 0.09269927442073822, 0.4918476939201355, 0.6084039807319641, 0.04790161922574043, 0.7883839011192322, -0.6995819807052612, -0.6603179574012756),
    2: (0.7844278812408447, 0.18539854884147644, 0.983695387840271, 1.2168079614639282, 0.09580323845148087, 1.5767678022384644, -1.3991639614105225, -1.3206359148025513),
    3: (1.176641821861267, 0.27809782326221466, 1.4755430817604065, 1.8252119421958923, 0.1437048576772213, 2.3651517033576965, -2.0987459421157837, -1.980953872203827),
    4: (1.5688557624816895, 0.3707970976829529, 1.967390775680542, 2.4336159229278564, 0.19160647690296173, 3.1535356044769287, -2.798327922821045, -2.6412718296051025),
    5: (1.9610697031021118, 0.4634963721036911, 2.4592384696006775, 3.0420199036598206, 0.23950809612870216, 3.941919505596161, -3.497909903526306, -3.301589787006378),
    6: (2.353283643722534, 0.5561956465244293, 2.951086163520813, 3.6504238843917847, 0.2874097153544426, 4.730303406715393, -4.197491884231567, -3.961907744407654),
    7: (2.7454975843429565, 0.6488949209451675, 3.4429338574409485, 4.258827865123749, 0.33531133458018303, 5.518687307834625, -4.897073864936829, -4.622225701808929),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_3_5 = {
    0: (-0.0, 0.0, 0.0, 0.0, 0.0, -0.0, 0.0, 0.0),
    1: (-0.2055848240852356, 0.5243892669677734, 0.09366749227046967, 0.04948309808969498, 0.0011017569340765476, -0.12115269154310226, 0.11353819072246552, 0.16564418375492096),
    2: (-0.4111696481704712, 1.0487785339355469, 0.18733498454093933, 0.09896619617938995, 0.0022035138681530952, -0.24230538308620453, 0.22707638144493103, 0.3312883675098419),
    3: (-0.6167544722557068, 1.5731678009033203, 0.281002476811409, 0.14844929426908493, 0.003305270802229643, -0.3634580746293068, 0.34061457216739655, 0.4969325512647629),
    4: (-0.8223392963409424, 2.0975570678710938, 0.37466996908187866, 0.1979323923587799, 0.0044070277363061905, -0.48461076617240906, 0.45415276288986206, 0.6625767350196838),
    5: (-1.027924120426178, 2.621946334838867, 0.4683374613523483, 0.24741549044847488, 0.005508784670382738, -0.6057634577155113, 0.5676909536123276, 0.8282209187746048),
    6: (-1.2335089445114136, 3.1463356018066406, 0.562004953622818, 0.29689858853816986, 0.006610541604459286, -0.7269161492586136, 0.6812291443347931, 0.9938651025295258),
    7: (-1.4390937685966492, 3.670724868774414, 0.6556724458932877, 0.34638168662786484, 0.007712298538535833, -0.8480688408017159, 0.7947673350572586, 1.1595092862844467),
    8: (-1.6446785926818848, 4.1951141357421875, 0.7493399381637573, 0.3958647847175598, 0.008814055472612381, -0.9692215323448181, 0.9083055257797241, 1.3251534700393677),
    9: (-1.8502634167671204, 4.719503402709961, 0.843007430434227, 0.4453478828072548, 0.009915812406688929, -1.0903742238879204, 1.0218437165021896, 1.4907976537942886),
    10: (-2.055848240852356, 5.243892669677734, 0.9366749227046967, 0.49483098089694977, 0.011017569340765476, -1.2115269154310226, 1.1353819072246552, 1.6564418375492096),
    11: (-2.2614330649375916, 5.768281936645508, 1.0303424149751663, 0.5443140789866447, 0.012119326274842024, -1.332679606974125, 1.2489200979471207, 1.8220860213041306),
    12: (-2.467017889022827, 6.292671203613281, 1.124009907245636, 0.5937971770763397, 0.013221083208918571, -1.4538322985172272, 1.3624582886695862, 1.9877302050590515),
    13: (-2.6726027131080627, 6.817060470581055, 1.2176773995161057, 0.6432802751660347, 0.014322840142995119, -1.5749849900603294, 1.4759964793920517, 2.1533743888139725),
    14: (-2.8781875371932983, 7.341449737548828, 1.3113448917865753, 0.6927633732557297, 0.015424597077071667, -1.6961376816034317, 1.5895346701145172, 2.3190185725688934),
    15: (-3.083772361278534, 7.865839004516602, 1.405012384057045, 0.7422464713454247, 0.016526354011148214, -1.817290373146534, 1.7030728608369827, 2.4846627563238144),
    16: (-3.2893571853637695, 8.390228271484375, 1.4986798763275146, 0.7917295694351196, 0.017628110945224762, -1.9384430646896362, 1.8166110515594482, 2.6503069400787354),
    17: (-3.494942009449005, 8.914617538452148, 1.5923473685979843, 0.8412126675248146, 0.01872986787930131, -2.0595957562327385, 1.9301492422819138, 2.8159511238336563),
    18: (-3.7005268335342407, 9.439006805419922, 1.686014860868454, 0.8906957656145096, 0.019831624813377857, -2.1807484477758408, 2.0436874330043793, 2.9815953075885773),
    19: (-3.9061116576194763, 9.963396072387695, 1.7796823531389236, 0.9401788637042046, 0.020933381747454405, -2.301901139318943, 2.157225623726845, 3.1472394913434982),
    20: (-4.111696481704712, 10.487785339355469, 1.8733498454093933, 0.9896619617938995, 0.022035138681530952, -2.4230538308620453, 2.2707638144493103, 3.312883675098419),
    21: (-4.3172813057899475, 11.012174606323242, 1.967017337679863, 1.0391450598835945, 0.0231368956156075, -2.5442065224051476, 2.384302005171776, 3.47852785885334),
    22: (-4.522866129875183, 11.536563873291016, 2.0606848299503326, 1.0886281579732895, 0.024238652549684048, -2.66535921394825, 2.4978401958942413, 3.644172042608261),
    24: (-4.934035778045654, 12.585342407226562, 2.248019814491272, 1.1875943541526794, 0.026442166417837143, -2.9076645970344543, 2.7249165773391724, 3.975460410118103),
    25: (-5.13962060213089, 13.109731674194336, 2.3416873067617416, 1.2370774522423744, 0.02754392335191369, -3.0288172885775566, 2.838454768061638, 4.141104593873024),
    26: (-5.3452054262161255, 13.63412094116211, 2.4353547990322113, 1.2865605503320694, 0.028645680285990238, -3.149969980120659, 2.9519929587841034, 4.306748777627945),
    35: (-7.195468842983246, 18.35362434387207, 3.2783622294664383, 1.7319084331393242, 0.03856149269267917, -4.240344204008579, 3.973836675286293, 5.797546431422234),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_3_6 = {
    0: (-0.0, 0.0, 0.0, -0.0, 0.0, -0.0, 0.0, -0.0),
    1: (-0.06622763723134995, 0.31977546215057373, 1.2894231081008911, -0.23455530405044556, 0.16627459228038788, -0.01390896737575531, 0.26458820700645447, -0.5155150294303894),
    4: (-0.2649105489253998, 1.279101848602295, 5.1576924324035645, -0.9382212162017822, 0.6650983691215515, -0.05563586950302124, 1.0583528280258179, -2.0620601177215576),
    9: (-0.5960487350821495, 2.8779791593551636, 11.60480797290802, -2.11099773645401, 1.496471330523491, -0.1251807063817978, 2.38129386305809, -4.639635264873505),
    16: (-1.0596421957015991, 5.11640739440918, 20.630769729614258, -3.752884864807129, 2.660393476486206, -0.22254347801208496, 4.2334113121032715, -8.24824047088623),
    25: (-1.6556909307837486, 7.994386553764343, 32.23557770252228, -5.863882601261139, 4.156864807009697, -0.34772418439388275, 6.614705175161362, -12.887875735759735),
    36: (-2.384194940328598, 11.511916637420654, 46.41923189163208, -8.44399094581604, 5.985885322093964, -0.5007228255271912, 9.52517545223236, -18.55854105949402),
    49: (-3.2451542243361473, 15.668997645378113, 63.181732296943665, -11.493209898471832, 8.147455021739006, -0.6815394014120102, 12.964822143316269, -25.26023644208908),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_3_7 = {
    0: (0.0, 0.0, 0.0, 0.0, 0.0, -0.0, 0.0, 0.0),
    1: (0.23995481431484222, 0.46845918893814087, 0.23024342954158783, 0.3645024299621582, 0.5760467052459717, -0.2977648973464966, 0.4906582236289978, 0.2988612949848175),
    2: (0.47990962862968445, 0.9369183778762817, 0.46048685908317566, 0.7290048599243164, 1.1520934104919434, -0.5955297946929932, 0.9813164472579956, 0.597722589969635),
    3: (0.7198644429445267, 1.4053775668144226, 0.6907302886247635, 1.0935072898864746, 1.728140115737915, -0.8932946920394897, 1.4719746708869934, 0.8965838849544525),
    4: (0.9598192572593689, 1.8738367557525635, 0.9209737181663513, 1.4580097198486328, 2.3041868209838867, -1.1910595893859863, 1.9626328945159912, 1.19544517993927),
    5: (1.1997740715742111, 2.3422959446907043, 1.1512171477079391, 1.822512149810791, 2.8802335262298584, -1.488824486732483, 2.453291118144989, 1.4943064749240875),
    6: (1.4397288858890533, 2.810755133628845, 1.381460577249527, 2.187014579772949, 3.45628023147583, -1.7865893840789795, 2.943949341773987, 1.793167769908905),
    7: (1.6796837002038956, 3.279214322566986, 1.6117040067911148, 2.5515170097351074, 4.032326936721802, -2.084354281425476, 3.4346075654029846, 2.0920290648937225),
    8: (1.9196385145187378, 3.747673511505127, 1.8419474363327026, 2.9160194396972656, 4.608373641967773, -2.3821191787719727, 3.9252657890319824, 2.39089035987854),
    9: (2.15959332883358, 4.216132700443268, 2.0721908658742905, 3.280521869659424, 5.184420347213745, -2.6798840761184692, 4.41592401266098, 2.6897516548633575),
    10: (2.3995481431484222, 4.684591889381409, 2.3024342954158783, 3.645024299621582, 5.760467052459717, -2.977648973464966, 4.906582236289978, 2.988612949848175),
    11: (2.6395029574632645, 5.15305107831955, 2.532677724957466, 4.00952672958374, 6.3365137577056885, -3.2754138708114624, 5.397240459918976, 3.2874742448329926),
    12: (2.8794577717781067, 5.62151026725769, 2.762921154499054, 4.374029159545898, 6.91256046295166, -3.573178768157959, 5.887898683547974, 3.58633553981781),
    13: (3.119412586092949, 6.089969456195831, 2.993164584040642, 4.738531589508057, 7.488607168197632, -3.8709436655044556, 6.378556907176971, 3.8851968348026276),
    14: (3.359367400407791, 6.558428645133972, 3.2234080135822296, 5.103034019470215, 8.064653873443604, -4.168708562850952, 6.869215130805969, 4.184058129787445),
    15: (3.5993222147226334, 7.026887834072113, 3.4536514431238174, 5.467536449432373, 8.640700578689575, -4.466473460197449, 7.359873354434967, 4.482919424772263),
    16: (3.8392770290374756, 7.495347023010254, 3.6838948726654053, 5.832038879394531, 9.216747283935547, -4.764238357543945, 7.850531578063965, 4.78178071975708),
    17: (4.079231843352318, 7.963806211948395, 3.914138302206993, 6.1965413093566895, 9.792793989181519, -5.062003254890442, 8.341189801692963, 5.080642014741898),
    18: (4.31918665766716, 8.432265400886536, 4.144381731748581, 6.561043739318848, 10.36884069442749, -5.3597681522369385, 8.83184802532196, 5.379503309726715),
    19: (4.559141471982002, 8.900724589824677, 4.374625161290169, 6.925546169281006, 10.944887399673462, -5.657533049583435, 9.322506248950958, 5.678364604711533),
    20: (4.7990962862968445, 9.369183778762817, 4.604868590831757, 7.290048599243164, 11.520934104919434, -5.955297946929932, 9.813164472579956, 5.97722589969635),
    21: (5.039051100611687, 9.837642967700958, 4.835112020373344, 7.654551029205322, 12.096980810165405, -6.253062844276428, 10.303822696208954, 6.276087194681168),
    22: (5.279005914926529, 10.3061021566391, 5.065355449914932, 8.01905345916748, 12.673027515411377, -6.550827741622925, 10.794480919837952, 6.574948489665985),
    24: (5.758915543556213, 11.24302053451538, 5.525842308998108, 8.748058319091797, 13.82512092590332, -7.146357536315918, 11.775797367095947, 7.17267107963562),
    26: (6.238825172185898, 12.179938912391663, 5.986329168081284, 9.477063179016113, 14.977214336395264, -7.741887331008911, 12.757113814353943, 7.770393669605255),
    35: (8.398418501019478, 16.39607161283493, 8.058520033955574, 12.757585048675537, 20.16163468360901, -10.42177140712738, 17.173037827014923, 10.460145324468613),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_BY_FEATURE = [
    READOUT_WEIGHTS_TOKENS, READOUT_WEIGHTS_INDICES, READOUT_WEIGHTS_ATTN_0_0,
    READOUT_WEIGHTS_ATTN_0_1, READOUT_WEIGHTS_ATTN_0_2, READOUT_WEIGHTS_ATTN_0_3,
    READOUT_WEIGHTS_ATTN_0_4, READOUT_WEIGHTS_ATTN_0_5, READOUT_WEIGHTS_ATTN_0_6,
    READOUT_WEIGHTS_ATTN_0_7, READOUT_WEIGHTS_MLP_0_0, READOUT_WEIGHTS_MLP_0_1,
    READOUT_WEIGHTS_MLP_0_2, READOUT_WEIGHTS_MLP_0_3, READOUT_WEIGHTS_NUM_MLP_0_1,
    READOUT_WEIGHTS_NUM_MLP_0_2, READOUT_WEIGHTS_ATTN_1_0, READOUT_WEIGHTS_ATTN_1_1,
    READOUT_WEIGHTS_ATTN_1_2, READOUT_WEIGHTS_ATTN_1_3, READOUT_WEIGHTS_ATTN_1_4,
    READOUT_WEIGHTS_ATTN_1_5, READOUT_WEIGHTS_ATTN_1_6, READOUT_WEIGHTS_ATTN_1_7,
    READOUT_WEIGHTS_MLP_1_0, READOUT_WEIGHTS_MLP_1_1, READOUT_WEIGHTS_MLP_1_2,
    READOUT_WEIGHTS_MLP_1_3, READOUT_WEIGHTS_NUM_MLP_1_0, READOUT_WEIGHTS_ATTN_2_0,
    READOUT_WEIGHTS_ATTN_2_1, READOUT_WEIGHTS_ATTN_2_2, READOUT_WEIGHTS_ATTN_2_3,
    READOUT_WEIGHTS_ATTN_2_4, READOUT_WEIGHTS_ATTN_2_5, READOUT_WEIGHTS_ATTN_2_6,
    READOUT_WEIGHTS_ATTN_2_7, READOUT_WEIGHTS_MLP_2_0, READOUT_WEIGHTS_MLP_2_2,
    READOUT_WEIGHTS_NUM_MLP_2_0, READOUT_WEIGHTS_NUM_MLP_2_2,
    READOUT_WEIGHTS_NUM_MLP_2_3, READOUT_WEIGHTS_ATTN_3_0, READOUT_WEIGHTS_ATTN_3_1,
    READOUT_WEIGHTS_ATTN_3_2, READOUT_WEIGHTS_ATTN_3_3, READOUT_WEIGHTS_ATTN_3_4,
    READOUT_WEIGHTS_ATTN_3_5, READOUT_WEIGHTS_ATTN_3_6, READOUT_WEIGHTS_ATTN_3_7,
    READOUT_WEIGHTS_MLP_3_0, READOUT_WEIGHTS_MLP_3_1, READOUT_WEIGHTS_NUM_MLP_3_1,
    READOUT_WEIGHTS_NUM_MLP_3_2, READOUT_WEIGHTS_NUM_MLP_3_3,
    READOUT_WEIGHTS_NUM_ATTN_0_0, READOUT_WEIGHTS_NUM_ATTN_0_1,
    READOUT_WEIGHTS_NUM_ATTN_0_2, READOUT_WEIGHTS_NUM_ATTN_0_3,
    READOUT_WEIGHTS_NUM_ATTN_0_4, READOUT_WEIGHTS_NUM_ATTN_0_5,
    READOUT_WEIGHTS_NUM_ATTN_0_6, READOUT_WEIGHTS_NUM_ATTN_0_7,
    READOUT_WEIGHTS_NUM_ATTN_1_0, READOUT_WEIGHTS_NUM_ATTN_1_1,
    READOUT_WEIGHTS_NUM_ATTN_1_2, READOUT_WEIGHTS_NUM_ATTN_1_3,
    READOUT_WEIGHTS_NUM_ATTN_1_4, READOUT_WEIGHTS_NUM_ATTN_1_5,
    READOUT_WEIGHTS_NUM_ATTN_1_6, READOUT_WEIGHTS_NUM_ATTN_1_7,
    READOUT_WEIGHTS_NUM_ATTN_2_0, READOUT_WEIGHTS_NUM_ATTN_2_1,
    READOUT_WEIGHTS_NUM_ATTN_2_2, READOUT_WEIGHTS_NUM_ATTN_2_3,
    READOUT_WEIGHTS_NUM_ATTN_2_4, READOUT_WEIGHTS_NUM_ATTN_2_5,
    READOUT_WEIGHTS_NUM_ATTN_2_6, READOUT_WEIGHTS_NUM_ATTN_2_7,
    READOUT_WEIGHTS_NUM_ATTN_3_0, READOUT_WEIGHTS_NUM_ATTN_3_1,
    READOUT_WEIGHTS_NUM_ATTN_3_2, READOUT_WEIGHTS_NUM_ATTN_3_3,
    READOUT_WEIGHTS_NUM_ATTN_3_4, READOUT_WEIGHTS_NUM_ATTN_3_5,
    READOUT_WEIGHTS_NUM_ATTN_3_6, READOUT_WEIGHTS_NUM_ATTN_3_7,
]
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
    attn_0_1 = _attend_closest(tokens, indices, select_attn_0_1, tokens)
    attn_0_2 = _attend_closest(indices, indices, select_attn_0_2, tokens)
    attn_0_3 = _attend_closest(tokens, indices, select_attn_0_3, tokens)
    attn_0_4 = _attend_closest(indices, indices, select_attn_0_4, tokens)
    attn_0_5 = _attend_closest(indices, indices, select_attn_0_5, tokens)
    attn_0_6 = _attend_closest(tokens, indices, select_attn_0_6, tokens)
    attn_0_7 = _attend_closest(tokens, indices, select_attn_0_7, tokens)
    num_attn_0_0 = _count_selected(indices, tokens, select_num_attn_0_0)
    num_attn_0_1 = _count_selected(tokens, indices, select_num_attn_0_1)
    num_attn_0_2 = _count_selected(tokens, indices, select_num_attn_0_2)
    num_attn_0_3 = _count_selected(tokens, indices, select_num_attn_0_3)
    num_attn_0_4 = _count_selected(tokens, indices, select_num_attn_0_4)
    _check_members(num_attn_0_4, NUM_ATTN_0_4_VALUES, "num_attn_0_4")
    num_attn_0_5 = _count_selected(tokens, indices, select_num_attn_0_5)
    _check_members(num_attn_0_5, NUM_ATTN_0_5_VALUES, "num_attn_0_5")
    num_attn_0_6 = _count_selected(tokens, indices, select_num_attn_0_6)
    _check_members(num_attn_0_6, NUM_ATTN_0_6_VALUES, "num_attn_0_6")
    num_attn_0_7 = _count_selected(tokens, indices, select_num_attn_0_7)
    mlp_0_0 = [MLP_0_0_TABLE.get((x, y), 1) for x, y in zip(attn_0_1, attn_0_3)]
    mlp_0_1 = [MLP_0_1_TABLE.get((x, y), 2) for x, y in zip(attn_0_4, indices)]
    mlp_0_2 = [MLP_0_2_TABLE.get((x, y), 3) for x, y in zip(attn_0_0, attn_0_4)]
    mlp_0_3 = [MLP_0_3_TABLE.get((x, y), 7) for x, y in zip(indices, attn_0_4)]
    num_mlp_0_1 = [_in_run(NUM_MLP_0_1_RUNS, x) for x in num_attn_0_5]
    num_mlp_0_2 = [
        _in_run(NUM_MLP_0_2_RUNS[y], x) for x, y in zip(num_attn_0_6, num_attn_0_4)
    ]
    attn_1_0 = _attend_closest(indices, indices, select_attn_1_0, attn_0_0)
    attn_1_1 = _attend_closest(tokens, tokens, select_attn_1_1, mlp_0_0)
    attn_1_2 = _attend_closest(mlp_0_3, attn_0_1, select_attn_1_2, attn_0_1)
    attn_1_3 = _attend_closest(indices, indices, select_attn_1_3, attn_0_0)
    attn_1_4 = _attend_closest(tokens, tokens, select_attn_1_4, attn_0_2)
    attn_1_5 = _attend_closest(mlp_0_3, indices, select_attn_1_5, mlp_0_0)
    attn_1_6 = _attend_closest(tokens, indices, select_attn_1_6, attn_0_6)
    attn_1_7 = _attend_closest(attn_0_5, mlp_0_3, select_attn_1_7, attn_0_4)
    num_attn_1_0 = _count_selected(tokens, attn_0_2, select_num_attn_1_0)
    num_attn_1_1 = _count_selected(tokens, attn_0_0, select_num_attn_1_1)
    _check_members(num_attn_1_1, NUM_ATTN_1_1_VALUES, "num_attn_1_1")
    num_attn_1_2 = _count_selected(tokens, indices, select_num_attn_1_2)
    _check_members(num_attn_1_2, NUM_ATTN_1_2_VALUES, "num_attn_1_2")
    num_attn_1_3 = _attend_sum(tokens, attn_0_2, select_num_attn_1_3, num_attn_0_0)
    num_attn_1_4 = _count_selected(tokens, indices, select_num_attn_1_4)
    _check_members(num_attn_1_4, NUM_ATTN_1_4_VALUES, "num_attn_1_4")
    num_attn_1_5 = _count_selected(tokens, tokens, select_num_attn_1_5)
    num_attn_1_6 = _count_selected(tokens, attn_0_0, select_num_attn_1_6)
    num_attn_1_7 = _count_selected(tokens, attn_0_2, select_num_attn_1_7)
    mlp_1_0 = [MLP_1_0_TABLE.get((x, y), 5) for x, y in zip(attn_1_7, attn_0_3)]
    mlp_1_1 = [MLP_1_1_TABLE.get((x, y), 5) for x, y in zip(attn_1_7, attn_0_7)]
    mlp_1_2 = [MLP_1_2_TABLE.get((x, y), 6) for x, y in zip(tokens, indices)]
    mlp_1_3 = [MLP_1_3_TABLE.get((x, y), 0) for x, y in zip(attn_0_6, attn_0_1)]
    num_mlp_1_0 = [3 if x < 4 else 0 for x in num_attn_1_4]
    attn_2_0 = _attend_closest(mlp_0_3, tokens, select_attn_2_0, num_mlp_1_0)
    attn_2_1 = _attend_closest(indices, indices, select_attn_2_1, indices)
    attn_2_2 = _attend_closest(tokens, tokens, select_attn_2_2, num_mlp_0_2)
    attn_2_3 = _attend_closest(tokens, mlp_1_1, select_attn_2_3, attn_1_5)
    attn_2_4 = _attend_closest(indices, indices, select_attn_2_4, tokens)
    attn_2_5 = _attend_closest(mlp_0_3, indices, select_attn_2_5, mlp_0_0)
    attn_2_6 = _attend_closest(num_mlp_0_2, attn_0_0, select_attn_2_6, attn_0_7)
    attn_2_7 = _attend_closest(mlp_1_1, tokens, select_attn_2_7, attn_1_1)
    num_attn_2_0 = _count_selected(tokens, indices, select_num_attn_2_0)
    num_attn_2_1 = _attend_sum(tokens, attn_0_2, select_num_attn_2_1, num_attn_1_5)
    _check_members(num_attn_2_1, NUM_ATTN_2_1_VALUES, "num_attn_2_1")
    num_attn_2_2 = _attend_sum(tokens, attn_0_3, select_num_attn_2_2, num_attn_0_0)
    num_attn_2_3 = _attend_sum(tokens, attn_0_0, select_num_attn_2_3, num_attn_0_0)
    num_attn_2_4 = _count_selected(tokens, attn_0_0, select_num_attn_2_4)
    num_attn_2_5 = _attend_sum(attn_0_6, tokens, select_num_attn_2_5, num_attn_0_2)
    _check_members(num_attn_2_5, NUM_ATTN_2_5_VALUES, "num_attn_2_5")
    num_attn_2_6 = _attend_sum(tokens, attn_0_2, select_num_attn_2_6, num_attn_1_5)
    num_attn_2_7 = _count_selected(tokens, attn_0_2, select_num_attn_2_7)
    mlp_2_0 = [MLP_2_0_TABLE.get((x, y), 5) for x, y in zip(indices, attn_0_1)]
    mlp_2_2 = [MLP_2_2_TABLE.get((x, y), 3) for x, y in zip(attn_2_4, tokens)]
    num_mlp_2_0 = [1 if x < 1 else 4 for x in num_attn_1_4]
    num_mlp_2_2 = [
        NUM_MLP_2_2_TABLE.get((x, y), 6) for x, y in zip(num_attn_1_4, num_attn_1_2)
    ]
    num_mlp_2_3 = [1 if x < 1 else 2 for x in num_attn_1_1]
    attn_3_0 = _attend_closest(num_mlp_0_2, num_mlp_2_2, select_attn_3_0, attn_2_6)
    attn_3_1 = _attend_closest(mlp_1_2, indices, select_attn_3_1, num_mlp_0_2)
    attn_3_2 = _attend_closest(indices, attn_0_2, select_attn_3_2, mlp_0_0)
    attn_3_3 = _attend_closest(tokens, tokens, select_attn_3_3, num_mlp_0_1)
    attn_3_4 = _attend_closest(num_mlp_0_2, indices, select_attn_3_4, num_mlp_0_2)
    attn_3_5 = _attend_closest(mlp_0_3, tokens, select_attn_3_5, attn_1_6)
    attn_3_6 = _attend_closest(tokens, indices, select_attn_3_6, mlp_1_1)
    attn_3_7 = _attend_closest(attn_0_2, tokens, select_attn_3_7, attn_2_1)
    num_attn_3_0 = _count_selected(tokens, attn_0_2, select_num_attn_3_0)
    num_attn_3_1 = _count_selected(tokens, attn_0_2, select_num_attn_3_1)
    num_attn_3_2 = _count_selected(tokens, attn_0_2, select_num_attn_3_2)
    num_attn_3_3 = _count_selected(tokens, attn_0_0, select_num_attn_3_3)
    num_attn_3_4 = _count_selected(tokens, attn_0_2, select_num_attn_3_4)
    num_attn_3_5 = _attend_sum(tokens, attn_0_6, select_num_attn_3_5, num_attn_1_6)
    num_attn_3_6 = _attend_sum(tokens, attn_0_2, select_num_attn_3_6, num_attn_1_5)
    _check_members(num_attn_3_6, NUM_ATTN_3_6_VALUES, "num_attn_3_6")
    num_attn_3_7 = _attend_sum(tokens, attn_0_2, select_num_attn_3_7, num_attn_1_1)
    mlp_3_0 = [MLP_3_0_TABLE.get((x, y), 4) for x, y in zip(attn_1_7, attn_0_1)]
    mlp_3_1 = [MLP_3_1_TABLE.get((x, y), 4) for x, y in zip(attn_2_4, attn_0_2)]
    num_mlp_3_1 = [
        _in_run(NUM_MLP_3_1_RUNS[y], x) for x, y in zip(num_attn_2_1, num_attn_3_6)
    ]
    num_mlp_3_2 = [1 if x < 2 else 0 for x in num_attn_1_2]
    num_mlp_3_3 = [NUM_MLP_3_3_TABLE.get(x, 7) for x in num_attn_2_5]
    # readout_logits[i] = READOUT_BIAS + each feature's weights at position i
    # fmt: off
    readout_logits = _logits(
        READOUT_BIAS,
        [
            tokens, indices, attn_0_0, attn_0_1, attn_0_2, attn_0_3, attn_0_4, attn_0_5,
            attn_0_6, attn_0_7, mlp_0_0, mlp_0_1, mlp_0_2, mlp_0_3, num_mlp_0_1,
            num_mlp_0_2, attn_1_0, attn_1_1, attn_1_2, attn_1_3, attn_1_4, attn_1_5,
            attn_1_6, attn_1_7, mlp_1_0, mlp_1_1, mlp_1_2, mlp_1_3, num_mlp_1_0, attn_2_0,
            attn_2_1, attn_2_2, attn_2_3, attn_2_4, attn_2_5, attn_2_6, attn_2_7, mlp_2_0,
            mlp_2_2, num_mlp_2_0, num_mlp_2_2, num_mlp_2_3, attn_3_0, attn_3_1, attn_3_2,
            attn_3_3, attn_3_4, attn_3_5, attn_3_6, attn_3_7, mlp_3_0, mlp_3_1,
            num_mlp_3_1, num_mlp_3_2, num_mlp_3_3, num_attn_0_0, num_attn_0_1,
            num_attn_0_2, num_attn_0_3, num_attn_0_4, num_attn_0_5, num_attn_0_6,
            num_attn_0_7, num_attn_1_0, num_attn_1_1, num_attn_1_2, num_attn_1_3,
            num_attn_1_4, num_attn_1_5, num_attn_1_6, num_attn_1_7, num_attn_2_0,
            num_attn_2_1, num_attn_2_2, num_attn_2_3, num_attn_2_4, num_attn_2_5,
            num_attn_2_6, num_attn_2_7, num_attn_3_0, num_attn_3_1, num_attn_3_2,
            num_attn_3_3, num_attn_3_4, num_attn_3_5, num_attn_3_6, num_attn_3_7,
        ],
        READOUT_WEIGHTS_BY_FEATURE,
    )
    # fmt: on
    readout = [READOUT_CLASSES[_argmax(row, READOUT_ALLOWED)] for row in readout_logits]
    return readout


def run_batch(batch: list[list[str]]) -> list[list]:
    """`run` on each input of `batch`."""
    return [run(tokens) for tokens in batch]
