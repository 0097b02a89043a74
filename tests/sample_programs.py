"""Small IR programs covering every node kind, shared by the IR and back-end tests."""

from __future__ import annotations

import random

from tpc.ir import Categorical, ProgramBuilder, Readout, TablePredicate

VOCAB = ("<s>", "a", "b", "c")


def learned_style_program(causal: bool):
    """Closest heads with table predicates, a numerical count, an MLP table and a readout."""
    rng = random.Random(1)
    b = ProgramBuilder(vocab=VOCAB, max_len=6, bos="<s>")
    pred = TablePredicate(frozenset((q, rng.choice(VOCAB)) for q in VOCAB))
    sel = b.select(b.tokens, b.tokens, pred, causal=causal, name="sel_0")
    head = b.aggregate(sel, b.indices, reduce="closest", name="attn_0_0")
    ipred = TablePredicate(frozenset((q, (q + 2) % 6) for q in range(6)))
    isel = b.select(b.indices, b.indices, ipred, causal=causal, name="sel_1")
    head2 = b.aggregate(isel, b.tokens, reduce="closest", name="attn_0_1")
    ones = b.constant(1, numerical=True, name="ones")
    count = b.aggregate(
        b.select(b.tokens, b.tokens, "EQ", causal=causal), ones, reduce="sum", name="count"
    )
    mlp = b.sequence_map(lambda x, y: (x * 7 + VOCAB.index(y)) % 3, head, head2, name="mlp_0_0")
    classes = ("<pad>", "x", "y", "z")
    weights = [
        {v: [rng.uniform(-1, 1) for _ in classes] for v in b.values_of(mlp)},
        [rng.uniform(-1, 1) for _ in classes],
        {v: [rng.uniform(-1, 1) for _ in classes] for v in VOCAB},
    ]
    out = b.add(
        Readout(
            "readout",
            Categorical(classes),
            features=(mlp, count, b.tokens),
            weights=weights,
            bias=[0.0, 0.1, 0.0, -0.1],
            mask=[False, True, True, True],
        )
    )
    return b.build(out)


def rasp_style_program():
    """reverse, a numerical mean, a categorical mean with default and a selector width."""
    b = ProgramBuilder(vocab=("0", "1", "2"), max_len=5)
    length = b.selector_width(b.select(b.tokens, b.tokens, "TRUE"), name="length")
    opp = b.sequence_map(lambda n, i: n - i - 1, length, b.indices, name="opp")
    rev = b.aggregate(b.select(b.indices, opp, "EQ"), b.tokens, name="reverse")
    first = b.map(lambda i: i - 1, b.indices, name="before")
    shifted = b.aggregate(b.select(b.indices, first, "EQ"), rev, default="none", name="shifted")
    lt = b.select(b.tokens, b.tokens, "LT")
    before = b.select(b.indices, b.indices, "LT")
    either = b.selector_op(
        "or", lt, b.selector_op("and", before, b.select(b.tokens, b.tokens, "EQ"))
    )
    smaller = b.selector_width(b.selector_op("not", either), name="smaller")
    out = b.sequence_map(lambda s, t: f"{s}{t}", smaller, shifted, name="combined")
    return b.build(out)


#: Classes of :func:`wide_readout_program`: '<pad>' and 'w' are masked, 'z' copies 'y'.
WIDE_CLASSES = ("<pad>", "x", "y", "z", "w")


def wide_readout_program():
    """A learned-style readout over six features: three categorical (tokens, indices, a
    closest head), three numerical (an integer count, ``ones``, a prefix mean of quarters:
    non-integer values, their sums exact so that every summation order agrees). Weights come from a coarse grid so that 'x' and 'y' tie at some
    positions ('x' wins); class 'z' has exactly class 'y''s bias and weights (a tie at
    every position: never predicted), 'w' is masked despite the largest bias."""
    rng = random.Random(5)
    b = ProgramBuilder(vocab=VOCAB, max_len=6, bos="<s>")
    head = b.aggregate(b.select(b.tokens, b.tokens, "EQ"), b.indices, reduce="closest", name="attn")
    ones = b.constant(1, numerical=True, name="ones")
    count = b.aggregate(b.select(b.tokens, b.tokens, "LEQ"), ones, reduce="sum", name="count")
    quarter = b.map(lambda t: VOCAB.index(t) / 4, b.tokens, numerical=True, name="quarter")
    mean = b.aggregate(b.select(b.indices, b.indices, "LEQ"), quarter, name="prefix_mean")
    grid = (-1.0, -0.5, 0.0, 0.5, 1.0)

    def row():
        r = [rng.choice(grid) for _ in WIDE_CLASSES]
        r[3] = r[2]
        return r

    features = (b.tokens, count, b.indices, mean, head, ones)
    weights = [
        {v: row() for v in b.values_of(f)} if isinstance(b.type_of(f), Categorical) else row()
        for f in features
    ]
    out = b.add(
        Readout(
            "readout",
            Categorical(WIDE_CLASSES),
            features=features,
            weights=weights,
            bias=[0.0, 0.5, 0.0, 0.0, 9.0],
            mask=[False, True, True, True, False],
        )
    )
    return b.build(out)
