"""Counterexample-guided refinement of a trained Transformer Program (``tpc refine``).

A trained program fits its training distribution; refinement makes it right on every input
of its task's domain, or as close as a budget allows, and keeps model = program: every
change is a change of the model's weights, so lowering and ``tpc verify`` see it.

**Domain.** Every input up to the run's length N when the task has at most ``max_inputs``
(and :data:`~tpc.tasks.base.MAX_ENUMERATED`) of them (:meth:`tpc.tasks.Task.enumerate`),
else ``samples`` random inputs from each of the task's length distributions
(``reference`` and ``uniform``, seeds 0 and 1): a sample is a check, not a proof, and the
record says which it was. An input is *wrong* when the
discrete model's prediction differs from the task's label at any scored position.

**Readout repair** (:func:`repair_readout`, discrete). The readout is linear in the
discrete residual: logit(c) = bias[c] + sum over categorical variables v of
``readout_cat[v, x_v, c]`` + sum over numerical variables u of ``x_u readout_num[u, c]``.
Over the domain's scored positions, positions with equal residuals form one row; a row
whose positions want different labels is a *conflict* that no readout can settle (the
residual does not carry the information). Every other row is fitted by subgradient descent
(Adam) on the multiclass hinge loss ``max(0, margin - (logit(label) - max other logit))``
starting from the trained weights, so that only the weights that some wrong or barely
right row reads move. The fit stops when every non-conflicting row is right by at least
half the margin, or after ``patience`` steps without fewer rows short of that; the weights
with the fewest such rows are written back (float32) and kept only if the model then gets
fewer domain inputs wrong.

**Counterexample rounds.** While inputs stay wrong, each round fine-tunes the relaxed
model for ``epochs`` epochs on the run's training split plus ``copies`` copies of every
wrong domain input, at a temperature falling from ``tau`` to ``tau / 10`` (geometric) with
learning rate ``lr``. After each epoch the discrete model is checked on the domain; the
round keeps the weights (its start included) with the fewest inputs on conflicting rows,
then the fewest wrong. A readout repair follows, and a round that ends with no fewer
wrong inputs than it started with is undone, so no round makes the program worse.
Rounds stop when no input is wrong, after ``rounds`` rounds, or past ``seconds`` of wall
time. (Measured so far, README "Exact on every input": no round has removed a conflict.)

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
from tpc.tasks import LENGTH_DISTS, get_task
from tpc.tasks.base import MAX_ENUMERATED
from tpc.train.data import Split, TaskData, load_data, task_split
from tpc.train.interrupts import deferred_interrupts
from tpc.train.loop import EVAL_BATCH, Trainer, accuracy, check_new_run_dir, flush_denormals
from tpc.train.readout_fit import Rows, fit_readout
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
SAMPLES = 200_000  # else this many inputs per length distribution

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
    samples = min(samples, MAX_ENUMERATED // len(LENGTH_DISTS))  # the inputs are held in memory
    seqs = []
    for seed, dist in enumerate(LENGTH_DISTS):
        ids = task.sample_ids(np.random.default_rng(seed), samples, k, n, dist)
        seqs += [[vocab[i] for i in row if i != 0] for row in ids]
    what = (
        f"{len(seqs):,} sampled inputs ({samples:,} per length distribution: "
        f"{', '.join(LENGTH_DISTS)}) of {total:,} up to length {n}"
    )
    return Domain(task_split(task, seqs, k, n), what, False)


@torch.inference_mode()
def wrong_inputs(model: TransformerProgram, split: Split) -> Tensor:
    """Which inputs of ``split`` the discrete model gets wrong at some scored position (bool [B])."""
    model.eval()
    out = []
    for lo in range(0, len(split), EVAL_BATCH):
        ids, lengths, labels = split.batch(lo, lo + EVAL_BATCH)
        pred = model.predict(ids, lengths)
        out.append(((pred != labels) & (labels != 0)).any(1))
    return torch.cat(out)


@dataclass(frozen=True)
class Repair:
    """The outcome of one :func:`repair_readout`: residual rows fitted, conflicting rows
    (equal residuals wanting different labels), whether the new weights were kept, and
    the domain inputs wrong afterwards (bool [B])."""

    rows: int
    conflicts: int
    kept: bool
    wrong: Tensor


@dataclass(frozen=True)
class Residuals:
    """The distinct discrete residuals at the scored positions of a split: categorical
    value indices ``cat`` [R, V], numerical values ``num`` [R, U] (float64), the labels
    wanted at each row's positions ``wanted`` (bool [R, C]), per scored position its row
    ``row`` and its input ``input``, and the inputs the model gets wrong (bool [B])."""

    cat: Tensor
    num: Tensor
    wanted: Tensor
    row: Tensor
    input: Tensor
    wrong: Tensor

    @property
    def conflicts(self) -> Tensor:
        """Rows whose positions want different labels (bool [R])."""
        return self.wanted.sum(1) > 1

    def conflicted_inputs(self) -> Tensor:
        """Inputs with a position on a conflicting row (bool [inputs]): no readout can
        make them right."""
        out = torch.zeros_like(self.wrong)
        out[self.input[self.conflicts[self.row]]] = True
        return out


@torch.no_grad()
def residuals(model: TransformerProgram, split: Split) -> Residuals:
    """The :class:`Residuals` of the discrete model on ``split``."""
    cats, nums, labels, inputs, wrong = [], [], [], [], []
    for lo in range(0, len(split), EVAL_BATCH):
        ids, lengths, batch_labels = split.batch(lo, lo + EVAL_BATCH)
        run = model.run_discrete(ids, lengths)
        scored = batch_labels != 0
        cats.append(torch.stack([run.values[v] for v in model.cat_names], -1)[scored])
        nums.append(torch.stack([run.values[v] for v in model.num_names], -1)[scored])
        labels.append(batch_labels[scored])
        inputs.append(lo + scored.nonzero()[:, 0])
        wrong.append(((run.predictions != batch_labels) & scored).any(1))
    cat, num, label = torch.cat(cats), torch.cat(nums).double(), torch.cat(labels)
    rows, row = torch.unique(torch.cat([cat.double(), num], 1), dim=0, return_inverse=True)
    wanted = torch.zeros(len(rows), len(model.config.classes), dtype=torch.bool)
    wanted[row, label] = True
    n_cat = cat.shape[1]
    return Residuals(
        rows[:, :n_cat].long(), rows[:, n_cat:], wanted, row, torch.cat(inputs), torch.cat(wrong)
    )


def repair_readout(model: TransformerProgram, domain: Split, margin: float = 0.1) -> Repair:
    """Fit the readout to the domain's labels (:func:`tpc.train.readout_fit.fit_readout`
    over the rows that do not conflict) and keep the fit if the model then gets fewer
    inputs of ``domain`` wrong. A model whose readout reads learned slots
    (``readout_vars``) is left alone (``rows`` 0)."""
    c = model.config
    found = residuals(model, domain)
    if c.readout_vars:
        return Repair(0, 0, False, found.wrong)
    conflicts, wanted = found.conflicts, found.wanted
    fit = ~conflicts
    cat, num = found.cat[fit].numpy(), found.num[fit].numpy()
    n_cat, n_num = cat.shape[1], num.shape[1]
    first_num = n_cat * c.d_var
    count = len(cat)
    rows = Rows(
        columns=np.concatenate(
            [
                cat + np.arange(n_cat) * c.d_var,
                np.broadcast_to(first_num + np.arange(n_num + 1), (count, n_num + 1)),
            ],
            1,
        ),
        values=np.concatenate([np.ones((count, n_cat)), num, np.ones((count, 1))], 1),
        labels=wanted[fit].float().argmax(1).numpy(),
        n_features=first_num + n_num + 1,
    )
    readout = _readout(model)
    start = np.concatenate(
        [w.detach().double().reshape(-1, len(c.classes)).numpy() for w in readout]
    )
    weights = fit_readout(rows, start, ~model.class_mask.numpy(), margin)
    parts = np.split(weights, [first_num, first_num + n_num])
    saved = _state(model)
    with torch.no_grad():
        for param, value in zip(readout, parts):
            param.copy_(torch.from_numpy(value).reshape(param.shape))
    wrong = wrong_inputs(model, domain)
    kept = int(wrong.sum()) < int(found.wrong.sum())
    if not kept:
        model.load_state_dict(saved)
        wrong = found.wrong
    return Repair(len(wanted), int(conflicts.sum()), kept, wrong)


def _state(model: TransformerProgram) -> dict[str, Tensor]:
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def _readout(model: TransformerProgram) -> tuple[Tensor, Tensor, Tensor]:
    return model.readout_cat, model.readout_num, model.readout_bias


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
    best = _standing(model, domain)
    best_state = _state(model)
    with flush_denormals():
        for _ in range(options.epochs):
            trainer.train_epoch()
            standing = _standing(model, domain)
            if standing <= best:
                best = standing
                best_state = _state(model)
    model.load_state_dict(best_state)


def _standing(model: TransformerProgram, domain: Split) -> tuple[int, int]:
    """What a fine-tuning epoch is judged by: the domain inputs no readout can make right
    (conflicts), then the inputs wrong."""
    found = residuals(model, domain)
    return int(found.conflicted_inputs().sum()), int(found.wrong.sum())


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
    before, saved = wrong, _state(model)
    try:
        for number in range(options.rounds + 1):
            if not wrong.any():
                break
            before, saved = wrong, _state(model)
            if number:
                finetune(model, run, data, domain.split, wrong, options)
                wrong = wrong_inputs(model, domain.split)
                rounds.append(_round(number, "finetune", wrong, start))
                log(f"round {number}: fine-tuned, {int(wrong.sum()):,} wrong")
            repair = repair_readout(model, domain.split, options.margin)
            wrong = repair.wrong
            if number and wrong.sum() >= before.sum():  # the round gained nothing: undo it
                model.load_state_dict(saved)
                wrong = before
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
            if options.seconds is not None and time.perf_counter() - start > options.seconds:
                break
    except KeyboardInterrupt:  # back to the start of the round: the best so far
        interrupted = True
        model.load_state_dict(saved)
        wrong = before
    record = {"options": dataclasses.asdict(options), "interrupted": interrupted}
    return _write(run, Path(out_dir), data, domain, wrong, rounds, record, start)


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
