"""Throughput of the programs learned on real text (``programs/nlp/``), on raw sentences.

For every program in ``programs/nlp/manifest.json``: sentences per second of its Python
module's ``run_batch`` on the corpus's raw test sentences (from the NLP data directory,
:func:`tpc.tasks.default_data_dir`), or, where the corpus is not here, on sentences drawn
from the program's vocabulary (``drawn_sentences`` of scripts/make_nlp_programs.py; the
table says which), by wall and by CPU time (best of ``--repeat`` passes); the seconds to
import the module from source without a bytecode cache (a copy in a fresh directory,
best of 3); and the IR interpreter's sentences per second on the same sentences
(:func:`tpc.evaluate.predict_text`, which reads text as the module does). The reference
implementation's emitted programs run at about 40 sequences/s (REFERENCE.md; its sort
program, which re-reads a CSV of weights with pandas on every call): the ``x ref``
column. Wall times are noisy on a shared machine (the load average is printed). Printed
as a table and a JSON line. Usage: ``python benchmarks/nlp_program_speed.py [--repeat 3]
[--drawn 2000]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import make_nlp_programs as nlp  # noqa: E402 -- scripts/ is not a package
from python_backend_speed import REFERENCE, best_rate  # noqa: E402 -- benchmarks/ beside it


def import_seconds(path: Path, repeat: int = 3) -> float:
    """Seconds to import the module at ``path`` from source: a copy in a fresh temporary
    directory each time (no ``__pycache__`` to read), writing no bytecode."""
    best = float("inf")
    before, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        for i in range(repeat):
            with tempfile.TemporaryDirectory() as tmp:
                copy = Path(tmp) / path.name
                shutil.copyfile(path, copy)
                spec = importlib.util.spec_from_file_location(f"nlp_speed_{i}", copy)
                module = importlib.util.module_from_spec(spec)
                start = time.perf_counter()
                spec.loader.exec_module(module)
                best = min(best, time.perf_counter() - start)
    finally:
        sys.dont_write_bytecode = before
    return best


def sentences_of(entry: dict, program, drawn: int) -> tuple[list[list[str]], str]:
    """The raw test sentences of the program's corpus, or drawn ones; and which."""
    from tpc.tasks import TaskError, default_data_dir

    if default_data_dir() is not None:  # None would mean the Hugging Face Hub: not here
        try:
            test = nlp.load_splits(entry["task"]).test
            return [list(e.tokens) for e in test], "test split"
        except TaskError:
            pass
    return nlp.drawn_sentences(program, drawn), "drawn"


def time_program(entry: dict, repeat: int, drawn: int) -> dict:
    from tpc.evaluate import predict_text
    from tpc.ir import load

    program = load(ROOT / entry["files"]["json"]["path"])
    path = ROOT / entry["files"]["python"]["path"]
    sentences, source = sentences_of(entry, program, drawn)
    module = nlp.mp.load_module(path)
    batch = [list(s) for s in sentences]
    # the module and the interpreter agree (else the speed would compare different work)
    agree = module.run_batch(batch) == predict_text(program, batch)
    module_rate = best_rate(len(batch), repeat, module.run_batch, batch)
    interp_rate = best_rate(len(batch), max(1, repeat // 2), predict_text, program, batch)
    return {
        "task": entry["task"],
        "kind": entry["kind"],
        "sentences": len(batch),
        "tokens": sum(len(s) for s in batch),
        "source": source,
        "max_len": program.max_len,
        "vocabulary": len(program.vocab),
        "python_lines": entry["lines"]["python_total"],
        "module": module_rate,
        "import_seconds": import_seconds(path),
        "interpreter": interp_rate,
        "module_equals_interpreter": agree,
        "manifest_sentences_per_second": entry["speed"]["python"]["sentences_per_second"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="passes; the fastest counts")
    parser.add_argument(
        "--drawn", type=int, default=nlp.DRAWN_SENTENCES, help="sentences without the corpus"
    )
    args = parser.parse_args()
    manifest = nlp.read_manifest()
    rows = [time_program(e, args.repeat, args.drawn) for e in manifest["programs"]]
    head = (
        f"{'program':<10} {'kind':<14} {'sentences':>17} {'module sent/s':>14} "
        f"{'CPU sent/s':>11} {'x ref':>6} {'import s':>8} {'interp sent/s':>13} "
        f"{'module/interp':>13} {'manifest':>9}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r['task']:<10} {r['kind']:<14} {r['sentences']:>7,} {r['source']:>9} "
            f"{r['module']['wall']:>14,.0f} {r['module']['cpu']:>11,.0f} "
            f"{r['module']['wall'] / REFERENCE:>6,.0f} {r['import_seconds']:>8.2f} "
            f"{r['interpreter']['wall']:>13,.0f} "
            f"{r['module']['wall'] / r['interpreter']['wall']:>12.1f}x "
            f"{r['manifest_sentences_per_second']:>9,.0f}"
            + ("" if r["module_equals_interpreter"] else "  MODULE != INTERPRETER")
        )
    missing = [m["key"] for m in manifest.get("missing", [])]
    if missing:
        print(f"not generated yet: {', '.join(missing)}")
    print(
        f"x ref: module sentences/s over the reference implementation's ~{REFERENCE} "
        "sequences/s (REFERENCE.md); manifest: the module's sentences/s recorded by "
        f"`make programs`; load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(
        json.dumps(
            {
                "benchmark": "nlp_program_speed",
                "programs": rows,
                "reference_sequences_per_s": REFERENCE,
                "repeat": args.repeat,
                "load_average": os.getloadavg(),
            }
        )
    )


if __name__ == "__main__":
    main()
