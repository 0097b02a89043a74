"""reverse: emitted by tpc's Python back end from the program's IR.

Task: reverse (k = 8, N = 8).
Model: 3 layers, 4+4 heads and 1+1 MLPs (categorical+numerical), d_var 8.
Discrete model accuracy: train 99.76%, val 99.86%, test 99.79% (epoch 244).
Produced by: tpc lower, tpc opt -O3.
Exact on the scored positions of every reverse input (k = 8, N = 8); BOS/EOS outputs are free.

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


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_0_predicate(key: int, query: int) -> bool:
    if query == 0:
        return key == 3
    if query in {1, 2}:
        return key == 5
    if query == 3:
        return key == 4
    if query == 4:
        return key == 2
    if query in {5, 6, 7}:
        return key == 1
    return False


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_1_predicate(key: int, query: int) -> bool:
    if query in {0, 2}:
        return key == 5
    if query == 1:
        return key == 6
    if query == 3:
        return key == 4
    if query == 4:
        return key == 3
    if query == 5:
        return key == 2
    if query == 6:
        return key == 1
    if query == 7:
        return key == 0
    return False


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_2_predicate(key: int, query: int) -> bool:
    if query in {0, 1}:
        return key == 5
    if query == 2:
        return key == 4
    if query in {3, 4}:
        return key == 2
    if query in {5, 6, 7}:
        return key == 1
    return False


@_selects_by_query(range(MAX_LEN), VOCAB)
def select_num_attn_0_0_predicate(key: int, query: str) -> bool:
    if query in {"0", "1", "2", "3", "</s>", "<s>"}:
        return key == 7
    if query == "4":
        return key == 6
    return False


@_selects_by_query(range(MAX_LEN), VOCAB)
def select_num_attn_0_1_predicate(key: int, query: str) -> bool:
    if query in {"0", "3"}:
        return key == 6
    if query == "1":
        return key == 2
    if query in {"2", "4", "</s>"}:
        return key == 7
    if query == "<s>":
        return key == 5
    return False


@_selects_by_query(range(MAX_LEN), VOCAB)
def select_num_attn_0_2_predicate(key: int, query: str) -> bool:
    if query in {"0", "1", "</s>"}:
        return key == 7
    if query in {"2", "3", "4"}:
        return key == 6
    if query == "<s>":
        return key == 1
    return False


@_selects_by_query(range(MAX_LEN), VOCAB)
def select_num_attn_0_3_predicate(key: int, query: str) -> bool:
    if query in {"0", "2", "4"}:
        return key == 6
    if query in {"1", "3", "</s>"}:
        return key == 7
    if query == "<s>":
        return key == 0
    return False


# mlp_0_0 = MLP_0_0_TABLE[attn_0_2, attn_0_0], 5 where not listed
# fmt: off
MLP_0_0_TABLE = {
    ('0', '0'): 1, ('0', '1'): 6, ('0', '2'): 1, ('0', '3'): 1, ('0', '4'): 1, ('0', '</s>'): 7,
    ('0', '<s>'): 1, ('1', '0'): 6, ('1', '2'): 6, ('1', '</s>'): 3, ('2', '0'): 1, ('2', '2'): 1,
    ('2', '</s>'): 0, ('3', '0'): 1, ('3', '2'): 1, ('3', '</s>'): 4, ('4', '0'): 1, ('4', '2'): 1,
    ('4', '</s>'): 4, ('</s>', '0'): 2, ('</s>', '1'): 3, ('</s>', '2'): 0, ('</s>', '3'): 4,
    ('</s>', '4'): 4, ('</s>', '</s>'): 0, ('</s>', '<s>'): 0, ('<s>', '0'): 7, ('<s>', '1'): 3,
    ('<s>', '2'): 0, ('<s>', '3'): 4, ('<s>', '4'): 4, ('<s>', '</s>'): 0,
}
# fmt: on


# num_mlp_0_0 = NUM_MLP_0_0_TABLE[num_attn_0_0], i.e. x + 4
# fmt: off
NUM_MLP_0_0_TABLE = {
    0: 4, 1: 5,
}
# fmt: on


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_1_0_predicate(key: int, query: int) -> bool:
    if query == 0:
        return key == 2
    if query == 1:
        return key == 5
    if query in {2, 3}:
        return key == 3
    if query in {4, 5, 6, 7}:
        return key == 1
    return False


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_1_1_predicate(key: int, query: int) -> bool:
    if query in {0, 1}:
        return key == 3
    if query == 2:
        return key == 4
    if query in {3, 5, 6, 7}:
        return key == 1
    if query == 4:
        return key == 2
    return False


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_1_2_predicate(key: int, query: int) -> bool:
    if query in {0, 5}:
        return key == 2
    if query == 1:
        return key == 4
    if query == 2:
        return key == 5
    if query == 3:
        return key == 3
    if query in {4, 6, 7}:
        return key == 1
    return False


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_1_3_predicate(key: int, query: int) -> bool:
    if query in {0, 5}:
        return key == 2
    if query == 1:
        return key == 6
    if query in {2, 4}:
        return key == 3
    if query == 3:
        return key == 0
    if query in {6, 7}:
        return key == 1
    return False


NUM_MLP_0_0_VALUES = {4, 5}


ATTN_0_1_VALUES = {"0", "1", "2", "3", "4", "</s>", "<s>"}


@_selects_by_query(NUM_MLP_0_0_VALUES, ATTN_0_1_VALUES)
def select_num_attn_1_0_predicate(key: int, query: str) -> bool:
    if query in {"1", "3", "4"}:
        return key == 5
    return False


@_selects_by_query(NUM_MLP_0_0_VALUES, ATTN_0_1_VALUES)
def select_num_attn_1_1_predicate(key: int, query: str) -> bool:
    if query in {"0", "1", "3", "</s>", "<s>"}:
        return key == 5
    return False


@_selects_by_query(NUM_MLP_0_0_VALUES, ATTN_0_1_VALUES)
def select_num_attn_1_2_predicate(key: int, query: str) -> bool:
    if query in {"0", "1"}:
        return key == 5
    return False


@_selects_by_query(range(MAX_LEN), ATTN_0_1_VALUES)
def select_num_attn_1_3_predicate(key: int, query: str) -> bool:
    if query in {"0", "3"}:
        return key == 0
    if query in {"1", "2", "</s>"}:
        return key == 7
    if query == "4":
        return key == 4
    if query == "<s>":
        return key == 6
    return False


# mlp_1_0 = MLP_1_0_TABLE[attn_1_2, attn_0_2], 0 where not listed
# fmt: off
MLP_1_0_TABLE = {
    ('0', '3'): 5, ('0', '</s>'): 4, ('1', '3'): 5, ('2', '1'): 5, ('2', '3'): 5, ('2', '</s>'): 4,
    ('3', '0'): 5, ('3', '1'): 5, ('3', '2'): 5, ('3', '3'): 5, ('3', '4'): 5, ('3', '</s>'): 1,
    ('3', '<s>'): 5, ('4', '1'): 5, ('4', '3'): 5, ('</s>', '0'): 5, ('</s>', '1'): 5,
    ('</s>', '2'): 5, ('</s>', '3'): 5, ('</s>', '4'): 5, ('</s>', '</s>'): 4, ('</s>', '<s>'): 5,
    ('<s>', '3'): 5,
}
# fmt: on


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_2_0_predicate(key: int, query: int) -> bool:
    if query in {0, 5, 7}:
        return key == 7
    if query == 1:
        return key == 4
    if query in {2, 6}:
        return key == 1
    if query in {3, 4}:
        return key == 6
    return False


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_2_1_predicate(key: int, query: int) -> bool:
    if query in {0, 5, 7}:
        return key == 7
    if query == 1:
        return key == 4
    if query == 2:
        return key == 2
    if query == 3:
        return key == 0
    if query == 4:
        return key == 5
    if query == 6:
        return key == 1
    return False


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_2_2_predicate(key: int, query: int) -> bool:
    if query in {0, 5, 7}:
        return key == 7
    if query in {1, 3}:
        return key == 3
    if query == 2:
        return key == 1
    if query == 4:
        return key == 6
    if query == 6:
        return key == 2
    return False


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_2_3_predicate(key: int, query: int) -> bool:
    if query in {0, 5, 7}:
        return key == 7
    if query in {1, 3}:
        return key == 3
    if query in {2, 6}:
        return key == 2
    if query == 4:
        return key == 6
    return False


@_selects_by_query(range(MAX_LEN), ATTN_0_1_VALUES)
def select_num_attn_2_0_predicate(key: int, query: str) -> bool:
    if query in {"0", "1", "3"}:
        return key == 5
    if query in {"2", "4"}:
        return key == 7
    if query == "</s>":
        return key == 4
    if query == "<s>":
        return key == 3
    return False


@_selects_by_query(NUM_MLP_0_0_VALUES, ATTN_0_1_VALUES)
def select_num_attn_2_1_predicate(key: int, query: str) -> bool:
    if query == "0":
        return key == 5
    return False


@_selects_by_query(NUM_MLP_0_0_VALUES, ATTN_0_1_VALUES)
def select_num_attn_2_2_predicate(key: int, query: str) -> bool:
    if query in {"1", "2", "</s>"}:
        return key == 5
    return False


@_selects_by_query(NUM_MLP_0_0_VALUES, ATTN_0_1_VALUES)
def select_num_attn_2_3_predicate(key: int, query: str) -> bool:
    if query in {"2", "3"}:
        return key == 5
    return False


# mlp_2_0 = MLP_2_0_TABLE[attn_0_2, attn_1_2], 5 where not listed
# fmt: off
MLP_2_0_TABLE = {
    ('3', '</s>'): 0, ('3', '<s>'): 0, ('4', '<s>'): 3, ('</s>', '0'): 6, ('</s>', '3'): 6,
    ('</s>', '4'): 6, ('</s>', '</s>'): 6, ('</s>', '<s>'): 6, ('<s>', '0'): 3, ('<s>', '3'): 3,
    ('<s>', '4'): 3, ('<s>', '</s>'): 3, ('<s>', '<s>'): 3,
}
# fmt: on


# readout: logits = READOUT_BIAS + the weight row of each categorical feature's value
# + each numerical feature times its weights; the prediction is the allowed class
# with the highest logit (the first one on ties)
READOUT_CLASSES = ("<pad>", "0", "1", "2", "3", "4")
READOUT_ALLOWED = (1, 2, 3, 4, 5)
# fmt: off
READOUT_BIAS = (-0.5026468634605408, -2.8170985355973244, -2.7157566249370575, 3.27114962041378, 0.9333302900195122, 0.07696198672056198)
# fmt: on
# fmt: off
READOUT_WEIGHTS_TOKENS = {
    '0': (0.104879230260849, 1.6917850971221924, -0.8362247943878174, -0.7382971048355103, -0.07902558892965317, -0.6566461324691772),
    '1': (-0.1817922592163086, -1.357957363128662, 1.536339282989502, 0.971861720085144, -1.8787273168563843, 0.325247585773468),
    '2': (-0.6327295899391174, 0.01510823518037796, -0.8754894137382507, 1.4823561906814575, 0.011419075541198254, -0.5026320815086365),
    '3': (0.39814695715904236, -0.5188501477241516, -1.0616902112960815, -1.119951605796814, 1.141349196434021, -0.08103880286216736),
    '4': (-0.4477711617946625, 0.0032319361343979836, -0.4626932144165039, -0.5126956105232239, 1.0098525285720825, 1.162001132965088),
    '</s>': (0.3915466368198395, -0.08162432163953781, -0.004033973440527916, 0.03381163999438286, 0.012284969910979271, 0.3383542597293854),
    '<s>': (0.17259885370731354, -0.22077693045139313, -0.010128731839358807, -0.02234540693461895, -0.1412051022052765, -0.06706591695547104),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_INDICES = {
    0: (0.28452661633491516, 0.04424659535288811, -0.4517635107040405, 0.23090504109859467, 0.4228675067424774, -0.7155942916870117),
    1: (-0.37015122175216675, -0.08825057744979858, 0.31244245171546936, 0.1601179987192154, -1.162835955619812, 0.5417869687080383),
    2: (0.8528978824615479, -0.3930066227912903, -1.0311840772628784, 0.8899009823799133, -0.05962402746081352, 0.11996770650148392),
    3: (-0.40963804721832275, 0.8151851296424866, 0.8787038922309875, -1.5802621841430664, 1.0816586017608643, 0.8948131203651428),
    4: (-0.27245715260505676, -0.7488917112350464, -0.5688566565513611, 0.21519969403743744, -0.18509557843208313, 0.7983042001724243),
    5: (-0.03458584472537041, 0.6716906428337097, 0.08318226039409637, -0.20446184277534485, 1.3338984251022339, -1.3721681833267212),
    6: (0.29236841201782227, 1.373144507408142, -0.015570000745356083, -0.8083855509757996, 0.018620675429701805, 0.02063911221921444),
    7: (-0.13525809347629547, 0.2626659572124481, -0.571969211101532, 0.16741904616355896, -0.19442147016525269, -0.07729990780353546),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_0 = {
    '0': (-0.03369978815317154, 1.1191333532333374, -0.32223960757255554, -0.39153382182121277, 0.27999192476272583, -0.6446694135665894),
    '1': (-0.46351367235183716, -0.3467752933502197, 1.13296639919281, 0.2646612524986267, 0.256884902715683, 0.1522502601146698),
    '2': (-0.6440994739532471, -0.8403913378715515, 0.27185356616973877, 1.3024502992630005, 0.3621591627597809, -0.23411953449249268),
    '3': (-0.17674604058265686, -0.8479744791984558, -2.062535047531128, 0.10362392663955688, 1.8063633441925049, -0.5968032479286194),
    '4': (0.4383710026741028, -0.4316781163215637, -0.7744918465614319, -0.6358998417854309, -1.1427546739578247, 1.3453549146652222),
    '</s>': (0.040049996227025986, 0.8198021054267883, -0.5857276916503906, 0.39542198181152344, -0.24086643755435944, 0.7196019291877747),
    '<s>': (0.8216037750244141, 0.7176207900047302, 0.025098495185375214, -0.9277533292770386, -0.2757343649864197, -0.25771310925483704),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_1 = {
    '0': (-0.26530909538269043, -0.9791358113288879, -0.5730530619621277, -1.1253124475479126, 0.841679573059082, 1.9302701950073242),
    '1': (0.06380995362997055, -0.5831960439682007, -1.4179540872573853, 2.3389549255371094, -0.9829883575439453, 0.6563041806221008),
    '2': (-0.049533091485500336, 0.4756121039390564, 2.015279531478882, -0.4415654242038727, -0.5071607232093811, 0.2081092894077301),
    '3': (0.24939504265785217, 1.073847770690918, 0.10276205837726593, -1.1970442533493042, -1.1793274879455566, 2.202058792114258),
    '4': (-0.11529262363910675, 1.3836393356323242, -0.685554563999176, -0.35366103053092957, 2.543304204940796, -1.6029846668243408),
    '</s>': (-0.2221745103597641, 0.6504268050193787, 1.1933871507644653, 0.43376702070236206, 0.39617499709129333, 0.0917145237326622),
    '<s>': (0.6785376071929932, 0.5842646360397339, -0.08407914638519287, 1.0234386920928955, -0.49625569581985474, -0.3826611042022705),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_2 = {
    '0': (-0.09610430151224136, 5.571367263793945, -1.8937698602676392, -2.3114538192749023, -1.788703203201294, -2.176412582397461),
    '1': (-0.09875351935625076, -1.0348378419876099, 5.516467571258545, -1.3482400178909302, -0.9422904253005981, -1.8923845291137695),
    '2': (0.35013481974601746, -1.9811222553253174, -2.764490842819214, 4.7376203536987305, -1.8841664791107178, -1.9906034469604492),
    '3': (-0.35831230878829956, -2.4125678539276123, -1.672562837600708, -1.8751038312911987, 4.0955810546875, -0.5653367042541504),
    '4': (-0.4839552342891693, -3.200810194015503, -3.5976622104644775, -3.35296368598938, -0.5769020318984985, 5.2869062423706055),
    '</s>': (-0.07650607079267502, -2.074676990509033, 0.5456104874610901, 2.4432530403137207, -0.25407907366752625, -0.4250633418560028),
    '<s>': (0.388692706823349, 0.24356284737586975, -0.05931544303894043, -1.199145793914795, -0.8027702569961548, 0.14411284029483795),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_2_1 = {
    '0': (0.5825817584991455, 4.290217876434326, -1.9173201322555542, -1.9548267126083374, -1.2652627229690552, -2.041985273361206),
    '1': (-0.6830424666404724, -0.6425806283950806, 3.757240056991577, -1.4527087211608887, -0.6374413967132568, -1.8316845893859863),
    '2': (0.2037954479455948, -1.1679598093032837, -2.7315449714660645, 3.6932172775268555, -1.3428242206573486, -1.3254868984222412),
    '3': (-0.6232895255088806, -1.7998857498168945, -1.7197829484939575, -1.522222876548767, 3.1535515785217285, 0.111646868288517),
    '4': (0.18615472316741943, -2.6352603435516357, -3.4839327335357666, -2.922807216644287, 0.2987629771232605, 4.161472797393799),
    '</s>': (0.10662838071584702, -1.839861512184143, 0.7649155259132385, 2.9637250900268555, -0.4639837145805359, -0.46825355291366577),
    '<s>': (-0.28997474908828735, 0.883638858795166, 0.014416485093533993, -1.2929829359054565, -0.4077487587928772, 0.33610427379608154),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_0_0 = {
    0: (1.2126717567443848, 0.8994615077972412, 3.9510676860809326, -8.130987167358398, 1.2975423336029053, 2.5020411014556885),
    1: (0.027762915939092636, 0.6247278451919556, -0.4656696021556854, -0.6159456968307495, -0.3472641408443451, -0.3558243215084076),
    2: (0.04602969065308571, 2.5071067810058594, -1.6506708860397339, 0.8110437989234924, -0.24303913116455078, -0.8495391607284546),
    3: (-0.028197189792990685, 1.4282233715057373, -6.04645299911499, 2.766801595687866, 0.4953364431858063, 4.237469673156738),
    4: (-0.03440896049141884, 4.500415802001953, 6.445663928985596, 5.509526252746582, -2.608273506164551, -6.8815741539001465),
    5: (0.003096860134974122, 0.8286683559417725, 0.58231520652771, -0.5514811873435974, 0.6269349455833435, 0.5515402555465698),
    6: (0.1605570912361145, 0.8486279249191284, -0.34469741582870483, -0.06654483824968338, 0.4328378736972809, -0.002078890334814787),
    7: (-0.12317822128534317, -8.853886604309082, 4.097939968109131, 2.08241868019104, 2.6013054847717285, 3.7450966835021973),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_MLP_0_0 = {
    4: (-0.2582744359970093, 0.2873797118663788, 0.7330071926116943, 0.33843907713890076, 0.8660503029823303, -1.2218647003173828),
    5: (-0.146902397274971, 0.09577228128910065, -1.5264947414398193, -1.385955810546875, -1.2382466793060303, 1.7109073400497437),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_0 = {
    '0': (-0.6745368838310242, 7.338911533355713, -2.5893442630767822, -3.225789785385132, -2.0925607681274414, -2.3631644248962402),
    '1': (-0.05291817709803581, -1.8378186225891113, 8.009841918945312, -2.2813735008239746, -2.132812261581421, -2.805086374282837),
    '2': (-0.0223994180560112, -2.400052309036255, -2.669638156890869, 6.42240047454834, -2.3693015575408936, -3.5159084796905518),
    '3': (-0.45964962244033813, -3.057685375213623, -3.816884994506836, -3.5137293338775635, 6.544576644897461, -0.3348328173160553),
    '4': (0.03371721878647804, -2.832827568054199, -3.9447340965270996, -3.692312240600586, -2.1923635005950928, 6.822204113006592),
    '</s>': (0.44705986976623535, -0.9116816520690918, 0.35667312145233154, 0.676750659942627, -0.3796830475330353, 0.9163233041763306),
    '<s>': (-0.030372008681297302, 0.3147229850292206, 0.06333959847688675, -0.1672338992357254, -0.18274281919002533, 0.2970857322216034),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_1 = {
    '0': (-0.2410963475704193, 5.235631465911865, -2.023590087890625, -0.9949505925178528, -2.35837721824646, -1.7940491437911987),
    '1': (-0.3364705741405487, -1.041402816772461, 5.221343040466309, -2.5069122314453125, -0.7475425004959106, -0.5071596503257751),
    '2': (-0.08505604416131973, -0.415371298789978, -2.610663414001465, 3.6936967372894287, -2.279770612716675, -1.7688816785812378),
    '3': (0.3262849748134613, -1.9698617458343506, -1.2390835285186768, -3.388936758041382, 4.450109958648682, -0.5721697807312012),
    '4': (-0.20303232967853546, -2.503159761428833, -1.9888577461242676, -2.8911821842193604, -0.6236868500709534, 4.591361045837402),
    '</s>': (-0.5615199208259583, -2.435513973236084, -0.7038087248802185, 3.9620120525360107, -0.09352556616067886, -1.3525266647338867),
    '<s>': (-0.3146823048591614, 0.9613727331161499, 0.18079626560211182, -2.8084096908569336, 0.6692907214164734, 1.5579248666763306),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_2 = {
    '0': (-0.6894761323928833, 6.000280857086182, -1.0120106935501099, -2.9904086589813232, -1.8799384832382202, -0.2865586578845978),
    '1': (0.6126072406768799, -0.41589629650115967, 4.439648151397705, -1.6758102178573608, -1.267051100730896, -0.984735369682312),
    '2': (-0.35665658116340637, -0.8314261436462402, -2.0414061546325684, 3.154435873031616, -0.8751375079154968, -0.6172325611114502),
    '3': (0.4232870936393738, -0.9852467775344849, -1.32426917552948, -1.971593976020813, 0.9130367636680603, 2.9827563762664795),
    '4': (0.328389972448349, -2.9491264820098877, -2.5926334857940674, -2.6710102558135986, 1.4073705673217773, 3.562018871307373),
    '</s>': (-0.11771394312381744, -1.4941428899765015, -0.14410141110420227, 2.2083585262298584, 0.5334697961807251, -0.6895607709884644),
    '<s>': (-0.03107498213648796, -0.983786404132843, 0.10731326788663864, 2.8520331382751465, 0.9431260824203491, -2.1145191192626953),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_3 = {
    '0': (-0.20085419714450836, 3.377432346343994, -1.2130744457244873, -1.5965914726257324, -1.3427135944366455, -0.7788984179496765),
    '1': (-0.8657877445220947, -1.0935662984848022, 5.014474868774414, -1.2549439668655396, -2.752429246902466, -2.0470902919769287),
    '2': (-0.7012238502502441, -2.3597846031188965, -1.1913942098617554, 4.438476085662842, -2.408470392227173, -1.3234859704971313),
    '3': (0.4298893213272095, -1.9239259958267212, -2.6053316593170166, -1.7548010349273682, 3.310586452484131, 0.30045872926712036),
    '4': (-0.05334780737757683, -1.9910845756530762, -2.308798313140869, -2.2348718643188477, 0.7389349937438965, 4.359641075134277),
    '</s>': (-0.10021879523992538, -0.1832055151462555, -0.4207765758037567, 0.2592447102069855, -0.003945561125874519, -0.22994014620780945),
    '<s>': (0.11367003619670868, -0.37960928678512573, -0.31644320487976074, -0.3714636564254761, 0.5901577472686768, 0.8291113972663879),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_1_0 = {
    0: (-0.6766791939735413, 0.12718001008033752, 0.9446285963058472, -0.5033819675445557, -3.196165084838867, 1.8422819375991821),
    1: (0.3365306854248047, -1.9265605211257935, -1.7870410680770874, -0.3445439338684082, 5.18746280670166, -5.995135307312012),
    4: (0.2558143138885498, 7.216784477233887, -4.682823181152344, 7.69047212600708, -3.5923373699188232, -4.25327730178833),
    5: (-0.264181911945343, 0.05120329558849335, 1.448115348815918, -1.1292541027069092, -1.2196027040481567, 2.0719165802001953),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_0 = {
    0: (-0.0652809739112854, 1.7668594121932983, 0.2683502435684204, -4.8974690437316895, 1.6210085153579712, 1.1432087421417236),
    1: (-0.002144776051864028, -1.4553616046905518, 3.6583001613616943, -3.1512482166290283, 1.2749334573745728, 1.3137867450714111),
    2: (-0.5202088952064514, -2.2803335189819336, 0.2352350801229477, 1.193645715713501, 0.9146000146865845, 0.2564721703529358),
    3: (0.1039092019200325, 1.1317439079284668, -6.867924690246582, 0.430331826210022, 2.803281307220459, 1.702714443206787),
    4: (-0.6384170651435852, 3.572162628173828, 2.4544782638549805, 2.3476641178131104, -4.203396320343018, -2.4821109771728516),
    5: (0.5388523936271667, 2.397961378097534, -0.4527202546596527, 1.1641086339950562, -2.391092538833618, -1.9653578996658325),
    6: (0.06768548488616943, -0.14670875668525696, -0.5034797191619873, -0.6721861958503723, 0.025731008499860764, -0.003134347964078188),
    7: (0.4000019431114197, -7.510766506195068, 1.1820497512817383, 3.0536563396453857, 3.0632612705230713, 0.8565680980682373),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_1 = {
    0: (-0.20301753282546997, 3.1252264976501465, 1.3939809799194336, -6.59548807144165, -0.32907068729400635, 2.177947759628296),
    1: (-0.7035984992980957, 2.0384974479675293, -2.9546871185302734, 0.6878348588943481, -0.1239706352353096, -1.2936670780181885),
    2: (-0.5033672451972961, -10.069297790527344, 1.1503093242645264, 3.7632064819335938, 1.0531078577041626, 2.404104709625244),
    3: (-0.48219797015190125, 3.2378664016723633, -8.375411987304688, 2.2621405124664307, 0.40479856729507446, 2.1443288326263428),
    4: (0.5162253975868225, 3.68685245513916, 2.460681915283203, 3.1971209049224854, -2.742652177810669, -5.309627056121826),
    5: (0.3001023530960083, -1.2434595823287964, 1.1724486351013184, -2.6417596340179443, 2.5248348712921143, 1.0049619674682617),
    6: (0.15655235946178436, 2.2410268783569336, 0.6688249707221985, 1.4786312580108643, -1.8396953344345093, -1.6467515230178833),
    7: (-0.04014502838253975, -5.347509860992432, 0.774189293384552, 2.462198257446289, -1.8054641485214233, 2.9655213356018066),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_2 = {
    '0': (-0.05662773177027702, -0.12504960596561432, -0.8021451830863953, -1.7547162771224976, 0.1469045728445053, 0.005872700363397598),
    '1': (-0.24246849119663239, 0.19909465312957764, -0.12718912959098816, -0.08925126492977142, -1.507714867591858, -0.19034966826438904),
    '2': (-0.09631984680891037, -0.13207125663757324, 0.05322873592376709, -0.6114311218261719, -0.624023973941803, 0.32810941338539124),
    '3': (0.06588663905858994, 0.1163577139377594, -0.8007748126983643, -0.7743426561355591, -0.8208683133125305, 1.5586435794830322),
    '4': (0.03453395143151283, 1.0928388833999634, -0.31968826055526733, -1.0106616020202637, 2.727879762649536, -0.22339273989200592),
    '</s>': (0.4622545540332794, -1.3695018291473389, -0.5170101523399353, 2.1157655715942383, 0.584729790687561, -0.8430392146110535),
    '<s>': (-0.44490131735801697, -0.3053910434246063, -7.42720440030098e-05, 0.3985828757286072, 0.4373524785041809, 0.04974883794784546),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_3 = {
    '0': (-0.8704350590705872, -7.709116458892822, 1.6169559955596924, 2.3034112453460693, 2.4343791007995605, 2.423827886581421),
    '1': (-0.36803939938545227, 1.8909366130828857, -9.835617065429688, 2.1239633560180664, 3.964409351348877, 4.444836139678955),
    '2': (-0.49009251594543457, 3.647777795791626, 2.5522565841674805, -9.068265914916992, 3.3918814659118652, 4.014924049377441),
    '3': (-0.4954639971256256, 4.096532344818115, 5.069611072540283, 3.6721837520599365, -7.287928581237793, 0.20621997117996216),
    '4': (0.39568445086479187, 4.030046463012695, 5.471494674682617, 3.9912896156311035, 1.011091709136963, -8.281861305236816),
    '</s>': (-0.008791198953986168, 0.29003217816352844, 0.022044576704502106, -1.9048353433609009, 0.09464798867702484, 1.267181158065796),
    '<s>': (0.0034418459981679916, -0.5375882387161255, -0.1962282806634903, 0.49262434244155884, -0.3375111520290375, -0.3482781648635864),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_2_0 = {
    0: (-0.2687693238258362, -1.654026746749878, -0.7822141051292419, -0.2852926254272461, -6.95423698425293, 9.874146461486816),
    3: (-0.1398157775402069, -0.7317909598350525, 0.340995192527771, 1.6620112657546997, -0.1347573697566986, -1.7677534818649292),
    5: (-0.20481954514980316, -1.398010015487671, 2.738698959350586, 1.4733140468597412, 1.2056999206542969, -4.007284641265869),
    6: (-0.5689043998718262, 2.54207444190979, -3.4126086235046387, -3.932936668395996, 1.5914982557296753, 0.7698943614959717),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_0 = (-0.2404875010251999, -0.5728363394737244, -0.3460969626903534, -1.3830546140670776, -1.094152569770813, 1.711876392364502)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_1 = (0.0018966163042932749, 1.4277842044830322, -0.9111601710319519, -1.7588754892349243, 1.8574671745300293, -0.8655544519424438)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_2 = (-0.06992771476507187, -1.922926425933838, -1.8090250492095947, 1.761476993560791, 1.6418766975402832, -0.07613711804151535)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_3 = (0.6878323554992676, 0.9039709568023682, -1.971338152885437, 1.6587449312210083, -2.893894910812378, 1.0503430366516113)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_0 = (-0.10343491286039352, -3.1035189628601074, 0.8893056511878967, -2.7267682552337646, 2.8198511600494385, 2.8475522994995117)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_1 = (0.09533505886793137, 1.16615629196167, 0.5949941873550415, -1.106303334236145, 1.1881343126296997, -2.196587324142456)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_2 = (-0.35343867540359497, 3.1345977783203125, 0.8609182238578796, -2.9344122409820557, -0.9092906713485718, -2.13411808013916)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_3 = (-0.04828022047877312, -1.5610405206680298, 3.2304489612579346, 3.1801226139068604, -1.4224278926849365, -0.7086591124534607)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_0 = (-0.2914828658103943, -0.6438910961151123, -0.9281247854232788, 0.38562288880348206, -1.085141658782959, 2.4783995151519775)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_1 = (-0.010577665641903877, 2.423862934112549, -0.077508345246315, -0.5097535848617554, -0.7207187414169312, 1.2170110940933228)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_2 = (0.40296879410743713, -2.1644463539123535, 2.780611753463745, 4.287948131561279, -2.7158079147338867, -2.376197338104248)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_3 = (0.3636777698993683, -0.45156243443489075, -0.8112737536430359, 0.7364216446876526, 0.46024349331855774, -3.200279712677002)
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
    # select_attn_0_0[i][j] = select_attn_0_0_predicate(indices[j], indices[i])
    select_attn_0_0 = _select(indices, indices, select_attn_0_0_predicate)
    attn_0_0 = _closest(select_attn_0_0, tokens)
    # select_attn_0_1[i][j] = select_attn_0_1_predicate(indices[j], indices[i])
    select_attn_0_1 = _select(indices, indices, select_attn_0_1_predicate)
    attn_0_1 = _closest(select_attn_0_1, tokens)
    # select_attn_0_2[i][j] = select_attn_0_2_predicate(indices[j], indices[i])
    select_attn_0_2 = _select(indices, indices, select_attn_0_2_predicate)
    attn_0_2 = _closest(select_attn_0_2, tokens)
    # select_num_attn_0_0[i][j] = select_num_attn_0_0_predicate(indices[j], tokens[i])
    select_num_attn_0_0 = _select(indices, tokens, select_num_attn_0_0_predicate)
    num_attn_0_0 = _sum(select_num_attn_0_0, ones)
    # select_num_attn_0_1[i][j] = select_num_attn_0_1_predicate(indices[j], tokens[i])
    select_num_attn_0_1 = _select(indices, tokens, select_num_attn_0_1_predicate)
    num_attn_0_1 = _sum(select_num_attn_0_1, ones)
    # select_num_attn_0_2[i][j] = select_num_attn_0_2_predicate(indices[j], tokens[i])
    select_num_attn_0_2 = _select(indices, tokens, select_num_attn_0_2_predicate)
    num_attn_0_2 = _sum(select_num_attn_0_2, ones)
    # select_num_attn_0_3[i][j] = select_num_attn_0_3_predicate(indices[j], tokens[i])
    select_num_attn_0_3 = _select(indices, tokens, select_num_attn_0_3_predicate)
    num_attn_0_3 = _sum(select_num_attn_0_3, ones)
    mlp_0_0 = [MLP_0_0_TABLE.get((x, y), 5) for x, y in zip(attn_0_2, attn_0_0)]
    num_mlp_0_0 = [NUM_MLP_0_0_TABLE[x] for x in num_attn_0_0]
    # select_attn_1_0[i][j] = select_attn_1_0_predicate(indices[j], indices[i])
    select_attn_1_0 = _select(indices, indices, select_attn_1_0_predicate)
    attn_1_0 = _closest(select_attn_1_0, tokens)
    # select_attn_1_1[i][j] = select_attn_1_1_predicate(indices[j], indices[i])
    select_attn_1_1 = _select(indices, indices, select_attn_1_1_predicate)
    attn_1_1 = _closest(select_attn_1_1, tokens)
    # select_attn_1_2[i][j] = select_attn_1_2_predicate(indices[j], indices[i])
    select_attn_1_2 = _select(indices, indices, select_attn_1_2_predicate)
    attn_1_2 = _closest(select_attn_1_2, tokens)
    # select_attn_1_3[i][j] = select_attn_1_3_predicate(indices[j], indices[i])
    select_attn_1_3 = _select(indices, indices, select_attn_1_3_predicate)
    attn_1_3 = _closest(select_attn_1_3, tokens)
    # select_num_attn_1_0[i][j] = select_num_attn_1_0_predicate(num_mlp_0_0[j], attn_0_1[i])
    select_num_attn_1_0 = _select(num_mlp_0_0, attn_0_1, select_num_attn_1_0_predicate)
    num_attn_1_0 = _sum(select_num_attn_1_0, num_attn_0_1)
    # select_num_attn_1_1[i][j] = select_num_attn_1_1_predicate(num_mlp_0_0[j], attn_0_1[i])
    select_num_attn_1_1 = _select(num_mlp_0_0, attn_0_1, select_num_attn_1_1_predicate)
    num_attn_1_1 = _sum(select_num_attn_1_1, ones)
    # select_num_attn_1_2[i][j] = select_num_attn_1_2_predicate(num_mlp_0_0[j], attn_0_1[i])
    select_num_attn_1_2 = _select(num_mlp_0_0, attn_0_1, select_num_attn_1_2_predicate)
    num_attn_1_2 = _sum(select_num_attn_1_2, num_attn_0_1)
    # select_num_attn_1_3[i][j] = select_num_attn_1_3_predicate(indices[j], attn_0_1[i])
    select_num_attn_1_3 = _select(indices, attn_0_1, select_num_attn_1_3_predicate)
    num_attn_1_3 = _sum(select_num_attn_1_3, ones)
    mlp_1_0 = [MLP_1_0_TABLE.get((x, y), 0) for x, y in zip(attn_1_2, attn_0_2)]
    # select_attn_2_0[i][j] = select_attn_2_0_predicate(indices[j], indices[i])
    select_attn_2_0 = _select(indices, indices, select_attn_2_0_predicate)
    attn_2_0 = _closest(select_attn_2_0, mlp_0_0)
    # select_attn_2_1[i][j] = select_attn_2_1_predicate(indices[j], indices[i])
    select_attn_2_1 = _select(indices, indices, select_attn_2_1_predicate)
    attn_2_1 = _closest(select_attn_2_1, mlp_0_0)
    # select_attn_2_2[i][j] = select_attn_2_2_predicate(indices[j], indices[i])
    select_attn_2_2 = _select(indices, indices, select_attn_2_2_predicate)
    attn_2_2 = _closest(select_attn_2_2, attn_1_2)
    # select_attn_2_3[i][j] = select_attn_2_3_predicate(indices[j], indices[i])
    select_attn_2_3 = _select(indices, indices, select_attn_2_3_predicate)
    attn_2_3 = _closest(select_attn_2_3, attn_1_3)
    # select_num_attn_2_0[i][j] = select_num_attn_2_0_predicate(indices[j], attn_0_1[i])
    select_num_attn_2_0 = _select(indices, attn_0_1, select_num_attn_2_0_predicate)
    num_attn_2_0 = _sum(select_num_attn_2_0, num_attn_1_1)
    # select_num_attn_2_1[i][j] = select_num_attn_2_1_predicate(num_mlp_0_0[j], attn_0_1[i])
    select_num_attn_2_1 = _select(num_mlp_0_0, attn_0_1, select_num_attn_2_1_predicate)
    num_attn_2_1 = _sum(select_num_attn_2_1, num_attn_1_0)
    # select_num_attn_2_2[i][j] = select_num_attn_2_2_predicate(num_mlp_0_0[j], attn_0_1[i])
    select_num_attn_2_2 = _select(num_mlp_0_0, attn_0_1, select_num_attn_2_2_predicate)
    num_attn_2_2 = _sum(select_num_attn_2_2, num_attn_0_1)
    # select_num_attn_2_3[i][j] = select_num_attn_2_3_predicate(num_mlp_0_0[j], attn_0_1[i])
    select_num_attn_2_3 = _select(num_mlp_0_0, attn_0_1, select_num_attn_2_3_predicate)
    num_attn_2_3 = _sum(select_num_attn_2_3, num_attn_1_0)
    mlp_2_0 = [MLP_2_0_TABLE.get((x, y), 5) for x, y in zip(attn_0_2, attn_1_2)]
    # readout_logits[i] = READOUT_BIAS + each feature's weights at position i, in this order
    # fmt: off
    readout_logits = _logits(
        READOUT_BIAS,
        [
            tokens, indices, attn_0_0, attn_0_1, attn_0_2, attn_0_2, mlp_0_0, num_mlp_0_0,
            attn_1_0, attn_1_1, attn_1_2, attn_1_3, mlp_1_0, attn_2_0, attn_2_1, attn_2_2,
            attn_2_3, mlp_2_0, num_attn_0_0, num_attn_0_1, num_attn_0_2, num_attn_0_3,
            num_attn_1_0, num_attn_1_1, num_attn_1_2, num_attn_1_3, num_attn_2_0,
            num_attn_2_1, num_attn_2_2, num_attn_2_3,
        ],
        [
            READOUT_WEIGHTS_TOKENS, READOUT_WEIGHTS_INDICES, READOUT_WEIGHTS_ATTN_0_0,
            READOUT_WEIGHTS_ATTN_0_1, READOUT_WEIGHTS_ATTN_0_2, READOUT_WEIGHTS_ATTN_0_2_1,
            READOUT_WEIGHTS_MLP_0_0, READOUT_WEIGHTS_NUM_MLP_0_0, READOUT_WEIGHTS_ATTN_1_0,
            READOUT_WEIGHTS_ATTN_1_1, READOUT_WEIGHTS_ATTN_1_2, READOUT_WEIGHTS_ATTN_1_3,
            READOUT_WEIGHTS_MLP_1_0, READOUT_WEIGHTS_ATTN_2_0, READOUT_WEIGHTS_ATTN_2_1,
            READOUT_WEIGHTS_ATTN_2_2, READOUT_WEIGHTS_ATTN_2_3, READOUT_WEIGHTS_MLP_2_0,
            READOUT_WEIGHTS_NUM_ATTN_0_0, READOUT_WEIGHTS_NUM_ATTN_0_1,
            READOUT_WEIGHTS_NUM_ATTN_0_2, READOUT_WEIGHTS_NUM_ATTN_0_3,
            READOUT_WEIGHTS_NUM_ATTN_1_0, READOUT_WEIGHTS_NUM_ATTN_1_1,
            READOUT_WEIGHTS_NUM_ATTN_1_2, READOUT_WEIGHTS_NUM_ATTN_1_3,
            READOUT_WEIGHTS_NUM_ATTN_2_0, READOUT_WEIGHTS_NUM_ATTN_2_1,
            READOUT_WEIGHTS_NUM_ATTN_2_2, READOUT_WEIGHTS_NUM_ATTN_2_3,
        ],
    )
    # fmt: on
    readout = [READOUT_CLASSES[_argmax(row, READOUT_ALLOWED)] for row in readout_logits]
    return readout


def run_batch(batch: list[list[str]]) -> list[list]:
    """`run` on each input of `batch`."""
    return [run(tokens) for tokens in batch]
