"""Training speed on the paper's NLP tasks: seconds per epoch at ``--preset paper``.

For each task (default: conll_ner and trec, from the NLP data directory, see
:func:`tpc.tasks.default_data_dir`), the run's data and model are made as ``tpc train``
makes them (its vocabulary of 10,000 words, windows or truncation, the learned embedding
of 4 categorical variables, dropout where the preset has it). Then training steps are
timed at three points of the temperature schedule (its start, middle and end: low
temperatures cost more), each on ``--steps`` batches (a few hundred steps give a stable
per-step time, so a whole epoch need not run; an epoch with fewer steps runs whole), and
one discrete validation pass is timed. An epoch is then estimated as steps/epoch x the
mean step time + the validation pass, which is what ``tpc train`` spends per epoch
(``metrics.jsonl`` has the measured figure of real runs). Printed as a line per task and
a JSON line. Wall times are noisy on a shared machine (the load average is printed).
Usage: ``python benchmarks/nlp_train_speed.py [--tasks conll_ner,trec] [--steps 200]
[--threads 1]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import time

import torch

from tpc.train import TrainConfig, Trainer, load_data, model_config, preset_options
from tpc.train.data import Split
from tpc.train.loop import accuracy, new_model


def time_task(task: str, steps: int) -> dict:
    """The figures of one task (see the module docstring)."""
    config = TrainConfig(task=task, **preset_options("paper", task))
    start = time.perf_counter()
    data = load_data(config)
    load_seconds = time.perf_counter() - start
    mconfig = model_config(
        config, data.input_vocab, data.classes, data.max_len, data.causal, data.pooled
    )
    model = new_model(config, data, mconfig)
    full = Trainer(config, data, model)
    steps_per_epoch = full.steps_per_epoch
    steps = min(steps, steps_per_epoch)
    # a training split of `steps` batches (a random subset), the run's full schedule
    subset = torch.randperm(len(data.train), generator=torch.Generator().manual_seed(0))
    keep = subset[: steps * config.batch_size]
    train = data.train
    small = Split(train.ids[keep], train.lengths[keep], train.labels[keep], train.trim)
    trainer = Trainer(config, dataclasses.replace(data, train=small), model)
    trainer.taus = full.taus
    per_step = []
    for point in (0, config.epochs // 2, config.epochs - 1):
        trainer.step = point * steps_per_epoch
        row = trainer.train_epoch()
        per_step.append(row["train_seconds"] / trainer.steps_per_epoch)
    start = time.perf_counter()
    accuracy(model, data.val)
    val_seconds = time.perf_counter() - start
    step = statistics.mean(per_step)
    epoch = step * steps_per_epoch + val_seconds
    return {
        "task": task,
        "train_inputs": len(data.train),
        "val_inputs": len(data.val),
        "batch_size": config.batch_size,
        "steps_per_epoch": steps_per_epoch,
        "timed_steps": 3 * steps,
        "ms_per_step": [1000 * s for s in per_step],
        "validation_seconds": val_seconds,
        "seconds_per_epoch": epoch,
        "epochs": config.epochs,
        "minutes_per_run": epoch * config.epochs / 60,
        "data_seconds": load_seconds,
        "parameters": sum(p.numel() for p in model.parameters()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", default="conll_ner,trec", help="comma-separated corpora")
    parser.add_argument("--steps", type=int, default=200, help="timed steps per point")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    rows = []
    for task in args.tasks.split(","):
        row = time_task(task, args.steps)
        rows.append(row)
        print(
            f"{task}: {row['train_inputs']:,} training inputs, batch {row['batch_size']}, "
            f"{row['steps_per_epoch']} steps/epoch, {args.threads} thread(s): "
            f"{row['seconds_per_epoch']:.1f} s/epoch (steps "
            + ", ".join(f"{ms:.1f}" for ms in row["ms_per_step"])
            + f" ms at tau start/middle/end, validation {row['validation_seconds']:.2f} s), "
            f"{row['minutes_per_run']:.1f} min for the preset's {row['epochs']} epochs"
        )
    figures = {
        "benchmark": "nlp_train_speed",
        "tasks": rows,
        "threads": args.threads,
        "load_average": os.getloadavg(),
        "torch": torch.__version__,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
