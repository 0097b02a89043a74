"""dyck1: emitted by tpc's Python back end from the program's IR.

Task: dyck1 (k = 16, N = 16).
Model: 3 layers, 8+0 heads and 2+0 MLPs (categorical+numerical), d_var 16, causal.
Discrete model accuracy: train 98.20%, val 98.04%, test 98.09% (epoch 148).
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
    if query in {0, 7, 12, 15}: return key == 11
    if query in {1, 2}: return key == 1
    if query == 3: return key == 4
    if query == 4: return key == 2
    if query == 5: return key == 10
    if query == 6: return key == 5
    if query == 8: return key == 6
    if query == 9: return key == 13
    if query in {10, 11}: return key == 8
    if query == 13: return key == 9
    return key == 12
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), VOCAB)
def select_attn_0_1(key: int, query: str) -> bool:
    if query in {'(', '<s>'}: return key == 1
    return key == 6
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), VOCAB)
def select_attn_0_2(key: int, query: str) -> bool:
    if query in {'(', '<s>'}: return key == 1
    return key == 2
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_3(key: int, query: int) -> bool:
    if query in {0, 14}: return key == 11
    if query in {1, 2}: return key == 1
    if query == 3: return key == 2
    if query == 4: return key == 3
    if query in {5, 9, 10, 11}: return key == 7
    if query in {6, 8}: return key == 5
    if query == 7: return key == 14
    if query == 12: return key == 6
    return key == 8
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_4(key: int, query: int) -> bool:
    if query == 0: return key == 5
    if query in {1, 2}: return key == 1
    if query == 3: return key == 8
    if query == 4: return key == 2
    if query == 5: return key == 15
    if query == 6: return key == 4
    if query in {7, 15}: return key == 12
    if query == 8: return key == 7
    if query == 9: return key == 6
    if query == 10: return key == 9
    if query in {11, 12}: return key == 10
    if query == 13: return key == 11
    return key == 13
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_5(key: int, query: int) -> bool:
    if query in {0, 9}: return key == 12
    if query == 1: return key == 1
    if query in {2, 4, 5}: return key == 3
    if query in {3, 13}: return key == 8
    if query == 6: return key == 5
    if query == 7: return key == 14
    if query == 8: return key == 4
    if query in {10, 12, 15}: return key == 7
    if query == 11: return key == 6
    return key == 9
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_6(key: int, query: int) -> bool:
    if query in {0, 8}: return key == 4
    if query in {1, 2}: return key == 1
    if query in {3, 4}: return key == 2
    if query == 5: return key == 11
    if query == 6: return key == 3
    if query in {7, 10, 12}: return key == 8
    if query == 9: return key == 14
    if query in {11, 15}: return key == 9
    return key == 7
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_7(key: int, query: int) -> bool:
    if query == 0: return key == 11
    if query in {1, 2}: return key == 1
    if query in {3, 5, 14}: return key == 8
    if query in {4, 6}: return key == 3
    if query in {7, 8}: return key == 5
    if query == 9: return key == 15
    if query == 10: return key == 7
    if query == 11: return key == 14
    if query == 12: return key == 9
    return key == 10
# fmt: on


# mlp_0_0 = MLP_0_0_TABLE[attn_0_4, attn_0_0]
# fmt: off
MLP_0_0_TABLE = {
    ('(', '('): 0, ('(', ')'): 12, ('(', '<s>'): 0, (')', '('): 14, (')', ')'): 3, (')', '<s>'): 3,
    ('<s>', '('): 0, ('<s>', ')'): 3, ('<s>', '<s>'): 0,
}
# fmt: on


# mlp_0_1 = MLP_0_1_TABLE[attn_0_6, attn_0_2]
# fmt: off
MLP_0_1_TABLE = {
    ('(', '('): 12, ('(', ')'): 12, ('(', '<s>'): 12, (')', '('): 12, (')', ')'): 3,
    (')', '<s>'): 3, ('<s>', '('): 12, ('<s>', ')'): 3, ('<s>', '<s>'): 3,
}
# fmt: on


MLP_0_1_VALUES = {3, 12}


# fmt: off
@_selects_by_query(range(MAX_LEN), MLP_0_1_VALUES)
def select_attn_1_0(key: int, query: int) -> bool:
    if query == 3: return key == 7
    return key == 9
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), MLP_0_1_VALUES)
def select_attn_1_1(key: int, query: int) -> bool:
    return key == 4
# fmt: on


MLP_0_0_VALUES = {0, 3, 12, 14}


# fmt: off
@_selects_by_query(MLP_0_0_VALUES, MLP_0_1_VALUES)
def select_attn_1_2(key: int, query: int) -> bool:
    return key == 3
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), MLP_0_1_VALUES)
def select_attn_1_3(key: int, query: int) -> bool:
    if query == 3: return key == 3
    return key == 5
# fmt: on


ATTN_0_6_VALUES = {"(", ")", "<s>"}


# fmt: off
@_selects_by_query(range(MAX_LEN), ATTN_0_6_VALUES)
def select_attn_1_4(key: int, query: str) -> bool:
    if query in {'(', '<s>'}: return key == 3
    return key == 5
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), MLP_0_1_VALUES)
def select_attn_1_5(key: int, query: int) -> bool:
    if query == 3: return key == 5
    return key == 7
# fmt: on


ATTN_0_5_VALUES = {"(", ")", "<s>"}


# fmt: off
@_selects_by_query(range(MAX_LEN), ATTN_0_5_VALUES)
def select_attn_1_6(key: int, query: str) -> bool:
    if query == '(': return key == 3
    if query == ')': return key == 5
    return key == 1
# fmt: on


# fmt: off
@_selects_by_query(MLP_0_1_VALUES, MLP_0_1_VALUES)
def select_attn_1_7(key: int, query: int) -> bool:
    return key == 3
# fmt: on


# mlp_1_0 = MLP_1_0_TABLE[attn_1_2, attn_1_4]
# fmt: off
MLP_1_0_TABLE = {
    ('(', '('): 0, ('(', ')'): 10, ('(', '<s>'): 10, (')', '('): 7, (')', ')'): 3, (')', '<s>'): 3,
    ('<s>', '('): 10, ('<s>', ')'): 10, ('<s>', '<s>'): 10,
}
# fmt: on


# fmt: off
@_selects_by_query(MLP_0_1_VALUES, VOCAB)
def select_attn_2_0(key: int, query: str) -> bool:
    return key == 3
# fmt: on


ATTN_0_7_VALUES = {"(", ")", "<s>"}


# fmt: off
@_selects_by_query(MLP_0_1_VALUES, ATTN_0_7_VALUES)
def select_attn_2_1(key: int, query: str) -> bool:
    return key == 3
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), MLP_0_1_VALUES)
def select_attn_2_2(key: int, query: int) -> bool:
    if query == 3: return key == 4
    return key == 3
# fmt: on


# fmt: off
@_selects_by_query(MLP_0_0_VALUES, VOCAB)
def select_attn_2_3(key: int, query: str) -> bool:
    return key == 3
# fmt: on


ATTN_0_0_VALUES = {"(", ")", "<s>"}


# fmt: off
@_selects_by_query(MLP_0_1_VALUES, ATTN_0_0_VALUES)
def select_attn_2_4(key: int, query: str) -> bool:
    if query in {'(', ')'}: return key == 3
    return False
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), VOCAB)
def select_attn_2_6(key: int, query: str) -> bool:
    if query in {'(', '<s>'}: return key == 4
    return key == 5
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), VOCAB)
def select_attn_2_7(key: int, query: str) -> bool:
    if query == '(': return key == 3
    return key == 4
# fmt: on


# mlp_2_0 = MLP_2_0_TABLE[attn_2_7]
# fmt: off
MLP_2_0_TABLE = {
    '(': 7, ')': 6, '<s>': 3,
}
# fmt: on


# readout: logits = READOUT_BIAS + the weight row of each categorical feature's value
# + each numerical feature (tabulated per value); the prediction is the allowed class
# with the highest logit (the first one on ties)
READOUT_CLASSES = ("<pad>", "F", "P", "T")
READOUT_ALLOWED = (1, 2, 3)
# fmt: off
READOUT_BIAS = (-0.5995732247829437, 0.835197389125824, -1.5488585866987705, -1.8500369787216187)
# fmt: on
# fmt: off
READOUT_WEIGHTS_TOKENS = {
    '(': (0.836376965045929, 0.6966688632965088, 0.8833577632904053, -5.117185592651367),
    ')': (-0.12923531234264374, -1.6527601480484009, -1.582134485244751, 4.186184883117676),
    '<s>': (-0.5355978608131409, 0.4065922796726227, -0.5086061954498291, -0.736146867275238),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_INDICES = {
    0: (0.740354597568512, 0.1625155359506607, -0.13686038553714752, 0.5904620885848999),
    1: (0.0643949806690216, -1.8060719966888428, 2.1934823989868164, -2.638646364212036),
    2: (0.4641680121421814, -1.6057945489883423, -5.584771633148193, 6.718990802764893),
    3: (0.25527071952819824, -0.4721532166004181, 3.289456844329834, -4.847076416015625),
    4: (-0.36807382106781006, -4.468314170837402, 0.08700036257505417, 5.9344635009765625),
    5: (-0.3779830038547516, -0.4744330942630768, 4.039249897003174, -4.908365726470947),
    6: (-0.24795766174793243, -3.227100372314453, 1.5333722829818726, 3.854090452194214),
    7: (0.5448734760284424, 1.8179718255996704, 1.3253809213638306, -4.916267395019531),
    8: (0.3702729642391205, -0.34660714864730835, -1.0220073461532593, 2.2299938201904297),
    9: (0.09293629229068756, 1.8065669536590576, -0.1814265102148056, -7.589654922485352),
    10: (0.8723964095115662, 0.4924677610397339, -0.9166321158409119, 1.3467824459075928),
    11: (-0.278436541557312, 1.7675130367279053, -0.010518207214772701, -7.138698101043701),
    12: (-0.7057343125343323, 1.3907195329666138, -0.771486222743988, 1.124305009841919),
    13: (0.4623282849788666, 2.0893661975860596, -0.2746388018131256, -8.042776107788086),
    14: (-0.19802026450634003, 1.6089857816696167, -1.0920404195785522, 0.6840189099311829),
    15: (0.17642468214035034, 2.434169292449951, -0.3556559979915619, -6.463194370269775),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_0 = {
    '(': (0.41010305285453796, -1.3532384634017944, 0.8163567781448364, -0.6830028295516968),
    ')': (0.10988590121269226, 1.2163374423980713, -0.8196278214454651, 0.779284656047821),
    '<s>': (-1.146188735961914, -0.194674551486969, 0.24091032147407532, -0.875964343547821),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_1 = {
    '(': (-0.5214024186134338, -1.1860394477844238, 0.18533387780189514, -0.5494401454925537),
    ')': (0.5788674354553223, 0.01645582728087902, -0.6864121556282043, -0.19277220964431763),
    '<s>': (0.7452517747879028, 1.3822201490402222, -1.2146152257919312, 0.6101226806640625),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_2 = {
    '(': (0.5190308690071106, -0.39259079098701477, 0.6930223703384399, -0.1868300884962082),
    ')': (-0.32326364517211914, 0.19572360813617706, -1.0862921476364136, -0.09785136580467224),
    '<s>': (-0.7232018709182739, -0.4845295250415802, -0.6990585327148438, -0.10525698959827423),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_3 = {
    '(': (0.20011389255523682, -0.13609792292118073, 0.4779320955276489, -0.3276304304599762),
    ')': (-0.6320146918296814, 0.5643212795257568, -0.3838564455509186, -0.43773436546325684),
    '<s>': (0.8468979001045227, -0.30942755937576294, 0.04091256856918335, -0.9689632654190063),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_4 = {
    '(': (0.598798930644989, -1.0088143348693848, 0.13906320929527283, -1.7422415018081665),
    ')': (0.900036096572876, 1.2993448972702026, 0.08668691664934158, 1.4669100046157837),
    '<s>': (-0.06075523421168327, 0.6010105609893799, 0.7591716051101685, 0.21337665617465973),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_5 = {
    '(': (-0.47615140676498413, -0.12401628494262695, -0.44301337003707886, -0.9262190461158752),
    ')': (0.4451451003551483, 0.0674314871430397, -0.5903148055076599, -0.14988231658935547),
    '<s>': (0.3570047616958618, 0.5735576748847961, -0.21846729516983032, -0.04565262049436569),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_6 = {
    '(': (0.011658143252134323, -0.5445293188095093, 0.06612145900726318, -0.8689184188842773),
    ')': (0.5505415797233582, 0.9175160527229309, -0.10611458122730255, 0.4341413378715515),
    '<s>': (-0.6318638920783997, 0.33005303144454956, 0.4316462576389313, -0.6224108934402466),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_7 = {
    '(': (-0.3046315908432007, -0.9812994003295898, -0.17979338765144348, -1.2564183473587036),
    ')': (-0.5618274807929993, 0.49203571677207947, -0.5522910356521606, -0.11697620898485184),
    '<s>': (0.025767549872398376, 0.5724573731422424, 0.5943771004676819, -1.0034584999084473),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_0_0 = {
    0: (0.26269230246543884, 0.8366806507110596, -0.7552753686904907, -2.1670734882354736),
    3: (-0.7719870805740356, -0.3283100724220276, 0.6175473928451538, -0.7418416738510132),
    12: (-0.16343045234680176, -0.9176156520843506, 0.6904537081718445, 1.172036051750183),
    14: (0.14331842958927155, -0.36284157633781433, -0.7817378640174866, 0.15483495593070984),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_0_1 = {
    3: (-0.11074226349592209, 0.9323472380638123, 0.21699729561805725, -0.04928172379732132),
    12: (0.04664606973528862, 0.08025018870830536, -0.1042606458067894, 0.12178283929824829),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_0 = {
    '(': (-0.5208178162574768, -0.43226003646850586, 0.31570813059806824, -0.18366940319538116),
    ')': (-0.7830186486244202, 0.676433801651001, -0.8931063413619995, -0.7483482956886292),
    '<s>': (0.1741843968629837, -0.350406676530838, -0.026883866637945175, -0.23783281445503235),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_1 = {
    '(': (0.3380068242549896, -1.126587986946106, 1.2590982913970947, 0.16609427332878113),
    ')': (-0.74273282289505, 2.0585122108459473, -1.0259969234466553, 0.08232051134109497),
    '<s>': (-0.2402433156967163, 0.5095155835151672, -1.0024834871292114, -0.4775109589099884),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_2 = {
    '(': (-0.7961613535881042, 0.9262813925743103, -0.5953553915023804, -0.4987885653972626),
    ')': (-0.2533207833766937, 1.1662999391555786, -2.024169445037842, -1.373849630355835),
    '<s>': (-0.4100704789161682, -1.3956005573272705, 0.7091397047042847, 1.5421785116195679),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_3 = {
    '(': (-0.8058521747589111, -0.8329033255577087, 1.4210164546966553, 0.8128952383995056),
    ')': (0.6744741797447205, 1.6574413776397705, -1.1296892166137695, 0.35874855518341064),
    '<s>': (-0.6955220103263855, -0.6514073610305786, 0.6796878576278687, -1.2140494585037231),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_4 = {
    '(': (-0.8792077898979187, -0.008784187957644463, 1.9614462852478027, 0.09087463468313217),
    ')': (0.12974995374679565, 4.084697246551514, -4.559136867523193, -2.4894649982452393),
    '<s>': (0.7452172040939331, -0.7079896926879883, 0.7278882265090942, 0.9628890156745911),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_5 = {
    '(': (-0.23204389214515686, -1.6475046873092651, 0.6505205035209656, -0.7343624234199524),
    ')': (0.4167367219924927, 1.206843376159668, -0.8507381081581116, -0.8376429677009583),
    '<s>': (0.04109729826450348, 1.8021291494369507, -0.5161780118942261, -0.2314385622739792),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_6 = {
    '(': (-0.9827414751052856, -0.6877008676528931, 0.9884241223335266, 0.635586678981781),
    ')': (-0.10776278376579285, 1.4180114269256592, -0.6269854307174683, -0.5507954955101013),
    '<s>': (-1.014886736869812, 0.560808539390564, -1.7108505964279175, 0.3375169336795807),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_7 = {
    '(': (0.4286651313304901, -0.6873096823692322, 0.059162721037864685, 0.08155104517936707),
    ')': (0.005541383288800716, 1.1101425886154175, -0.6794764399528503, -0.12034402042627335),
    '<s>': (-0.34213194251060486, 0.17156191170215607, 0.14222818613052368, 0.032398633658885956),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_1_0 = {
    0: (0.8584744334220886, -0.17704586684703827, -0.4328211843967438, 0.09291569143533707),
    3: (0.40047699213027954, 0.4222041368484497, 0.43334659934043884, -2.389460325241089),
    7: (-0.58384108543396, 0.24475611746311188, 0.3198707103729248, 0.6799057126045227),
    10: (0.008421899750828743, 0.22687415778636932, 0.14844991266727448, -1.0780187845230103),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_0 = {
    '(': (-0.08642753213644028, 0.617554783821106, -0.3307049870491028, -0.425840824842453),
    ')': (0.058954354375600815, 1.1188896894454956, -1.086273193359375, -1.5230265855789185),
    '<s>': (0.16982586681842804, -0.3370336890220642, 0.021851690486073494, -0.5113575458526611),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_1 = {
    '(': (-0.09056662768125534, -0.41536980867385864, 0.38003143668174744, -0.10259146988391876),
    ')': (-0.49772581458091736, 0.399039626121521, -0.4365190267562866, -0.7178979516029358),
    '<s>': (0.05718445032835007, 0.2151813805103302, 0.9155358672142029, 0.3901021182537079),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_2 = {
    '(': (-0.10081182420253754, -0.38705259561538696, 0.7217264771461487, -0.13380883634090424),
    ')': (0.3645119369029999, 2.4552574157714844, -3.537525177001953, -1.0356248617172241),
    '<s>': (0.6985605359077454, -0.309726357460022, 0.9152905941009521, 0.21932758390903473),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_3 = {
    '(': (-0.0774003192782402, 0.05461973324418068, 0.18282189965248108, -0.3009008467197418),
    ')': (0.1775234490633011, 0.7479565143585205, -0.6064735651016235, -1.151666283607483),
    '<s>': (0.1337558776140213, -0.5882694721221924, -0.10678607225418091, -0.7211223840713501),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_4 = {
    '(': (0.11194542795419693, 0.3826637864112854, 0.006319676525890827, 0.38151514530181885),
    ')': (0.012200916185975075, 0.6985062956809998, -0.9295724034309387, -0.538769543170929),
    '<s>': (0.9881983399391174, -0.546932578086853, -0.7508009076118469, -0.5906166434288025),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_5 = {
    '(': (0.34035465121269226, -0.24422353506088257, 1.3551713228225708, 1.3002722263336182),
    ')': (0.10218574106693268, 0.0030998429283499718, -0.79799485206604, -0.31713247299194336),
    '<s>': (0.35700175166130066, 0.6348451375961304, 0.4548071026802063, -0.6778517961502075),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_6 = {
    '(': (0.2681822180747986, -1.180774450302124, 1.773045301437378, 0.2405407726764679),
    ')': (-0.5904451012611389, 1.4759005308151245, -1.6849614381790161, -0.7010263800621033),
    '<s>': (0.24448998272418976, -1.0527126789093018, 0.6162494421005249, 0.23636208474636078),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_7 = {
    '(': (-0.01481497474014759, -0.11767752468585968, -0.13695105910301208, -0.5912494659423828),
    ')': (-0.026102637872099876, 0.011905761435627937, -0.21565651893615723, -0.6150735020637512),
    '<s>': (-0.5693373680114746, -0.041093047708272934, -0.22546952962875366, -0.5634899735450745),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_2_0 = {
    3: (0.011067874729633331, -0.44525250792503357, -0.4450939893722534, -0.9492266774177551),
    6: (0.9528942704200745, 0.4816170036792755, 0.8976296186447144, 0.09770402312278748),
    7: (-0.35129016637802124, 0.19556649029254913, 0.42430388927459717, -0.2875654101371765),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_BY_FEATURE = [
    READOUT_WEIGHTS_TOKENS, READOUT_WEIGHTS_INDICES, READOUT_WEIGHTS_ATTN_0_0,
    READOUT_WEIGHTS_ATTN_0_1, READOUT_WEIGHTS_ATTN_0_2, READOUT_WEIGHTS_ATTN_0_3,
    READOUT_WEIGHTS_ATTN_0_4, READOUT_WEIGHTS_ATTN_0_5, READOUT_WEIGHTS_ATTN_0_6,
    READOUT_WEIGHTS_ATTN_0_7, READOUT_WEIGHTS_MLP_0_0, READOUT_WEIGHTS_MLP_0_1,
    READOUT_WEIGHTS_ATTN_1_0, READOUT_WEIGHTS_ATTN_1_1, READOUT_WEIGHTS_ATTN_1_2,
    READOUT_WEIGHTS_ATTN_1_3, READOUT_WEIGHTS_ATTN_1_4, READOUT_WEIGHTS_ATTN_1_5,
    READOUT_WEIGHTS_ATTN_1_6, READOUT_WEIGHTS_ATTN_1_7, READOUT_WEIGHTS_MLP_1_0,
    READOUT_WEIGHTS_ATTN_2_0, READOUT_WEIGHTS_ATTN_2_1, READOUT_WEIGHTS_ATTN_2_2,
    READOUT_WEIGHTS_ATTN_2_3, READOUT_WEIGHTS_ATTN_2_4, READOUT_WEIGHTS_ATTN_2_5,
    READOUT_WEIGHTS_ATTN_2_6, READOUT_WEIGHTS_ATTN_2_7, READOUT_WEIGHTS_MLP_2_0,
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
    attn_0_1 = _attend_closest(indices, tokens, select_attn_0_1, tokens, causal=True)
    attn_0_2 = _attend_closest(indices, tokens, select_attn_0_2, tokens, causal=True)
    attn_0_3 = _attend_closest(indices, indices, select_attn_0_3, tokens, causal=True)
    attn_0_4 = _attend_closest(indices, indices, select_attn_0_4, tokens, causal=True)
    attn_0_5 = _attend_closest(indices, indices, select_attn_0_5, tokens, causal=True)
    attn_0_6 = _attend_closest(indices, indices, select_attn_0_6, tokens, causal=True)
    attn_0_7 = _attend_closest(indices, indices, select_attn_0_7, tokens, causal=True)
    mlp_0_0 = [MLP_0_0_TABLE[(x, y)] for x, y in zip(attn_0_4, attn_0_0)]
    mlp_0_1 = [MLP_0_1_TABLE[(x, y)] for x, y in zip(attn_0_6, attn_0_2)]
    attn_1_0 = _attend_closest(indices, mlp_0_1, select_attn_1_0, attn_0_1, causal=True)
    attn_1_1 = _attend_closest(indices, mlp_0_1, select_attn_1_1, tokens, causal=True)
    attn_1_2 = _attend_closest(mlp_0_0, mlp_0_1, select_attn_1_2, attn_0_3, causal=True)
    attn_1_3 = _attend_closest(indices, mlp_0_1, select_attn_1_3, tokens, causal=True)
    attn_1_4 = _attend_closest(
        indices, attn_0_6, select_attn_1_4, attn_0_1, causal=True
    )
    attn_1_5 = _attend_closest(indices, mlp_0_1, select_attn_1_5, attn_0_1, causal=True)
    attn_1_6 = _attend_closest(
        indices, attn_0_5, select_attn_1_6, attn_0_2, causal=True
    )
    attn_1_7 = _attend_closest(mlp_0_1, mlp_0_1, select_attn_1_7, attn_0_2, causal=True)
    mlp_1_0 = [MLP_1_0_TABLE[(x, y)] for x, y in zip(attn_1_2, attn_1_4)]
    attn_2_0 = _attend_closest(mlp_0_1, tokens, select_attn_2_0, attn_1_2, causal=True)
    attn_2_1 = _attend_closest(
        mlp_0_1, attn_0_7, select_attn_2_1, attn_0_3, causal=True
    )
    attn_2_2 = _attend_closest(indices, mlp_0_1, select_attn_2_2, attn_1_3, causal=True)
    attn_2_3 = _attend_closest(mlp_0_0, tokens, select_attn_2_3, attn_0_6, causal=True)
    attn_2_4 = _attend_closest(
        mlp_0_1, attn_0_0, select_attn_2_4, attn_0_3, causal=True
    )
    attn_2_5 = _attend_closest(mlp_0_0, mlp_0_1, select_attn_1_2, attn_0_2, causal=True)
    attn_2_6 = _attend_closest(indices, tokens, select_attn_2_6, attn_0_5, causal=True)
    attn_2_7 = _attend_closest(indices, tokens, select_attn_2_7, attn_1_1, causal=True)
    mlp_2_0 = [MLP_2_0_TABLE[x] for x in attn_2_7]
    # readout_logits[i] = READOUT_BIAS + each feature's weights at position i
    # fmt: off
    readout_logits = _logits(
        READOUT_BIAS,
        [
            tokens, indices, attn_0_0, attn_0_1, attn_0_2, attn_0_3, attn_0_4, attn_0_5,
            attn_0_6, attn_0_7, mlp_0_0, mlp_0_1, attn_1_0, attn_1_1, attn_1_2, attn_1_3,
            attn_1_4, attn_1_5, attn_1_6, attn_1_7, mlp_1_0, attn_2_0, attn_2_1, attn_2_2,
            attn_2_3, attn_2_4, attn_2_5, attn_2_6, attn_2_7, mlp_2_0,
        ],
        READOUT_WEIGHTS_BY_FEATURE,
    )
    # fmt: on
    readout = [READOUT_CLASSES[_argmax(row, READOUT_ALLOWED)] for row in readout_logits]
    return readout


def run_batch(batch: list[list[str]]) -> list[list]:
    """`run` on each input of `batch`."""
    return [run(tokens) for tokens in batch]
