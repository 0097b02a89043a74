"""The Transformer Program model: discrete semantics (docs/design.md §2), relaxed limit, read-off."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tpc.model import (
    ConfigError,
    ProgramConfig,
    StandardConfig,
    StandardTransformer,
    TransformerProgram,
    closest_match_bias,
    config_from_dict,
    config_to_dict,
    read_structure,
)
from tpc.model.structure import ProgramStructure

VOCAB = ("<pad>", "<s>", "a", "b", "c")
CLASSES = ("<pad>", "x", "y", "z")


pytestmark = pytest.mark.usefixtures("one_thread")


def make_config(**kw) -> ProgramConfig:
    base = dict(
        input_vocab=VOCAB,
        classes=CLASSES,
        max_len=8,
        d_var=8,
        n_layers=2,
        n_heads_cat=2,
        n_heads_num=1,
        n_cat_mlps=1,
        n_num_mlps=1,
    )
    return ProgramConfig(**{**base, **kw})


def random_batch(
    gen: torch.Generator, batch: int, width: int, vocab: int = len(VOCAB), min_len: int = 1
) -> tuple[torch.Tensor, torch.Tensor]:
    """BOS-first random inputs with random lengths, padded with 0."""
    ids = torch.randint(2, vocab, (batch, width), generator=gen)
    ids[:, 0] = 1
    lengths = torch.randint(min_len, width + 1, (batch,), generator=gen)
    ids[torch.arange(width)[None] >= lengths[:, None]] = 0
    return ids, lengths


def randomised(model: torch.nn.Module, seed: int) -> torch.nn.Module:
    """Perturb every weight (zero-initialised biases would make exact ties)."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn(p.shape, generator=gen))
    return model


# ---- the closest-match rule ------------------------------------------------------------


def closest_match(match: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """docs/design.md §2, written independently: for each query i, M = allowed matching keys; BOS
    if M is empty, else the closest element of M minus i (earlier on ties), i itself only
    if M = {i}."""
    n = match.shape[0]
    out = np.zeros(n, dtype=np.int64)
    for i in range(n):
        m = [j for j in range(n) if match[i, j] and allowed[i, j]]
        others = [j for j in m if j != i]
        if not m:
            out[i] = 0
        elif not others:
            out[i] = i
        else:
            out[i] = min(others, key=lambda j: (abs(i - j), j))
    return out


def test_bias_orders_matches_by_the_rule():
    for n in (2, 3, 5, 8, 16):
        bias = closest_match_bias(n).numpy()
        for i in range(n):
            order = sorted(range(n), key=lambda j: -bias[i, j])
            want = sorted((j for j in range(n) if j != i), key=lambda j: (abs(i - j), j))
            assert order == want + [i]
            assert len(set(bias[i].tolist())) == n  # strict: no ties in the relaxed model


@pytest.mark.parametrize("causal", [False, True])
def test_discrete_attention_is_the_closest_match_rule(causal):
    """Random predicates over a small value set, so that empty, self-only and multiple
    matches all occur; the value read is `indices`, so the output is the chosen key."""
    gen = torch.Generator().manual_seed(1)
    config = make_config(
        n_layers=1, n_heads_cat=6, n_heads_num=0, n_cat_mlps=0, n_num_mlps=0, causal=causal
    )
    model = TransformerProgram(config)
    ids, lengths = random_batch(gen, 200, 8, vocab=4)
    cases = {"empty": 0, "self": 0, "other": 0}
    for _ in range(3):
        with torch.no_grad():
            layer = model.layers[0]
            layer.read_cat.copy_(torch.randn(layer.read_cat.shape, generator=gen))
            layer.read_cat[12:, :] = -10.0
            layer.read_cat[12:, 1] = 10.0  # every value reads `indices`
            layer.predicate.copy_(torch.randn(layer.predicate.shape, generator=gen))
        run = model.run_discrete(ids, lengths)
        s = read_structure(model)
        for head in s.heads:
            assert head.value == "indices"
            pred = np.array(head.predicate)
            for b in range(len(ids)):
                n = int(lengths[b])
                q = run.values[head.query][b, :n].numpy()
                k = run.values[head.key][b, :n].numpy()
                match = pred[q][:, None] == k[None, :]
                allowed = np.tril(np.ones((n, n), bool)) if causal else np.ones((n, n), bool)
                want = closest_match(match, allowed)
                np.testing.assert_array_equal(run.values[head.name][b, :n].numpy(), want)
                sel = match & allowed
                cases["empty"] += int((~sel.any(1)).sum())
                cases["self"] += int((sel.sum(1) == 1)[np.diag(sel)].sum())
                cases["other"] += int((sel.sum(1) > 1).sum())
                np.testing.assert_array_equal(run.selected[head.name][b, :n, :n].numpy(), sel)
    assert min(cases.values()) > 50, cases


# ---- relaxed model -> discrete model ---------------------------------------------------


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"causal": True},
        {"pooled": True},
        {"causal": True, "pooled": True},
        {"one_hot_embed": False, "n_vars_cat": 2, "count_only": False, "n_vars_num": 2},
        {
            "n_layers": 3,
            "n_heads_cat": 3,
            "n_heads_num": 2,
            "n_cat_mlps": 2,
            "n_num_mlps": 2,
            "mlp_vars_in": 3,
        },
        {"readout_vars": 2},
        {"readout_vars": 3, "pooled": True},
    ],
)
def test_relaxed_model_tends_to_the_discrete_model(kw):
    gen = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    model = randomised(TransformerProgram(make_config(**kw)), 0).double()
    ids, lengths = random_batch(gen, 256, 8)
    run = model.run_discrete(ids, lengths)
    with torch.no_grad():
        logits = model(ids, lengths, tau=1e-9, noise=False)
    valid = torch.ones_like(run.predictions, dtype=torch.bool)
    if not model.config.pooled:
        valid = torch.arange(8)[None] < lengths[:, None]
    assert torch.equal(logits.argmax(-1)[valid], run.predictions[valid])
    scored = list(range(1, len(CLASSES)))
    torch.testing.assert_close(logits[..., scored][valid], run.logits[..., scored][valid])


def test_relaxed_forward_is_finite_and_differentiable():
    torch.manual_seed(0)
    model = TransformerProgram(make_config(causal=True, one_hot_embed=False))
    ids, lengths = random_batch(torch.Generator().manual_seed(0), 64, 8)
    logits = model(ids, lengths, tau=0.01)
    assert logits.shape == (64, 8, len(CLASSES))
    logits[..., 1:].logsumexp(-1).sum().backward()
    for name, p in model.named_parameters():
        assert p.grad is not None and torch.isfinite(p.grad).all(), name


def test_causal_outputs_ignore_later_tokens():
    torch.manual_seed(0)
    model = randomised(TransformerProgram(make_config(causal=True)), 1)
    gen = torch.Generator().manual_seed(2)
    ids, _ = random_batch(gen, 64, 8, min_len=8)
    lengths = torch.full((64,), 8)
    changed = ids.clone()
    changed[:, 5:] = torch.randint(2, len(VOCAB), (64, 3), generator=gen)
    a, b = model.run_discrete(ids, lengths), model.run_discrete(changed, lengths)
    for name, v in a.values.items():
        assert torch.equal(v[:, :5], b.values[name][:, :5]), name
    with torch.no_grad():
        ra = model(ids, lengths, tau=0.5, noise=False)
        rb = model(changed, lengths, tau=0.5, noise=False)
    torch.testing.assert_close(ra[:, :5], rb[:, :5])


def test_pooled_readout_is_the_mean_over_non_pad_positions():
    torch.manual_seed(0)
    per_position = randomised(TransformerProgram(make_config()), 3)
    pooled = TransformerProgram(make_config(pooled=True))
    pooled.load_state_dict(per_position.state_dict())
    ids, lengths = random_batch(torch.Generator().manual_seed(4), 32, 8)
    mask = (torch.arange(8)[None] < lengths[:, None]).unsqueeze(-1)
    scored = list(range(1, len(CLASSES)))
    want = (per_position.run_discrete(ids, lengths).logits * mask).sum(1) / mask.sum(1)
    got = pooled.run_discrete(ids, lengths)
    torch.testing.assert_close(got.logits[:, scored], want[:, scored])
    with torch.no_grad():
        relaxed = per_position(ids, lengths, tau=0.3, noise=False)
        want = (relaxed * mask).sum(1) / mask.sum(1)
        torch.testing.assert_close(
            pooled(ids, lengths, tau=0.3, noise=False)[:, scored], want[:, scored]
        )


def test_pooled_model_learns_a_synthetic_classification():
    """Label = the first content token: one head (query any, key index 1) and the pooled
    readout solve it exactly."""
    from tpc.train.loop import sequence_loss

    torch.manual_seed(0)
    config = make_config(
        n_layers=1, n_heads_cat=1, n_heads_num=0, n_cat_mlps=0, n_num_mlps=0, pooled=True
    )
    model = TransformerProgram(config)
    gen = torch.Generator().manual_seed(5)
    ids, lengths = random_batch(gen, 2048, 8, min_len=2)
    labels = ids[:, 1] - 1  # a, b, c -> classes x, y, z
    optim = torch.optim.Adam(model.parameters(), lr=0.05)
    taus = np.geomspace(3.0, 0.01, 300)
    for step, tau in enumerate(taus):
        lo = (step * 128) % 2048
        loss, _, _ = sequence_loss(
            model(ids[lo : lo + 128], lengths[lo : lo + 128], tau=tau), labels[lo : lo + 128]
        )
        optim.zero_grad()
        loss.backward()
        optim.step()
    test_ids, test_lengths = random_batch(gen, 512, 8, min_len=2)
    accuracy = (model.predict(test_ids, test_lengths) == test_ids[:, 1] - 1).float().mean()
    assert accuracy > 0.99


# ---- the structure read-off reproduces the discrete model ------------------------------


def evaluate_structure(
    s: ProgramStructure, ids: np.ndarray, lengths: np.ndarray
) -> dict[str, np.ndarray]:
    """A plain numpy evaluator of the read-off program (per sequence, per position)."""
    batch, width = ids.shape
    values: dict[str, np.ndarray] = {}
    tables = {e.name: e for e in s.embeddings}
    for var in s.variables:
        if var.name == "tokens":
            values["tokens"] = ids.copy()
        elif var.name == "indices":
            values["indices"] = np.broadcast_to(np.arange(width), (batch, width)).copy()
        elif var.name == "ones":
            values["ones"] = np.ones((batch, width))
        elif var.name in tables:
            values[var.name] = tables[var.name].table[ids]
    steps = sorted(
        [(h.layer, 0, h) for h in s.heads] + [(m.layer, 1, m) for m in s.mlps],
        key=lambda t: (t[0], t[1]),
    )
    for _, kind, node in steps:
        if kind == 1:
            inputs = np.stack([values[v] for v in node.inputs], -1).reshape(-1, len(node.inputs))
            values[node.name] = node.apply(inputs).reshape(batch, width)
            continue
        out = np.zeros((batch, width))
        for b in range(batch):
            n = int(lengths[b])
            q, k = values[node.query][b, :n], values[node.key][b, :n]
            match = np.array(node.predicate)[q.astype(int)][:, None] == k[None, :]
            allowed = np.tril(np.ones((n, n), bool)) if node.causal else np.ones((n, n), bool)
            sel = match & allowed
            if node.reduce == "sum":
                out[b, :n] = (sel * values[node.value][b, :n][None, :]).sum(1)
            else:
                out[b, :n] = values[node.value][b, :n][closest_match(match, allowed)]
        values[node.name] = out.astype(np.int64) if node.reduce == "closest" else out
    r = s.readout
    logits = np.broadcast_to(r.bias, (batch, width, len(r.classes))).copy()
    for name, block in r.categorical.items():
        logits += block[values[name].astype(int)]
    for name, w in r.numerical.items():
        logits += values[name][..., None] * w
    logits[..., list(r.mask)] = -np.inf
    values["predictions"] = logits.argmax(-1)
    return values


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"causal": True, "mlp_vars_in": 1},
        {
            "one_hot_embed": False,
            "n_vars_cat": 2,
            "count_only": False,
            "n_vars_num": 2,
            "mlp_vars_in": 3,
        },
        {"readout_vars": 2, "n_heads_num": 1},
    ],
)
def test_structure_and_trace_agree(kw):
    torch.manual_seed(0)
    model = randomised(TransformerProgram(make_config(**kw)), 7)
    ids, lengths = random_batch(torch.Generator().manual_seed(8), 64, 8)
    trace = model.trace(ids.numpy(), lengths.numpy())
    s = read_structure(model)
    assert [v.name for v in s.variables] == model.cat_names + model.num_names
    assert set(trace) == {v.name for v in s.variables} | {"predictions", "logits"}
    got = evaluate_structure(s, ids.numpy(), lengths.numpy())
    valid = np.arange(8)[None] < lengths.numpy()[:, None]
    for name in [v.name for v in s.variables] + ["predictions"]:
        np.testing.assert_allclose(got[name][valid], trace[name][valid], err_msg=name)
    for var in s.variables:
        if var.kind == "categorical":
            assert len(var.values) == model.config.d_var
    head = s.heads[0]
    assert s.variable(head.name).values == s.variable(head.value).values
    assert s.variable("tokens" if model.config.one_hot_embed else "embed_0")


def test_structure_names_weights_and_tables():
    torch.manual_seed(0)
    config = make_config(n_layers=2)
    model = TransformerProgram(config)
    s = read_structure(model)
    assert [h.name for h in s.heads] == [
        "attn_0_0",
        "attn_0_1",
        "num_attn_0_0",
        "attn_1_0",
        "attn_1_1",
        "num_attn_1_0",
    ]
    assert [m.name for m in s.mlps] == ["mlp_0_0", "num_mlp_0_0", "mlp_1_0", "num_mlp_1_0"]
    mlp = s.mlps[0]
    assert mlp.table.shape == (8, 8) and mlp.w_in.shape == (64, 2, 8)
    assert s.mlps[1].table is None and s.mlps[1].w_in.shape == (64, 2, 1)
    combos = np.array([[i, j] for i in range(8) for j in range(8)])
    np.testing.assert_array_equal(mlp.apply(combos), mlp.table.reshape(-1))
    assert set(s.readout.categorical) == set(model.cat_names)
    assert s.readout.categorical["tokens"].shape == (8, len(CLASSES))
    assert s.variable("tokens").values == VOCAB + (None,) * 3
    assert s.variable("indices").values == tuple(range(8))
    with pytest.raises(KeyError):
        s.variable("nope")


# ---- configurations and the baseline ---------------------------------------------------


@pytest.mark.parametrize(
    "kw, message",
    [
        ({"d_var": 4}, "max length"),
        ({"input_vocab": VOCAB + ("d", "e", "f", "g")}, "input vocabulary"),
        ({"n_layers": 0}, "n_layers"),
        ({"n_heads_num": -1}, "n_heads_num"),
        ({"one_hot_embed": True, "n_vars_cat": 2}, "one-hot"),
        ({"class_mask": (0, 1, 2, 3)}, "no class"),
        ({"readout_vars": -1}, "readout_vars"),
    ],
)
def test_bad_configs_are_refused(kw, message):
    with pytest.raises(ConfigError, match=message):
        TransformerProgram(make_config(**kw))


def test_config_round_trip():
    config = make_config(causal=True)
    assert config_from_dict(config_to_dict(config)) == config
    standard = StandardConfig(input_vocab=VOCAB, classes=CLASSES, max_len=8)
    assert config_from_dict(config_to_dict(standard)) == standard
    with pytest.raises(ConfigError):
        config_from_dict({**config_to_dict(config), "bogus": 1})
    with pytest.raises(ConfigError):
        config_from_dict({"kind": "rnn"})


@pytest.mark.parametrize("causal", [False, True])
def test_standard_transformer(causal):
    torch.manual_seed(0)
    model = StandardTransformer(
        StandardConfig(input_vocab=VOCAB, classes=CLASSES, max_len=8, causal=causal, n_heads=2)
    )
    model.eval()
    ids, lengths = random_batch(torch.Generator().manual_seed(0), 16, 8, min_len=8)
    logits = model(ids, lengths)
    assert logits.shape == (16, 8, len(CLASSES))
    assert (model.predict(ids, lengths) != 0).all()  # PAD is masked
    changed = ids.clone()
    changed[:, 6:] = 2
    same = torch.allclose(model(changed, lengths)[:, :6], logits[:, :6])
    assert same == causal


@pytest.mark.parametrize("columns", [1, 2, 3, 8])
def test_distinct_rows_are_torch_unique_rows(columns):
    """The numerical MLPs' fast path numbers rows as torch.unique(dim=0) does."""
    from tpc.model.mlp_argmax import distinct_rows

    generator = torch.Generator().manual_seed(columns)
    values = torch.randint(0, 5, (3000, columns), generator=generator).double() / 3
    values[::7, 0] = -0.0  # -0.0 and 0.0 are one value
    rows, where = distinct_rows(values)
    want_rows, want_where = torch.unique(values, dim=0, return_inverse=True)
    assert torch.equal(rows, want_rows) and torch.equal(where, want_where)
    assert torch.equal(rows[where], values)
