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
# readout: value → value
READOUT_TABLE = {
    0: '2', 1: '1', 2: '2', 3: '3', 4: '4', 5: '5', 6: '6', 7: '7',
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
    readout = rasp.categorical(
        rasp.Map(lambda x: READOUT_TABLE[x], num_attn_0_0, simplify=False).named("readout")
    )
    return readout
