"""tpc sweep (issue 19): specs, trials, the local and Ray executors, resume, Ctrl-C, the
report. Trainings are tiny (a few hundred examples, a few epochs); each trial is a
process of its own, so a trial costs a few seconds of Python and torch start-up."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tpc.cli.sweep import sweep
from tpc.sweep.report import TIME_KEYS, build
from tpc.sweep.spec import MAX_TRIALS, load_spec
from tpc.sweep.sweepdir import (
    LOCK,
    RUN_FILES,
    SESSIONS_FILE,
    SWEEP_FILE,
    locked,
    read_sessions,
    read_sweep,
)
from tpc.sweep.trials import expand

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

TINY = """
description = "tiny sweep"
[base]
task = "sort"
n_layers = 1
n_heads_num = 1
n_cat_mlps = 1
n_num_mlps = 1
dataset_size = 300
epochs = 2
batch_size = 128
[axes]
n_heads_cat = [1, 2]
lr = [0.05, 0.1]
seed = [0, 1]
[report]
target = 30.0
[report.references.made_up]
sort = 33.3
"""

# Long enough (in epochs) to be stopped half-way; each epoch is a few milliseconds.
LONG = """
[base]
task = "sort"
n_layers = 1
n_heads_cat = 1
n_heads_num = 1
n_cat_mlps = 1
n_num_mlps = 0
dataset_size = 300
epochs = 100
batch_size = 100
[axes]
seed = [0, 1]
"""


def write_spec(tmp: Path, text: str, name: str = "spec.toml") -> Path:
    path = tmp / name
    path.write_text(text)
    return path


def invoke(*args: str):
    return CliRunner().invoke(sweep, [str(a) for a in args])


def table(sweep_dir: Path) -> dict:
    """The JSON report without what differs between two runs of a sweep: times, dates,
    paths."""

    def strip(x):
        if isinstance(x, dict):
            return {
                k: strip(v)
                for k, v in x.items()
                if k not in TIME_KEYS and k not in ("sweep", "spec", "command")
            }
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x

    return strip(build(read_sweep(sweep_dir)))


def sweep_process(*args: str) -> subprocess.Popen:
    """``tpc sweep ARGS`` as a process of its own (to be interrupted or killed)."""
    code = "from tpc.cli.sweep import sweep; sweep()"
    return subprocess.Popen(
        [PY, "-c", code, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # Ctrl-C's default disposition even where these tests run with SIGINT ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def epochs_done(run_dir: Path) -> int:
    path = run_dir / "metrics.jsonl"
    return len(path.read_text().splitlines()) if path.is_file() else 0


def wait_for(condition, timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("timed out")
        time.sleep(0.05)


def same_tensors(a: Path, b: Path) -> bool:
    """Whether two runs hold the same weights and checkpoint (tensors and metadata; the
    metadata's order in the file may differ)."""
    import torch

    from tpc.train.rundir import load_tensors

    for f in ("model.safetensors", "checkpoint.safetensors"):
        (ta, ma), (tb, mb) = load_tensors(a / f), load_tensors(b / f)
        if ma != mb or set(ta) != set(tb) or not all(torch.equal(ta[k], tb[k]) for k in ta):
            return False
    return True


def worker_pids(sweep_dir: Path, name: str) -> list[int]:
    log = (sweep_dir / "logs" / f"{name}.log").read_text()
    return [int(p) for p in re.findall(r"\(pid (\d+)\)", log)]


# ---- the tiny sweep on local workers and on Ray -------------------------------------------


@pytest.fixture(scope="module")
def tiny_local(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("tiny")
    spec = write_spec(tmp, TINY)
    out = tmp / "local"
    result = invoke(spec, "-o", out, "--workers", "2")
    assert result.exit_code == 0, result.output
    assert "8 of 8 trials finished" in result.output
    return out


def test_tiny_sweep_on_two_local_workers(tiny_local):
    data = build(read_sweep(tiny_local))
    assert len(data["trials"]) == 8 and all(t["status"] == "finished" for t in data["trials"])
    assert [g["values"] for g in data["groups"]] == [
        {"n_heads_cat": "1", "lr": "0.05"},
        {"n_heads_cat": "1", "lr": "0.1"},
        {"n_heads_cat": "2", "lr": "0.05"},
        {"n_heads_cat": "2", "lr": "0.1"},
    ]
    for g in data["groups"]:
        assert g["finished"] == 2
        best = g["best_by_val"]
        tests = [
            t for t in data["trials"] if all(t["values"][k] == v for k, v in g["values"].items())
        ]
        top = max(tests, key=lambda t: t["val_pct"])  # the first (lowest seed) on ties
        assert (best["trial"], best["test_pct"]) == (top["name"], top["test_pct"])
        assert g["test_pct_mean"] == pytest.approx(sum(t["test_pct"] for t in tests) / 2)
        assert g["reaching_target"] == sum(t["test_pct"] >= 30.0 for t in tests)
        assert g["references"] == {"made_up": 33.3}
        assert g["wall_s_mean"] > 0 and g["cpu_s_mean"] > 0
    # Each trial is a normal tpc train run directory with its command in the report.
    run = tiny_local / data["trials"][0]["name"]
    assert {p.name for p in run.iterdir()} >= {"config.json", "model.safetensors", "results.json"}
    assert data["trials"][0]["command"].startswith("tpc train sort --layers 1")
    sessions = read_sessions(tiny_local)
    assert len(sessions) == 8 and {s["backend"] for s in sessions} == {"local"}
    # Rerunning finds every trial finished and trains nothing.
    again = invoke(write_spec(tiny_local.parent, TINY), "-o", tiny_local)
    assert again.exit_code == 0 and "8 finished, 0 to resume, 0 to start" in again.output
    assert len(read_sessions(tiny_local)) == 8


@pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="ray is not installed")
def test_tiny_sweep_on_local_ray_gives_the_same_table(tiny_local, tmp_path):
    spec = write_spec(tmp_path, TINY)
    out = tmp_path / "ray"
    result = invoke(spec, "-o", out, "--workers", "2", "--ray")
    assert result.exit_code == 0, result.output
    assert "on Ray (a local instance)" in result.output
    assert table(out) == table(tiny_local)
    assert {s["backend"] for s in read_sessions(out)} == {"ray"}
    name = read_sweep(out).trials[0].name
    for f in ("model.safetensors", "config.json"):
        assert (out / name / f).read_bytes() == (tiny_local / name / f).read_bytes()

    def metrics(run: Path) -> list[dict]:
        rows = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
        return [{k: v for k, v in row.items() if not k.endswith("seconds")} for row in rows]

    assert metrics(out / name) == metrics(tiny_local / name)


def test_report_formats(tiny_local, tmp_path):
    md = invoke("report", tiny_local)
    assert md.exit_code == 0, md.output
    assert md.output.startswith("# tiny sweep\n")
    assert "| n_heads_cat | lr | layers | heads cat+num | MLPs cat+num | finished |" in md.output
    assert "made_up" in md.output and "reach target" in md.output
    assert "head agreement" not in md.output  # no trial is supervised
    csv_path = tmp_path / "r.csv"
    assert invoke("report", tiny_local, "-o", csv_path).exit_code == 0
    lines = csv_path.read_text().splitlines()
    assert lines[0].startswith("n_heads_cat,lr,task,layers") and len(lines) == 5
    out = invoke("report", tiny_local, "--format", "json", "--target", "99")
    doc = json.loads(out.output)
    assert doc["format"] == "tpc-sweep-report/1" and doc["target"] == 99
    assert all(g["reaching_target"] == 0 for g in doc["groups"])


def test_run_file_names_are_those_of_a_run_directory():
    from tpc.train import rundir

    assert set(RUN_FILES) == {
        rundir.CONFIG,
        rundir.MODEL,
        rundir.CHECKPOINT,
        rundir.METRICS,
        rundir.RESULTS,
        rundir.WIRING,
    }


# ---- resume and Ctrl-C ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def long_straight(tmp_path_factory) -> Path:
    """The LONG sweep run without interruption: what a stopped one must end up as."""
    tmp = tmp_path_factory.mktemp("long")
    out = tmp / "straight"
    result = invoke(write_spec(tmp, LONG), "-o", out, "--workers", "2")
    assert result.exit_code == 0, result.output
    return out


def test_a_killed_trial_resumes_from_its_checkpoint(long_straight, tmp_path):
    spec = write_spec(tmp_path, LONG)
    out = tmp_path / "killed"
    proc = sweep_process(spec, "-o", out, "--workers", "1")
    first = out / "seed=0"
    wait_for(lambda: epochs_done(first) >= 5)
    os.kill(worker_pids(out, "seed=0")[-1], signal.SIGKILL)
    output, _ = proc.communicate(timeout=300)
    assert proc.returncode == 1, output
    assert "FAILED  seed=0: killed by signal 9" in output
    assert "Error: 1 of 2 trials failed: seed=0" in output
    assert not (first / "results.json").exists() and (first / "checkpoint.safetensors").exists()
    stopped_at = epochs_done(first)
    # The same command again: seed=1 is finished, seed=0 resumes from its checkpoint.
    result = invoke(spec, "-o", out, "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "1 finished, 1 to resume, 0 to start" in result.output
    log = (out / "logs" / "seed=0.log").read_text()
    assert log.count(" new (pid") == 1 and log.count(" resume (pid") == 1
    sessions = [s for s in read_sessions(out) if s["trial"] == "seed=0"]
    assert [s["status"] for s in sessions] == ["failed", "finished"]
    assert 0 < stopped_at < 100
    assert table(out) == table(long_straight)
    assert same_tensors(first, long_straight / "seed=0")


def test_ctrl_c_stops_cleanly_and_the_sweep_continues(long_straight, tmp_path):
    spec = write_spec(tmp_path, LONG)
    out = tmp_path / "stopped"
    proc = sweep_process(spec, "-o", out, "--workers", "2")
    wait_for(lambda: all(epochs_done(out / f"seed={s}") >= 3 for s in (0, 1)))
    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=300)
    assert proc.returncode == 130, output
    assert "stopping: each running trial saves its last epoch" in output
    assert "Error: interrupted: 0 of 2 trials finished" in output
    for s in (0, 1):
        run = out / f"seed={s}"
        assert json.loads((run / "results.json").read_text())["interrupted"] is True
        assert (run / "checkpoint.safetensors").exists()
        for pid in worker_pids(out, f"seed={s}"):  # no trial trains on behind our back
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
    assert {s["status"] for s in read_sessions(out)} == {"interrupted"}
    result = invoke(spec, "-o", out, "--workers", "2")
    assert result.exit_code == 0, result.output
    assert "0 finished, 2 to resume, 0 to start" in result.output
    assert table(out) == table(long_straight)
    assert all(same_tensors(out / f"seed={s}", long_straight / f"seed={s}") for s in (0, 1))


def test_the_report_lowers_the_best_trial_of_each_group(long_straight, tmp_path):
    result = invoke("report", long_straight, "--format", "json", "--lower", tmp_path / "lowered")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    (group,) = doc["groups"]
    program = group["program"]
    assert program["trial"] == group["best_by_val"]["trial"]
    assert program["verified"] is True and program["nodes"] > 0 and program["python_lines"] > 0
    assert (Path(program["dir"]) / "sort.py").is_file()


# ---- what a sweep refuses -------------------------------------------------------------------

BASE = '[base]\ntask = "sort"\nepochs = 1\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[base\n", "is not TOML"),
        ('tasks = "sort"\n' + BASE, "unknown key 'tasks'"),
        (
            '[base]\ntask = "sort"\nlayers = 2\n',
            "base.layers: unknown option 'layers'; did you mean n_layers?",
        ),
        (BASE + "[axes]\nn_layers = 2\n", "axes.n_layers: must be a non-empty list"),
        (BASE + '[axes]\nn_layers = [1, "two"]\n', "axes.n_layers[1]: n_layers must be an integer"),
        (BASE + "[axes]\nn_layers = [0]\n", "axes.n_layers[0]: n_layers must be >= 1, got 0"),
        (BASE + "[axes]\nlr = [1e-2, 1e-2]\n", "axes.lr: the value '0.01' appears twice"),
        (BASE + "[axes]\nwidth = [1, 2]\n", "axes.width: 'width' is not an option"),
        (BASE + '[axes]\ntask = ["sort", "nope"]\n', "set by axes.task"),
        ("[axes]\nseed = [0]\n", "base.task: no task"),
        (BASE + "[random]\nlr = { normal = [0, 1] }\n", "random.lr: unknown distribution 'normal'"),
        (
            BASE + "[random]\nlr = { log_uniform = [0, 1] }\n",
            "random.lr.log_uniform: a log-uniform range must be above 0",
        ),
        (
            BASE + "[random]\ndraws = 100000\nlr = { uniform = [0.1, 1] }\n",
            "random.draws: must be in 1..10,000",
        ),
        (BASE + 'trial_dir = "{task}"\n', "base.trial_dir: unknown option 'trial_dir'"),
        (
            'trial_dir = "{nope}/x"\n' + BASE + "[axes]\nseed = [0]\n",
            "trial_dir: {nope} names no axis",
        ),
        (
            'trial_dir = "../{seed}"\n' + BASE + "[axes]\nseed = [0]\n",
            "trial_dir: must be a relative path",
        ),
        ('trial_dir = "x"\n' + BASE + "[axes]\nseed = [0, 1]\n", "would share the directory 'x'"),
        ('output = "/etc"\n' + BASE, "output: must be a relative path"),
        (BASE + "[report]\ntarget = 'paper'\n", "report.target: 'paper' is no reference"),
        (BASE + "[report]\nover = ['seed']\n", "report.over: 'seed' is not an axis"),
        (
            BASE + "[[axes]]\nseed = [0]\n[[axes]]\nlr = [0.1]\n",
            "axes[1]: has the axes lr; every grid needs",
        ),
        (
            BASE
            + "[axes]\n"
            + "\n".join(f"a{i} = [{{seed = 0}}, {{seed = 1}}]" for i in range(14)),
            "16,384 trials; a sweep has at most 10,000",
        ),
    ],
)
def test_a_bad_spec_is_a_one_line_error_naming_the_key(tmp_path, text, message):
    spec = write_spec(tmp_path, text)
    out = tmp_path / "out"
    result = invoke(spec, "-o", out)
    assert result.exit_code == 1, result.output
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ")
    assert message in result.output
    assert not out.exists()


def test_the_trial_bound_is_checked_before_the_grid_is_made(tmp_path):
    values = ", ".join(str(i) for i in range(1, 101))
    text = BASE + f"[axes]\nseed = [{values}]\ndata_seed = [{values}]\nbatch_size = [{values}]\n"
    start = time.perf_counter()
    result = invoke(write_spec(tmp_path, text), "-o", tmp_path / "out")
    assert time.perf_counter() - start < 10
    assert result.exit_code == 1 and "1,000,000 trials" in result.output
    assert MAX_TRIALS == 10_000


def test_missing_spec_and_foreign_sweep_directories(tmp_path):
    result = invoke(tmp_path / "nope.toml")
    assert result.exit_code == 1 and result.output.startswith("Error: cannot read sweep spec")
    result = invoke("report", tmp_path)
    assert result.exit_code == 1 and "is not a sweep directory (no sweep.json)" in result.output
    (tmp_path / SWEEP_FILE).write_text('{"format": "something else"}')
    result = invoke("report", tmp_path)
    assert result.exit_code == 1 and "is not a tpc sweep" in result.output
    (tmp_path / SWEEP_FILE).write_text(
        '{"format": "tpc-sweep/1", "spec": {"path": "x", "text": "[base"}, "trials": []}'
    )
    result = invoke("report", tmp_path)
    assert result.exit_code == 1 and "is corrupt: its spec" in result.output


def test_a_directory_of_another_configuration_is_never_overwritten(tmp_path):
    spec = write_spec(tmp_path, BASE + "[axes]\nseed = [0]\n")
    out = tmp_path / "out"
    (out / "seed=0").mkdir(parents=True)
    config = {"format": "tpc-run/1", "train": {"task": "hist"}, "model": {}}
    (out / "seed=0" / "config.json").write_text(json.dumps(config))
    result = invoke(spec, "-o", out)
    assert result.exit_code == 1
    assert "seed=0 holds a run of another configuration (task" in result.output
    assert not (out / SWEEP_FILE).exists() and not (out / SESSIONS_FILE).exists()


def test_one_sweep_at_a_time_in_a_directory(tmp_path):
    spec = write_spec(tmp_path, BASE + "[axes]\nseed = [0]\n")
    out = tmp_path / "out"
    out.mkdir()
    with locked(out):
        result = invoke(spec, "-o", out)
    assert result.exit_code == 1 and "another tpc sweep is running in" in result.output
    assert (out / LOCK).exists() and not (out / "seed=0").exists()


def test_dry_run_only_and_templates(tmp_path):
    text = (
        'trial_dir = "{task}/s{seed}"\n[base]\nepochs = 1\n'
        '[[axes]]\ntask = ["sort", "hist"]\nseed = [0, 1]\n'
        '[[axes]]\ntask = ["hist"]\nseed = [1, 2]\n'
    )
    spec = write_spec(tmp_path, text)
    result = invoke(spec, "-o", tmp_path / "out", "--dry-run", "--only", "task=hist")
    assert result.exit_code == 0, result.output
    assert result.output.split() == [
        "new", "hist/s0", "new", "hist/s1", "new", "hist/s2",
        "3", "trial(s)", "of", "5:", "0", "finished,", "0", "to", "resume,", "3", "to",
        "start", "->", str(tmp_path / "out"),
    ]  # fmt: skip
    assert not (tmp_path / "out").exists()
    bad = invoke(spec, "--dry-run", "--only", "task=dyck1")
    assert bad.exit_code == 1 and "no trial has task=dyck1" in bad.output
    bad = invoke(spec, "--dry-run", "--only", "lr=0.1")
    assert bad.exit_code == 1 and "'lr' is not an axis" in bad.output


def test_bundles_random_draws_and_paths(tmp_path):
    (tmp_path / "w.json").write_text("{}")
    text = (
        '[base]\ntask = "sort"\nwiring = "w.json"\n'
        '[axes]\nheads = [{ label = "2+2", n_heads_cat = 2, n_heads_num = 2 }, '
        "{ n_heads_cat = 4, n_heads_num = 0 }]\n"
        "[random]\ndraws = 3\nrng_seed = 7\nlr = { log_uniform = [0.01, 0.1] }\n"
        "n_layers = { choice = [1, 2] }\n"
    )
    trials = expand(load_spec(write_spec(tmp_path, text)))
    assert len(trials) == 6
    assert [t.values["heads"] for t in trials[:3]] == ["2+2"] * 3
    assert trials[3].values["heads"] == "n_heads_cat=4,n_heads_num=0"
    lrs = [float(t.values["lr"]) for t in trials[:3]]
    assert all(0.01 <= lr <= 0.1 for lr in lrs) and len(set(lrs)) == 3
    assert trials == expand(load_spec(write_spec(tmp_path, text)))  # the same draws again
    assert trials[0].config["wiring"] == str(tmp_path / "w.json")
    assert "--wiring" in trials[0].command() and "--heads-cat 2" in trials[0].command()


def test_a_supervise_program_is_read_into_each_trial(tmp_path):
    rasp = ROOT / "programs" / "rasp_handwritten" / "hist.rasp"
    (tmp_path / "progs").mkdir()
    (tmp_path / "progs" / "h.rasp").write_text(rasp.read_text())
    text = (
        '[base]\ntask = "hist"\nn_heads_num = 1\nsupervise_program = "progs/h.rasp"\n'
        'supervise = "0.n0=hist"\nsupervise_weight = 10\n[axes]\nseed = [0, 1]\n'
    )
    trials = expand(load_spec(write_spec(tmp_path, text)))
    assert [t.config["supervise_source"] for t in trials] == [rasp.read_text()] * 2
    assert "supervise_program" not in trials[0].config
    command = trials[0].command()
    assert f"--supervise-program {tmp_path / 'progs' / 'h.rasp'}" in command
    assert "--supervise 0.n0=hist --supervise-weight 10.0" in command
    (tmp_path / "progs" / "h.rasp").unlink()
    result = invoke(write_spec(tmp_path, text), "-o", tmp_path / "out")
    assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
    assert "trial seed=0: cannot read file" in result.output and "h.rasp" in result.output
    bad = text.replace('"progs/h.rasp"', "3")
    result = invoke(write_spec(tmp_path, bad), "-o", tmp_path / "out")
    assert "base.supervise_program: must be" in result.output, result.output
    assert not (tmp_path / "out").exists()


def test_the_report_shows_a_supervised_trial_s_head_agreement(tmp_path):
    rasp = ROOT / "programs" / "rasp_handwritten" / "hist.rasp"
    text = (
        f'[base]\ntask = "hist"\nn_layers = 1\nn_heads_cat = 0\nn_heads_num = 1\n'
        f"n_num_mlps = 1\nepochs = 2\ndataset_size = 300\n[axes]\n"
        f'sup = [{{ label = "none", supervise_weight = 0 }}, {{ label = "on", supervise_program = "{rasp}", '
        f'supervise = "0.n0=hist", supervise_weight = 10 }}]\n'
    )
    out = tmp_path / "out"
    assert invoke(write_spec(tmp_path, text), "-o", out, "--workers", "1").exit_code == 0
    doc = json.loads(invoke("report", out, "--format", "json").output)
    results = json.loads((out / "sup=on" / "results.json").read_text())
    on = next(t for t in doc["trials"] if t["values"]["sup"] == "on")
    off = next(t for t in doc["trials"] if t["values"]["sup"] == "none")
    assert on["agreement_pct"] == 100 * results["supervised_agreement"]["test"]
    assert off["agreement_pct"] is None
    md = invoke("report", out).output
    assert "head agreement % mean" in md and "| head agreement % |" in md


def test_reports_show_paths_below_the_current_directory_relative_to_it(tmp_path, monkeypatch):
    from tpc.sweep.spec import shown_path

    monkeypatch.chdir(tmp_path)
    assert shown_path(tmp_path / "sweeps" / "x.toml") == str(Path("sweeps") / "x.toml")
    assert shown_path("/elsewhere/x.rasp") == "/elsewhere/x.rasp"


def test_the_checked_in_specs(tmp_path):
    sizes = {}
    for path in sorted((ROOT / "sweeps").glob("*.toml")):
        sizes[path.stem] = len(expand(load_spec(path)))
    assert sizes == {
        "paper_table1": 38,
        "paper_table3": 35,
        "wide_grid": 945,
        "wide_random": 96,
        "nlp_classification": 16,
        "nlp_standard": 12,
        "extensions": 40,
        "supervision": 8,
        "published_configs": 15,
    }
    # The public re-run's best architectures (../shared/REFERENCE.md: layers, heads, MLPs).
    published = {"most_freq": (4, 16, 8), "double_hist": (2, 8, 8), "sort": (1, 8, 4)}
    for t in expand(load_spec(ROOT / "sweeps" / "published_configs.toml")):
        c = t.config
        shape = (
            c["n_layers"],
            c["n_heads_cat"] + c["n_heads_num"],
            c["n_cat_mlps"] + c["n_num_mlps"],
        )
        assert shape == published[c["task"]] and c["epochs"] == 250
    trials = expand(load_spec(ROOT / "sweeps" / "paper_table1.toml"))
    assert trials[0].name == "reverse/s0" and trials[0].command().startswith(
        "tpc train reverse --preset paper --seed 0 -o"
    )


@pytest.mark.slow
def test_trials_stop_when_the_sweep_is_killed(long_straight, tmp_path):
    """A sweep killed with SIGKILL cannot pass Ctrl-C on: its trials see their standard
    input close and stop as on Ctrl-C, resumable."""
    spec = write_spec(tmp_path, LONG)
    out = tmp_path / "orphans"
    proc = sweep_process(spec, "-o", out, "--workers", "2")
    wait_for(lambda: all(epochs_done(out / f"seed={s}") >= 3 for s in (0, 1)))
    proc.kill()
    proc.communicate(timeout=60)
    for s in (0, 1):
        run = out / f"seed={s}"
        wait_for(lambda run=run: (run / "results.json").is_file(), timeout=60)
        assert json.loads((run / "results.json").read_text())["interrupted"] is True
    result = invoke(spec, "-o", out, "--workers", "2")
    assert result.exit_code == 0 and "0 finished, 2 to resume" in result.output
    assert table(out) == table(long_straight)


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="ray is not installed")
def test_ctrl_c_on_ray_brings_the_stopped_trials_back(tmp_path):
    import tempfile

    text = LONG.replace("epochs = 100", "epochs = 400")
    spec = write_spec(tmp_path, text)
    straight = tmp_path / "straight"
    assert invoke(spec, "-o", straight, "--workers", "2").exit_code == 0
    out = tmp_path / "ray-stopped"
    start = time.time()
    proc = sweep_process(spec, "-o", out, "--workers", "2", "--ray")

    def training() -> list[Path]:  # the tasks' runs, in their temporary directories
        found = Path(tempfile.gettempdir()).glob("tpc-sweep-*/run/metrics.jsonl")
        return [p for p in found if p.stat().st_mtime > start and epochs_done(p.parent) >= 3]

    wait_for(lambda: len(training()) == 2)
    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=300)
    assert proc.returncode == 130, output
    assert output.count("(resumable)") == 2
    for s in (0, 1):
        run = out / f"seed={s}"
        assert json.loads((run / "results.json").read_text())["interrupted"] is True
        assert (run / "checkpoint.safetensors").is_file()
    result = invoke(spec, "-o", out, "--workers", "2", "--ray")
    assert result.exit_code == 0, result.output
    assert "0 finished, 2 to resume" in result.output
    assert table(out) == table(straight)
    assert all(same_tensors(out / f"seed={s}", straight / f"seed={s}") for s in (0, 1))


# ---- tpc sweep compare ---------------------------------------------------------------------


def _trial_results(sweep_dir: Path) -> list[tuple[str, float, float]]:
    """(trial, val %, test %) of every trial, in the spec's order, from results.json."""
    out = []
    for t in read_sweep(sweep_dir).trials:
        acc = json.loads((sweep_dir / t.name / "results.json").read_text())["accuracy"]
        out.append((t.name, 100 * acc["val"], 100 * acc["test"]))
    return out


def test_compare_picks_the_best_validation_across_sweeps(tiny_local, long_straight):
    from tpc.sweep.compare import compare

    doc = compare([build(read_sweep(d)) for d in (tiny_local, long_straight)])
    (row,) = doc["tasks"]
    assert row["task"] == "sort"
    everything = [(d, *r) for d in (tiny_local, long_straight) for r in _trial_results(d)]
    top_val = max(v for _d, _n, v, _t in everything)
    sweep_dir, name, val, test = next(e for e in everything if e[2] == top_val)
    chosen = row["chosen"]
    assert (chosen["sweep"], chosen["trial"]) == (str(sweep_dir), name)
    assert (chosen["val_pct"], chosen["test_pct"]) == (val, test)
    for d, best_test in zip((tiny_local, long_straight), row["test_pct_by_sweep"], strict=True):
        results = _trial_results(d)
        top = max(v for _n, v, _t in results)
        assert best_test == next(t for _n, v, t in results if v == top)
    assert doc["references"] == ["made_up"] and row["references"] == {"made_up": 33.3}
    assert row["reaches_every_reference"] == (test >= 33.3)


def test_compare_on_the_command_line(tiny_local, long_straight, tmp_path):
    md = invoke("compare", tiny_local, long_straight, "--title", "Two sweeps")
    assert md.exit_code == 0, md.output
    assert md.output.startswith("# Two sweeps\n")
    assert "| task | chosen: sweep | configuration | replicate | val % | test % |" in md.output
    assert "1 layer, " in md.output and "8 of 8 trials finished" in md.output
    csv_path = tmp_path / "best.csv"
    result = invoke("compare", tiny_local, long_straight, "-o", csv_path)
    assert result.exit_code == 0 and "1 tasks, 2 sweeps" in result.output
    lines = csv_path.read_text().splitlines()
    assert (
        lines[0].startswith("task,sweep,trial,configuration,val_pct,test_pct,") and len(lines) == 2
    )
    for args, message in (
        ((tiny_local, tmp_path), "is not a sweep directory"),
        ((tiny_local, tiny_local), "a sweep directory is given twice"),
    ):
        bad = invoke("compare", *args, "-o", tmp_path / "no.md")
        assert bad.exit_code == 1 and bad.output.startswith("Error: ") and message in bad.output
        assert bad.output.count("\n") == 1 and not (tmp_path / "no.md").exists()
