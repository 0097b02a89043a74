"""``tpc explain``: read one prediction of a program as the paper does (which heads
attended where, which table rows fired, which readout features decided), or with
``--readout-stats`` the readout's per-feature statistics (:mod:`tpc.explain`).

Loaded by :mod:`tpc.cli.main` on first use (``LAZY_COMMANDS["explain"]``).
"""

from __future__ import annotations

import json

import click

from tpc.cli.common import program_options


@click.command("explain")
@click.argument("program", type=click.Path(dir_okay=False))
@click.argument("tokens", nargs=-1)
@program_options
@click.option(
    "--position",
    type=click.IntRange(min=0),
    metavar="I",
    help="Explain only this position (a program learned on a corpus: the I-th raw token).",
)
@click.option(
    "--node",
    "nodes",
    multiple=True,
    metavar="NAME",
    help="Show only this head or table (repeatable; default: every one the output reads).",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    help="Readout rows to show [default: 8 per prediction; 20 with --readout-stats].",
)
@click.option(
    "--readout-stats",
    is_flag=True,
    help="No input: per readout feature value, the class its weights favour and by how much.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
def explain(
    program: str,
    tokens: tuple[str, ...],
    vocab,
    max_len,
    output,
    position: int | None,
    nodes: tuple[str, ...],
    top: int | None,
    readout_stats: bool,
    as_json: bool,
) -> None:
    """Explain PROGRAM's prediction on TOKENS: per position, what each attention head
    selected and read (and the predicate pair that fired), which row of each table fired,
    and each readout feature's share of the margin between the predicted class and the
    runner-up.

    A program learned on a corpus (its IR says how it reads text) takes a sentence's raw
    tokens, read window by window; any other program takes its input as `tpc run` does.
    With --readout-stats, list the readout's feature values by how strongly each favours
    one class (no TOKENS).
    """
    from tpc.explain import explain as explain_input
    from tpc.explain import format_explanation, format_readout_stats
    from tpc.explain import readout_stats as stats
    from tpc.loading import load_program

    if readout_stats:
        if tokens or position is not None or nodes:
            raise click.UsageError("--readout-stats takes no TOKENS, --position or --node")
    elif not tokens:
        raise click.UsageError("give the TOKENS to explain (or --readout-stats)")
    prog = load_program(program, vocab=vocab, max_len=max_len, output=output)
    if readout_stats:
        result = stats(prog, 20 if top is None else top)
        click.echo(
            json.dumps(result.to_json(), indent=1) if as_json else format_readout_stats(result)
        )
        return
    explained = explain_input(prog, tokens, position=position, nodes=nodes)
    if as_json:
        click.echo(json.dumps(explained.to_json(), indent=1))
    else:
        click.echo(format_explanation(explained, 8 if top is None else top))


__all__ = ["explain"]
