"""``tpc draw attention|flow|graph|training`` and ``tpc report``: pictures of programs and
runs, and the program report page (the drawing is :mod:`tpc.draw`'s).

A TARGET is a program file (``.tpir.json``, or RASP text with ``--vocab``/``--max-len``)
or a finished run directory, which is lowered (``-O0``, as ``tpc lower`` does) and whose
model also gives the relaxed attention and the training curves. Every command checks its
output path first and writes the file atomically when everything is drawn: a failed
command writes nothing. Loaded on first use (``LAZY_COMMANDS``); matplotlib and torch are
imported inside the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from tpc.cli.common import ErrorGroup, program_options
from tpc.errors import TpcError, printable

if TYPE_CHECKING:
    from tpc.ir import Program
    from tpc.train import Run

LEVELS = ("O0", "O1", "O2", "O3")


def _target(
    target: str, vocab, max_len, output, opt: str | None = None
) -> tuple[Program, Run | None, str]:
    """The program TARGET names (a run directory is lowered), the run (or None), a title."""
    from tpc.ir.render import program_title

    path = Path(target)
    run = None
    if path.is_dir():
        if vocab is not None or max_len is not None or output is not None:
            raise TpcError("--vocab/--max-len/--output apply to RASP text, not a run directory")
        from tpc.lower import lower_run
        from tpc.train import load_run

        run = load_run(path)
        program = lower_run(run)
        where = "/".join(path.resolve().parts[-2:])
        title = f"{program_title(program)} ({printable(where)})"
    else:
        from tpc.loading import load_program

        program = load_program(path, vocab=vocab, max_len=max_len, output=output)
        said = program.meta.get("name") or program.meta.get("task")
        title = program_title(program) if said else printable(path.name)
    if opt is not None:
        from tpc.passes import optimize

        program, _ = optimize(program, opt)
    return program, run, title


def _output(out: str, image: bool = True) -> str:
    """Check the output path before any work; its image format (``png``/``svg``)."""
    from tpc.draw import image_format
    from tpc.fileio import check_writable

    fmt = image_format(out) if image else "html"
    check_writable(out)
    return fmt


def _write(out: str, data: bytes | str, what: str = "") -> None:
    from tpc.fileio import write_atomic

    write_atomic(out, data)
    click.echo(f"wrote {out}{what}", err=True)


def _opt_option(f):
    return click.option(
        "--opt",
        type=click.Choice(LEVELS),
        help="Optimise the program at this level first (default: as given; a run "
        "directory is lowered, -O0, so its dead nodes show).",
    )(f)


@click.group("draw", cls=ErrorGroup)
def draw_group() -> None:
    """Draw pictures of programs and runs (PNG or SVG, by the -o file's suffix).

    TARGET is a program (.tpir.json, or .rasp with --vocab/--max-len) or a run directory.
    """


@draw_group.command("attention")
@click.argument("target", type=click.Path())
@click.argument("tokens", nargs=-1, required=True)
@click.option("-o", "--out", "out", required=True, metavar="FILE.png|svg", help="Output image.")
@click.option(
    "--head", "heads", multiple=True, metavar="NAME", help="Draw only this head (repeatable)."
)
@click.option(
    "--tau",
    type=click.FloatRange(min=0, min_open=True),
    help="Run directory: the temperature of the soft attention (default: the last epoch's).",
)
@click.option(
    "--soft/--no-soft",
    default=True,
    show_default=True,
    help="Run directory: draw the relaxed model's soft attention beside the discrete.",
)
@program_options
@_opt_option
def attention_cmd(target, tokens, out, heads, tau, soft, vocab, max_len, output, opt) -> None:
    """Draw every head's attention on TOKENS: one panel per head (layer x head grid),
    query x key, the selected keys filled, the key each query reads outlined (closest
    match). For a run directory, the relaxed model's soft attention beside each
    categorical head."""
    from tpc.draw import draw_attention
    from tpc.draw.attention import check_tokens, select_heads

    fmt = _output(out)
    program, run, title = _target(target, vocab, max_len, output, opt)
    tokens = check_tokens(program, tokens)
    chosen = select_heads(program, heads)
    weights, used = {}, None
    if run is not None and soft:
        from tpc.draw.relaxed import relaxed_attention

        weights, used = relaxed_attention(run, tokens, tau)
    data = draw_attention(program, tokens, fmt, heads=heads, soft=weights, tau=used, title=title)
    soft_note = f", soft attention at tau {used:.3g}" if weights else ""
    _write(out, data, f" ({len(chosen)} head{'s' * (len(chosen) != 1)}{soft_note})")


@draw_group.command("flow")
@click.argument("target", type=click.Path())
@click.argument("tokens", nargs=-1, required=True)
@click.option("-o", "--out", "out", required=True, metavar="FILE.png|svg", help="Output image.")
@click.option(
    "--node",
    "nodes",
    multiple=True,
    metavar="NAME",
    help="Draw only this node and what it depends on (repeatable).",
)
@program_options
@_opt_option
def flow_cmd(target, tokens, out, nodes, vocab, max_len, output, opt) -> None:
    """Draw every node's value at every position of TOKENS, in evaluation order,
    selectors as small query x key matrices (what RASP's draw() shows)."""
    from tpc.draw import draw_flow
    from tpc.draw.flow import flow_nodes

    fmt = _output(out)
    program, _, title = _target(target, vocab, max_len, output, opt)
    shown = flow_nodes(program, nodes)
    data = draw_flow(program, tokens, fmt, nodes=nodes, title=title)
    _write(out, data, f" ({len(shown)} nodes)")


@draw_group.command("graph")
@click.argument("target", type=click.Path())
@click.option("-o", "--out", "out", required=True, metavar="FILE.svg|png", help="Output image.")
@click.option(
    "--layout",
    type=click.Choice(["auto", "dot", "python"]),
    default="auto",
    show_default=True,
    help="dot: Graphviz (must be installed); python: networkx + matplotlib; auto: Graphviz "
    "when its dot program is installed, else python.",
)
@program_options
@_opt_option
def graph_cmd(target, out, layout, vocab, max_len, output, opt) -> None:
    """Draw the IR graph: nodes coloured by kind, each layer's heads grouped, dead nodes
    grey, the output outlined in red. Says which layout drew it."""
    from tpc.draw.graph import draw_graph

    fmt = _output(out)
    program, _, title = _target(target, vocab, max_len, output, opt)
    data, used = draw_graph(program, fmt, layout, title)
    _write(out, data, f" ({len(program)} nodes; layout: {used})")


@draw_group.command("training")
@click.argument("runs", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--out", "out", required=True, metavar="FILE.png|svg", help="Output image.")
def training_cmd(runs, out) -> None:
    """Draw the training curves of RUNS (run directories; several are overlaid): loss,
    accuracy (relaxed on the training batches, discrete on validation) and temperature
    per epoch."""
    from tpc.draw.training import draw_training, read_curves, run_labels

    fmt = _output(out)
    for run in runs:
        if not Path(run).is_dir():
            raise TpcError(f"{printable(run)} is not a run directory")
    curves = [read_curves(run, label) for run, label in zip(runs, run_labels(runs))]
    _write(out, draw_training(curves, fmt), f" ({len(curves)} run{'s' * (len(curves) != 1)})")


@click.command("report")
@click.argument("target", type=click.Path())
@click.option("-o", "--out", "out", required=True, metavar="FILE.html", help="Output page.")
@click.option(
    "--run",
    "run_dir",
    type=click.Path(file_okay=False),
    help="The run a program file was lowered from: its test split, soft attention "
    "and training curves.",
)
@click.option(
    "--task",
    "task_name",
    help="Task to score on (default: the run's or the program's recorded task).",
)
@click.option(
    "--k",
    type=click.IntRange(min=2),
    help="Task vocabulary size (default: the program's or the task's).",
)
@click.option(
    "--n",
    type=click.IntRange(min=2),
    help="Task max length (default: the program's or the task's).",
)
@click.option(
    "--input",
    "inputs",
    multiple=True,
    metavar="'TOKENS'",
    help="An input whose attention to draw, tokens separated by spaces (repeatable).",
)
@click.option(
    "--exhaustive-limit",
    type=click.IntRange(min=0),
    default=200_000,
    show_default=True,
    help="Score every input when there are at most this many.",
)
@click.option(
    "--layout",
    type=click.Choice(["auto", "dot", "python"]),
    default="auto",
    show_default=True,
    help="Layout of the IR graph (see tpc draw graph).",
)
@program_options
@_opt_option
def report(
    target,
    out,
    run_dir,
    task_name,
    k,
    n,
    inputs,
    exhaustive_limit,
    layout,
    vocab,
    max_len,
    output,
    opt,
) -> None:
    """Write one self-contained HTML page about TARGET (a program or a run directory):
    accuracy on its task (test split, every input, by length, counterexamples), its
    Python, the IR graph, every head's attention on a few inputs, training curves."""
    from tpc.draw.attention import check_tokens
    from tpc.draw.report import build_report
    from tpc.draw.training import read_curves, run_labels
    from tpc.tasks import TASKS, get_task

    _output(out, image=False)
    program, run, title = _target(target, vocab, max_len, output, opt)
    if run_dir is not None:
        if run is not None:
            raise TpcError("--run is for a program file; TARGET is already a run directory")
        from tpc.train import load_run

        run = load_run(run_dir)
    examples = [check_tokens(program, line.split()) for line in inputs]
    if task_name is None:
        recorded = run.train.task if run is not None else program.meta.get("task")
        task_name = recorded if isinstance(recorded, str) and recorded in TASKS else None
    task = get_task(task_name) if task_name is not None else None
    curves = read_curves(run.path, run_labels([run.path])[0]) if run is not None else None
    page = build_report(
        program,
        title=title,
        run=run,
        curves=curves,
        task=task,
        k=k,
        n=n,
        examples=examples,
        layout=layout,
        exhaustive_limit=exhaustive_limit,
        log=lambda message: click.echo(f"  {message}", err=True),
    )
    _write(out, page)
