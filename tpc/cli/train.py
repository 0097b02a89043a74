"""``tpc train TASK``: train a Transformer Program (or the standard baseline) on a task:
a synthetic task, a corpus (real text, issue 16), or a task of the user's: a RASP
program or a Python task (issue 17, :mod:`tpc.tasks.user`)."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from tpc.cli.common import TaskName, interrupted, one_line_errors
from tpc.model.config import ConfigError, option_of
from tpc.tasks import LENGTH_DISTS
from tpc.train.config import DEVICES, PRESETS, TAU_SCHEDULES, TrainConfig, preset_options

_DEFAULTS = {f.name: f.default for f in dataclasses.fields(TrainConfig)}

# Options that may accompany --resume whatever their value (they do not change what is
# trained); a training option may too, when it repeats the run's saved value.
_RUNTIME = {"resume", "progress", "emit_dir"}


def _opt(*decls: str, field: str, help: str, unset: str = "the task's", **kwargs: Any):  # noqa: A002
    """A training option whose default is TrainConfig's (unless a preset overrides it);
    ``unset`` describes the default when TrainConfig's is None."""
    default = _DEFAULTS[field]
    shown = unset if default is None else default
    return click.option(*decls, field, default=None, help=f"{help} [default: {shown}]", **kwargs)


def _model_options(command: Any) -> Any:
    """The options of TrainConfig's model fields, made of their declarations
    (:func:`tpc.model.config.option`), in field order."""
    hints = typing.get_type_hints(TrainConfig)
    for f in reversed(dataclasses.fields(TrainConfig)):  # each decorator goes on top
        option = option_of(f)
        if option is None:
            continue
        hint = hints[f.name]  # int, float or bool, or one of them | None
        kind = next(t for t in typing.get_args(hint) or (hint,) if t is not type(None))
        kwargs: dict[str, Any] = {} if option.unset is None else {"unset": option.unset}
        if kind is int and option.at_least is not None:
            kwargs["type"] = click.IntRange(min=option.at_least)
        elif kind in (int, float):
            kwargs["type"] = kind
        elif kind is not bool:  # bool: an --on/--off flag
            raise TypeError(f"no command-line type for {f.name}: {kind!r}")
        command = _opt(option.flag, field=f.name, help=option.help, **kwargs)(command)
    return command


@click.command("train")
@click.argument("task", required=False, type=TaskName())
@click.option(
    "-o",
    "--out",
    "out",
    type=click.Path(),
    help="Run directory to create (must be absent or empty).",
)
@click.option(
    "--resume",
    type=click.Path(path_type=Path),
    help="Continue the run in RUN_DIR from its last checkpoint, with its options.",
)
@click.option(
    "--preset",
    type=click.Choice(PRESETS),
    help="Start from the paper's configuration for TASK (Table 1; for a corpus its "
    "scripts/conll.sh or classification.sh); explicit options override it.",
)
@_opt(
    "--model",
    field="model",
    type=click.Choice(["tp", "standard"]),
    help="Transformer Program or the standard Transformer baseline.",
)
@_opt("--k", field="k", type=int, help="Vocabulary size, specials included (synthetic tasks).")
@_opt(
    "--n",
    field="n",
    type=int,
    help="Maximum length N, BOS/EOS included (a corpus: 32 for tagging, 64 for "
    "classification; longer sentences are split into windows or truncated).",
)
@_opt(
    "--vocab",
    field="task_vocab",
    metavar="A,B,C",
    help="A RASP program task (TASK.rasp): its vocabulary.",
    unset="none",
)
@_opt(
    "--max-len",
    field="task_max_len",
    type=click.IntRange(min=1),
    help="A RASP program task: its longest input (without <s>; N is one more).",
    unset="none",
)
@_opt(
    "--output",
    field="task_output",
    metavar="NAME",
    help="A RASP program task: the variable the model learns.",
    unset="the program's output",
)
@_opt("--dataset-size", field="dataset_size", type=int, help="Examples before the split.")
@_opt(
    "--length-dist",
    field="length_dist",
    type=click.Choice(LENGTH_DISTS),
    help="Input length distribution.",
)
@_opt(
    "--data-dir",
    field="data_dir",
    type=click.Path(file_okay=False),
    help="Directory of the corpus files (DIR/conll2003/train.txt, ...).",
    unset="$TPC_NLP_DATA, ../shared/data/nlp or the Hugging Face cache",
)
@_opt(
    "--vocab-size",
    field="vocab_size",
    type=click.IntRange(min=1),
    help="Words of a corpus's vocabulary (the most frequent in its training split; "
    "<pad>, <s>, <unk> come on top).",
)
@_opt(
    "--lowercase/--no-lowercase",
    field="lowercase",
    help="Lowercase a corpus's tokens.",
)
@_opt(
    "--replace-numbers/--keep-numbers",
    field="replace_numbers",
    help="Replace every run of digits in a corpus's tokens by @ (as the paper for CoNLL).",
)
@_opt(
    "--glove",
    field="glove",
    type=click.Path(dir_okay=False),
    help="Initialise the learned embedding from this GloVe text file (e.g. "
    "glove.840B.300d.txt, as the paper), randomly projected to the embedding's width.",
    unset="none",
)
@_opt("--seed", field="seed", type=int, help="Seed of initialisation, batches and noise.")
@_opt("--data-seed", field="data_seed", type=int, help="Seed of the dataset.", unset="--seed")
@_model_options
@_opt("--epochs", field="epochs", type=int, help="Training epochs.")
@_opt("--batch-size", field="batch_size", type=int, help="Batch size.")
@_opt("--lr", field="lr", type=float, help="Adam learning rate.")
@_opt("--tau-start", field="tau_start", type=float, help="Initial Gumbel temperature.")
@_opt("--tau-end", field="tau_end", type=float, help="Final Gumbel temperature.")
@_opt(
    "--tau-schedule",
    field="tau_schedule",
    type=click.Choice(TAU_SCHEDULES),
    help="Temperature annealing.",
)
@_opt(
    "--wiring",
    field="wiring",
    type=click.Path(dir_okay=False),
    help="Fix the heads' reads and predicates and the MLPs' reads to those of this wiring "
    "file (e.g. from tpc search-wiring) and train the rest.",
    unset="none",
)
@_opt(
    "--gumbel-samples",
    field="gumbel_samples",
    type=click.IntRange(min=1),
    help="Average each step's loss over this many relaxed passes, each with its own Gumbel noise.",
)
@_opt(
    "--clip-grad-norm",
    field="clip_grad_norm",
    type=click.FloatRange(min=0, min_open=True),
    help="Clip the gradient's norm to this before each optimiser step.",
    unset="no clipping",
)
@click.option(
    "--supervise",
    "supervise",
    multiple=True,
    metavar="L.H=SELECTOR",
    callback=lambda ctx, param, value: ",".join(value) if value else None,
    help="Supervise categorical head H of layer L (L.nH: numerical head H) with a "
    "selector of a RASP program: the RASP task's, or --supervise-program's (a selector "
    "variable, or an aggregate's or selector width's selector; `tpc ir show` lists "
    "them). Repeatable; needs --supervise-weight.",
)
@click.option(
    "--supervise-program",
    "supervise_program",
    type=click.Path(dir_okay=False),
    help="The RASP program whose selectors --supervise names, run on each input's "
    "content (the task's symbols, without <s> and </s>), for any synthetic task. "
    "[default: a RASP task's own program]",
)
@_opt(
    "--supervise-weight",
    field="supervise_weight",
    type=click.FloatRange(min=0),
    help="Weight C of the attention supervision loss, C x MSE(attention, target) "
    "(0: off; a Python task supervises the heads of its define_task(attention=...)).",
)
@_opt(
    "--threads",
    field="threads",
    type=click.IntRange(min=1),
    help="torch CPU threads (more rarely help at these sizes and hurt on a busy machine; "
    "the count changes the weights, so the run records it).",
)
@_opt(
    "--device",
    field="device",
    type=click.Choice(DEVICES),
    help="Train on the CPU or a CUDA GPU (the run records it: the weights differ).",
)
@click.option(
    "--progress/--no-progress", default=True, show_default=True, help="Show a progress bar."
)
@click.option(
    "--emit",
    "emit_dir",
    type=click.Path(),
    help="After training: lower, optimise (-O3), emit every back end into DIR and verify.",
)
@click.pass_context
@one_line_errors
def train(
    ctx: click.Context,
    task: str | None,
    out: str | None,
    resume: Path | None,
    preset: str | None,
    progress: bool,
    emit_dir: str | None,
    supervise_program: str | None,
    **options: Any,
) -> None:
    """Train a model on TASK and write a run directory (-o RUN_DIR).

    TASK: a task or corpus of `tpc tasks`; PATH.rasp, a RASP program whose output the
    model learns (with --vocab and --max-len); PATH.py:NAME, a task defined in Python
    with tpc.tasks.define_task; or an installed plug-in task.

    The run directory holds config.json, model.safetensors (the epoch with the best
    discrete validation accuracy), metrics.jsonl and results.json. Ctrl-C stops training,
    saves and evaluates what it has, and exits with status 130 (a second Ctrl-C skips the
    evaluation and leaves the run unfinished); --resume RUN_DIR continues a run that was
    stopped, with its saved options.
    """
    from tpc.fileio import check_output_dir
    from tpc.train.loop import train_run

    if resume is not None:
        _check_resume_options(ctx, resume)
        run_dir, config = resume, None
    else:
        if task is None or out is None:
            raise click.UsageError("give TASK and -o/--out RUN_DIR (or --resume RUN_DIR)")
        values = dict(preset_options(preset, task)) if preset else {}
        values.update({k: v for k, v in options.items() if v is not None})
        from tpc.ir.serialize import read_text

        if task.endswith(".rasp"):
            values["task_source"] = read_text(task)
        if supervise_program is not None:
            values["supervise_source"] = read_text(supervise_program)
        config = TrainConfig(task=task, **values)
        run_dir = check_output_dir(out)  # refuses "" (which Path() would read as ".")
    if emit_dir is not None:
        check_output_dir(emit_dir)
    try:
        results = train_run(run_dir, config, resume=resume is not None, progress=progress)
    except KeyboardInterrupt:
        raise interrupted(_unfinished(run_dir)) from None
    acc = results["accuracy"]
    kind = "discrete " if results["discrete"] else ""
    click.echo(
        f"{kind}accuracy: train {acc['train']:.4f}  val {acc['val']:.4f}  "
        f"test {acc['test']:.4f}  (best epoch {results['best_epoch']} of "
        f"{results['epochs_completed']}) -> {run_dir}"
    )
    if "supervised_agreement" in results:
        click.echo(_supervision_summary(results))
    if "corpus" in results:
        click.echo(_corpus_summary(results["corpus"]))
    if "glove_words" in results:
        glove = results["glove_words"]
        click.echo(f"GloVe: {glove['found']:,} of {glove['vocabulary']:,} tokens found")
    if results["interrupted"]:
        click.echo(f"interrupted: continue with tpc train --resume {run_dir}", err=True)
        ctx.exit(130)
    if emit_dir is not None and results["discrete"]:
        from tpc.pipeline import compile_run

        compiled = compile_run(run_dir, emit_dir, log=click.echo)
        click.echo("wrote " + ", ".join(str(p) for p in compiled.files.values()))


def _supervision_summary(results: dict[str, Any]) -> str:
    """One line on a supervised run: the discrete model's agreement with the attention
    targets on the test split, overall and per head."""
    heads = "  ".join(
        f"{key} {head['target']} {head['agreement']['test']:.4f}"
        for key, head in results["supervised_heads"].items()
    )
    test = results["supervised_agreement"]["test"]
    return f"supervised attention agreement (discrete, test): {test:.4f}  ({heads})"


def _corpus_summary(corpus: dict[str, Any]) -> str:
    """One line on a corpus run's test split: its sentences, inputs, truncations and,
    for tagging, entity F1."""
    test = corpus["test"]
    line = f"test: {test['sentences']:,} sentences"
    if corpus["kind"] == "tagging":
        line += f" in {test['inputs']:,} windows; entity F1 {test['f1']:.4f}"
        line += f" (precision {test['precision']:.4f}, recall {test['recall']:.4f})"
    elif test["truncated"]:
        line += f", {test['truncated']:,} truncated"
    return line


def _unfinished(run_dir: Path) -> str:
    """What to say when Ctrl-C stopped ``tpc train`` before it wrote its results."""
    from tpc.train.rundir import CONFIG

    if (run_dir / CONFIG).is_file():
        return f"interrupted before the run finished: continue with tpc train --resume {run_dir}"
    return "interrupted before the run started"


def _check_resume_options(ctx: click.Context, run_dir: Path) -> None:
    """ConfigError unless every option given with ``--resume`` is a runtime one or
    repeats the run's saved value (e.g. ``--threads`` as recorded)."""
    from tpc.train.rundir import read_config

    saved = read_config(run_dir)[0]
    decls = {p.name: p.opts[0] for p in ctx.command.params}
    clash = []
    for name, value in ctx.params.items():
        if name in _RUNTIME or ctx.get_parameter_source(name) is not ParameterSource.COMMANDLINE:
            continue
        if name in _DEFAULTS and getattr(saved, name) == value:
            continue
        flag = "TASK" if name == "task" else decls[name]
        clash.append(f"{flag}" + (f" (saved: {getattr(saved, name)})" if name in _DEFAULTS else ""))
    if clash:
        raise ConfigError(
            f"--resume continues {run_dir} with its saved options; drop {', '.join(clash)}"
        )
