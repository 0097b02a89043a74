"""sort: emitted by tpc's Python back end from the program's IR.

Task: sort (k = 8, N = 8).
Model: 3 layers, 4+4 heads and 2+2 MLPs (categorical+numerical), d_var 8.
Discrete model accuracy: train 86.52%, val 86.87%, test 86.08% (epoch 142).
Produced by: tpc lower, tpc opt -O3.
Exact on the scored positions of every sort input (k = 8, N = 8); BOS/EOS outputs are free.

Vocabulary (7): '<s>', '</s>', '0', '1', '2', '3', '4'
Maximum length: 8 (counting BOS '<s>', EOS '</s>': include them in the input)
Output: node `readout` (readout, values {'<pad>', '0', '1', '2', '3', '4'})

Usage: run(tokens) gives one output per position; run_batch(inputs) maps run.
    run(['<s>', '0', '</s>'])
Needs only the standard library. Generated code: edit the IR, not this file.
"""

from functools import cache
from itertools import compress

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
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_attn_0_0(key: str, query: int) -> bool:
    return key == {0: '4', 1: '0', 2: '4', 5: '4'}.get(query, '3')
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_0_0(key: str, query: int) -> bool:
    return key == {0: '1', 1: '1', 2: '1'}.get(query, '0')
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_0_1(key: str, query: int) -> bool:
    return key == {1: '1', 3: None, 4: '1', 6: '1'}.get(query, '0')
# fmt: on


NUM_ATTN_0_1_VALUES = {0, 1, 2, 3, 4, 5, 6}


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_0_2(key: str, query: int) -> bool:
    return key == {2: '0', 3: '0', 4: '0', 7: '0'}.get(query, '1')
# fmt: on


NUM_ATTN_0_2_VALUES = {0, 1, 2, 3, 4, 5, 6}


# mlp_0_0 = MLP_0_0_TABLE[indices]
# fmt: off
MLP_0_0_TABLE = {
    0: 7, 1: 1, 2: 2, 3: 0, 4: 0, 5: 7, 6: 7, 7: 0,
}
# fmt: on


# mlp_0_1 = MLP_0_1_TABLE[indices]
# fmt: off
MLP_0_1_TABLE = {
    0: 7, 1: 2, 2: 2, 3: 2, 4: 7, 5: 6, 6: 7, 7: 7,
}
# fmt: on


# num_mlp_0_0 = NUM_MLP_0_0_TABLE[num_attn_0_1, num_attn_0_2], 1 where not listed
# fmt: off
NUM_MLP_0_0_TABLE = {
    (0, 0): 5, (0, 1): 5, (0, 2): 5, (1, 0): 5, (1, 1): 5, (1, 2): 5, (2, 0): 5, (2, 1): 5,
    (3, 0): 5, (4, 0): 5,
}
# fmt: on


MLP_0_1_VALUES = {2, 6, 7}


# fmt: off
@_selects_by_query(VOCAB, MLP_0_1_VALUES)
def select_num_attn_1_0(key: str, query: int) -> bool:
    return key == {6: '</s>', 7: '1'}.get(query, '0')
# fmt: on


NUM_ATTN_1_0_VALUES = {
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    12,
    13,
    14,
    15,
    16,
    17,
    20,
    21,
    24,
}


# fmt: off
@_selects_by_query(MLP_0_1_VALUES, range(MAX_LEN))
def select_num_attn_1_2(key: int, query: int) -> bool:
    return key == {1: 7, 2: 7, 3: 6}.get(query)
# fmt: on


NUM_ATTN_1_2_VALUES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12}


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_1_3(key: str, query: int) -> bool:
    return key == {0: '0', 1: '3', 2: '0', 3: '1', 6: None}.get(query, '2')
# fmt: on


NUM_ATTN_1_3_VALUES = {
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    12,
    13,
    14,
    15,
    16,
    17,
    20,
    21,
    24,
}


# num_mlp_1_1 = NUM_MLP_1_1_TABLE[num_attn_1_3, num_attn_1_0], 2 where not listed
# fmt: off
NUM_MLP_1_1_TABLE = {
    (0, 0): 7, (0, 1): 7, (0, 2): 6, (0, 3): 6, (1, 0): 7, (1, 1): 6, (2, 0): 0,
}
# fmt: on


NUM_MLP_0_0_VALUES = {1, 5}


# fmt: off
@_selects_by_query(range(MAX_LEN), NUM_MLP_0_0_VALUES)
def select_attn_2_0(key: int, query: int) -> bool:
    return key == {5: 7}.get(query, 1)
# fmt: on


MLP_0_0_VALUES = {0, 1, 2, 7}


# fmt: off
@_selects_by_query(VOCAB, MLP_0_0_VALUES)
def select_attn_2_1(key: str, query: int) -> bool:
    return key == {1: '0', 7: '4'}.get(query, '2')
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_2_3(key: str, query: int) -> bool:
    return key == {1: '1', 4: '1', 5: '</s>', 6: None, 7: None}.get(query, '0')
# fmt: on


# fmt: off
NUM_ATTN_2_3_VALUES = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 24, 25, 26,
    27, 28, 29, 30, 31, 32, 34, 35, 36, 38, 40, 44, 45, 49, 50, 61, 78,
}
# fmt: on


# mlp_2_1 = MLP_2_1_TABLE[indices, num_mlp_1_1]
# fmt: off
MLP_2_1_TABLE = {
    (0, 0): 4, (0, 2): 2, (0, 6): 5, (0, 7): 5, (1, 0): 2, (1, 2): 2, (1, 6): 2, (1, 7): 2,
    (2, 0): 4, (2, 2): 2, (2, 6): 5, (2, 7): 5, (3, 0): 4, (3, 2): 2, (3, 6): 5, (3, 7): 6,
    (4, 0): 4, (4, 2): 4, (4, 6): 3, (4, 7): 3, (5, 0): 6, (5, 2): 5, (5, 6): 6, (5, 7): 6,
    (6, 0): 7, (6, 2): 7, (6, 6): 7, (6, 7): 7, (7, 0): 5, (7, 2): 5, (7, 6): 3, (7, 7): 3,
}
# fmt: on


# num_mlp_2_0 = NUM_MLP_2_0_TABLE[num_attn_2_3, num_attn_1_2], 1 where not listed
# fmt: off
NUM_MLP_2_0_TABLE = {
    (0, 0): 7, (0, 1): 6, (0, 2): 5, (1, 0): 6, (1, 1): 6, (1, 2): 2, (2, 0): 6, (2, 1): 6,
    (2, 2): 2, (3, 0): 6, (3, 1): 5, (3, 2): 2, (4, 0): 6, (4, 1): 2, (4, 2): 2, (5, 0): 5,
    (5, 1): 2, (5, 2): 2, (6, 0): 5, (6, 1): 2, (7, 0): 2, (7, 1): 2, (8, 0): 2, (8, 1): 2,
    (9, 0): 2, (9, 1): 2, (10, 0): 2, (10, 1): 2, (11, 0): 2, (11, 1): 2, (12, 0): 2, (12, 1): 2,
    (13, 0): 2, (13, 1): 2, (14, 0): 2, (15, 0): 2, (16, 0): 2, (17, 0): 2, (18, 0): 2, (19, 0): 2,
    (20, 0): 2, (21, 0): 2,
}
# fmt: on


# readout: logits = READOUT_BIAS + the weight row of each categorical feature's value
# + each numerical feature (tabulated per value); the prediction is the allowed class
# with the highest logit (the first one on ties)
READOUT_CLASSES = ("<pad>", "0", "1", "2", "3", "4")
READOUT_ALLOWED = (1, 2, 3, 4, 5)
# fmt: off
READOUT_BIAS = (0.0, 0.034759216010570526, 0.4701417088508606, 0.3773581087589264, -0.1695466935634613, -0.1983727663755417)
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_0 = {
    '0': (-0.02724321559071541, 7.57063102722168, 0.32764932513237, -2.309471368789673, -4.570466995239258, -6.326179027557373),
    '1': (0.5526461601257324, -0.6177045106887817, 0.8944934010505676, 0.31214651465415955, 0.042481862008571625, -0.9669597148895264),
    '2': (-0.29656875133514404, -1.689397931098938, 0.7521306276321411, 1.34988272190094, 0.34713664650917053, -0.3756580948829651),
    '3': (-0.3026994466781616, -3.8171439170837402, -0.6579016447067261, 0.990932822227478, 1.619404911994934, -0.27488604187965393),
    '4': (-0.31781432032585144, -3.4159326553344727, -0.6143202185630798, 0.03708651661872864, 0.6776865124702454, 2.0123274326324463),
    '</s>': (0.30637362599372864, 0.12820705771446228, -0.4220818281173706, -0.3290409445762634, 0.3712453246116638, 0.33961617946624756),
    '<s>': (-0.319667249917984, -3.93513560295105, 0.842530369758606, 1.756186604499817, -0.3987790048122406, 0.061829131096601486),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_1 = {
    '0': (-0.3201028108596802, 6.894567489624023, -3.649613380432129, -3.3913023471832275, -2.0016915798187256, -2.380972385406494),
    '1': (0.3745417296886444, -0.13840851187705994, 2.580817699432373, -0.9295452833175659, -0.7661667466163635, -2.1374924182891846),
    '2': (0.12964098155498505, -2.472743034362793, 1.4210113286972046, 2.1509339809417725, -0.03277776390314102, -2.3342201709747314),
    '3': (-0.6589457392692566, -2.939793586730957, -1.252953290939331, 0.9550662636756897, 0.9911161065101624, 0.9798518419265747),
    '4': (-0.32498249411582947, -6.056373596191406, -0.382049024105072, -1.2292578220367432, 0.73429936170578, 3.3023569583892822),
    '</s>': (0.2665877342224121, 1.8096860647201538, 1.5031644105911255, 0.05604957044124603, -1.8917697668075562, -3.0750107765197754),
    '<s>': (-0.15798413753509521, -3.0529558658599854, 1.3881809711456299, -0.5201886296272278, 1.4861719608306885, -0.6401073932647705),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_2_1 = {
    2: (-0.19932319223880768, 4.216011047363281, 2.709754467010498, -1.3695461750030518, -5.320591449737549, -5.985289096832275),
    3: (-0.11903571337461472, -3.8497562408447266, 0.6476321816444397, -2.0159246921539307, 1.4433056116104126, 3.0585155487060547),
    4: (0.7163394689559937, -2.9226415157318115, 2.841197967529297, 1.0728200674057007, 1.357202410697937, 1.959577202796936),
    5: (-0.2953234016895294, -3.1106510162353516, 0.7876307368278503, 1.9316662549972534, 1.3335018157958984, -0.830126941204071),
    6: (0.26030775904655457, -7.397409439086914, -0.998032808303833, 0.6033129096031189, 2.3473987579345703, 1.5067638158798218),
    7: (-0.4116036593914032, -9.716596603393555, 2.41206431388855, 0.7984641194343567, 1.3537293672561646, 2.1731417179107666),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_MLP_2_0 = {
    1: (0.11153802275657654, 4.045591831207275, 2.340399742126465, -7.841455936431885, -7.261488437652588, -4.540775775909424),
    2: (-0.021521518006920815, 1.4385136365890503, 1.4502649307250977, -0.2752717137336731, -0.5491248369216919, -1.0348223447799683),
    5: (0.05137854442000389, 0.12011532485485077, -0.23916228115558624, 1.3807587623596191, 1.0506796836853027, 0.9003334045410156),
    6: (-0.0456448569893837, -2.6024630069732666, -2.989637613296509, 1.063126802444458, 1.2718755006790161, 1.5048340559005737),
    7: (-0.5231664776802063, -2.087294101715088, -7.3505940437316895, 0.6819002032279968, 1.8085057735443115, 2.6763412952423096),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_BY_FEATURE = [
    READOUT_WEIGHTS_ATTN_2_0, READOUT_WEIGHTS_ATTN_2_1, READOUT_WEIGHTS_MLP_2_1,
    READOUT_WEIGHTS_NUM_MLP_2_0,
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
    attn_0_0 = _attend_closest(tokens, indices, select_attn_0_0, tokens)
    num_attn_0_0 = _count_selected(tokens, indices, select_num_attn_0_0)
    num_attn_0_1 = _count_selected(tokens, indices, select_num_attn_0_1)
    _check_members(num_attn_0_1, NUM_ATTN_0_1_VALUES, "num_attn_0_1")
    num_attn_0_2 = _count_selected(tokens, indices, select_num_attn_0_2)
    _check_members(num_attn_0_2, NUM_ATTN_0_2_VALUES, "num_attn_0_2")
    mlp_0_0 = [MLP_0_0_TABLE[x] for x in indices]
    mlp_0_1 = [MLP_0_1_TABLE[x] for x in indices]
    num_mlp_0_0 = [
        NUM_MLP_0_0_TABLE.get((x, y), 1) for x, y in zip(num_attn_0_1, num_attn_0_2)
    ]
    num_attn_1_0 = _attend_sum(tokens, mlp_0_1, select_num_attn_1_0, num_attn_0_0)
    _check_members(num_attn_1_0, NUM_ATTN_1_0_VALUES, "num_attn_1_0")
    num_attn_1_2 = _attend_sum(mlp_0_1, indices, select_num_attn_1_2, num_attn_0_2)
    _check_members(num_attn_1_2, NUM_ATTN_1_2_VALUES, "num_attn_1_2")
    num_attn_1_3 = _attend_sum(tokens, indices, select_num_attn_1_3, num_attn_0_0)
    _check_members(num_attn_1_3, NUM_ATTN_1_3_VALUES, "num_attn_1_3")
    num_mlp_1_1 = [
        NUM_MLP_1_1_TABLE.get((x, y), 2) for x, y in zip(num_attn_1_3, num_attn_1_0)
    ]
    attn_2_0 = _attend_closest(indices, num_mlp_0_0, select_attn_2_0, attn_0_0)
    attn_2_1 = _attend_closest(tokens, mlp_0_0, select_attn_2_1, tokens)
    num_attn_2_3 = _attend_sum(tokens, indices, select_num_attn_2_3, num_attn_1_0)
    _check_members(num_attn_2_3, NUM_ATTN_2_3_VALUES, "num_attn_2_3")
    mlp_2_1 = [MLP_2_1_TABLE[(x, y)] for x, y in zip(indices, num_mlp_1_1)]
    num_mlp_2_0 = [
        NUM_MLP_2_0_TABLE.get((x, y), 1) for x, y in zip(num_attn_2_3, num_attn_1_2)
    ]
    # readout_logits[i] = READOUT_BIAS + each feature's weights at position i
    # fmt: off
    readout_logits = _logits(
        READOUT_BIAS,
        [attn_2_0, attn_2_1, mlp_2_1, num_mlp_2_0],
        READOUT_WEIGHTS_BY_FEATURE,
    )
    # fmt: on
    readout = [READOUT_CLASSES[_argmax(row, READOUT_ALLOWED)] for row in readout_logits]
    return readout


def run_batch(batch: list[list[str]]) -> list[list]:
    """`run` on each input of `batch`."""
    return [run(tokens) for tokens in batch]
