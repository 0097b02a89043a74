"""Training: the loop, temperature schedules, run directories and the ``tpc train`` command.

``train_run(run_dir, TrainConfig(...))`` trains and writes a run directory;
``load_run(run_dir)`` rebuilds its model (a :class:`RunError` says why it cannot).

The public names below are imported from their submodules on first use (the loop needs
torch; the command line reads only ``tpc.train.config``).
"""

from __future__ import annotations

from tpc import lazy_exports

#: Public name → the submodule that defines it.
_EXPORTS = {
    "FORMAT": "rundir",
    "PAPER_TASKS": "config",
    "PAPER_TEST_ACCURACY": "config",
    "Run": "rundir",
    "RunError": "rundir",
    "Split": "data",
    "TaskData": "data",
    "TrainConfig": "config",
    "Trainer": "loop",
    "accuracy": "loop",
    "load_data": "data",
    "load_run": "rundir",
    "model_config": "config",
    "preset_options": "config",
    "sequence_loss": "loop",
    "temperatures": "schedule",
    "train_run": "loop",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
