"""``tpc tracr``: compile IR programs with Tracr and check the models; import Tracr programs.

``tpc tracr compile PROGRAM`` legalises and compiles a program, reports the model's size,
undoes the attention scaling Tracr's compiler does not account for
(:func:`~tpc.tracr.compile.sharpen_attention`; ``--no-sharpen`` keeps Tracr's weights), runs it on every input (when there are at most ``--exhaustive-limit``) plus ``--samples``
random ones in jitted batches, and compares every output with the interpreter: any
disagreement exits 1. ``tpc tracr import MODULE:FUNCTION`` writes the IR of the
``tracr.rasp`` program that FUNCTION returns.
"""

from __future__ import annotations

import click

from tpc.cli.common import ErrorGroup, parse_vocab
from tpc.errors import TpcError


@click.group("tracr", cls=ErrorGroup)
def tracr_group() -> None:
    """Compile programs with DeepMind's Tracr and check them; import Tracr programs."""


@tracr_group.command("compile")
@click.argument("program", type=click.Path(dir_okay=False))
@click.option("--max-len", type=click.IntRange(min=1), help="Longest input (RASP text only).")
@click.option("--vocab", callback=parse_vocab, metavar="A,B,C", help="Tokens (RASP text only).")
@click.option(
    "--samples", type=click.IntRange(min=0), default=200, show_default=True, help="Random inputs."
)
@click.option(
    "--exhaustive-limit",
    type=click.IntRange(min=0),
    default=2000,
    show_default=True,
    help="Also check every input when there are at most this many.",
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--save", metavar="WEIGHTS.npz", help="Write the compiled parameters here.")
@click.option(
    "--sharpen/--no-sharpen",
    default=True,
    show_default=True,
    help="Scale query weights by sqrt(key_size), undoing the attention scaling Tracr's "
    "compiler does not account for.",
)
def compile_cmd(
    program: str,
    max_len: int | None,
    vocab: list[str] | None,
    samples: int,
    exhaustive_limit: int,
    seed: int,
    save: str | None,
    sharpen: bool,
) -> None:
    """Compile PROGRAM (.tpir.json or .rasp) with Tracr, run the model, check it against the
    interpreter."""
    from tpc.fileio import check_writable
    from tpc.loading import load_program
    from tpc.tracr.compile import (
        all_inputs,
        check_compiled,
        compile_tracr,
        count_inputs,
        sample_inputs,
        save_weights,
    )

    if save:
        check_writable(save)  # before compiling, which can take minutes
    prog = load_program(program, vocab=vocab, max_len=max_len)
    compiled = compile_tracr(prog, sharpen=sharpen)
    s = compiled.stats()
    click.echo(
        f"compiled {program} in {s['compile_seconds']:.1f} s: {s['layers']} "
        f"layer{'s' if s['layers'] != 1 else ''}, "
        f"{s['heads']} head{'s' if s['heads'] != 1 else ''} (at most "
        f"{s['max_heads_per_layer']} per layer), residual width "
        f"{s['residual_width']}, MLP hidden {s['mlp_hidden']}, {s['params']:,} parameters"
    )
    if sharpen:
        click.echo(f"attention sharpened: query weights x sqrt(key_size {s['key_size']})")
    if save:
        save_weights(compiled, save)
        click.echo(f"wrote {save}")
    seqs, what = [], []
    total = count_inputs(prog)
    if total <= exhaustive_limit:
        seqs += all_inputs(prog)
        what.append(f"all {total:,} inputs")
    if samples:
        seqs += sample_inputs(prog, samples, seed)
        what.append(f"{samples:,} sampled (seed {seed})")
    if not seqs:
        return
    result = check_compiled(compiled, seqs)
    click.echo(f"{' + '.join(what)}: {result.agree:,}/{result.total:,} agree with the interpreter")
    for seq, want, got in result.mismatches:
        click.echo(f"  input {' '.join(seq)}\n    interpreter {want}\n    tracr       {got}")
    if not result.ok:
        raise click.ClickException(
            f"the compiled model disagrees with the interpreter on "
            f"{result.total - result.agree:,} inputs"
        )


@tracr_group.command("import")
@click.argument("function", metavar="MODULE:FUNCTION")
@click.option("-o", "--out", "out", required=True, metavar="FILE", help="Output .tpir.json.")
@click.option(
    "--vocab",
    callback=parse_vocab,
    required=True,
    metavar="A,B,C",
    help="The program's input tokens.",
)
@click.option("--max-len", type=click.IntRange(min=1), required=True, help="Longest input.")
@click.option(
    "--numbers",
    is_flag=True,
    help="The tokens are numbers to the program (the IR keeps their text).",
)
def import_cmd(function: str, out: str, vocab: list[str], max_len: int, numbers: bool) -> None:
    """Import the tracr.rasp program that MODULE:FUNCTION (or path/file.py:FUNCTION)
    returns, called without arguments, as IR."""
    from tpc.fileio import check_writable, write_atomic
    from tpc.ir import dumps
    from tpc.tracr.compile import load_tracr_function
    from tpc.tracr.tracr_to_ir import import_tracr

    check_writable(out)
    tokens: list = vocab
    if numbers:
        try:
            tokens = [float(t) if any(c in t for c in ".eE") else int(t) for t in vocab]
        except ValueError:
            raise TpcError(f"--numbers: {','.join(vocab)} are not all numbers") from None
    prog = import_tracr(load_tracr_function(function), tokens, max_len)
    write_atomic(out, dumps(prog))
    click.echo(f"wrote {out}: {len(prog)} nodes, output '{prog.output}'")


__all__ = ["tracr_group"]
