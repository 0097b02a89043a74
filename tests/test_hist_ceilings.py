"""scripts/hist_ceilings.py: its features are what programs compute, its ceilings bound."""

from __future__ import annotations

import importlib.util
import itertools
import sys
from pathlib import Path

from tpc.ir.build import ProgramBuilder
from tpc.ir.interp import run
from tpc.tasks.data import make_dataset

ROOT = Path(__file__).resolve().parents[1]


def _load_script():
    spec = importlib.util.spec_from_file_location(
        "hist_ceilings", ROOT / "scripts" / "hist_ceilings.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


hc = _load_script()


def test_nearest_is_a_closest_match_head_on_tokens_reading_positions():
    b = ProgramBuilder(vocab=["<s>", "0", "1", "2"], max_len=6)
    head = b.aggregate(b.select(b.tokens, b.tokens, "EQ"), b.indices, reduce="closest")
    program = b.build(head)
    inputs = [
        ["<s>", *content]
        for n in range(1, 6)
        for content in itertools.product(["0", "1", "2"], repeat=n)
    ]
    got = run(program, inputs)
    for tokens, values in zip(inputs, got):
        assert [hc.nearest(tokens, i) for i in range(len(tokens))] == list(values), tokens


def test_ceilings_grow_with_the_features_and_every_equality_counts():
    data = make_dataset("hist", size=3000, seed=1)
    train, test = hc.rows("hist", data.train), hc.rows("hist", data.test)
    nearest = hc.ceiling(train, test, hc.base)
    counted = hc.ceiling(train, train, lambda t, i: t.count(t[i]))
    assert counted == 1.0  # the label is the count: the ceiling estimator is sound
    assert nearest < hc.best_equalities(train, test, data.n, 1) <= 1.0
