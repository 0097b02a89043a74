"""The optional numerical inputs ``prefix_count`` (``--prefix-counts``) and ``expert``
(``--experts``) of tpc.model.extras (GitHub issue 17, item 3): their semantics, their
options, and that lowering is exact on every input of small domains, for random weights
and after a short training run."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from tpc.backends import emit
from tpc.ir import Interpreter, SequenceMap, encode_tokens
from tpc.ir.types import value_set
from tpc.lower import lower_run, lower_structure
from tpc.model import ProgramConfig, build_model, config_from_dict, config_to_dict, read_structure
from tpc.model.extras import SPECIAL_TOKENS, ExpertRouter, content_symbols, expert_values
from tpc.passes import optimize
from tpc.tasks import BOS, EOS, PAD, encode, get_task
from tpc.train import TrainConfig, train_run
from tpc.verify import backend_runner, compare_model, compare_outputs

pytestmark = pytest.mark.usefixtures("one_thread")


def make_model(task_name, k, n, seed, prefix_counts, experts, layers=2, **shape):
    """A random-weight model (every parameter N(0, 1), as tests/random_models.py)."""
    task = get_task(task_name)
    options = dict(n_heads_cat=2, n_heads_num=2, n_cat_mlps=1, n_num_mlps=1, d_mlp=16)
    options.update(shape)
    config = ProgramConfig(
        input_vocab=tuple(task.input_vocab(k)),
        classes=tuple(task.output_vocab(k, n)),
        max_len=n,
        d_var=max(n, len(task.input_vocab(k))),
        causal=task.causal,
        n_layers=layers,
        prefix_counts=prefix_counts,
        experts=experts,
        **options,
    )
    torch.manual_seed(seed)
    model = build_model(config)
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0, 1)
    return task, model


# ---- options ------------------------------------------------------------------------------


def test_options_default_off_and_keep_old_configs_unchanged():
    task = get_task("hist")
    io = dict(input_vocab=tuple(task.input_vocab(4)), classes=tuple(task.output_vocab(4, 6)))
    plain = ProgramConfig(**io, max_len=6)
    assert not plain.prefix_counts and not plain.experts
    data = config_to_dict(plain)
    assert "prefix_counts" not in data and "experts" not in data
    both = dataclasses.replace(plain, prefix_counts=True, experts=True)
    data = config_to_dict(both)
    assert data["prefix_counts"] is True and data["experts"] is True
    assert config_from_dict(data) == both
    train = TrainConfig(task="hist", prefix_counts=True, experts=True)
    assert train.prefix_counts and train.experts


def test_special_tokens_are_the_tasks():
    assert set(SPECIAL_TOKENS) == {PAD, BOS, EOS}


# ---- semantics ----------------------------------------------------------------------------


def test_prefix_count_counts_equal_tokens_up_to_each_position_never_padding():
    task, model = make_model("sort", 7, 8, 0, True, False, layers=1)
    vocab = list(model.config.input_vocab)
    seqs = [[BOS, "1", "2", "1", "1", EOS], [BOS, "3", EOS]]
    ids, lengths = encode(seqs, vocab)
    got = model.trace(ids, lengths)["prefix_count"]
    assert got[0].tolist() == [1, 1, 1, 2, 3, 1]
    assert got[1, :3].tolist() == [1, 1, 1]
    assert "prefix_count" in model.num_names and "expert" not in model.num_names


def test_experts_histogram_counts_content_tokens_only():
    vocab = [PAD, BOS, EOS, "a", "b", "c"]
    symbols = content_symbols(vocab)
    assert [vocab[i] for i in symbols] == ["a", "b", "c"]
    router = ExpertRouter(symbols)
    ids = torch.tensor([[1, 3, 3, 4, 3, 2, 0], [1, 2, 0, 0, 0, 0, 0], [1, 5, 4, 3, 2, 0, 0]])
    lengths = torch.tensor([6, 2, 5])
    from tpc.model.extras import histogram

    h = histogram(ids, lengths, router.symbols)
    assert h.tolist() == [[3, 1, 0], [0, 0, 0], [1, 1, 1]]
    values = expert_values(h)
    assert values[0].tolist() == [4.0, 0.75, 2.0, 2.0, 0.0]
    assert values[1].tolist() == [0.0, 0.0, 0.0, 0.0, 0.0]  # an empty histogram: ratio 0
    assert values[2].tolist() == [3.0, 1 / 3, 3.0, 0.0, 0.0]
    # initialised to favour the last expert: e4 = 0 everywhere
    choice, value = router.discrete(ids, lengths)
    assert choice.tolist() == [4, 4, 4] and value.tolist() == [0.0, 0.0, 0.0]
    with torch.no_grad():
        router.bias.copy_(torch.tensor([0.0, 0.0, 0.0, 0.0, 0.0]))
        router.weight.copy_(torch.tensor([[1.0, 0.0, 0.0]] + [[0.0, 0.0, 0.0]] * 4))
    choice, value = router.discrete(ids, lengths)
    # ties take the first expert: sequence 1 has logits all 0
    assert choice.tolist() == [0, 0, 0] and value.tolist() == [4.0, 0.0, 3.0]


def test_relaxed_experts_train_the_router_and_tend_to_the_discrete_choice():
    task, model = make_model("hist", 6, 6, 1, True, True, layers=1)
    ids, lengths = encode([[BOS, "0", "1", "1", "3"], [BOS, "2"]], list(model.config.input_vocab))
    ids, lengths = torch.as_tensor(ids), torch.as_tensor(lengths)
    logits = model(ids, lengths, tau=1.0)
    logits.sum().backward()
    assert model.router.weight.grad is not None and model.router.weight.grad.abs().sum() > 0
    pick = lambda x: torch.softmax(x / 1e-4, -1)  # noqa: E731 -- tau -> 0, no noise
    relaxed = model.router.relaxed(ids, lengths, pick).detach()
    _, discrete = model.router.discrete(ids, lengths)
    assert torch.allclose(relaxed.double(), discrete, atol=1e-5)


# ---- exact lowering on every input of small domains -----------------------------------------


CASES = [
    # task, k, n, prefix_counts, experts
    ("hist", 6, 6, True, False),
    ("hist", 6, 6, False, True),
    ("hist", 6, 6, True, True),
    ("sort", 7, 7, True, True),
    ("sort", 6, 6, False, True),
]


@pytest.mark.parametrize("task_name,k,n,prefix_counts,experts", CASES)
@pytest.mark.parametrize("seed", [0, 1])
def test_random_models_lower_exactly(task_name, k, n, prefix_counts, experts, seed):
    task, model = make_model(task_name, k, n, seed, prefix_counts, experts)
    program = lower_structure(read_structure(model))
    seqs = list(task.enumerate(k, n))
    report = compare_model(model, program, seqs)
    assert report.ok, report.disagreements
    for name in ("prefix_count", "expert"):
        assert (name in program.nodes) == (name in model.num_names)
    if prefix_counts:
        assert program["prefix_count"].type.values == tuple(range(1, n + 1))
    if experts:  # the chosen expert, which compare_model does not see, agrees too
        ids, lengths = encode(seqs, list(model.config.input_vocab))
        want = model.trace(ids, lengths)["expert_choice"][:, 0]
        codes, lens = encode_tokens(program, seqs)
        env = Interpreter(program).run(codes, lens)
        got = np.array(program["expert_choice"].type.values)[env["expert_choice"][:, 0]]
        assert (got == want).all()
    text = emit(program, "python")
    python = compare_outputs("IR vs python", program, seqs, backend_runner(program, "python", text))
    assert python.ok, python.disagreements


@pytest.mark.parametrize("task_name,k,n,prefix_counts,experts", CASES[1:4])
def test_o3_of_random_models_agrees_with_them_on_every_domain_input(
    task_name, k, n, prefix_counts, experts
):
    """-O3 specialises to the domain a program whose router logits (float64 chains of
    open maps) have no finite value set: still the model's output on every input."""
    task, model = make_model(task_name, k, n, 0, prefix_counts, experts)
    meta = {"domain": {"task": task_name, "k": k, "n": n}}
    program = lower_structure(read_structure(model), meta=meta)
    assert any(
        isinstance(node, SequenceMap) and value_set(program[node.x].type) is None
        for node in program
    )
    o3, _ = optimize(program, "O3")
    report = compare_model(model, o3, list(task.enumerate(k, n)))
    assert report.ok, report.disagreements


def test_every_expert_is_chosen_somewhere_and_lowered_exactly():
    """Random routers over many seeds: each of the five experts wins on some input, and the
    lowered program picks the same expert and value as the model on every input."""
    chosen = set()
    task = get_task("hist")
    seqs = list(task.enumerate(6, 5))
    for seed in range(6):
        _, model = make_model("hist", 6, 5, seed, False, True, layers=1, n_heads_num=1)
        program = lower_structure(read_structure(model))
        ids, lengths = encode(seqs, list(model.config.input_vocab))
        trace = model.trace(ids, lengths)
        chosen |= set(trace["expert_choice"][:, 0].tolist())
        assert compare_model(model, program, seqs).ok
    assert chosen == {0, 1, 2, 3, 4}


def test_numerical_heads_summing_expert_lower_to_finite_value_sets():
    """A head summing `expert` (non-integer ratios) is typed as multiples of its values, so
    a numerical MLP reading it (or a second layer's sum of it) is still a finite table."""
    task, model = make_model("hist", 6, 6, 3, False, True, n_heads_cat=0, n_cat_mlps=0)
    with torch.no_grad():  # every numerical head reads `expert`, every MLP the heads
        for layer in model.layers:
            layer.read_num.zero_()
            layer.read_num[:, model.num_names.index("expert")] = 10.0
    program = lower_structure(read_structure(model))
    assert all(program[h].type.values is not None for h in ("num_attn_0_0", "num_attn_1_1"))
    report = compare_model(model, program, list(task.enumerate(6, 6)))
    assert report.ok, report.disagreements


# ---- a short training run ---------------------------------------------------------------


def test_short_training_run_lowers_and_verifies(tmp_path):
    config = TrainConfig(
        task="hist",
        k=6,
        n=6,
        n_layers=1,
        n_heads_cat=1,
        n_heads_num=2,
        n_cat_mlps=1,
        n_num_mlps=1,
        dataset_size=1000,
        epochs=4,
        batch_size=128,
        prefix_counts=True,
        experts=True,
        seed=0,
    )
    results = train_run(tmp_path / "run", config, progress=False)
    assert results["discrete"]
    from tpc.train import load_run

    run = load_run(tmp_path / "run")
    program = lower_run(run)
    assert {"prefix_count", "expert"} <= set(program.nodes)
    seqs = list(get_task("hist").enumerate(6, 6))
    report = compare_model(run.model, program, seqs)
    assert report.ok, report.disagreements
    text = emit(program, "python")
    python = compare_outputs("IR vs python", program, seqs, backend_runner(program, "python", text))
    assert python.ok
