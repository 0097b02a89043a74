"""Compile time of trained runs: lower, optimise, emit Python and RASP text.

For each run directory: wall-clock and CPU seconds of ``lower_run``, ``optimize`` at the
chosen level and ``emit`` for the ``python`` and ``rasp`` back ends, in one process with
torch already imported (its import, about 2 s, is printed once, apart); then a JSON line
with the figures and the target (lower + opt + emit of the largest program under 5 s,
issue 4). Default runs: the ``programs/`` manifest's rasp programs.
Usage: ``python benchmarks/compile_time.py [RUN_DIR ...] [--level O2] [--profile]``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 5.0


def clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def since(start: tuple[float, float]) -> dict[str, float]:
    wall, cpu = clock()
    return {"wall": round(wall - start[0], 3), "cpu": round(cpu - start[1], 3)}


def manifest_runs() -> list[Path]:
    manifest = json.loads((ROOT / "programs" / "manifest.json").read_text())
    return [ROOT / p["run_dir"] for p in manifest["programs"] if p["variant"] == "rasp"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="*", type=Path, help="run directories")
    parser.add_argument("--level", default="O2", help="optimisation level [O2]")
    parser.add_argument("--profile", action="store_true", help="profile each compile")
    args = parser.parse_args()
    start = clock()
    import torch  # noqa: F401 -- timed apart: every tpc process that lowers pays it once

    from tpc.backends import emit
    from tpc.errors import TpcError
    from tpc.lower import lower_run
    from tpc.passes import optimize

    print(f"import torch and tpc: {since(start)['wall']:.2f} s")
    figures = {}
    for run in args.runs or manifest_runs():
        profile = cProfile.Profile() if args.profile else None
        if profile:
            profile.enable()
        start = clock()
        lowered = lower_run(run)
        lower = since(start)
        start = clock()
        program, _ = optimize(lowered, args.level)
        opt = since(start)
        start = clock()
        refused = {}
        for target in ("python", "rasp"):
            try:
                emit(program, target)
            except TpcError as e:  # e.g. a sum RASP cannot express at this level
                refused[target] = str(e)
        emitted = since(start)
        if profile:
            profile.disable()
        total = {k: round(lower[k] + opt[k] + emitted[k], 3) for k in ("wall", "cpu")}
        name = str(run.relative_to(ROOT) if run.is_relative_to(ROOT) else run)
        figures[name] = {"lower": lower, "optimize": opt, "emit": emitted, "total": total}
        if refused:
            figures[name]["refused"] = refused
        print(
            f"{name:<24} lower {lower['wall']:5.2f}  -{args.level} {opt['wall']:5.2f}  "
            f"emit {emitted['wall']:5.2f}  total {total['wall']:5.2f} s "
            f"(CPU {total['cpu']:.2f} s)"
            + "".join(f"\n  no {target} output: {why}" for target, why in refused.items())
        )
        if profile:
            pstats.Stats(profile).sort_stats("tottime").print_stats(10)
    print(
        json.dumps(
            {
                "benchmark": "compile_time",
                "level": args.level,
                "seconds": figures,
                "target_seconds": TARGET_SECONDS,
            }
        )
    )


if __name__ == "__main__":
    main()
