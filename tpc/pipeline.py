"""The whole compiler on one trained run: lower → optimise → emit every back end → verify.

``compile_run`` is what ``tpc train --emit``, ``tpc demo`` and ``make programs`` call. It
writes ``<stem>.tpir.json`` (optimised IR), ``<stem>.py``, ``<stem>.rasp``, ``<stem>.dot``
(and ``<stem>_tracr.py`` when the tracr back end is available and the program fits it) and
returns what it did, including the faithfulness reports: a program that disagrees with its
model is an error, never a statistic.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from tpc.backends import emit
from tpc.errors import EmitError, IRError
from tpc.fileio import check_output_dir, check_writable, make_output_dir, write_atomic
from tpc.ir import Program
from tpc.ir.printer import program_stats
from tpc.passes import optimize

SUFFIXES = {
    "json": ".tpir.json",
    "python": ".py",
    "rasp": ".rasp",
    "dot": ".dot",
    "tracr": "_tracr.py",
}


@dataclass
class CompileResult:
    """Files written, sizes before/after optimisation, timings and verification reports."""

    program: Program
    files: dict[str, Path] = field(default_factory=dict)
    lowered_stats: dict[str, int] = field(default_factory=dict)
    optimized_stats: dict[str, int] = field(default_factory=dict)
    python_lines: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    reports: list = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    inputs: str = ""


def compile_run(
    run_dir: str | Path,
    out_dir: str | Path,
    stem: str | None = None,
    level: str = "O3",
    verify: bool = True,
    log=print,
) -> CompileResult:
    """Lower, optimise at ``level``, emit every back end into ``out_dir`` and verify."""
    from tpc.lower import lower_run
    from tpc.train import load_run
    from tpc.verify import RUNNABLE_BACKENDS, run_inputs, verify_program

    run = load_run(run_dir)
    stem = stem or run.train.task
    paths = check_outputs(out_dir, stem)
    t0 = time.perf_counter()
    lowered = lower_run(run)
    t1 = time.perf_counter()
    program, _ = optimize(lowered, level)
    t2 = time.perf_counter()
    result = CompileResult(
        program, lowered_stats=program_stats(lowered), optimized_stats=program_stats(program)
    )
    texts = {}
    for target in SUFFIXES:
        try:
            texts[target] = emit(program, target)
        except (EmitError, IRError) as e:  # e.g. too large for Tracr: say so, emit the rest
            result.skipped[target] = str(e)
            log(f"no {target} output: {e}")
    t3 = time.perf_counter()
    result.seconds = {"lower": t1 - t0, "optimize": t2 - t1, "emit": t3 - t2}
    result.python_lines = texts["python"].count("\n")
    make_output_dir(out_dir)
    for target, text in texts.items():
        write_atomic(paths[target], text)
        result.files[target] = paths[target]
    log(
        f"lowered {result.lowered_stats['nodes']} nodes / {result.lowered_stats['heads']} heads, "
        f"-{level}: {result.optimized_stats['nodes']} nodes / {result.optimized_stats['heads']} heads, "
        f"{result.python_lines} lines of Python ({sum(result.seconds.values()):.2f} s)"
    )
    if verify:
        inputs = run_inputs(run)
        result.inputs = inputs.what
        log(f"verifying on {inputs.what}")
        checked = {name: texts[name] for name in RUNNABLE_BACKENDS if name in texts}
        result.reports = verify_program(
            run.model, program, inputs.seqs, checked, log=log, sentences=inputs.sentences
        )
    return result


def check_outputs(out_dir: str | Path, stem: str) -> dict[str, Path]:
    """The file :func:`compile_run` writes for each back end, checked before any work
    (:class:`tpc.fileio.FileError` if ``out_dir`` or one of them cannot be written)."""
    out_dir = check_output_dir(out_dir)
    paths = {target: out_dir / f"{stem}{suffix}" for target, suffix in SUFFIXES.items()}
    if out_dir.is_dir():
        for path in paths.values():
            check_writable(path)
    return paths
