"""double_hist: emitted by tpc's Python back end from the program's IR.

Task: double_hist (k = 8, N = 8).
Model: 3 layers, 2+2 heads and 1+1 MLPs (categorical+numerical), d_var 8.
Discrete model accuracy: train 73.76%, val 73.97%, test 74.11% (epoch 136).
Produced by: tpc lower, tpc opt -O3.
Exact on the scored positions of every double_hist input (k = 8, N = 8); BOS/EOS outputs are free.

Vocabulary (7): '<s>', '0', '1', '2', '3', '4', '5'
Maximum length: 8 (counting BOS '<s>': include them in the input)
Output: node `readout` (readout, values {'<pad>', '1', '2', '3', '4', …, '6'})

Usage: run(tokens) gives one output per position; run_batch(inputs) maps run.
    run(['<s>', '0'])
Needs only the standard library. Generated code: edit the IR, not this file.
"""

VOCAB = ("<s>", "0", "1", "2", "3", "4", "5")
MAX_LEN = 8
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
    if query in {0, 5}:
        return key == 6
    if query in {1, 2, 3, 4}:
        return key == 4
    if query == 6:
        return key == 7
    if query == 7:
        return key == 1
    return False


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_0_1_predicate(key: int, query: int) -> bool:
    if query in {0, 2, 6}:
        return key == 6
    if query in {1, 5}:
        return key == 5
    if query in {3, 4}:
        return key == 7
    if query == 7:
        return key == 1
    return False


@_selects_by_query(VOCAB, VOCAB)
def select_num_attn_0_0_predicate(key: str, query: str) -> bool:
    if query == "0":
        return key == "0"
    if query == "1":
        return key == "1"
    if query == "2":
        return key == "2"
    if query == "3":
        return key == "3"
    if query == "4":
        return key == "4"
    if query == "5":
        return key == "5"
    return False


# mlp_0_0 = MLP_0_0_TABLE[attn_0_1, attn_0_0], 5 where not listed
# fmt: off
MLP_0_0_TABLE = {
    (0, 6): 6, (3, 6): 3, (4, 6): 6, (5, 6): 6, (6, 0): 3, (6, 1): 3, (6, 2): 3, (6, 5): 6,
    (6, 6): 3,
}
# fmt: on


# num_mlp_0_0 = NUM_MLP_0_0_TABLE[num_attn_0_0]
# fmt: off
NUM_MLP_0_0_TABLE = {
    0: 1, 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2,
}
# fmt: on


NUM_MLP_0_0_VALUES = {1, 2}


@_selects_by_query(range(MAX_LEN), NUM_MLP_0_0_VALUES)
def select_attn_1_0_predicate(key: int, query: int) -> bool:
    if query == 1:
        return key == 6
    if query == 2:
        return key == 4
    return False


@_selects_by_query(range(MAX_LEN), range(MAX_LEN))
def select_attn_1_1_predicate(key: int, query: int) -> bool:
    if query in {0, 1, 2, 5}:
        return key == 3
    if query in {3, 6, 7}:
        return key == 1
    if query == 4:
        return key == 2
    return False


ATTN_0_0_VALUES = {0, 1, 2, 3, 4, 5, 6, 7}


@_selects_by_query(range(MAX_LEN), ATTN_0_0_VALUES)
def select_num_attn_1_0_predicate(key: int, query: int) -> bool:
    if query in {0, 6}:
        return key == 3
    if query in {1, 7}:
        return key == 0
    if query == 4:
        return key == 5
    return False


ATTN_0_1_VALUES = {0, 1, 2, 3, 4, 5, 6, 7}


@_selects_by_query(ATTN_0_1_VALUES, ATTN_0_0_VALUES)
def select_num_attn_1_1_predicate(key: int, query: int) -> bool:
    if query in {0, 4}:
        return key == 6
    if query == 1:
        return key == 1
    return False


# num_mlp_1_0 = NUM_MLP_1_0_TABLE[num_attn_0_0]
# fmt: off
NUM_MLP_1_0_TABLE = {
    0: 0, 1: 1, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2,
}
# fmt: on


MLP_0_0_VALUES = {3, 5, 6}


@_selects_by_query(MLP_0_0_VALUES, NUM_MLP_0_0_VALUES)
def select_attn_2_0_predicate(key: int, query: int) -> bool:
    if query == 2:
        return key == 5
    return False


@_selects_by_query(NUM_MLP_0_0_VALUES, NUM_MLP_0_0_VALUES)
def select_attn_2_1_predicate(key: int, query: int) -> bool:
    if query == 2:
        return key == 2
    return False


NUM_MLP_1_0_VALUES = {0, 1, 2}


ATTN_1_0_VALUES = {0, 1, 2, 3, 4, 5, 6, 7}


@_selects_by_query(NUM_MLP_1_0_VALUES, ATTN_1_0_VALUES)
def select_num_attn_2_0_predicate(key: int, query: int) -> bool:
    if query == 7:
        return key == 1
    return False


@_selects_by_query(NUM_MLP_1_0_VALUES, ATTN_1_0_VALUES)
def select_num_attn_2_1_predicate(key: int, query: int) -> bool:
    if query in {0, 7}:
        return key == 2
    return False


# readout: logits = READOUT_BIAS + the weight row of each categorical feature's value
# + each numerical feature times its weights; the prediction is the allowed class
# with the highest logit (the first one on ties)
READOUT_CLASSES = ("<pad>", "1", "2", "3", "4", "5", "6")
READOUT_ALLOWED = (1, 2, 3, 4, 5, 6)
# fmt: off
READOUT_BIAS = (-0.12356282398104668, -5.02016969025135, 0.9577900022268295, 1.9619901645928621, -2.3256745636463165, 1.7719500064849854, 6.217639222741127)
# fmt: on
# fmt: off
READOUT_WEIGHTS_TOKENS = {
    '0': (0.6385234594345093, -0.15517185628414154, -0.1044313907623291, 0.22080424427986145, 0.5692157745361328, 2.568613290786743, 2.1099772453308105),
    '1': (-0.3252083957195282, -0.6319223642349243, -0.4905701279640198, -0.13976196944713593, 0.08946117013692856, 2.0576908588409424, 1.5835951566696167),
    '2': (-0.25881680846214294, -0.383634477853775, -0.36362263560295105, -0.10506824404001236, 0.25787463784217834, 2.1410093307495117, 1.8371098041534424),
    '3': (0.45081955194473267, -0.5489672422409058, -0.45836806297302246, -0.22359347343444824, 0.17012807726860046, 2.0410232543945312, 1.7050914764404297),
    '4': (0.48792359232902527, -0.23004871606826782, -0.14288458228111267, 0.13734205067157745, 0.4607391357421875, 2.363682985305786, 2.056354284286499),
    '5': (0.13323505222797394, -0.43331095576286316, -0.4554373025894165, -0.13968029618263245, 0.1799933761358261, 2.0401313304901123, 1.811560869216919),
    '<s>': (0.5424491763114929, -0.16264589130878448, -0.24829721450805664, 0.26556819677352905, -0.04395778104662895, 0.0302143394947052, 0.5707440376281738),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_INDICES = {
    0: (0.15308789908885956, 0.48976024985313416, -0.12566162645816803, 0.03534279763698578, -1.1830087900161743, 0.039248209446668625, -0.1662653386592865),
    1: (-0.038490768522024155, 0.986784815788269, 0.2646986246109009, -0.19791291654109955, -0.3857117295265198, -0.30355969071388245, 0.8001823425292969),
    2: (-0.2866874039173126, 0.13562288880348206, -0.4717263877391815, 0.6699178218841553, -0.7181210517883301, 0.8141366243362427, 0.3508487641811371),
    3: (0.04435354098677635, -0.0643635094165802, -0.7619853615760803, 0.5434426069259644, 0.17240335047245026, 1.7055073976516724, 2.065063238143921),
    4: (0.8739050626754761, -0.021721189841628075, -0.6170554757118225, 0.6857298016548157, 0.27561455965042114, 2.0748112201690674, 2.3744702339172363),
    5: (0.7263522744178772, -0.9741249084472656, 0.21979227662086487, -1.4542080163955688, 1.6077674627304077, 3.134951591491699, 2.802921772003174),
    6: (-0.4297870099544525, -0.8615453243255615, -0.4523963928222656, -0.019419357180595398, 2.3416569232940674, 3.0652530193328857, 2.5071961879730225),
    7: (-0.19052773714065552, -1.9893202781677246, -1.5817904472351074, -0.24585971236228943, 3.8185527324676514, 10.169743537902832, -3.009136915206909),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_0 = {
    0: (-0.3415250778198242, 2.2789759635925293, 0.9681252241134644, 1.712848424911499, -5.847933292388916, -9.15290641784668, -6.127951622009277),
    1: (-0.30005478858947754, -0.6171743273735046, -0.49409037828445435, -0.11687537282705307, 1.0439680814743042, 4.568122386932373, -2.008518934249878),
    2: (0.3328768014907837, 0.4260364770889282, 0.31233787536621094, -0.1618209183216095, 0.2027408480644226, -0.7245781421661377, -1.5996379852294922),
    3: (-0.30650296807289124, 0.15239079296588898, 0.05944935604929924, 0.26826682686805725, 0.0026211736258119345, -0.24004895985126495, -1.6671546697616577),
    4: (-0.17266744375228882, 0.1513039767742157, 0.8617420196533203, 0.048570163547992706, 0.003939232788980007, 1.4543585777282715, 0.830583930015564),
    5: (-0.214010551571846, -0.4115500748157501, -0.9276235699653625, 0.09873518347740173, 0.39276227355003357, 4.633171558380127, 3.999577045440674),
    6: (-0.09078972041606903, -1.033039927482605, -1.3704372644424438, -0.1781366467475891, 4.800541877746582, 2.5908823013305664, 10.137659072875977),
    7: (-0.03871781378984451, -2.4132299423217773, -2.2548258304595947, -0.7774296998977661, 5.236824035644531, 8.87979507446289, -4.021688461303711),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_0_1 = {
    0: (-0.2083108276128769, 0.39162808656692505, 0.0678553506731987, 0.5043163299560547, 1.7731270790100098, -2.1845905780792236, -2.2560272216796875),
    1: (0.36192306876182556, -0.09679301083087921, -0.40358608961105347, 0.3673422634601593, 1.5010480880737305, 5.474435329437256, -1.8606200218200684),
    2: (-0.2387365698814392, 0.5970231294631958, 0.09801904112100601, 0.1612771451473236, 0.03764345496892929, -0.453848272562027, -1.5383448600769043),
    3: (0.7342706322669983, 0.438066691160202, -0.005055488087236881, 0.3668614327907562, -0.08150415122509003, 0.3107392489910126, -1.1496070623397827),
    4: (0.24274340271949768, -0.06852421909570694, -0.5786395072937012, -0.13378019630908966, 1.6759451627731323, -0.9075905084609985, 0.9775166511535645),
    5: (-0.4117206931114197, -0.8112969398498535, -1.0684871673583984, 1.3005582094192505, 1.670734167098999, 7.924980163574219, 6.307927131652832),
    6: (0.20412252843379974, -0.6673098206520081, -0.9741837978363037, -0.28075939416885376, 1.4037528038024902, 6.87954044342041, 8.280267715454102),
    7: (0.32924720644950867, -0.7727375030517578, -1.0928446054458618, -0.4339850842952728, 0.19518360495567322, 5.341690540313721, -3.3466732501983643),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_MLP_0_0 = {
    3: (-0.02792332135140896, -0.8945890665054321, -0.28532207012176514, -0.06255176663398743, 2.7198684215545654, 5.718602180480957, 4.228597640991211),
    5: (0.2633047103881836, -0.8629569411277771, -0.9798005819320679, -0.01602080464363098, -1.0571638345718384, 6.257668972015381, -1.2642349004745483),
    6: (0.111269511282444, -0.5203885436058044, -0.6259140968322754, -0.13271772861480713, 1.5308338403701782, 4.402522563934326, 6.689418792724609),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_0 = {
    0: (0.10340830683708191, -0.0772327110171318, -0.6895788908004761, -3.3279078006744385, 14.952813148498535, -2.596055030822754, 7.763782024383545),
    1: (-0.29936495423316956, -0.7170403003692627, -1.5813353061676025, 1.1480145454406738, -2.952958822250366, 7.360733985900879, -1.7530417442321777),
    2: (0.08673615753650665, 0.8613103628158569, 0.4756244421005249, 0.23171468079090118, -1.2843892574310303, -3.276580810546875, -5.583433628082275),
    3: (-0.1586717665195465, 0.7001573443412781, -0.40341195464134216, -0.659415602684021, 2.585991859436035, -1.4222307205200195, -0.2644120752811432),
    4: (0.6559659838676453, 0.7634322643280029, -0.21133048832416534, -2.6795976161956787, 6.008460998535156, -0.5396447777748108, 4.2211432456970215),
    5: (-0.050562191754579544, -1.3494794368743896, 0.6801902055740356, 0.6206962466239929, -2.3101351261138916, 2.3870179653167725, -0.0010165538405999541),
    6: (0.33404695987701416, 0.30367720127105713, 1.2257269620895386, -1.3149877786636353, 3.6686999797821045, -1.5393190383911133, 1.9052371978759766),
    7: (0.046981777995824814, -0.4789164662361145, -1.3126970529556274, 1.7540340423583984, -6.899745464324951, 7.68750524520874, -1.4186674356460571),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_1_1 = {
    1: (-0.4058248698711395, 0.43522191047668457, 1.2280007600784302, -2.5354535579681396, -0.11350251734256744, -1.9082077741622925, -4.373499393463135),
    2: (-0.1008140966296196, 0.6050519943237305, 0.4151916205883026, -0.30258435010910034, -0.13360431790351868, -1.161332368850708, -5.5233306884765625),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_MLP_1_0 = {
    0: (0.28932058811187744, -0.7948316931724548, -2.0363571643829346, -1.9010281562805176, 1.9911483526229858, 3.601095676422119, 3.2469143867492676),
    1: (0.39272966980934143, -0.8702988028526306, -2.1613879203796387, -1.378333568572998, 2.411142587661743, 7.004983901977539, 5.862364292144775),
    2: (0.5868873000144958, -0.15060429275035858, 0.6122394800186157, 1.9505013227462769, -17.71874237060547, -24.795740127563477, -7.06204080581665),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_0 = {
    1: (0.19360338151454926, 0.5656876564025879, 1.6022578477859497, 1.0245450735092163, -3.5462918281555176, -3.8803255558013916, -6.314074993133545),
    2: (0.029170915484428406, -0.27370816469192505, -0.35313475131988525, 1.8565194606781006, -2.533914089202881, -3.915708541870117, -7.707412242889404),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_ATTN_2_1 = {
    1: (0.33555808663368225, 0.15515568852424622, 1.146169662475586, 1.344345211982727, -2.1658105850219727, -4.341544151306152, -4.824650287628174),
    2: (0.4699060618877411, -0.3516480028629303, 0.1077476218342781, 1.8701788187026978, -2.3390467166900635, -4.10859489440918, -7.062203884124756),
}
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_0 = (0.695136308670044, 2.7348392009735107, 0.37279683351516724, -1.3566758632659912, -3.858185052871704, -3.262460470199585, -1.6449198722839355)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_0_0_1 = (-0.17428593337535858, 0.7778738141059875, -0.006414617411792278, -0.9814443588256836, -2.7872016429901123, -2.724060297012329, -1.5933032035827637)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_0 = (-0.0621895007789135, -0.2644132971763611, -0.3748004734516144, 0.11419753730297089, -0.3346630036830902, 7.530004501342773, 0.29246610403060913)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_1_1 = (0.4182102382183075, -1.0985974073410034, -0.8470597267150879, -0.7099021673202515, 2.9210665225982666, 0.4969255030155182, 6.860588550567627)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_0 = (-0.09269753843545914, -1.028932809829712, -0.9380390644073486, -2.41469407081604, 7.049740314483643, 5.021945953369141, 3.3581650257110596)
# fmt: on
# fmt: off
READOUT_WEIGHTS_NUM_ATTN_2_1 = (8.015012281248346e-05, 1.3308902978897095, 1.3695908784866333, 0.9193989038467407, -1.4679526090621948, -7.171549320220947, -10.45456314086914)
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
    attn_0_0 = _closest(select_attn_0_0, indices)
    # select_attn_0_1[i][j] = select_attn_0_1_predicate(indices[j], indices[i])
    select_attn_0_1 = _select(indices, indices, select_attn_0_1_predicate)
    attn_0_1 = _closest(select_attn_0_1, indices)
    # select_num_attn_0_0[i][j] = select_num_attn_0_0_predicate(tokens[j], tokens[i])
    select_num_attn_0_0 = _select(tokens, tokens, select_num_attn_0_0_predicate)
    num_attn_0_0 = _sum(select_num_attn_0_0, ones)
    mlp_0_0 = [MLP_0_0_TABLE.get((x, y), 5) for x, y in zip(attn_0_1, attn_0_0)]
    num_mlp_0_0 = [NUM_MLP_0_0_TABLE[x] for x in num_attn_0_0]
    # select_attn_1_0[i][j] = select_attn_1_0_predicate(indices[j], num_mlp_0_0[i])
    select_attn_1_0 = _select(indices, num_mlp_0_0, select_attn_1_0_predicate)
    attn_1_0 = _closest(select_attn_1_0, attn_0_1)
    # select_attn_1_1[i][j] = select_attn_1_1_predicate(indices[j], indices[i])
    select_attn_1_1 = _select(indices, indices, select_attn_1_1_predicate)
    attn_1_1 = _closest(select_attn_1_1, num_mlp_0_0)
    # select_num_attn_1_0[i][j] = select_num_attn_1_0_predicate(indices[j], attn_0_0[i])
    select_num_attn_1_0 = _select(indices, attn_0_0, select_num_attn_1_0_predicate)
    num_attn_1_0 = _sum(select_num_attn_1_0, num_attn_0_0)
    # select_num_attn_1_1[i][j] = select_num_attn_1_1_predicate(attn_0_1[j], attn_0_0[i])
    select_num_attn_1_1 = _select(attn_0_1, attn_0_0, select_num_attn_1_1_predicate)
    num_attn_1_1 = _sum(select_num_attn_1_1, ones)
    num_mlp_1_0 = [NUM_MLP_1_0_TABLE[x] for x in num_attn_0_0]
    # select_attn_2_0[i][j] = select_attn_2_0_predicate(mlp_0_0[j], num_mlp_0_0[i])
    select_attn_2_0 = _select(mlp_0_0, num_mlp_0_0, select_attn_2_0_predicate)
    attn_2_0 = _closest(select_attn_2_0, attn_1_1)
    # select_attn_2_1[i][j] = select_attn_2_1_predicate(num_mlp_0_0[j], num_mlp_0_0[i])
    select_attn_2_1 = _select(num_mlp_0_0, num_mlp_0_0, select_attn_2_1_predicate)
    attn_2_1 = _closest(select_attn_2_1, attn_1_1)
    # select_num_attn_2_0[i][j] = select_num_attn_2_0_predicate(num_mlp_1_0[j], attn_1_0[i])
    select_num_attn_2_0 = _select(num_mlp_1_0, attn_1_0, select_num_attn_2_0_predicate)
    num_attn_2_0 = _sum(select_num_attn_2_0, ones)
    # select_num_attn_2_1[i][j] = select_num_attn_2_1_predicate(num_mlp_1_0[j], attn_1_0[i])
    select_num_attn_2_1 = _select(num_mlp_1_0, attn_1_0, select_num_attn_2_1_predicate)
    num_attn_2_1 = _sum(select_num_attn_2_1, num_attn_0_0)
    # readout_logits[i] = READOUT_BIAS + each feature's weights at position i, in this order
    # fmt: off
    readout_logits = _logits(
        READOUT_BIAS,
        [
            tokens, indices, attn_0_0, attn_0_1, mlp_0_0, attn_1_0, attn_1_1, num_mlp_1_0,
            attn_2_0, attn_2_1, num_attn_0_0, num_attn_0_0, num_attn_1_0, num_attn_1_1,
            num_attn_2_0, num_attn_2_1,
        ],
        [
            READOUT_WEIGHTS_TOKENS, READOUT_WEIGHTS_INDICES, READOUT_WEIGHTS_ATTN_0_0,
            READOUT_WEIGHTS_ATTN_0_1, READOUT_WEIGHTS_MLP_0_0, READOUT_WEIGHTS_ATTN_1_0,
            READOUT_WEIGHTS_ATTN_1_1, READOUT_WEIGHTS_NUM_MLP_1_0,
            READOUT_WEIGHTS_ATTN_2_0, READOUT_WEIGHTS_ATTN_2_1,
            READOUT_WEIGHTS_NUM_ATTN_0_0, READOUT_WEIGHTS_NUM_ATTN_0_0_1,
            READOUT_WEIGHTS_NUM_ATTN_1_0, READOUT_WEIGHTS_NUM_ATTN_1_1,
            READOUT_WEIGHTS_NUM_ATTN_2_0, READOUT_WEIGHTS_NUM_ATTN_2_1,
        ],
    )
    # fmt: on
    readout = [READOUT_CLASSES[_argmax(row, READOUT_ALLOWED)] for row in readout_logits]
    return readout


def run_batch(batch: list[list[str]]) -> list[list]:
    """`run` on each input of `batch`."""
    return [run(tokens) for tokens in batch]
