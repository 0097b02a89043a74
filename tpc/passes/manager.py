"""The pass manager: passes registered by name, the -O pipelines, and a driver that runs
passes in order, optionally to a fixed point, recording statistics after each.

A pass is a pure function ``Program -> Program``: it never mutates its input, returns a
validated program and keeps the interpreter's output on every input where the input
program is defined (a pass may remove a node that would have raised, e.g. a dead
categorical mean over two keys).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tpc.errors import TpcError
from tpc.ir.printer import program_stats
from tpc.ir.program import Program
from tpc.ir.serialize import dump

Pass = Callable[[Program], Program]

#: Every registered pass, by name, in registration order.
PASSES: dict[str, Pass] = {}

_O1 = [
    "infer_value_sets",
    "recognize_predicates",
    "eliminate_common_subexpressions",
    "eliminate_dead_code",
]

#: The optimisation levels. O2 is run to a fixed point (:data:`ROUNDS`).
PIPELINES: dict[str, list[str]] = {
    "O0": [],
    "O1": _O1,
    "O2": [
        *_O1,
        "prune_dead_heads",
        "fold_constants",
        "fuse_maps",
        "recognize_forms",
        "fold_readout",
    ],
}
#: O3's own passes: specialisation to the program's input domain (exact on it only);
#: :func:`optimize` runs O2 before and after them.
PIPELINES["O3"] = ["specialize_to_domain"]

#: Most rounds of each pipeline; a pipeline stops early once a round changes nothing.
ROUNDS: dict[str, int] = {"O0": 1, "O1": 1, "O2": 5, "O3": 1}

#: The legalisations: for a back end without some IR operation, the passes (run once, in
#: order) that rewrite a program into operations it has, exactly (docs/design.md §4).
LEGALIZATIONS: dict[str, list[str]] = {
    # RASP text: closest/sum aggregates, then the readout as one table or as arithmetic
    "rasp": ["legalize_aggregates", "legalize_readout_for_rasp"],
    # Tracr (tpc.passes.legalize.tracr explains each step)
    "tracr": [
        "refuse_open_maps",
        "legalize_aggregates_by_bits",
        "lower_readout",
        "lower_numerical_means",
        "lower_constants",
        "lower_causal_selects",
        "fuse_selector_ops",
        "tabulate_comparisons",
        "lower_aggregate_defaults",
        "prune_for_tracr",
    ],
}


def register_pass(name: str) -> Callable[[Pass], Pass]:
    """Decorator: register ``fn`` as the pass ``name``."""

    def decorate(fn: Pass) -> Pass:
        if name in PASSES and PASSES[name] is not fn:
            raise ValueError(f"a pass named {name!r} is already registered")
        PASSES[name] = fn
        return fn

    return decorate


def get_pass(name: str) -> Pass:
    """The pass called ``name``; ``TpcError`` listing the passes when there is none."""
    if name not in PASSES:
        raise TpcError(f"unknown pass {name!r}; passes: {', '.join(PASSES)}")
    return PASSES[name]


@dataclass(frozen=True)
class PassStats:
    """One pass run: the program's size after it, its time, and the lines of code the
    caller's ``count_lines`` measured before and after it (e.g. the emitted Python's)."""

    name: str
    round: int
    nodes: int
    heads: int  #: aggregates + selector widths
    table_entries: int  #: map/sequence-map entries + table-predicate pairs
    seconds: float
    changed: bool
    python_lines_before: int | None = None  #: ``None``: not counted, or the counter refused
    python_lines_after: int | None = None


#: A line counter for :func:`run_passes`: a program's size in lines of code, ``None`` when
#: it cannot say (the passes sit below the back ends, so the caller chooses the counter).
LineCounter = Callable[[Program], "int | None"]


def run_passes(
    program: Program,
    names: Sequence[str],
    dump_after: str | None = None,
    dump_dir: str | Path | None = None,
    *,
    max_rounds: int = 1,
    count_lines: LineCounter | None = None,
) -> tuple[Program, list[PassStats]]:
    """Run the passes ``names`` in order, up to ``max_rounds`` times until nothing changes.

    With ``dump_after``, the program after that pass is written to ``dump_dir`` (default
    the current directory) as ``after-PASS.tpir.json`` (``after-PASS.roundK.tpir.json``
    for rounds K ≥ 2). ``count_lines``, if given, measures the program before and after
    every pass that changes it (``tpc opt`` counts the emitted Python's lines).
    """
    passes = [get_pass(n) for n in names]
    if dump_after is not None and dump_after not in names:
        get_pass(dump_after)
        raise TpcError(f"--dump-after {dump_after}: that pass is not run ({', '.join(names)})")
    stats: list[PassStats] = []
    lines = count_lines(program) if count_lines else None
    for round_ in range(1, max_rounds + 1):
        start = program
        for name, fn in zip(names, passes):
            t0 = time.perf_counter()
            new = fn(program)
            seconds = time.perf_counter() - t0
            changed = new != program
            after = (count_lines(new) if changed else lines) if count_lines else None
            size = program_stats(new)
            stats.append(
                PassStats(
                    name=name,
                    round=round_,
                    nodes=size["nodes"],
                    heads=size["heads"],
                    table_entries=size["table_entries"],
                    seconds=seconds,
                    changed=changed,
                    python_lines_before=lines,
                    python_lines_after=after,
                )
            )
            if name == dump_after:
                suffix = "" if round_ == 1 else f".round{round_}"
                dump(new, Path(dump_dir or ".") / f"after-{name}{suffix}.tpir.json")
            program, lines = new, after
        if program == start:
            break
    return program, stats


def legalize(program: Program, target: str, **options) -> tuple[Program, list[PassStats]]:
    """Run the legalisation for ``target`` (:data:`LEGALIZATIONS`) once; ``options`` go to
    :func:`run_passes`."""
    if target not in LEGALIZATIONS:
        raise TpcError(f"unknown legalisation {target!r}; choose from: {', '.join(LEGALIZATIONS)}")
    return run_passes(program, LEGALIZATIONS[target], **options)


def optimize(program: Program, level: str = "O2", **options) -> tuple[Program, list[PassStats]]:
    """Run the pipeline ``level`` (``"O0"`` .. ``"O3"``) and record it in
    ``meta["optimization"]``; ``options`` go to :func:`run_passes`."""
    if level not in PIPELINES:
        raise TpcError(f"unknown optimisation level {level!r}; levels: {', '.join(PIPELINES)}")
    if level != "O3":
        program, stats = run_passes(program, PIPELINES[level], max_rounds=ROUNDS[level], **options)
        return dataclasses.replace(program, meta={**program.meta, "optimization": level}), stats
    # O3: O2, the domain passes once, O2 again on what they exposed (a dump is of the last)
    dump_after = options.pop("dump_after", None)
    stages = [
        (PIPELINES["O2"], ROUNDS["O2"]),
        (PIPELINES["O3"], 1),
        (PIPELINES["O2"], ROUNDS["O2"]),
    ]
    if dump_after is not None and all(dump_after not in names for names, _ in stages):
        get_pass(dump_after)
        raise TpcError(f"--dump-after {dump_after}: that pass is not run at -O3")
    stats: list[PassStats] = []
    for names, rounds in stages:
        dump = dump_after if dump_after in names else None
        program, more = run_passes(program, names, dump_after=dump, max_rounds=rounds, **options)
        stats += more
    return dataclasses.replace(program, meta={**program.meta, "optimization": level}), stats
