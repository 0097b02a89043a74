"""dyck1: emitted by tpc's Python back end from the program's IR.

Task: dyck1 (k = 16, N = 16).
Model: 3 layers, 8+0 heads and 2+0 MLPs (categorical+numerical), d_var 16, causal.
Discrete model accuracy: train 99.13%, val 99.13%, test 99.22% (epoch 144).
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
_IN_VOCAB = frozenset(VOCAB)
MAX_LEN = 16
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
@_selects_by_query(range(MAX_LEN), VOCAB)
def select_attn_0_0(key: int, query: str) -> bool:
    return key == {')': 6}.get(query, 1)
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_1(key: int, query: int) -> bool:
    if query == 0: return key == 10
    if query in {1, 2}: return key == 1
    if query in {3, 4, 6}: return key == 2
    if query in {5, 8, 11}: return key == 7
    if query in {7, 15}: return key == 11
    if query == 9: return key == 5
    if query in {10, 12, 14}: return key == 9
    return key == 6
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_2(key: int, query: int) -> bool:
    if query in {0, 4, 6}: return key == 2
    if query in {1, 2}: return key == 1
    if query in {3, 12, 14, 15}: return key == 8
    if query == 5: return key == 12
    if query == 7: return key == 13
    if query == 8: return key == 5
    if query == 9: return key == 14
    if query == 10: return key == 7
    if query == 11: return key == 6
    return key == 9
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_3(key: int, query: int) -> bool:
    if query in {0, 14, 15}: return key == 12
    if query == 1: return key == 0
    if query == 2: return key == 1
    if query == 3: return key == 2
    if query == 4: return key == 3
    if query in {5, 7}: return key == 15
    if query == 6: return key == 5
    if query in {8, 9}: return key == 7
    if query == 10: return key == 9
    if query == 11: return key == 8
    return key == 11
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_4(key: int, query: int) -> bool:
    if query in {0, 8}: return key == 7
    if query == 1: return key == 2
    if query == 2: return key == 1
    if query in {3, 13}: return key == 8
    if query == 4: return key == 3
    if query == 5: return key == 15
    if query == 6: return key == 5
    if query == 7: return key == 10
    if query in {9, 14}: return key == 12
    if query in {10, 12}: return key == 6
    return key == 9
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_5(key: int, query: int) -> bool:
    if query in {0, 6}: return key == 4
    if query == 1: return key == 1
    if query in {2, 7}: return key == 5
    if query in {3, 14}: return key == 10
    if query == 4: return key == 2
    if query == 5: return key == 15
    if query == 8: return key == 6
    if query == 9: return key == 11
    if query in {10, 12, 13, 15}: return key == 8
    return key == 13
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_6(key: int, query: int) -> bool:
    if query in {0, 11}: return key == 9
    if query in {2, 14, 15}: return key == 13
    if query == 4: return key == 2
    if query in {5, 10}: return key == 8
    if query == 6: return key == 4
    if query == 7: return key == 5
    if query in {8, 9}: return key == 6
    if query in {12, 13}: return key == 10
    return key == query
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_7(key: int, query: int) -> bool:
    if query in {0, 5, 13, 14}: return key == 11
    if query == 2: return key == 5
    if query == 4: return key == 2
    if query == 6: return key == 4
    if query == 7: return key == 13
    if query in {8, 9}: return key == 6
    if query == 10: return key == 9
    if query == 11: return key == 8
    if query in {12, 15}: return key == 10
    return key == query
# fmt: on


# mlp_0_0 = MLP_0_0_TABLE[attn_0_3, attn_0_6]
# fmt: off
MLP_0_0_TABLE = {
    ('(', '('): 7, ('(', ')'): 12, ('(', '<s>'): 2, (')', '('): 12, (')', ')'): 3, (')', '<s>'): 3,
    ('<s>', '('): 2, ('<s>', ')'): 14, ('<s>', '<s>'): 2,
}
# fmt: on


# mlp_0_1 = MLP_0_1_TABLE[attn_0_7, attn_0_0], 8 where not listed
# fmt: off
MLP_0_1_TABLE = {
    ('<s>', ')'): 3,
}
# fmt: on


MLP_0_0_VALUES = {2, 3, 7, 12, 14}


# fmt: off
@_selects_by_query(range(MAX_LEN), MLP_0_0_VALUES)
def select_attn_1_0(key: int, query: int) -> bool:
    return key == {3: 3, 7: 3, 14: 7}.get(query, 5)
# fmt: on


MLP_0_1_VALUES = {3, 8}


# fmt: off
@_selects_by_query(range(MAX_LEN), MLP_0_1_VALUES)
def select_attn_1_1(key: int, query: int) -> bool:
    return key == {8: 9}.get(query, 3)
# fmt: on


# fmt: off
@_selects_by_query(MLP_0_0_VALUES, MLP_0_0_VALUES)
def select_attn_1_2(key: int, query: int) -> bool:
    return key == 3
# fmt: on


# fmt: off
@_selects_by_query(MLP_0_0_VALUES, VOCAB)
def select_attn_1_3(key: int, query: str) -> bool:
    return key == {')': 7}.get(query, 3)
# fmt: on


ATTN_0_3_VALUES = {"(", ")", "<s>"}


# fmt: off
@_selects_by_query(range(MAX_LEN), ATTN_0_3_VALUES)
def select_attn_1_4(key: int, query: str) -> bool:
    return key == {')': 4}.get(query, 3)
# fmt: on


# fmt: off
@_selects_by_query(MLP_0_0_VALUES, MLP_0_1_VALUES)
def select_attn_1_5(key: int, query: int) -> bool:
    return key == 7
# fmt: on


# fmt: off
@_selects_by_query(MLP_0_0_VALUES, range(MAX_LEN))
def select_attn_1_6(key: int, query: int) -> bool:
    return key == {1: 14, 3: 14, 5: 12}.get(query, 3)
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), MLP_0_1_VALUES)
def select_attn_1_7(key: int, query: int) -> bool:
    return key == {8: 5}.get(query, 3)
# fmt: on


# mlp_1_0 = MLP_1_0_TABLE[attn_1_3, tokens]
# fmt: off
MLP_1_0_TABLE = {
    ('(', '('): 13, ('(', ')'): 14, ('(', '<s>'): 1, (')', '('): 14, (')', ')'): 14,
    (')', '<s>'): 14, ('<s>', '('): 13, ('<s>', ')'): 14, ('<s>', '<s>'): 1,
}
# fmt: on


# mlp_1_1 = MLP_1_1_TABLE[attn_1_4, attn_1_5]
# fmt: off
MLP_1_1_TABLE = {
    ('(', '('): 13, ('(', ')'): 15, ('(', '<s>'): 13, (')', '('): 15, (')', ')'): 5,
    (')', '<s>'): 5, ('<s>', '('): 13, ('<s>', ')'): 5, ('<s>', '<s>'): 8,
}
# fmt: on


# fmt: off
@_selects_by_query(MLP_0_0_VALUES, VOCAB)
def select_attn_2_1(key: int, query: str) -> bool:
    return key == {'(': 3, ')': 7}.get(query)
# fmt: on


# fmt: off
@_selects_by_query(MLP_0_0_VALUES, MLP_0_0_VALUES)
def select_attn_2_3(key: int, query: int) -> bool:
    return key == {14: 7}.get(query, 3)
# fmt: on


# fmt: off
@_selects_by_query(range(MAX_LEN), VOCAB)
def select_attn_2_4(key: int, query: str) -> bool:
    return key == {'<s>': 5}.get(query, 4)
# fmt: on


# fmt: off
@_selects_by_query(MLP_0_1_VALUES, ATTN_0_3_VALUES)
def select_attn_2_5(key: int, query: str) -> bool:
    return key == 3
# fmt: on


# fmt: off
@_selects_by_query(MLP_0_0_VALUES, MLP_0_1_VALUES)
def select_attn_2_6(key: int, query: int) -> bool:
    return key == {8: 14}.get(query)
# fmt: on


ATTN_0_4_VALUES = {"(", ")", "<s>"}


# fmt: off
@_selects_by_query(MLP_0_0_VALUES, ATTN_0_4_VALUES)
def select_attn_2_7(key: int, query: str) -> bool:
    return key == 3
# fmt: on


# mlp_2_0 = MLP_2_0_TABLE[attn_2_2, attn_2_1]
# fmt: off
MLP_2_0_TABLE = {
    ('(', '('): 4, ('(', ')'): 15, ('(', '<s>'): 4, (')', '('): 15, (')', ')'): 15,
    (')', '<s>'): 13, ('<s>', '('): 4, ('<s>', ')'): 6, ('<s>', '<s>'): 4,
}
# fmt: on


# readout: logits = READOUT_BIAS + the weight row of each categorical feature's value
# + each numerical feature (tabulated per value); the prediction is the allowed class
# with the highest logit (the first one on ties)
READOUT_CLASSES = ("<pad>", "F", "P", "T")
READOUT_ALLOWED = (1, 2, 3)
# fmt: off
READOUT_BIAS = (0.11304423213005066, -0.36476318864151835, -0.618725411593914, -0.046974122524261475)
# fmt: on
# fmt: off
READOUT_WEIGHTS_TOKENS = {
    '(': (0.7299781441688538, 0.32513654232025146, 1.5707844495773315, -3.9893951416015625),
    ')': (-0.19741398096084595, -0.8083786368370056, -1.0823800563812256, 2.8105251789093018),
    '<s>': (-0.01181645318865776, 0.2450818568468094, 0.5413404107093811, -0.14701388776302338),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_INDICES = {
    0: (0.00362091651186347, -0.3715134263038635, 0.5202556848526001, -0.69390869140625),
    1: (-1.1100101470947266, 1.088883638381958, 0.14953897893428802, -3.890108108520508),
    2: (-0.13456781208515167, -0.9981504082679749, -4.271664619445801, 5.344927787780762),
    3: (0.3661758005619049, -0.3094231188297272, 3.0959320068359375, -7.619198799133301),
    4: (0.31272074580192566, -0.6279166340827942, -3.1018195152282715, 4.006181240081787),
    5: (-0.39992010593414307, -0.37072616815567017, 1.2633768320083618, -8.777159690856934),
    6: (0.5727641582489014, -0.7073360085487366, -0.7129612565040588, 3.3242924213409424),
    7: (-0.1467292159795761, 0.06503655016422272, 1.0389872789382935, -8.239471435546875),
    8: (-0.2627096474170685, -1.6011062860488892, 0.12489384412765503, 2.747224807739258),
    9: (0.18274474143981934, 1.0389997959136963, 1.7056993246078491, -7.9325761795043945),
    10: (0.5003923773765564, -1.5295867919921875, -0.312099426984787, 1.7537156343460083),
    11: (-0.4200972318649292, 0.3811853229999542, 0.9214189052581787, -9.298172950744629),
    12: (0.23903469741344452, 0.46669483184814453, -0.06475231051445007, 2.121746063232422),
    13: (0.17635484039783478, 0.6859253644943237, 0.19850142300128937, -8.757771492004395),
    14: (0.4238593876361847, 1.2676525115966797, -0.2771140933036804, 1.872973918914795),
    15: (0.886165976524353, 1.588536262512207, 0.19639018177986145, -7.316971302032471),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_0 = {
    '(': (0.39007359743118286, -0.8626026511192322, 0.9788580536842346, -0.5064149498939514),
    ')': (-0.3265882730484009, -0.2914217710494995, -0.67259681224823, -0.5464596748352051),
    '<s>': (-1.0809420347213745, 0.5944059491157532, 0.5070876479148865, 0.4969346225261688),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_1 = {
    '(': (-0.5883492827415466, -0.3501666784286499, 0.5983303189277649, -0.32714682817459106),
    ')': (-0.5855801105499268, 1.1908304691314697, -0.4342223107814789, -0.056046947836875916),
    '<s>': (-0.1734158992767334, 0.4186704754829407, -0.17485712468624115, -1.3918592929840088),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_2 = {
    '(': (-0.5395513772964478, -1.1824538707733154, 0.01933116838335991, -0.967473030090332),
    ')': (-0.13438504934310913, 1.2344088554382324, -0.7516142129898071, 0.0686740055680275),
    '<s>': (-0.22501148283481598, -0.0049343109130859375, -0.06682682037353516, -0.7892778515815735),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_3 = {
    '(': (-0.5373136401176453, -0.22399574518203735, 0.9277052879333496, -0.2582765221595764),
    ')': (0.43326565623283386, 0.486625611782074, -0.13434551656246185, 1.3562370538711548),
    '<s>': (-0.13081884384155273, 0.6850286722183228, 0.0669710636138916, -5.454409122467041),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_4 = {
    '(': (-0.5186163783073425, -0.9398363828659058, 0.4133913815021515, 0.10000103712081909),
    ')': (-0.18771833181381226, 0.6590122580528259, -0.4418199062347412, 0.5110034346580505),
    '<s>': (-0.8978476524353027, -0.4787467420101166, -0.06696996837854385, 0.13109664618968964),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_5 = {
    '(': (0.338411420583725, 0.1454898566007614, 0.7678424715995789, 0.1649804264307022),
    ')': (-0.7378169298171997, 0.415771484375, -0.5081921219825745, -0.3075321912765503),
    '<s>': (-0.2517131268978119, -0.09644419699907303, -0.22135207056999207, -0.8991854786872864),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_6 = {
    '(': (0.6750013828277588, -0.3166801929473877, 0.6019374132156372, -1.1293950080871582),
    ')': (-0.1281886249780655, 0.8561980724334717, -0.4578598141670227, 0.8046644926071167),
    '<s>': (0.33286768198013306, 0.11550948023796082, 0.7136304378509521, -1.0313891172409058),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_7 = {
    '(': (0.22397643327713013, 0.3418236970901489, 1.025219440460205, 0.4656308889389038),
    ')': (-0.3309685289859772, 0.7223802208900452, -0.8120666742324829, -0.25949689745903015),
    '<s>': (0.15662194788455963, -0.39703720808029175, -0.1770365983247757, -0.6209656596183777),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_0_0 = {
    2: (-0.07020562142133713, -0.08684635907411575, -0.9800252318382263, 2.373356819152832),
    3: (-0.24824635684490204, 0.762180745601654, 0.28076666593551636, -1.13642418384552),
    7: (0.43777889013290405, 1.0765585899353027, -0.8527954816818237, -3.053015947341919),
    12: (-0.9006062150001526, 0.0591597817838192, 0.3838922083377838, 0.9381262063980103),
    14: (-0.006770582403987646, -0.3794897794723511, 1.6363507509231567, -0.41203582286834717),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_0 = {
    '(': (0.3850672245025635, -0.48812952637672424, 1.0924627780914307, 1.1873185634613037),
    ')': (0.15770556032657623, 3.4971261024475098, -3.5724117755889893, -0.49925899505615234),
    '<s>': (0.4574013948440552, -0.7944312691688538, 0.48868855834007263, 0.7359988689422607),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_1 = {
    '(': (-0.024752646684646606, -0.8296505808830261, 0.3937312960624695, -1.3637727499008179),
    ')': (-0.4762755036354065, 1.602648377418518, -0.9818637371063232, -0.5069738030433655),
    '<s>': (-0.9969648122787476, 0.2930397093296051, 1.1679887771606445, -0.06967563927173615),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_2 = {
    '(': (-0.6157795786857605, 0.7377976179122925, -1.814596176147461, -1.6253079175949097),
    ')': (-0.12221072614192963, 2.2129485607147217, -1.1801707744598389, -0.7285681962966919),
    '<s>': (-0.8747050166130066, -2.5346052646636963, 1.8034363985061646, 1.0016136169433594),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_3 = {
    '(': (0.22339244186878204, -0.17948666214942932, 0.5384806990623474, -0.9836227297782898),
    ')': (-0.5251151323318481, 0.7108525633811951, 0.7508038878440857, -0.45133528113365173),
    '<s>': (0.6198217868804932, 0.03963828831911087, -1.2391111850738525, 0.7307425737380981),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_4 = {
    '(': (0.11957285553216934, 0.2544704079627991, 0.9591584205627441, -0.13927368819713593),
    ')': (0.05237506330013275, -0.307709664106369, -0.5208360552787781, 0.0644163116812706),
    '<s>': (-1.262087106704712, 1.1144616603851318, -0.6646833419799805, -0.8272795081138611),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_5 = {
    '(': (0.4999631345272064, 1.02583646774292, 0.989854097366333, -1.81051504611969),
    ')': (0.014745122753083706, 0.95085209608078, 0.9010134339332581, -0.5056192874908447),
    '<s>': (-1.042845606803894, 0.7544300556182861, -0.35633426904678345, 1.0724687576293945),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_6 = {
    '(': (0.17569974064826965, 0.03266320750117302, 0.3547861874103546, -0.4029879570007324),
    ')': (0.07533445209264755, 0.4365924000740051, -0.7106384038925171, -0.7467067837715149),
    '<s>': (0.22506508231163025, -1.2531418800354004, 1.0250025987625122, 1.2344955205917358),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_7 = {
    '(': (0.548786997795105, -0.538138747215271, 1.1981755495071411, -0.48946893215179443),
    ')': (-0.3017609417438507, -0.07355573028326035, 0.397407203912735, 0.16098041832447052),
    '<s>': (-0.7260625958442688, -0.0811307281255722, 0.8928696513175964, -0.03519001975655556),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_1_0 = {
    1: (-0.06594525277614594, 0.07138022035360336, -0.041853632777929306, -0.307780921459198),
    13: (0.0700865238904953, -1.3444913625717163, 2.117367744445801, -6.203153133392334),
    14: (0.06852025538682938, 0.8755747675895691, -0.9714388251304626, -0.012656565755605698),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_1_1 = {
    5: (-0.2151324450969696, 0.004544531926512718, 0.04340360686182976, -0.42010071873664856),
    8: (0.1488046646118164, 0.21973857283592224, -0.25182604789733887, 0.06727268546819687),
    13: (0.883790135383606, 0.15993982553482056, -0.38292330503463745, -0.49845176935195923),
    15: (0.26815953850746155, -0.11969292908906937, -0.7936194539070129, -0.984811007976532),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_0 = {
    '(': (0.6527700424194336, -2.2108757495880127, 1.3220040798187256, -0.5340045094490051),
    ')': (0.04774567484855652, 2.9553749561309814, -3.1150102615356445, -2.6161718368530273),
    '<s>': (-0.25150197744369507, 0.9766948819160461, -1.1474146842956543, 0.271117240190506),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_1 = {
    '(': (0.9396170377731323, -0.9077200293540955, 0.09890948981046677, 0.03362996503710747),
    ')': (0.3049377501010895, 0.3222562372684479, -0.9235232472419739, -0.49608325958251953),
    '<s>': (0.6938413977622986, -0.7770063877105713, 0.1797194480895996, 0.5527297854423523),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_2 = {
    '(': (-0.488139808177948, -1.3420991897583008, 0.2790290415287018, 0.461501806974411),
    ')': (0.5205917358398438, 1.9314590692520142, -1.6944540739059448, -0.0917455181479454),
    '<s>': (-0.1967361718416214, 0.6433039903640747, 0.7306987047195435, -0.41154903173446655),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_3 = {
    '(': (-0.0897843986749649, -1.832654595375061, 1.3921440839767456, 3.624168872833252),
    ')': (-0.15425634384155273, 0.28529366850852966, -0.07995900511741638, 1.127608060836792),
    '<s>': (-0.0012553182896226645, 1.702610731124878, -2.0226333141326904, -3.1236958503723145),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_4 = {
    1: (0.6002987623214722, -0.5333762168884277, 0.35489559173583984, -0.5053035616874695),
    13: (0.7480819225311279, -1.7282159328460693, 2.0222716331481934, -0.029254600405693054),
    14: (0.49287280440330505, 1.8693805932998657, -0.9601662158966064, 0.0491579994559288),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_5 = {
    '(': (-0.15040826797485352, -0.8200712203979492, 0.05803605169057846, -0.20098432898521423),
    ')': (0.3601388931274414, 0.727463960647583, -0.013003508560359478, -0.6291290521621704),
    '<s>': (-0.18876513838768005, 0.25689125061035156, 1.1967458724975586, 0.8908849954605103),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_6 = {
    '(': (-1.6779570579528809, 0.073343925178051, 0.048442382365465164, -0.5196908116340637),
    ')': (0.2539132237434387, 1.161787509918213, -1.4238860607147217, -1.3445343971252441),
    '<s>': (-0.1333460658788681, 0.19573304057121277, 1.0230376720428467, -0.03626658394932747),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_7 = {
    '(': (0.2604321241378784, 0.19531242549419403, 0.11085730046033859, -0.6971978545188904),
    ')': (0.03712117299437523, 1.015005350112915, 0.09306160360574722, -0.41263464093208313),
    '<s>': (0.21949875354766846, -0.4032759368419647, -0.09314087778329849, -1.07737135887146),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_2_0 = {
    4: (-1.1234142780303955, 0.28371164202690125, 0.13953085243701935, 0.004849069751799107),
    6: (-0.7031853795051575, 0.18413962423801422, -0.5612417459487915, -0.3499847650527954),
    13: (-0.001412179321050644, -0.44449543952941895, 0.013117363676428795, 0.22901631891727448),
    15: (0.11623582988977432, -1.298043131828308, 0.4887303113937378, 0.2552042007446289),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_BY_FEATURE = [
    READOUT_WEIGHTS_TOKENS, READOUT_WEIGHTS_INDICES, READOUT_WEIGHTS_ATTN_0_0,
    READOUT_WEIGHTS_ATTN_0_1, READOUT_WEIGHTS_ATTN_0_2, READOUT_WEIGHTS_ATTN_0_3,
    READOUT_WEIGHTS_ATTN_0_4, READOUT_WEIGHTS_ATTN_0_5, READOUT_WEIGHTS_ATTN_0_6,
    READOUT_WEIGHTS_ATTN_0_7, READOUT_WEIGHTS_MLP_0_0, READOUT_WEIGHTS_ATTN_1_0,
    READOUT_WEIGHTS_ATTN_1_1, READOUT_WEIGHTS_ATTN_1_2, READOUT_WEIGHTS_ATTN_1_3,
    READOUT_WEIGHTS_ATTN_1_4, READOUT_WEIGHTS_ATTN_1_5, READOUT_WEIGHTS_ATTN_1_6,
    READOUT_WEIGHTS_ATTN_1_7, READOUT_WEIGHTS_MLP_1_0, READOUT_WEIGHTS_MLP_1_1,
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
    attn_0_0 = _attend_closest(indices, tokens, select_attn_0_0, tokens, causal=True)
    attn_0_1 = _attend_closest(indices, indices, select_attn_0_1, tokens, causal=True)
    attn_0_2 = _attend_closest(indices, indices, select_attn_0_2, tokens, causal=True)
    attn_0_3 = _attend_closest(indices, indices, select_attn_0_3, tokens, causal=True)
    attn_0_4 = _attend_closest(indices, indices, select_attn_0_4, tokens, causal=True)
    attn_0_5 = _attend_closest(indices, indices, select_attn_0_5, tokens, causal=True)
    attn_0_6 = _attend_closest(indices, indices, select_attn_0_6, tokens, causal=True)
    attn_0_7 = _attend_closest(indices, indices, select_attn_0_7, tokens, causal=True)
    mlp_0_0 = [MLP_0_0_TABLE[(x, y)] for x, y in zip(attn_0_3, attn_0_6)]
    mlp_0_1 = [MLP_0_1_TABLE.get((x, y), 8) for x, y in zip(attn_0_7, attn_0_0)]
    attn_1_0 = _attend_closest(indices, mlp_0_0, select_attn_1_0, attn_0_0, causal=True)
    attn_1_1 = _attend_closest(indices, mlp_0_1, select_attn_1_1, attn_0_3, causal=True)
    attn_1_2 = _attend_closest(mlp_0_0, mlp_0_0, select_attn_1_2, attn_0_1, causal=True)
    attn_1_3 = _attend_closest(mlp_0_0, tokens, select_attn_1_3, attn_0_3, causal=True)
    attn_1_4 = _attend_closest(
        indices, attn_0_3, select_attn_1_4, attn_0_1, causal=True
    )
    attn_1_5 = _attend_closest(mlp_0_0, mlp_0_1, select_attn_1_5, attn_0_7, causal=True)
    attn_1_6 = _attend_closest(mlp_0_0, indices, select_attn_1_6, tokens, causal=True)
    attn_1_7 = _attend_closest(indices, mlp_0_1, select_attn_1_7, tokens, causal=True)
    mlp_1_0 = [MLP_1_0_TABLE[(x, y)] for x, y in zip(attn_1_3, tokens)]
    mlp_1_1 = [MLP_1_1_TABLE[(x, y)] for x, y in zip(attn_1_4, attn_1_5)]
    attn_2_0 = _attend_closest(mlp_0_0, tokens, select_attn_1_3, attn_1_0, causal=True)
    attn_2_1 = _attend_closest(mlp_0_0, tokens, select_attn_2_1, attn_1_2, causal=True)
    attn_2_2 = _attend_closest(mlp_0_0, mlp_0_0, select_attn_1_2, attn_1_4, causal=True)
    attn_2_3 = _attend_closest(mlp_0_0, mlp_0_0, select_attn_2_3, attn_1_5, causal=True)
    attn_2_4 = _attend_closest(indices, tokens, select_attn_2_4, mlp_1_0, causal=True)
    attn_2_5 = _attend_closest(
        mlp_0_1, attn_0_3, select_attn_2_5, attn_0_0, causal=True
    )
    attn_2_6 = _attend_closest(mlp_0_0, mlp_0_1, select_attn_2_6, attn_0_5, causal=True)
    attn_2_7 = _attend_closest(
        mlp_0_0, attn_0_4, select_attn_2_7, attn_1_7, causal=True
    )
    mlp_2_0 = [MLP_2_0_TABLE[(x, y)] for x, y in zip(attn_2_2, attn_2_1)]
    # readout_logits[i] = READOUT_BIAS + each feature's weights at position i
    # fmt: off
    readout_logits = _logits(
        READOUT_BIAS,
        [
            tokens, indices, attn_0_0, attn_0_1, attn_0_2, attn_0_3, attn_0_4, attn_0_5,
            attn_0_6, attn_0_7, mlp_0_0, attn_1_0, attn_1_1, attn_1_2, attn_1_3, attn_1_4,
            attn_1_5, attn_1_6, attn_1_7, mlp_1_0, mlp_1_1, attn_2_0, attn_2_1, attn_2_2,
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
