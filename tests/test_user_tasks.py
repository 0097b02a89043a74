"""Tasks from the user (issue 17, item 1): a RASP program, a Python file, a plug-in.

The RASP task's labels are checked against the built-in task the hand-written program
implements (an independent definition); Python tasks against their own label functions;
runs of both train, lower and verify; a run directory never makes tpc run Python."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from tpc.cli.main import main
from tpc.frontends.rasp_to_task import rasp_task
from tpc.lower import lower_run
from tpc.passes import optimize
from tpc.tasks import TASKS, TaskError, define_task, get_task
from tpc.tasks import user as user_tasks
from tpc.train import TrainConfig, load_run, train_run
from tpc.train.rundir import RunError
from tpc.verify import run_inputs, verify_program

pytestmark = pytest.mark.usefixtures("one_thread")

ROOT = Path(__file__).resolve().parents[1]
HANDWRITTEN = ROOT / "programs" / "rasp_handwritten"
EXAMPLE = ROOT / "examples" / "user_task.py"


def _rasp_config(name: str, vocab: str, max_len: int, **options) -> TrainConfig:
    path = HANDWRITTEN / f"{name}.rasp"
    return TrainConfig(
        task=str(path),
        task_source=path.read_text(encoding="utf-8"),
        task_vocab=vocab,
        task_max_len=max_len,
        **options,
    )


@pytest.mark.parametrize(
    ("name", "vocab", "max_len"),
    [("hist", "0,1,2,3,4,5", 7), ("sort", "0,1,2,3,4", 6), ("dyck1", "(,)", 9)],
)
def test_a_rasp_task_labels_like_the_task_its_program_implements(name, vocab, max_len):
    """programs/rasp_handwritten/TASK.rasp computes TASK: its task's labels are the
    built-in task's on every content (sort's and dyck's framing differ: compare content)."""
    symbols = vocab.split(",")
    task = rasp_task((HANDWRITTEN / f"{name}.rasp").read_text(), symbols, max_len, name=name)
    builtin = get_task(name)
    k = len(builtin.input_vocab(builtin.default_k))
    inputs = list(task.enumerate(task.default_k, task.default_n))
    assert len(inputs) == sum(len(symbols) ** n for n in range(1, max_len + 1))
    for tokens, labels in zip(inputs, task.label_batch(inputs)):
        content = tokens[1:]
        framed = ["<s>", *content] + (["</s>"] if builtin.eos else [])
        if not builtin.is_valid(framed, k, len(framed)):
            continue  # dyck: the built-in task labels only its own inputs
        want = builtin.label(framed)[1 : 1 + len(content)]
        assert labels == ["<pad>", *want], tokens
    assert task.label_batch(inputs[:50]) == [task.label(t) for t in inputs[:50]]


def test_a_rasp_task_trains_lowers_and_verifies_from_its_run_directory_alone(tmp_path):
    config = _rasp_config("hist", "0,1,2,3", 5, epochs=2, dataset_size=600)
    assert config.task in TASKS
    train_run(tmp_path / "run", config, progress=False)
    saved = json.loads((tmp_path / "run" / "config.json").read_text())["train"]
    assert saved["task_source"] == (HANDWRITTEN / "hist.rasp").read_text()
    assert saved["task_vocab"] == "0,1,2,3" and saved["task_max_len"] == 5
    del TASKS[config.task]  # a fresh process: the run directory alone rebuilds the task
    run = load_run(tmp_path / "run")
    inputs = run_inputs(run)
    assert "all 1,364 inputs up to length 6" in inputs.what  # 4 + 16 + ... + 4^5
    program = lower_run(run)
    reports = verify_program(run.model, program, inputs.seqs, {}, log=lambda _: None)
    assert all(r.ok for r in reports)


def test_rasp_task_options_are_checked():
    from tpc.model import ConfigError

    with pytest.raises(ConfigError, match="--vocab and --max-len"):
        TrainConfig(task=str(HANDWRITTEN / "hist.rasp"), task_source="x = tokens;")
    with pytest.raises(ConfigError, match="--vocab is an option for a RASP program task"):
        TrainConfig(task="hist", task_vocab="0,1")
    with pytest.raises(ConfigError, match="bad.rasp: .*undefined name 'nowhere'"):
        TrainConfig(task="bad.rasp", task_source="out = nowhere;", task_vocab="a", task_max_len=3)


def test_define_task_refuses_unusable_definitions():
    for kwargs, message in [
        (dict(symbols=[]), "no symbols"),
        (dict(symbols=["a", "a"]), "repeat"),
        (dict(symbols=["<s>"]), "reserved"),
        (dict(labels=["<pad>"]), "reserved"),
        (dict(max_length=0), "min_length"),
    ]:
        args = dict(symbols=["a", "b"], max_length=3, label=lambda c: c, labels=["a", "b"])
        with pytest.raises(TaskError, match=message):
            define_task("t", **{**args, **kwargs})


def test_a_user_task_with_validity_and_a_sampler():
    task = define_task(
        "balanced",
        symbols=["(", ")"],
        max_length=6,
        label=lambda c: ["x"] * len(c),
        labels=["x"],
        min_length=2,
        valid=lambda c: c.count("(") == c.count(")"),
        draw=lambda rng, n: list(rng.permutation(["("] * (n // 2) + [")"] * (n - n // 2))),
    )
    k, n = task.default_k, task.default_n
    every = list(task.enumerate(k, n))
    assert task.count_inputs(k, n) == len(every) == 2 + 6 + 20  # lengths 2, 4, 6
    import numpy as np

    drawn = task.sample(np.random.default_rng(0), 50, k, n, "uniform")
    assert all(task.is_valid(x, k, n) for x in drawn)


def test_a_label_function_that_breaks_its_promise_is_a_task_error():
    task = define_task("bad", symbols=["a"], max_length=2, label=lambda c: ["z"] * len(c),
                       labels=["a"])
    with pytest.raises(TaskError, match="labels do not list"):
        task.label(["<s>", "a"])


def _cli(*args: str):
    return CliRunner().invoke(main, list(args))


def test_a_python_task_trains_lowers_and_verifies_and_is_loaded_only_when_named(tmp_path):
    spec = f"{EXAMPLE}:FIRST"
    run_dir = tmp_path / "run"
    result = _cli("train", spec, "--epochs", "3", "--no-progress", "-o", str(run_dir))
    assert result.exit_code == 0, result.output
    TASKS.pop(spec)  # as in a new process
    refused = _cli("lower", str(run_dir), "-o", str(tmp_path / "p.tpir.json"))
    assert refused.exit_code == 1
    assert refused.output.count("\n") == 1 and f"give --task {spec}" in refused.output
    assert not (tmp_path / "p.tpir.json").exists()
    lowered = _cli("lower", str(run_dir), "-o", str(tmp_path / "p.tpir.json"), "--task", spec)
    assert lowered.exit_code == 0, lowered.output
    verified = _cli("verify", str(run_dir), str(tmp_path / "p.tpir.json"), "--task", spec)
    assert verified.exit_code == 0, verified.output
    assert "model vs IR: 100.00% agreement" in verified.output
    # every input of the task was checked: 3 + 9 + ... + 3^6
    assert f"all {sum(3**n for n in range(1, 7)):,} inputs" in verified.output
    # its labels are the example's own function's
    task = TASKS[spec]
    assert task.label(["<s>", "b", "a", "c"]) == ["<pad>", "b", "b", "b"]


def test_a_run_directory_naming_python_never_runs_it(tmp_path):
    marker = tmp_path / "ran"
    evil = tmp_path / "evil.py"
    evil.write_text(f"open({str(marker)!r}, 'w').close()\nTASK = None\n")
    run_dir = tmp_path / "run"
    train_run(run_dir, TrainConfig(task="hist", epochs=1, dataset_size=100), progress=False)
    config = json.loads((run_dir / "config.json").read_text())
    config["train"]["task"] = f"{evil}:TASK"
    (run_dir / "config.json").write_text(json.dumps(config))
    with pytest.raises(RunError, match="give --task"):
        load_run(run_dir)
    result = _cli("verify", str(run_dir))
    assert result.exit_code == 1 and result.output.startswith("Error: ")
    assert not marker.exists()


def test_a_python_task_file_that_fails_is_one_line(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("raise RuntimeError('boom')\n")
    result = _cli("train", f"{broken}:X", "-o", str(tmp_path / "r"))
    assert result.exit_code != 0 and "boom" in result.output
    assert "Traceback" not in result.output
    other = tmp_path / "other.py"
    other.write_text("X = 3\n")
    result = _cli("train", f"{other}:X", "-o", str(tmp_path / "r"))
    assert result.exit_code != 0 and "is not a task" in result.output


def test_plugin_tasks_are_listed_and_loaded(monkeypatch):
    task = define_task("plug", symbols=["a", "b"], max_length=3, label=list, labels=["a", "b"])
    entry = SimpleNamespace(name="plugged", value="somepkg.tasks:PLUG", load=lambda: task)
    monkeypatch.setattr(user_tasks, "entry_points", lambda group: [entry])
    listed = _cli("tasks")
    assert "plugged" in listed.output and "somepkg.tasks:PLUG" in listed.output
    assert user_tasks.load_plugin_task("plugged").label(["<s>", "b"]) == ["<pad>", "b"]
    assert TASKS.pop("plugged").name == "plugged"


def test_a_program_whose_domain_task_is_not_loaded_is_optimised_without_it(tmp_path):
    config = _rasp_config("hist", "0,1", 3, epochs=1, dataset_size=100)
    train_run(tmp_path / "run", config, progress=False)
    program = lower_run(load_run(tmp_path / "run"))
    assert program.meta["domain"]["task"] == config.task
    TASKS.pop(config.task)
    optimized, _ = optimize(program, "O3")
    assert "exact_on" not in optimized.meta


def test_eval_scores_a_program_on_a_rasp_task_as_on_the_task_the_rasp_implements():
    """programs/rasp/hist scored on hist.rasp's task equals its score on the built-in hist
    (hist.rasp implements hist), input for input: every input up to N = 6."""
    program = str(ROOT / "programs" / "rasp" / "hist" / "hist.tpir.json")
    spec = str(HANDWRITTEN / "hist.rasp")
    on_rasp = _cli("eval", program, "--task", spec, "--vocab", "0,1,2,3,4,5", "--max-len", "5",
                   "--exhaustive", "--json")
    on_hist = _cli("eval", program, "--task", "hist", "--max-len", "6", "--exhaustive", "--json")
    assert on_rasp.exit_code == 0 and on_hist.exit_code == 0, on_rasp.output + on_hist.output
    a, b = json.loads(on_rasp.output), json.loads(on_hist.output)
    assert a["token_accuracy"] == b["token_accuracy"] and a["by_length"] == b["by_length"]
    assert a["sequences"] == sum(6**n for n in range(1, 6))
    missing = _cli("eval", program, "--task", spec)
    assert missing.exit_code == 1 and "--vocab and --max-len" in missing.output


def test_two_rasp_tasks_under_one_name_are_each_their_own():
    first = _rasp_config("hist", "0,1", 3)
    second = _rasp_config("hist", "0,1,2,3", 5)
    assert first.task == second.task
    assert second.task_size() == (6, 6) and TASKS[second.task].symbols(6) == ["0", "1", "2", "3"]


def test_a_run_whose_task_does_not_fit_its_model_is_corrupt(tmp_path):
    run_dir = tmp_path / "run"
    train_run(run_dir, TrainConfig(task="hist", epochs=1, dataset_size=100), progress=False)
    config = json.loads((run_dir / "config.json").read_text())
    config["train"]["n"] = 20
    (run_dir / "config.json").write_text(json.dumps(config))
    result = _cli("verify", str(run_dir))
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "inputs are up to 20 long; the model's max_len is 8" in result.output
