"""Throughput of emitted Python modules (``run_batch``) on sort-sized programs.

Prints one line per program, then a JSON line with the figures, the target (4,000
sequences/s) and the reference implementation's emitted sort program (~40 sequences/s,
REFERENCE.md). Usage: ``python benchmarks/python_backend_speed.py [--count N]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import tempfile
import time
from pathlib import Path

from programs import PROGRAMS, sort_inputs
from tpc.backends.python import emit_python

TARGET = 4_000
REFERENCE = 40


def load_emitted(source: str, name: str, directory: Path):
    """Write the module to ``directory`` and import it as a user would."""
    path = directory / f"{name}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def best_rate(count: int, repeat: int, fn, *args) -> dict[str, int]:
    """Sequences per second of the fastest of ``repeat`` calls ``fn(*args)`` that each
    process ``count`` sequences: by the wall clock and by this process's CPU time (steadier
    on a machine shared with other jobs)."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn(*args)
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return {"wall": round(count / wall), "cpu": round(count / max(cpu, 1e-9))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5_000, help="sequences per run")
    parser.add_argument("--repeat", type=int, default=5, help="runs; the fastest counts")
    args = parser.parse_args()
    seqs = sort_inputs(args.count)
    rates = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in PROGRAMS.items():
            source = emit_python(make())
            module = load_emitted(source, name, Path(tmp))
            rates[name] = best_rate(len(seqs), args.repeat, module.run_batch, seqs)
            lines = len(source.splitlines())
            print(
                f"{name:<14} {rates[name]['wall']:>9,} sequences/s "
                f"({rates[name]['cpu']:,}/s of CPU time; {lines} lines, N={module.MAX_LEN})"
            )
    print(
        json.dumps(
            {
                "benchmark": "python_backend_speed",
                "sequences_per_s": rates,
                "target_sequences_per_s": TARGET,
                "reference_sequences_per_s": REFERENCE,
                "sequences": args.count,
            }
        )
    )


if __name__ == "__main__":
    main()
