"""``tpc sweep compare SWEEP_DIR...``: the best model per task across several sweeps.

Each sweep's report (:func:`tpc.sweep.report.build`) has, per group of configurations,
its best trial by validation accuracy. Across the sweeps given, per task (in the order
they first appear):

* **chosen**: of every group's best-by-validation trial for the task, the one with the
  highest validation accuracy (ties: the first in the order of the arguments, then of
  each sweep's groups); its sweep, configuration, replicate, validation and test
  accuracy. Model selection by validation only, across configurations as within a group:
  the test split never picks;
* per sweep, the test accuracy of the sweep's own best trial by validation for the task
  (``—`` where the sweep has no finished trial of it);
* the reference figures of the sweeps' specs (a name's figure from the first sweep that
  has one), and whether the chosen test accuracy reaches every one of them.

And per sweep: its spec, title, trials finished of all, and the CPU-hours its trials'
processes recorded (a run trained outside the sweep records none). Accuracies are
percentages as in the reports. Markdown for people, CSV (one row per task) and JSON for
tools.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Any

from tpc.sweep.report import cell, csv_value, machine_text, pct, reaches_every
from tpc.sweep.spec import shown_path

FORMAT = "tpc-sweep-compare/1"


def compare(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """The comparison (module docstring) of the reports of :func:`~tpc.sweep.report.build`,
    as a JSON-ready dict."""
    sweeps = [_sweep_summary(r) for r in reports]
    references: dict[str, dict[str, float]] = {}
    for r in reports:
        for g in r["groups"]:
            for name, figure in g["references"].items():
                if figure is not None and g["task"] is not None:
                    references.setdefault(name, {}).setdefault(g["task"], figure)
    tasks = list(dict.fromkeys(g["task"] for r in reports for g in r["groups"] if g["task"]))
    rows = []
    for task in tasks:
        # each sweep's group whose best trial has the highest validation accuracy (max
        # keeps the first of equals: the tie rule of the module docstring)
        per_sweep = [
            max(found, key=_val) if found else None
            for found in (
                [g for g in r["groups"] if g["task"] == task and g["best_by_val"]] for r in reports
            )
        ]
        found = [(s, g) for s, g in zip(sweeps, per_sweep, strict=True) if g is not None]
        chosen = None
        if found:
            sweep, best = max(found, key=lambda pair: _val(pair[1]))
            chosen = {
                "sweep": sweep["sweep"],
                "values": {k: v for k, v in best["values"].items() if k != "task"},
                "architecture": best["architecture"],
                **best["best_by_val"],
            }
        figures = {name: by_task.get(task) for name, by_task in references.items()}
        reaches = reaches_every(chosen and chosen["test_pct"], figures)
        rows.append(
            {
                "task": task,
                "chosen": chosen,
                "test_pct_by_sweep": [g and g["best_by_val"]["test_pct"] for g in per_sweep],
                "references": figures,
                "reaches_every_reference": reaches,
            }
        )
    return {
        "format": FORMAT,
        "generated": datetime.date.today().isoformat(),
        "sweeps": sweeps,
        "references": list(references),
        "tasks": rows,
    }


def _val(group: dict[str, Any]) -> float:
    return group["best_by_val"]["val_pct"]


def _sweep_summary(report: dict[str, Any]) -> dict[str, Any]:
    trials = report["trials"]
    return {
        "sweep": report["sweep"],
        "spec": report["spec"],
        "title": report["description"].strip().partition("\n")[0],
        "trials": len(trials),
        "finished": sum(1 for t in trials if t["status"] == "finished"),
        "cpu_hours": sum(t["cpu_s"] or 0.0 for t in trials) / 3600,
    }


def configuration_text(chosen: dict[str, Any]) -> str:
    """``3 layers, 8+8 heads, 4+4 MLPs; modules=experts``: a chosen trial's architecture
    (categorical+numerical) and its group's other axis values."""
    parts = []
    arch = chosen.get("architecture")
    if arch:
        layers = "1 layer" if arch["layers"] == "1" else f"{arch['layers']} layers"
        parts.append(f"{layers}, {arch['heads']} heads, {arch['mlps']} MLPs")
    others = ", ".join(f"{k}={v}" for k, v in chosen["values"].items())
    return "; ".join(p for p in (*parts, others) if p) or "—"


def to_markdown(doc: dict[str, Any], invocation: str, title: str) -> str:
    """The comparison as markdown: a title, how it was made, the table of tasks and the
    list of sweeps."""
    sweeps, refs = doc["sweeps"], doc["references"]
    lines = [
        f"# {cell(title)}",
        "",
        f"Generated by `{invocation}` on {doc['generated']} ({machine_text()}). Do not "
        "edit: rerun the sweeps and this command.",
        "",
        "Per task, the trial with the highest validation accuracy among the best by "
        "validation of every group of every sweep below, and its test accuracy; then each "
        "sweep's own best by validation (test %), and the reference figures of the sweeps' "
        "specs. The test split never picks a model.",
        "",
    ]
    head = ["task", "chosen: sweep", "configuration", "replicate", "val %", "test %"]
    head += [f"`{cell(shown_path(s['sweep']))}`" for s in sweeps] + [cell(r) for r in refs]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in doc["tasks"]:
        c = row["chosen"]
        if c is None:
            cells = [cell(row["task"]), "—", "—", "—", "—", "—"]
        else:
            test = pct(c["test_pct"])
            cells = [
                cell(row["task"]),
                f"`{cell(shown_path(c['sweep']))}`",
                cell(configuration_text(c)),
                cell(",".join(c["replicate"].values()) or c["trial"]),
                pct(c["val_pct"]),
                f"**{test}**" if row["reaches_every_reference"] else test,
            ]
        cells += [pct(t) for t in row["test_pct_by_sweep"]]
        cells += [pct(row["references"][r]) for r in refs]
        lines.append("| " + " | ".join(cells) + " |")
    if refs:
        lines += [
            "",
            "The chosen test % is **bold** where it is at or above every reference figure "
            "of its row.",
        ]
    lines += ["", "## Sweeps", ""]
    for s in sweeps:
        lines.append(
            f"- `{cell(shown_path(s['sweep']))}` (`{cell(shown_path(s['spec']))}`): "
            f"{cell(s['title'])}; {s['finished']} of {s['trials']} trials finished, "
            f"{s['cpu_hours']:.2f} CPU-hours recorded."
        )
    return "\n".join(lines) + "\n"


def to_csv(doc: dict[str, Any]) -> str:
    """One row per task: the chosen trial, each sweep's best test %, the references."""
    sweeps, refs = doc["sweeps"], doc["references"]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(
        [
            "task",
            "sweep",
            "trial",
            "configuration",
            "val_pct",
            "test_pct",
            *[f"test_pct:{s['sweep']}" for s in sweeps],
            *[f"reference:{r}" for r in refs],
            "reaches_every_reference",
        ]
    )
    for row in doc["tasks"]:
        c = row["chosen"] or {}
        writer.writerow(
            [
                row["task"],
                c.get("sweep", ""),
                c.get("trial", ""),
                configuration_text(c) if c else "",
                csv_value(c.get("val_pct")),
                csv_value(c.get("test_pct")),
                *[csv_value(t) for t in row["test_pct_by_sweep"]],
                *[csv_value(row["references"][r]) for r in refs],
                csv_value(row["reaches_every_reference"]),
            ]
        )
    return buf.getvalue()


def render(doc: dict[str, Any], fmt: str, invocation: str, title: str) -> str:
    if fmt == "json":
        return json.dumps(doc, indent=1) + "\n"
    if fmt == "csv":
        return to_csv(doc)
    return to_markdown(doc, invocation, title)


__all__ = ["FORMAT", "compare", "configuration_text", "render"]
