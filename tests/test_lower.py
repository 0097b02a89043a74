"""Lowering is exact for *any* weights: random-init models of every shape, node by node."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tpc.ir import dumps, loads
from tpc.lower import lower_structure
from tpc.model import ProgramConfig, build_model
from tpc.tasks import get_task
from tpc.verify import compare_model

SHAPES = [
    # task, heads_cat, heads_num, cat_mlps, num_mlps, mlp_vars_in, one_hot, count_only
    ("sort", 3, 0, 1, 0, 2, True, True),
    ("hist", 2, 2, 1, 1, 2, True, True),
    ("dyck1", 2, 1, 1, 1, 2, True, True),
    ("reverse", 2, 1, 2, 1, 3, False, True),
    ("most_freq", 2, 2, 1, 1, 1, True, False),
]


def random_model(
    task_name, heads_cat, heads_num, cat_mlps, num_mlps, vars_in, one_hot, count_only, seed
):
    task = get_task(task_name)
    n = 8
    k = task.default_k if task.name.startswith("dyck") else 8
    torch.manual_seed(seed)
    config = ProgramConfig(
        input_vocab=tuple(task.input_vocab(k)),
        classes=tuple(task.output_vocab(k, n)),
        max_len=n,
        d_var=max(n, len(task.input_vocab(k))),
        causal=task.causal,
        n_layers=2,
        n_heads_cat=heads_cat,
        n_heads_num=heads_num,
        n_cat_mlps=cat_mlps,
        n_num_mlps=num_mlps,
        mlp_vars_in=vars_in,
        one_hot_embed=one_hot,
        n_vars_cat=1 if one_hot else 2,
        count_only=count_only,
        n_vars_num=1,
        d_mlp=16,
    )
    model = build_model(config)
    with torch.no_grad():  # sharpen every choice so that weights spread over many programs
        for p in model.parameters():
            p.normal_(0, 1)
    if not count_only:  # small integer numerical embeddings keep value sets finite and small
        with torch.no_grad():
            model.num_embed.copy_(torch.randint(0, 2, model.num_embed.shape).float())
    return task, k, n, model


@pytest.mark.parametrize("shape", SHAPES, ids=[s[0] for s in SHAPES])
@pytest.mark.parametrize("seed", [0, 1])
def test_lowered_program_agrees_with_the_discrete_model(shape, seed):
    task, k, n, model = random_model(*shape, seed=seed)
    program = lower_structure(model.structure())
    if task.count_inputs(k, n) <= 50_000:
        seqs = list(task.enumerate(k, n))
    else:
        seqs = task.sample(np.random.default_rng(seed), 5000, k, n, "uniform")
    report = compare_model(model, program, seqs)
    assert report.ok, "\n".join(map(str, report.disagreements))
    assert loads(dumps(program)) == program


def test_lowered_nodes_are_named_after_model_variables():
    task, k, n, model = random_model(*SHAPES[1], seed=0)
    program = lower_structure(model.structure())
    for name in ("attn_0_0", "attn_1_1", "num_attn_0_0", "mlp_0_0", "num_mlp_1_0", "ones"):
        assert name in program.nodes
    assert program[program.output].kind == "readout"
    assert program.bos == "<s>"
