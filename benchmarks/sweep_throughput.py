"""Sweep throughput: trials per hour of the paper's Table 1 sweep on this machine, with 1
and 2 local workers (``tpc sweep``, issue 19).

A full Table 1 trial trains 250 epochs (3 to 60 minutes here), so the benchmark runs a
shortened sweep, one seed of the seven RASP tasks in their paper configuration (20,000
examples) for ``--epochs`` epochs (default 2), once per worker count, and extrapolates:
each trial's wall time is split into its epochs (``metrics.jsonl``) and the rest (Python
and torch start-up, data, final evaluation); a full trial is that rest plus 250 times
its mean epoch, as measured with that many workers busy (an epoch is slower when the
other core is busy too). Trials per hour = workers x 3600 / mean full trial; the full
sweep (sweeps/paper_table1.toml: 38 trials) = its trials' full times / workers. The
first epochs run at high Gumbel temperatures and later ones at low ones, which cost more
(denormals are flushed, still): the shortened schedule anneals over its few epochs, so
its mean epoch is close to a full run's, within the noise of a shared machine (the load
average is printed).

Usage: ``python benchmarks/sweep_throughput.py [--epochs 2] [--workers 1,2]
[--tasks reverse,hist,...] [--keep DIR]``. Prints one line per worker count and a JSON
line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tpc.sweep.run import plan_sweep, run_sweep
from tpc.sweep.sweepdir import read_sessions

TASKS = ("reverse", "hist", "double_hist", "sort", "most_freq", "dyck1", "dyck2")
FULL_EPOCHS = 250
#: Trials of sweeps/paper_table1.toml per task (seeds 0-4; double_hist also 5-7).
TABLE1_TRIALS = {t: 5 for t in TASKS} | {"double_hist": 8}


def measure(tasks: list[str], epochs: int, workers: int, root: Path) -> dict:
    spec = root / f"table1_{workers}.toml"
    spec.write_text(
        f'[base]\npreset = "paper"\nepochs = {epochs}\n'
        f"[axes]\ntask = {json.dumps(tasks)}\nseed = [0]\n"
    )
    out = root / f"sweep_{workers}"
    plan = plan_sweep(spec, out)
    start = time.perf_counter()
    summary = run_sweep(plan, workers=workers, echo=lambda m: print("  " + m, file=sys.stderr))
    wall = time.perf_counter() - start
    if summary.failed or summary.done != len(tasks):
        raise SystemExit(f"the benchmark sweep did not finish: {summary.failed}")
    sessions = {s["trial"]: s for s in read_sessions(out)}
    full = {}
    for trial in plan.trials:
        rows = [
            json.loads(x) for x in (out / trial.name / "metrics.jsonl").read_text().split("\n") if x
        ]
        epoch_s = [r["seconds"] for r in rows]
        rest = sessions[trial.name]["wall"] - sum(epoch_s)
        full[trial.config["task"]] = rest + FULL_EPOCHS * statistics.mean(epoch_s)
    per_hour = workers * 3600 / statistics.mean(full.values())
    sweep_h = sum(TABLE1_TRIALS[t] * s for t, s in full.items()) / workers / 3600
    return {
        "workers": workers,
        "epochs": epochs,
        "trials": len(tasks),
        "wall_s": round(wall, 1),
        "measured_trials_per_hour": round(len(tasks) * 3600 / wall, 1),
        "full_trial_s": {t: round(s) for t, s in full.items()},
        "full_trials_per_hour": round(per_hour, 2),
        "full_table1_sweep_hours": round(sweep_h, 1) if set(tasks) == set(TASKS) else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--workers", default="1,2", help="worker counts to measure [1,2]")
    parser.add_argument("--tasks", default=",".join(TASKS))
    parser.add_argument("--keep", type=Path, help="keep the sweep directories here")
    args = parser.parse_args()
    tasks = [t for t in args.tasks.split(",") if t]
    root = args.keep or Path(tempfile.mkdtemp(prefix="tpc-sweep-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    results = []
    for workers in (int(w) for w in args.workers.split(",")):
        load = os.getloadavg()[0]
        r = measure(tasks, args.epochs, workers, root)
        r["load_before"] = round(load, 2)
        results.append(r)
        print(
            f"{workers} worker(s): {r['trials']} trials of {args.epochs} epochs in "
            f"{r['wall_s']:.0f} s ({r['measured_trials_per_hour']:.0f} trials/h); extrapolated "
            f"to {FULL_EPOCHS} epochs: {r['full_trials_per_hour']:.2f} trials/h"
            + (
                f", the Table 1 sweep (38 trials) in {r['full_table1_sweep_hours']:.1f} h"
                if r["full_table1_sweep_hours"] is not None
                else ""
            )
            + f" (load {load:.1f} before)"
        )
    print(json.dumps({"benchmark": "sweep_throughput", "cpus": os.cpu_count(), "runs": results}))
    if args.keep is None:
        import shutil

        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
