"""Time from ``tpc train`` to a program exact on its whole domain (issue 20).

For each refined run (``tpc refine SOURCE -o REFINED``): the source run's training time
and the refinement's time, both as the tools recorded them (``results.json``:
``train_seconds`` of the source, ``refine.seconds`` of the refined run; wall clock of
the processes that did the work), whether the program is exact on its domain (or how
many inputs stay wrong), and the domain. With ``--fresh TASK``, the benchmark instead runs
``tpc train TASK --preset paper --seed S`` and ``tpc refine`` itself, into a temporary
directory, and times both commands by the wall clock.

Usage:
  python benchmarks/time_to_exact.py runs/refined/rasp/sort/s1 runs/refined/rasp/hist/s1
  python benchmarks/time_to_exact.py --fresh sort --seed 1
Prints a markdown table, then one JSON line per run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def recorded(refined: Path) -> dict:
    """The figures of one refined run, from its and its source's results.json."""
    results = json.loads((refined / "results.json").read_text())
    record = results["refine"]
    source = json.loads((Path(record["source"]) / "results.json").read_text())
    return {
        "task": results["task"],
        "run": str(refined),
        "source": record["source"],
        "train_seconds": round(source["train_seconds"], 1),
        "refine_seconds": record["seconds"],
        "total_seconds": round(source["train_seconds"] + record["seconds"], 1),
        "exact": record["exact"],
        "wrong": record["wrong"],
        "domain": record["domain"],
    }


def fresh(task: str, seed: int, refine_args: list[str]) -> dict:
    """Train and refine ``task`` now (paper preset) and time both commands."""
    tpc = [sys.executable, "-c", "from tpc.cli import main; main()"]
    with tempfile.TemporaryDirectory() as tmp:
        run, refined = Path(tmp) / "run", Path(tmp) / "refined"
        start = time.perf_counter()
        train = [*tpc, "train", task, "--preset", "paper", "--seed", str(seed), "-o", str(run)]
        subprocess.run(train, check=True)
        trained = time.perf_counter() - start
        start = time.perf_counter()
        subprocess.run([*tpc, "refine", str(run), "-o", str(refined), *refine_args], check=True)
        refining = time.perf_counter() - start
        figures = recorded(refined)
    figures.update(
        run=f"fresh --seed {seed}",
        source="(temporary)",
        train_seconds=round(trained, 1),
        refine_seconds=round(refining, 1),
        total_seconds=round(trained + refining, 1),
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("refined", nargs="*", type=Path, help="refined run directories")
    parser.add_argument("--fresh", metavar="TASK", help="train and refine TASK now")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--refine-args", default="", help="extra tpc refine options")
    args = parser.parse_args()
    if not args.refined and not args.fresh:
        parser.error("give refined run directories or --fresh TASK")
    rows = [recorded(path) for path in args.refined]
    if args.fresh:
        rows.append(fresh(args.fresh, args.seed, args.refine_args.split()))
    print("| task | run | train | refine | total | exact on the domain |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        verdict = "yes" if row["exact"] else f"no ({row['wrong']:,} wrong)"
        print(
            f"| {row['task']} | {row['run']} | {row['train_seconds'] / 60:.1f} min "
            f"| {row['refine_seconds'] / 60:.1f} min | {row['total_seconds'] / 60:.1f} min "
            f"| {verdict}: {row['domain']} |"
        )
    for row in rows:
        print(json.dumps(row))


if __name__ == "__main__":
    main()
