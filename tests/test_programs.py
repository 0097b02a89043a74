"""The checked-in programs (``programs/``) still are what ``programs/manifest.json`` says.

For every program in the manifest: its files exist and hash to the manifest; its IR
re-scores exactly the manifest's figures on the length-uniform sample and the test split
(and on every input: ``make test-slow``); the Python module imports with only the
standard library and its ``run(tokens)`` equals the IR interpreter; the RASP text parsed
back computes the same outputs; every back-end file is exactly what the current back end
emits from the checked-in IR. ``make programs`` (scripts/make_programs.py) regenerates
the programs, the manifest and the README; ``make programs ARGS=--reemit`` re-emits the
back-end files from the checked-in IR after a back end changed.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tpc.evaluate import program_view, render, score
from tpc.ir import load, run
from tpc.tasks import get_task

ROOT = Path(__file__).resolve().parents[1]


def _load_script():
    """scripts/make_programs.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "make_programs", ROOT / "scripts" / "make_programs.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


mp = _load_script()
MANIFEST = mp.read_manifest()
ENTRIES = MANIFEST["programs"]
NO_PROGRAMS = "programs/manifest.json lists no programs yet: generate them with `make programs`"
#: Parse RASP text back in the fast tests up to this size (larger: `make test-slow`).
RASP_FAST_BYTES = 40_000
#: Inputs of the uniform sample the back ends are compared on.
BACKEND_INPUTS = 300

NONE = [pytest.param(None, id="none", marks=pytest.mark.skip(reason=NO_PROGRAMS))]
PROGRAMS = [pytest.param(e, id=e["key"]) for e in ENTRIES] or NONE
WITH_RASP = [
    pytest.param(
        e,
        id=e["key"],
        marks=[pytest.mark.slow] if e["files"]["rasp"]["bytes"] > RASP_FAST_BYTES else [],
    )
    for e in ENTRIES
    if "rasp" in e["files"]
] or NONE
#: Every checked-in back-end file (all files but the IR), as (entry, target).
BACKEND_FILES = [
    pytest.param(e, target, id=f"{e['key']}:{target}")
    for e in ENTRIES
    for target in sorted(e["files"])
    if target != "json"
] or [pytest.param(None, None, id="none", marks=pytest.mark.skip(reason=NO_PROGRAMS))]


def _task(entry):
    return get_task(entry["task"]), entry["k"], entry["n"]


def _program(entry):
    return load(ROOT / entry["files"]["json"]["path"])


def _sample(entry) -> list[list[str]]:
    task, k, n = _task(entry)
    return mp.uniform_sample(task, k, n)


def _interpreter_outputs(program, task, inputs) -> list[list[str]]:
    views = [program_view(program, task, s)[0] for s in inputs]
    return [[render(v) for v in out] for out in run(program, views)]


@pytest.mark.parametrize("entry", PROGRAMS)
def test_files_exist_and_hash_to_the_manifest(entry):
    assert {"json", "python"} <= set(entry["files"])
    for target, info in entry["files"].items():
        path = ROOT / info["path"]
        assert path.is_file(), f"{entry['key']}: {target} file {path} is missing"
        assert mp.sha256(path) == info["sha256"], f"{path} changed since `make programs`"
        assert path.parent == ROOT / entry["recipe"]["dir"]
    for target in entry["not_written"]:
        assert target not in entry["files"]


@pytest.mark.parametrize(("entry", "target"), BACKEND_FILES)
def test_backend_files_are_what_the_backends_emit_from_the_ir(entry, target):
    """No checked-in back-end file goes stale silently when a back end changes."""
    from tpc.backends import emit

    path = ROOT / entry["files"][target]["path"]
    got = path.read_bytes()
    want = emit(_program(entry), target)
    if got != want.encode("utf-8"):  # byte for byte
        old, new = got.decode("utf-8", "replace").splitlines(), want.splitlines()
        line = next(
            (i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new))
        )
        pytest.fail(
            f"{entry['files'][target]['path']} is not what the {target} back end now emits from "
            f"{entry['files']['json']['path']} (first difference at line {line + 1}; "
            f"{len(old)} lines checked in, {len(new)} emitted): run `make programs ARGS=--reemit`",
            pytrace=False,
        )


@pytest.mark.parametrize("entry", PROGRAMS)
def test_ir_scores_what_the_manifest_says_on_the_uniform_sample(entry):
    program, (task, _, _) = _program(entry), _task(entry)
    want = entry["scores"]["uniform"]
    assert mp.summarize(score(program, task, _sample(entry)), task, want["inputs"]) == want


@pytest.mark.slow
@pytest.mark.parametrize("entry", PROGRAMS)
def test_ir_scores_what_the_manifest_says_on_every_input(entry):
    want = entry["scores"]["exhaustive"]
    if want is None:
        pytest.skip(f"{entry['key']}: too many inputs to enumerate")
    program, (task, k, n) = _program(entry), _task(entry)
    got = mp.summarize(score(program, task, task.enumerate(k, n)), task, want["inputs"])
    assert got == want


EXACT_CHECK_LIMIT = 50_000  # inputs: a program claimed exact is checked on all of them
EXACT_SAMPLES = 20_000  # else on this many drawn with uniform lengths


def _claimed_exact(entry: dict) -> bool:
    checked = entry["scores"].get("exhaustive")
    return bool(checked) and checked["sequences_right"] == checked["sequences"]


@pytest.mark.parametrize(
    "entry", [pytest.param(e, id=e["key"]) for e in ENTRIES if _claimed_exact(e)]
)
def test_a_program_claimed_exact_is_right_on_its_domain(entry):
    """Exact means every input up to N: checked whole where that is cheap, else on a
    large length-uniform sample, against the task's own labels."""
    program, (task, k, n) = _program(entry), _task(entry)
    if task.count_inputs(k, n) <= EXACT_CHECK_LIMIT:
        inputs = list(task.enumerate(k, n))
    else:
        inputs = task.sample(np.random.default_rng(1), EXACT_SAMPLES, k, n, "uniform")
    result = score(program, task, inputs)
    assert result.seqs_right == result.seqs == len(inputs), result.counterexamples[:3]


@pytest.mark.parametrize("entry", PROGRAMS)
def test_test_split_accuracy_is_the_manifest_and_the_model(entry):
    from tpc.train import TrainConfig

    program, (task, _, _) = _program(entry), _task(entry)
    inputs = mp.split_inputs(TrainConfig.from_dict(entry["train_config"]))
    got = mp.summarize(score(program, task, inputs), task, "test split")
    assert got == entry["scores"]["test"]
    # the program is faithful to its model: the same test accuracy as the run reported
    assert got["token_accuracy"] == pytest.approx(entry["model_accuracy"]["test"], abs=1e-12)


# One interpreter without site-packages (-S) and without the environment (-I) runs every
# program's Python module: proof that the modules need only the standard library.
_DRIVER = r"""
import importlib.util, json, sys
jobs = json.load(sys.stdin)
out = {}
for key, job in jobs.items():
    spec = importlib.util.spec_from_file_location("program_" + str(len(out)), job["path"])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    header = [list(module.VOCAB), module.MAX_LEN, module.BOS, module.EOS]
    outputs = [[str(v) for v in module.run(tokens)] for tokens in job["inputs"]]
    out[key] = {"header": header, "outputs": outputs}
json.dump(out, sys.stdout)
"""


@pytest.fixture(scope="module")
def stdlib_runs():
    """Each module's ``run`` outputs on its inputs, computed by ``python -I -S``."""
    jobs = {}
    for entry in ENTRIES:
        program, (task, _, _) = _program(entry), _task(entry)
        inputs = _sample(entry)[:BACKEND_INPUTS]
        jobs[entry["key"]] = {
            "path": str(ROOT / entry["files"]["python"]["path"]),
            "inputs": [program_view(program, task, s)[0] for s in inputs],
        }
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-B", "-c", _DRIVER],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


@pytest.mark.parametrize("entry", PROGRAMS)
def test_python_module_needs_only_the_stdlib_and_equals_the_interpreter(entry, stdlib_runs):
    program, (task, _, _) = _program(entry), _task(entry)
    inputs = _sample(entry)[:BACKEND_INPUTS]
    result = stdlib_runs[entry["key"]]
    assert result["header"] == [list(program.vocab), program.max_len, program.bos, program.eos]
    want = [
        [str(v) for v in out]
        for out in run(program, [program_view(program, task, s)[0] for s in inputs])
    ]
    assert result["outputs"] == want


@pytest.mark.parametrize("entry", WITH_RASP)
def test_rasp_text_parses_back_to_the_same_outputs(entry):
    from tpc.frontends import parse_rasp

    reads = entry["rasp_reads"]
    text = (ROOT / entry["files"]["rasp"]["path"]).read_text(encoding="utf-8")
    parsed = parse_rasp(text, vocab=reads["vocab"], max_len=reads["max_len"])
    program, (task, _, _) = _program(entry), _task(entry)
    inputs = _sample(entry)[:BACKEND_INPUTS]
    views = [program_view(program, task, s)[0] for s in inputs]
    got = [[render(v) for v in out] for out in run(parsed, views)]
    assert got == _interpreter_outputs(program, task, inputs)


@pytest.mark.parametrize("entry", PROGRAMS)
def test_manifest_entry_follows_its_recipe(entry):
    recipes = {r.key: r for r in mp.load_recipes()}
    assert entry["key"] in recipes, f"{entry['key']} has no recipe in programs/recipes.json"
    recipe = recipes[entry["key"]]
    assert entry["recipe"] == recipe.to_json(), "recipe changed: rerun `make programs`"
    assert entry["seed"] in recipe.seeds
    assert entry["train_config"] == mp.expected_config(recipe, entry["seed"]).to_dict()
    # the seed rule: the best validation accuracy (lowest seed on ties) among the finished
    # candidates, passing over those that could not be compiled (and say why)
    finished = {int(s): c for s, c in entry["candidates"].items() if c["state"] == "finished"}
    ranked = sorted(finished, key=lambda s: (-finished[s]["accuracy"]["val"], s))
    if recipe.refine is not None:
        # refined in that order until one is exact; the fewest wrong inputs win (stable)
        refined = [s for s in ranked if "refined" in finished[s]]
        assert refined and refined == ranked[: len(refined)]
        wrong = {s: finished[s]["refined"]["wrong"] for s in refined}
        assert all(wrong[s] > 0 for s in refined[:-1])
        ranked = sorted(refined, key=lambda s: wrong[s])
        assert entry["refine"]["wrong"] == wrong[entry["seed"]]
        assert entry["model_accuracy"] == finished[entry["seed"]]["refined"]["accuracy"]
    skipped = ranked[: ranked.index(entry["seed"])]
    assert all(finished[s].get("note", "").startswith("not compiled") for s in skipped)
    assert entry["level"] in ("O3", mp.FALLBACK_LEVEL)


@pytest.mark.slow
def test_split_inputs_are_the_runs_test_split():
    """The script's test split (token lists) is the one ``tpc.train.load_data`` builds."""
    if not ENTRIES:
        pytest.skip(NO_PROGRAMS)
    from tpc.tasks import decode
    from tpc.train import TrainConfig, load_data

    config = TrainConfig.from_dict(ENTRIES[0]["train_config"])
    data = load_data(config)
    want = decode(data.test.ids.numpy(), data.input_vocab, data.test.lengths.numpy())
    assert mp.split_inputs(config) == want


def test_recipes_cover_the_issue():
    """Every RASP task in both variants, plus induction and the Tracr-ready sort and
    reverse; the rasp variant is the paper's configuration or, where a checked-in sweep
    found a better one, exactly that sweep's trials; categorical-only doubles the paper's
    categorical heads and MLPs and has no numerical ones; the Tracr variant only narrows
    the readout."""
    from tpc.sweep.spec import load_spec
    from tpc.sweep.trials import expand
    from tpc.train import PAPER_TASKS

    recipes = {r.key: r for r in mp.load_recipes()}
    rasp_tasks = ["reverse", "hist", "double_hist", "sort", "most_freq", "dyck1", "dyck2"]
    assert set(recipes) == {
        f"{v}/{t}" for v in ("rasp", "rasp_categorical_only") for t in rasp_tasks
    } | {"induction/induction", "tracr/sort", "tracr/reverse"}
    for task, readout_vars in (("sort", 4), ("reverse", 2)):
        assert recipes[f"tracr/{task}"].preset == "paper"
        assert recipes[f"tracr/{task}"].options == {"readout_vars": readout_vars}
    sweep_trials = {  # every trial of a checked-in sweep spec, by its run directory
        mp.ROOT / spec.output / t.name: t.config
        for spec in map(load_spec, sorted((mp.ROOT / "sweeps").glob("*.toml")))
        for t in expand(spec)
    }
    for task in rasp_tasks:
        recipe = recipes[f"rasp/{task}"]
        assert recipe.preset == "paper"
        if recipe.options:  # a winner of a checked-in sweep (issue 19): its runs are that sweep's
            for seed in recipe.seeds:
                expected = mp.expected_config(recipe, seed).to_dict()
                assert sweep_trials[recipe.run_dir(seed)] == expected
        paper = PAPER_TASKS[task]
        config = mp.expected_config(recipes[f"rasp_categorical_only/{task}"], 0)
        assert (config.n_heads_num, config.n_num_mlps) == (0, 0)
        assert config.n_heads_cat == 2 * paper["n_heads_cat"]
        assert config.n_cat_mlps == 2 * paper["n_cat_mlps"]
        assert config.n_layers == paper["n_layers"]


def test_wired_recipes_name_a_wiring_file_their_model_takes():
    """A recipe trained under a fixed wiring (``--wiring``) names a checked-in wiring file
    that fits the recipe's model; the file records the search that found it."""
    from tpc.model import build_model
    from tpc.train import load_data, model_config
    from tpc.train.wiring import load_wiring

    wired = [r for r in mp.load_recipes() if "wiring" in r.options]
    for recipe in wired:
        path = ROOT / recipe.options["wiring"]
        config = mp.expected_config(recipe, recipe.seeds[0])
        data = load_data(config)
        model = build_model(
            model_config(config, data.input_vocab, data.classes, data.max_len, data.causal)
        )
        load_wiring(model, path)
        found_by = json.loads(path.read_text(encoding="utf-8"))["found_by"]
        assert found_by["command"].startswith("tpc search-wiring ")
        source = {**found_by["source_run"]["train_config"], "seed": 0, "wiring": None}
        assert source == {**config.to_dict(), "seed": 0, "wiring": None}


def test_readme_is_generated_from_the_manifest():
    if not ENTRIES:
        pytest.skip(NO_PROGRAMS)
    readme = (ROOT / "programs" / "README.md").read_text(encoding="utf-8")
    assert readme == mp.render_readme(MANIFEST), "README.md edited by hand: rerun `make programs`"


def test_code_lines_skip_docstrings_comments_and_blanks():
    source = '"""Module.\n\nMore."""\n\n# comment\nX = (\n    1,\n)\n\n\ndef f():\n    """Doc."""\n    return 1  # trailing\n'
    assert mp.code_lines(source) == 5  # X = ( / 1, / ) / def f(): / return
