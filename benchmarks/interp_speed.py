"""Throughput of the vectorised interpreter on sort-sized programs.

For each program: the interpreter alone on an encoded batch (``Interpreter.run``) and
end to end (``tpc.ir.run``: encode, run, decode), in sequences per second by the wall
clock and by CPU time; then a JSON line with the figures, the target (100,000
sequences/s) and the reference implementation (~40 sequences/s, REFERENCE.md).
``--profile`` prints where the interpreter spends its time.
Usage: ``python benchmarks/interp_speed.py [--batch N] [--profile]``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats

from python_backend_speed import REFERENCE, best_rate

from programs import PROGRAMS, sort_inputs
from tpc.ir import Interpreter, encode_tokens, run

TARGET = 100_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=10_000, help="sequences per batch")
    parser.add_argument("--repeat", type=int, default=5, help="runs; the fastest counts")
    parser.add_argument("--profile", action="store_true", help="profile the interpreter")
    args = parser.parse_args()
    seqs = sort_inputs(args.batch)
    figures = {}
    for name, make in PROGRAMS.items():
        prog = make()
        codes, lengths = encode_tokens(prog, seqs)
        interp = Interpreter(prog)
        core = best_rate(len(seqs), args.repeat, interp.run, codes, lengths)
        full = best_rate(len(seqs), args.repeat, run, prog, seqs)
        figures[name] = {"interpreter": core, "end_to_end": full}
        print(
            f"{name:<14} interpreter {core['wall']:>9,} sequences/s ({core['cpu']:,}/s of CPU"
            f" time), end to end {full['wall']:>9,} ({full['cpu']:,})"
        )
        if args.profile:
            profile = cProfile.Profile()
            profile.runcall(interp.run, codes, lengths)
            pstats.Stats(profile).sort_stats("tottime").print_stats(8)
    print(
        json.dumps(
            {
                "benchmark": "interp_speed",
                "sequences_per_s": figures,
                "target_sequences_per_s": TARGET,
                "reference_sequences_per_s": REFERENCE,
                "batch": args.batch,
            }
        )
    )


if __name__ == "__main__":
    main()
