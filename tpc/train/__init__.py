"""Training: the loop, temperature schedules, run directories and the ``tpc train`` command.

``train_run(run_dir, TrainConfig(...))`` trains and writes a run directory;
``load_run(run_dir)`` rebuilds its model (a :class:`RunError` says why it cannot).
"""

from __future__ import annotations

from tpc.train.config import (
    PAPER_TASKS,
    PAPER_TEST_ACCURACY,
    TrainConfig,
    model_config,
    preset_options,
)
from tpc.train.data import Split, TaskData, load_data
from tpc.train.loop import Trainer, accuracy, sequence_loss, train_run
from tpc.train.rundir import FORMAT, Run, RunError, load_run
from tpc.train.schedule import temperatures

__all__ = [
    "FORMAT",
    "PAPER_TASKS",
    "PAPER_TEST_ACCURACY",
    "Run",
    "RunError",
    "Split",
    "TaskData",
    "TrainConfig",
    "Trainer",
    "accuracy",
    "load_data",
    "load_run",
    "model_config",
    "preset_options",
    "sequence_loss",
    "temperatures",
    "train_run",
]
