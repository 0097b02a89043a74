"""The ``tpc`` group and its small commands (tasks, run, emit, eval, lower, verify, demo,
ir show|stats); the commands with heavy imports (train, search-wiring, opt, tracr) live in
their own modules of :mod:`tpc.cli` and load on first use.

The one-line error promise is :mod:`tpc.cli.common`'s; a Ctrl-C even while Python imports
the command's modules prints one line and exits with 130.
"""

from __future__ import annotations

import sys

try:  # a Ctrl-C while the modules load is an interrupt like any other: one line, 130
    import importlib
    import json

    import click
    import numpy as np

    from tpc.cli.common import (
        ErrorGroup,
        TaskName,
        interrupted,
        parse_vocab,
        program_options,
        run_task_option,
        set_running_as_program,
        stop_listening_for_ctrl_c,
    )
    from tpc.errors import EmitError, IRError, TpcError, quote
    from tpc.ir import Program
    from tpc.tasks import CORPORA, TASKS, get_task
except KeyboardInterrupt:
    sys.stderr.write("Error: interrupted\n")
    raise SystemExit(130) from None

#: Commands in their own modules, imported on first use (the trainer needs torch, which
#: takes seconds to import): name -> "module:attribute".
LAZY_COMMANDS = {
    "train": "tpc.cli.train:train",
    "search-wiring": "tpc.cli.search_wiring:search_wiring",
    "opt": "tpc.cli.opt:opt",
    "tracr": "tpc.cli.tracr:tracr_group",
    "draw": "tpc.cli.draw:draw_group",
    "report": "tpc.cli.draw:report",
    "sweep": "tpc.cli.sweep:sweep",
    "explain": "tpc.cli.explain:explain",
    "refine": "tpc.cli.refine:refine",
}


class _MainGroup(ErrorGroup):
    """The ``tpc`` group: adds the lazily imported commands of :data:`LAZY_COMMANDS`."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS and name not in self.commands:
            module, attr = LAZY_COMMANDS[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attr), name)
        return super().get_command(ctx, name)

    def main(self, args=None, *rest, **kwargs):
        """Run the command line; as the program (``args`` from ``sys.argv``), a Ctrl-C
        after the command has ended is ignored (see :func:`~tpc.cli.common.stop_listening_for_ctrl_c`)."""
        set_running_as_program(args is None)
        try:
            return super().main(args, *rest, **kwargs)
        finally:
            stop_listening_for_ctrl_c()


@click.group(cls=_MainGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tpc")
def main() -> None:
    """tpc, the Transformer Program Compiler: train Transformer Programs, lower them to a
    RASP-like IR, optimise, emit Python / RASP / Tracr, run and verify."""


def _load(path: str, vocab, max_len, output) -> Program:
    from tpc.loading import load_program

    return load_program(path, vocab=vocab, max_len=max_len, output=output)


def _to_stdout(path: str | None) -> bool:
    return path is None or path == "-"


def _check_out(path: str | None) -> None:
    """Check an output file before the work that makes it (nothing for stdout)."""
    if not _to_stdout(path):
        from tpc.fileio import check_writable

        check_writable(path)


def _write(path: str | None, text: str) -> None:
    """Write to a file atomically, or to stdout for ``-`` / no path."""
    if _to_stdout(path):
        click.echo(text, nl=not text.endswith("\n"))
        return
    from tpc.fileio import write_atomic

    write_atomic(path, text)


# ---- tasks --------------------------------------------------------------------------------


@main.command("tasks")
def tasks_cmd() -> None:
    """List the tasks: the synthetic ones, the NLP corpora, then installed plug-in tasks
    (entry points of group tpc.tasks, not loaded). TASK may also be PATH.rasp or
    PATH.py:NAME (see tpc train --help)."""
    from tpc.tasks.user import plugin_tasks

    plugins = plugin_tasks()
    width = max(len(n) for n in [*TASKS, *CORPORA, *plugins])
    for name, task in TASKS.items():
        click.echo(
            f"{name:<{width}}  k={task.default_k:<2} N={task.default_n:<2} {task.description}"
        )
    for name, corpus in CORPORA.items():
        click.echo(f"{name:<{width}}  {corpus.kind:<14} {corpus.description}")
    for name, target in plugins.items():
        click.echo(f"{name:<{width}}  plug-in        {target}")


# ---- run ----------------------------------------------------------------------------------


@main.command("run")
@click.argument("program", type=click.Path(dir_okay=False))
@click.argument("tokens", nargs=-1, required=True)
@program_options
@click.option("--node", metavar="NAME", help="Print this node's values instead of the output.")
def run_cmd(program: str, tokens: tuple[str, ...], vocab, max_len, output, node) -> None:
    """Run PROGRAM (.rasp or .tpir.json) on TOKENS; print the output tokens.

    A program learned on a corpus takes a sentence's raw tokens, as its emitted Python's
    run does, and prints one tag per token or the class (with --node: the program's own
    inputs, <s> + vocabulary words)."""
    from tpc.evaluate import predict_text, render
    from tpc.ir import run
    from tpc.ir.reading import reading_of

    prog = _load(program, vocab, max_len, output)
    if node is not None and node not in prog.nodes:
        raise TpcError(f"the program has no node named '{node}'")
    if node is None and reading_of(prog) is not None:
        out = predict_text(prog, [list(tokens)])[0]
        click.echo(out if isinstance(out, str) else " ".join(out))
        return
    out = run(prog, [list(tokens)], node=node)[0]
    click.echo(" ".join(render(v) for v in out))


# ---- emit ---------------------------------------------------------------------------------


@main.command("emit")
@click.argument("program", type=click.Path(dir_okay=False))
@click.option("--to", "target", required=True, help="Back end: python, rasp, tracr, json, dot.")
@click.option("-o", "--out", "out", metavar="FILE", help="Output file (default: stdout).")
@program_options
def emit_cmd(program: str, target: str, out: str | None, vocab, max_len, output) -> None:
    """Emit PROGRAM through a back end."""
    from tpc.backends import emit

    _check_out(out)
    prog = _load(program, vocab, max_len, output)
    _write(out, emit(prog, target))
    if not _to_stdout(out):
        click.echo(f"wrote {out}", err=True)


# ---- eval ---------------------------------------------------------------------------------


@main.command("eval")
@click.argument("program", type=click.Path(dir_okay=False))
@click.option(
    "--task",
    "task_name",
    required=True,
    type=TaskName(),
    help="Task whose labels to score against (see `tpc tasks`; or PATH.py:NAME, a plug-in).",
)
@click.option("--k", type=click.IntRange(min=2), help="Vocabulary size k (default: the task's).")
@click.option(
    "--max-len",
    "n",
    type=click.IntRange(min=1),
    help="Task max length N incl. BOS/EOS (default: the task's); a RASP program task "
    "(--task PATH.rasp): its longest input without <s>, as tpc train takes it.",
)
@click.option("--exhaustive", is_flag=True, help="Score every input up to N instead of a sample.")
@click.option(
    "--samples", type=click.IntRange(min=1), default=2000, show_default=True, help="Sampled inputs."
)
@click.option(
    "--length-dist",
    type=click.Choice(["reference", "uniform"]),
    default="uniform",
    show_default=True,
    help="Sampling distribution of input lengths.",
)
@click.option(
    "--dist",
    metavar="NAME",
    help="Sample from this input distribution of the task instead: one of those tpc refine "
    "checks (the length distributions; Dyck: reference, random, walk).",
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--vocab",
    callback=parse_vocab,
    metavar="A,B,C",
    help="RASP text: vocabulary (default: the task's symbols); a RASP program task "
    "(--task PATH.rasp): its symbols.",
)
@click.option("--output", metavar="NAME", help="RASP text: output variable.")
@click.option(
    "--split",
    type=click.Choice(["test", "validation", "train"]),
    default="test",
    show_default=True,
    help="A corpus: the split to score.",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, exists=True),
    help="A corpus: directory of its files. [default: as tpc train]",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_cmd(
    program, task_name, k, n, exhaustive, samples, length_dist, dist, seed, vocab, output,
    split, data_dir, as_json,
) -> None:
    """Score PROGRAM on a task: token and sequence accuracy, per length, counterexamples.

    RASP text reads only the content tokens: its vocabulary defaults to the task's symbols
    and its max length to N minus the task's BOS/EOS, unless its header (as `tpc emit`
    writes it) gives them. A corpus (conll_ner, trec, ...) scores a program learned on it
    on every sentence of a split, as raw text: entity F1 (NER) or accuracy.
    """
    from tpc.evaluate import score
    from tpc.loading import rasp_file_header
    from tpc.tasks import CORPORA, EOS, decode

    if task_name in CORPORA:
        _eval_corpus(_load(program, None, None, output), task_name, split, data_dir, as_json)
        return
    if task_name.endswith(".rasp"):
        _register_rasp_task(task_name, vocab, n)
        vocab = vocab if program.endswith(".rasp") else None  # the task's, not an IR file's
        n = None  # the task's N: --max-len symbols and <s>
    task = get_task(task_name)
    k = k or task.default_k
    n = n or task.default_n
    rasp_len = n - 1 - (EOS in task.input_vocab(k))
    rasp = program.endswith(".rasp")
    emitted = rasp and "vocab" in rasp_file_header(program)  # text tpc wrote: it says
    default_vocab = task.symbols(k) if rasp and not emitted else None  # IR says its own
    prog = _load(
        program,
        vocab if vocab is not None else default_vocab,
        rasp_len if rasp and not emitted else None,
        output,
    )
    if exhaustive:
        total = task.check_enumerable(k, n)
        inputs = task.enumerate(k, n)
        what = f"all {total:,} inputs up to length {n}"
    elif dist is not None:
        ids = task.sample_check_ids(np.random.default_rng(seed), samples, k, n, dist)
        inputs = decode(ids, task.input_vocab(k))
        what = f"{samples:,} sampled inputs ({dist} distribution, seed {seed})"
    else:
        inputs = task.sample(np.random.default_rng(seed), samples, k, n, length_dist)
        what = f"{samples:,} sampled inputs ({length_dist} lengths, seed {seed})"
    result = score(prog, task, inputs)
    if as_json:
        click.echo(
            json.dumps(
                {"task": task.name, "k": k, "n": n, "inputs": what, **result.to_json()}, indent=1
            )
        )
        return
    click.echo(f"{task.name} (k={k}, N={n}) on {what}")
    click.echo(
        f"token accuracy    {100 * result.token_accuracy:7.2f}%  ({result.tokens_right}/{result.tokens})"
    )
    click.echo(
        f"sequence accuracy {100 * result.sequence_accuracy:7.2f}%  ({result.seqs_right}/{result.seqs})"
    )
    click.echo("length  sequences  token acc  seq acc")
    for length, (tr, t, sr, s) in sorted(result.by_length.items()):
        click.echo(
            f"{length:>6}  {s:>9}  {100 * tr / max(t, 1):8.2f}%  {100 * sr / max(s, 1):6.2f}%"
        )
    for seq, got, want in result.counterexamples:
        click.echo(
            f"counterexample: {' '.join(seq)}\n   got  {' '.join(got)}\n   want {' '.join(want)}"
        )


def _register_rasp_task(path: str, vocab: list[str] | None, n: int | None) -> None:
    """``tpc eval --task PATH.rasp``: the task of that RASP program over ``--vocab``, with
    inputs of ``<s>`` + at most ``--max-len`` symbols (as ``tpc train`` takes them),
    registered under PATH."""
    from tpc.frontends.rasp_to_task import rasp_task
    from tpc.ir.serialize import read_text
    from tpc.tasks.user import register

    if vocab is None or n is None:
        raise TpcError(f"--task {path} is a RASP program: give its --vocab and --max-len")
    TASKS.pop(path, None)
    register(path, rasp_task(read_text(path), vocab, n, name=path))


def _eval_corpus(prog, name: str, split: str, data_dir: str | None, as_json: bool) -> None:
    """``tpc eval`` of a program learned on the corpus ``name``: every sentence of ``split``."""
    from pathlib import Path

    from tpc.evaluate import score_text
    from tpc.ir.reading import reading_of
    from tpc.tasks import default_data_dir, get_corpus

    reading = reading_of(prog)
    if reading is None:
        raise TpcError(f"the program was not learned on a corpus, so it cannot read {name}")
    if reading.corpus != name:
        raise TpcError(f"the program was learned on {reading.corpus}, not on {name}")
    splits = get_corpus(name).load(default_data_dir() if data_dir is None else Path(data_dir))
    result = score_text(prog, getattr(splits, split))
    if as_json:
        click.echo(json.dumps({"corpus": name, "split": split, **result.to_json()}, indent=1))
        return
    click.echo(f"{name} {split}: {result.sentences:,} sentences")
    if result.entities is not None:
        e = result.entities
        click.echo(
            f"entity precision {100 * e.precision:.2f}  recall {100 * e.recall:.2f}  "
            f"F1 {100 * e.f1:.2f}  ({e.support:,} entities)"
        )
        click.echo(f"token accuracy   {100 * result.accuracy:.2f}%")
    else:
        click.echo(f"accuracy {100 * result.accuracy:.2f}%")


# ---- lower / verify -----------------------------------------------------------------------


@main.command("lower")
@click.argument("run_dir", type=click.Path(file_okay=False))
@click.option("-o", "--out", "out", metavar="FILE", help="Output .tpir.json (default: stdout).")
@run_task_option
def lower_cmd(run_dir: str, out: str | None) -> None:
    """Lower a trained run's discrete model to an IR program, exactly."""
    from tpc.ir import dumps
    from tpc.ir.printer import program_stats
    from tpc.lower import lower_run

    _check_out(out)
    program = lower_run(run_dir)
    _write(out, dumps(program))
    if not _to_stdout(out):
        stats = program_stats(program)
        click.echo(f"wrote {out}: {stats['nodes']} nodes, {stats['heads']} heads", err=True)


@main.command("verify")
@click.argument("run_dir", type=click.Path(file_okay=False))
@click.argument("program", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--exhaustive/--no-exhaustive",
    default=None,
    help="Also every input up to N (default: when there are at most 2 million).",
)
@click.option(
    "--backends",
    default="python,rasp",
    show_default=True,
    help="Emitted back ends to check too ('' for none).",
)
@run_task_option
def verify_cmd(run_dir: str, program: str | None, exhaustive: bool | None, backends: str) -> None:
    """Check that PROGRAM (default: RUN_DIR lowered afresh) computes exactly what the
    run's discrete model computes, node by node, and that each back end's emitted code
    computes what the IR computes. Exit 1 on any disagreement."""
    from tpc.backends import emit
    from tpc.lower import inputs_meta, lower_run
    from tpc.train import load_run
    from tpc.verify import RUNNABLE_BACKENDS, run_inputs, verify_program

    run = load_run(run_dir)
    prog = lower_run(run) if program is None else _load(program, None, None, None)
    if run.train.is_corpus() and prog.meta.get("text") != inputs_meta(run.train)["text"]:
        raise TpcError(
            f"{program} reads raw text as {json.dumps(prog.meta.get('text'))}; the run "
            f"read it as {json.dumps(inputs_meta(run.train)['text'])}"
        )
    names = [b for b in backends.split(",") if b]
    for name in names:
        if name not in RUNNABLE_BACKENDS:
            raise TpcError(
                f"cannot run back end {quote(name)}; checkable: {', '.join(RUNNABLE_BACKENDS)}"
            )
    inputs = run_inputs(run, exhaustive)
    click.echo(f"verifying on {inputs.what}")
    texts = {}
    for name in names:
        try:
            texts[name] = emit(prog, name)
        except (EmitError, IRError) as e:  # no output to check is not a disagreement
            click.echo(f"IR vs {name}: not checked, the back end cannot write this program: {e}")
    verify_program(
        run.model, prog, inputs.seqs, texts, log=click.echo, sentences=inputs.sentences
    )


# ---- demo ---------------------------------------------------------------------------------


@main.command("demo")
@click.option("-o", "--out", "out", default="demo_out", show_default=True, type=click.Path())
@click.option("--epochs", type=click.IntRange(min=1), default=80, show_default=True)
@click.option("--progress/--no-progress", default=True, show_default=True)
def demo_cmd(out: str, epochs: int, progress: bool) -> None:
    """Train sort, refine it until exact, lower, optimise, emit every back end, verify,
    score on every input: the whole pipeline."""
    from tpc.cli.demo import run_demo
    from tpc.fileio import check_output_dir

    try:
        run_demo(check_output_dir(out), epochs, progress)
    except KeyboardInterrupt:
        raise interrupted(f"interrupted: run tpc demo -o {out} again to continue") from None


# ---- ir -----------------------------------------------------------------------------------


@main.group("ir")
def ir_group() -> None:
    """Inspect IR programs."""


@ir_group.command("show")
@click.argument("program", type=click.Path(dir_okay=False))
@program_options
def ir_show(program: str, vocab, max_len, output) -> None:
    """List PROGRAM's nodes, one per line, in evaluation order."""
    from tpc.ir.printer import format_program

    click.echo(format_program(_load(program, vocab, max_len, output)))


@ir_group.command("stats")
@click.argument("program", type=click.Path(dir_okay=False))
@program_options
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def ir_stats(program: str, vocab, max_len, output, as_json: bool) -> None:
    """Print PROGRAM's size: nodes by kind, heads, table entries, attention layers."""
    from tpc.ir.printer import program_stats

    stats = program_stats(_load(program, vocab, max_len, output))
    if as_json:
        click.echo(json.dumps(stats, indent=1))
    else:
        for key, value in stats.items():
            click.echo(f"{key:<16} {value}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
