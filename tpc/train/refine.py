"""Counterexample-guided refinement of a trained Transformer Program (``tpc refine``).

A trained program fits its training distribution; refinement makes it right on every input
of its task's domain, or as close as a budget allows, and keeps model = program: every
change is a change of the model's weights, so lowering and ``tpc verify`` see it.

**Domain.** Every input up to the run's length N when the task has at most ``max_inputs``
(and :data:`~tpc.tasks.base.MAX_ENUMERATED`) of them (:meth:`tpc.tasks.Task.enumerate`),
else ``samples`` random inputs from each of the task's check distributions
(:meth:`tpc.tasks.Task.check_dists`: the length distributions ``reference`` and
``uniform``; for Dyck, whose length is fixed, the generator's strings, random strings and
random walks over valid prefixes), seeded 0, 1, ...: a sample is a check, not a proof,
and the record says which it was. An input is *wrong* when the
discrete model's prediction differs from the task's label at any scored position.

**Readout repair** (:func:`tpc.train.readout_repair.repair_readout`): the readout that
puts the most of the domain right, a linear program over the distinct residual rows; rows
whose positions want different labels (*conflicts*) are beyond any readout.

**Discrete search** (:func:`tpc.train.discrete_repair.search_step`): while inputs stay
wrong, up to ``search_steps`` times, the one change of a head predicate, a head's read or
a categorical MLP's table entry (written back as weights) that leaves the fewest inputs
wrong after a readout repair, if it leaves fewer than before (judged without a readout
repair per move when the round's readout repair gained nothing). Heads read other positions,
so this is what can settle a conflict.

**Counterexample rounds.** While inputs stay wrong, each round fine-tunes the relaxed
model for ``epochs`` epochs on the run's training split plus ``copies`` copies of every
wrong domain input, at a temperature falling from ``tau`` to ``tau / 10`` (geometric) with
learning rate ``lr``. After each epoch the discrete model is checked on the domain; the
round keeps the weights (its start included) with the fewest inputs on conflicting rows,
then the fewest wrong. A readout repair and the discrete search follow, and a round that
ends with no fewer wrong inputs than it started with is undone, so no round makes the
program worse. Round 0 is the readout repair and the search alone. Rounds stop when no
input is wrong, after ``rounds`` rounds, or past ``seconds`` of wall time (checked
between steps). (Measured so far, README "Exact on every input": no fine-tuning round has
removed a conflict; the discrete search has.)

The refined run is a new run directory: the source's configuration, the refined weights,
``results.json`` (accuracy on the run's own splits, as the paper reports, plus
``refine``: the domain, each round's wrong inputs and time, and whether the program is
exact on the domain), the source's metrics, and ``refine.jsonl`` (one row per round).
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor

from tpc.errors import TpcError
from tpc.fileio import make_output_dir
from tpc.model import TransformerProgram
from tpc.tasks import get_task
from tpc.tasks.base import MAX_ENUMERATED
from tpc.train.data import Split, TaskData, load_data, task_split
from tpc.train.discrete_repair import search_step, standing
from tpc.train.interrupts import deferred_interrupts
from tpc.train.loop import Trainer, accuracy, check_new_run_dir, flush_denormals
from tpc.train.readout_repair import repair_readout, saved_state, wrong_inputs
from tpc.train.rundir import (
    METRICS,
    WIRING,
    Run,
    load_run,
    write_config,
    write_final,
    write_jsonl,
)

REFINE_LOG = "refine.jsonl"
MAX_INPUTS = 2_000_000  # a domain up to this many inputs is checked whole
SAMPLES = 200_000  # else this many inputs per check distribution

Log = Callable[[str], None]


@dataclass(frozen=True)
class Domain:
    """The inputs a refinement checks, as a :class:`Split`, and what they are."""

    split: Split
    what: str
    exhaustive: bool


@dataclass(frozen=True)
class RefineOptions:
    """The knobs of :func:`refine` (see the module docstring)."""

    rounds: int = 3
    search_steps: int = 8
    epochs: int = 8
    copies: int = 8
    lr: float = 0.01
    tau: float = 0.1
    seconds: float | None = None
    max_inputs: int = MAX_INPUTS
    samples: int = SAMPLES
    margin: float = 0.1


def task_domain(run: Run, max_inputs: int = MAX_INPUTS, samples: int = SAMPLES) -> Domain:
    """The domain of ``run``'s task at its k and N (module docstring); TpcError for a
    corpus run, whose inputs have no domain to enumerate."""
    config = run.train
    if config.is_corpus():
        raise TpcError(f"refine needs a synthetic task; {config.task} is a corpus")
    task = get_task(config.task)
    k, n = config.task_size()
    total = task.count_inputs(k, n)
    if total <= min(max_inputs, MAX_ENUMERATED):
        seqs = list(task.enumerate(k, n))
        what = f"all {total:,} inputs up to length {n}"
        return Domain(task_split(task, seqs, k, n), what, True)
    vocab = task.input_vocab(k)
    dists = task.check_dists()
    samples = min(samples, MAX_ENUMERATED // len(dists))  # the inputs are held in memory
    seqs = []
    for seed, dist in enumerate(dists):
        ids = task.sample_check_ids(np.random.default_rng(seed), samples, k, n, dist)
        seqs += [[vocab[i] for i in row if i != 0] for row in ids]
    what = (
        f"{len(seqs):,} sampled inputs ({samples:,} per input distribution: "
        f"{', '.join(dists)}) of {total:,} up to length {n}"
    )
    return Domain(task_split(task, seqs, k, n), what, False)


def finetune(
    model: TransformerProgram,
    run: Run,
    data: TaskData,
    domain: Split,
    wrong: Tensor,
    options: RefineOptions,
) -> None:
    """One counterexample round of gradient training (module docstring): leaves the
    model with the weights of the epoch (or the start) with the fewest domain inputs
    that no readout can make right, then the fewest wrong."""
    rows = wrong.nonzero().squeeze(1).repeat(options.copies)
    train = data.train
    mixed = Split(
        torch.cat([train.ids, domain.ids[rows]]),
        torch.cat([train.lengths, domain.lengths[rows]]),
        torch.cat([train.labels, domain.labels[rows]]),
    )
    config = dataclasses.replace(
        run.train,
        epochs=options.epochs,
        lr=options.lr,
        tau_start=options.tau,
        tau_end=options.tau / 10,
        tau_schedule="geomspace",
    )
    trainer = Trainer(config, dataclasses.replace(data, train=mixed), model)
    best = standing(model, domain)[0]
    best_state = saved_state(model)
    with flush_denormals():
        for _ in range(options.epochs):
            trainer.train_epoch()
            now = standing(model, domain)[0]
            if now <= best:
                best = now
                best_state = saved_state(model)
    model.load_state_dict(best_state)


def refine(
    run_dir: str | Path, out_dir: str | Path, options: RefineOptions, log: Log = lambda _: None
) -> dict[str, Any]:
    """Refine the finished run ``run_dir`` into the new run directory ``out_dir`` (module
    docstring) and return the new run's results. Ctrl-C ends the current round early and
    writes the best weights found so far."""
    check_new_run_dir(out_dir)
    run = load_run(run_dir)
    model = run.model
    if not isinstance(model, TransformerProgram):
        raise TpcError(f"{run_dir} holds a standard Transformer, not a program")
    domain = task_domain(run, options.max_inputs, options.samples)
    data = load_data(run.train)
    start = time.perf_counter()
    log(f"domain: {domain.what}")
    wrong = wrong_inputs(model, domain.split)
    rounds = [{"round": 0, "step": "trained", "wrong": int(wrong.sum()), "seconds": 0.0}]
    log(f"round 0: {int(wrong.sum()):,} wrong")
    interrupted = False
    best, best_state = wrong, saved_state(model)  # what Ctrl-C goes back to
    try:
        for number in range(options.rounds + 1):
            if not wrong.any():
                break
            before, saved = wrong, saved_state(model)
            if number:
                finetune(model, run, data, domain.split, wrong, options)
                wrong = wrong_inputs(model, domain.split)
                rounds.append(_round(number, "finetune", wrong, start))
                log(f"round {number}: fine-tuned, {int(wrong.sum()):,} wrong")
            repair = repair_readout(model, domain.split, options.margin)
            wrong = repair.wrong
            row = _round(number, "readout", wrong, start)
            row.update(conflicts=repair.conflicts, rows=repair.rows, kept=repair.kept)
            rounds.append(row)
            if repair.rows:
                log(
                    f"round {number}: readout repair ({repair.conflicts:,} conflicting of "
                    f"{repair.rows:,} residuals), {int(wrong.sum()):,} wrong"
                )
            else:
                log(f"round {number}: no readout repair (the readout reads --readout-vars slots)")
            for _ in range(options.search_steps):
                if wrong.sum() < best.sum():
                    best, best_state = wrong, saved_state(model)
                if not wrong.any() or _spent(options, start):
                    break
                found = search_step(model, domain.split, options.margin, repair.kept)
                if found is None:
                    log(f"round {number}: no discrete move leaves fewer inputs wrong")
                    break
                model.load_state_dict(found[0].state_dict())
                wrong = wrong_inputs(model, domain.split)
                move = found[1].move.describe(model)
                rounds.append({**_round(number, "search", wrong, start), "move": move})
                log(f"round {number}: {move}, {int(wrong.sum()):,} wrong")
            if number and wrong.sum() >= before.sum():  # the round gained nothing: undo it
                model.load_state_dict(saved)
                wrong = before
                rounds.append(_round(number, "undone", wrong, start))
                log(f"round {number}: no fewer inputs wrong, undone")
            if wrong.sum() < best.sum():
                best, best_state = wrong, saved_state(model)
            if _spent(options, start):
                break
    except KeyboardInterrupt:  # back to the best weights so far
        interrupted = True
        model.load_state_dict(best_state)
        wrong = best
    record = {"options": dataclasses.asdict(options), "interrupted": interrupted}
    return _write(run, Path(out_dir), data, domain, wrong, rounds, record, start)


def _spent(options: RefineOptions, start: float) -> bool:
    return options.seconds is not None and time.perf_counter() - start > options.seconds


def _round(number: int, step: str, wrong: Tensor, start: float) -> dict[str, Any]:
    return {
        "round": number,
        "step": step,
        "wrong": int(wrong.sum()),
        "seconds": round(time.perf_counter() - start, 2),
    }


def _write(
    run: Run,
    out: Path,
    data: TaskData,
    domain: Domain,
    wrong: Tensor,
    rounds: list[dict[str, Any]],
    record: dict[str, Any],
    start: float,
) -> dict[str, Any]:
    model = run.model
    results = dict(run.results)
    results["accuracy"] = {
        name: accuracy(model, getattr(data, name)) for name in ("train", "val", "test")
    }
    errors = int(wrong.sum())
    results["refine"] = {
        "source": str(run.path),
        "domain": domain.what,
        "inputs": len(domain.split),
        "exhaustive": domain.exhaustive,
        "wrong": errors,
        "exact": errors == 0,
        "source_accuracy": run.results.get("accuracy"),
        "rounds": len({row["round"] for row in rounds}) - 1,
        "seconds": round(time.perf_counter() - start, 2),
        **record,
    }
    with deferred_interrupts():
        make_output_dir(out)
        if (run.path / WIRING).is_file():
            shutil.copyfile(run.path / WIRING, out / WIRING)
        if (run.path / METRICS).is_file():
            shutil.copyfile(run.path / METRICS, out / METRICS)
        write_jsonl(out / REFINE_LOG, rounds)
        write_config(out, run.train, run.config)
        write_final(out, model.state_dict(), results)
    return results
