"""``tpc refine RUN_DIR -o OUT_DIR``: make a trained program right on its whole domain by
readout repair, discrete search and counterexample-guided training (:mod:`tpc.train.refine`)."""

from __future__ import annotations

from pathlib import Path

import click

from tpc.cli.common import one_line_errors, run_task_option
from tpc.tasks.base import MAX_ENUMERATED


@click.command("refine")
@click.argument("run_dir", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="New run directory for the refined program.",
)
@click.option(
    "--rounds",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Counterexample rounds of fine-tuning after the first readout repair.",
)
@click.option(
    "--search-steps",
    type=click.IntRange(min=0),
    default=8,
    show_default=True,
    help="Discrete search steps per round (one head predicate, head read or MLP table "
    "entry changed each); 0: none.",
)
@click.option(
    "--epochs",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    help="Fine-tuning epochs per round.",
)
@click.option(
    "--copies",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    help="Copies of each wrong input added to the training split in a round.",
)
@click.option(
    "--lr",
    type=click.FloatRange(min=0.0, min_open=True),
    default=0.01,
    show_default=True,
    help="Adam learning rate of the fine-tuning rounds.",
)
@click.option(
    "--tau",
    type=click.FloatRange(min=0.0, min_open=True),
    default=0.1,
    show_default=True,
    help="Gumbel-softmax temperature at the start of each round (it ends 10x lower).",
)
@click.option(
    "--seconds",
    type=click.FloatRange(min=0.0),
    default=None,
    help="Stop after the round that passes this much wall time.",
)
@click.option(
    "--max-inputs",
    type=click.IntRange(min=1, max=MAX_ENUMERATED),
    default=2_000_000,
    show_default=True,
    help="Check every input up to N when there are at most this many, else samples.",
)
@click.option(
    "--samples",
    type=click.IntRange(min=1, max=MAX_ENUMERATED // 3),
    default=200_000,
    show_default=True,
    help="Sampled inputs per input distribution of the task (2, Dyck 3) when the domain is larger.",
)
@click.option(
    "--threads", type=click.IntRange(min=1), default=1, show_default=True, help="torch CPU threads."
)
@run_task_option
@one_line_errors
def refine(
    run_dir: Path,
    out: Path,
    rounds: int,
    search_steps: int,
    epochs: int,
    copies: int,
    lr: float,
    tau: float,
    seconds: float | None,
    max_inputs: int,
    samples: int,
    threads: int,
) -> None:
    """Refine the trained program of RUN_DIR until it is right on every input of its
    task's domain (or the budget is spent), and write it to OUT_DIR as a new run.

    Each round checks the discrete model on every input up to N (or on large samples
    when there are more than --max-inputs), fits the readout to the domain's labels,
    searches single changes of head predicates, head reads and MLP table entries that
    leave fewer inputs wrong, and, while inputs stay wrong, fine-tunes the model on its
    training split plus the wrong inputs. Every change is a change of weights: tpc lower and tpc verify work on
    OUT_DIR as on any run. Ctrl-C ends the round early and writes the best model so far.
    """
    from tpc.train.loop import torch_threads
    from tpc.train.refine import RefineOptions
    from tpc.train.refine import refine as run_refine

    options = RefineOptions(
        rounds=rounds,
        search_steps=search_steps,
        epochs=epochs,
        copies=copies,
        lr=lr,
        tau=tau,
        seconds=seconds,
        max_inputs=max_inputs,
        samples=samples,
    )
    with torch_threads(threads):
        results = run_refine(
            run_dir, out, options, log=lambda message: click.echo(message, err=True)
        )
    summary = results["refine"]
    verdict = ("exact on " if summary["exact"] else f"{summary['wrong']:,} wrong of ") + summary[
        "domain"
    ]
    test = results["accuracy"]["test"]
    click.echo(f"{out}: {verdict}; test accuracy {100 * test:.2f}% ({summary['seconds']:.0f} s)")
    if summary["interrupted"]:
        click.get_current_context().exit(130)
