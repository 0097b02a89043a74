"""Tracr program emitted by tpc (the Transformer Program Compiler).

Output: 'readout'. Compile it with

    from tracr.compiler import compiling
    model = compiling.compile_rasp_to_model(
        program(), vocab=VOCAB, max_seq_len=MAX_SEQ_LEN, compiler_bos=COMPILER_BOS,
        mlp_exactness=MLP_EXACTNESS,
    )

and run it as ``model.apply([COMPILER_BOS, *tokens]).decoded[1:]``.

Tracr's default mlp_exactness (100) reads selector widths over more than 6 keys inexactly;
MLP_EXACTNESS keeps them exact. Tracr's compiled attention divides its logits by
sqrt(key_size), the largest query/key space of any head (here up to about 9); once
that reaches a few dozen the attention is no longer hard. For exact outputs multiply
the ``*/attn/query`` weights by sqrt(model.model_config.key_size), as ``tpc tracr compile``
does.
"""

from tracr.rasp import rasp

VOCAB = {"0", "1", "2", "3", "4", "5", "<s>"}
MAX_SEQ_LEN = 8
COMPILER_BOS = "compiler_bos"
MLP_EXACTNESS = 1152.0

# fmt: off
# select_num_attn_0_0: query → the keys it selects
SELECT_NUM_ATTN_0_0_TABLE = {
    '0': {'0'}, '1': {'1'}, '2': {'2'}, '3': {'3'}, '4': {'4'}, '5': {'5'}, '<s>': {'0'},
}
# num_attn_0_0: value → value
NUM_ATTN_0_0_TABLE = {
    0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 0,
}
# select_num_attn_0_1: query → the keys it selects
SELECT_NUM_ATTN_0_1_TABLE = {
    '0': {'2'}, '1': {'4'}, '2': {'5'}, '3': {'4'}, '4': {'3'}, '5': {'2'}, '<s>': set(),
}
# num_attn_0_1: value → value
NUM_ATTN_0_1_TABLE = {
    0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 0, 8: 0,
}
# readout: (x, y) → value
READOUT_TABLE = {
    (0, 0): '2', (0, 1): '2', (0, 2): '2', (0, 3): '2', (0, 4): '2', (0, 5): '2', (0, 6): '2',
    (1, 0): '1', (1, 1): '1', (1, 2): '1', (1, 3): '1', (1, 4): '1', (1, 5): '1', (1, 6): '1',
    (2, 0): '2', (2, 1): '2', (2, 2): '2', (2, 3): '2', (2, 4): '2', (2, 5): '2', (2, 6): '2',
    (3, 0): '3', (3, 1): '3', (3, 2): '3', (3, 3): '3', (3, 4): '3', (3, 5): '2', (3, 6): '2',
    (4, 0): '4', (4, 1): '4', (4, 2): '4', (4, 3): '4', (4, 4): '2', (4, 5): '2', (4, 6): '2',
    (5, 0): '5', (5, 1): '5', (5, 2): '5', (5, 3): '2', (5, 4): '2', (5, 5): '2', (5, 6): '2',
    (6, 0): '6', (6, 1): '5', (6, 2): '2', (6, 3): '2', (6, 4): '2', (6, 5): '2', (6, 6): '2',
    (7, 0): '6', (7, 1): '2', (7, 2): '2', (7, 3): '2', (7, 4): '2', (7, 5): '2', (7, 6): '2',
}
# fmt: on


def program() -> rasp.SOp:
    """The program as a Tracr RASP expression."""
    select_num_attn_0_0 = rasp.Select(
        rasp.tokens, rasp.tokens, lambda key, query: key in SELECT_NUM_ATTN_0_0_TABLE[query]
    ).named("select_num_attn_0_0")
    num_attn_0_0_width = rasp.categorical(
        rasp.SelectorWidth(select_num_attn_0_0).named("num_attn_0_0_width")
    )
    num_attn_0_0 = rasp.categorical(
        rasp.Map(lambda x: NUM_ATTN_0_0_TABLE[x], num_attn_0_0_width, simplify=False).named(
            "num_attn_0_0"
        )
    )
    select_num_attn_0_1 = rasp.Select(
        rasp.tokens, rasp.tokens, lambda key, query: key in SELECT_NUM_ATTN_0_1_TABLE[query]
    ).named("select_num_attn_0_1")
    num_attn_0_1_width = rasp.categorical(
        rasp.SelectorWidth(select_num_attn_0_1).named("num_attn_0_1_width")
    )
    num_attn_0_1 = rasp.categorical(
        rasp.Map(lambda x: NUM_ATTN_0_1_TABLE[x], num_attn_0_1_width, simplify=False).named(
            "num_attn_0_1"
        )
    )
    readout = rasp.categorical(
        rasp.SequenceMap(lambda x, y: READOUT_TABLE[x, y], num_attn_0_0, num_attn_0_1).named(
            "readout"
        )
    )
    return readout
