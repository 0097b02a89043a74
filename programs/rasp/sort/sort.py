"""sort: emitted by tpc's Python back end from the program's IR.

Task: sort (k = 8, N = 8).
Model: 3 layers, 4+4 heads and 2+2 MLPs (categorical+numerical), d_var 8.
Discrete model accuracy: train 99.98%, val 99.99%, test 99.94% (epoch 240).
Produced by: tpc lower, tpc opt -O3.
Exact on the scored positions of every sort input (k = 8, N = 8); BOS/EOS outputs are free.

Vocabulary (7): '<s>', '</s>', '0', '1', '2', '3', '4'
Maximum length: 8 (counting BOS '<s>', EOS '</s>': include them in the input)
Output: node `readout` (readout, values {'<pad>', '0', '1', '2', '3', '4'})

Usage: run(tokens) gives one output per position; run_batch(inputs) maps run.
    run(['<s>', '0', '</s>'])
Needs only the standard library. Generated code: edit the IR, not this file.
"""

VOCAB = ("<s>", "</s>", "0", "1", "2", "3", "4")
MAX_LEN = 8
BOS = "<s>"
EOS = "</s>"


def _check_input(tokens):
    """Raise ValueError unless every token is in VOCAB and the input fits in MAX_LEN."""
    if len(tokens) > MAX_LEN:
        raise ValueError(f"{len(tokens)} tokens; the program takes at most {MAX_LEN}")
    for i, token in enumerate(tokens):
        if token not in VOCAB:
            raise ValueError(f"unknown token {token!r} at position {i}: not in VOCAB")


def _selects_by_query(keys, queries):
    """Decorator: tabulates predicate(key, query) as {query value: the key values it selects}."""
    return lambda predicate: {q: {k for k in keys if predicate(k, q)} for q in queries}


def _select(keys, queries, selects):
    """Selector rows: query i selects key j iff keys[j] is in selects[queries[i]]."""
    return [list(map(selects[query].__contains__, keys)) for query in queries]


def _closest(selector, values):
    """Closest-match attention: query i reads the value at the selected key j != i nearest
    to i (the earlier one on ties), at i itself when only i is selected, and at position 0
    (BOS) when nothing is."""
    out = []
    for row, order in zip(selector, _closest_orders(len(values))):
        for j in order:
            if row[j]:
                out.append(values[j])
                break
        else:
            out.append(values[0])
    return out


_CLOSEST_ORDERS = {}


def _closest_orders(n):
    """For each query position i < n, the key positions by preference: by distance to i,
    then position; i itself last."""
    if n not in _CLOSEST_ORDERS:
        _CLOSEST_ORDERS[n] = [
            sorted(range(n), key=lambda j: (j == i, abs(i - j), j)) for i in range(n)
        ]
    return _CLOSEST_ORDERS[n]


def _sum(selector, values):
    """The sum of the selected values for each query (0 where nothing is selected)."""
    return [sum([v for v, s in zip(values, row) if s]) for row in selector]


def _argmax(scores, allowed):
    """The index in `allowed` with the highest score, the first one on ties."""
    return max(allowed, key=scores.__getitem__)


def _logits(bias, features, weights):
    """Per position, the bias plus each feature's contribution in order: the row of its
    value (a dict of rows) or its value times the weights (a tuple)."""
    out = []
    for values in zip(*features):
        row = list(bias)
        for v, w in zip(values, weights):
            add = w[v] if isinstance(w, dict) else [v * x for x in w]
            row = [a + b for a, b in zip(row, add)]
        out.append(row)
    return out


@_selects_by_query(VOCAB, range(MAX_LEN))
def select_attn_0_0_predicate(key: str, query: int) -> bool:
    if query in {0, 4, 7}:
        return key == "0"
    if query == 1:
        return key == "1"
    if query in {2, 3, 5, 6}:
        return key == "4"
    return False


@_selects_by_query(VOCAB, range(MAX_LEN))
def select_attn_0_1_predicate(key: str, query: int) -> bool:
    if query == 0:
        return key == "0"
    if query in {1, 4}:
        return key == "3"
    if query == 2:
        return key == "1"
    if query in {3, 6, 7}:
        return key == "2"
    if query == 5:
        return key == "4"
    return False


@_selects_by_query(VOCAB, range(MAX_LEN))
def select_attn_0_2_predicate(key: str, query: int) -> bool:
    if query in {0, 1, 5}:
        return key == "0"
    if query == 2:
        return key == "1"
    if query in {3, 6}:
        return key == "3"
    if query == 4:
        return key == "4"
    if query == 7:
        return key == "2"
    return False


@_selects_by_query(VOCAB, range(MAX_LEN))
def select_attn_0_3_predicate(key: str, query: int) -> bool:
    if query in {0, 6}:
        return key == "0"
    if query == 1:
        return key == "4"
    if query in {2, 3, 7}:
        return key == "1"
    if query == 4:
        return key == "2"
    if query == 5:
        return key == "3"
    return False


@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_0_0_predicate(key: str, query: int) -> bool:
    if query in {0, 4, 7}:
        return key == "0"
    if query in {1, 2, 3}:
        return key == "1"
    if query in {5, 6}:
        return key == "4"
    return False


@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_0_1_predicate(key: str, query: int) -> bool:
    if query == 0:
        return key == "1"
    if query == 1:
        return key == "4"
    if query in {2, 3}:
        return key == "3"
    if query in {4, 5}:
        return key == "2"
    if query == 7:
        return key == "0"
    return False


@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_0_2_predicate(key: str, query: int) -> bool:
    if query in {0, 6}:
        return key == "0"
    if query == 1:
        return key == "<s>"
    if query == 2:
        return key == "2"
    if query in {3, 4, 5, 7}:
        return key == "1"
    return False


@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_0_3_predicate(key: str, query: int) -> bool:
    if query in {0, 1}:
        return key == "0"
    if query == 2:
        return key == "<s>"
    if query == 3:
        return key == "</s>"
    if query in {4, 5, 6, 7}:
        return key == "3"
    return False


# mlp_0_0 = MLP_0_0_TABLE[indices, attn_0_0], 5 where not listed
# fmt: off
MLP_0_0_TABLE = {
    (0, '0'): 0, (0, '2'): 7, (0, '4'): 7, (0, '</s>'): 7, (1, '0'): 4, (1, '1'): 4, (1, '2'): 4,
    (1, '3'): 4, (1, '4'): 0, (1, '</s>'): 4, (1, '<s>'): 4, (2, '0'): 4, (2, '1'): 4, (2, '2'): 4,
    (2, '3'): 4, (2, '4'): 4, (2, '</s>'): 4, (2, '<s>'): 4, (3, '4'): 0, (4, '0'): 0, (4, '2'): 0,
    (4, '4'): 0, (5, '4'): 7, (6, '2'): 7, (6, '4'): 7, (7, '0'): 0, (7, '1'): 4, (7, '2'): 0,
    (7, '3'): 0, (7, '4'): 0, (7, '</s>'): 4, (7, '<s>'): 4,
}
# fmt: on


# mlp_0_1 = MLP_0_1_TABLE[indices]
# fmt: off
MLP_0_1_TABLE = {
    0: 7, 1: 2, 2: 7, 3: 7, 4: 5, 5: 5, 6: 5, 7: 5,
}
# fmt: on


# num_mlp_0_0 = NUM_MLP_0_0_TABLE[num_attn_0_2]
# fmt: off
NUM_MLP_0_0_TABLE = {
    0: 7, 1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1,
}
# fmt: on


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_1_0_predicate(key: int, query: int) -> bool:
    if query in {0, 1}:
        return key == 1
    if query in {2, 4}:
        return key == 3
    if query in {3, 5}:
        return key == 2
    if query == 6:
        return key == 5
    if query == 7:
        return key == 6
    return False


@_selects_by_query(VOCAB, range(MAX_LEN))
def select_attn_1_1_predicate(key: str, query: int) -> bool:
    if query == 0:
        return key == "0"
    if query in {1, 2}:
        return key == "1"
    if query in {3, 7}:
        return key == "4"
    if query == 4:
        return key == "</s>"
    if query in {5, 6}:
        return key == "3"
    return False


MLP_0_1_VALUES = {2, 5, 7}


@_selects_by_query(range(MAX_LEN), MLP_0_1_VALUES)
def select_attn_1_2_predicate(key: int, query: int) -> bool:
    if query == 2:
        return key == 3
    if query == 5:
        return key == 6
    if query == 7:
        return key == 4
    return False


@_selects_by_query(VOCAB, range(MAX_LEN))
def select_attn_1_3_predicate(key: str, query: int) -> bool:
    if query in {0, 6}:
        return key == "4"
    if query in {1, 2, 4}:
        return key == "1"
    if query == 3:
        return key == "0"
    if query == 5:
        return key == "</s>"
    if query == 7:
        return key == "3"
    return False


ATTN_0_0_VALUES = {"0", "1", "2", "3", "4", "</s>", "<s>"}


@_selects_by_query(ATTN_0_0_VALUES, range(MAX_LEN))
def select_num_attn_1_0_predicate(key: str, query: int) -> bool:
    if query == 0:
        return key == "1"
    if query in {1, 2, 3, 4, 7}:
        return key == "0"
    if query == 5:
        return key == "<s>"
    return False


ATTN_0_3_VALUES = {"0", "1", "2", "3", "4", "</s>", "<s>"}


@_selects_by_query(ATTN_0_3_VALUES, range(MAX_LEN))
def select_num_attn_1_1_predicate(key: str, query: int) -> bool:
    if query in {0, 5}:
        return key == "0"
    if query in {1, 7}:
        return key == "4"
    if query in {2, 3}:
        return key == "2"
    if query == 4:
        return key == "1"
    if query == 6:
        return key == "3"
    return False


@_selects_by_query(ATTN_0_3_VALUES, range(MAX_LEN))
def select_num_attn_1_2_predicate(key: str, query: int) -> bool:
    if query == 0:
        return key == "1"
    if query in {1, 2, 3}:
        return key == "0"
    if query == 6:
        return key == "4"
    if query == 7:
        return key == "3"
    return False


MLP_0_0_VALUES = {0, 4, 5, 7}


@_selects_by_query(VOCAB, MLP_0_0_VALUES)
def select_num_attn_1_3_predicate(key: str, query: int) -> bool:
    return key == "2"


# mlp_1_0 = MLP_1_0_TABLE[indices, attn_1_1], 2 where not listed
# fmt: off
MLP_1_0_TABLE = {
    (0, '0'): 6, (0, '1'): 6, (0, '2'): 6, (0, '</s>'): 3, (0, '<s>'): 3, (1, '0'): 0, (1, '1'): 0,
    (1, '2'): 0, (1, '4'): 3, (1, '</s>'): 3, (1, '<s>'): 3, (2, '0'): 6, (2, '1'): 6, (2, '2'): 6,
    (2, '3'): 6, (2, '4'): 6, (2, '</s>'): 3, (2, '<s>'): 3, (3, '0'): 6, (3, '1'): 6, (3, '2'): 6,
    (3, '3'): 6, (3, '4'): 6, (3, '</s>'): 3, (3, '<s>'): 3, (4, '0'): 6, (4, '1'): 6, (4, '2'): 6,
    (4, '4'): 3, (4, '</s>'): 3, (4, '<s>'): 3, (6, '0'): 3, (6, '1'): 3, (7, '0'): 0, (7, '1'): 0,
    (7, '2'): 6, (7, '</s>'): 3, (7, '<s>'): 3,
}
# fmt: on


# mlp_1_1 = MLP_1_1_TABLE[indices, attn_1_0], 0 where not listed
# fmt: off
MLP_1_1_TABLE = {
    (0, '<s>'): 1, (1, '0'): 1, (1, '1'): 1, (1, '2'): 1, (1, '3'): 1, (1, '4'): 1, (1, '</s>'): 1,
    (1, '<s>'): 1, (2, '0'): 6, (2, '</s>'): 6, (2, '<s>'): 1, (3, '0'): 6, (3, '<s>'): 1,
    (4, '0'): 6, (4, '</s>'): 6, (5, '0'): 1, (6, '0'): 1, (6, '1'): 1, (6, '</s>'): 1,
    (6, '<s>'): 1, (7, '0'): 6, (7, '<s>'): 1,
}
# fmt: on


# num_mlp_1_0 = NUM_MLP_1_0_TABLE[num_attn_1_2], 5 where not listed
# fmt: off
NUM_MLP_1_0_TABLE = {
    0: 1,
}
# fmt: on


# num_mlp_1_1 = NUM_MLP_1_1_TABLE[num_attn_1_2], 1 where not listed
# fmt: off
NUM_MLP_1_1_TABLE = {
    0: 5,
}
# fmt: on


NUM_MLP_1_1_VALUES = {1, 5}


@_selects_by_query(NUM_MLP_1_1_VALUES, MLP_0_0_VALUES)
def select_attn_2_0_predicate(key: int, query: int) -> bool:
    if query == 4:
        return key == 1
    return False


@_selects_by_query(MLP_0_1_VALUES, range(MAX_LEN))
def select_attn_2_1_predicate(key: int, query: int) -> bool:
    if query in {2, 3}:
        return key == 5
    if query == 6:
        return key == 7
    return False


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_2_2_predicate(key: int, query: int) -> bool:
    if query in {0, 5}:
        return key == 6
    if query == 1:
        return key == 2
    if query in {2, 3, 4, 7}:
        return key == 5
    if query == 6:
        return key == 7
    return False


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_2_3_predicate(key: int, query: int) -> bool:
    if query in {0, 2}:
        return key == 5
    if query == 1:
        return key == 2
    if query in {3, 4, 5}:
        return key == 1
    if query in {6, 7}:
        return key == 6
    return False


NUM_MLP_0_0_VALUES = {1, 7}


@_selects_by_query(VOCAB, NUM_MLP_0_0_VALUES)
def select_num_attn_2_0_predicate(key: str, query: int) -> bool:
    return key == "1"


ATTN_1_3_VALUES = {"0", "1", "2", "3", "4", "</s>", "<s>"}


@_selects_by_query(ATTN_1_3_VALUES, ATTN_1_3_VALUES)
def select_num_attn_2_1_predicate(key: str, query: str) -> bool:
    if query in {"0", "3"}:
        return key == "1"
    if query in {"1", "4"}:
        return key == "3"
    if query in {"</s>", "<s>"}:
        return key == "0"
    return False


@_selects_by_query(VOCAB, MLP_0_1_VALUES)
def select_num_attn_2_2_predicate(key: str, query: int) -> bool:
    if query == 2:
        return key == "1"
    if query == 5:
        return key == "4"
    if query == 7:
        return key == "</s>"
    return False


ATTN_1_1_VALUES = {"0", "1", "2", "3", "4", "</s>", "<s>"}


@_selects_by_query(VOCAB, ATTN_1_1_VALUES)
def select_num_attn_2_3_predicate(key: str, query: str) -> bool:
    if query in {"0", "1", "4"}:
        return key == "2"
    if query in {"3", "</s>", "<s>"}:
        return key == "0"
    return False


# mlp_2_0 = MLP_2_0_TABLE[mlp_0_0]
# fmt: off
MLP_2_0_TABLE = {
    0: 0, 4: 5, 5: 7, 7: 0,
}
# fmt: on


# mlp_2_1 = MLP_2_1_TABLE[attn_2_0, mlp_0_0], 1 where not listed
# fmt: off
MLP_2_1_TABLE = {
    ('0', 0): 7, ('0', 4): 5, ('0', 5): 5, ('0', 7): 5, ('1', 0): 7, ('1', 4): 2, ('1', 5): 7,
    ('2', 0): 7, ('2', 4): 5, ('3', 4): 5, ('4', 0): 7, ('4', 4): 5, ('</s>', 4): 5, ('<s>', 0): 7,
    ('<s>', 4): 5,
}
# fmt: on


# num_mlp_2_1 = NUM_MLP_2_1_TABLE[num_attn_2_1, num_attn_2_0], 4 where not listed
# fmt: off
NUM_MLP_2_1_TABLE = {
    (0, 0): 1,
}
# fmt: on


# readout: logits = READOUT_BIAS + the weight row of each categorical feature's value
# + each numerical feature times its weights; the prediction is the allowed class
# with the highest logit (the first one on ties)
READOUT_CLASSES = ("<pad>", "0", "1", "2", "3", "4")
READOUT_ALLOWED = (1, 2, 3, 4, 5)
# fmt: off
READOUT_BIAS = (-0.36606757901608944, -5.636249899864197, -2.2760539054870605, -0.5579420551657677, 1.9997132420539856, 4.471673667430878)
# fmt: on
# fmt: off
READOUT_WEIGHTS_TOKENS = {
    '0': (-0.31641337275505066, 3.135599374771118, 0.5560270547866821, -0.3610590398311615, -1.3319780826568604, -3.137690305709839),
    '1': (0.03837065026164055, 1.2054729461669922, 2.5312154293060303, 0.9579708576202393, -0.06984006613492966, -2.748516798019409),
    '2': (0.049909014254808426, -0.39564985036849976, -0.0066582150757312775, -0.13644693791866302, 0.16463108360767365, -0.38972246646881104),
    '3': (0.12399541586637497, -2.519477605819702, -0.7240160703659058, 0.20749816298484802, 2.364267349243164, 0.494485467672348),
    '4': (1.1179872751235962, -5.441051483154297, -3.256617307662964, -1.1188164949417114, 1.4615776538848877, 4.921343803405762),
    '</s>': (-0.05293525755405426, 0.1573338657617569, -0.819104790687561, 0.07941717654466629, -0.01784512773156166, -0.18780064582824707),
    '<s>': (0.7581748366355896, 0.16313903033733368, -0.05668105185031891, 0.4094349145889282, -0.4039442539215088, 0.3295055627822876),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_INDICES = {
    0: (-0.30980727076530457, 0.3951619565486908, -0.27042296528816223, -0.23642972111701965, -0.3802402913570404, -0.8053769469261169),
    1: (-0.4078664481639862, 5.1387224197387695, -0.13359376788139343, -5.2527971267700195, -6.2389726638793945, -3.0627615451812744),
    2: (-0.22599703073501587, 0.1036980077624321, 2.4471774101257324, 2.799076795578003, 0.34646666049957275, -4.701511859893799),
    3: (0.2337428480386734, -6.795013904571533, 1.6926581859588623, 2.6100704669952393, -1.0474861860275269, -2.05061674118042),
    4: (-0.30610087513923645, -3.622046947479248, -1.9120190143585205, 2.3088512420654297, 1.4113928079605103, 2.0743567943573),
    5: (0.23881904780864716, -3.4439635276794434, -2.7442452907562256, -0.5409332513809204, 2.832087516784668, 2.4133944511413574),
    6: (-0.38071325421333313, -3.6892333030700684, -2.590083599090576, -10.025862693786621, 1.5772278308868408, 5.560732841491699),
    7: (-0.7081067562103271, -0.5520111918449402, 0.24476087093353271, -0.16850300133228302, 0.16160617768764496, -0.5201393961906433),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_0 = {
    '0': (0.21787452697753906, -2.8450446128845215, 1.4981738328933716, 2.564471960067749, 0.7695907354354858, -3.1525840759277344),
    '1': (-0.1295499950647354, 3.494474411010742, 4.197055816650391, -4.711516380310059, -1.6504560708999634, -4.148827075958252),
    '2': (-0.5668327212333679, -0.1545705795288086, -1.1804379224777222, 0.3607342541217804, 0.5666857361793518, -0.1503465324640274),
    '3': (-0.2632247805595398, -0.7801167964935303, -0.807312548160553, 0.14387699961662292, 0.41533908247947693, 1.1528092622756958),
    '4': (-0.4602401852607727, -4.580536365509033, -3.6428465843200684, -0.07122523337602615, 1.0581612586975098, 5.458236217498779),
    '</s>': (-0.4337957203388214, -1.6330211162567139, -0.9624032378196716, -0.8159524202346802, 0.15521842241287231, 0.9360143542289734),
    '<s>': (-0.5512469410896301, 0.8005083203315735, -1.0519707202911377, -0.3287467658519745, 0.10337600111961365, -0.794725775718689),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_1 = {
    '0': (-0.6163888573646545, 0.22284600138664246, 0.9426174759864807, -0.4439765214920044, 0.09694370627403259, -0.6145873069763184),
    '1': (-0.023897651582956314, 1.463592529296875, 0.8569754362106323, 0.4806612730026245, -3.1885571479797363, -1.0529323816299438),
    '2': (0.24695269763469696, -4.831937313079834, -0.1942179948091507, 2.428253650665283, -0.16229698061943054, 0.1730698198080063),
    '3': (-0.07774584740400314, -3.0736303329467773, -1.997333288192749, 0.5824145674705505, 4.509568691253662, -1.2364110946655273),
    '4': (0.14919975399971008, -1.342264175415039, -1.1442581415176392, -2.2226221561431885, 0.7519575357437134, 2.963369369506836),
    '</s>': (0.01824001781642437, -0.2294023036956787, -0.3060816526412964, 0.43058332800865173, 0.721280038356781, 1.1011875867843628),
    '<s>': (-0.05888298898935318, 3.002828598022461, 0.37640437483787537, -1.1112290620803833, -2.0602848529815674, 0.979470431804657),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_2 = {
    '0': (-0.06347179412841797, 5.217096328735352, -0.858400285243988, -0.13797065615653992, -2.602290153503418, -1.434499740600586),
    '1': (0.748540461063385, 1.5761020183563232, 2.0307042598724365, 1.6507216691970825, -3.263659954071045, -2.4044857025146484),
    '2': (-0.18152692914009094, -0.3726424276828766, 0.2769392132759094, 0.08870984613895416, 0.3847307860851288, 0.7749063372612),
    '3': (0.0911327376961708, -3.8287832736968994, -1.0261396169662476, -0.7890148162841797, 4.075344562530518, -0.24948270618915558),
    '4': (1.0494539737701416, -9.287213325500488, -2.353729724884033, 0.4239490032196045, 2.286142587661743, 4.05449104309082),
    '</s>': (-0.594864547252655, -0.577008068561554, -0.49028584361076355, 0.26456212997436523, 0.9647071957588196, 1.6149572134017944),
    '<s>': (0.3371509909629822, -0.49856504797935486, 0.9172213077545166, -0.538771390914917, -1.8283873796463013, 1.4828118085861206),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_3 = {
    '0': (0.41494688391685486, -0.1262441873550415, -2.397548198699951, 1.445204257965088, 0.31340739130973816, 1.213966965675354),
    '1': (0.022445715963840485, 1.0085495710372925, 2.6980016231536865, -0.028320662677288055, -0.5668849349021912, -4.082038402557373),
    '2': (0.29913705587387085, -5.3438029289245605, -1.4225616455078125, 1.4433667659759521, 1.2321758270263672, 2.048085927963257),
    '3': (-0.32400989532470703, -2.5167367458343506, -1.9857966899871826, 2.6430439949035645, 2.170273542404175, -1.4729679822921753),
    '4': (-0.3482462465763092, 0.5654230713844299, -0.48465055227279663, -2.6593799591064453, -3.6494553089141846, 4.507656574249268),
    '</s>': (-0.357914537191391, -0.5585742592811584, -0.8357870578765869, -0.8477010726928711, 1.5071609020233154, 1.0958174467086792),
    '<s>': (-0.3878135085105896, 0.15811516344547272, 0.9538565874099731, -0.9298588633537292, -0.3806755840778351, -0.2103828340768814),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_0_0 = {
    0: (0.02143450267612934, -6.172942161560059, -0.10768721997737885, 1.8468348979949951, 1.1338491439819336, 0.44218263030052185),
    4: (-0.12020060420036316, 4.299442291259766, 2.4078848361968994, -0.047712020576000214, -2.23105525970459, -7.774687767028809),
    5: (0.4506209194660187, -5.173978328704834, 1.8275424242019653, 0.8668498396873474, 0.05672357603907585, -1.8018914461135864),
    7: (0.048660941421985626, -2.790181875228882, -7.858662128448486, -2.6991662979125977, 1.6957404613494873, 7.627408504486084),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_0_1 = {
    2: (0.3101675808429718, 7.101913928985596, 0.12479813396930695, -4.063666820526123, -4.281093120574951, -1.9241178035736084),
    5: (0.3354717493057251, -8.324230194091797, -3.0214500427246094, 0.4428580105304718, 2.2570247650146484, 4.173944473266602),
    7: (-0.4195561110973358, -5.224583625793457, 2.1344761848449707, 2.4237399101257324, 1.0133521556854248, -0.587986409664154),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_MLP_0_0 = {
    1: (0.671251118183136, -1.5924170017242432, -1.1475330591201782, 0.2613578140735626, 1.0184612274169922, 2.1671693325042725),
    7: (0.4481850266456604, 1.2493767738342285, 1.6812318563461304, -1.1875882148742676, -0.4228551983833313, -0.3545432388782501),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_0 = {
    '0': (0.3004756569862366, 1.0719698667526245, 0.6972358822822571, 0.2319105565547943, 0.18010202050209045, -2.709547281265259),
    '1': (0.16087283194065094, 1.6128830909729004, 2.6647486686706543, 0.41392993927001953, -0.787687361240387, -4.1283769607543945),
    '2': (0.024650437757372856, 1.1962084770202637, 0.4926256835460663, 0.027123799547553062, 0.10871380567550659, -0.45108988881111145),
    '3': (0.39118248224258423, -2.4453935623168945, -0.5093271732330322, 0.23454123735427856, 2.3990542888641357, 0.3180689513683319),
    '4': (-0.5500357151031494, -4.9340596199035645, -2.912292242050171, -1.188838243484497, 1.2325886487960815, 4.8118205070495605),
    '</s>': (-0.12680600583553314, -0.6463496088981628, -0.789348840713501, -1.0675381422042847, -0.011549604125320911, 2.899470806121826),
    '<s>': (-0.8290106058120728, -1.4216833114624023, -0.42038726806640625, -0.45526280999183655, 1.2237261533737183, 1.7708230018615723),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_1 = {
    '0': (-0.06375011801719666, -0.6032465100288391, -1.2683650255203247, 0.9590948820114136, 1.0702314376831055, 1.304113745689392),
    '1': (0.44653263688087463, 1.4436309337615967, 3.3772852420806885, -0.11752943694591522, -4.03741455078125, -5.355453014373779),
    '2': (0.07364514470100403, -0.43104463815689087, -0.022791491821408272, 0.3055216372013092, 0.8879469633102417, 0.9008808732032776),
    '3': (0.3956102430820465, -4.354642868041992, -4.543791770935059, -5.333858013153076, 6.178609848022461, 3.1199097633361816),
    '4': (-0.2530043125152588, -2.0666232109069824, -0.8952639698982239, 0.09589558839797974, 0.5598226189613342, 1.637010097503662),
    '</s>': (0.355572909116745, -1.8717068433761597, -0.45114290714263916, 1.471183180809021, -0.7841809391975403, 2.7940120697021484),
    '<s>': (0.2941872179508209, 1.1939064264297485, 0.47300517559051514, 2.611553192138672, -2.2186529636383057, -0.9254568219184875),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_2 = {
    '0': (-0.06987042725086212, 3.743481397628784, 1.9155514240264893, 0.5049579739570618, -2.4429519176483154, -5.351887226104736),
    '1': (0.13322412967681885, -0.10076037794351578, 2.637024402618408, 0.5963882803916931, -1.4788217544555664, -4.009281158447266),
    '2': (-0.17100617289543152, 0.46536165475845337, 1.535000205039978, 0.8437041640281677, -0.6998026371002197, -2.8589491844177246),
    '3': (0.2479858696460724, -3.3973751068115234, 0.9210184812545776, 1.271378993988037, 1.5851612091064453, -2.0623819828033447),
    '4': (0.15095652639865875, -5.205740451812744, -0.8440186381340027, 0.6608887314796448, 1.5257821083068848, 3.450450897216797),
    '</s>': (-0.2908763885498047, 1.7110352516174316, -4.3004469871521, -3.159276247024536, 0.2017921507358551, 6.373330593109131),
    '<s>': (-0.289754182100296, -4.514766216278076, -6.599092483520508, -2.609229326248169, 3.221041440963745, 9.765473365783691),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_3 = {
    '0': (0.2957150340080261, 0.21804682910442352, -0.8363361358642578, 0.5456090569496155, 0.9324038028717041, 0.12469267845153809),
    '1': (0.656438410282135, 0.09751873463392258, 1.3474147319793701, -1.4150190353393555, -0.6738393902778625, -1.2582927942276),
    '2': (0.4961640536785126, -1.3306829929351807, 1.1156615018844604, 1.275281310081482, 0.4319661557674408, 0.5610856413841248),
    '3': (-0.008761320263147354, -1.844038486480713, -1.1604305505752563, -1.0450239181518555, 1.4230334758758545, 1.7566030025482178),
    '4': (-0.3536636531352997, -1.4850492477416992, -1.064697504043579, -1.2788499593734741, -1.926306962966919, 4.39107608795166),
    '</s>': (-1.0794364213943481, -2.463420867919922, -0.8720559477806091, 1.1022541522979736, 0.5786238312721252, -0.17478689551353455),
    '<s>': (0.09891533106565475, 0.7599449157714844, -0.7643356919288635, 1.5331192016601562, 1.1145045757293701, -0.9985787868499756),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_1_0 = {
    0: (-0.2737174928188324, 3.1015684604644775, 2.5734033584594727, -2.024091958999634, -0.9553032517433167, -4.327638149261475),
    2: (-0.0026076107751578093, -3.349128007888794, -1.006007194519043, 1.7213000059127808, 0.39939311146736145, 0.16466647386550903),
    3: (-0.14196471869945526, -1.9432193040847778, -1.918734073638916, 0.2888956665992737, 0.7519273161888123, 0.7082276940345764),
    6: (0.39793115854263306, -1.9857656955718994, -0.1223878562450409, 2.992640972137451, -1.0428125858306885, -0.8689095973968506),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_1_1 = {
    0: (-0.0736573338508606, -5.051959991455078, -0.719253420829773, 0.6095942258834839, 1.6820640563964844, 2.088258743286133),
    1: (-0.09524912387132645, -0.866763710975647, 0.5526838898658752, 0.8258511424064636, -0.7809047102928162, -1.1241276264190674),
    6: (-0.9079774618148804, -0.5828698873519897, -0.17597784101963043, 0.1411002278327942, -0.022385496646165848, 1.3095934391021729),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_MLP_1_0 = {
    1: (-0.6681959629058838, -2.2638514041900635, -0.41850805282592773, -0.1948096603155136, 0.44875651597976685, 1.3082869052886963),
    5: (-0.25823208689689636, 1.6654378175735474, -0.487104594707489, -0.018003560602664948, 0.08615775406360626, -2.0712673664093018),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_MLP_1_1 = {
    1: (-0.008907499723136425, 0.01677834615111351, 1.6107438802719116, 0.16127096116542816, -0.9627853631973267, 0.713769257068634),
    5: (0.36137622594833374, -6.690083980560303, -1.6184476613998413, 0.7758718132972717, 2.874281644821167, 2.280719518661499),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_0 = {
    '0': (-0.26568686962127686, 1.251981258392334, 0.8325583934783936, -0.3342302739620209, -0.9390336871147156, 0.18660345673561096),
    '1': (-0.3253273069858551, 0.8070134520530701, 0.9152734875679016, 0.1278427094221115, -0.1845262199640274, -0.9281978011131287),
    '2': (-0.08411271125078201, 1.1009976863861084, 0.3459624648094177, 0.30436602234840393, -1.2642697095870972, -0.7451106905937195),
    '3': (0.1555047333240509, -1.0075620412826538, 0.01887929067015648, 0.6833181381225586, 1.1124876737594604, -1.5095170736312866),
    '4': (0.26464369893074036, -1.7582299709320068, -0.5102857351303101, 0.3635103106498718, 0.6356355547904968, 1.8297730684280396),
    '</s>': (-0.45286864042282104, -0.9592235684394836, -1.0294466018676758, -0.4689560830593109, 0.2177787572145462, 1.894479513168335),
    '<s>': (-0.48010241985321045, -2.622201681137085, -0.5608412027359009, -0.05316029489040375, 0.8989582657814026, 2.0515642166137695),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_1 = {
    '0': (0.06808939576148987, 1.9762295484542847, 0.6407630443572998, -0.3342336118221283, -1.0698782205581665, -2.5844368934631348),
    '1': (-0.2250584363937378, 0.016436394304037094, 1.0941057205200195, -0.5211755633354187, -0.337854266166687, -0.4332211911678314),
    '2': (-0.05105103552341461, 0.635266125202179, 0.36075833439826965, -0.1922491192817688, 0.2988949418067932, 0.6158209443092346),
    '3': (-0.06669626384973526, -2.1055684089660645, -0.22610537707805634, 0.11412832885980606, 1.8210422992706299, 0.8454936742782593),
    '4': (-0.8154807686805725, -5.045356273651123, -2.290032148361206, -0.9072492718696594, 1.19575834274292, 4.336156845092773),
    '</s>': (-0.4830138683319092, -0.6408848166465759, -2.3312430381774902, -0.49626970291137695, 1.039505124092102, 3.0195093154907227),
    '<s>': (-0.5246300101280212, 1.1754977703094482, 0.7369858026504517, 2.7368528842926025, 1.2211419343948364, -4.2266082763671875),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_2 = {
    '0': (0.016855839639902115, 3.888720750808716, 1.3226139545440674, 0.3645418584346771, -1.4576951265335083, -6.3943047523498535),
    '1': (0.534767210483551, 2.9926838874816895, 2.0739402770996094, 0.7396695017814636, -0.8021349310874939, -5.982594966888428),
    '2': (0.17444171011447906, 0.8128334283828735, 1.551560640335083, 1.356787919998169, 0.41591402888298035, -2.606337547302246),
    '3': (-0.21932688355445862, -1.455788016319275, 0.45208287239074707, 1.1301445960998535, 1.7048866748809814, -2.805786371231079),
    '4': (-0.0656212866306305, -3.118377685546875, -0.9387252926826477, 0.5388922691345215, 1.5709644556045532, 1.1901800632476807),
    '</s>': (0.6513088941574097, -6.794515609741211, -4.694035530090332, -2.9409005641937256, 1.66122305393219, 10.97839641571045),
    '<s>': (0.39678990840911865, -5.862188339233398, -3.556725025177002, -0.539327085018158, 1.5133445262908936, 7.478495121002197),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_3 = {
    '0': (0.2125108689069748, 3.8026516437530518, 0.4903275966644287, 0.008280888199806213, -1.2834601402282715, -3.9729645252227783),
    '1': (0.5800451636314392, 0.031110074371099472, 1.9621670246124268, 0.6709091663360596, -0.4078711271286011, -2.2087438106536865),
    '2': (-0.059053804725408554, 0.22094102203845978, -0.26685968041419983, 0.21933263540267944, 0.47573500871658325, 0.718726396560669),
    '3': (-0.2152155190706253, -2.7111003398895264, -1.1293271780014038, 0.3910585343837738, 2.4778053760528564, 0.9739036560058594),
    '4': (-0.2531876564025879, -4.858576774597168, -2.8824410438537598, -0.7972763180732727, 1.4241743087768555, 4.566126823425293),
    '</s>': (0.0281289704144001, 2.6534578800201416, -1.4133927822113037, -0.325867623090744, -0.17674364149570465, 0.4326260983943939),
    '<s>': (0.5210214257240295, -4.5151567459106445, 0.7216188907623291, 0.7433245778083801, 0.9504096508026123, 1.5153536796569824),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_2_0 = {
    0: (-0.30598604679107666, -4.7441534996032715, -2.195909261703491, -0.7966777086257935, 1.7363914251327515, 4.730924129486084),
    5: (0.21727952361106873, 3.401974678039551, 1.595813274383545, 0.055152829736471176, -0.5669362545013428, -6.4362688064575195),
    7: (-0.045794691890478134, -3.641585111618042, -0.6722978353500366, 0.30615609884262085, 1.3105095624923706, 2.1469886302948),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_2_1 = {
    1: (0.10125546157360077, -2.956089973449707, -2.3082759380340576, -0.6382112503051758, 1.2765939235687256, 3.4523839950561523),
    2: (-0.04921797662973404, 0.29944828152656555, 1.0884878635406494, 0.5031899809837341, 0.6642276644706726, -0.2306094914674759),
    5: (-0.35726314783096313, 0.025330478325486183, -0.5438761115074158, -0.6709573864936829, -0.09293442964553833, 0.01343562826514244),
    7: (-0.49665185809135437, -2.339932918548584, -0.23214314877986908, 0.5812954902648926, 1.27215576171875, 0.8343375325202942),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_MLP_2_1 = {
    1: (-0.20115454494953156, 0.2402047961950302, -0.011152651160955429, 0.41450053453445435, -0.08380990475416183, 0.126143679022789),
    4: (0.5196326971054077, -0.6008949875831604, 0.8626983761787415, 0.14393948018550873, 0.16919845342636108, -0.32288089394569397),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_0 = (-0.24817442893981934, 4.197792053222656, 5.787892818450928, -2.7224295139312744, -5.6374735832214355, -2.8506247997283936)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_1 = (-0.2981659770011902, -2.6392905712127686, -0.5312671661376953, 2.0296294689178467, 2.9680776596069336, -2.0111236572265625)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_2 = (0.2797536253929138, -1.6978063583374023, 4.956254482269287, 1.5150033235549927, -1.645943284034729, -5.798793315887451)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_3 = (0.17009463906288147, -3.119753360748291, -4.802337646484375, -0.7491207718849182, 8.04580020904541, 0.4410783350467682)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_0 = (0.04327210411429405, 5.277245044708252, 0.5308531522750854, -0.2004474252462387, -1.7888399362564087, -5.102823734283447)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_1 = (-0.07967959344387054, 3.7084431648254395, 2.1196324825286865, -0.373534232378006, -2.5895442962646484, -4.46856689453125)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_2 = (-0.36641767621040344, 5.228209495544434, 1.9016087055206299, -2.657935619354248, -4.167936325073242, -2.5986874103546143)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_3 = (-1.147278070449829, -1.0258008241653442, -0.633155107498169, 7.504490375518799, -2.197007179260254, -6.32767915725708)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_0 = (-0.824601948261261, 0.3758999705314636, 0.5509121417999268, 0.37284600734710693, -0.1720454841852188, -1.0946565866470337)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_1 = (0.8692336678504944, 0.08499199151992798, 1.0598505735397339, 0.34717822074890137, 0.13553936779499054, -0.3351353108882904)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_2 = (0.1604955494403839, -4.596472263336182, -6.291588306427002, -3.878314256668091, 1.3273099660873413, 11.709689140319824)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_3 = (-0.05826514586806297, 0.2795305848121643, 0.1385536938905716, -0.007546077016741037, -0.28124597668647766, -0.8864210247993469)
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
    ones = [1] * n
    # select_attn_0_0[i][j] = select_attn_0_0_predicate(tokens[j], indices[i])
    select_attn_0_0 = _select(tokens, indices, select_attn_0_0_predicate)
    attn_0_0 = _closest(select_attn_0_0, tokens)
    # select_attn_0_1[i][j] = select_attn_0_1_predicate(tokens[j], indices[i])
    select_attn_0_1 = _select(tokens, indices, select_attn_0_1_predicate)
    attn_0_1 = _closest(select_attn_0_1, tokens)
    # select_attn_0_2[i][j] = select_attn_0_2_predicate(tokens[j], indices[i])
    select_attn_0_2 = _select(tokens, indices, select_attn_0_2_predicate)
    attn_0_2 = _closest(select_attn_0_2, tokens)
    # select_attn_0_3[i][j] = select_attn_0_3_predicate(tokens[j], indices[i])
    select_attn_0_3 = _select(tokens, indices, select_attn_0_3_predicate)
    attn_0_3 = _closest(select_attn_0_3, tokens)
    # select_num_attn_0_0[i][j] = select_num_attn_0_0_predicate(tokens[j], indices[i])
    select_num_attn_0_0 = _select(tokens, indices, select_num_attn_0_0_predicate)
    num_attn_0_0 = _sum(select_num_attn_0_0, ones)
    # select_num_attn_0_1[i][j] = select_num_attn_0_1_predicate(tokens[j], indices[i])
    select_num_attn_0_1 = _select(tokens, indices, select_num_attn_0_1_predicate)
    num_attn_0_1 = _sum(select_num_attn_0_1, ones)
    # select_num_attn_0_2[i][j] = select_num_attn_0_2_predicate(tokens[j], indices[i])
    select_num_attn_0_2 = _select(tokens, indices, select_num_attn_0_2_predicate)
    num_attn_0_2 = _sum(select_num_attn_0_2, ones)
    # select_num_attn_0_3[i][j] = select_num_attn_0_3_predicate(tokens[j], indices[i])
    select_num_attn_0_3 = _select(tokens, indices, select_num_attn_0_3_predicate)
    num_attn_0_3 = _sum(select_num_attn_0_3, ones)
    mlp_0_0 = [MLP_0_0_TABLE.get((x, y), 5) for x, y in zip(indices, attn_0_0)]
    mlp_0_1 = [MLP_0_1_TABLE[x] for x in indices]
    num_mlp_0_0 = [NUM_MLP_0_0_TABLE[x] for x in num_attn_0_2]
    # select_attn_1_0[i][j] = select_attn_1_0_predicate(indices[j], indices[i])
    select_attn_1_0 = _select(indices, indices, select_attn_1_0_predicate)
    attn_1_0 = _closest(select_attn_1_0, tokens)
    # select_attn_1_1[i][j] = select_attn_1_1_predicate(tokens[j], indices[i])
    select_attn_1_1 = _select(tokens, indices, select_attn_1_1_predicate)
    attn_1_1 = _closest(select_attn_1_1, tokens)
    # select_attn_1_2[i][j] = select_attn_1_2_predicate(indices[j], mlp_0_1[i])
    select_attn_1_2 = _select(indices, mlp_0_1, select_attn_1_2_predicate)
    attn_1_2 = _closest(select_attn_1_2, tokens)
    # select_attn_1_3[i][j] = select_attn_1_3_predicate(tokens[j], indices[i])
    select_attn_1_3 = _select(tokens, indices, select_attn_1_3_predicate)
    attn_1_3 = _closest(select_attn_1_3, tokens)
    # select_num_attn_1_0[i][j] = select_num_attn_1_0_predicate(attn_0_0[j], indices[i])
    select_num_attn_1_0 = _select(attn_0_0, indices, select_num_attn_1_0_predicate)
    num_attn_1_0 = _sum(select_num_attn_1_0, num_attn_0_0)
    # select_num_attn_1_1[i][j] = select_num_attn_1_1_predicate(attn_0_3[j], indices[i])
    select_num_attn_1_1 = _select(attn_0_3, indices, select_num_attn_1_1_predicate)
    num_attn_1_1 = _sum(select_num_attn_1_1, num_attn_0_2)
    # select_num_attn_1_2[i][j] = select_num_attn_1_2_predicate(attn_0_3[j], indices[i])
    select_num_attn_1_2 = _select(attn_0_3, indices, select_num_attn_1_2_predicate)
    num_attn_1_2 = _sum(select_num_attn_1_2, num_attn_0_2)
    # select_num_attn_1_3[i][j] = select_num_attn_1_3_predicate(tokens[j], mlp_0_0[i])
    select_num_attn_1_3 = _select(tokens, mlp_0_0, select_num_attn_1_3_predicate)
    num_attn_1_3 = _sum(select_num_attn_1_3, ones)
    mlp_1_0 = [MLP_1_0_TABLE.get((x, y), 2) for x, y in zip(indices, attn_1_1)]
    mlp_1_1 = [MLP_1_1_TABLE.get((x, y), 0) for x, y in zip(indices, attn_1_0)]
    num_mlp_1_0 = [NUM_MLP_1_0_TABLE.get(x, 5) for x in num_attn_1_2]
    num_mlp_1_1 = [NUM_MLP_1_1_TABLE.get(x, 1) for x in num_attn_1_2]
    # select_attn_2_0[i][j] = select_attn_2_0_predicate(num_mlp_1_1[j], mlp_0_0[i])
    select_attn_2_0 = _select(num_mlp_1_1, mlp_0_0, select_attn_2_0_predicate)
    attn_2_0 = _closest(select_attn_2_0, tokens)
    # select_attn_2_1[i][j] = select_attn_2_1_predicate(mlp_0_1[j], indices[i])
    select_attn_2_1 = _select(mlp_0_1, indices, select_attn_2_1_predicate)
    attn_2_1 = _closest(select_attn_2_1, attn_1_2)
    # select_attn_2_2[i][j] = select_attn_2_2_predicate(indices[j], indices[i])
    select_attn_2_2 = _select(indices, indices, select_attn_2_2_predicate)
    attn_2_2 = _closest(select_attn_2_2, tokens)
    # select_attn_2_3[i][j] = select_attn_2_3_predicate(indices[j], indices[i])
    select_attn_2_3 = _select(indices, indices, select_attn_2_3_predicate)
    attn_2_3 = _closest(select_attn_2_3, tokens)
    # select_num_attn_2_0[i][j] = select_num_attn_2_0_predicate(tokens[j], num_mlp_0_0[i])
    select_num_attn_2_0 = _select(tokens, num_mlp_0_0, select_num_attn_2_0_predicate)
    num_attn_2_0 = _sum(select_num_attn_2_0, num_attn_1_1)
    # select_num_attn_2_1[i][j] = select_num_attn_2_1_predicate(attn_1_3[j], attn_1_3[i])
    select_num_attn_2_1 = _select(attn_1_3, attn_1_3, select_num_attn_2_1_predicate)
    num_attn_2_1 = _sum(select_num_attn_2_1, num_attn_0_2)
    # select_num_attn_2_2[i][j] = select_num_attn_2_2_predicate(tokens[j], mlp_0_1[i])
    select_num_attn_2_2 = _select(tokens, mlp_0_1, select_num_attn_2_2_predicate)
    num_attn_2_2 = _sum(select_num_attn_2_2, ones)
    # select_num_attn_2_3[i][j] = select_num_attn_2_3_predicate(tokens[j], attn_1_1[i])
    select_num_attn_2_3 = _select(tokens, attn_1_1, select_num_attn_2_3_predicate)
    num_attn_2_3 = _sum(select_num_attn_2_3, num_attn_1_1)
    mlp_2_0 = [MLP_2_0_TABLE[x] for x in mlp_0_0]
    mlp_2_1 = [MLP_2_1_TABLE.get((x, y), 1) for x, y in zip(attn_2_0, mlp_0_0)]
    num_mlp_2_1 = [
        NUM_MLP_2_1_TABLE.get((x, y), 4) for x, y in zip(num_attn_2_1, num_attn_2_0)
    ]
    # readout_logits[i] = READOUT_BIAS + each feature's weights at position i, in this order
    # fmt: off
    readout_logits = _logits(
        READOUT_BIAS,
        [
            tokens, indices, attn_0_0, attn_0_1, attn_0_2, attn_0_3, mlp_0_0, mlp_0_1,
            num_mlp_0_0, attn_1_0, attn_1_1, attn_1_2, attn_1_3, mlp_1_0, mlp_1_1,
            num_mlp_1_0, num_mlp_1_1, attn_2_0, attn_2_1, attn_2_2, attn_2_3, mlp_2_0,
            mlp_2_1, num_mlp_2_1, num_attn_0_0, num_attn_0_1, num_attn_0_2, num_attn_0_3,
            num_attn_1_0, num_attn_1_1, num_attn_1_2, num_attn_1_3, num_attn_2_0,
            num_attn_2_1, num_attn_2_2, num_attn_2_3,
        ],
        [
            READOUT_WEIGHTS_TOKENS, READOUT_WEIGHTS_INDICES, READOUT_WEIGHTS_ATTN_0_0,
            READOUT_WEIGHTS_ATTN_0_1, READOUT_WEIGHTS_ATTN_0_2, READOUT_WEIGHTS_ATTN_0_3,
            READOUT_WEIGHTS_MLP_0_0, READOUT_WEIGHTS_MLP_0_1, READOUT_WEIGHTS_NUM_MLP_0_0,
            READOUT_WEIGHTS_ATTN_1_0, READOUT_WEIGHTS_ATTN_1_1, READOUT_WEIGHTS_ATTN_1_2,
            READOUT_WEIGHTS_ATTN_1_3, READOUT_WEIGHTS_MLP_1_0, READOUT_WEIGHTS_MLP_1_1,
            READOUT_WEIGHTS_NUM_MLP_1_0, READOUT_WEIGHTS_NUM_MLP_1_1,
            READOUT_WEIGHTS_ATTN_2_0, READOUT_WEIGHTS_ATTN_2_1, READOUT_WEIGHTS_ATTN_2_2,
            READOUT_WEIGHTS_ATTN_2_3, READOUT_WEIGHTS_MLP_2_0, READOUT_WEIGHTS_MLP_2_1,
            READOUT_WEIGHTS_NUM_MLP_2_1, READOUT_WEIGHTS_NUM_ATTN_0_0,
            READOUT_WEIGHTS_NUM_ATTN_0_1, READOUT_WEIGHTS_NUM_ATTN_0_2,
            READOUT_WEIGHTS_NUM_ATTN_0_3, READOUT_WEIGHTS_NUM_ATTN_1_0,
            READOUT_WEIGHTS_NUM_ATTN_1_1, READOUT_WEIGHTS_NUM_ATTN_1_2,
            READOUT_WEIGHTS_NUM_ATTN_1_3, READOUT_WEIGHTS_NUM_ATTN_2_0,
            READOUT_WEIGHTS_NUM_ATTN_2_1, READOUT_WEIGHTS_NUM_ATTN_2_2,
            READOUT_WEIGHTS_NUM_ATTN_2_3,
        ],
    )
    # fmt: on
    readout = [READOUT_CLASSES[_argmax(row, READOUT_ALLOWED)] for row in readout_logits]
    return readout


def run_batch(batch: list[list[str]]) -> list[list]:
    """`run` on each input of `batch`."""
    return [run(tokens) for tokens in batch]
