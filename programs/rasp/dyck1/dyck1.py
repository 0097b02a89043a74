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

from functools import cache
from itertools import compress

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
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_0(key: int, query: int) -> bool:
    if query in {0, 6}: return key == 5
    if query in {1, 12}: return key == 1
    if query in {2, 11, 14}: return key == 13
    if query == 3: return key == 8
    if query == 4: return key == 2
    if query == 5: return key == 15
    if query in {7, 8, 9}: return key == 4
    if query == 10: return key == 7
    if query == 13: return key == 14
    return key == 12
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_1(key: int, query: int) -> bool:
    if query == 0: return key == 2
    if query in {1, 10}: return key == 1
    if query in {2, 13}: return key == 13
    if query == 3: return key == 8
    if query == 4: return key == 3
    if query in {5, 12}: return key == 9
    if query in {6, 7, 8, 9, 11}: return key == 4
    return key == 11
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_2(key: int, query: int) -> bool:
    if query in {0, 9}: return key == 8
    if query in {1, 2}: return key == 1
    if query in {3, 6}: return key == 4
    if query == 4: return key == 3
    if query == 5: return key == 13
    if query in {7, 13, 15}: return key == 12
    if query == 8: return key == 7
    if query == 10: return key == 9
    if query in {11, 14}: return key == 10
    return key == 11
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), VOCAB)
def select_attn_0_3(key: int, query: str) -> bool:
    if query in {'(', '<s>'}: return key == 1
    return key == 10
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_num_attn_0_0(key: int, query: int) -> bool:
    if query in {0, 4, 5, 6}: return key == 3
    if query in {1, 8, 12}: return key == 14
    if query == 2: return key == 4
    if query in {3, 10}: return key == 15
    if query == 7: return key == 0
    if query in {9, 14, 15}: return key == 1
    if query == 11: return key == 13
    return key == 11
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_0_1(key: str, query: int) -> bool:
    if query in {1, 3, 5, 7, 9, 11}: return key == ')'
    if query in {2, 13, 15}: return key == '<s>'
    return False
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, range(MAX_LEN))
def select_num_attn_0_2(key: str, query: int) -> bool:
    if query in {1, 3, 4, 5, 6, 8, 10}: return key == ')'
    if query in {2, 12}: return key == '<s>'
    return False
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_num_attn_0_3(key: int, query: int) -> bool:
    if query in {0, 2, 10}: return key == 4
    if query in {1, 7, 13, 14}: return key == 15
    if query == 3: return key == 6
    if query == 4: return key == 7
    if query == 5: return key == 2
    if query == 6: return key == 0
    if query in {8, 11}: return key == 12
    return key == 14
# fmt: on


# mlp_0_0 = MLP_0_0_TABLE[attn_0_3, attn_0_2]
# fmt: off
MLP_0_0_TABLE = {
    ('(', '('): 12, ('(', ')'): 12, ('(', '<s>'): 12, (')', '('): 12, (')', ')'): 3,
    (')', '<s>'): 3, ('<s>', '('): 6, ('<s>', ')'): 3, ('<s>', '<s>'): 3,
}
# fmt: on


MLP_0_0_VALUES = {3, 6, 12}


# fmt: off
@_selects_by_query(range(MAX_LEN), MLP_0_0_VALUES)
def select_attn_1_0(key: int, query: int) -> bool:
    if query == 3: return key == 12
    if query == 6: return key == 1
    return key == 13
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), VOCAB)
def select_attn_1_1(key: int, query: str) -> bool:
    if query == '(': return key == 1
    if query == ')': return key == 2
    return key == 3
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_1_2(key: int, query: int) -> bool:
    if query in {0, 15}: return key == 14
    if query in {1, 2, 11}: return key == 1
    if query == 3: return key == 2
    if query in {4, 5}: return key == 3
    if query == 6: return key == 4
    if query in {7, 8, 9}: return key == 5
    if query == 10: return key == 8
    if query == 12: return key == 10
    return key == 12
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), VOCAB)
def select_attn_1_3(key: int, query: str) -> bool:
    if query == '(': return key == 1
    if query == ')': return key == 12
    return key == 2
# fmt: on


ATTN_0_0_VALUES = {"(", ")", "<s>"}


# fmt: off
@_selects_by_query(ATTN_0_0_VALUES, ATTN_0_0_VALUES)
def select_num_attn_1_0(key: str, query: str) -> bool:
    if query in {'(', '<s>'}: return key == ')'
    return False
# fmt: on


NUM_MLP_0_0_VALUES = {1}


# fmt: off
@_selects_by_query(ATTN_0_0_VALUES, NUM_MLP_0_0_VALUES)
def select_num_attn_1_1(key: str, query: int) -> bool:
    return key == ')'
# fmt: on


# fmt: off
@_selects_by_query(MLP_0_0_VALUES, NUM_MLP_0_0_VALUES)
def select_num_attn_1_3(key: int, query: int) -> bool:
    return key == 3
# fmt: on


# mlp_1_0 = MLP_1_0_TABLE[attn_1_2]
# fmt: off
MLP_1_0_TABLE = {
    '(': 9, ')': 3, '<s>': 3,
}
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), VOCAB)
def select_attn_2_0(key: int, query: str) -> bool:
    if query in {'(', ')'}: return key == 2
    return key == 3
# fmt: on


ATTN_0_1_VALUES = {"(", ")", "<s>"}


# fmt: off
@_selects_by_query(range(MAX_LEN), ATTN_0_1_VALUES)
def select_attn_2_1(key: int, query: str) -> bool:
    if query in {'(', ')'}: return key == 3
    return key == 1
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), MLP_0_0_VALUES)
def select_attn_2_2(key: int, query: int) -> bool:
    if query == 3: return key == 6
    return key == 5
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), VOCAB)
def select_attn_2_3(key: int, query: str) -> bool:
    return key == 3
# fmt: on


MLP_1_0_VALUES = {3, 9}


# fmt: off
@_selects_by_query(VOCAB, MLP_1_0_VALUES)
def select_num_attn_2_2(key: str, query: int) -> bool:
    if query == 3: return key == '('
    return False
# fmt: on


ATTN_1_2_VALUES = {"(", ")", "<s>"}


# fmt: off
@_selects_by_query(VOCAB, ATTN_1_2_VALUES)
def select_num_attn_2_3(key: str, query: str) -> bool:
    if query in {'(', '<s>'}: return key == '('
    return False
# fmt: on


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
# + each numerical feature (tabulated per value); the prediction is the allowed class
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
READOUT_WEIGHTS_NUM_ATTN_0_0 = {
    0: (-0.0, 0.0, -0.0, 0.0),
    1: (-0.4478643536567688, 1.4638224840164185, -1.496731162071228, 0.21330413222312927),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_1 = {
    0: (0.0, 0.0, -0.0, -0.0),
    1: (0.3437829911708832, 1.1761624813079834, -0.9476784467697144, -0.3510186970233917),
    2: (0.6875659823417664, 2.352324962615967, -1.8953568935394287, -0.7020373940467834),
    3: (1.0313489735126495, 3.52848744392395, -2.843035340309143, -1.0530560910701752),
    4: (1.3751319646835327, 4.704649925231934, -3.7907137870788574, -1.404074788093567),
    5: (1.718914955854416, 5.880812406539917, -4.738392233848572, -1.7550934851169586),
    6: (2.062697947025299, 7.0569748878479, -5.686070680618286, -2.1061121821403503),
    7: (2.4064809381961823, 8.233137369155884, -6.6337491273880005, -2.457130879163742),
    8: (2.7502639293670654, 9.409299850463867, -7.581427574157715, -2.808149576187134),
    9: (3.0940469205379486, 10.58546233177185, -8.52910602092743, -3.1591682732105255),
    10: (3.437829911708832, 11.761624813079834, -9.476784467697144, -3.5101869702339172),
    11: (3.781612902879715, 12.937787294387817, -10.424462914466858, -3.861205667257309),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_2 = {
    0: (-0.0, 0.0, -0.0, 0.0),
    1: (-0.048259980976581573, 2.8297274112701416, -4.173353672027588, 1.8318456411361694),
    2: (-0.09651996195316315, 5.659454822540283, -8.346707344055176, 3.663691282272339),
    3: (-0.14477994292974472, 8.489182233810425, -12.520061016082764, 5.495536923408508),
    4: (-0.1930399239063263, 11.318909645080566, -16.69341468811035, 7.327382564544678),
    5: (-0.24129990488290787, 14.148637056350708, -20.86676836013794, 9.159228205680847),
    6: (-0.28955988585948944, 16.97836446762085, -25.040122032165527, 10.991073846817017),
    7: (-0.337819866836071, 19.80809187889099, -29.213475704193115, 12.822919487953186),
    8: (-0.3860798478126526, 22.637819290161133, -33.3868293762207, 14.654765129089355),
    9: (-0.43433982878923416, 25.467546701431274, -37.56018304824829, 16.486610770225525),
    10: (-0.48259980976581573, 28.297274112701416, -41.73353672027588, 18.318456411361694),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_3 = {
    0: (0.0, -0.0, -0.0, -0.0),
    1: (0.12730440497398376, -0.49423983693122864, -0.2913675010204315, -0.3108174502849579),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_0 = {
    0: (-0.0, 0.0, 0.0, 0.0),
    1: (-0.2027314007282257, 0.4192741811275482, 0.10377294570207596, 0.13269932568073273),
    2: (-0.4054628014564514, 0.8385483622550964, 0.20754589140415192, 0.26539865136146545),
    3: (-0.6081942021846771, 1.2578225433826447, 0.3113188371062279, 0.3980979770421982),
    4: (-0.8109256029129028, 1.6770967245101929, 0.41509178280830383, 0.5307973027229309),
    5: (-1.0136570036411285, 2.096370905637741, 0.5188647285103798, 0.6634966284036636),
    6: (-1.2163884043693542, 2.5156450867652893, 0.6226376742124557, 0.7961959540843964),
    7: (-1.41911980509758, 2.9349192678928375, 0.7264106199145317, 0.9288952797651291),
    8: (-1.6218512058258057, 3.3541934490203857, 0.8301835656166077, 1.0615946054458618),
    9: (-1.8245826065540314, 3.773467630147934, 0.9339565113186836, 1.1942939311265945),
    10: (-2.027314007282257, 4.192741811275482, 1.0377294570207596, 1.3269932568073273),
    11: (-2.230045408010483, 4.61201599240303, 1.1415024027228355, 1.45969258248806),
    12: (-2.4327768087387085, 5.031290173530579, 1.2452753484249115, 1.5923919081687927),
    13: (-2.635508209466934, 5.450564354658127, 1.3490482941269875, 1.7250912338495255),
    14: (-2.83823961019516, 5.869838535785675, 1.4528212398290634, 1.8577905595302582),
    15: (-3.0409710109233856, 6.289112716913223, 1.5565941855311394, 1.990489885210991),
    16: (-3.2437024116516113, 6.7083868980407715, 1.6603671312332153, 2.1231892108917236),
    17: (-3.446433812379837, 7.12766107916832, 1.7641400769352913, 2.2558885365724564),
    18: (-3.6491652131080627, 7.546935260295868, 1.8679130226373672, 2.388587862253189),
    19: (-3.8518966138362885, 7.966209441423416, 1.9716859683394432, 2.521287187933922),
    20: (-4.054628014564514, 8.385483622550964, 2.075458914041519, 2.6539865136146545),
    21: (-4.25735941529274, 8.804757803678513, 2.179231859743595, 2.7866858392953873),
    22: (-4.460090816020966, 9.22403198480606, 2.283004805445671, 2.91938516497612),
    23: (-4.662822216749191, 9.643306165933609, 2.386777751147747, 3.0520844906568527),
    24: (-4.865553617477417, 10.062580347061157, 2.490550696849823, 3.1847838163375854),
    25: (-5.068285018205643, 10.481854528188705, 2.594323642551899, 3.317483142018318),
    26: (-5.271016418933868, 10.901128709316254, 2.698096588253975, 3.450182467699051),
    27: (-5.473747819662094, 11.320402890443802, 2.801869533956051, 3.5828817933797836),
    28: (-5.67647922039032, 11.73967707157135, 2.905642479658127, 3.7155811190605164),
    29: (-5.8792106211185455, 12.158951252698898, 3.009415425360203, 3.848280444741249),
    30: (-6.081942021846771, 12.578225433826447, 3.1131883710622787, 3.980979770421982),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_1 = {
    0: (-0.0, 0.0, -0.0, -0.0),
    1: (-0.8428074717521667, 0.13582976162433624, -0.6822389960289001, -0.480735182762146),
    2: (-1.6856149435043335, 0.2716595232486725, -1.3644779920578003, -0.961470365524292),
    3: (-2.5284224152565002, 0.40748928487300873, -2.0467169880867004, -1.442205548286438),
    4: (-3.371229887008667, 0.543319046497345, -2.7289559841156006, -1.922940731048584),
    5: (-4.214037358760834, 0.6791488081216812, -3.4111949801445007, -2.40367591381073),
    6: (-5.0568448305130005, 0.8149785697460175, -4.093433976173401, -2.884411096572876),
    7: (-5.899652302265167, 0.9508083313703537, -4.775672972202301, -3.365146279335022),
    8: (-6.742459774017334, 1.08663809299469, -5.457911968231201, -3.845881462097168),
    9: (-7.585267245769501, 1.2224678546190262, -6.140150964260101, -4.326616644859314),
    10: (-8.428074717521667, 1.3582976162433624, -6.8223899602890015, -4.80735182762146),
    11: (-9.270882189273834, 1.4941273778676987, -7.504628956317902, -5.288087010383606),
    12: (-10.113689661026001, 1.629957139492035, -8.186867952346802, -5.768822193145752),
    13: (-10.956497132778168, 1.7657869011163712, -8.869106948375702, -6.249557375907898),
    14: (-11.799304604530334, 1.9016166627407074, -9.551345944404602, -6.730292558670044),
    15: (-12.642112076282501, 2.0374464243650436, -10.233584940433502, -7.21102774143219),
    16: (-13.484919548034668, 2.17327618598938, -10.915823936462402, -7.691762924194336),
    17: (-14.327727019786835, 2.309105947613716, -11.598062932491302, -8.172498106956482),
    18: (-15.170534491539001, 2.4449357092380524, -12.280301928520203, -8.653233289718628),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_3 = {
    0: (0.0, 0.0, -0.0, -0.0),
    1: (0.19003354012966156, 0.8369024991989136, -0.6900529265403748, -0.28642839193344116),
    2: (0.3800670802593231, 1.6738049983978271, -1.3801058530807495, -0.5728567838668823),
    3: (0.5701006203889847, 2.5107074975967407, -2.0701587796211243, -0.8592851758003235),
    4: (0.7601341605186462, 3.3476099967956543, -2.760211706161499, -1.1457135677337646),
    5: (0.9501677006483078, 4.184512495994568, -3.450264632701874, -1.4321419596672058),
    6: (1.1402012407779694, 5.0214149951934814, -4.1403175592422485, -1.718570351600647),
    7: (1.330234780907631, 5.858317494392395, -4.830370485782623, -2.004998743534088),
    8: (1.5202683210372925, 6.695219993591309, -5.520423412322998, -2.2914271354675293),
    9: (1.710301861166954, 7.532122492790222, -6.210476338863373, -2.5778555274009705),
    10: (1.9003354012966156, 8.369024991989136, -6.900529265403748, -2.8642839193344116),
    11: (2.090368941426277, 9.20592749118805, -7.590582191944122, -3.150712311267853),
    12: (2.2804024815559387, 10.042829990386963, -8.280635118484497, -3.437140703201294),
    13: (2.4704360216856003, 10.879732489585876, -8.970688045024872, -3.723569095134735),
    14: (2.660469561815262, 11.71663498878479, -9.660740971565247, -4.009997487068176),
    15: (2.8505031019449234, 12.553537487983704, -10.350793898105621, -4.296425879001617),
    16: (3.040536642074585, 13.390439987182617, -11.040846824645996, -4.582854270935059),
    17: (3.2305701822042465, 14.22734248638153, -11.73089975118637, -4.8692826628685),
    18: (3.420603722333908, 15.064244985580444, -12.420952677726746, -5.155711054801941),
    19: (3.6106372624635696, 15.901147484779358, -13.11100560426712, -5.442139446735382),
    20: (3.800670802593231, 16.73804998397827, -13.801058530807495, -5.728567838668823),
    21: (3.9907043427228928, 17.574952483177185, -14.49111145734787, -6.014996230602264),
    22: (4.180737882852554, 18.4118549823761, -15.181164383888245, -6.301424622535706),
    23: (4.370771422982216, 19.248757481575012, -15.87121731042862, -6.587853014469147),
    24: (4.560804963111877, 20.085659980773926, -16.561270236968994, -6.874281406402588),
    25: (4.750838503241539, 20.92256247997284, -17.25132316350937, -7.160709798336029),
    26: (4.940872043371201, 21.759464979171753, -17.941376090049744, -7.44713819026947),
    27: (5.130905583500862, 22.596367478370667, -18.63142901659012, -7.733566582202911),
    28: (5.320939123630524, 23.43326997756958, -19.321481943130493, -8.019994974136353),
    29: (5.510972663760185, 24.270172476768494, -20.011534869670868, -8.306423366069794),
    30: (5.701006203889847, 25.107074975967407, -20.701587796211243, -8.592851758003235),
    31: (5.891039744019508, 25.94397747516632, -21.391640722751617, -8.879280149936676),
    32: (6.08107328414917, 26.780879974365234, -22.081693649291992, -9.165708541870117),
    33: (6.2711068242788315, 27.617782473564148, -22.771746575832367, -9.452136933803558),
    34: (6.461140364408493, 28.45468497276306, -23.46179950237274, -9.738565325737),
    35: (6.651173904538155, 29.291587471961975, -24.151852428913116, -10.02499371767044),
    36: (6.841207444667816, 30.12848997116089, -24.84190535545349, -10.311422109603882),
    37: (7.031240984797478, 30.965392470359802, -25.531958281993866, -10.597850501537323),
    38: (7.221274524927139, 31.802294969558716, -26.22201120853424, -10.884278893470764),
    39: (7.411308065056801, 32.63919746875763, -26.912064135074615, -11.170707285404205),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_2 = {
    0: (0.0, -0.0, 0.0, 0.0),
    1: (0.7460575103759766, -1.148039698600769, 2.0342297554016113, 0.7481583952903748),
    2: (1.4921150207519531, -2.296079397201538, 4.068459510803223, 1.4963167905807495),
    3: (2.2381725311279297, -3.444119095802307, 6.102689266204834, 2.2444751858711243),
    4: (2.9842300415039062, -4.592158794403076, 8.136919021606445, 2.992633581161499),
    5: (3.730287551879883, -5.740198493003845, 10.171148777008057, 3.740791976451874),
    6: (4.476345062255859, -6.888238191604614, 12.205378532409668, 4.4889503717422485),
    7: (5.222402572631836, -8.036277890205383, 14.23960828781128, 5.237108767032623),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_3 = {
    0: (-0.0, -0.0, 0.0, -0.0),
    1: (-0.005880598910152912, -0.8009701371192932, 1.571317434310913, -0.30647292733192444),
    2: (-0.011761197820305824, -1.6019402742385864, 3.142634868621826, -0.6129458546638489),
    3: (-0.017641796730458736, -2.4029104113578796, 4.713952302932739, -0.9194187819957733),
    4: (-0.02352239564061165, -3.203880548477173, 6.285269737243652, -1.2258917093276978),
    5: (-0.02940299455076456, -4.004850685596466, 7.856587171554565, -1.5323646366596222),
    6: (-0.03528359346091747, -4.805820822715759, 9.427904605865479, -1.8388375639915466),
    7: (-0.041164192371070385, -5.6067909598350525, 10.999222040176392, -2.145310491323471),
    8: (-0.0470447912812233, -6.407761096954346, 12.570539474487305, -2.4517834186553955),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_BY_FEATURE = [
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
    attn_0_0 = _attend_closest(indices, indices, select_attn_0_0, tokens, causal=True)
    attn_0_1 = _attend_closest(indices, indices, select_attn_0_1, tokens, causal=True)
    attn_0_2 = _attend_closest(indices, indices, select_attn_0_2, tokens, causal=True)
    attn_0_3 = _attend_closest(indices, tokens, select_attn_0_3, tokens, causal=True)
    num_attn_0_0 = _count_selected(indices, indices, select_num_attn_0_0, causal=True)
    num_attn_0_1 = _count_selected(tokens, indices, select_num_attn_0_1, causal=True)
    num_attn_0_2 = _count_selected(tokens, indices, select_num_attn_0_2, causal=True)
    num_attn_0_3 = _count_selected(indices, indices, select_num_attn_0_3, causal=True)
    mlp_0_0 = [MLP_0_0_TABLE[(x, y)] for x, y in zip(attn_0_3, attn_0_2)]
    num_mlp_0_0 = [1] * n
    attn_1_0 = _attend_closest(indices, mlp_0_0, select_attn_1_0, tokens, causal=True)
    attn_1_1 = _attend_closest(indices, tokens, select_attn_1_1, tokens, causal=True)
    attn_1_2 = _attend_closest(indices, indices, select_attn_1_2, tokens, causal=True)
    attn_1_3 = _attend_closest(indices, tokens, select_attn_1_3, tokens, causal=True)
    num_attn_1_0 = _attend_sum(
        attn_0_0, attn_0_0, select_num_attn_1_0, num_attn_0_2, causal=True
    )
    num_attn_1_1 = _attend_sum(
        attn_0_0, num_mlp_0_0, select_num_attn_1_1, num_attn_0_1, causal=True
    )
    num_attn_1_3 = _attend_sum(
        mlp_0_0, num_mlp_0_0, select_num_attn_1_3, num_attn_0_1, causal=True
    )
    mlp_1_0 = [MLP_1_0_TABLE[x] for x in attn_1_2]
    attn_2_0 = _attend_closest(indices, tokens, select_attn_2_0, attn_1_1, causal=True)
    attn_2_1 = _attend_closest(
        indices, attn_0_1, select_attn_2_1, attn_0_3, causal=True
    )
    attn_2_2 = _attend_closest(indices, mlp_0_0, select_attn_2_2, attn_1_3, causal=True)
    attn_2_3 = _attend_closest(indices, tokens, select_attn_2_3, attn_1_1, causal=True)
    num_attn_2_2 = _attend_sum(
        tokens, mlp_1_0, select_num_attn_2_2, num_attn_0_0, causal=True
    )
    num_attn_2_3 = _attend_sum(
        tokens, attn_1_2, select_num_attn_2_3, num_attn_0_0, causal=True
    )
    mlp_2_0 = [MLP_2_0_TABLE[(x, y)] for x, y in zip(attn_2_2, attn_2_3)]
    num_mlp_2_0 = [NUM_MLP_2_0_TABLE.get(x, 15) for x in num_attn_2_3]
    # readout_logits[i] = READOUT_BIAS + each feature's weights at position i
    # fmt: off
    readout_logits = _logits(
        READOUT_BIAS,
        [
            tokens, indices, attn_0_0, attn_0_1, attn_0_2, attn_0_3, mlp_0_0, attn_1_0,
            attn_1_1, attn_1_2, attn_1_3, mlp_1_0, attn_2_0, attn_2_1, attn_2_2, attn_2_3,
            mlp_2_0, num_mlp_2_0, num_attn_0_0, num_attn_0_1, num_attn_0_2, num_attn_0_3,
            num_attn_1_0, num_attn_1_1, num_attn_1_3, num_attn_2_2, num_attn_2_3,
        ],
        READOUT_WEIGHTS_BY_FEATURE,
    )
    # fmt: on
    readout = [READOUT_CLASSES[_argmax(row, READOUT_ALLOWED)] for row in readout_logits]
    return readout


def run_batch(batch: list[list[str]]) -> list[list]:
    """`run` on each input of `batch`."""
    return [run(tokens) for tokens in batch]
