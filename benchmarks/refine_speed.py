"""How fast ``tpc refine`` checks a trained program and repairs its readout.

For a finished run: the discrete model checked on every input of its domain (inputs per
second, the exhaustive checker ``tpc refine`` uses between rounds; on a domain too large
to enumerate, on its samples, with the hours every input would take at that rate), the
distinct residuals read off the domain, and one readout repair (the linear program), by
the wall clock; then a JSON line with the figures. It writes nothing.
Usage: ``python benchmarks/refine_speed.py RUN_DIR [--threads N] [--samples S]
[--no-repair]``, e.g. on the demo's run (``make demo``, then ``demo_out/run``),
``runs/paper/sort/s1`` or ``runs/paper/dyck2/s0 --samples 20000 --no-repair``.
"""

from __future__ import annotations

import argparse
import json
import time

import torch

from tpc.tasks import get_task
from tpc.train.readout_repair import repair_readout, residuals, wrong_inputs
from tpc.train.refine import SAMPLES, task_domain
from tpc.train.rundir import load_run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument(
        "--samples", type=int, default=SAMPLES, help="per check distribution, beyond 2 million"
    )
    parser.add_argument("--no-repair", action="store_true", help="only check, no linear program")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    run = load_run(args.run_dir)
    start = time.perf_counter()
    domain = task_domain(run, samples=args.samples)
    built = time.perf_counter() - start
    start = time.perf_counter()
    wrong = int(wrong_inputs(run.model, domain.split).sum())
    check = time.perf_counter() - start
    start = time.perf_counter()
    found = residuals(run.model, domain.split)
    read = time.perf_counter() - start
    rate = len(domain.split) / check
    print(f"domain: {domain.what} (labelled in {built:.1f} s)")
    print(f"check: {rate:,.0f} inputs/s ({check:.2f} s), {wrong:,} wrong")
    print(
        f"residuals: {len(found.wanted):,} distinct, {int(found.conflicts.sum()):,} conflicting ({read:.2f} s)"
    )
    task = get_task(run.train.task)
    total = task.count_inputs(*run.train.task_size())
    if not domain.exhaustive:
        print(f"every one of the {total:,} inputs at this rate: {total / rate / 3600:,.1f} hours")
    repaired, after = None, None
    if not args.no_repair:
        start = time.perf_counter()
        repair = repair_readout(run.model, domain.split)
        repaired = time.perf_counter() - start
        after = int(repair.wrong.sum())
        print(f"readout repair: {repaired:.1f} s, {after:,} wrong after")
    figures = {
        "run": args.run_dir,
        "inputs": len(domain.split),
        "check_inputs_per_second": round(rate),
        "residual_seconds": round(read, 2),
        "repair_seconds": None if repaired is None else round(repaired, 1),
        "wrong_before": wrong,
        "wrong_after": after,
        "conflicting_rows": int(found.conflicts.sum()),
        "domain_inputs": total,
        "threads": args.threads,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
