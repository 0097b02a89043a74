"""``tpc demo``: the whole pipeline on an embedded default, in a few minutes.

Trains sort (k = N = 8) in the paper's architecture on inputs of uniformly drawn lengths
(short inputs are rare in the paper's data), refines the trained program until it is
right on every one of the 19,530 inputs up to length 8 (``tpc refine``: the readout
repair, :mod:`tpc.train.refine`), lowers the refined model to IR, optimises it, emits
every back end, verifies model = IR = Python = RASP text on every input, scores the
program on all 19,530 inputs, prints the program and where the files are, and ends by
writing the program's report page (``report.html``, :mod:`tpc.draw.report`) and saying
where it is. A finished run in the output directory is reused, an interrupted one
resumed.
"""

from __future__ import annotations

from pathlib import Path

import click

from tpc.train import TrainConfig

#: Lines of the emitted program's run() that the demo prints.
SHOWN_LINES = 60

#: The demo's training run: the paper's sort architecture (3 layers, 4+4 heads, 2+2 MLPs),
#: 10,000 inputs with uniformly drawn lengths, 80 epochs.
DEMO_CONFIG = TrainConfig(
    task="sort",
    dataset_size=10_000,
    length_dist="uniform",
    n_layers=3,
    n_heads_cat=4,
    n_heads_num=4,
    n_cat_mlps=2,
    n_num_mlps=2,
    epochs=80,
    seed=0,
)


def run_demo(out_dir: Path, epochs: int, progress: bool = True) -> None:
    """Train (unless already done; an interrupted run is resumed), refine, compile, verify
    and score; print as it goes. Ctrl-C while training raises ``KeyboardInterrupt`` once
    the run is saved (running the demo again resumes it)."""
    import dataclasses
    import shutil

    from tpc.evaluate import score
    from tpc.pipeline import check_outputs, compile_run
    from tpc.tasks import get_task
    from tpc.train import train_run
    from tpc.train.refine import RefineOptions, refine
    from tpc.train.rundir import CONFIG, RESULTS, read_results

    run_dir, refined_dir = out_dir / "run", out_dir / "refined"
    check_outputs(out_dir / "program", "sort")  # before training, not after
    click.secho(f"1/4 train sort (k = N = 8) for {epochs} epochs -> {run_dir}", bold=True)
    if (run_dir / RESULTS).is_file() and not read_results(run_dir)["interrupted"]:
        click.echo(f"    reusing the finished run in {run_dir} (delete it to train again)")
    else:
        if (run_dir / CONFIG).is_file():
            click.echo(f"    resuming the unfinished run in {run_dir}, with its options")
            results = train_run(run_dir, resume=True, progress=progress)
        else:
            config = dataclasses.replace(DEMO_CONFIG, epochs=epochs)
            results = train_run(run_dir, config, progress=progress)
        if results["interrupted"]:
            raise KeyboardInterrupt  # saved; the next `tpc demo` resumes it
        shutil.rmtree(refined_dir, ignore_errors=True)  # the refinement of an older run
        acc = results["accuracy"]
        click.echo(
            f"    discrete accuracy: train {acc['train']:.4f}  val {acc['val']:.4f}  test {acc['test']:.4f}"
        )
    click.secho(f"2/4 refine it on every input up to length 8 -> {refined_dir}", bold=True)
    if (refined_dir / RESULTS).is_file():
        click.echo(f"    reusing the refined run in {refined_dir} (delete it to refine again)")
    else:
        results = refine(
            run_dir, refined_dir, RefineOptions(rounds=0), log=lambda m: click.echo(f"    {m}")
        )
        if results["refine"]["interrupted"]:
            raise KeyboardInterrupt
    click.secho("3/4 lower, optimise (-O3), emit every back end, verify", bold=True)
    result = compile_run(
        refined_dir, out_dir / "program", stem="sort", log=lambda m: click.echo(f"    {m}")
    )
    click.secho("4/4 score the program on every input up to length 8", bold=True)
    task = get_task("sort")
    s = score(result.program, task, task.enumerate(8, 8))
    click.echo(
        f"    token accuracy {100 * s.token_accuracy:.2f}%, sequence accuracy "
        f"{100 * s.sequence_accuracy:.2f}% over {s.seqs:,} inputs"
        + (": exact on every input" if s.seqs_right == s.seqs else "")
    )
    for seq, got, want in s.counterexamples[:3]:
        click.echo(f"    e.g. {' '.join(seq)} -> {' '.join(got)} (want {' '.join(want)})")
    source = result.files["python"].read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(source) if line.startswith("def run("))
    click.secho(f"\nThe learned program's run() ({len(source)} lines in all):\n", bold=True)
    click.echo("\n".join(source[start : start + SHOWN_LINES]))
    click.echo(f"    ... see {result.files['python']}\n")
    click.secho("Files:", bold=True)
    for target, path in result.files.items():
        click.echo(f"    {target:<7} {path}")
    click.echo(f"    run     {run_dir}")
    click.echo(f"    refined {refined_dir}")
    click.echo(f"\nTry: tpc run {result.files['json']} '<s>' 3 1 2 '</s>'")
    write_report(result.program, refined_dir, out_dir / "report.html")


def write_report(program, run_dir: Path, path: Path) -> None:
    """Write the demo program's report page (``tpc report``'s, with the run's curves and
    soft attention) and say where it is."""
    import time

    from tpc.draw.report import build_report
    from tpc.draw.training import read_curves
    from tpc.fileio import write_atomic
    from tpc.tasks import get_task
    from tpc.train import load_run

    start = time.perf_counter()
    click.secho("\nWriting the program's report page", bold=True)
    page = build_report(
        program,
        title="sort (tpc demo)",
        run=load_run(run_dir),
        curves=read_curves(run_dir, "tpc demo"),
        task=get_task("sort"),
        log=lambda m: click.echo(f"    {m}"),
    )
    write_atomic(path, page)
    click.echo(
        f"Report: {path} ({time.perf_counter() - start:.1f} s; one self-contained page, "
        "open it in a browser)"
    )
