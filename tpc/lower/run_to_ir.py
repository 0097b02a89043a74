"""A training run → an IR program: the run's discrete model lowered
(:mod:`tpc.lower.structure_to_ir`), with what the run's inputs are in ``meta``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tpc.ir import Program
from tpc.ir.reading import TextReading
from tpc.lower.errors import LoweringError
from tpc.lower.structure_to_ir import lower_structure
from tpc.tasks import UNK, get_corpus

if TYPE_CHECKING:
    from tpc.train import Run, TrainConfig


def inputs_meta(train: TrainConfig) -> dict:
    """What a run's inputs are: a synthetic task's ``domain`` (every input up to N over k
    tokens), or for a corpus how raw text is read (``text``, :mod:`tpc.ir.reading`)."""
    if not train.is_corpus():
        return {"domain": dict(zip(("task", "k", "n"), (train.task, *train.task_size())))}
    reading = TextReading(
        corpus=train.task,
        kind=get_corpus(train.task).kind,
        lowercase=train.lowercase,
        replace_numbers=train.replace_numbers,
        unk=UNK,
    )
    return {"text": reading.to_meta()}


def lower_run(run: str | Path | Run) -> Program:
    """Lower the discrete model of a finished training run: a run directory, or a run
    already read with :func:`tpc.train.load_run`."""
    from tpc.model import TransformerProgram, config_to_dict, read_structure
    from tpc.train import load_run

    if isinstance(run, (str, Path)):
        run = load_run(run)
    if not isinstance(run.model, TransformerProgram):
        raise LoweringError(
            f"{run.path} holds a standard Transformer, which has no program to lower"
        )
    meta = {"source": "tpc lower", "task": run.train.task, **inputs_meta(run.train)}
    meta["model"] = config_to_dict(run.config)
    if run.results:
        meta["results"] = run.results
    return lower_structure(read_structure(run.model), meta=meta)
