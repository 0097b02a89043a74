"""Regenerate ``programs/``: trained, lowered, optimised programs with their scores.

For every recipe in ``programs/recipes.json`` (a RASP task with categorical + numerical
variables, the same categorical-only, or induction) this script

1. finds the recipe's runs (``tpc train TASK --preset paper [options] --seed S`` for each
   candidate seed; the rasp variant reuses the paper sweep's ``runs/paper/TASK/sS``),
   trains the missing ones (unless ``--no-train``) and picks the finished seed with the
   best *validation* accuracy (ties: the lowest seed);
2. compiles it with :func:`tpc.pipeline.compile_run` at ``-O3`` (falling back to ``-O2``
   when ``-O3`` fails, and saying why), which verifies the IR against the model and the
   Python/RASP back ends against the IR on every input it checks;
3. copies ``TASK.tpir.json``, ``TASK.py``, ``TASK.rasp`` (and ``TASK_tracr.py``, and the
   ``.dot`` when small) into the recipe's directory;
4. scores the checked-in IR with :func:`tpc.evaluate.score`: the run's test split, a
   length-uniform sample, every input when there are at most 2 million, per length; counts
   lines, nodes and heads, and times the Python module;
5. writes ``programs/manifest.json`` (every figure, the recipe, seed, level, files and
   their sha256) and ``programs/README.md``, generated from the manifest;
6. writes the program's report page, ``TASK.report.html`` beside its IR (``tpc report``'s
   page, with the run's soft attention and training curves; not in the manifest; skip
   with ``--no-reports``; ``--reports`` writes only the pages, from the checked-in IR).

``--reemit`` needs no runs: when a back end changed, it brings the checked-in back-end files
up to date with it. For every program in the manifest (or those ``--only``/``--variant``
select) it loads the checked-in IR (which it never rewrites; its sha256 must still be the
manifest's), emits the back ends the manifest lists for it, and for each text that differs
from the checked-in file checks the Python and RASP texts against the IR interpreter
(:func:`tpc.verify.backend_runner` and :func:`tpc.verify.compare_outputs`, what
:func:`tpc.pipeline.compile_run` verifies them with) on every input of the task when there
are at most :data:`REEMIT_EXHAUSTIVE_LIMIT`, else on the length-uniform sample; Tracr and
dot texts have no runner there and are written unchecked. A check that fails, or a back
end that fails, leaves the program's files and entry as they were (exit status 1). Then it
writes the changed files atomically and updates the entry: the files' sha256/bytes/lines,
``lines``, the Python ``speed`` (re-timed on the uniform sample when the module changed; the
sample needs only the entry's task, k and n) and a ``reemit`` record (date, revision,
what changed, the checks). Scores are untouched: they are the IR's. Programs whose files
are already up to date are left as they are.

Usage: ``python scripts/make_programs.py [--only TASK,..] [--variant V,..] [--no-train]
[--runs-from DIR_OR_PATTERN] [--readme-only | --reemit | --reports] [--no-reports]``
(``make programs ARGS="..."``).
Programs not regenerated keep their manifest entries; ``tests/test_programs.py`` checks
that the checked-in files still score what the manifest says and are what the back ends
emit from the checked-in IR.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import datetime
import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # heavy imports (torch) happen inside the functions that need them
    from tpc.evaluate import Score
    from tpc.ir import Program
    from tpc.pipeline import CompileResult
    from tpc.tasks import Task
    from tpc.train import TrainConfig

from tpc.backends.python import code_lines  # noqa: E402  (after the TYPE_CHECKING block)

ROOT = Path(__file__).resolve().parents[1]
PROGRAMS = ROOT / "programs"
RECIPES = PROGRAMS / "recipes.json"
MANIFEST = PROGRAMS / "manifest.json"
README = PROGRAMS / "README.md"
MANIFEST_FORMAT = "tpc-programs/1"
#: Held while the script runs: two runs at once would overwrite each other's entries.
LOCK = ROOT / "runs" / ".make_programs.lock"

#: The length-uniform sample every program is scored on.
UNIFORM_SAMPLES = 10_000
UNIFORM_SEED = 0
#: Score every input of a task when it has at most this many (all tasks but dyck2).
EXHAUSTIVE_LIMIT = 2_000_000
#: The back ends whose output is checked in (``.dot`` only when at most DOT_MAX_BYTES).
KEPT_TARGETS = ("json", "python", "rasp", "tracr")
DOT_MAX_BYTES = 20_000
#: ``--reemit`` checks changed Python/RASP texts on every input of the task when there are
#: at most this many (reverse, sort, dyck1), else on the uniform sample.
REEMIT_EXHAUSTIVE_LIMIT = 50_000
FALLBACK_LEVEL = "O2"
SEED_RULE = (
    "the finished candidate seed with the best validation accuracy (ties: the lowest seed); "
    "if its model cannot be lowered, the next one (the candidates record why)"
)
REFINED_SEED_RULE = (
    "with a refine step: the candidates are refined (tpc refine) in that order (the first "
    "refine_candidates of them, when the recipe says) until one is exact on its domain, and "
    "the refined run with the fewest wrong inputs wins (ties: that order)"
)
CODE_LINES_RULE = (
    "tpc.backends.python.code_lines: lines holding code, not blank, comments, docstrings "
    "or the readout's weight tables (the reference keeps those in a CSV)"
)

#: The paper's figures (REFERENCE.md): Table 3 (categorical-only), test accuracy in %
#: (Table 1 is tpc.train.PAPER_TEST_ACCURACY); Table 4, lines of Python, full / pruned.
PAPER_TABLE3 = {
    "reverse": 99.75,
    "hist": 83.20,
    "double_hist": 55.89,
    "sort": 99.99,
    "most_freq": 64.13,
    "dyck1": 99.43,
    "dyck2": 99.17,
}
PAPER_TABLE4_LINES = {
    "reverse": (1893, 713),
    "hist": (324, 160),
    "double_hist": (1309, 423),
    "sort": (1503, 635),
    "most_freq": (1880, 666),
    "dyck1": (9975, 892),
    "dyck2": (5406, 733),
}
PAPER_INDUCTION = 100.0  # "perfect accuracy"

Log = Callable[[str], None]


# ---- recipes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipe:
    """How one program is made: ``tpc train TASK --preset PRESET OPTIONS --seed S`` for each
    candidate seed, run directories ``runs`` (a pattern over variant, task and seed)."""

    variant: str
    task: str
    dir: str
    preset: str | None
    options: dict[str, Any]
    seeds: tuple[int, ...]
    runs: str
    level: str
    refine: dict[str, Any] | None = None
    refined_runs: str = "runs/refined/{variant}/{task}/s{seed}"
    refine_candidates: int | None = None  # refine at most this many candidates (None: all)
    tried: str = ""  # what else was tried towards a program exact on its domain (README)

    @property
    def key(self) -> str:
        """``variant/task``, the program's name in the manifest."""
        return f"{self.variant}/{self.task}"

    def run_dir(self, seed: int, pattern: str | None = None) -> Path:
        """The run directory of ``seed`` (relative patterns are relative to the repository)."""
        path = Path((pattern or self.runs).format(variant=self.variant, task=self.task, seed=seed))
        return path if path.is_absolute() else ROOT / path

    def refined_dir(self, seed: int) -> Path:
        """Where ``tpc refine`` writes the refined run of ``seed``."""
        return ROOT / self.refined_runs.format(variant=self.variant, task=self.task, seed=seed)

    def to_json(self) -> dict[str, Any]:
        out = {
            "variant": self.variant,
            "task": self.task,
            "dir": self.dir,
            "preset": self.preset,
            "options": dict(self.options),
            "seeds": list(self.seeds),
            "runs": self.runs,
            "level": self.level,
        }
        if self.refine is not None:
            out["refine"] = dict(self.refine)
        if self.refine_candidates is not None:
            out["refine_candidates"] = self.refine_candidates
        return out


def load_recipes(path: Path = RECIPES) -> list[Recipe]:
    """The recipes of ``path``, defaults filled in."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    defaults = doc.get("defaults", {})
    recipes = []
    for entry in doc["programs"]:
        merged = {**defaults, **entry}
        recipes.append(
            Recipe(
                variant=merged["variant"],
                task=merged["task"],
                dir=merged["dir"],
                preset=merged.get("preset"),
                options=dict(merged.get("options", {})),
                seeds=tuple(merged.get("seeds", [0])),
                runs=merged["runs"],
                level=merged.get("level", "O3"),
                refine=merged.get("refine"),
                refine_candidates=merged.get("refine_candidates"),
                tried=merged.get("tried", ""),
                **({"refined_runs": merged["refined_runs"]} if "refined_runs" in merged else {}),
            )
        )
    return recipes


def expected_config(recipe: Recipe, seed: int) -> TrainConfig:
    """The :class:`~tpc.train.TrainConfig` that ``tpc train`` builds for this recipe and seed."""
    from tpc.train import TrainConfig, preset_options

    values = dict(preset_options(recipe.preset, recipe.task)) if recipe.preset else {}
    values.update(recipe.options)
    values["seed"] = seed
    return TrainConfig(task=recipe.task, **values)


def train_arguments(recipe: Recipe, seed: int, run_dir: Path) -> list[str]:
    """``tpc train`` arguments for one seed: option names come from the command itself."""
    from tpc.cli.train import train as train_command

    args = [recipe.task]
    if recipe.preset:
        args += ["--preset", recipe.preset]
    args += command_options(recipe, train_command, recipe.options)
    return [*args, "--seed", str(seed), "-o", display_path(run_dir)]


def command_options(recipe: Recipe, command: Any, options: dict[str, Any]) -> list[str]:
    """``options`` (parameter name -> value) as flags of the click ``command``: a boolean
    as its on or off flag, anything else as ``--flag VALUE``."""
    flags = {p.name: p for p in command.params}
    args: list[str] = []
    for name, value in options.items():
        param = flags.get(name)
        if param is None:
            raise SystemExit(f"recipe {recipe.key}: tpc {command.name} has no option {name!r}")
        if isinstance(value, bool):
            args.append(param.opts[0] if value else param.secondary_opts[0])
        else:
            args += [param.opts[-1], str(value)]
    return args


def tpc_command() -> list[str]:
    """How to run this environment's ``tpc`` in a subprocess."""
    exe = shutil.which("tpc", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-c", "from tpc.cli import main; main()"]


def display_path(path: Path) -> str:
    """``path`` relative to the repository when inside it (for commands and the manifest)."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# ---- runs and the seed choice -----------------------------------------------------------


@dataclass
class Candidate:
    """One candidate seed: its run directory, state and (when finished) accuracies."""

    seed: int
    run_dir: Path
    state: str  # "finished", "unfinished" (in progress or interrupted), "missing", "mismatch"
    accuracy: dict[str, float] = field(default_factory=dict)
    note: str = ""
    refined: dict[str, Any] | None = None  # the refined run: its results' "refine" record

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"run_dir": display_path(self.run_dir), "state": self.state}
        if self.accuracy:
            out["accuracy"] = self.accuracy
        if self.refined is not None:
            out["refined"] = {
                key: self.refined[key] for key in ("source", "wrong", "domain", "accuracy")
            }
        if self.note:
            out["note"] = self.note
        return out


def inspect_run(recipe: Recipe, seed: int, run_dir: Path) -> Candidate:
    """The state of one run directory, checking that it was trained with the recipe's options."""
    from tpc.train.rundir import read_config

    results_path = run_dir / "results.json"
    if not run_dir.exists() or not any(run_dir.iterdir()):
        return Candidate(seed, run_dir, "missing")
    if not results_path.is_file():
        return Candidate(
            seed,
            run_dir,
            "unfinished",
            note=f"no results.json: in progress, or continue it with `tpc train --resume {display_path(run_dir)}`",
        )
    results = json.loads(results_path.read_text())
    if results.get("interrupted") or not results.get("discrete", True):
        return Candidate(seed, run_dir, "unfinished", note="interrupted or not a discrete model")
    train_config, _ = read_config(run_dir)
    want = expected_config(recipe, seed).to_dict()
    got = train_config.to_dict()
    differ = [f"{k}={got.get(k)!r} (recipe: {v!r})" for k, v in want.items() if got.get(k) != v]
    if differ:
        return Candidate(seed, run_dir, "mismatch", note="trained with " + ", ".join(differ))
    return Candidate(seed, run_dir, "finished", accuracy=dict(results["accuracy"]))


def train_seed(recipe: Recipe, seed: int, run_dir: Path, log: Log) -> None:
    """Train one candidate seed in a subprocess (its progress bar shows on this terminal)."""
    args = ["train", *train_arguments(recipe, seed, run_dir)]
    log(f"  training: tpc {' '.join(args)}")
    cmd = tpc_command() + args
    run_dir.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(cmd, cwd=ROOT, check=True)


def rank_seeds(
    recipe: Recipe, pattern: str | None, train: bool, log: Log
) -> tuple[list[Candidate], list[Candidate]]:
    """Train missing candidates (when allowed); the finished ones in :data:`SEED_RULE`
    order (best first), and every candidate."""
    candidates = []
    for seed in recipe.seeds:
        run_dir = recipe.run_dir(seed, pattern)
        cand = inspect_run(recipe, seed, run_dir)
        if cand.state == "missing" and train:
            train_seed(recipe, seed, run_dir, log)
            cand = inspect_run(recipe, seed, run_dir)
        candidates.append(cand)
    finished = [c for c in candidates if c.state == "finished"]
    return sorted(finished, key=lambda c: (-c.accuracy["val"], c.seed)), candidates


def refine_ranked(recipe: Recipe, ranked: list[Candidate], log: Log) -> list[Candidate]:
    """Refine the ranked candidates in order (at most ``refine_candidates`` of them) until
    one is exact on its domain; the refined ones ranked by :data:`REFINED_SEED_RULE`."""
    refined = []
    for cand in ranked[: recipe.refine_candidates]:
        done = refine_candidate(recipe, cand, log)
        log(
            f"  seed {cand.seed} refined: {done.refined['wrong']:,} wrong on {done.refined['domain']}"
        )
        refined.append(done)
        if done.refined["wrong"] == 0:
            break
    return sorted(refined, key=lambda c: c.refined["wrong"])  # stable: ties keep their order


def refine_arguments(recipe: Recipe, run_dir: Path, out: Path) -> list[str]:
    """``tpc refine`` arguments for a candidate: option names come from the command."""
    from tpc.cli.refine import refine as refine_command

    options = command_options(recipe, refine_command, recipe.refine or {})
    return [display_path(run_dir), "-o", display_path(out), *options]


def refine_candidate(recipe: Recipe, cand: Candidate, log: Log) -> Candidate:
    """The refined run of a finished candidate (``tpc refine`` with the recipe's options,
    in a subprocess, unless a finished refinement of this run with these options exists):
    a candidate of the refined run, with its ``refined`` record."""
    out = recipe.refined_dir(cand.seed)
    args = refine_arguments(recipe, cand.run_dir, out)
    results_path = out / "results.json"
    record = json.loads(results_path.read_text())["refine"] if results_path.is_file() else None
    if (
        record is None
        or record.get("source") != display_path(cand.run_dir)
        or any(record["options"].get(k) != v for k, v in (recipe.refine or {}).items())
        or record.get("interrupted")
    ):
        shutil.rmtree(out, ignore_errors=True)  # ours: a stale or unfinished refinement
        out.parent.mkdir(parents=True, exist_ok=True)
        log(f"  refining: tpc refine {' '.join(args)}")
        subprocess.run([*tpc_command(), "refine", *args], cwd=ROOT, check=True)
        record = json.loads(results_path.read_text())["refine"]
    accuracy = json.loads(results_path.read_text())["accuracy"]
    refined = {**record, "accuracy": accuracy}
    return Candidate(cand.seed, out, "finished", cand.accuracy, cand.note, refined)


# ---- compiling ------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def compile_program(
    run_dir: Path, stem: str, level: str, log: Log
) -> tuple[CompileResult, str, dict[str, Any], Path]:
    """``compile_run`` at ``level`` into a temporary directory; on failure, at -O2.

    Returns the result, the level used, notes (why a level failed, wall times) and the
    temporary directory (the caller removes it).
    """
    from tpc.lower import LoweringError
    from tpc.pipeline import compile_run

    notes: dict[str, Any] = {"wall_seconds": {}}
    levels = [level] if level == FALLBACK_LEVEL else [level, FALLBACK_LEVEL]
    for lvl in levels:
        tmp = Path(tempfile.mkdtemp(prefix=f"tpc-{stem}-{lvl}-"))
        t0 = time.perf_counter()
        try:
            result = compile_run(run_dir, tmp, stem=stem, level=lvl, log=lambda m: log(f"    {m}"))
        except Exception as exc:  # noqa: BLE001 -- any failure of a level is recorded, then -O2
            shutil.rmtree(tmp, ignore_errors=True)
            notes["wall_seconds"][lvl] = time.perf_counter() - t0
            notes.setdefault("failed_levels", {})[lvl] = f"{type(exc).__name__}: {exc}"
            log(f"  -{lvl} failed: {type(exc).__name__}: {exc}")
            if lvl == levels[-1] or isinstance(exc, LoweringError):  # lowering: any level
                raise
            log(f"  falling back to -{FALLBACK_LEVEL}")
            continue
        notes["wall_seconds"][lvl] = time.perf_counter() - t0
        return result, lvl, notes, tmp
    raise AssertionError("unreachable")


def file_record(path: Path, text: str) -> dict[str, Any]:
    """The manifest's record of the file ``path`` holding ``text``."""
    return {
        "path": display_path(path),
        "sha256": sha256(path),
        "bytes": path.stat().st_size,
        "lines": text.count("\n"),
    }


def install_files(
    result: CompileResult, stem: str, dest: Path
) -> tuple[dict[str, dict], dict[str, str]]:
    """Copy the kept back ends' files into ``dest`` (atomically); remove stale ones.

    Returns ``{target: {"path", "sha256", "bytes", "lines"}}`` and ``{target: why not}``.
    """
    from tpc.fileio import write_atomic
    from tpc.pipeline import SUFFIXES

    dest.mkdir(parents=True, exist_ok=True)
    files: dict[str, dict] = {}
    not_written = {t: r for t, r in result.skipped.items() if t in KEPT_TARGETS}
    for target, src in result.files.items():
        size = src.stat().st_size
        if target not in KEPT_TARGETS and not (target == "dot" and size <= DOT_MAX_BYTES):
            continue
        text = src.read_text(encoding="utf-8")
        path = dest / src.name
        write_atomic(path, text)
        files[target] = file_record(path, text)
    for target, suffix in SUFFIXES.items():
        stale = dest / f"{stem}{suffix}"
        if target not in files and stale.exists():
            stale.unlink()
    return files, not_written


# ---- measuring ------------------------------------------------------------------------------


def exactness_text(exhaustive: dict[str, Any] | None) -> str:
    """Whether a program is right on every input of its domain: "yes", "no (W of M
    wrong)", or "not checked" when the domain was too large to enumerate."""
    if not exhaustive:
        return "not checked"
    wrong = exhaustive["sequences"] - exhaustive["sequences_right"]
    return "yes" if wrong == 0 else f"no ({wrong:,} of {exhaustive['sequences']:,} wrong)"


def summarize(score: Score, task: Task, what: str) -> dict[str, Any]:
    """A :class:`tpc.evaluate.Score` as JSON: counts, accuracies, and per *content* length
    (the input length without ``<s>``/``</s>``)."""
    frame = 1 + bool(task.eos)
    return {
        "inputs": what,
        "token_accuracy": score.token_accuracy,
        "sequence_accuracy": score.sequence_accuracy,
        "tokens_right": score.tokens_right,
        "tokens": score.tokens,
        "sequences_right": score.seqs_right,
        "sequences": score.seqs,
        "by_length": {
            str(length - frame): {
                "token_accuracy": r[0] / max(r[1], 1),
                "sequence_accuracy": r[2] / max(r[3], 1),
                "sequences": r[3],
            }
            for length, r in sorted(score.by_length.items())
        },
        "counterexamples": [
            {"input": " ".join(x), "got": " ".join(g), "want": " ".join(w)}
            for x, g, w in score.counterexamples[:3]
        ],
    }


def uniform_sample(task: Task, k: int, n: int) -> list[list[str]]:
    """The fixed length-uniform sample (:data:`UNIFORM_SAMPLES`, seed :data:`UNIFORM_SEED`)."""
    import numpy as np

    return task.sample(np.random.default_rng(UNIFORM_SEED), UNIFORM_SAMPLES, k, n, "uniform")


def split_inputs(train_config: TrainConfig, split: str = "test") -> list[list[str]]:
    """A split of the run's dataset as token lists: the dataset :func:`tpc.train.load_data`
    builds for the run (same task, size, seed rule and length distribution), not as tensors."""
    from tpc.tasks import get_task, make_dataset

    k, n = train_config.task_size()
    seed = train_config.seed if train_config.data_seed is None else train_config.data_seed
    dataset = make_dataset(
        get_task(train_config.task),
        k=k,
        n=n,
        size=train_config.dataset_size,
        seed=seed,
        length_dist=train_config.length_dist,
    )
    return getattr(dataset, split)


def load_module(path: Path) -> Any:
    """Import an emitted Python module from its path (not via sys.path)."""
    name = "tpc_program_" + hashlib.sha1(str(path).encode()).hexdigest()[:12]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    before, sys.dont_write_bytecode = sys.dont_write_bytecode, True  # no __pycache__ in programs/
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = before
    return module


def best_times(
    run_batch: Callable[[list], object], batch: list, passes: int
) -> tuple[float, float]:
    """The least wall and CPU seconds (this process's) of ``run_batch(batch)`` over
    ``passes`` runs."""
    wall = cpu = float("inf")
    for _ in range(passes):
        t0, c0 = time.perf_counter(), time.process_time()
        run_batch(batch)
        wall = min(wall, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu


def python_speed(
    path: Path, program: Program, task: Task, inputs: Sequence[list[str]]
) -> dict[str, float]:
    """Sequences per second of the module's ``run_batch`` on ``inputs`` (best of 5 passes),
    of wall time and of this process's CPU time (which other work on the machine does
    not inflate)."""
    from tpc.evaluate import program_view

    module = load_module(path)
    views = [program_view(program, task, s)[0] for s in inputs]
    wall, cpu = best_times(module.run_batch, views, passes=5)
    return {
        "sequences": len(views),
        "seconds": wall,
        "cpu_seconds": cpu,
        "sequences_per_second": len(views) / wall,
        "sequences_per_cpu_second": len(views) / cpu,
    }


def text_lines(files: dict[str, dict]) -> dict[str, Any]:
    """The manifest's ``lines`` of a program's checked-in files (``files``: its records)."""
    source = (ROOT / files["python"]["path"]).read_text(encoding="utf-8")
    return {
        "python_total": source.count("\n"),
        "python_code": code_lines(source),  # tpc.backends.python.code_lines
        "rasp_total": files["rasp"]["lines"] if "rasp" in files else None,
    }


def measure(entry: dict[str, Any], train_config: TrainConfig, log: Log) -> None:
    """Score the checked-in IR and time its Python module; fill ``entry`` in place."""
    from tpc.evaluate import score
    from tpc.ir import load
    from tpc.ir.printer import program_stats
    from tpc.tasks import get_task

    task = get_task(train_config.task)
    k, n = train_config.task_size()
    program = load(ROOT / entry["files"]["json"]["path"])
    entry["stats"]["program"] = program_stats(program)
    scores: dict[str, Any] = {}
    t0 = time.perf_counter()
    scores["test"] = summarize(score(program, task, split_inputs(train_config)), task, "test split")
    sample = uniform_sample(task, k, n)
    what = f"{UNIFORM_SAMPLES:,} inputs, uniform lengths, seed {UNIFORM_SEED}"
    scores["uniform"] = summarize(score(program, task, sample), task, what)
    total = task.count_inputs(k, n)
    if total <= EXHAUSTIVE_LIMIT:
        scores["exhaustive"] = summarize(
            score(program, task, task.enumerate(k, n)), task, f"all {total:,} inputs"
        )
    else:
        scores["exhaustive"] = None
    entry["scores"] = scores
    entry["timings"]["score_seconds"] = time.perf_counter() - t0
    entry["lines"] = text_lines(entry["files"])
    py = entry["files"]["python"]
    entry["speed"] = {"python": python_speed(ROOT / py["path"], program, task, sample)}
    test = scores["test"]["token_accuracy"]
    model = entry["model_accuracy"]["test"]
    entry["test_matches_model"] = abs(test - model) < 1e-9
    if not entry["test_matches_model"]:
        log(f"  note: program test accuracy {test:.6f} != model's {model:.6f}")


def paper_figures(recipe: Recipe) -> dict[str, Any]:
    """The paper's figures for this program (accuracy table by variant; Table 4 lines)."""
    if recipe.variant == "induction":
        return {"table": "text (induction)", "test_accuracy": PAPER_INDUCTION}
    from tpc.train import PAPER_TEST_ACCURACY  # Table 1

    table = PAPER_TABLE3 if recipe.variant == "rasp_categorical_only" else PAPER_TEST_ACCURACY
    out: dict[str, Any] = {
        "table": "Table 3" if table is PAPER_TABLE3 else "Table 1",
        "test_accuracy": table.get(recipe.task),
    }
    if recipe.task in PAPER_TABLE4_LINES:
        full, pruned = PAPER_TABLE4_LINES[recipe.task]
        out.update(lines_full=full, lines_pruned=pruned, lines_target=pruned // 2)
    return out


def git_revision() -> str | None:
    """``git describe --always --dirty`` of the repository, if available."""
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def make_program(recipe: Recipe, pattern: str | None, train: bool, log: Log) -> dict[str, Any]:
    """Build one program; returns its manifest entry, or ``{"skipped": reason}``."""
    from tpc.lower import LoweringError
    from tpc.train.rundir import read_config

    ranked, candidates = rank_seeds(recipe, pattern, train, log)
    for cand in candidates:
        log(f"  seed {cand.seed}: {cand.state} {cand.accuracy or ''} {cand.note}".rstrip())
    if not ranked:
        states = ", ".join(f"s{c.seed} {c.state}" for c in candidates)
        return {"skipped": f"no finished run ({states})"}
    if recipe.refine is not None:
        ranked = refine_ranked(recipe, ranked, log)
        candidates = [next((r for r in ranked if r.seed == c.seed), c) for c in candidates]
    for best in ranked:  # the best seed; the next one only if its model cannot be lowered
        log(
            f"  chosen: seed {best.seed} ({display_path(best.run_dir)}, val {best.accuracy['val']:.4f})"
        )
        t0 = time.perf_counter()
        try:
            result, level, notes, tmp = compile_program(
                best.run_dir, recipe.task, recipe.level, log
            )
            break
        except LoweringError as exc:  # a property of this model: recorded, next seed
            best.note = f"not compiled: {type(exc).__name__}: {exc}"
            if best is ranked[-1]:
                raise
            log(f"  seed {best.seed} cannot be lowered; trying the next best seed")
    train_config, _ = read_config(best.run_dir)
    dest = ROOT / recipe.dir
    try:
        files, not_written = install_files(result, recipe.task, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    compile_seconds = time.perf_counter() - t0
    entry: dict[str, Any] = {
        "key": recipe.key,
        "variant": recipe.variant,
        "task": recipe.task,
        "k": train_config.task_size()[0],
        "n": train_config.task_size()[1],
        "recipe": recipe.to_json(),
        "train_command": "tpc train "
        + " ".join(train_arguments(recipe, best.seed, recipe.run_dir(best.seed, pattern))),
        "train_config": train_config.to_dict(),
        "seed": best.seed,
        **(
            {
                "refine_command": "tpc refine "
                + " ".join(
                    refine_arguments(recipe, recipe.run_dir(best.seed, pattern), best.run_dir)
                ),
                "refine": best.refined,
            }
            if best.refined is not None
            else {}
        ),
        "seed_rule": SEED_RULE + ("; " + REFINED_SEED_RULE if recipe.refine is not None else ""),
        "candidates": {str(c.seed): c.to_json() for c in candidates},
        "run_dir": display_path(best.run_dir),
        "model_accuracy": best.refined["accuracy"] if best.refined else best.accuracy,
        "level": level,
        "level_notes": notes.get("failed_levels", {}),
        "files": files,
        "not_written": not_written,
        "rasp_reads": {
            "vocab": list(result.program.vocab),
            "max_len": result.program.max_len,
            "output": result.program.output,
        },
        "stats": {"lowered": result.lowered_stats, "optimized": result.optimized_stats},
        "verification": [r.summary() for r in result.reports],
        "verified_on": result.inputs,
        "timings": {
            "lower_seconds": result.seconds.get("lower"),
            "optimize_seconds": result.seconds.get("optimize"),
            "emit_seconds": result.seconds.get("emit"),
            "compile_wall_seconds": notes["wall_seconds"],
            "total_compile_seconds": compile_seconds,
        },
        "paper": paper_figures(recipe),
        "tpc_revision": git_revision(),
        "generated": datetime.date.today().isoformat(),
    }
    for target, reason in not_written.items():
        log(f"  not written: {target}: {reason}")
    measure(entry, train_config, log)
    return entry


# ---- report pages (tpc report) -----------------------------------------------------------------


def report_path(entry: dict[str, Any]) -> Path:
    """Where a program's report page goes: beside its IR, ``TASK.report.html``."""
    ir = ROOT / entry["files"]["json"]["path"]
    return ir.with_name(ir.name.removesuffix(".tpir.json") + ".report.html")


def write_report(entry: dict[str, Any], log: Log) -> Path | None:
    """Write the report page of a checked-in program (:func:`tpc.draw.report.build_report`:
    its scores on its task, Python, IR graph, attention on counterexamples; with the run's
    soft attention and training curves when its run directory is here). A failure is
    logged and leaves no file: the page is an extra, not part of the manifest."""
    from tpc.draw.report import build_report
    from tpc.draw.training import read_curves
    from tpc.errors import TpcError
    from tpc.fileio import write_atomic
    from tpc.ir import load
    from tpc.tasks import get_task
    from tpc.train import load_run

    path = report_path(entry)
    t0 = time.perf_counter()
    try:
        program = load(ROOT / entry["files"]["json"]["path"])
        run_dir = ROOT / entry.get("run_dir", "")
        run = curves = None
        if entry.get("run_dir") and (run_dir / "results.json").is_file():
            run, curves = load_run(run_dir), read_curves(run_dir, entry["key"])
        page = build_report(
            program,
            title=entry["key"],
            run=run,
            curves=curves,
            task=get_task(entry["task"]),
            k=entry["k"],
            n=entry["n"],
        )
        write_atomic(path, page)
    except (TpcError, OSError) as exc:
        log(f"  report not written: {type(exc).__name__}: {clip(str(exc))}")
        return None
    log(
        f"  report: {display_path(path)} ({path.stat().st_size:,} bytes, "
        f"{time.perf_counter() - t0:.1f} s{', with the run' if run else ''})"
    )
    return path


def write_reports(
    args: argparse.Namespace, recipes: list[Recipe], manifest: dict[str, Any], log: Log
) -> int:
    """``--reports``: the report page of every selected checked-in program, from its IR."""
    keys = {r.key for r in select(recipes, args.only, args.variant)}
    failed = 0
    for entry in manifest["programs"]:
        if entry["key"] in keys:
            log(entry["key"])
            failed += write_report(entry, log) is None
    return 1 if failed else 0


# ---- re-emitting from the checked-in IR (--reemit) ------------------------------------------


def check_inputs(task: Task, k: int, n: int) -> tuple[list[list[str]], str]:
    """The task inputs ``--reemit`` checks back-end texts on, and how to say what they are:
    every input when there are at most :data:`REEMIT_EXHAUSTIVE_LIMIT`, else the uniform
    sample the manifest scores."""
    total = task.count_inputs(k, n)
    if total <= REEMIT_EXHAUSTIVE_LIMIT:
        return list(task.enumerate(k, n)), f"all {total:,} inputs"
    what = f"{UNIFORM_SAMPLES:,} inputs, uniform lengths, seed {UNIFORM_SEED} (of {total:,})"
    return uniform_sample(task, k, n), what


def reemit_program(entry: dict[str, Any], log: Log) -> dict[str, Any] | None:
    """Re-emit one program's back-end files from its checked-in IR (see the module doc).

    Returns the updated manifest entry, or ``None`` when every file already is what the
    back ends emit. Raises (writing nothing) when the IR changed since the manifest, a back
    end fails or an emitted text disagrees with the interpreter.
    """
    from tpc.backends import emit
    from tpc.errors import TpcError
    from tpc.evaluate import program_view
    from tpc.fileio import write_atomic
    from tpc.ir import load
    from tpc.tasks import get_task
    from tpc.verify import RUNNABLE_BACKENDS, backend_runner, compare_outputs

    ir = entry["files"]["json"]
    ir_path = ROOT / ir["path"]
    if sha256(ir_path) != ir["sha256"]:
        raise TpcError(f"{ir['path']} is not the IR the manifest lists: rerun `make programs`")
    program = load(ir_path)
    t0 = time.perf_counter()
    texts = {target: emit(program, target) for target in entry["files"] if target != "json"}
    emit_seconds = time.perf_counter() - t0
    paths = {target: ROOT / entry["files"][target]["path"] for target in texts}
    changed = [t for t, text in texts.items() if paths[t].read_bytes() != text.encode("utf-8")]
    log(
        f"  emitted {', '.join(texts)} ({emit_seconds:.1f} s); "
        f"changed: {', '.join(changed) or 'none'}"
    )
    if not changed:
        return None
    if "dot" in changed and len(texts["dot"].encode("utf-8")) > DOT_MAX_BYTES:
        log(f"  note: the .dot is now over {DOT_MAX_BYTES:,} bytes; `make programs` would drop it")

    task, k, n = get_task(entry["task"]), entry["k"], entry["n"]
    checked = [t for t in RUNNABLE_BACKENDS if t in changed]
    reports, what = [], "no runnable back end changed"
    if checked:
        t0 = time.perf_counter()
        inputs, what = check_inputs(task, k, n)
        views = [program_view(program, task, s)[0] for s in inputs]
        for name in checked:
            runner = backend_runner(program, name, texts[name])
            reports.append(compare_outputs(f"IR vs {name}", program, views, runner))
            log(f"  {reports[-1].summary()}")
        failed = [r for r in reports if not r.ok]
        for r in failed:
            for d in r.disagreements:
                log(f"    {r.what}: {d}")
        if failed:
            raise TpcError(
                f"{', '.join(r.what for r in failed)} disagree: nothing written for {entry['key']}"
            )
        log(f"  checked on {what} ({time.perf_counter() - t0:.1f} s)")
    unchecked = [t for t in changed if t not in checked]
    if unchecked:
        log(f"  not run (tpc.verify has no runner for them): {', '.join(unchecked)}")

    new = copy.deepcopy(entry)
    for target in changed:
        write_atomic(paths[target], texts[target])
    for target, text in texts.items():
        new["files"][target] = file_record(paths[target], text)
    new["lines"] = text_lines(new["files"])
    if "python" in changed:
        sample = uniform_sample(task, k, n)
        new["speed"] = {"python": python_speed(paths["python"], program, task, sample)}
        speed = "re-timed (the Python module changed)"
    else:
        speed = "kept (the Python module did not change)"
    new["reemit"] = {
        "command": "make programs ARGS=--reemit",
        "generated": datetime.date.today().isoformat(),
        "tpc_revision": git_revision(),
        "changed": changed,
        "verification": [r.summary() for r in reports],
        "verified_on": what,
        "not_run": unchecked,
        "notes": (
            "back-end files re-emitted from the checked-in IR without a run; the IR, its "
            f"scores and stats are unchanged; Python speed {speed}; the entry's `verification` "
            "is the compile-time check of the texts emitted then"
        ),
    }
    py_lines = new["lines"]
    log(
        f"  wrote {', '.join(changed)}; Python {entry['lines']['python_total']} -> "
        f"{py_lines['python_total']} lines ({entry['lines']['python_code']} -> "
        f"{py_lines['python_code']} code lines); speed {speed}"
    )
    return new


def reemit(
    args: argparse.Namespace, recipes: list[Recipe], manifest: dict[str, Any], log: Log
) -> int:
    """``--reemit``: every selected manifest entry through :func:`reemit_program`; the
    manifest is rewritten after each changed program, the README at the end."""
    t_start = time.perf_counter()
    keys = {r.key for r in select(recipes, args.only, args.variant)}
    programs = manifest["programs"]
    failures: list[str] = []
    changed = 0
    for i, entry in enumerate(programs):
        if (args.only or args.variant) and entry["key"] not in keys:
            continue
        log(entry["key"])
        try:
            new = reemit_program(entry, log)
        except Exception as exc:  # noqa: BLE001 -- report, keep the entry and its files, go on
            traceback.print_exc()
            failures.append(f"{entry['key']}: {type(exc).__name__}: {exc}")
            continue
        if new is not None:
            programs[i] = new
            changed += 1
            write_outputs(manifest)  # an interrupted run keeps files and manifest in step
    write_outputs(manifest)
    log(f"re-emitted {changed} program(s) in {time.perf_counter() - t_start:.0f} s")
    for failure in failures:
        log(f"FAILED {failure}")
    return 1 if failures else 0


# ---- manifest and README -----------------------------------------------------------------


def read_manifest(path: Path = MANIFEST) -> dict[str, Any]:
    """The manifest, or an empty one."""
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"format": MANIFEST_FORMAT, "programs": [], "missing": []}


def pct(x: float | None, digits: int = 2) -> str:
    """``x`` in percent; an imperfect score never shows as 100 (more digits instead)."""
    if x is None:
        return "–"
    text = f"{100 * x:.{digits}f}"
    while x < 1 and float(text) >= 100 and digits < 6:
        digits += 1
        text = f"{100 * x:.{digits}f}"
    return text


def config_text(cfg: dict[str, Any]) -> str:
    """``3L 4+4h 1+1m``: layers, categorical+numerical heads per layer, MLPs per layer;
    `` r2`` when the readout reads 2 learned variables (``--readout-vars``); `` w`` when
    trained under a fixed wiring (``--wiring``)."""
    readout = f" r{cfg['readout_vars']}" if cfg.get("readout_vars") else ""
    wired = " w" if cfg.get("wiring") else ""
    return (
        f"{cfg['n_layers']}L {cfg['n_heads_cat']}+{cfg['n_heads_num']}h "
        f"{cfg['n_cat_mlps']}+{cfg['n_num_mlps']}m{readout}{wired}"
    )


def render_readme(manifest: dict[str, Any]) -> str:
    """``programs/README.md``, a pure function of the manifest."""
    programs = manifest["programs"]
    rule = manifest.get("rules") or rules()
    uniform = rule["uniform_sample"]
    out = [
        "# Learned programs",
        "",
        "<!-- generated by `make programs` (scripts/make_programs.py) from manifest.json — do not edit -->",
        "",
        "Transformer Programs trained with tpc, lowered, optimised and emitted: each directory "
        "holds `TASK.tpir.json` (the IR), `TASK.py` (standalone Python, standard library only, "
        "`run(tokens)` / `run_batch(batch)`; inputs start with `<s>`, and for reverse/sort end "
        "with `</s>`) and `TASK.rasp` (RASP text reading the whole input; its header gives the "
        "vocabulary and length) when the RASP back end can write it. `manifest.json` holds every "
        "figure below, the recipe, the training command and the sha256 of each file; "
        "`recipes.json` says how each program is made; `tests/test_programs.py` checks that the "
        "files still score what this table says. `rasp_handwritten/` holds hand-written RASP.",
        "",
        f"Seed: {rule['seed']}, among the candidate seeds of the recipe that have finished. "
        f"Config: layers, categorical+numerical heads per layer, categorical+numerical MLPs per "
        f"layer (rN: a readout of N learned variables; w: trained under the fixed wiring "
        f"`TASK.wiring.json` of its directory, found by `tpc search-wiring`; +refine: the trained run "
        f"refined by `tpc refine` (readout repair, discrete search, counterexample rounds), its command in the manifest; "
        f"refinement sees every input up to N, so its test accuracy is no longer held out). Accuracies are token accuracy in % over "
        f"scored positions (sequence accuracy in brackets): *test* on the run's test split (the paper's metric), *uniform* on "
        f"{uniform['samples']:,} inputs with uniformly drawn lengths (seed {uniform['seed']}), "
        f"*all inputs* on every input up to N where there are at most "
        f"{rule['exhaustive_limit']:,}; *exact on the domain*: whether the program is right on "
        f"every one of those inputs (else how many it gets wrong), *not checked* where there "
        f"are more. Lines: `wc -l` of the Python module / code lines "
        f"({rule['code_lines']}); paper: Table 4, "
        f"full / pruned (target: half the pruned). Speed: the module's `run_batch` on the "
        f"uniform sample, sequences per second of wall time / of CPU time (a busy 2-core "
        f"machine stretches wall time, not CPU time).",
        "",
        "| program | config | seed | level | test (paper) | uniform | all inputs | exact on the domain | Python lines (paper; target) | RASP lines | nodes / heads | seq/s (wall / CPU) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for e in programs:
        s = e["scores"]
        paper = e["paper"]
        ex = s.get("exhaustive")
        # seeds in numeric order (the manifest's JSON keys come back sorted as text)
        candidates = sorted(e["candidates"].items(), key=lambda kc: int(kc[0]))
        seeds = [k for k, c in candidates if c["state"] == "finished"]
        failed = [
            f"s{k} not compilable"
            for k, c in candidates
            if c.get("note", "").startswith("not compiled")
        ]
        paper_lines = (
            f" ({paper['lines_full']}/{paper['lines_pruned']}; ≤{paper['lines_target']})"
            if "lines_full" in paper
            else ""
        )
        rasp = str(e["lines"]["rasp_total"]) if e["lines"].get("rasp_total") else "not written"
        stats = e["stats"]["program"]
        paper_acc = paper.get("test_accuracy")
        out.append(
            "| "
            + " | ".join(
                [
                    f"[{e['key']}]({Path(e['files']['python']['path']).parent.relative_to('programs')}/)",
                    config_text(e["train_config"]) + (" +refine" if e.get("refine") else ""),
                    f"{e['seed']} (of {','.join(seeds)}{'; ' if failed else ''}{', '.join(failed)})",
                    f"-{e['level']}",
                    f"{pct(s['test']['token_accuracy'])} ({'–' if paper_acc is None else f'{paper_acc:.2f}'})",
                    f"{pct(s['uniform']['token_accuracy'])} [{pct(s['uniform']['sequence_accuracy'], 1)}]",
                    f"{pct(ex['token_accuracy'])} [{pct(ex['sequence_accuracy'], 1)}]"
                    if ex
                    else "too many",
                    exactness_text(ex),
                    f"{e['lines']['python_total']} / {e['lines']['python_code']}{paper_lines}",
                    rasp,
                    f"{stats['nodes']} / {stats['heads']}",
                    speed_text(e["speed"]["python"]),
                ]
            )
            + " |"
        )
    lengths = sorted({int(n) for e in programs for n in per_length(e)}, key=int)
    out += [
        "",
        "## Token accuracy by content length",
        "",
        "Over every input of that length where enumerable, else over the uniform sample (`*`); "
        "content length excludes `<s>`/`</s>`.",
        "",
        "| program | " + " | ".join(str(n) for n in lengths) + " |",
        "|---|" + "---|" * len(lengths),
    ]
    for e in programs:
        rows = per_length(e)
        star = "" if e["scores"].get("exhaustive") else "*"
        cells = [
            pct(rows[str(n)]["token_accuracy"]) + star if str(n) in rows else "" for n in lengths
        ]
        out.append(f"| {e['key']} | " + " | ".join(cells) + " |")
    out += ["", "## Compilation", ""]
    out += [
        "| program | run | level (failed levels) | not written | compile s (lower / opt / emit; with verification) |",
        "|---|---|---|---|---|",
    ]
    for e in programs:
        t = e["timings"]
        failed = "; ".join(f"-{lvl}: {why}" for lvl, why in e["level_notes"].items())
        skipped = "; ".join(f"{t_}: {why}" for t_, why in e["not_written"].items())
        out.append(
            f"| {e['key']} | `{e['run_dir']}` | -{e['level']}{' (' + clip(failed) + ')' if failed else ''} "
            f"| {clip(skipped) or '–'} | {t['lower_seconds']:.1f} / {t['optimize_seconds']:.1f} / "
            f"{t['emit_seconds']:.1f}; {t['total_compile_seconds']:.0f} |"
        )
    out += short_of_exact(programs)
    missing = manifest.get("missing", [])
    if missing:
        out += ["", "## Not generated yet", ""]
        out += [f"- `{m['key']}`: {m['reason']}" for m in missing]
    return "\n".join(out) + "\n"


def short_of_exact(programs: list[dict[str, Any]]) -> list[str]:
    """README lines for the programs not exact on their domain (or not checked on all of
    it): how far, a few counterexamples, the refinement's result and what else was tried
    (the recipe's ``tried``)."""
    tried = {recipe.key: recipe.tried for recipe in load_recipes()}
    out = [
        "",
        "## Short of exact",
        "",
        "Programs that are not right on every input of their domain, or whose domain is too "
        "large to check whole; counterexamples are the first wrong inputs in enumeration "
        "order (of the uniform sample where the domain is not enumerated), with the "
        "program's output and the task's.",
        "",
    ]
    for e in programs:
        scores = e["scores"]
        checked = scores.get("exhaustive")
        if checked and checked["sequences"] == checked["sequences_right"]:
            continue
        where = checked or scores["uniform"]
        wrong = where["sequences"] - where["sequences_right"]
        what = "all inputs up to N" if checked else "a uniform sample; too many inputs to check all"
        line = f"- **{e['key']}**: {wrong:,} of {where['sequences']:,} inputs wrong ({what})."
        examples = "; ".join(
            f"`{c['input']}` gives `{c['got']}`, wants `{c['want']}`"
            for c in where["counterexamples"]
        )
        if examples:
            line += f" For example {examples}."
        refine = e.get("refine")
        if refine:
            line += f" `{e['refine_command']}` left {refine['wrong']:,} wrong of {refine['domain']}."
        if tried.get(e["key"]):
            line += " " + tried[e["key"]]
        out.append(line)
    return out


def speed_text(speed: dict[str, float]) -> str:
    """``wall / CPU`` sequences per second (``–`` for CPU in entries measured before it was)."""
    cpu = speed.get("sequences_per_cpu_second")
    return f"{speed['sequences_per_second']:,.0f} / {'–' if cpu is None else f'{cpu:,.0f}'}"


def clip(text: str, limit: int = 160) -> str:
    """One table cell: no pipes or newlines, at most ``limit`` characters."""
    text = " ".join(text.replace("|", "/").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def per_length(entry: dict[str, Any]) -> dict[str, dict]:
    """Per content length scores: exhaustive when available, else the uniform sample."""
    scores = entry["scores"]
    return (scores.get("exhaustive") or scores["uniform"])["by_length"]


def write_outputs(manifest: dict[str, Any]) -> None:
    """Write manifest.json and README.md atomically."""
    from tpc.fileio import write_atomic

    write_atomic(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    write_atomic(README, render_readme(manifest))


# ---- main -----------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Regenerate programs/: train (if needed), compile, score, write the "
        "manifest and README."
    )
    parser.add_argument("--only", help="comma-separated tasks to regenerate (default: all)")
    parser.add_argument(
        "--variant",
        help="comma-separated variants: rasp, rasp_categorical_only, tracr, induction",
    )
    parser.add_argument(
        "--no-train", action="store_true", help="skip programs whose runs are missing"
    )
    parser.add_argument(
        "--runs-from",
        metavar="DIR_OR_PATTERN",
        help="run directories: DIR/TASK/sSEED, or a pattern with {variant}, {task}, {seed} "
        "(default: each recipe's `runs`)",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--readme-only", action="store_true", help="only rewrite README.md from manifest.json"
    )
    mode.add_argument(
        "--reemit",
        action="store_true",
        help="no runs: re-emit each program's back-end files from its checked-in IR with the "
        "current back ends, check changed Python/RASP texts against the interpreter (every "
        f"input up to {REEMIT_EXHAUSTIVE_LIMIT:,}, else the uniform sample), write them, "
        "update the manifest (hashes, lines, Python speed) and README",
    )
    mode.add_argument(
        "--reports",
        action="store_true",
        help="no runs needed: only write each selected program's report page "
        "(TASK.report.html beside its IR, tpc report's page)",
    )
    parser.add_argument(
        "--no-reports",
        action="store_true",
        help="do not write a report page beside each regenerated program",
    )
    args = parser.parse_args(argv)
    if args.reemit and (args.runs_from or args.no_train):
        parser.error("--reemit reads no runs: --runs-from and --no-train do not apply")
    return args


def runs_pattern(value: str | None) -> str | None:
    """``--runs-from``: a pattern as given, or a directory ``DIR`` meaning ``DIR/{task}/s{seed}``."""
    if value is None or "{" in value:
        return value
    return str(Path(value) / "{task}" / "s{seed}")


def select(recipes: list[Recipe], only: str | None, variants: str | None) -> list[Recipe]:
    """The recipes ``--only``/``--variant`` ask for (unknown names are an error)."""
    chosen = recipes
    for value, attr in ((only, "task"), (variants, "variant")):
        if value:
            names = [v for v in value.split(",") if v]
            known = {getattr(r, attr) for r in recipes}
            unknown = [v for v in names if v not in known]
            if unknown:
                raise SystemExit(
                    f"unknown {attr}(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
                )
            chosen = [r for r in chosen if getattr(r, attr) in names]
    return chosen


@contextlib.contextmanager
def exclusive(path: Path = LOCK) -> Iterator[None]:
    """Hold an advisory lock on ``path`` (or exit when another run holds it)."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SystemExit(
                f"another make_programs.py is running ({display_path(path)})"
            ) from None
        yield


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with exclusive():
        return regenerate(args)


def regenerate(args: argparse.Namespace) -> int:
    """Regenerate the programs ``args`` select; rewrite the manifest and README."""
    log: Log = lambda msg: print(msg, flush=True)  # noqa: E731
    recipes = load_recipes()
    manifest = read_manifest()
    if args.readme_only:
        write_outputs(manifest)
        return 0
    if args.reemit:
        return reemit(args, recipes, manifest, log)
    if args.reports:
        return write_reports(args, recipes, manifest, log)
    entries = {e["key"]: e for e in manifest["programs"]}
    missing = {m["key"]: m["reason"] for m in manifest.get("missing", [])}
    failures: list[str] = []
    pattern = runs_pattern(args.runs_from)
    for recipe in select(recipes, args.only, args.variant):
        log(f"{recipe.key}")
        try:
            entry = make_program(recipe, pattern, not args.no_train, log)
        except Exception as exc:  # noqa: BLE001 -- report, keep the old entry, go on
            traceback.print_exc()
            failures.append(f"{recipe.key}: {type(exc).__name__}: {exc}")
            missing[recipe.key] = f"failed: {type(exc).__name__}: {clip(str(exc))}"
            continue
        if "skipped" in entry:
            log(f"  skipped: {entry['skipped']}")
            if recipe.key not in entries:
                missing[recipe.key] = entry["skipped"]
            continue
        entries[recipe.key] = entry
        missing.pop(recipe.key, None)
        log(
            f"  {recipe.key}: -{entry['level']}, test {pct(entry['scores']['test']['token_accuracy'])}%, "
            f"uniform {pct(entry['scores']['uniform']['token_accuracy'])}%, "
            f"{entry['lines']['python_total']} lines, "
            f"{entry['timings']['total_compile_seconds']:.0f} s to compile"
        )
        if not args.no_reports:
            write_report(entry, log)
        # The manifest is rewritten after every program, so an interrupted run keeps its work.
        write_outputs(assemble(recipes, entries, missing))
    for recipe in recipes:
        if recipe.key not in entries:
            missing.setdefault(recipe.key, "not generated yet")
    write_outputs(assemble(recipes, entries, missing))
    for failure in failures:
        log(f"FAILED {failure}")
    return 1 if failures else 0


def rules() -> dict[str, Any]:
    """How the figures are made (recorded in the manifest; the README quotes it)."""
    return {
        "seed": SEED_RULE,
        "uniform_sample": {"samples": UNIFORM_SAMPLES, "seed": UNIFORM_SEED},
        "exhaustive_limit": EXHAUSTIVE_LIMIT,
        "code_lines": CODE_LINES_RULE,
        "fallback_level": FALLBACK_LEVEL,
    }


def assemble(recipes: list[Recipe], entries: dict[str, dict], missing: dict[str, str]) -> dict:
    """The manifest: entries in recipe order, then any left over from removed recipes."""
    order = [r.key for r in recipes]
    programs = [entries[k] for k in order if k in entries]
    programs += [e for k, e in entries.items() if k not in order]
    return {
        "format": MANIFEST_FORMAT,
        "generated_by": "make programs (scripts/make_programs.py)",
        "rules": rules(),
        "programs": programs,
        "missing": [
            {"key": k, "reason": missing[k]} for k in order if k in missing and k not in entries
        ],
    }


if __name__ == "__main__":
    sys.exit(main())
