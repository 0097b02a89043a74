"""Tracr program emitted by tpc (the Transformer Program Compiler).

Output: 'readout'. Compile it with

    from tracr.compiler import compiling
    model = compiling.compile_rasp_to_model(
        program(), vocab=VOCAB, max_seq_len=MAX_SEQ_LEN, compiler_bos=COMPILER_BOS
    )

and run it as ``model.apply([COMPILER_BOS, *tokens]).decoded[1:]``.

Tracr's compiled attention divides its logits by sqrt(key_size), the largest query/key space
of any head (here up to about 65); once that reaches a few dozen the
attention is no longer hard. For exact outputs multiply the ``*/attn/query`` weights by
sqrt(model.model_config.key_size), as ``tpc tracr compile`` does.
"""

from tracr.rasp import rasp

VOCAB = {"0", "1", "2", "3", "4", "5", "<s>"}
MAX_SEQ_LEN = 8
COMPILER_BOS = "compiler_bos"

# fmt: off
# attn_0_0_key_class: value → value
ATTN_0_0_KEY_CLASS_TABLE = {
    '0': 0, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '<s>': -1,
}
# attn_0_0_query_class: value → value
ATTN_0_0_QUERY_CLASS_TABLE = {
    '0': 0, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '<s>': -2,
}
# attn_0_0_rank_sel_keys: (x, y) → value
ATTN_0_0_RANK_SEL_KEYS_TABLE = {
    (-1, 0): 0, (-1, 1): 1, (-1, 2): 2, (-1, 3): 3, (-1, 4): 4, (-1, 5): 5, (-1, 6): 6, (-1, 7): 7,
    (0, 0): 8, (0, 1): 9, (0, 2): 10, (0, 3): 11, (0, 4): 12, (0, 5): 13, (0, 6): 14, (0, 7): 15,
    (1, 0): 16, (1, 1): 17, (1, 2): 18, (1, 3): 19, (1, 4): 20, (1, 5): 21, (1, 6): 22, (1, 7): 23,
    (2, 0): 24, (2, 1): 25, (2, 2): 26, (2, 3): 27, (2, 4): 28, (2, 5): 29, (2, 6): 30, (2, 7): 31,
    (3, 0): 32, (3, 1): 33, (3, 2): 34, (3, 3): 35, (3, 4): 36, (3, 5): 37, (3, 6): 38, (3, 7): 39,
    (4, 0): 40, (4, 1): 41, (4, 2): 42, (4, 3): 43, (4, 4): 44, (4, 5): 45, (4, 6): 46, (4, 7): 47,
    (5, 0): 48, (5, 1): 49, (5, 2): 50, (5, 3): 51, (5, 4): 52, (5, 5): 53, (5, 6): 54, (5, 7): 55,
}
# attn_0_0_rank_sel: query → the keys it selects
ATTN_0_0_RANK_SEL_TABLE = {
    0: set(), 1: {0}, 2: {0, 1}, 3: {0, 1, 2}, 4: {0, 1, 2, 3}, 5: {0, 1, 2, 3, 4},
    6: {0, 1, 2, 3, 4, 5}, 7: {0, 1, 2, 3, 4, 5, 6}, 8: set(), 9: {8}, 10: {8, 9}, 11: {8, 9, 10},
    12: {8, 9, 10, 11}, 13: {8, 9, 10, 11, 12}, 14: {8, 9, 10, 11, 12, 13},
    15: {8, 9, 10, 11, 12, 13, 14}, 16: set(), 17: {16}, 18: {16, 17}, 19: {16, 17, 18},
    20: {16, 17, 18, 19}, 21: {16, 17, 18, 19, 20}, 22: {16, 17, 18, 19, 20, 21},
    23: {16, 17, 18, 19, 20, 21, 22}, 24: set(), 25: {24}, 26: {24, 25}, 27: {24, 25, 26},
    28: {24, 25, 26, 27}, 29: {24, 25, 26, 27, 28}, 30: {24, 25, 26, 27, 28, 29},
    31: {24, 25, 26, 27, 28, 29, 30}, 32: set(), 33: {32}, 34: {32, 33}, 35: {32, 33, 34},
    36: {32, 33, 34, 35}, 37: {32, 33, 34, 35, 36}, 38: {32, 33, 34, 35, 36, 37},
    39: {32, 33, 34, 35, 36, 37, 38}, 40: set(), 41: {40}, 42: {40, 41}, 43: {40, 41, 42},
    44: {40, 41, 42, 43}, 45: {40, 41, 42, 43, 44}, 46: {40, 41, 42, 43, 44, 45},
    47: {40, 41, 42, 43, 44, 45, 46}, 48: set(), 49: {48}, 50: {48, 49}, 51: {48, 49, 50},
    52: {48, 49, 50, 51}, 53: {48, 49, 50, 51, 52}, 54: {48, 49, 50, 51, 52, 53},
    55: {48, 49, 50, 51, 52, 53, 54},
}
# attn_0_0_before_sel_queries: (x, y) → value
ATTN_0_0_BEFORE_SEL_QUERIES_TABLE = {
    (-2, 0): 0, (-2, 1): 1, (-2, 2): 2, (-2, 3): 3, (-2, 4): 4, (-2, 5): 5, (-2, 6): 6, (-2, 7): 7,
    (0, 0): 8, (0, 1): 9, (0, 2): 10, (0, 3): 11, (0, 4): 12, (0, 5): 13, (0, 6): 14, (0, 7): 15,
    (1, 0): 16, (1, 1): 17, (1, 2): 18, (1, 3): 19, (1, 4): 20, (1, 5): 21, (1, 6): 22, (1, 7): 23,
    (2, 0): 24, (2, 1): 25, (2, 2): 26, (2, 3): 27, (2, 4): 28, (2, 5): 29, (2, 6): 30, (2, 7): 31,
    (3, 0): 32, (3, 1): 33, (3, 2): 34, (3, 3): 35, (3, 4): 36, (3, 5): 37, (3, 6): 38, (3, 7): 39,
    (4, 0): 40, (4, 1): 41, (4, 2): 42, (4, 3): 43, (4, 4): 44, (4, 5): 45, (4, 6): 46, (4, 7): 47,
    (5, 0): 48, (5, 1): 49, (5, 2): 50, (5, 3): 51, (5, 4): 52, (5, 5): 53, (5, 6): 54, (5, 7): 55,
}
# attn_0_0_before_sel: query → the keys it selects
ATTN_0_0_BEFORE_SEL_TABLE = {
    0: set(), 1: set(), 2: set(), 3: set(), 4: set(), 5: set(), 6: set(), 7: set(), 8: set(),
    9: {8}, 10: {8, 9}, 11: {8, 9, 10}, 12: {8, 9, 10, 11}, 13: {8, 9, 10, 11, 12},
    14: {8, 9, 10, 11, 12, 13}, 15: {8, 9, 10, 11, 12, 13, 14}, 16: set(), 17: {16}, 18: {16, 17},
    19: {16, 17, 18}, 20: {16, 17, 18, 19}, 21: {16, 17, 18, 19, 20}, 22: {16, 17, 18, 19, 20, 21},
    23: {16, 17, 18, 19, 20, 21, 22}, 24: set(), 25: {24}, 26: {24, 25}, 27: {24, 25, 26},
    28: {24, 25, 26, 27}, 29: {24, 25, 26, 27, 28}, 30: {24, 25, 26, 27, 28, 29},
    31: {24, 25, 26, 27, 28, 29, 30}, 32: set(), 33: {32}, 34: {32, 33}, 35: {32, 33, 34},
    36: {32, 33, 34, 35}, 37: {32, 33, 34, 35, 36}, 38: {32, 33, 34, 35, 36, 37},
    39: {32, 33, 34, 35, 36, 37, 38}, 40: set(), 41: {40}, 42: {40, 41}, 43: {40, 41, 42},
    44: {40, 41, 42, 43}, 45: {40, 41, 42, 43, 44}, 46: {40, 41, 42, 43, 44, 45},
    47: {40, 41, 42, 43, 44, 45, 46}, 48: set(), 49: {48}, 50: {48, 49}, 51: {48, 49, 50},
    52: {48, 49, 50, 51}, 53: {48, 49, 50, 51, 52}, 54: {48, 49, 50, 51, 52, 53},
    55: {48, 49, 50, 51, 52, 53, 54},
}
# attn_0_0_upto_sel: query → the keys it selects
ATTN_0_0_UPTO_SEL_TABLE = {
    0: set(), 1: set(), 2: set(), 3: set(), 4: set(), 5: set(), 6: set(), 7: set(), 8: {8},
    9: {8, 9}, 10: {8, 9, 10}, 11: {8, 9, 10, 11}, 12: {8, 9, 10, 11, 12},
    13: {8, 9, 10, 11, 12, 13}, 14: {8, 9, 10, 11, 12, 13, 14}, 15: {8, 9, 10, 11, 12, 13, 14, 15},
    16: {16}, 17: {16, 17}, 18: {16, 17, 18}, 19: {16, 17, 18, 19}, 20: {16, 17, 18, 19, 20},
    21: {16, 17, 18, 19, 20, 21}, 22: {16, 17, 18, 19, 20, 21, 22},
    23: {16, 17, 18, 19, 20, 21, 22, 23}, 24: {24}, 25: {24, 25}, 26: {24, 25, 26},
    27: {24, 25, 26, 27}, 28: {24, 25, 26, 27, 28}, 29: {24, 25, 26, 27, 28, 29},
    30: {24, 25, 26, 27, 28, 29, 30}, 31: {24, 25, 26, 27, 28, 29, 30, 31}, 32: {32}, 33: {32, 33},
    34: {32, 33, 34}, 35: {32, 33, 34, 35}, 36: {32, 33, 34, 35, 36}, 37: {32, 33, 34, 35, 36, 37},
    38: {32, 33, 34, 35, 36, 37, 38}, 39: {32, 33, 34, 35, 36, 37, 38, 39}, 40: {40}, 41: {40, 41},
    42: {40, 41, 42}, 43: {40, 41, 42, 43}, 44: {40, 41, 42, 43, 44}, 45: {40, 41, 42, 43, 44, 45},
    46: {40, 41, 42, 43, 44, 45, 46}, 47: {40, 41, 42, 43, 44, 45, 46, 47}, 48: {48}, 49: {48, 49},
    50: {48, 49, 50}, 51: {48, 49, 50, 51}, 52: {48, 49, 50, 51, 52}, 53: {48, 49, 50, 51, 52, 53},
    54: {48, 49, 50, 51, 52, 53, 54}, 55: {48, 49, 50, 51, 52, 53, 54, 55},
}
# attn_0_0_prev_rank: value → value
ATTN_0_0_PREV_RANK_TABLE = {
    0: -1, 1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5, 7: 6, 8: 7,
}
# attn_0_0_prev_sel_keys: (x, y) → value
ATTN_0_0_PREV_SEL_KEYS_TABLE = {
    (-1, 0): 0, (-1, 1): 1, (-1, 2): 2, (-1, 3): 3, (-1, 4): 4, (-1, 5): 5, (-1, 6): 6, (-1, 7): 7,
    (-1, 8): 8, (0, 0): 9, (0, 1): 10, (0, 2): 11, (0, 3): 12, (0, 4): 13, (0, 5): 14, (0, 6): 15,
    (0, 7): 16, (0, 8): 17, (1, 0): 18, (1, 1): 19, (1, 2): 20, (1, 3): 21, (1, 4): 22, (1, 5): 23,
    (1, 6): 24, (1, 7): 25, (1, 8): 26, (2, 0): 27, (2, 1): 28, (2, 2): 29, (2, 3): 30, (2, 4): 31,
    (2, 5): 32, (2, 6): 33, (2, 7): 34, (2, 8): 35, (3, 0): 36, (3, 1): 37, (3, 2): 38, (3, 3): 39,
    (3, 4): 40, (3, 5): 41, (3, 6): 42, (3, 7): 43, (3, 8): 44, (4, 0): 45, (4, 1): 46, (4, 2): 47,
    (4, 3): 48, (4, 4): 49, (4, 5): 50, (4, 6): 51, (4, 7): 52, (4, 8): 53, (5, 0): 54, (5, 1): 55,
    (5, 2): 56, (5, 3): 57, (5, 4): 58, (5, 5): 59, (5, 6): 60, (5, 7): 61, (5, 8): 62,
}
# attn_0_0_prev_sel_queries: (x, y) → value
ATTN_0_0_PREV_SEL_QUERIES_TABLE = {
    (-2, -1): 0, (-2, 0): 1, (-2, 1): 2, (-2, 2): 3, (-2, 3): 4, (-2, 4): 5, (-2, 5): 6, (-2, 6): 7,
    (-2, 7): 8, (0, -1): 9, (0, 0): 10, (0, 1): 11, (0, 2): 12, (0, 3): 13, (0, 4): 14, (0, 5): 15,
    (0, 6): 16, (0, 7): 17, (1, -1): 18, (1, 0): 19, (1, 1): 20, (1, 2): 21, (1, 3): 22, (1, 4): 23,
    (1, 5): 24, (1, 6): 25, (1, 7): 26, (2, -1): 27, (2, 0): 28, (2, 1): 29, (2, 2): 30, (2, 3): 31,
    (2, 4): 32, (2, 5): 33, (2, 6): 34, (2, 7): 35, (3, -1): 36, (3, 0): 37, (3, 1): 38, (3, 2): 39,
    (3, 3): 40, (3, 4): 41, (3, 5): 42, (3, 6): 43, (3, 7): 44, (4, -1): 45, (4, 0): 46, (4, 1): 47,
    (4, 2): 48, (4, 3): 49, (4, 4): 50, (4, 5): 51, (4, 6): 52, (4, 7): 53, (5, -1): 54, (5, 0): 55,
    (5, 1): 56, (5, 2): 57, (5, 3): 58, (5, 4): 59, (5, 5): 60, (5, 6): 61, (5, 7): 62,
}
# attn_0_0_prev_sel: query → the keys it selects
ATTN_0_0_PREV_SEL_TABLE = {
    0: set(), 1: set(), 2: set(), 3: set(), 4: set(), 5: set(), 6: set(), 7: set(), 8: set(),
    9: set(), 10: {9}, 11: {10}, 12: {11}, 13: {12}, 14: {13}, 15: {14}, 16: {15}, 17: {16},
    18: set(), 19: {18}, 20: {19}, 21: {20}, 22: {21}, 23: {22}, 24: {23}, 25: {24}, 26: {25},
    27: set(), 28: {27}, 29: {28}, 30: {29}, 31: {30}, 32: {31}, 33: {32}, 34: {33}, 35: {34},
    36: set(), 37: {36}, 38: {37}, 39: {38}, 40: {39}, 41: {40}, 42: {41}, 43: {42}, 44: {43},
    45: set(), 46: {45}, 47: {46}, 48: {47}, 49: {48}, 50: {49}, 51: {50}, 52: {51}, 53: {52},
    54: set(), 55: {54}, 56: {55}, 57: {56}, 58: {57}, 59: {58}, 60: {59}, 61: {60}, 62: {61},
}
# attn_0_0_prev_code: value → value
ATTN_0_0_PREV_CODE_TABLE = {
    0: 0.1111111111111111, 1: 0.2222222222222222, 2: 0.3333333333333333, 3: 0.4444444444444444,
    4: 0.5555555555555556, 5: 0.6666666666666666, 6: 0.7777777777777778, 7: 0.8888888888888888,
}
# attn_0_0_prev: value → value
ATTN_0_0_PREV_TABLE = {
    0: -1, 0.1111111111111111: 0, 0.2222222222222222: 1, 0.3333333333333333: 2,
    0.4444444444444444: 3, 0.5555555555555556: 4, 0.6666666666666666: 5, 0.7777777777777778: 6,
    0.8888888888888888: 7,
}
# attn_0_0_next_sel_queries: (x, y) → value
ATTN_0_0_NEXT_SEL_QUERIES_TABLE = {
    (-2, 0): 0, (-2, 1): 1, (-2, 2): 2, (-2, 3): 3, (-2, 4): 4, (-2, 5): 5, (-2, 6): 6, (-2, 7): 7,
    (-2, 8): 8, (0, 0): 9, (0, 1): 10, (0, 2): 11, (0, 3): 12, (0, 4): 13, (0, 5): 14, (0, 6): 15,
    (0, 7): 16, (0, 8): 17, (1, 0): 18, (1, 1): 19, (1, 2): 20, (1, 3): 21, (1, 4): 22, (1, 5): 23,
    (1, 6): 24, (1, 7): 25, (1, 8): 26, (2, 0): 27, (2, 1): 28, (2, 2): 29, (2, 3): 30, (2, 4): 31,
    (2, 5): 32, (2, 6): 33, (2, 7): 34, (2, 8): 35, (3, 0): 36, (3, 1): 37, (3, 2): 38, (3, 3): 39,
    (3, 4): 40, (3, 5): 41, (3, 6): 42, (3, 7): 43, (3, 8): 44, (4, 0): 45, (4, 1): 46, (4, 2): 47,
    (4, 3): 48, (4, 4): 49, (4, 5): 50, (4, 6): 51, (4, 7): 52, (4, 8): 53, (5, 0): 54, (5, 1): 55,
    (5, 2): 56, (5, 3): 57, (5, 4): 58, (5, 5): 59, (5, 6): 60, (5, 7): 61, (5, 8): 62,
}
# attn_0_0_next_sel: query → the keys it selects
ATTN_0_0_NEXT_SEL_TABLE = {
    0: set(), 1: set(), 2: set(), 3: set(), 4: set(), 5: set(), 6: set(), 7: set(), 8: set(),
    9: {9}, 10: {10}, 11: {11}, 12: {12}, 13: {13}, 14: {14}, 15: {15}, 16: {16}, 17: {17},
    18: {18}, 19: {19}, 20: {20}, 21: {21}, 22: {22}, 23: {23}, 24: {24}, 25: {25}, 26: {26},
    27: {27}, 28: {28}, 29: {29}, 30: {30}, 31: {31}, 32: {32}, 33: {33}, 34: {34}, 35: {35},
    36: {36}, 37: {37}, 38: {38}, 39: {39}, 40: {40}, 41: {41}, 42: {42}, 43: {43}, 44: {44},
    45: {45}, 46: {46}, 47: {47}, 48: {48}, 49: {49}, 50: {50}, 51: {51}, 52: {52}, 53: {53},
    54: {54}, 55: {55}, 56: {56}, 57: {57}, 58: {58}, 59: {59}, 60: {60}, 61: {61}, 62: {62},
}
# attn_0_0_next_code: value → value
ATTN_0_0_NEXT_CODE_TABLE = {
    0: 0.1111111111111111, 1: 0.2222222222222222, 2: 0.3333333333333333, 3: 0.4444444444444444,
    4: 0.5555555555555556, 5: 0.6666666666666666, 6: 0.7777777777777778, 7: 0.8888888888888888,
}
# attn_0_0_next: value → value
ATTN_0_0_NEXT_TABLE = {
    0: -1, 0.1111111111111111: 0, 0.2222222222222222: 1, 0.3333333333333333: 2,
    0.4444444444444444: 3, 0.5555555555555556: 4, 0.6666666666666666: 5, 0.7777777777777778: 6,
    0.8888888888888888: 7,
}
# attn_0_0_prev_dist: (x, y) → value
ATTN_0_0_PREV_DIST_TABLE = {
    (-1, 0): 16, (-1, 1): 16, (-1, 2): 16, (-1, 3): 16, (-1, 4): 16, (-1, 5): 16, (-1, 6): 16,
    (-1, 7): 16, (0, 0): 0, (0, 1): 1, (0, 2): 2, (0, 3): 3, (0, 4): 4, (0, 5): 5, (0, 6): 6,
    (0, 7): 7, (1, 0): -1, (1, 1): 0, (1, 2): 1, (1, 3): 2, (1, 4): 3, (1, 5): 4, (1, 6): 5,
    (1, 7): 6, (2, 0): -2, (2, 1): -1, (2, 2): 0, (2, 3): 1, (2, 4): 2, (2, 5): 3, (2, 6): 4,
    (2, 7): 5, (3, 0): -3, (3, 1): -2, (3, 2): -1, (3, 3): 0, (3, 4): 1, (3, 5): 2, (3, 6): 3,
    (3, 7): 4, (4, 0): -4, (4, 1): -3, (4, 2): -2, (4, 3): -1, (4, 4): 0, (4, 5): 1, (4, 6): 2,
    (4, 7): 3, (5, 0): -5, (5, 1): -4, (5, 2): -3, (5, 3): -2, (5, 4): -1, (5, 5): 0, (5, 6): 1,
    (5, 7): 2, (6, 0): -6, (6, 1): -5, (6, 2): -4, (6, 3): -3, (6, 4): -2, (6, 5): -1, (6, 6): 0,
    (6, 7): 1, (7, 0): -7, (7, 1): -6, (7, 2): -5, (7, 3): -4, (7, 4): -3, (7, 5): -2, (7, 6): -1,
    (7, 7): 0,
}
# attn_0_0_next_dist: (x, y) → value
ATTN_0_0_NEXT_DIST_TABLE = {
    (-1, 0): 16, (-1, 1): 16, (-1, 2): 16, (-1, 3): 16, (-1, 4): 16, (-1, 5): 16, (-1, 6): 16,
    (-1, 7): 16, (0, 0): 0, (0, 1): -1, (0, 2): -2, (0, 3): -3, (0, 4): -4, (0, 5): -5, (0, 6): -6,
    (0, 7): -7, (1, 0): 1, (1, 1): 0, (1, 2): -1, (1, 3): -2, (1, 4): -3, (1, 5): -4, (1, 6): -5,
    (1, 7): -6, (2, 0): 2, (2, 1): 1, (2, 2): 0, (2, 3): -1, (2, 4): -2, (2, 5): -3, (2, 6): -4,
    (2, 7): -5, (3, 0): 3, (3, 1): 2, (3, 2): 1, (3, 3): 0, (3, 4): -1, (3, 5): -2, (3, 6): -3,
    (3, 7): -4, (4, 0): 4, (4, 1): 3, (4, 2): 2, (4, 3): 1, (4, 4): 0, (4, 5): -1, (4, 6): -2,
    (4, 7): -3, (5, 0): 5, (5, 1): 4, (5, 2): 3, (5, 3): 2, (5, 4): 1, (5, 5): 0, (5, 6): -1,
    (5, 7): -2, (6, 0): 6, (6, 1): 5, (6, 2): 4, (6, 3): 3, (6, 4): 2, (6, 5): 1, (6, 6): 0,
    (6, 7): -1, (7, 0): 7, (7, 1): 6, (7, 2): 5, (7, 3): 4, (7, 4): 3, (7, 5): 2, (7, 6): 1,
    (7, 7): 0,
}
# attn_0_0_take_prev: (x, y) → value
ATTN_0_0_TAKE_PREV_TABLE = {
    (-7, -7): True, (-7, -6): True, (-7, -5): True, (-7, -4): True, (-7, -3): True, (-7, -2): True,
    (-7, -1): True, (-7, 0): True, (-7, 1): True, (-7, 2): True, (-7, 3): True, (-7, 4): True,
    (-7, 5): True, (-7, 6): True, (-7, 7): True, (-7, 16): True, (-6, -7): False, (-6, -6): True,
    (-6, -5): True, (-6, -4): True, (-6, -3): True, (-6, -2): True, (-6, -1): True, (-6, 0): True,
    (-6, 1): True, (-6, 2): True, (-6, 3): True, (-6, 4): True, (-6, 5): True, (-6, 6): True,
    (-6, 7): True, (-6, 16): True, (-5, -7): False, (-5, -6): False, (-5, -5): True, (-5, -4): True,
    (-5, -3): True, (-5, -2): True, (-5, -1): True, (-5, 0): True, (-5, 1): True, (-5, 2): True,
    (-5, 3): True, (-5, 4): True, (-5, 5): True, (-5, 6): True, (-5, 7): True, (-5, 16): True,
    (-4, -7): False, (-4, -6): False, (-4, -5): False, (-4, -4): True, (-4, -3): True,
    (-4, -2): True, (-4, -1): True, (-4, 0): True, (-4, 1): True, (-4, 2): True, (-4, 3): True,
    (-4, 4): True, (-4, 5): True, (-4, 6): True, (-4, 7): True, (-4, 16): True, (-3, -7): False,
    (-3, -6): False, (-3, -5): False, (-3, -4): False, (-3, -3): True, (-3, -2): True,
    (-3, -1): True, (-3, 0): True, (-3, 1): True, (-3, 2): True, (-3, 3): True, (-3, 4): True,
    (-3, 5): True, (-3, 6): True, (-3, 7): True, (-3, 16): True, (-2, -7): False, (-2, -6): False,
    (-2, -5): False, (-2, -4): False, (-2, -3): False, (-2, -2): True, (-2, -1): True,
    (-2, 0): True, (-2, 1): True, (-2, 2): True, (-2, 3): True, (-2, 4): True, (-2, 5): True,
    (-2, 6): True, (-2, 7): True, (-2, 16): True, (-1, -7): False, (-1, -6): False, (-1, -5): False,
    (-1, -4): False, (-1, -3): False, (-1, -2): False, (-1, -1): True, (-1, 0): True, (-1, 1): True,
    (-1, 2): True, (-1, 3): True, (-1, 4): True, (-1, 5): True, (-1, 6): True, (-1, 7): True,
    (-1, 16): True, (0, -7): False, (0, -6): False, (0, -5): False, (0, -4): False, (0, -3): False,
    (0, -2): False, (0, -1): False, (0, 0): True, (0, 1): True, (0, 2): True, (0, 3): True,
    (0, 4): True, (0, 5): True, (0, 6): True, (0, 7): True, (0, 16): True, (1, -7): False,
    (1, -6): False, (1, -5): False, (1, -4): False, (1, -3): False, (1, -2): False, (1, -1): False,
    (1, 0): False, (1, 1): True, (1, 2): True, (1, 3): True, (1, 4): True, (1, 5): True,
    (1, 6): True, (1, 7): True, (1, 16): True, (2, -7): False, (2, -6): False, (2, -5): False,
    (2, -4): False, (2, -3): False, (2, -2): False, (2, -1): False, (2, 0): False, (2, 1): False,
    (2, 2): True, (2, 3): True, (2, 4): True, (2, 5): True, (2, 6): True, (2, 7): True,
    (2, 16): True, (3, -7): False, (3, -6): False, (3, -5): False, (3, -4): False, (3, -3): False,
    (3, -2): False, (3, -1): False, (3, 0): False, (3, 1): False, (3, 2): False, (3, 3): True,
    (3, 4): True, (3, 5): True, (3, 6): True, (3, 7): True, (3, 16): True, (4, -7): False,
    (4, -6): False, (4, -5): False, (4, -4): False, (4, -3): False, (4, -2): False, (4, -1): False,
    (4, 0): False, (4, 1): False, (4, 2): False, (4, 3): False, (4, 4): True, (4, 5): True,
    (4, 6): True, (4, 7): True, (4, 16): True, (5, -7): False, (5, -6): False, (5, -5): False,
    (5, -4): False, (5, -3): False, (5, -2): False, (5, -1): False, (5, 0): False, (5, 1): False,
    (5, 2): False, (5, 3): False, (5, 4): False, (5, 5): True, (5, 6): True, (5, 7): True,
    (5, 16): True, (6, -7): False, (6, -6): False, (6, -5): False, (6, -4): False, (6, -3): False,
    (6, -2): False, (6, -1): False, (6, 0): False, (6, 1): False, (6, 2): False, (6, 3): False,
    (6, 4): False, (6, 5): False, (6, 6): True, (6, 7): True, (6, 16): True, (7, -7): False,
    (7, -6): False, (7, -5): False, (7, -4): False, (7, -3): False, (7, -2): False, (7, -1): False,
    (7, 0): False, (7, 1): False, (7, 2): False, (7, 3): False, (7, 4): False, (7, 5): False,
    (7, 6): False, (7, 7): True, (7, 16): True, (16, -7): False, (16, -6): False, (16, -5): False,
    (16, -4): False, (16, -3): False, (16, -2): False, (16, -1): False, (16, 0): False,
    (16, 1): False, (16, 2): False, (16, 3): False, (16, 4): False, (16, 5): False, (16, 6): False,
    (16, 7): False, (16, 16): False,
}
# attn_0_0_other_if_prev: (x, y) → value
ATTN_0_0_OTHER_IF_PREV_TABLE = {
    (False, -1): -1, (False, 0): -1, (False, 1): -1, (False, 2): -1, (False, 3): -1, (False, 4): -1,
    (False, 5): -1, (False, 6): -1, (False, 7): -1, (True, -1): -1, (True, 0): 0, (True, 1): 1,
    (True, 2): 2, (True, 3): 3, (True, 4): 4, (True, 5): 5, (True, 6): 6, (True, 7): 7,
}
# attn_0_0_other: (x, y) → value
ATTN_0_0_OTHER_TABLE = {
    (-1, -1): -1, (-1, 0): 0, (-1, 1): 1, (-1, 2): 2, (-1, 3): 3, (-1, 4): 4, (-1, 5): 5,
    (-1, 6): 6, (-1, 7): 7, (0, -1): 0, (0, 0): 0, (0, 1): 0, (0, 2): 0, (0, 3): 0, (0, 4): 0,
    (0, 5): 0, (0, 6): 0, (0, 7): 0, (1, -1): 1, (1, 0): 1, (1, 1): 1, (1, 2): 1, (1, 3): 1,
    (1, 4): 1, (1, 5): 1, (1, 6): 1, (1, 7): 1, (2, -1): 2, (2, 0): 2, (2, 1): 2, (2, 2): 2,
    (2, 3): 2, (2, 4): 2, (2, 5): 2, (2, 6): 2, (2, 7): 2, (3, -1): 3, (3, 0): 3, (3, 1): 3,
    (3, 2): 3, (3, 3): 3, (3, 4): 3, (3, 5): 3, (3, 6): 3, (3, 7): 3, (4, -1): 4, (4, 0): 4,
    (4, 1): 4, (4, 2): 4, (4, 3): 4, (4, 4): 4, (4, 5): 4, (4, 6): 4, (4, 7): 4, (5, -1): 5,
    (5, 0): 5, (5, 1): 5, (5, 2): 5, (5, 3): 5, (5, 4): 5, (5, 5): 5, (5, 6): 5, (5, 7): 5,
    (6, -1): 6, (6, 0): 6, (6, 1): 6, (6, 2): 6, (6, 3): 6, (6, 4): 6, (6, 5): 6, (6, 6): 6,
    (6, 7): 6, (7, -1): 7, (7, 0): 7, (7, 1): 7, (7, 2): 7, (7, 3): 7, (7, 4): 7, (7, 5): 7,
    (7, 6): 7, (7, 7): 7,
}
# attn_0_0_self_match: (x, y) → value
ATTN_0_0_SELF_MATCH_TABLE = {
    (-1, -2): False, (-1, 0): False, (-1, 1): False, (-1, 2): False, (-1, 3): False, (-1, 4): False,
    (-1, 5): False, (0, -2): False, (0, 0): True, (0, 1): False, (0, 2): False, (0, 3): False,
    (0, 4): False, (0, 5): False, (1, -2): False, (1, 0): False, (1, 1): True, (1, 2): False,
    (1, 3): False, (1, 4): False, (1, 5): False, (2, -2): False, (2, 0): False, (2, 1): False,
    (2, 2): True, (2, 3): False, (2, 4): False, (2, 5): False, (3, -2): False, (3, 0): False,
    (3, 1): False, (3, 2): False, (3, 3): True, (3, 4): False, (3, 5): False, (4, -2): False,
    (4, 0): False, (4, 1): False, (4, 2): False, (4, 3): False, (4, 4): True, (4, 5): False,
    (5, -2): False, (5, 0): False, (5, 1): False, (5, 2): False, (5, 3): False, (5, 4): False,
    (5, 5): True,
}
# attn_0_0_fallback: (x, y) → value
ATTN_0_0_FALLBACK_TABLE = {
    (False, 0): 0, (False, 1): 0, (False, 2): 0, (False, 3): 0, (False, 4): 0, (False, 5): 0,
    (False, 6): 0, (False, 7): 0, (True, 0): 0, (True, 1): 1, (True, 2): 2, (True, 3): 3,
    (True, 4): 4, (True, 5): 5, (True, 6): 6, (True, 7): 7,
}
# attn_0_0_target: (x, y) → value
ATTN_0_0_TARGET_TABLE = {
    (-1, 0): 0, (-1, 1): 1, (-1, 2): 2, (-1, 3): 3, (-1, 4): 4, (-1, 5): 5, (-1, 6): 6, (-1, 7): 7,
    (0, 0): 0, (0, 1): 0, (0, 2): 0, (0, 3): 0, (0, 4): 0, (0, 5): 0, (0, 6): 0, (0, 7): 0,
    (1, 0): 1, (1, 1): 1, (1, 2): 1, (1, 3): 1, (1, 4): 1, (1, 5): 1, (1, 6): 1, (1, 7): 1,
    (2, 0): 2, (2, 1): 2, (2, 2): 2, (2, 3): 2, (2, 4): 2, (2, 5): 2, (2, 6): 2, (2, 7): 2,
    (3, 0): 3, (3, 1): 3, (3, 2): 3, (3, 3): 3, (3, 4): 3, (3, 5): 3, (3, 6): 3, (3, 7): 3,
    (4, 0): 4, (4, 1): 4, (4, 2): 4, (4, 3): 4, (4, 4): 4, (4, 5): 4, (4, 6): 4, (4, 7): 4,
    (5, 0): 5, (5, 1): 5, (5, 2): 5, (5, 3): 5, (5, 4): 5, (5, 5): 5, (5, 6): 5, (5, 7): 5,
    (6, 0): 6, (6, 1): 6, (6, 2): 6, (6, 3): 6, (6, 4): 6, (6, 5): 6, (6, 6): 6, (6, 7): 6,
    (7, 0): 7, (7, 1): 7, (7, 2): 7, (7, 3): 7, (7, 4): 7, (7, 5): 7, (7, 6): 7, (7, 7): 7,
}
# readout: (x, y) → value
READOUT_TABLE = {
    (0, 0): '2', (0, 1): '2', (0, 2): '2', (0, 3): '2', (0, 4): '2', (0, 5): '2', (0, 6): '2',
    (0, 7): '2', (1, 0): '2', (1, 1): '1', (1, 2): '2', (1, 3): '2', (1, 4): '2', (1, 5): '2',
    (1, 6): '2', (1, 7): '2', (2, 0): '2', (2, 1): '2', (2, 2): '1', (2, 3): '2', (2, 4): '2',
    (2, 5): '2', (2, 6): '2', (2, 7): '2', (3, 0): '2', (3, 1): '2', (3, 2): '2', (3, 3): '1',
    (3, 4): '2', (3, 5): '2', (3, 6): '2', (3, 7): '2', (4, 0): '2', (4, 1): '2', (4, 2): '2',
    (4, 3): '2', (4, 4): '1', (4, 5): '2', (4, 6): '2', (4, 7): '2', (5, 0): '2', (5, 1): '2',
    (5, 2): '2', (5, 3): '2', (5, 4): '2', (5, 5): '1', (5, 6): '2', (5, 7): '2', (6, 0): '2',
    (6, 1): '2', (6, 2): '2', (6, 3): '2', (6, 4): '2', (6, 5): '2', (6, 6): '1', (6, 7): '2',
    (7, 0): '2', (7, 1): '2', (7, 2): '2', (7, 3): '2', (7, 4): '2', (7, 5): '2', (7, 6): '2',
    (7, 7): '1',
}
# fmt: on


def _nearest(table: dict, x: float):
    """The entry of the key closest to x (Tracr evaluates Maps of numerical values on its
    own inference of their value set)."""
    return table[min(table, key=lambda k: (abs(k - x), k))]


def program() -> rasp.SOp:
    """The program as a Tracr RASP expression."""
    attn_0_0_key_class = rasp.categorical(
        rasp.Map(lambda x: ATTN_0_0_KEY_CLASS_TABLE[x], rasp.tokens, simplify=False).named(
            "attn_0_0_key_class"
        )
    )
    attn_0_0_query_class = rasp.categorical(
        rasp.Map(lambda x: ATTN_0_0_QUERY_CLASS_TABLE[x], rasp.tokens, simplify=False).named(
            "attn_0_0_query_class"
        )
    )
    attn_0_0_rank_sel_keys = rasp.categorical(
        rasp.SequenceMap(
            lambda x, y: ATTN_0_0_RANK_SEL_KEYS_TABLE[x, y], attn_0_0_key_class, rasp.indices
        ).named("attn_0_0_rank_sel_keys")
    )
    attn_0_0_rank_sel = rasp.Select(
        attn_0_0_rank_sel_keys,
        attn_0_0_rank_sel_keys,
        lambda key, query: key in ATTN_0_0_RANK_SEL_TABLE[query],
    ).named("attn_0_0_rank_sel")
    attn_0_0_rank = rasp.categorical(rasp.SelectorWidth(attn_0_0_rank_sel).named("attn_0_0_rank"))
    attn_0_0_before_sel_queries = rasp.categorical(
        rasp.SequenceMap(
            lambda x, y: ATTN_0_0_BEFORE_SEL_QUERIES_TABLE[x, y], attn_0_0_query_class, rasp.indices
        ).named("attn_0_0_before_sel_queries")
    )
    attn_0_0_before_sel = rasp.Select(
        attn_0_0_rank_sel_keys,
        attn_0_0_before_sel_queries,
        lambda key, query: key in ATTN_0_0_BEFORE_SEL_TABLE[query],
    ).named("attn_0_0_before_sel")
    attn_0_0_matches_before = rasp.categorical(
        rasp.SelectorWidth(attn_0_0_before_sel).named("attn_0_0_matches_before")
    )
    attn_0_0_upto_sel = rasp.Select(
        attn_0_0_rank_sel_keys,
        attn_0_0_before_sel_queries,
        lambda key, query: key in ATTN_0_0_UPTO_SEL_TABLE[query],
    ).named("attn_0_0_upto_sel")
    attn_0_0_matches_upto = rasp.categorical(
        rasp.SelectorWidth(attn_0_0_upto_sel).named("attn_0_0_matches_upto")
    )
    attn_0_0_prev_rank = rasp.categorical(
        rasp.Map(
            lambda x: ATTN_0_0_PREV_RANK_TABLE[x], attn_0_0_matches_before, simplify=False
        ).named("attn_0_0_prev_rank")
    )
    attn_0_0_prev_sel_keys = rasp.categorical(
        rasp.SequenceMap(
            lambda x, y: ATTN_0_0_PREV_SEL_KEYS_TABLE[x, y], attn_0_0_key_class, attn_0_0_rank
        ).named("attn_0_0_prev_sel_keys")
    )
    attn_0_0_prev_sel_queries = rasp.categorical(
        rasp.SequenceMap(
            lambda x, y: ATTN_0_0_PREV_SEL_QUERIES_TABLE[x, y],
            attn_0_0_query_class,
            attn_0_0_prev_rank,
        ).named("attn_0_0_prev_sel_queries")
    )
    attn_0_0_prev_sel = rasp.Select(
        attn_0_0_prev_sel_keys,
        attn_0_0_prev_sel_queries,
        lambda key, query: key in ATTN_0_0_PREV_SEL_TABLE[query],
    ).named("attn_0_0_prev_sel")
    attn_0_0_prev_code = rasp.numerical(
        rasp.Map(lambda x: ATTN_0_0_PREV_CODE_TABLE[x], rasp.indices, simplify=False).named(
            "attn_0_0_prev_code"
        )
    )
    # attn_0_0_prev_coded must select at most one key: not proved, `tpc tracr compile` checks
    attn_0_0_prev_coded = rasp.numerical(
        rasp.Aggregate(attn_0_0_prev_sel, attn_0_0_prev_code, default=0).named(
            "attn_0_0_prev_coded"
        )
    )
    attn_0_0_prev = rasp.categorical(
        rasp.Map(
            lambda x: _nearest(ATTN_0_0_PREV_TABLE, x), attn_0_0_prev_coded, simplify=False
        ).named("attn_0_0_prev")
    )
    attn_0_0_next_sel_queries = rasp.categorical(
        rasp.SequenceMap(
            lambda x, y: ATTN_0_0_NEXT_SEL_QUERIES_TABLE[x, y],
            attn_0_0_query_class,
            attn_0_0_matches_upto,
        ).named("attn_0_0_next_sel_queries")
    )
    attn_0_0_next_sel = rasp.Select(
        attn_0_0_prev_sel_keys,
        attn_0_0_next_sel_queries,
        lambda key, query: key in ATTN_0_0_NEXT_SEL_TABLE[query],
    ).named("attn_0_0_next_sel")
    attn_0_0_next_code = rasp.numerical(
        rasp.Map(lambda x: ATTN_0_0_NEXT_CODE_TABLE[x], rasp.indices, simplify=False).named(
            "attn_0_0_next_code"
        )
    )
    # attn_0_0_next_coded must select at most one key: not proved, `tpc tracr compile` checks
    attn_0_0_next_coded = rasp.numerical(
        rasp.Aggregate(attn_0_0_next_sel, attn_0_0_next_code, default=0).named(
            "attn_0_0_next_coded"
        )
    )
    attn_0_0_next = rasp.categorical(
        rasp.Map(
            lambda x: _nearest(ATTN_0_0_NEXT_TABLE, x), attn_0_0_next_coded, simplify=False
        ).named("attn_0_0_next")
    )
    attn_0_0_prev_dist = rasp.categorical(
        rasp.SequenceMap(
            lambda x, y: ATTN_0_0_PREV_DIST_TABLE[x, y], attn_0_0_prev, rasp.indices
        ).named("attn_0_0_prev_dist")
    )
    attn_0_0_next_dist = rasp.categorical(
        rasp.SequenceMap(
            lambda x, y: ATTN_0_0_NEXT_DIST_TABLE[x, y], attn_0_0_next, rasp.indices
        ).named("attn_0_0_next_dist")
    )
    attn_0_0_take_prev = rasp.categorical(
        rasp.SequenceMap(
            lambda x, y: ATTN_0_0_TAKE_PREV_TABLE[x, y], attn_0_0_prev_dist, attn_0_0_next_dist
        ).named("attn_0_0_take_prev")
    )
    attn_0_0_other_if_prev = rasp.categorical(
        rasp.SequenceMap(
            lambda x, y: ATTN_0_0_OTHER_IF_PREV_TABLE[x, y], attn_0_0_take_prev, attn_0_0_prev
        ).named("attn_0_0_other_if_prev")
    )
    attn_0_0_other = rasp.categorical(
        rasp.SequenceMap(
            lambda x, y: ATTN_0_0_OTHER_TABLE[x, y], attn_0_0_other_if_prev, attn_0_0_next
        ).named("attn_0_0_other")
    )
    attn_0_0_self_match = rasp.categorical(
        rasp.SequenceMap(
            lambda x, y: ATTN_0_0_SELF_MATCH_TABLE[x, y], attn_0_0_key_class, attn_0_0_query_class
        ).named("attn_0_0_self_match")
    )
    attn_0_0_fallback = rasp.categorical(
        rasp.SequenceMap(
            lambda x, y: ATTN_0_0_FALLBACK_TABLE[x, y], attn_0_0_self_match, rasp.indices
        ).named("attn_0_0_fallback")
    )
    attn_0_0_target = rasp.categorical(
        rasp.SequenceMap(
            lambda x, y: ATTN_0_0_TARGET_TABLE[x, y], attn_0_0_other, attn_0_0_fallback
        ).named("attn_0_0_target")
    )
    attn_0_0_pick = rasp.Select(rasp.indices, attn_0_0_target, rasp.Comparison.EQ).named(
        "attn_0_0_pick"
    )
    # attn_0_0 selects at most one key (proved)
    attn_0_0 = rasp.categorical(
        rasp.Aggregate(attn_0_0_pick, rasp.indices, default=None).named("attn_0_0")
    )
    readout = rasp.categorical(
        rasp.SequenceMap(lambda x, y: READOUT_TABLE[x, y], rasp.indices, attn_0_0).named("readout")
    )
    return readout
