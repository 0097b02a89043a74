"""dyck1: emitted by tpc's Python back end from the program's IR.

Task: dyck1 (k = 16, N = 16).
Model: 3 layers, 4+4 heads and 1+1 MLPs (categorical+numerical), d_var 16, causal.
Discrete model accuracy: train 99.08%, val 99.17%, test 99.12% (epoch 180).
Produced by: tpc lower, tpc opt -O3.
Exact on the scored positions of every dyck1 input (k = 16, N = 16); BOS/EOS outputs are free.

Vocabulary (3): '<s>', '(', ')'
Maximum length: 16 (counting BOS '<s>': include them in the input)
Output: node `readout` (readout, values {'<pad>', 'F', 'P', 'T'})

Usage: run(tokens) gives one output per position; run_batch(inputs) maps run.
    run(['<s>', '('])
Needs only the standard library. Generated code: edit the IR, not this file.
"""

VOCAB = ("<s>", "(", ")")
MAX_LEN = 16
BOS = "<s>"
EOS = None


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


def _causal(selector):
    """The selector with query i keeping only keys j <= i."""
    return [
        row[: i + 1] + [False] * (len(row) - i - 1) for i, row in enumerate(selector)
    ]


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


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_0_predicate(key: int, query: int) -> bool:
    if query in {0, 6}:
        return key == 5
    if query in {1, 12}:
        return key == 1
    if query in {2, 11, 14}:
        return key == 13
    if query == 3:
        return key == 8
    if query == 4:
        return key == 2
    if query == 5:
        return key == 15
    if query in {7, 8, 9}:
        return key == 4
    if query == 10:
        return key == 7
    if query == 13:
        return key == 14
    if query == 15:
        return key == 12
    return False


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_1_predicate(key: int, query: int) -> bool:
    if query == 0:
        return key == 2
    if query in {1, 10}:
        return key == 1
    if query in {2, 13}:
        return key == 13
    if query == 3:
        return key == 8
    if query == 4:
        return key == 3
    if query in {5, 12}:
        return key == 9
    if query in {6, 7, 8, 9, 11}:
        return key == 4
    if query in {14, 15}:
        return key == 11
    return False


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_2_predicate(key: int, query: int) -> bool:
    if query in {0, 9}:
        return key == 8
    if query in {1, 2}:
        return key == 1
    if query in {3, 6}:
        return key == 4
    if query == 4:
        return key == 3
    if query == 5:
        return key == 13
    if query in {7, 13, 15}:
        return key == 12
    if query == 8:
        return key == 7
    if query == 10:
        return key == 9
    if query in {11, 14}:
        return key == 10
    if query == 12:
        return key == 11
    return False


@_selects_by_query(range(MAX_LEN), VOCAB)
def select_attn_0_3_predicate(key: int, query: str) -> bool:
    if query in {"(", "<s>"}:
        return key == 1
    if query == ")":
        return key == 10
    return False


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_num_attn_0_0_predicate(key: int, query: int) -> bool:
    if query in {0, 4, 5, 6}:
        return key == 3
    if query in {1, 8, 12}:
        return key == 14
    if query == 2:
        return key == 4
    if query in {3, 10}:
        return key == 15
    if query == 7:
        return key == 0
    if query in {9, 14, 15}:
        return key == 1
    if query == 11:
        return key == 13
    if query == 13:
        return key == 11
    return False


@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_0_1_predicate(key: str, query: int) -> bool:
    if query in {1, 3, 5, 7, 9, 11}:
        return key == ")"
    if query in {2, 13, 15}:
        return key == "<s>"
    return False


@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_0_2_predicate(key: str, query: int) -> bool:
    if query in {1, 3, 4, 5, 6, 8, 10}:
        return key == ")"
    if query in {2, 12}:
        return key == "<s>"
    return False


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_num_attn_0_3_predicate(key: int, query: int) -> bool:
    if query in {0, 2, 10}:
        return key == 4
    if query in {1, 7, 13, 14}:
        return key == 15
    if query == 3:
        return key == 6
    if query == 4:
        return key == 7
    if query == 5:
        return key == 2
    if query == 6:
        return key == 0
    if query in {8, 11}:
        return key == 12
    if query in {9, 12, 15}:
        return key == 14
    return False


# mlp_0_0 = MLP_0_0_TABLE[attn_0_3, attn_0_2]
# fmt: off
MLP_0_0_TABLE = {
    ('(', '('): 12, ('(', ')'): 12, ('(', '<s>'): 12, (')', '('): 12, (')', ')'): 3,
    (')', '<s>'): 3, ('<s>', '('): 6, ('<s>', ')'): 3, ('<s>', '<s>'): 3,
}
# fmt: on


MLP_0_0_VALUES = {3, 6, 12}


@_selects_by_query(range(MAX_LEN), MLP_0_0_VALUES)
def select_attn_1_0_predicate(key: int, query: int) -> bool:
    if query == 3:
        return key == 12
    if query == 6:
        return key == 1
    if query == 12:
        return key == 13
    return False


@_selects_by_query(range(MAX_LEN), VOCAB)
def select_attn_1_1_predicate(key: int, query: str) -> bool:
    if query == "(":
        return key == 1
    if query == ")":
        return key == 2
    if query == "<s>":
        return key == 3
    return False


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_1_2_predicate(key: int, query: int) -> bool:
    if query in {0, 15}:
        return key == 14
    if query in {1, 2, 11}:
        return key == 1
    if query == 3:
        return key == 2
    if query in {4, 5}:
        return key == 3
    if query == 6:
        return key == 4
    if query in {7, 8, 9}:
        return key == 5
    if query == 10:
        return key == 8
    if query == 12:
        return key == 10
    if query in {13, 14}:
        return key == 12
    return False


@_selects_by_query(range(MAX_LEN), VOCAB)
def select_attn_1_3_predicate(key: int, query: str) -> bool:
    if query == "(":
        return key == 1
    if query == ")":
        return key == 12
    if query == "<s>":
        return key == 2
    return False


ATTN_0_0_VALUES = {"(", ")", "<s>"}


@_selects_by_query(ATTN_0_0_VALUES, ATTN_0_0_VALUES)
def select_num_attn_1_0_predicate(key: str, query: str) -> bool:
    if query in {"(", "<s>"}:
        return key == ")"
    return False


NUM_MLP_0_0_VALUES = {1}


@_selects_by_query(ATTN_0_0_VALUES, NUM_MLP_0_0_VALUES)
def select_num_attn_1_1_predicate(key: str, query: int) -> bool:
    return key == ")"


@_selects_by_query(MLP_0_0_VALUES, NUM_MLP_0_0_VALUES)
def select_num_attn_1_3_predicate(key: int, query: int) -> bool:
    return key == 3


# mlp_1_0 = MLP_1_0_TABLE[attn_1_2]
# fmt: off
MLP_1_0_TABLE = {
    '(': 9, ')': 3, '<s>': 3,
}
# fmt: on


@_selects_by_query(range(MAX_LEN), VOCAB)
def select_attn_2_0_predicate(key: int, query: str) -> bool:
    if query in {"(", ")"}:
        return key == 2
    if query == "<s>":
        return key == 3
    return False


ATTN_0_1_VALUES = {"(", ")", "<s>"}


@_selects_by_query(range(MAX_LEN), ATTN_0_1_VALUES)
def select_attn_2_1_predicate(key: int, query: str) -> bool:
    if query in {"(", ")"}:
        return key == 3
    if query == "<s>":
        return key == 1
    return False


@_selects_by_query(range(MAX_LEN), MLP_0_0_VALUES)
def select_attn_2_2_predicate(key: int, query: int) -> bool:
    if query == 3:
        return key == 6
    if query in {6, 12}:
        return key == 5
    return False


@_selects_by_query(range(MAX_LEN), VOCAB)
def select_attn_2_3_predicate(key: int, query: str) -> bool:
    return key == 3


MLP_1_0_VALUES = {3, 9}


@_selects_by_query(VOCAB, MLP_1_0_VALUES)
def select_num_attn_2_2_predicate(key: str, query: int) -> bool:
    if query == 3:
        return key == "("
    return False


ATTN_1_2_VALUES = {"(", ")", "<s>"}


@_selects_by_query(VOCAB, ATTN_1_2_VALUES)
def select_num_attn_2_3_predicate(key: str, query: str) -> bool:
    if query in {"(", "<s>"}:
        return key == "("
    return False


# mlp_2_0 = MLP_2_0_TABLE[attn_2_2, attn_2_3]
# fmt: off
MLP_2_0_TABLE = {
    ('(', '('): 14, ('(', ')'): 3, ('(', '<s>'): 3, (')', '('): 3, (')', ')'): 3, (')', '<s>'): 3,
    ('<s>', '('): 14, ('<s>', ')'): 3, ('<s>', '<s>'): 10,
}
# fmt: on


# num_mlp_2_0 = NUM_MLP_2_0_TABLE[num_attn_2_3], 15 where not listed
# fmt: off
NUM_MLP_2_0_TABLE = {
    0: 14,
}
# fmt: on


# readout: logits = READOUT_BIAS + the weight row of each categorical feature's value
# + each numerical feature times its weights; the prediction is the allowed class
# with the highest logit (the first one on ties)
READOUT_CLASSES = ("<pad>", "F", "P", "T")
READOUT_ALLOWED = (1, 2, 3)
# fmt: off
READOUT_BIAS = (-0.9010560065507889, 0.04957370460033417, 1.9484841357916594, -0.8099866472184658)
# fmt: on
# fmt: off
READOUT_WEIGHTS_TOKENS = {
    '(': (0.4043691158294678, 0.9764648079872131, -0.3359232246875763, -9.365992546081543),
    ')': (0.16222433745861053, -0.8888929486274719, 0.8309445381164551, 3.8850340843200684),
    '<s>': (0.2828705906867981, -0.29696476459503174, -0.7485880255699158, 0.5845303535461426),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_INDICES = {
    0: (-0.09291260689496994, 0.8220622539520264, 0.12649500370025635, 0.09066330641508102),
    1: (-0.48010706901550293, -1.3711159229278564, 1.728732705116272, -3.5236504077911377),
    2: (0.3050423562526703, -2.8687491416931152, -1.640883207321167, 5.456022262573242),
    3: (-0.2905425727367401, -2.598735809326172, 3.607814311981201, -6.4676432609558105),
    4: (-0.509552001953125, -3.0107033252716064, 1.6656874418258667, 3.1616358757019043),
    5: (0.1549578458070755, -4.864737510681152, 6.0737762451171875, -9.398184776306152),
    6: (-0.21692714095115662, -3.0918493270874023, 4.047266006469727, 0.3039284944534302),
    7: (-1.3353660106658936, 2.635622501373291, -1.3783795833587646, -5.298104763031006),
    8: (1.046187162399292, -4.119102478027344, 6.249226093292236, -1.7272202968597412),
    9: (-0.4859005808830261, 0.9151491522789001, 0.5385729074478149, -4.467141628265381),
    10: (0.43002623319625854, -6.331765174865723, 9.484373092651367, -2.9744956493377686),
    11: (-0.12139125168323517, 0.23305675387382507, 0.20975631475448608, -2.866276264190674),
    12: (0.3490467667579651, 2.103933811187744, -2.061647891998291, 3.4748525619506836),
    13: (0.12302457541227341, 3.785679817199707, -3.3707449436187744, -6.244126796722412),
    14: (-0.6119471788406372, 5.457651615142822, -7.117857933044434, 3.619462728500366),
    15: (-0.12048313021659851, 6.157840728759766, -5.622117042541504, -6.887853145599365),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_0 = {
    '(': (-0.003965912386775017, -0.8376902937889099, 0.029575727880001068, -0.5006096363067627),
    ')': (0.3572150468826294, 0.9191221594810486, -0.5115963816642761, -0.4569145143032074),
    '<s>': (-0.263343870639801, 0.4898807406425476, -0.09890277683734894, -0.22018079459667206),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_1 = {
    '(': (0.3028130829334259, -0.18810658156871796, 0.2897948622703552, -0.2731214165687561),
    ')': (-0.16348837316036224, 0.8649240136146545, 0.1261071115732193, 0.5004833340644836),
    '<s>': (0.22613617777824402, 0.9386799335479736, -0.3580586910247803, -0.4859725832939148),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_2 = {
    '(': (-0.3237951993942261, 0.2314835786819458, 0.4885517656803131, -1.1049330234527588),
    ')': (0.33253827691078186, -0.9745815396308899, -0.17928941547870636, 0.6356691122055054),
    '<s>': (0.04225895553827286, -0.8332809209823608, 1.2475849390029907, 0.6500276923179626),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_3 = {
    '(': (0.5032416582107544, 0.5465974807739258, 0.40904736518859863, -0.8508009314537048),
    ')': (-0.3374781906604767, -0.19654300808906555, -0.6112853288650513, 0.01020403765141964),
    '<s>': (-0.42913618683815, 0.30018824338912964, -0.6061238050460815, 0.27339741587638855),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_0_0 = {
    3: (0.05917082354426384, 0.49602261185646057, 0.6797624826431274, -1.0570509433746338),
    6: (-0.006701348349452019, -1.091702938079834, 1.6080735921859741, 0.18845641613006592),
    12: (0.5974779725074768, -0.629966139793396, -0.47044631838798523, 0.38866496086120605),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_0 = {
    '(': (0.09023986756801605, 0.5318701267242432, 0.6854588389396667, 0.7849845290184021),
    ')': (0.013558012433350086, -0.40858444571495056, -0.1315518617630005, 0.2536050081253052),
    '<s>': (0.1159428060054779, 0.016891663894057274, 0.7593379020690918, -0.30631953477859497),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_1 = {
    '(': (0.4661683142185211, -0.2382194697856903, 0.5382051467895508, -0.966156005859375),
    ')': (-0.4497101604938507, -0.9270259737968445, 0.16660314798355103, 0.2423853874206543),
    '<s>': (-0.2691575586795807, 1.31101393699646, -0.8506460785865784, -0.6403008103370667),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_2 = {
    '(': (0.46770167350769043, -0.22351014614105225, 0.8530181646347046, 1.4377281665802002),
    ')': (0.09471479803323746, -0.22364085912704468, 0.17529024183750153, -1.6191577911376953),
    '<s>': (0.613593578338623, -0.47009363770484924, -0.6166620850563049, 0.24957795441150665),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_3 = {
    '(': (-0.31570708751678467, -0.9113534092903137, 1.3861736059188843, 0.16738054156303406),
    ')': (0.4316069185733795, 1.162371277809143, -0.7029772400856018, -0.5980300903320312),
    '<s>': (-0.2017795294523239, 0.2348693609237671, 1.048795223236084, -0.2126440554857254),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_1_0 = {
    3: (0.15264876186847687, 0.9269124865531921, -0.9351337552070618, -0.5439363121986389),
    9: (-0.6254574060440063, -0.9855201244354248, 1.3960778713226318, -0.2820737957954407),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_0 = {
    '(': (-0.6459192037582397, -1.9453047513961792, 2.2605502605438232, 0.8278824090957642),
    ')': (-0.025845550000667572, 2.2848403453826904, -1.9356719255447388, -2.63907790184021),
    '<s>': (-0.33231106400489807, 0.47958216071128845, 0.5984825491905212, 0.044871896505355835),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_1 = {
    '(': (-0.670892596244812, -1.3160977363586426, 2.624175548553467, 1.504158616065979),
    ')': (-0.39668938517570496, 1.2859002351760864, -0.9388484358787537, -2.3808047771453857),
    '<s>': (0.5061132311820984, 1.670213222503662, -1.6484836339950562, -0.5538448691368103),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_2 = {
    '(': (0.7917979955673218, -1.43522310256958, 1.8568410873413086, 0.6555512547492981),
    ')': (0.031874168664216995, 2.102557897567749, -3.6030666828155518, -1.9134010076522827),
    '<s>': (0.4549538493156433, 0.2632301151752472, -0.19908581674098969, -0.9385896325111389),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_3 = {
    '(': (-0.06357189267873764, -1.7815005779266357, 1.87444007396698, -0.1454792469739914),
    ')': (0.38439276814460754, 4.970130443572998, -5.655126094818115, -1.822419285774231),
    '<s>': (0.247909277677536, -0.9822314381599426, 1.0772517919540405, -0.19669876992702484),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_2_0 = {
    3: (0.11624838411808014, 2.7889389991760254, -2.450509786605835, 0.008034687489271164),
    10: (0.30483248829841614, 0.045247673988342285, -0.08947403728961945, -0.38164281845092773),
    14: (0.634669840335846, -2.1287951469421387, 2.718576431274414, 1.1863024234771729),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_MLP_2_0 = {
    14: (0.009598325937986374, -0.4282989203929901, 0.23210114240646362, 0.0639858990907669),
    15: (0.14870233833789825, 0.42207980155944824, -0.3874779939651489, -0.6974159479141235),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_0 = (-0.4478643536567688, 1.4638224840164185, -1.496731162071228, 0.21330413222312927)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_1 = (0.3437829911708832, 1.1761624813079834, -0.9476784467697144, -0.3510186970233917)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_2 = (-0.048259980976581573, 2.8297274112701416, -4.173353672027588, 1.8318456411361694)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_3 = (0.12730440497398376, -0.49423983693122864, -0.2913675010204315, -0.3108174502849579)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_0 = (-0.2027314007282257, 0.4192741811275482, 0.10377294570207596, 0.13269932568073273)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_1 = (-0.8428074717521667, 0.13582976162433624, -0.6822389960289001, -0.480735182762146)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_3 = (0.19003354012966156, 0.8369024991989136, -0.6900529265403748, -0.28642839193344116)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_2 = (0.7460575103759766, -1.148039698600769, 2.0342297554016113, 0.7481583952903748)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_3 = (-0.005880598910152912, -0.8009701371192932, 1.571317434310913, -0.30647292733192444)
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
    # select_attn_0_0[i][j] = select_attn_0_0_predicate(indices[j], indices[i]) and j <= i
    select_attn_0_0 = _causal(_select(indices, indices, select_attn_0_0_predicate))
    attn_0_0 = _closest(select_attn_0_0, tokens)
    # select_attn_0_1[i][j] = select_attn_0_1_predicate(indices[j], indices[i]) and j <= i
    select_attn_0_1 = _causal(_select(indices, indices, select_attn_0_1_predicate))
    attn_0_1 = _closest(select_attn_0_1, tokens)
    # select_attn_0_2[i][j] = select_attn_0_2_predicate(indices[j], indices[i]) and j <= i
    select_attn_0_2 = _causal(_select(indices, indices, select_attn_0_2_predicate))
    attn_0_2 = _closest(select_attn_0_2, tokens)
    # select_attn_0_3[i][j] = select_attn_0_3_predicate(indices[j], tokens[i]) and j <= i
    select_attn_0_3 = _causal(_select(indices, tokens, select_attn_0_3_predicate))
    attn_0_3 = _closest(select_attn_0_3, tokens)
    # select_num_attn_0_0[i][j] = select_num_attn_0_0_predicate(indices[j], indices[i]) and j <= i
    select_num_attn_0_0 = _causal(
        _select(indices, indices, select_num_attn_0_0_predicate)
    )
    num_attn_0_0 = _sum(select_num_attn_0_0, ones)
    # select_num_attn_0_1[i][j] = select_num_attn_0_1_predicate(tokens[j], indices[i]) and j <= i
    select_num_attn_0_1 = _causal(
        _select(tokens, indices, select_num_attn_0_1_predicate)
    )
    num_attn_0_1 = _sum(select_num_attn_0_1, ones)
    # select_num_attn_0_2[i][j] = select_num_attn_0_2_predicate(tokens[j], indices[i]) and j <= i
    select_num_attn_0_2 = _causal(
        _select(tokens, indices, select_num_attn_0_2_predicate)
    )
    num_attn_0_2 = _sum(select_num_attn_0_2, ones)
    # select_num_attn_0_3[i][j] = select_num_attn_0_3_predicate(indices[j], indices[i]) and j <= i
    select_num_attn_0_3 = _causal(
        _select(indices, indices, select_num_attn_0_3_predicate)
    )
    num_attn_0_3 = _sum(select_num_attn_0_3, ones)
    mlp_0_0 = [MLP_0_0_TABLE[(x, y)] for x, y in zip(attn_0_3, attn_0_2)]
    num_mlp_0_0 = [1] * n
    # select_attn_1_0[i][j] = select_attn_1_0_predicate(indices[j], mlp_0_0[i]) and j <= i
    select_attn_1_0 = _causal(_select(indices, mlp_0_0, select_attn_1_0_predicate))
    attn_1_0 = _closest(select_attn_1_0, tokens)
    # select_attn_1_1[i][j] = select_attn_1_1_predicate(indices[j], tokens[i]) and j <= i
    select_attn_1_1 = _causal(_select(indices, tokens, select_attn_1_1_predicate))
    attn_1_1 = _closest(select_attn_1_1, tokens)
    # select_attn_1_2[i][j] = select_attn_1_2_predicate(indices[j], indices[i]) and j <= i
    select_attn_1_2 = _causal(_select(indices, indices, select_attn_1_2_predicate))
    attn_1_2 = _closest(select_attn_1_2, tokens)
    # select_attn_1_3[i][j] = select_attn_1_3_predicate(indices[j], tokens[i]) and j <= i
    select_attn_1_3 = _causal(_select(indices, tokens, select_attn_1_3_predicate))
    attn_1_3 = _closest(select_attn_1_3, tokens)
    # select_num_attn_1_0[i][j] = select_num_attn_1_0_predicate(attn_0_0[j], attn_0_0[i]) and j <= i
    select_num_attn_1_0 = _causal(
        _select(attn_0_0, attn_0_0, select_num_attn_1_0_predicate)
    )
    num_attn_1_0 = _sum(select_num_attn_1_0, num_attn_0_2)
    # select_num_attn_1_1[i][j] = select_num_attn_1_1_predicate(attn_0_0[j], num_mlp_0_0[i]) and j <= i
    select_num_attn_1_1 = _causal(
        _select(attn_0_0, num_mlp_0_0, select_num_attn_1_1_predicate)
    )
    num_attn_1_1 = _sum(select_num_attn_1_1, num_attn_0_1)
    # select_num_attn_1_3[i][j] = select_num_attn_1_3_predicate(mlp_0_0[j], num_mlp_0_0[i]) and j <= i
    select_num_attn_1_3 = _causal(
        _select(mlp_0_0, num_mlp_0_0, select_num_attn_1_3_predicate)
    )
    num_attn_1_3 = _sum(select_num_attn_1_3, num_attn_0_1)
    mlp_1_0 = [MLP_1_0_TABLE[x] for x in attn_1_2]
    # select_attn_2_0[i][j] = select_attn_2_0_predicate(indices[j], tokens[i]) and j <= i
    select_attn_2_0 = _causal(_select(indices, tokens, select_attn_2_0_predicate))
    attn_2_0 = _closest(select_attn_2_0, attn_1_1)
    # select_attn_2_1[i][j] = select_attn_2_1_predicate(indices[j], attn_0_1[i]) and j <= i
    select_attn_2_1 = _causal(_select(indices, attn_0_1, select_attn_2_1_predicate))
    attn_2_1 = _closest(select_attn_2_1, attn_0_3)
    # select_attn_2_2[i][j] = select_attn_2_2_predicate(indices[j], mlp_0_0[i]) and j <= i
    select_attn_2_2 = _causal(_select(indices, mlp_0_0, select_attn_2_2_predicate))
    attn_2_2 = _closest(select_attn_2_2, attn_1_3)
    # select_attn_2_3[i][j] = select_attn_2_3_predicate(indices[j], tokens[i]) and j <= i
    select_attn_2_3 = _causal(_select(indices, tokens, select_attn_2_3_predicate))
    attn_2_3 = _closest(select_attn_2_3, attn_1_1)
    # select_num_attn_2_2[i][j] = select_num_attn_2_2_predicate(tokens[j], mlp_1_0[i]) and j <= i
    select_num_attn_2_2 = _causal(
        _select(tokens, mlp_1_0, select_num_attn_2_2_predicate)
    )
    num_attn_2_2 = _sum(select_num_attn_2_2, num_attn_0_0)
    # select_num_attn_2_3[i][j] = select_num_attn_2_3_predicate(tokens[j], attn_1_2[i]) and j <= i
    select_num_attn_2_3 = _causal(
        _select(tokens, attn_1_2, select_num_attn_2_3_predicate)
    )
    num_attn_2_3 = _sum(select_num_attn_2_3, num_attn_0_0)
    mlp_2_0 = [MLP_2_0_TABLE[(x, y)] for x, y in zip(attn_2_2, attn_2_3)]
    num_mlp_2_0 = [NUM_MLP_2_0_TABLE.get(x, 15) for x in num_attn_2_3]
    # readout_logits[i] = READOUT_BIAS + each feature's weights at position i, in this order
    # fmt: off
    readout_logits = _logits(
        READOUT_BIAS,
        [
            tokens, indices, attn_0_0, attn_0_1, attn_0_2, attn_0_3, mlp_0_0, attn_1_0,
            attn_1_1, attn_1_2, attn_1_3, mlp_1_0, attn_2_0, attn_2_1, attn_2_2, attn_2_3,
            mlp_2_0, num_mlp_2_0, num_attn_0_0, num_attn_0_1, num_attn_0_2, num_attn_0_3,
            num_attn_1_0, num_attn_1_1, num_attn_1_3, num_attn_2_2, num_attn_2_3,
        ],
        [
            READOUT_WEIGHTS_TOKENS, READOUT_WEIGHTS_INDICES, READOUT_WEIGHTS_ATTN_0_0,
            READOUT_WEIGHTS_ATTN_0_1, READOUT_WEIGHTS_ATTN_0_2, READOUT_WEIGHTS_ATTN_0_3,
            READOUT_WEIGHTS_MLP_0_0, READOUT_WEIGHTS_ATTN_1_0, READOUT_WEIGHTS_ATTN_1_1,
            READOUT_WEIGHTS_ATTN_1_2, READOUT_WEIGHTS_ATTN_1_3, READOUT_WEIGHTS_MLP_1_0,
            READOUT_WEIGHTS_ATTN_2_0, READOUT_WEIGHTS_ATTN_2_1, READOUT_WEIGHTS_ATTN_2_2,
            READOUT_WEIGHTS_ATTN_2_3, READOUT_WEIGHTS_MLP_2_0, READOUT_WEIGHTS_NUM_MLP_2_0,
            READOUT_WEIGHTS_NUM_ATTN_0_0, READOUT_WEIGHTS_NUM_ATTN_0_1,
            READOUT_WEIGHTS_NUM_ATTN_0_2, READOUT_WEIGHTS_NUM_ATTN_0_3,
            READOUT_WEIGHTS_NUM_ATTN_1_0, READOUT_WEIGHTS_NUM_ATTN_1_1,
            READOUT_WEIGHTS_NUM_ATTN_1_3, READOUT_WEIGHTS_NUM_ATTN_2_2,
            READOUT_WEIGHTS_NUM_ATTN_2_3,
        ],
    )
    # fmt: on
    readout = [READOUT_CLASSES[_argmax(row, READOUT_ALLOWED)] for row in readout_logits]
    return readout


def run_batch(batch: list[list[str]]) -> list[list]:
    """`run` on each input of `batch`."""
    return [run(tokens) for tokens in batch]
