"""Lowering is exact for *any* weights: random-init models of every shape, node by node."""

from __future__ import annotations

import numpy as np
import pytest
from random_models import SHAPES, random_model

from tpc.ir import dumps, loads
from tpc.lower import lower_structure
from tpc.model import read_structure
from tpc.verify import compare_model


@pytest.mark.parametrize("shape", SHAPES, ids=[s[0] for s in SHAPES])
@pytest.mark.parametrize("seed", [0, 1])
def test_lowered_program_agrees_with_the_discrete_model(shape, seed):
    task, k, n, model = random_model(*shape, seed=seed)
    program = lower_structure(read_structure(model))
    if task.count_inputs(k, n) <= 50_000:
        seqs = list(task.enumerate(k, n))
    else:
        seqs = task.sample(np.random.default_rng(seed), 5000, k, n, "uniform")
    report = compare_model(model, program, seqs)
    assert report.ok, "\n".join(map(str, report.disagreements))
    assert loads(dumps(program)) == program


@pytest.mark.parametrize("readout_vars", [1, 2, 3])
def test_a_readout_of_few_variables_lowers_to_a_readout_of_those_features(readout_vars):
    task, k, n, model = random_model(*SHAPES[1], seed=readout_vars, readout_vars=readout_vars)
    program = lower_structure(read_structure(model))
    readout = program[program.output]
    assert list(readout.features) == model.readout_reads()
    assert 1 <= len(readout.features) <= readout_vars
    report = compare_model(model, program, list(task.enumerate(k, n)))
    assert report.ok, "\n".join(map(str, report.disagreements))


def test_lowered_nodes_are_named_after_model_variables():
    task, k, n, model = random_model(*SHAPES[1], seed=0)
    program = lower_structure(read_structure(model))
    for name in ("attn_0_0", "attn_1_1", "num_attn_0_0", "mlp_0_0", "num_mlp_1_0", "ones"):
        assert name in program.nodes
    assert program[program.output].kind == "readout"
    assert program.bos == "<s>"
