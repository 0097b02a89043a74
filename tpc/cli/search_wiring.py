"""``tpc search-wiring RUN_DIR -o FILE``: search a better wiring for a trained
categorical-only program (:mod:`tpc.train.search`), for ``tpc train --wiring FILE``."""

from __future__ import annotations

from pathlib import Path

import click

from tpc.cli.common import one_line_errors, run_task_option


@click.command("search-wiring")
@click.argument("run_dir", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    "out",
    type=click.Path(),
    required=True,
    help="Wiring file to write (JSON), for tpc train --wiring.",
)
@click.option(
    "--rounds",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Passes over every head (stops early when one changes nothing).",
)
@click.option(
    "--budget",
    type=click.IntRange(min=1),
    default=200,
    show_default=True,
    help="Candidate wirings scored per head before the predicate search.",
)
@click.option(
    "--min-gain",
    type=click.FloatRange(min=0.0),
    default=0.005,
    show_default=True,
    help="Rewire a head only if the proxy accuracy rises by more than this.",
)
@click.option(
    "--layers",
    help="Comma-separated layers whose heads to search (default: all).",
)
@click.option(
    "--sample",
    type=click.IntRange(min=0),
    default=5000,
    show_default=True,
    help="Score on a random sample of this many training sequences (0: all).",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Seed of the random predicates and of the candidate sample.",
)
@click.option(
    "--threads", type=click.IntRange(min=1), default=1, show_default=True, help="torch CPU threads."
)
@run_task_option
@one_line_errors
def search_wiring(
    run_dir: Path,
    out: str,
    rounds: int,
    budget: int,
    min_gain: float,
    layers: str | None,
    sample: int,
    seed: int,
    threads: int,
) -> None:
    """Search a better wiring for the categorical-only program of RUN_DIR.

    Scores each candidate wiring of the discrete model by the training accuracy of the
    best additive readout over its variables (and over the value tuples its MLPs read),
    head by head (see tpc.train.search). Train the program it finds with
    tpc train ... --wiring FILE (the run's own options). Ctrl-C stops the search, writes
    the wiring accepted so far and exits with status 130.
    """
    from tpc.fileio import check_writable, write_atomic

    check_writable(out)  # before the search, not after it
    layer_list = _layer_list(layers)

    from tpc.model import TransformerProgram
    from tpc.train.data import load_data
    from tpc.train.loop import torch_threads
    from tpc.train.rundir import load_run
    from tpc.train.search import search_wiring as search
    from tpc.train.wiring import dumps_wiring, wiring_to_json

    with torch_threads(threads):
        run = load_run(run_dir)
        if not isinstance(run.model, TransformerProgram):
            raise click.ClickException(f"{run_dir} holds a standard Transformer, not a program")
        data = load_data(run.train)
        result = search(
            run.model,
            data.train,
            rounds=rounds,
            budget=budget,
            min_gain=min_gain,
            layers=layer_list,
            sample=sample,
            seed=seed,
            log=lambda msg: click.echo(msg, err=True),
        )
    doc = wiring_to_json(run.model, result.wiring)
    doc["found_by"] = {
        "command": f"tpc search-wiring {run_dir} --rounds {rounds} --budget {budget} "
        f"--min-gain {min_gain} --sample {sample} --seed {seed}"
        + (f" --layers {layers}" if layers else ""),
        "proxy_train_accuracy": {"start": result.start.accuracy, "found": result.score.accuracy},
        "moves": result.moves,
        "candidates_scored": result.evaluated,
        "interrupted": result.interrupted,
        "source_run": {
            "train_config": run.train.to_dict(),
            "accuracy": run.results.get("accuracy"),
        },
    }
    write_atomic(out, dumps_wiring(doc))
    click.echo(
        f"proxy train accuracy {result.start.accuracy:.4f} -> {result.score.accuracy:.4f} "
        f"({len(result.moves)} heads rewired, {result.evaluated} candidates scored) -> {out}"
    )
    if result.interrupted:
        click.get_current_context().exit(130)


def _layer_list(text: str | None) -> tuple[int, ...] | None:
    """``--layers 0,2`` as a tuple; a usage error unless it is comma-separated integers."""
    if text is None:
        return None
    try:
        return tuple(int(part) for part in text.split(","))
    except ValueError:
        raise click.BadParameter(f"expected layer numbers like 0,1, got {text!r}") from None
