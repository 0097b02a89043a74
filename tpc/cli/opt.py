"""``tpc opt``: run the optimisation passes (and, with ``--legalize``, a back end's
legalisation) on a program and write the result, printing per-pass statistics.

Loaded by :mod:`tpc.cli.main` on first use (``LAZY_COMMANDS["opt"]``).
"""

from __future__ import annotations

import dataclasses

import click

from tpc.cli.common import program_options
from tpc.errors import TpcError
from tpc.fileio import check_writable
from tpc.ir.printer import program_stats
from tpc.ir.program import Program
from tpc.ir.serialize import dump
from tpc.passes.manager import (
    LEGALIZATIONS,
    PIPELINES,
    ROUNDS,
    PassStats,
    legalize,
    optimize,
    run_passes,
)


def _lines(before: int | None, after: int | None) -> str:
    if before is None or after is None:
        return "-"
    return f"{before} -> {after}" if before != after else str(after)


def format_stats(program: Program, stats: list[PassStats]) -> str:
    """The per-pass statistics table ``tpc opt`` prints (first row: the input)."""
    size = program_stats(program)
    width = max([len("pass"), len("(input)"), *(len(s.name) for s in stats)])
    head = f"{'pass':<{width}}  round  nodes  heads  entries  {'python lines':>14}  seconds"
    rows = [
        head,
        f"{'(input)':<{width}}  {'':>5}  {size['nodes']:>5}  {size['heads']:>5}  "
        f"{size['table_entries']:>7}  {'':>14}",
    ]
    for s in stats:
        rows.append(
            f"{s.name:<{width}}  {s.round:>5}  {s.nodes:>5}  {s.heads:>5}  {s.table_entries:>7}  "
            f"{_lines(s.python_lines_before, s.python_lines_after):>14}  {s.seconds:>7.3f}"
        )
    return "\n".join(rows)


@click.command("opt")
@click.argument("program", type=click.Path(dir_okay=False))
@click.option(
    "-o", "--out", "out", required=True, metavar="OUT.tpir.json", help="Where to write the result."
)
@click.option("-O0", "level", flag_value="O0", help="No passes.")
@click.option("-O1", "level", flag_value="O1", help=f"Passes: {', '.join(PIPELINES['O1'])}.")
@click.option(
    "-O2",
    "level",
    flag_value="O2",
    default=True,
    help=f"O1, then {', '.join(PIPELINES['O2'][len(PIPELINES['O1']) :])}, "
    f"repeated until nothing changes (at most {ROUNDS['O2']} rounds). The default.",
)
@click.option(
    "-O3",
    "level",
    flag_value="O3",
    help="O2, then specialize_to_domain, then O2 again: exact on the scored positions of "
    "every input of the program's recorded domain (when it can be enumerated), not beyond.",
)
@click.option("--passes", metavar="A,B,C", help="Run these passes once, in order, instead.")
@click.option(
    "--legalize",
    "legalize_for",
    type=click.Choice(sorted(LEGALIZATIONS)),
    help="Then rewrite the program into what this back end has, exactly (its legalisation "
    "passes, as `tpc emit` runs them).",
)
@click.option("--dump-after", metavar="PASS", help="Also write the IR after PASS (next to OUT).")
@click.option(
    "--python-lines/--no-python-lines",
    default=True,
    show_default=True,
    help="Count the emitted Python's lines before and after each pass (runs black).",
)
@program_options
def opt(
    program: str,
    out: str,
    level: str,
    passes: str | None,
    legalize_for: str | None,
    dump_after: str | None,
    python_lines: bool,
    vocab,
    max_len,
    output,
) -> None:
    """Optimise PROGRAM (.tpir.json or .rasp) and write it to OUT; print per-pass statistics."""
    from tpc.loading import load_program

    target = check_writable(out)  # before optimising, which can take a while
    prog = load_program(program, vocab=vocab, max_len=max_len, output=output)
    options = dict(
        dump_dir=target.parent,
        count_lines=emitted_python_lines if python_lines else None,
    )
    # --dump-after names a pass of the legalisation or of the optimisation before it
    in_legalization = legalize_for is not None and dump_after in LEGALIZATIONS[legalize_for]
    first_dump = None if in_legalization else dump_after
    if passes is not None:
        names = [p.strip() for p in passes.split(",") if p.strip()]
        result, stats = run_passes(prog, names, dump_after=first_dump, **options)
    else:
        result, stats = optimize(prog, level, dump_after=first_dump, **options)
    if legalize_for is not None:
        later_dump = dump_after if in_legalization else None
        result, more = legalize(result, legalize_for, dump_after=later_dump, **options)
        stats += more
        result = dataclasses.replace(result, meta={**result.meta, "legalized_for": legalize_for})
    click.echo(format_stats(prog, stats))
    dump(result, target)
    click.echo(f"wrote {out}", err=True)


def emitted_python_lines(program: Program) -> int | None:
    """Lines of the Python back end's module for ``program``; ``None`` if it refuses."""
    from tpc.backends.python import emit_python

    try:
        return len(emit_python(program).splitlines())
    except TpcError:
        return None
