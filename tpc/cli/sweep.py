"""``tpc sweep SPEC``: train a grid of configurations; ``tpc sweep report SWEEP_DIR``: its
table (issue 19; the logic is in :mod:`tpc.sweep`)."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from pathlib import Path

import click

from tpc.cli.common import CommandError, ErrorGroup, interrupted, one_line_errors


class _SweepGroup(ErrorGroup):
    """``tpc sweep SPEC [OPTIONS]`` is ``tpc sweep run SPEC [OPTIONS]``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group("sweep", cls=_SweepGroup)
def sweep() -> None:
    """Train every configuration of a sweep spec, locally or on Ray, and report.

    \b
    tpc sweep SPEC [-o SWEEP_DIR] [--workers N] [--ray [ADDRESS]]
    tpc sweep report SWEEP_DIR [-o FILE] [--format markdown|csv|json] [--lower DIR]
    tpc sweep compare SWEEP_DIR... [-o FILE] [--format markdown|csv|json] [--title TEXT]

    SPEC is TOML: a [base] configuration (task, preset, tpc train options by their
    TrainConfig names), [axes] to vary (lists; seeds are an axis), optional [random]
    draws and [report] settings; see sweeps/*.toml and docs of tpc.sweep.spec. Each trial
    is a normal tpc train run directory under SWEEP_DIR.
    """


@sweep.command("run")
@click.argument("spec", required=False, metavar="SPEC")
@click.option(
    "-o",
    "--out",
    "out",
    type=click.Path(),
    help="Sweep directory [default: the spec's output, else runs/sweeps/SPEC_NAME].",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Trials at a time (one process and one torch thread each) [default: the CPU "
    "cores; with --ray ADDRESS: the cluster's CPUs].",
)
@click.option(
    "--ray",
    "ray_address",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[ADDRESS]",
    help="Run the trials as Ray tasks: alone, on a local Ray instance it starts; with an "
    "ADDRESS (auto, HOST:6379, ray://HOST:10001), on that cluster. Needs tpc[ray]. "
    "Put it after SPEC, or write --ray=ADDRESS.",
)
@click.option(
    "--only",
    multiple=True,
    metavar="KEY=V1,V2",
    help="Run only the trials with these values of an axis (repeat for more axes); the "
    "others stay as they are.",
)
@click.option("--dry-run", is_flag=True, help="List the trials and their state; run nothing.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Live progress line [default: on a terminal].",
)
@one_line_errors
def run(
    spec: str | None,
    out: str | None,
    workers: int | None,
    ray_address: str | None,
    only: tuple[str, ...],
    dry_run: bool,
    progress: bool | None,
) -> None:
    """Train the trials of SPEC that are not finished yet.

    Finished trials are skipped and interrupted ones resume from their checkpoints, so
    rerunning the same command continues a sweep. Ctrl-C stops starting trials and asks
    the running ones to save and stop (they resume next time); finished ones are kept.
    Exit status: 0 when every selected trial finished, 1 if one failed, 130 after Ctrl-C.
    """
    from tpc.sweep.run import plan_sweep, run_sweep

    if spec is None:
        hint = (
            "; --ray takes an optional ADDRESS, so put it after SPEC or write --ray=ADDRESS"
            if ray_address
            else ""
        )
        raise click.UsageError(f"give a sweep SPEC (a .toml file){hint}")
    plan = plan_sweep(spec, out, only)
    if dry_run:
        counts = {"new": 0, "resume": 0, "done": 0}
        for t in plan.selected:
            state = plan.states[t.name]
            counts[state] += 1
            click.echo(f"{state:6}  {t.name}")
        click.echo(
            f"{len(plan.selected)} trial(s) of {len(plan.trials)}: {counts['done']} finished, "
            f"{counts['resume']} to resume, {counts['new']} to start -> {plan.sweep_dir}"
        )
        return
    live = sys.stdout.isatty() if progress is None else progress
    summary = run_sweep(
        plan,
        workers=workers,
        ray_address=ray_address or None,
        use_ray=ray_address is not None,
        echo=click.echo,
        live=live,
    )
    report = f"tpc sweep report {shlex.quote(str(plan.sweep_dir))}"
    if summary.interrupted:
        raise interrupted(
            f"interrupted: {summary.done} of {summary.total} trials finished "
            f"(rerun the same command to continue; {report} for the table so far)"
        )
    if summary.failed:
        name, why = summary.failed[0]
        more = f" (and {len(summary.failed) - 1} more)" if len(summary.failed) > 1 else ""
        raise CommandError(
            f"{len(summary.failed)} of {summary.total} trials failed: {name}: {why}{more}; "
            f"their output is in {plan.sweep_dir / 'logs'}"
        )
    click.echo(f"{summary.done} of {summary.total} trials finished -> {plan.sweep_dir}; {report}")


def _table_output(command: Callable[..., None]) -> Callable[..., None]:
    """``-o FILE`` and ``--format``, the options of every command that writes a table."""
    command = click.option(
        "--format",
        "fmt",
        type=click.Choice(["markdown", "csv", "json"]),
        help="Format [default: from -o's suffix (.csv, .json), else markdown].",
    )(command)
    return click.option(
        "-o", "--out", "out", type=click.Path(), help="Write the table here [stdout]."
    )(command)


def _write_table(text: str, out: str | None, what: str) -> None:
    """The table on stdout, or written atomically to ``out`` with a line saying so."""
    from tpc.fileio import write_atomic

    if out is None:
        click.echo(text, nl=False)
    else:
        write_atomic(out, text)
        click.echo(f"wrote {out} ({what})")


@sweep.command("report")
@click.argument("sweep_dir", type=click.Path(path_type=Path))
@_table_output
@click.option(
    "--target",
    type=click.FloatRange(0, 100),
    help="Count the replicates whose test accuracy (%) reaches this [default: the "
    "spec's report.target].",
)
@click.option(
    "--lower",
    "lower_dir",
    type=click.Path(path_type=Path),
    help="Also compile each group's best trial into DIR/GROUP (lower, -O3, every back "
    "end, verify) and report its size and verification.",
)
@one_line_errors
def report(
    sweep_dir: Path,
    out: str | None,
    fmt: str | None,
    target: float | None,
    lower_dir: Path | None,
) -> None:
    """The results table of the sweep in SWEEP_DIR.

    Per group of axis values: the mean and best test accuracy over seeds, the best trial
    by validation accuracy and its test accuracy, the spec's reference figures, the
    replicates reaching the target, wall and CPU seconds per trial.
    """
    from tpc.fileio import check_output_dir, check_writable
    from tpc.sweep.report import build, format_for, render
    from tpc.sweep.sweepdir import read_sweep

    if out is not None:
        check_writable(out)
    if lower_dir is not None:
        check_output_dir(lower_dir)
    swept = read_sweep(sweep_dir)
    kind = format_for(out, fmt)
    args = ["tpc", "sweep", "report", str(sweep_dir)]
    if target is not None:
        args += ["--target", f"{target:g}"]
    if lower_dir is not None:
        args += ["--lower", str(lower_dir)]
    if out is not None:
        args += ["-o", str(out)]
    data = build(swept, target, lower_dir, log=lambda m: click.echo(m, err=True))
    text = render(data, kind, shlex.join(args))
    _write_table(text, out, f"{len(data['groups'])} groups, {len(data['trials'])} trials")


@sweep.command("compare")
@click.argument("sweep_dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
@_table_output
@click.option(
    "--title",
    default="Best by validation across sweeps",
    show_default=True,
    help="The markdown table's title.",
)
@one_line_errors
def compare(sweep_dirs: tuple[Path, ...], out: str | None, fmt: str | None, title: str) -> None:
    """The best model per task across the sweeps in SWEEP_DIRS.

    Per task: of every group's best trial by validation in every sweep, the one with the
    highest validation accuracy (the test split never picks), its configuration and test
    accuracy; each sweep's own best by validation; the reference figures of the specs.
    """
    from tpc.fileio import check_writable
    from tpc.sweep.compare import compare as compare_sweeps
    from tpc.sweep.compare import render
    from tpc.sweep.report import build, format_for
    from tpc.sweep.sweepdir import read_sweep

    if out is not None:
        check_writable(out)
    if len(set(map(Path.resolve, sweep_dirs))) != len(sweep_dirs):
        raise CommandError("a sweep directory is given twice")
    doc = compare_sweeps([build(read_sweep(d)) for d in sweep_dirs])
    args = ["tpc", "sweep", "compare", *map(str, sweep_dirs)]
    if out is not None:
        args += ["-o", str(out)]
    text = render(doc, format_for(out, fmt), shlex.join(args), title)
    _write_table(text, out, f"{len(doc['tasks'])} tasks, {len(sweep_dirs)} sweeps")
