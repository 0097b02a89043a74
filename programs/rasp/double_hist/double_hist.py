"""double_hist: emitted by tpc's Python back end from the program's IR.

Task: double_hist (k = 8, N = 8).
Model: 3 layers, 2+2 heads and 1+1 MLPs (categorical+numerical), d_var 8.
Discrete model accuracy: train 99.94%, val 99.94%, test 99.95% (epoch 132).
Produced by: tpc lower, tpc opt -O3.
Exact on the scored positions of every double_hist input (k = 8, N = 8); BOS/EOS outputs are free.

Vocabulary (7): '<s>', '0', '1', '2', '3', '4', '5'
Maximum length: 8 (counting BOS '<s>': include them in the input)
Output: node `readout` (readout, values {'<pad>', '1', '2', '3', '4', …, '6'})

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
    return key == {3: 7, 5: 7, 7: 2}.get(query, 6)
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, VOCAB)
def select_num_attn_0_1(key: str, query: str) -> bool:
    return key == {'<s>': None}.get(query, query)
# fmt: on


NUM_ATTN_0_1_VALUES = {0, 1, 2, 3, 4, 5, 6, 7}


# num_mlp_0_0 = NUM_MLP_0_0_RUNS at num_attn_0_1:
# the output of the last listed start at or before it
# fmt: off
NUM_MLP_0_0_RUNS = _runs({0: 5, 2: 6, 3: 2})
# fmt: on


ATTN_0_0_VALUES = {0, 1, 2, 3, 4, 5, 6, 7}


# fmt: off
@_selects_by_query(range(MAX_LEN), ATTN_0_0_VALUES)
def select_attn_1_0(key: int, query: int) -> bool:
    return key == {0: 7, 2: 7, 6: 7, 7: 5}.get(query)
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), ATTN_0_0_VALUES)
def select_attn_1_1(key: int, query: int) -> bool:
    return key == {0: 5, 2: 7, 6: 7, 7: 1}.get(query)
# fmt: on


NUM_MLP_0_0_VALUES = {2, 5, 6}


MLP_0_0_VALUES = {6}


# fmt: off
@_selects_by_query(NUM_MLP_0_0_VALUES, MLP_0_0_VALUES)
def select_num_attn_1_0(key: int, query: int) -> bool:
    return key == 5
# fmt: on


NUM_ATTN_1_0_VALUES = {1, 2, 3, 4, 5, 6, 7}


# fmt: off
@_selects_by_query(NUM_MLP_0_0_VALUES, NUM_MLP_0_0_VALUES)
def select_num_attn_1_1(key: int, query: int) -> bool:
    return key == {5: None}.get(query, query)
# fmt: on


# mlp_1_0 = MLP_1_0_TABLE[num_mlp_0_0]
# fmt: off
MLP_1_0_TABLE = {
    2: 6, 5: 1, 6: 6,
}
# fmt: on


ATTN_1_1_VALUES = {0, 1, 2, 3, 4, 5, 6, 7}


# fmt: off
@_selects_by_query(ATTN_1_1_VALUES, ATTN_1_1_VALUES)
def select_attn_2_1(key: int, query: int) -> bool:
    return key == {5: 7}.get(query)
# fmt: on


# fmt: off
@_selects_by_query(VOCAB, VOCAB)
def select_num_attn_2_0(key: str, query: str) -> bool:
    return key == {'<s>': '4'}.get(query, query)
# fmt: on


# num_mlp_2_0 = NUM_MLP_2_0_TABLE[num_attn_1_0, num_attn_0_1], 2 where not listed
# fmt: off
NUM_MLP_2_0_TABLE = {
    (1, 0): 4, (2, 0): 4, (3, 0): 4, (3, 1): 1, (4, 0): 4, (4, 1): 4, (5, 0): 4, (5, 1): 4,
    (6, 0): 4, (6, 1): 4, (7, 0): 4, (7, 1): 4, (7, 2): 1,
}
# fmt: on


# readout: logits = READOUT_BIAS + the weight row of each categorical feature's value
# + each numerical feature (tabulated per value); the prediction is the allowed class
# with the highest logit (the first one on ties)
READOUT_CLASSES = ("<pad>", "1", "2", "3", "4", "5", "6")
READOUT_ALLOWED = (1, 2, 3, 4, 5, 6)
# fmt: off
READOUT_BIAS = (1.5148034617304802, 8.38522881269455, 9.19124922156334, 5.036021005362272, -15.926870465278625, -35.25772309303284, -38.76828670501709)
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_0 = {
    0: (-0.01752251572906971, 1.0100890398025513, 1.290718674659729, 0.6190432906150818, -0.9525045156478882, -7.480629920959473, -4.062984943389893),
    1: (0.02097720466554165, 0.8135639429092407, 0.06063000112771988, 0.3992984890937805, -1.7433886528015137, -1.2798599004745483, -1.9727776050567627),
    2: (-0.3890521824359894, 0.8852538466453552, 0.29710495471954346, 0.337838739156723, -1.465946912765503, -0.8766914010047913, -1.6442914009094238),
    3: (-0.05500321090221405, 0.6612280607223511, 0.4616715908050537, -0.1483491063117981, -0.26899316906929016, -1.9549310207366943, -1.5554897785186768),
    4: (-0.18213100731372833, 0.6600982546806335, 0.45941805839538574, 0.004801389295607805, -0.2513687014579773, -1.5854657888412476, -1.5150983333587646),
    5: (0.15334603190422058, 0.8757412433624268, 0.31786930561065674, 0.48957201838493347, -1.6554014682769775, -1.3345285654067993, -3.166465997695923),
    6: (-0.3886837065219879, 1.169921875, 1.0588023662567139, 0.5757323503494263, 0.17784123122692108, -2.988137722015381, -1.2977914810180664),
    7: (-0.8966816663742065, 1.266552448272705, 0.7537217140197754, 0.7227288484573364, -1.2777460813522339, -0.9533510804176331, -7.154477119445801),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_1_0 = {
    1: (-0.3362761437892914, 0.30249401926994324, 0.7989914417266846, 1.0102849006652832, -0.8245073556900024, -2.7770912647247314, -3.6727938652038574),
    6: (-0.28412064909935, 4.7357001304626465, 2.5441784858703613, -1.8990412950515747, -4.882918357849121, -9.845691680908203, -8.550697326660156),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_MLP_1_0 = {
    0: (0.32606664299964905, 0.013113311491906643, 1.0387351512908936, 2.5892720222473145, -0.5265681743621826, -3.3446736335754395, -4.29050874710083),
    5: (0.22376658022403717, 3.134988307952881, 2.3344032764434814, -1.4451204538345337, -7.237591743469238, -8.847440719604492, -6.63276481628418),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_1 = {
    0: (-0.0398685447871685, 1.368972659111023, 1.1488157510757446, 0.5353947877883911, -0.5965494513511658, -4.624871730804443, -2.8175199031829834),
    1: (0.7977100014686584, 0.7256450653076172, 0.32097893953323364, 0.10725067555904388, -0.8423125743865967, -2.396522045135498, -2.3595645427703857),
    2: (0.22081881761550903, 0.18876279890537262, 0.9747028946876526, 0.20578837394714355, -1.178274154663086, -2.863097667694092, -2.59383487701416),
    3: (0.35670560598373413, 0.1882295459508896, 0.10232750326395035, -0.05269055813550949, -0.7898361682891846, -1.5273622274398804, -1.3612903356552124),
    4: (-1.257686972618103, 0.24956189095973969, 1.1994991302490234, -0.7407283186912537, -0.7212389707565308, -2.5368168354034424, -1.840162992477417),
    5: (0.025828568264842033, 0.5886063575744629, 0.15538178384304047, 0.5456637740135193, -2.2346608638763428, -0.9217016100883484, -2.7656190395355225),
    6: (-0.1366296261548996, 0.9562356472015381, 0.8654342293739319, -0.019449768587946892, -0.9746971726417542, -3.61775279045105, -1.533576250076294),
    7: (-0.07660914957523346, 1.5659873485565186, 0.9441149830818176, 0.3183756470680237, -1.013508677482605, -2.7327632904052734, -9.255657196044922),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_MLP_2_0 = {
    1: (-0.09252706170082092, -8.967588424682617, 1.6544262170791626, 4.891282081604004, -0.24282148480415344, -1.3581546545028687, -1.3328174352645874),
    2: (0.4177607595920563, 6.374277591705322, 2.048497200012207, -2.6738758087158203, -2.899948835372925, -5.06389045715332, -4.828387260437012),
    4: (0.14569784700870514, -17.35987663269043, -9.553384780883789, 9.99903392791748, 4.776460647583008, 1.638538122177124, 3.4329075813293457),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_1 = {
    0: (0.0, 0.0, 0.0, -0.0, -0.0, -0.0, -0.0),
    1: (0.43511635065078735, 4.0538153648376465, 0.2289072424173355, -2.272775888442993, -4.040699005126953, -5.095455169677734, -5.265524864196777),
    2: (0.8702327013015747, 8.107630729675293, 0.457814484834671, -4.545551776885986, -8.081398010253906, -10.190910339355469, -10.531049728393555),
    3: (1.305349051952362, 12.16144609451294, 0.6867217272520065, -6.8183276653289795, -12.12209701538086, -15.286365509033203, -15.796574592590332),
    4: (1.7404654026031494, 16.215261459350586, 0.915628969669342, -9.091103553771973, -16.162796020507812, -20.381820678710938, -21.06209945678711),
    5: (2.1755817532539368, 20.269076824188232, 1.1445362120866776, -11.363879442214966, -20.203495025634766, -25.477275848388672, -26.327624320983887),
    6: (2.610698103904724, 24.32289218902588, 1.373443454504013, -13.636655330657959, -24.24419403076172, -30.572731018066406, -31.593149185180664),
    7: (3.0458144545555115, 28.376707553863525, 1.6023506969213486, -15.909431219100952, -28.284893035888672, -35.66818618774414, -36.85867404937744),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_0 = {
    1: (0.4256211519241333, -3.8373379707336426, -3.100360631942749, -4.113591194152832, 4.831179618835449, 11.624373435974121, 11.829391479492188),
    2: (0.8512423038482666, -7.674675941467285, -6.200721263885498, -8.227182388305664, 9.662359237670898, 23.248746871948242, 23.658782958984375),
    3: (1.2768634557724, -11.512013912200928, -9.301081895828247, -12.340773582458496, 14.493538856506348, 34.87312030792236, 35.48817443847656),
    4: (1.7024846076965332, -15.34935188293457, -12.401442527770996, -16.454364776611328, 19.324718475341797, 46.497493743896484, 47.31756591796875),
    5: (2.1281057596206665, -19.186689853668213, -15.501803159713745, -20.56795597076416, 24.155898094177246, 58.121867179870605, 59.14695739746094),
    6: (2.5537269115448, -23.024027824401855, -18.602163791656494, -24.681547164916992, 28.987077713012695, 69.74624061584473, 70.97634887695312),
    7: (2.979348063468933, -26.861365795135498, -21.702524423599243, -28.795138359069824, 33.818257331848145, 81.37061405181885, 82.80574035644531),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_1 = {
    0: (-0.0, -0.0, -0.0, 0.0, 0.0, 0.0, 0.0),
    2: (-1.5972849130630493, -19.989463806152344, -5.643340587615967, 9.62386417388916, 17.912212371826172, 21.66503143310547, 21.570270538330078),
    3: (-2.395927369594574, -29.984195709228516, -8.46501088142395, 14.43579626083374, 26.868318557739258, 32.4975471496582, 32.35540580749512),
    4: (-3.1945698261260986, -39.97892761230469, -11.286681175231934, 19.24772834777832, 35.824424743652344, 43.33006286621094, 43.140541076660156),
    5: (-3.9932122826576233, -49.97365951538086, -14.108351469039917, 24.0596604347229, 44.78053092956543, 54.16257858276367, 53.925676345825195),
    6: (-4.791854739189148, -59.96839141845703, -16.9300217628479, 28.87159252166748, 53.736637115478516, 64.9950942993164, 64.71081161499023),
    7: (-5.590497195720673, -69.9631233215332, -19.751692056655884, 33.68352460861206, 62.6927433013916, 75.82761001586914, 75.49594688415527),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_0 = {
    0: (0.0, 0.0, 0.0, -0.0, -0.0, -0.0, -0.0),
    1: (0.11353960633277893, 3.600721836090088, 1.6074930429458618, -1.5482152700424194, -4.660914897918701, -10.994119644165039, -11.60210132598877),
    4: (0.4541584253311157, 14.402887344360352, 6.429972171783447, -6.192861080169678, -18.643659591674805, -43.976478576660156, -46.40840530395508),
    9: (1.0218564569950104, 32.40649652481079, 14.467437386512756, -13.933937430381775, -41.94823408126831, -98.94707679748535, -104.41891193389893),
    16: (1.816633701324463, 57.611549377441406, 25.71988868713379, -24.77144432067871, -74.57463836669922, -175.90591430664062, -185.6336212158203),
    25: (2.8384901583194733, 90.0180459022522, 40.187326073646545, -38.705381751060486, -116.52287244796753, -274.852991104126, -290.05253314971924),
    36: (4.0874258279800415, 129.62598609924316, 57.869749546051025, -55.7357497215271, -167.79293632507324, -395.7883071899414, -417.6756477355957),
    49: (5.563440710306168, 176.4353699684143, 78.76715910434723, -75.86254823207855, -228.38482999801636, -538.7118625640869, -568.5029649734497),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_BY_FEATURE = [
    READOUT_WEIGHTS_ATTN_1_0, READOUT_WEIGHTS_MLP_1_0, READOUT_WEIGHTS_NUM_MLP_1_0,
    READOUT_WEIGHTS_ATTN_2_1, READOUT_WEIGHTS_NUM_MLP_2_0,
    READOUT_WEIGHTS_NUM_ATTN_0_1, READOUT_WEIGHTS_NUM_ATTN_1_0,
    READOUT_WEIGHTS_NUM_ATTN_1_1, READOUT_WEIGHTS_NUM_ATTN_2_0,
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
    attn_0_0 = _attend_closest(indices, indices, select_attn_0_0, indices)
    num_attn_0_1 = _count_selected(tokens, tokens, select_num_attn_0_1)
    _check_members(num_attn_0_1, NUM_ATTN_0_1_VALUES, "num_attn_0_1")
    mlp_0_0 = [6] * n
    num_mlp_0_0 = [_in_run(NUM_MLP_0_0_RUNS, x) for x in num_attn_0_1]
    attn_1_0 = _attend_closest(indices, attn_0_0, select_attn_1_0, indices)
    attn_1_1 = _attend_closest(indices, attn_0_0, select_attn_1_1, indices)
    num_attn_1_0 = _count_selected(num_mlp_0_0, mlp_0_0, select_num_attn_1_0)
    _check_members(num_attn_1_0, NUM_ATTN_1_0_VALUES, "num_attn_1_0")
    num_attn_1_1 = _count_selected(num_mlp_0_0, num_mlp_0_0, select_num_attn_1_1)
    mlp_1_0 = [MLP_1_0_TABLE[x] for x in num_mlp_0_0]
    num_mlp_1_0 = [0 if x < 2 else 5 for x in num_attn_0_1]
    attn_2_1 = _attend_closest(attn_1_1, attn_1_1, select_attn_2_1, attn_1_1)
    num_attn_2_0 = _attend_sum(tokens, tokens, select_num_attn_2_0, num_attn_0_1)
    num_mlp_2_0 = [
        NUM_MLP_2_0_TABLE.get((x, y), 2) for x, y in zip(num_attn_1_0, num_attn_0_1)
    ]
    # readout_logits[i] = READOUT_BIAS + each feature's weights at position i
    # fmt: off
    readout_logits = _logits(
        READOUT_BIAS,
        [
            attn_1_0, mlp_1_0, num_mlp_1_0, attn_2_1, num_mlp_2_0, num_attn_0_1,
            num_attn_1_0, num_attn_1_1, num_attn_2_0,
        ],
        READOUT_WEIGHTS_BY_FEATURE,
    )
    # fmt: on
    readout = [READOUT_CLASSES[_argmax(row, READOUT_ALLOWED)] for row in readout_logits]
    return readout


def run_batch(batch: list[list[str]]) -> list[list]:
    """`run` on each input of `batch`."""
    return [run(tokens) for tokens in batch]
