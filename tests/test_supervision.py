"""Attention supervision and the trainer options of issue 17 (items 2 and 4):
``--supervise L.H=SELECTOR``/``--supervise-weight C``, ``define_task(attention=...)``,
``--gumbel-samples S`` and ``--clip-grad-norm X``.

Targets and the loss are checked against hand-worked examples and a loop written out
here (independent of the vectorised code); training runs check that supervision pulls
the discrete heads to their targets and leaves lowering exact, and that the new options
at their defaults change no weight."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch
from click.testing import CliRunner

from tpc.cli.main import main
from tpc.frontends.rasp_to_task import rasp_task
from tpc.lower import lower_run
from tpc.model import ConfigError, ProgramConfig, TransformerProgram
from tpc.tasks import TASKS, TaskError, define_task
from tpc.tasks.user import HeadRef, register
from tpc.train import TrainConfig, load_run, train_run
from tpc.train.config import model_config, parse_supervise, rasp_selector
from tpc.train.data import load_data
from tpc.train.loop import Trainer, new_model
from tpc.train.supervision import (
    build_supervision,
    complete,
    python_selection,
    rasp_selection,
    read_keys,
    supervision_mse,
    target_rows,
)
from tpc.verify import run_inputs, verify_program

pytestmark = pytest.mark.usefixtures("one_thread")

ROOT = Path(__file__).resolve().parents[1]
SORT = ROOT / "programs" / "rasp_handwritten" / "sort.rasp"
PREV_SPEC = "test_supervision_prev"
SMALL = dict(n_layers=1, n_heads_cat=1, n_heads_num=0, n_cat_mlps=0, n_num_mlps=0)


def _previous(content: list[str]) -> list[str]:
    return ["none", *content[:-1]]


def _attend_previous(tokens: list[str], i: int, j: int) -> bool:
    return j == i - 1


def _prev_task(attention=True):
    """Label each symbol with the one before it ("none" for the first): one head that
    reads the previous position, which is its attention target."""
    return define_task(
        "prev",
        symbols=["a", "b", "c", "d"],
        max_length=6,
        label=_previous,
        labels=["none", "a", "b", "c", "d"],
        attention={(0, 0): _attend_previous} if attention else None,
    )


@pytest.fixture
def prev_task():
    register(PREV_SPEC, _prev_task())
    yield PREV_SPEC
    TASKS.pop(PREV_SPEC, None)


def _cli(*args: str):
    return CliRunner().invoke(main, list(args))


# ---- targets ----------------------------------------------------------------------------------


def test_rows_keep_attendable_keys_fall_back_to_bos_and_are_uniform():
    # one input of length 3 in a batch of width 4 (position 3 is padding)
    sel = torch.zeros(1, 1, 4, 4, dtype=torch.bool)
    sel[0, 0, 1, [2, 3]] = True  # key 3 is padding: only key 2 is left
    sel[0, 0, 3, 1] = True  # a padding query: whatever, never scored
    # row 2 selects nothing: BOS
    done = complete(sel, torch.tensor([3]), causal=False, numerical=[False])
    rows = target_rows(done)[0, 0]
    assert rows[1].tolist() == [0, 0, 1, 0]
    assert rows[2].tolist() == [1, 0, 0, 0]
    # uniform over several keys, BOS counted like any key a row selects
    sel = torch.zeros(1, 1, 4, 4, dtype=torch.bool)
    sel[0, 0, 1, [0, 1, 3]] = True
    sel[0, 0, 2, [1, 2]] = True
    rows = target_rows(complete(sel, torch.tensor([4]), causal=False, numerical=[False]))[0, 0]
    assert torch.allclose(rows[1], torch.tensor([1 / 3, 1 / 3, 0, 1 / 3]))
    assert torch.allclose(rows[2], torch.tensor([0, 0.5, 0.5, 0]))
    # causal: a key after the query is not attendable; a row left empty reads BOS
    sel = torch.zeros(1, 1, 3, 3, dtype=torch.bool)
    sel[0, 0, 1, 2] = True
    sel[0, 0, 2, [1, 2]] = True
    rows = target_rows(complete(sel, torch.tensor([3]), causal=True, numerical=[False]))[0, 0]
    assert rows[1].tolist() == [1, 0, 0]
    assert rows[2].tolist() == [0, 0.5, 0.5]


def test_python_targets_call_the_function_on_the_whole_input():
    vocab = ["<pad>", "<s>", "a", "b"]
    ids = np.array([[1, 2, 3, 2], [1, 3, 0, 0]])  # <s> a b a ; <s> b
    lengths = np.array([4, 2])
    calls = []

    def same_token_elsewhere(tokens, i, j):
        calls.append((tuple(tokens), i, j))
        return tokens[j] == tokens[i] and j != i

    sel = python_selection([same_token_elsewhere], ids, lengths, vocab)
    assert sel.shape == (2, 1, 4, 4)
    assert sel[0, 0].astype(int).tolist() == [
        [0, 0, 0, 0],  # the <s> query is not asked
        [0, 0, 0, 1],  # a -> the other a
        [0, 0, 0, 0],  # b: none (BOS after completion)
        [0, 1, 0, 0],
    ]
    assert not sel[1].any()
    assert ("<s>", "a", "b", "a") in {c[0] for c in calls}
    # queries 1..length-1, keys 0..length-1
    assert {(i, j) for t, i, j in calls if len(t) == 2} == {(1, 0), (1, 1)}
    done = target_rows(complete(torch.from_numpy(sel), torch.from_numpy(lengths), False, [False]))
    assert done[0, 0, 2].tolist() == [1, 0, 0, 0]

    def broken(tokens, i, j):
        raise ValueError("no")

    with pytest.raises(TaskError, match="attention target 0 failed on .* ValueError: no"):
        python_selection([broken], ids, lengths, vocab)


def test_rasp_targets_are_the_selector_shifted_past_bos():
    task = rasp_task(SORT.read_text(), list("01234"), 6)
    program = task.program
    vocab = task.input_vocab(task.default_k)
    encode = {t: i for i, t in enumerate(vocab)}
    ids = np.array([[encode[t] for t in ["<s>", "2", "0", "2"]] + [0, 0, 0]])
    sel = rasp_selection(program, ["goes_before"], ids, np.array([4]), vocab)
    # goes_before[q, k]: token k < token q, or equal and k earlier. Content 2 0 2:
    # q0 (2) <- k1 (0); q1 (0) <- none; q2 (2) <- k0 (2, earlier), k1 (0)
    assert sel[0, 0, :4, :4].astype(int).tolist() == [
        [0, 0, 0, 0],
        [0, 0, 1, 0],
        [0, 0, 0, 0],
        [0, 1, 1, 0],
    ]
    rows = target_rows(complete(torch.from_numpy(sel), torch.tensor([4]), False, [False]))[0, 0]
    assert rows[1, :4].tolist() == [0, 0, 1, 0]
    assert rows[2, :4].tolist() == [1, 0, 0, 0]  # selects nothing: BOS
    assert rows[3, :4].tolist() == [0, 0.5, 0.5, 0]
    # sort = aggregate(select(target, indices, ==), tokens): query q reads the token whose
    # place is q. Places of 2 0 2: 1, 0, 2; so q0 <- k1, q1 <- k0, q2 <- k2
    sel = rasp_selection(program, [rasp_selector(program, "sort")], ids, np.array([4]), vocab)
    assert [int(np.flatnonzero(sel[0, 0, q])[0]) for q in (1, 2, 3)] == [2, 1, 3]


def test_supervise_names_map_to_ir_selectors():
    program = rasp_task(SORT.read_text(), list("01234"), 6).program
    assert rasp_selector(program, "goes_before") == "goes_before"  # a selector variable
    assert rasp_selector(program, "goes_before_sel_2") == "goes_before_sel_2"  # inline part
    assert rasp_selector(program, "sort") == "sort_sel"  # an aggregate's selector
    assert rasp_selector(program, "target") == "goes_before"  # a selector width's
    with pytest.raises(ConfigError, match="no selector, aggregate or selector width 'tokens'"):
        rasp_selector(program, "tokens")
    assert parse_supervise("0.0=a, 2.13=b_c, 1.n0=d") == [
        (HeadRef(0, 0), "a"),
        (HeadRef(2, 13), "b_c"),
        (HeadRef(1, 0, numerical=True), "d"),
    ]
    assert [str(head) for head, _ in parse_supervise("2.13=b,1.n0=d")] == ["2.13", "1.n0"]


# ---- the loss -----------------------------------------------------------------------------------


def test_the_loss_is_the_mse_over_real_query_rows_and_every_key():
    # attention as the model records it: key-major [W_j, heads, B, W_i]; one head, N = 3
    rows = torch.tensor(
        [
            [1.0, 0.0, 0.0],  # query 0 (<s>): not scored
            [0.5, 0.25, 0.25],
            [0.0, 1.0, 0.0],
        ]
    )
    attention = [rows.T.reshape(3, 1, 1, 3)]
    sel = torch.zeros(1, 1, 3, 3, dtype=torch.bool)
    sel[0, 0, 2, [0, 1]] = True  # query 1 selects nothing: BOS
    sel = complete(sel, torch.tensor([3]), causal=False, numerical=[False])
    got = supervision_mse(attention, [], [HeadRef(0, 0)], sel, torch.tensor([3]), max_len=3)
    # query 1: target [1, 0, 0]: 0.25 + 0.0625 + 0.0625; query 2: [.5, .5, 0]: 0.25 + 0.25
    assert got.item() == pytest.approx((0.375 + 0.5) / (1 * 2 * 3))


def test_the_loss_on_a_model_s_recorded_attention_is_the_hand_written_mean():
    torch.manual_seed(3)
    config = ProgramConfig(
        input_vocab=("<pad>", "<s>", "a", "b"),
        classes=("<pad>", "x", "y"),
        max_len=5,
        d_var=5,
        n_layers=2,
        n_heads_cat=2,
        n_heads_num=0,
        n_cat_mlps=0,
        causal=True,
    )
    model = TransformerProgram(config)
    ids = torch.tensor([[1, 2, 3, 2, 3], [1, 3, 3, 0, 0]])
    lengths = torch.tensor([5, 3])
    recorded: list[torch.Tensor] = []
    model(ids, lengths, tau=0.7, noise=False, attention=recorded)
    generator = torch.Generator().manual_seed(0)
    raw = torch.rand(2, 2, 5, 5, generator=generator) < 0.4
    heads = [HeadRef(1, 0), HeadRef(0, 1)]
    sel = complete(raw, lengths, causal=True, numerical=[False, False])
    got = supervision_mse(recorded, [], heads, sel, lengths, max_len=5).item()
    total, count = 0.0, 0
    for s, (layer, head, _) in enumerate(heads):
        for b in range(2):
            for i in range(1, int(lengths[b])):
                keys = [j for j in range(5) if j < lengths[b] and j <= i and raw[b, s, i, j]]
                keys = keys or [0]
                for j in range(5):
                    target = 1 / len(keys) if j in keys else 0.0
                    attn = recorded[layer][j, head, b, i].item()
                    total += (attn - target) ** 2
                    count += 1
    assert got == pytest.approx(total / count, rel=1e-5)
    # the head reads what the discrete rule says
    run = model.run_discrete(ids, lengths)
    keys = read_keys(run.selected["attn_1_0"], model.bias[:5, :5])
    values = run.values["attn_1_0"]
    source = run.values[model.cat_names[int(model.layers[1].read_cat[2 * 2 + 0].argmax())]]
    assert torch.equal(values, source.gather(1, keys))


# ---- training ---------------------------------------------------------------------------------


def test_supervision_pulls_the_head_to_its_target_and_the_model_lowers_exactly(tmp_path, prev_task):
    config = TrainConfig(
        task=prev_task,
        **SMALL,
        epochs=6,
        dataset_size=1000,
        batch_size=64,
        supervise_weight=10.0,
    )
    results = train_run(tmp_path / "run", config, progress=False)
    rows = [json.loads(line) for line in (tmp_path / "run" / "metrics.jsonl").open()]
    agreement = [row["supervised_agreement"] for row in rows]
    assert agreement[0] < 0.5 and agreement[-1] == 1.0, agreement
    assert all(row["supervised_mse"] >= 0 for row in rows)
    assert results["supervised_agreement"] == {"train": 1.0, "val": 1.0, "test": 1.0}
    assert results["supervised_heads"]["0.0"]["target"] == "attention"
    assert results["accuracy"]["test"] == 1.0
    saved = json.loads((tmp_path / "run" / "config.json").read_text())["train"]
    assert saved["supervise_weight"] == 10.0 and "supervise" not in saved
    run = load_run(tmp_path / "run")
    inputs = run_inputs(run)
    program = lower_run(run)
    reports = verify_program(run.model, program, inputs.seqs, {}, log=lambda _: None)
    assert reports and all(r.ok for r in reports)
    # the head reads the previous position (the <s> query is not supervised)
    sel = run.model.run_discrete(*_encoded(run, [["<s>", "a", "c", "b"]]))
    keys = read_keys(sel.selected["attn_0_0"], run.model.bias[:4, :4])
    assert keys[0, 1:].tolist() == [0, 1, 2]


def _encoded(run, seqs):
    from tpc.tasks import encode

    ids, lengths = encode(seqs, list(run.config.input_vocab))
    return torch.as_tensor(ids), torch.as_tensor(lengths)


def test_supervise_with_a_rasp_task_on_the_command_line(tmp_path):
    run_dir = tmp_path / "run"
    result = _cli(
        "train",
        str(SORT),
        "--vocab", "0,1,2,3,4",
        "--max-len", "6",
        "--layers", "3",
        "--heads-cat", "2",
        "--heads-num", "1",
        "--epochs", "2",
        "--dataset-size", "1000",
        "--supervise", "0.0=goes_before",
        "--supervise", "2.1=sort",
        "--supervise-weight", "10",
        "--no-progress",
        "-o", str(run_dir),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "supervised attention agreement (discrete, test)" in result.output
    assert "0.0 goes_before" in result.output and "2.1 sort_sel" in result.output
    rows = [json.loads(line) for line in (run_dir / "metrics.jsonl").open()]
    assert len(rows) == 2
    assert all(0 <= row["supervised_agreement"] <= 1 for row in rows)
    saved = json.loads((run_dir / "config.json").read_text())["train"]
    assert saved["supervise"] == "0.0=goes_before,2.1=sort"
    results = json.loads((run_dir / "results.json").read_text())
    assert set(results["supervised_heads"]) == {"0.0", "2.1"}
    # the agreement in results.json is the discrete model's, recomputed here
    run = load_run(run_dir)
    config = run.train
    data = load_data(config)
    supervision = build_supervision(config, data)
    assert supervision is not None
    hits = total = 0
    program = TASKS[str(SORT)].program  # type: ignore[attr-defined]
    vocab = data.input_vocab
    for b in range(len(data.test)):
        length = int(data.test.lengths[b])
        tokens = [vocab[int(x)] for x in data.test.ids[b, :length]]
        ids, lengths = _encoded(run, [tokens])
        dis = run.model.run_discrete(ids, lengths)
        from tpc.ir import Interpreter

        content = np.array([[program.vocab.index(t) for t in tokens[1:]]])
        env = Interpreter(program).run(content, np.array([length - 1]))
        for layer, head, node in [(0, 0, "goes_before"), (2, 1, "sort_sel")]:
            chosen = read_keys(
                dis.selected[f"attn_{layer}_{head}"], run.model.bias[:length, :length]
            )
            for i in range(1, length):
                wanted = {j + 1 for j in np.flatnonzero(env[node][0, i - 1])} or {0}
                hits += int(chosen[0, i]) in wanted
                total += 1
    assert results["supervised_agreement"]["test"] == pytest.approx(hits / total)


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["--supervise", "0.0"], "--supervise '0.0': expected LAYER.HEAD=SELECTOR"),
        (["--supervise", "x.0=sort"], "expected LAYER.HEAD=SELECTOR"),
        (["--supervise", "0.0=sort,0.0=goes_before"], "names head 0.0 twice"),
        (["--supervise", "0.0=sort"], "--supervise needs --supervise-weight C > 0"),
        (["--supervise-weight", "5"], "name the supervised heads"),
        (["--supervise", "3.0=sort", "--supervise-weight", "5"], "supervised head 3.0: the model"),
        (["--supervise", "0.4=sort", "--supervise-weight", "5"], "of 4 categorical head(s)"),
        (["--supervise", "0.0=nope", "--supervise-weight", "5"],
         "no selector, aggregate or selector width 'nope'"),
        (["--supervise", "0.n4=sort", "--supervise-weight", "5"],
         "supervised head 0.n4: the model has 3 layer(s) 0..2 of 0 numerical head(s)"),
        (["--supervise", "0.n=sort"], "expected LAYER.HEAD=SELECTOR (LAYER.nHEAD"),
        (["--supervise", "0.0=sort", "--supervise-weight", "-1"], "--supervise-weight"),
        (["--supervise", "0.0=sort", "--supervise-weight", "5", "--model", "standard"],
         "needs a Transformer Program"),
        (["--gumbel-samples", "0"], "--gumbel-samples"),
        (["--gumbel-samples", "65"], "gumbel_samples must be <= 64"),
        (["--clip-grad-norm", "0"], "--clip-grad-norm"),
    ],
)  # fmt: skip
def test_bad_supervision_and_trainer_options_are_one_line_errors(tmp_path, args, text):
    result = _cli(
        "train", str(SORT), "--vocab", "0,1,2,3,4", "--max-len", "6", "--layers", "3",
        *args, "-o", str(tmp_path / "r"),
    )  # fmt: skip
    assert result.exit_code != 0
    assert text in result.output, result.output
    assert "Traceback" not in result.output
    if not result.output.startswith("Usage"):  # click's own range errors show usage
        assert result.output.count("\n") == 1, result.output
    assert not (tmp_path / "r").exists()


def test_supervision_needs_targets_from_the_task(tmp_path, prev_task):
    with pytest.raises(ConfigError, match="hist has no attention targets"):
        TrainConfig(task="hist", supervise_weight=1.0).check()
    with pytest.raises(ConfigError, match="declares its targets with define_task"):
        TrainConfig(task=prev_task, supervise="0.0=x", supervise_weight=1.0).check()
    with pytest.raises(ConfigError, match="supervised head 0.0: the model has 1 layer"):
        TrainConfig(task=prev_task, n_layers=1, n_heads_cat=0, supervise_weight=1.0).check()
    with pytest.raises(TaskError, match=r"attention key \(0, -1\) names no head"):
        define_task("t", ["a"], 2, list, ["a"], attention={(0, -1): _attend_previous})
    with pytest.raises(TaskError, match=r"attention key '0.x1' names no head"):
        define_task("t", ["a"], 2, list, ["a"], attention={"0.x1": _attend_previous})
    with pytest.raises(TaskError, match=r"attention names head 0.0 twice"):
        define_task("t", ["a"], 2, list, ["a"], attention={(0, 0): len, "0.0": len})
    with pytest.raises(TaskError, match=r"attention\[0.n1\] is not a function"):
        define_task("t", ["a"], 2, list, ["a"], attention={"0.n1": 3})


# ---- --gumbel-samples and --clip-grad-norm --------------------------------------------------


def _weights(run_dir: Path) -> dict[str, torch.Tensor]:
    from safetensors.torch import load_file

    return load_file(str(run_dir / "model.safetensors"))


def _same(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def test_default_trainer_options_change_no_weight(tmp_path):
    common = ["hist", "--layers", "1", "--heads-cat", "1", "--heads-num", "1", "--epochs", "2"]
    common += ["--dataset-size", "600", "--batch-size", "128", "--no-progress"]
    plain = _cli("train", *common, "-o", str(tmp_path / "a"))
    explicit = _cli(
        "train",
        *common,
        "--gumbel-samples",
        "1",
        "--supervise-weight",
        "0",
        "-o",
        str(tmp_path / "b"),
    )
    assert plain.exit_code == 0 and explicit.exit_code == 0, explicit.output
    assert _same(_weights(tmp_path / "a"), _weights(tmp_path / "b"))
    assert (tmp_path / "a" / "config.json").read_text() == (
        tmp_path / "b" / "config.json"
    ).read_text()
    saved = json.loads((tmp_path / "a" / "config.json").read_text())["train"]
    assert not {"supervise", "supervise_weight", "gumbel_samples", "clip_grad_norm"} & set(saved)
    # a clip far above any gradient's norm scales by exactly 1: the same weights
    huge = _cli("train", *common, "--clip-grad-norm", "1000000", "-o", str(tmp_path / "c"))
    assert huge.exit_code == 0, huge.output
    assert _same(_weights(tmp_path / "a"), _weights(tmp_path / "c"))
    assert (
        json.loads((tmp_path / "c" / "config.json").read_text())["train"]["clip_grad_norm"] == 1e6
    )
    # a tight clip changes them, and the run still trains to finite weights
    tight = _cli("train", *common, "--clip-grad-norm", "0.01", "-o", str(tmp_path / "d"))
    assert tight.exit_code == 0, tight.output
    clipped = _weights(tmp_path / "d")
    assert not _same(_weights(tmp_path / "a"), clipped)
    assert all(torch.isfinite(v).all() for v in clipped.values())


def test_the_general_step_with_one_sample_and_zero_weight_is_the_plain_step(prev_task):
    """The step that records attention and adds the supervision term computes, with
    one Gumbel sample and weight 0, exactly the plain step's weights: recording
    attention draws no random numbers and changes no gradient."""
    config = TrainConfig(task=prev_task, **SMALL, epochs=2, dataset_size=400, batch_size=64)
    data = load_data(config)
    mconfig = model_config(config, data.input_vocab, data.classes, data.max_len, data.causal)
    states = []
    for weight in (None, 0.0):
        model = new_model(config, data, mconfig)
        supervision = None
        if weight is not None:
            heavy = dataclasses.replace(config, supervise_weight=1.0)
            supervision = build_supervision(heavy, data)
            supervision.weight = weight
        trainer = Trainer(config, data, model, supervision=supervision)
        for _ in range(2):
            trainer.train_epoch()
        states.append(model.state_dict())
    assert _same(*states)


def test_several_gumbel_samples_train_other_weights(tmp_path, prev_task):
    config = dict(task=prev_task, **SMALL, epochs=8, dataset_size=1000, batch_size=64)
    one = train_run(tmp_path / "one", TrainConfig(**config), progress=False)
    two = train_run(tmp_path / "two", TrainConfig(**config, gumbel_samples=2), progress=False)
    assert not _same(_weights(tmp_path / "one"), _weights(tmp_path / "two"))
    rows = [json.loads(line) for line in (tmp_path / "two" / "metrics.jsonl").open()]
    assert all(math.isfinite(row["loss"]) for row in rows)
    assert rows[-1]["loss"] < rows[0]["loss"]
    assert two["accuracy"]["val"] >= 0.8, (one["accuracy"], two["accuracy"])
    saved = json.loads((tmp_path / "two" / "config.json").read_text())["train"]
    assert saved["gumbel_samples"] == 2


# ---- numerical heads and --supervise-program ------------------------------------------------

HIST = ROOT / "programs" / "rasp_handwritten" / "hist.rasp"


def test_numerical_targets_are_the_selection_itself_without_the_bos_rule():
    sel = torch.zeros(1, 2, 4, 4, dtype=torch.bool)
    sel[0, :, 1, [1, 2, 3]] = True  # key 3 is padding
    done = complete(sel, torch.tensor([3]), causal=False, numerical=[False, True])
    assert done[0, 0, 2].tolist() == [True, False, False, False]  # categorical: BOS
    assert done[0, 1, 2].tolist() == [False] * 4  # numerical: stays empty
    assert done[0, 1, 1].tolist() == [False, True, True, False]
    # the loss: a numerical head's match against 0/1, a categorical head's weights
    # against the uniform row; written out entry by entry
    match = torch.tensor([[0.9, 0.9, 0.9], [0.2, 0.8, 0.6], [0.5, 0.0, 1.0]])  # [i, j]
    weights = torch.tensor([[1.0, 0.0, 0.0], [0.1, 0.7, 0.2], [0.3, 0.3, 0.4]])
    matches = [match.T.reshape(3, 1, 1, 3)]
    attention = [weights.T.reshape(3, 1, 1, 3)]
    heads = [HeadRef(0, 0), HeadRef(0, 0, numerical=True)]
    got = supervision_mse(attention, matches, heads, done[..., :3, :3], torch.tensor([3]), 3)
    cat = (0.1**2 + 0.2**2 + 0.3**2) + (0.7**2 + 0.3**2 + 0.4**2)  # rows [0,.5,.5], [1,0,0]
    num = (0.2**2 + 0.2**2 + 0.4**2) + (0.5**2 + 0.0 + 1.0)  # rows [0,1,1], [0,0,0]
    assert got.item() == pytest.approx((cat + num) / (2 * 2 * 3))


def test_a_model_records_its_numerical_heads_matches():
    torch.manual_seed(1)
    config = ProgramConfig(
        input_vocab=("<pad>", "<s>", "a", "b"),
        classes=("<pad>", "x", "y"),
        max_len=4,
        d_var=4,
        n_layers=2,
        n_heads_cat=1,
        n_heads_num=2,
        n_cat_mlps=0,
    )
    model = TransformerProgram(config)
    ids, lengths = torch.tensor([[1, 2, 3, 2]]), torch.tensor([4])
    attention, matches = [], []
    logits = model(ids, lengths, tau=1e-3, noise=False, attention=attention, matches=matches)
    assert torch.equal(logits, model(ids, lengths, tau=1e-3, noise=False))  # recording is free
    assert len(matches) == 2 and matches[0].shape == (4, 2, 1, 4)
    # near tau = 0 the relaxed match is the discrete selection
    run = model.run_discrete(ids, lengths)
    for layer in range(2):
        for head in range(2):
            soft = matches[layer][:, head, 0, :].T  # [i, j]
            hard = run.selected[f"num_attn_{layer}_{head}"][0].double()
            assert torch.allclose(soft.double(), hard, atol=1e-3), (layer, head)


def test_supervise_program_supervises_a_numerical_head_of_a_built_in_task(tmp_path):
    """hist counts each token's occurrences: hist.rasp's `same_token` is the selection a
    numerical head sums over; supervised, the head learns it, and the run lowers
    exactly."""
    run_dir = tmp_path / "run"
    result = _cli(
        "train", "hist", "--layers", "1", "--heads-cat", "0", "--heads-num", "1",
        "--cat-mlps", "0", "--num-mlps", "1", "--epochs", "6", "--dataset-size", "1000", "--batch-size", "64",
        "--supervise-program", str(HIST), "--supervise", "0.n0=hist",
        "--supervise-weight", "10", "--no-progress", "-o", str(run_dir),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "0.n0 same_token 1.0000" in result.output, result.output
    saved = json.loads((run_dir / "config.json").read_text())["train"]
    assert saved["supervise_source"] == HIST.read_text()
    assert saved["supervise"] == "0.n0=hist"
    results = json.loads((run_dir / "results.json").read_text())
    assert results["supervised_heads"]["0.n0"]["target"] == "same_token"
    # agreement recomputed: the discrete head selects exactly the keys of the same token
    run = load_run(run_dir)
    data = load_data(run.train)
    ids, lengths = data.test.ids, data.test.lengths
    selected = run.model.run_discrete(ids, lengths).selected["num_attn_0_0"]
    hits = total = 0
    for b in range(len(ids)):
        n = int(lengths[b])
        for i in range(1, n):
            want = [1 <= j < n and int(ids[b, j]) == int(ids[b, i]) for j in range(ids.shape[1])]
            hits += selected[b, i].tolist() == want
            total += 1
    assert results["supervised_agreement"]["test"] == pytest.approx(hits / total) == 1.0
    reports = verify_program(run.model, lower_run(run), run_inputs(run).seqs, {}, log=lambda _: None)
    assert reports and all(r.ok for r in reports)


def test_rasp_targets_skip_the_end_of_sequence_token():
    # dyck1 inputs are <s> ... </s>: the program sees the brackets only
    program = rasp_task("same = select(tokens, tokens, ==);\nw = selector_width(same);", ["(", ")"], 4).program
    vocab = ["<pad>", "<s>", "</s>", "(", ")"]
    ids = np.array([[1, 3, 4, 3, 2, 0]])  # <s> ( ) ( </s> <pad>
    sel = rasp_selection(program, ["same"], ids, np.array([5]), vocab, eos=True)
    assert sel[0, 0].astype(int).tolist() == [
        [0, 0, 0, 0, 0, 0],
        [0, 1, 0, 1, 0, 0],
        [0, 0, 1, 0, 0, 0],
        [0, 1, 0, 1, 0, 0],
        [0, 0, 0, 0, 0, 0],  # </s>: neither a query nor a key of the program
        [0, 0, 0, 0, 0, 0],
    ]


def test_a_python_task_supervises_a_numerical_head(tmp_path):
    """A Python task's target for a numerical head ("0.n0"): the same selections as the
    RASP program that says the same thing (two independent paths), and a run reports
    the head."""
    spec = "test_supervision_count"
    task = define_task(
        "count",
        symbols=["a", "b", "c"],
        max_length=5,
        label=lambda content: [str(content.count(t)) for t in content],
        labels=["1", "2", "3", "4", "5"],
        attention={"0.n0": lambda tokens, i, j: j > 0 and tokens[j] == tokens[i]},
    )
    assert list(task.attention) == [HeadRef(0, 0, numerical=True)]
    register(spec, task)
    try:
        small = dict(n_layers=1, n_heads_cat=0, n_heads_num=1, n_cat_mlps=0, n_num_mlps=1)
        config = TrainConfig(
            task=spec, **small, epochs=2, dataset_size=600, batch_size=64, supervise_weight=10.0
        )
        by_rasp = dataclasses.replace(
            config, supervise="0.n0=hist", supervise_source=HIST.read_text()
        )
        data = load_data(config)
        python, rasp = build_supervision(config, data), build_supervision(by_rasp, data)
        assert python.targets == ["attention"] and rasp.targets == ["same_token"]
        for name in ("train", "val", "test"):
            assert torch.equal(python.selections[name], rasp.selections[name])
        results = train_run(tmp_path / "run", config, progress=False)
    finally:
        TASKS.pop(spec, None)
    assert results["supervised_heads"]["0.n0"]["target"] == "attention"
    assert 0 <= results["supervised_agreement"]["test"] <= 1


@pytest.mark.parametrize(
    ("extra", "text"),
    [
        ([], "--supervise-program needs --supervise"),
        (["--supervise", "0.n0=nope", "--supervise-weight", "1"], "no selector, aggregate"),
        (["--n", "1", "--supervise", "0.n0=hist", "--supervise-weight", "1"],
         "Error: hist: n=1 is too short"),
    ],
)
def test_bad_supervise_program_options_are_one_line_errors(tmp_path, extra, text):
    result = _cli("train", "hist", "--supervise-program", str(HIST), *extra, "-o", str(tmp_path / "r"))
    assert result.exit_code != 0 and text in result.output, result.output
    assert result.output.count("\n") == 1 and not (tmp_path / "r").exists()
    bad = tmp_path / "bad.rasp"
    bad.write_text("x = select(tokens, tokens, ==;")
    result = _cli(
        "train", "hist", "--supervise-program", str(bad), "--supervise", "0.n0=x",
        "--supervise-weight", "1", "-o", str(tmp_path / "r"),
    )  # fmt: skip
    assert result.exit_code != 0 and result.output.startswith("Error: --supervise-program: ")
    assert result.output.count("\n") == 1 and not (tmp_path / "r").exists()
    result = _cli("train", "hist", "--supervise", "0.n0=x", "--supervise-weight", "1", "-o", str(tmp_path / "r"))
    assert "give it with --supervise-program FILE.rasp" in result.output


def test_a_supervised_run_resumes_exactly_without_its_rasp_file(tmp_path, stop_training_after):
    """Stopped after epoch 1 and resumed, a run supervised by a --supervise-program ends
    with the weights of a run that was never stopped; the resumed run reads the program
    from its config.json (the file is gone by then)."""
    program = tmp_path / "hist.rasp"
    program.write_text(HIST.read_text())
    config = TrainConfig(
        task="hist", n_layers=1, n_heads_cat=1, n_heads_num=1, n_cat_mlps=0, n_num_mlps=1,
        epochs=3, dataset_size=600, batch_size=64, supervise="0.n0=hist,0.0=same_token",
        supervise_source=program.read_text(), supervise_weight=10.0, gumbel_samples=2,
    )  # fmt: skip
    train_run(tmp_path / "straight", config, progress=False)
    stop_training_after(1)
    assert train_run(tmp_path / "split", config, progress=False)["interrupted"]
    stop_training_after(None)
    program.unlink()
    resumed = _cli("train", "--resume", str(tmp_path / "split"), "--no-progress")
    assert resumed.exit_code == 0, resumed.output
    assert _same(_weights(tmp_path / "straight"), _weights(tmp_path / "split"))
    rows = [json.loads(line) for line in (tmp_path / "split" / "metrics.jsonl").open()]
    straight = [json.loads(line) for line in (tmp_path / "straight" / "metrics.jsonl").open()]
    keys = ("loss", "supervised_mse", "supervised_agreement")
    assert [[r[k] for k in keys] for r in rows] == [[r[k] for k in keys] for r in straight]
