"""Random-weight Transformer Programs of many shapes: lowering and -O3 must be exact for
*any* weights, not only trained ones."""

from __future__ import annotations

import torch

from tpc.model import ProgramConfig, build_model
from tpc.tasks import get_task

SHAPES = [
    # task, heads_cat, heads_num, cat_mlps, num_mlps, mlp_vars_in, one_hot, count_only
    ("sort", 3, 0, 1, 0, 2, True, True),
    ("hist", 2, 2, 1, 1, 2, True, True),
    ("dyck1", 2, 1, 1, 1, 2, True, True),
    ("reverse", 2, 1, 2, 1, 3, False, True),
    ("most_freq", 2, 2, 1, 1, 1, True, False),
]


def random_model(
    task_name,
    heads_cat,
    heads_num,
    cat_mlps,
    num_mlps,
    vars_in,
    one_hot,
    count_only,
    seed,
    n=8,
    readout_vars=0,
):
    """A randomly initialised Transformer Program for ``task_name`` (k = n = 8 unless the
    task fixes k), every choice sharpened so that the weights spread over many programs."""
    task = get_task(task_name)
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
        readout_vars=readout_vars,
    )
    model = build_model(config)
    with torch.no_grad():  # sharpen every choice so that weights spread over many programs
        for p in model.parameters():
            p.normal_(0, 1)
    if not count_only:  # small integer numerical embeddings keep value sets finite and small
        with torch.no_grad():
            model.num_embed.copy_(torch.randint(0, 2, model.num_embed.shape).float())
    return task, k, n, model
