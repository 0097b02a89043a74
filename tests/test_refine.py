"""``tpc refine`` (issue 20): readout repair, discrete search, counterexample-guided training.

What a refined run claims (wrong inputs, exactness) is recounted independently: its model
is lowered to IR and scored by the interpreter against the task's own labels on every
input of the domain, and ``tpc verify`` checks model = IR = back ends."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from click.testing import CliRunner

from tpc.cli.main import main
from tpc.evaluate import score
from tpc.lower import lower_run
from tpc.tasks import get_task
from tpc.train import TrainConfig, load_run, train_run
from tpc.train.discrete_repair import Move, apply_move, candidate_moves, search_step
from tpc.train.readout_fit import Rows, fit_readout, gaps
from tpc.train.readout_repair import repair_readout
from tpc.train.refine import REFINE_LOG, RefineOptions, refine, task_domain
from tpc.train.rundir import MODEL, load_tensors, save_tensors

pytestmark = pytest.mark.usefixtures("one_thread")

# hist at k = 6 (4 symbols), N = 6 (1,364 inputs): two numerical heads and a numerical MLP learn it
# exactly in a few epochs.
HIST = dict(
    task="hist",
    k=6,
    n=6,
    n_layers=1,
    n_heads_cat=0,
    n_heads_num=2,
    n_cat_mlps=0,
    n_num_mlps=1,
    dataset_size=5000,
    epochs=40,
    batch_size=128,
    length_dist="uniform",
    seed=2,
)
# sort at k = 7 (4 symbols), N = 6 (340 inputs), trained too briefly to be right.
SORT = dict(
    task="sort",
    k=7,
    n=6,
    n_layers=2,
    n_heads_cat=2,
    n_heads_num=1,
    n_cat_mlps=1,
    n_num_mlps=1,
    dataset_size=600,
    epochs=3,
    batch_size=64,
    seed=1,
)


def wrong_on_domain(run_dir: Path) -> int:
    """Inputs up to N that the run's program gets wrong, by the IR interpreter against
    the task's labels (not by the code under test)."""
    run = load_run(run_dir)
    k, n = run.train.task_size()
    task = get_task(run.train.task)
    result = score(lower_run(run), task, task.enumerate(k, n))
    assert result.seqs == task.count_inputs(k, n)
    return result.seqs - result.seqs_right


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def assert_one_line_error(result, text: str) -> None:
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(errors) == 1 and text in errors[0], result.output


@pytest.fixture(scope="module")
def hist_run(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("refine") / "hist"
    train_run(path, TrainConfig(**HIST), progress=False)
    return path


@pytest.fixture(scope="module")
def sort_run(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("refine") / "sort"
    train_run(path, TrainConfig(**SORT), progress=False)
    return path


def scrambled(run_dir: Path, out: Path, seed: int) -> Path:
    """A copy of ``run_dir`` whose readout weights are random."""
    import shutil

    shutil.copytree(run_dir, out)
    tensors, _ = load_tensors(out / MODEL)
    generator = torch.Generator().manual_seed(seed)
    for name in ("readout_cat", "readout_num", "readout_bias"):
        tensors[name] = torch.randn(tensors[name].shape, generator=generator)
    save_tensors(out / MODEL, tensors)
    return out


def test_a_scrambled_readout_is_repaired(hist_run, tmp_path):
    """The trained readout is one readout; the repair of a random one must do as well."""
    trained = wrong_on_domain(hist_run)
    broken = scrambled(hist_run, tmp_path / "broken", seed=0)
    before = wrong_on_domain(broken)
    assert before > 1000  # of 1,364
    out = tmp_path / "refined"
    result = invoke("refine", str(broken), "-o", str(out), "--rounds", "0", "--search-steps", "0")
    assert result.exit_code == 0, result.output
    after = wrong_on_domain(out)
    assert after <= trained
    verdict = "exact on" if after == 0 else f"{after:,} wrong of"
    assert f"{verdict} all 1,364 inputs up to length 6" in result.output
    rounds = [json.loads(line) for line in (out / REFINE_LOG).read_text().splitlines()]
    assert [r["wrong"] for r in rounds] == [before, after]
    results = json.loads((out / "results.json").read_text())
    assert results["refine"]["exhaustive"] and results["refine"]["wrong"] == after
    assert results["refine"]["exact"] == (after == 0)
    # only the readout moved
    old, new = load_tensors(broken / MODEL)[0], load_tensors(out / MODEL)[0]
    changed = {name for name in old if not torch.equal(old[name], new[name])}
    assert changed and changed <= {"readout_cat", "readout_num", "readout_bias"}
    verify = invoke("verify", str(out))
    assert verify.exit_code == 0, verify.output
    assert "all 1,364 inputs up to length 6" in verify.output


def test_counterexample_rounds_never_lose_ground_and_report_honestly(sort_run, tmp_path):
    start = wrong_on_domain(sort_run)
    assert start > 0
    out = tmp_path / "refined"
    options = RefineOptions(rounds=2, search_steps=1, epochs=2)
    results = refine(sort_run, out, options)
    rounds = [json.loads(line) for line in (out / REFINE_LOG).read_text().splitlines()]
    wrong = [r["wrong"] for r in rounds]
    assert wrong[0] == start
    ends = [[r for r in rounds if r["round"] == n][-1]["wrong"] for n in range(3)]
    assert all(a >= b for a, b in zip(ends, ends[1:]))  # each round's end
    for previous, row in zip(rounds, rounds[1:]):  # a search step leaves fewer wrong
        if row["step"] == "search":
            assert previous["step"] in ("readout", "search")
            assert row["wrong"] < previous["wrong"]
    assert results["refine"]["wrong"] == ends[-1] == wrong_on_domain(out)
    assert results["refine"]["exact"] == (ends[-1] == 0)
    assert {r["step"] for r in rounds[1:]} <= {"readout", "search", "finetune", "undone"}
    if rounds[1]["wrong"] > 0:  # the first readout repair left some: both rounds ran
        assert [r["step"] for r in rounds].count("finetune") == 2
    verify = invoke("verify", str(out))
    assert verify.exit_code == 0, verify.output


def saved_run(run_dir: Path, model: torch.nn.Module, out: Path) -> Path:
    """A copy of ``run_dir`` holding ``model``'s weights."""
    import shutil

    shutil.copytree(run_dir, out)
    save_tensors(out / MODEL, model.state_dict())
    return out


def test_a_broken_predicate_is_found_again(hist_run, tmp_path):
    """A predicate changed so that no readout can make up for it: the readout repair
    alone leaves inputs wrong, the discrete search makes the program exact again."""
    model = load_run(hist_run).model
    domain = task_domain(load_run(hist_run)).split
    assert not repair_readout(model, domain).wrong.any()  # exact with its readout repaired
    for move in candidate_moves(model, domain):
        broken = copy.deepcopy(model)
        apply_move(broken, move)
        if repair_readout(copy.deepcopy(broken), domain).wrong.any():
            break
    assert move.kind == "predicate"
    broken_dir = saved_run(hist_run, broken, tmp_path / "broken")
    # judged with the readout as it is: fewer inputs wrong, recounted, the readout untouched
    moved, step = search_step(copy.deepcopy(broken), domain, repair=False)
    assert step.wrong < wrong_on_domain(broken_dir)
    assert step.wrong == wrong_on_domain(saved_run(hist_run, moved, tmp_path / "direct"))
    assert torch.equal(moved.readout_num, broken.readout_num)
    readout_only = tmp_path / "readout_only"
    args = ("refine", str(broken_dir), "--rounds", "0", "-o")
    assert invoke(*args, str(readout_only), "--search-steps", "0").exit_code == 0
    assert wrong_on_domain(readout_only) > 0
    out = tmp_path / "searched"
    result = invoke(*args, str(out))
    assert result.exit_code == 0, result.output
    assert wrong_on_domain(out) == 0
    assert "exact on all 1,364 inputs up to length 6" in result.output
    rounds = [json.loads(line) for line in (out / REFINE_LOG).read_text().splitlines()]
    assert [r["step"] for r in rounds][-1] == "search" and rounds[-1]["wrong"] == 0
    verify = invoke("verify", str(out))
    assert verify.exit_code == 0, verify.output


def test_each_move_changes_exactly_its_choice(sort_run, tmp_path):
    model = load_run(sort_run).model
    original = {k: v.clone() for k, v in model.state_dict().items()}
    layer = model.layers[1]
    predicates, reads = layer.predicate.argmax(-1), layer.read_cat.argmax(-1)
    tables = [layer.mlp.categorical_table(m) for m in range(len(layer.mlp.w_in))]
    q, r = 3, 0
    key = int(predicates[0, q] + 1) % predicates.shape[-1]
    var = int(reads[r] + 1) % layer.read_cat.shape[-1]
    entry = (2, 5)
    flat = entry[0] * model.config.d_var + entry[1]
    value = int(tables[0][flat] + 1) % model.config.d_var
    moves = [
        Move("predicate", 1, 0, (q,), key),
        Move("read", 1, r, (), var),
        Move("table", 1, 0, entry, value),
    ]
    for move in moves:  # each undoes to the very same weights
        apply_move(model, move)()
        assert all(torch.equal(v, original[k]) for k, v in model.state_dict().items())
    for move in moves:
        apply_move(model, move)
    expected = predicates.clone()
    expected[0, q] = key
    assert torch.equal(layer.predicate.argmax(-1), expected)
    expected = reads.clone()
    expected[r] = var
    assert torch.equal(layer.read_cat.argmax(-1), expected)
    expected = tables[0].clone()
    expected[flat] = value
    assert torch.equal(layer.mlp.categorical_table(0), expected)
    verify = invoke("verify", str(saved_run(sort_run, model, tmp_path / "moved")))
    assert verify.exit_code == 0, verify.output


def test_a_large_domain_is_sampled_and_says_so(sort_run):
    run = load_run(sort_run)
    domain = task_domain(run, max_inputs=100, samples=50)
    assert not domain.exhaustive and len(domain.split) == 100
    assert "100 sampled inputs" in domain.what and "of 340" in domain.what


@pytest.mark.parametrize(
    ("setup", "text"),
    [
        ("missing", "no run directory"),
        ("not_empty", "is not empty"),
        ("standard", "standard Transformer"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(sort_run, tmp_path, setup, text):
    source, out = sort_run, tmp_path / "out"
    if setup == "missing":
        source = tmp_path / "nowhere"
    elif setup == "not_empty":
        out.mkdir()
        (out / "keep.txt").write_text("mine")
    else:
        source = tmp_path / "standard"
        config = TrainConfig(**{**SORT, "epochs": 1, "model": "standard"})
        train_run(source, config, progress=False)
    result = invoke("refine", str(source), "-o", str(out))
    assert_one_line_error(result, text)
    assert not out.exists() or [p.name for p in out.iterdir()] == ["keep.txt"]


def test_fit_readout_separates_rows_that_a_readout_can_separate():
    """Rows labelled by a hidden readout W* (only rows W* puts right by a margin): the
    fit, started far from W*, must put every row right."""
    rng = np.random.default_rng(0)
    n_vars, d_var, n_classes, count = 6, 5, 4, 3000
    hidden = rng.normal(size=(n_vars * d_var + 1, n_classes))
    values = rng.integers(0, d_var, size=(count, n_vars))
    columns = np.concatenate(
        [values + np.arange(n_vars) * d_var, np.full((count, 1), n_vars * d_var)], 1
    )
    logits = hidden[columns].sum(1)
    ordered = np.sort(logits, 1)
    clear = ordered[:, -1] - ordered[:, -2] > 0.2
    rows = Rows(
        columns=columns[clear],
        values=np.ones(columns[clear].shape),
        labels=logits[clear].argmax(1),
        n_features=n_vars * d_var + 1,
    )
    allowed = np.ones(n_classes, dtype=bool)
    start = rng.normal(size=hidden.shape)
    assert (gaps(rows, start, allowed) <= 0).mean() > 0.5
    fitted = fit_readout(rows, start, allowed, margin=0.1)
    assert (fitted[rows.columns].sum(1).argmax(1) == rows.labels).all()


@pytest.mark.slow
def test_the_demo_learns_a_sort_program_exact_on_every_input(tmp_path):
    """`make demo` (issue 20, item 5): every one of the 19,530 inputs right, and verified."""
    result = invoke("demo", "-o", str(tmp_path / "demo"), "--no-progress")
    assert result.exit_code == 0, result.output
    assert "sequence accuracy 100.00% over 19,530 inputs: exact on every input" in result.output
    assert "model vs IR (output at scored positions): 100.00% agreement" in result.output
    assert wrong_on_domain(tmp_path / "demo" / "refined") == 0


def test_a_domain_too_large_to_hold_is_refused_in_one_line(tmp_path):
    """dyck2 has 4^15 inputs up to N = 16: checking every one is refused, never tried."""
    run_dir = tmp_path / "dyck2"
    config = TrainConfig(**{**SORT, "task": "dyck2", "k": None, "n": None, "epochs": 1})
    train_run(run_dir, config, progress=False)
    assert_one_line_error(invoke("verify", str(run_dir), "--exhaustive"), "too many to check")
    domain = task_domain(load_run(run_dir), max_inputs=10**10, samples=10)
    assert not domain.exhaustive and len(domain.split) == 30  # 10 from each of 3 distributions
    assert "per input distribution: reference, random, walk" in domain.what
    result = invoke(
        "refine", str(run_dir), "-o", str(tmp_path / "r"), "--max-inputs", "10000000000"
    )
    assert result.exit_code == 2 and "Traceback" not in result.output
    program = Path(__file__).resolve().parents[1] / "programs/rasp/dyck2/dyck2.tpir.json"
    result = invoke("eval", str(program), "--task", "dyck2", "--exhaustive")
    assert_one_line_error(result, "too many to check")
