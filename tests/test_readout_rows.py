"""Readout rows and the exact-sum check that lets back ends add them in any order."""

from __future__ import annotations

import dataclasses
import itertools
import random
from fractions import Fraction

import numpy as np
from sample_programs import learned_style_program
from test_backend_python import (
    all_inputs,
    assert_matches_interpreter,
)

from tpc.backends.python import emit_python
from tpc.ir import Categorical, Numerical, ProgramBuilder, Readout
from tpc.ir.readout_rows import contribution_rows, sums_are_exact


def float32_rows(rng: np.random.Generator, features: int, values: int, classes: int):
    """Rows like a trained readout's: float32 weights held as Python floats."""
    return [
        {
            v: tuple(float(x) for x in rng.normal(0, 3, classes).astype(np.float32))
            for v in range(values)
        }
        for _ in range(features)
    ]


def sequential(terms) -> float:
    total = 0.0
    for t in terms:
        total += t
    return total


def test_float32_weights_sum_exactly_in_every_order():
    rng = np.random.default_rng(0)
    rows = float32_rows(rng, features=6, values=3, classes=4)
    bias = tuple(float(x) for x in rng.normal(0, 1, 4).astype(np.float32))
    assert sums_are_exact(bias, rows)
    shuffle = random.Random(0)
    for choice in itertools.product(range(3), repeat=6):
        for c in range(4):
            terms = [bias[c]] + [rows[f][v][c] for f, v in enumerate(choice)]
            exact = sum(map(Fraction, terms), Fraction(0))
            for _ in range(3):
                shuffle.shuffle(terms)
                assert Fraction(sequential(terms)) == exact


def test_sums_that_round_are_refused():
    big = 2.0**53
    # 2**53 + 1 is not a float64: the order decides whether the 1 survives.
    assert sequential([big, 1.0, -big]) != sequential([big, -big, 1.0])
    assert not sums_are_exact((0.0,), [{0: (big,)}, {0: (1.0,)}, {0: (-big,)}])
    # 0.1 needs binary digits down to 2**-56: with a term of 8 the sum needs 60 bits.
    assert not sums_are_exact((0.1,), [{0: (8.0,)}])
    assert not sums_are_exact((0.0,), [{0: (float("nan"),)}])
    assert sums_are_exact((0.5,), [{0: (8.0,), 1: (-0.25,)}])


def test_numerical_rows_are_the_interpreters_products():
    b = ProgramBuilder(vocab=("<s>", "a", "b"), max_len=4, bos="<s>")
    ones = b.constant(1, numerical=True, name="ones")
    count = b.aggregate(
        b.select(b.tokens, b.tokens, "EQ"), ones, reduce="sum", name="count"
    )
    free = b.map(lambda t: 0.5, b.tokens, numerical=True, name="free")
    weights = ({"<s>": (1.0, 0.0), "a": (0.0, 1.0), "b": (0.5, 0.5)}, (0.3, -1.5))
    readout = Readout(
        "out",
        Categorical(("x", "y")),
        features=(b.tokens, count),
        weights=weights,
        bias=(0.0, 0.0),
        mask=(True, True),
    )
    prog = b.build(b.add(readout))
    rows = contribution_rows(prog, prog["out"])
    assert rows[0] == weights[0]
    values = prog["count"].type.values
    assert values and rows[1] == {v: (v * 0.3, v * -1.5) for v in values}
    unknown = Readout(
        "out",
        Categorical(("x", "y")),
        features=(free,),
        weights=((1.0, 2.0),),
        bias=(0.0, 0.0),
        mask=(True, True),
    )
    unknown_free = dataclasses.replace(prog["free"], type=Numerical(None))
    prog = prog.replace(
        {**prog.nodes, "free": unknown_free, "out": unknown}, output="out"
    )
    assert contribution_rows(prog, prog["out"]) is None


def test_python_back_end_adds_in_order_unless_the_sums_are_exact():
    inexact = learned_style_program(False)  # weights such as 0.1
    source = emit_python(inexact)
    assert "= _logits_in_order(" in source and "= _logits(" not in source
    assert_matches_interpreter(inexact, all_inputs(inexact.vocab, 4))
    readout = inexact["readout"]
    eighths = dataclasses.replace(
        readout,
        weights=tuple(
            (
                {v: tuple(round(x * 8) / 8 for x in row) for v, row in w.items()}
                if isinstance(w, dict)
                else tuple(round(x * 8) / 8 for x in w)
            )
            for w in readout.weights
        ),
        bias=tuple(round(x * 8) / 8 for x in readout.bias),
    )
    exact = inexact.replace({**inexact.nodes, "readout": eighths})
    assert "= _logits(" in emit_python(exact)
    assert_matches_interpreter(exact, all_inputs(exact.vocab, 4))
