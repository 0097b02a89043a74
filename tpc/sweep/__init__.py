"""Sweeps: configuration grids trained on local processes or a Ray cluster (issue 19).

A spec (TOML, :mod:`~tpc.sweep.spec`) names a base configuration, axes and random draws;
:mod:`~tpc.sweep.trials` expands it into trials, each a ``tpc train`` run directory under
SWEEP_DIR (:mod:`~tpc.sweep.sweepdir`); :mod:`~tpc.sweep.run` plans and runs them on
local processes (:mod:`~tpc.sweep.local`) or Ray tasks (:mod:`~tpc.sweep.raybackend`),
every trial in a process of its own (:mod:`~tpc.sweep.worker`), with a live view
(:mod:`~tpc.sweep.events`); :mod:`~tpc.sweep.report` makes the results table and
:mod:`~tpc.sweep.compare` the best model per task across sweeps.

The public names are imported from their submodules on first use (Ray and torch load
only when a sweep runs).
"""

from __future__ import annotations

from tpc import lazy_exports

#: Public name → the submodule that defines it.
_EXPORTS = {
    "MAX_TRIALS": "spec",
    "Spec": "spec",
    "SpecError": "spec",
    "SweepError": "sweepdir",
    "Trial": "trials",
    "expand": "trials",
    "load_spec": "spec",
    "plan_sweep": "run",
    "read_sweep": "sweepdir",
    "run_sweep": "run",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
