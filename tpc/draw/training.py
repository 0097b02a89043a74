"""Training curves of one or more runs: loss, accuracy and temperature per epoch.

Read from each run directory's ``metrics.jsonl`` (one row per epoch, written by the
trainer: ``loss``, ``train_acc`` — the relaxed model on the training batches —,
``val_acc`` — the *discrete* model on the validation split, what selects the best epoch
—, ``tau``; other accuracy-like columns a run has, ``*_acc`` or ``*_f1``, are drawn too)
and, when the run finished, ``results.json`` (the best epoch and the discrete model's
final accuracies). Several runs are overlaid, one colour each, e.g. the seeds of a recipe.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tpc.draw.common import DrawError, drawing_style, figure_bytes, new_figure, text
from tpc.errors import printable

#: Most runs one picture overlays.
MAX_RUNS = 40


@dataclass
class Curves:
    """One run's metrics: ``rows`` per epoch, and its results (empty if unfinished)."""

    label: str
    rows: list[dict[str, Any]]
    results: dict[str, Any] = field(default_factory=dict)
    task: str = ""


def read_curves(run_dir: str | Path, label: str | None = None) -> Curves:
    """A run directory's metrics (and results when it has them); ``RunError`` for a
    directory that is not a run or has malformed files, DrawError when it has no epochs."""
    from tpc.train.rundir import RESULTS, read_config, read_metrics, read_results

    run_dir = Path(run_dir)
    train, _ = read_config(run_dir)  # a run directory at all (one-line RunError otherwise)
    rows = read_metrics(run_dir)
    if not rows:
        raise DrawError(f"{printable(str(run_dir))} has no metrics.jsonl epochs to draw")
    results = read_results(run_dir) if (run_dir / RESULTS).is_file() else {}
    return Curves(label or printable(str(run_dir)), rows, results, printable(train.task))


def run_labels(paths: Sequence[str | Path]) -> list[str]:
    """Short distinct names of run directories: the fewest trailing path parts (two at
    least) that tell them apart (``sort/s0``, ``sort/s1`` for ``runs/sort/s0``,
    ``runs/sort/s1``)."""
    parts = [Path(p).resolve().parts for p in paths]
    for k in range(2, max((len(p) for p in parts), default=1) + 1):
        labels = ["/".join(p[-k:]) for p in parts]
        if len(set(labels)) == len(labels):
            return [printable(label) for label in labels]
    return [printable(str(p)) for p in paths]


def _series(rows: list[dict[str, Any]], key: str) -> tuple[list[int], list[float]]:
    xs, ys = [], []
    for row in rows:
        v = row.get(key)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
            xs.append(int(row["epoch"]))
            ys.append(float(v))
    return xs, ys


def _accuracy_keys(runs: Sequence[Curves]) -> list[str]:
    keys = ["train_acc", "val_acc"]
    for run in runs:
        for row in run.rows[:1]:
            keys += [k for k in row if k.endswith(("_acc", "_f1")) and k not in keys]
    return keys


#: How each accuracy column is named in the legend, and its line style.
ACCURACY_NAMES = {
    "train_acc": ("train (relaxed model, training batches)", "-"),
    "val_acc": ("validation (discrete model)", "--"),
}


def draw_training(runs: Sequence[Curves], fmt: str = "png") -> bytes:
    """A PNG or SVG of the runs' curves, one colour per run: the training loss, the
    accuracies (the relaxed model's on the training batches, the discrete model's on the
    validation split, with the best epoch marked and the final discrete test accuracy as
    a point at the end) and the Gumbel-softmax temperature (log scale)."""
    if not runs:
        raise DrawError("give at least one run directory")
    if len(runs) > MAX_RUNS:
        raise DrawError(f"{len(runs)} runs are too many for one picture (at most {MAX_RUNS})")
    acc_keys = _accuracy_keys(runs)
    with drawing_style():
        fig = new_figure(12.5, 4.2 + 0.18 * len(runs))
        loss_ax, acc_ax, tau_ax = fig.subplots(1, 3)
        colours = [f"C{i % 10}" for i in range(len(runs))]
        for run, colour in zip(runs, colours):
            label = text(run.label, 40)
            loss_ax.plot(*_series(run.rows, "loss"), color=colour, label=label)
            tau_ax.plot(*_series(run.rows, "tau"), color=colour, label=label)
            for key in acc_keys:
                name, style = ACCURACY_NAMES.get(key, (key, ":"))
                xs, ys = _series(run.rows, key)
                if xs:
                    acc_ax.plot(
                        xs,
                        ys,
                        color=colour,
                        linestyle=style,
                        label=name if len(runs) == 1 else None,
                    )
            best = run.results.get("best_epoch")
            xs, ys = _series(run.rows, "val_acc")
            if type(best) is int and best in xs:
                acc_ax.plot(
                    [best],
                    [ys[xs.index(best)]],
                    marker="*",
                    markersize=11,
                    color=colour,
                    linestyle="none",
                    label=f"best epoch ({best})" if len(runs) == 1 else None,
                )
            test = (run.results.get("accuracy") or {}).get("test")
            if isinstance(test, (int, float)) and xs:
                acc_ax.plot(
                    [xs[-1]],
                    [test],
                    marker="D",
                    markersize=6,
                    color=colour,
                    linestyle="none",
                    label=f"test, discrete: {test:.4f}" if len(runs) == 1 else None,
                )
        loss_ax.set_title("training loss")
        loss_ax.set_yscale("log")
        acc_ax.set_title("accuracy")
        acc_ax.set_ylim(-0.02, 1.02)
        tau_ax.set_title("temperature τ (Gumbel-softmax)")
        tau_ax.set_yscale("log")
        for ax in (loss_ax, acc_ax, tau_ax):
            ax.set_xlabel("epoch")
            ax.grid(True, color="#e0e0e0", linewidth=0.6)
        if len(runs) > 1:  # colours name the runs; line styles the accuracies
            from matplotlib.lines import Line2D

            styles = [
                Line2D(
                    [],
                    [],
                    color="#404040",
                    linestyle=ACCURACY_NAMES.get(k, (k, ":"))[1],
                    label=ACCURACY_NAMES.get(k, (k, ":"))[0],
                )
                for k in acc_keys
            ]
            styles.append(
                Line2D([], [], color="#404040", marker="*", linestyle="none", label="best epoch")
            )
            acc_ax.legend(handles=styles, loc="lower right", fontsize=7)
            loss_ax.legend(fontsize=7)
        else:
            acc_ax.legend(loc="lower right", fontsize=7)
        tasks = sorted({run.task for run in runs if run.task})
        what = runs[0].label if len(runs) == 1 else f"{len(runs)} runs"
        fig.suptitle(text(f"training {', '.join(tasks)}: {what}", 100))
        return figure_bytes(fig, fmt)
