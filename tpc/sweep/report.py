"""``tpc sweep report SWEEP_DIR``: the results table of a sweep.

Trials are grouped by the values of every axis and random option except the replicate
axes (``report.over`` of the spec, normally ``seed``). Per group:

* ``finished`` of ``trials`` (trials whose run trained all its epochs);
* test accuracy mean and best over the finished replicates;
* **best by validation**: the finished trial with the highest validation accuracy (ties:
  the first in the spec's order, i.e. the lowest seed), its replicate label, validation
  and test accuracy: what model selection without peeking at the test split gives;
* the spec's references for the group's task (e.g. the paper's Table 1) and how many
  replicates reach the target (``report.target`` minus ``report.tolerance``);
* wall and CPU seconds per finished trial (every process that trained it, from
  ``sessions.json``; a run made outside the sweep counts its training time only);
* with ``--lower DIR``: the best trial compiled (:func:`tpc.pipeline.compile_run`: lower,
  ``-O3``, every back end into ``DIR/GROUP``, verify): program nodes, heads, lines of
  Python code and whether the program agrees with its model on every checked input.

Accuracies are percentages (token accuracy on the split, as ``results.json`` has them
as fractions). Markdown for people, CSV (one row per group) and JSON (groups and trials)
for tools; everything but the times and the date is the same whichever backend ran the
trials.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import platform
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tpc.errors import TpcError, printable
from tpc.sweep.spec import safe_part, shown_path
from tpc.sweep.sweepdir import (
    RUN_CONFIG,
    Sweep,
    finished_results,
    read_sessions,
    trial_times,
)
from tpc.sweep.trials import Trial

FORMAT = "tpc-sweep-report/1"
FORMATS = ("markdown", "csv", "json")
#: Keys of the JSON report that are times (or dates): what differs between two runs of
#: the same sweep.
TIME_KEYS = ("wall_s", "cpu_s", "wall_s_mean", "cpu_s_mean", "generated")


@dataclass
class TrialRow:
    trial: Trial
    run_dir: Path
    status: str  # finished | unfinished | not run
    results: dict[str, Any] | None
    wall: float | None
    cpu: float | None

    def pct(self, split: str) -> float:
        assert self.results is not None
        return 100.0 * float(self.results["accuracy"][split])

    def agreement_pct(self) -> float | None:
        """A supervised run's attention agreement on the test split (%), else None."""
        agreement = (self.results or {}).get("supervised_agreement")
        if not isinstance(agreement, dict) or not isinstance(agreement.get("test"), (int, float)):
            return None
        return 100.0 * float(agreement["test"])


@dataclass
class Group:
    values: dict[str, str]
    rows: list[TrialRow]
    program: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def finished(self) -> list[TrialRow]:
        return [r for r in self.rows if r.status == "finished"]

    def best(self) -> TrialRow | None:
        best = None
        for r in self.finished:
            if best is None or r.pct("val") > best.pct("val"):
                best = r
        return best

    def task(self) -> str | None:
        tasks = {r.trial.config["task"] for r in self.rows}
        return tasks.pop() if len(tasks) == 1 else None


def collect(sweep: Sweep) -> list[TrialRow]:
    """Every trial of the sweep with its status, results and times."""
    times = trial_times(read_sessions(sweep.path))
    rows = []
    for t in sweep.trials:
        run = sweep.path / t.name
        results = finished_results(run, t.config["epochs"])
        if results is not None:
            status = "finished"
        elif (run / RUN_CONFIG).is_file():
            status = "unfinished"
        else:
            status = "not run"
        wall = cpu = None
        if t.name in times:
            wall, cpu = times[t.name]["wall"], times[t.name]["cpu"]
        elif results is not None and isinstance(results.get("train_seconds"), (int, float)):
            wall = float(results["train_seconds"])  # a run trained outside the sweep
        rows.append(TrialRow(t, run, status, results, wall, cpu))
    return rows


def group_rows(sweep: Sweep, rows: list[TrialRow]) -> list[Group]:
    """The groups (see the module docstring), in the order of their first trial."""
    keys = [a.name for a in sweep.spec.axes if a.name not in sweep.spec.report.over]
    keys += list(sweep.spec.random)
    groups: dict[tuple[str, ...], Group] = {}
    for r in rows:
        values = {k: r.trial.values.get(k, "") for k in keys}
        key = tuple(values.values())
        groups.setdefault(key, Group(values, [])).rows.append(r)
    return list(groups.values())


def target_of(sweep: Sweep, group: Group, target: float | None) -> float | None:
    """The group's target test accuracy (%): ``target`` if given, else the spec's
    (a reference's figure for the group's task), minus the spec's tolerance."""
    settings = sweep.spec.report
    if target is not None:
        return target
    if settings.target is None:
        return None
    if isinstance(settings.target, str):
        figure = settings.references.get(settings.target, {}).get(group.task() or "")
        return None if figure is None else figure - settings.tolerance
    return float(settings.target) - settings.tolerance


def lower_groups(groups: list[Group], out_dir: Path, log: Callable[[str], None]) -> None:
    """Compile each group's best trial into ``out_dir/GROUP`` and record its size and
    verification in ``group.program``."""
    from tpc.backends.python import code_lines
    from tpc.pipeline import compile_run

    for g in groups:
        best = g.best()
        if best is None:
            continue
        label = ",".join(f"{k}={v}" for k, v in g.values.items()) or "all"
        target = out_dir / safe_part(label)
        info: dict[str, Any] = {"trial": best.trial.name, "dir": str(target)}
        log(f"lowering {best.trial.name} -> {target}")
        try:
            result = compile_run(best.run_dir, target, log=lambda _m: None)
        except TpcError as exc:
            info |= {"verified": False, "error": printable(str(exc))[:500]}
            python = target / f"{best.trial.config['task']}.py"
            if python.is_file():
                info["python_lines"] = code_lines(python.read_text(encoding="utf-8"))
        else:
            info |= {
                "nodes": result.optimized_stats.get("nodes"),
                "heads": result.optimized_stats.get("heads"),
                "lowered_nodes": result.lowered_stats.get("nodes"),
                "python_lines": code_lines(result.files["python"].read_text(encoding="utf-8")),
                "verified": all(r.ok for r in result.reports),
                "inputs": result.inputs,
            }
        g.program = info


def build(
    sweep: Sweep,
    target: float | None = None,
    lower_dir: Path | None = None,
    log: Callable[[str], None] = lambda _m: None,
) -> dict[str, Any]:
    """The report as a JSON-ready dict (the other formats are made from it)."""
    rows = collect(sweep)
    groups = group_rows(sweep, rows)
    if lower_dir is not None:
        lower_groups(groups, lower_dir, log)
    over = list(sweep.spec.report.over)
    refs = sweep.spec.report.references
    out_groups = []
    for g in groups:
        fin = g.finished
        tests = [r.pct("test") for r in fin]
        best = g.best()
        goal = target_of(sweep, g, target)
        task = g.task()
        out_groups.append(
            {
                "values": g.values,
                "task": task,
                "architecture": _architecture(g.rows),
                "trials": len(g.rows),
                "finished": len(fin),
                "test_pct_mean": statistics.mean(tests) if tests else None,
                "test_pct_best": max(tests) if tests else None,
                "best_by_val": None
                if best is None
                else {
                    "trial": best.trial.name,
                    "replicate": {k: best.trial.values.get(k, "") for k in over},
                    "val_pct": best.pct("val"),
                    "test_pct": best.pct("test"),
                    "best_epoch": best.results.get("best_epoch") if best.results else None,
                },
                "target_pct": goal,
                "reaching_target": None
                if goal is None
                else sum(1 for t in tests if t >= goal - 1e-9),
                "references": {name: figures.get(task or "") for name, figures in refs.items()},
                "agreement_pct_mean": _mean([r.agreement_pct() for r in fin]),
                "wall_s_mean": _mean([r.wall for r in fin]),
                "cpu_s_mean": _mean([r.cpu for r in fin]),
                **({"program": g.program} if g.program is not None else {}),
            }
        )
    return {
        "format": FORMAT,
        "sweep": str(sweep.path),
        "spec": str(sweep.spec.path),
        "description": sweep.spec.description,
        "over": over,
        "target": sweep.spec.report.target if target is None else target,
        "tolerance": sweep.spec.report.tolerance if target is None else 0.0,
        "generated": datetime.date.today().isoformat(),
        "groups": out_groups,
        "trials": [
            {
                "name": r.trial.name,
                "values": r.trial.values,
                "status": r.status,
                "best_epoch": r.results.get("best_epoch") if r.results else None,
                "train_pct": r.pct("train") if r.results else None,
                "val_pct": r.pct("val") if r.results else None,
                "test_pct": r.pct("test") if r.results else None,
                "agreement_pct": r.agreement_pct(),
                "wall_s": r.wall,
                "cpu_s": r.cpu,
                "command": r.trial.command(sweep.path),
            }
            for r in rows
        ],
    }


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.mean(known) if known else None


def _architecture(rows: list[TrialRow]) -> dict[str, str] | None:
    """Layers, heads and MLPs (categorical+numerical) of a group of Transformer
    Programs, where every trial of the group has the same."""
    configs = [r.trial.config for r in rows]
    if any(c.get("model") != "tp" for c in configs):
        return None
    out = {}
    for name, keys in (
        ("layers", ("n_layers",)),
        ("heads", ("n_heads_cat", "n_heads_num")),
        ("mlps", ("n_cat_mlps", "n_num_mlps")),
    ):
        seen = {"+".join(str(c[k]) for k in keys) for c in configs}
        out[name] = seen.pop() if len(seen) == 1 else "varies"
    return out


# ---- formats ------------------------------------------------------------------------------


def pct(x: float | None) -> str:
    """A percentage as the tables print it (two decimals), ``—`` when unknown."""
    return "—" if x is None else f"{x:.2f}"


def _secs(x: float | None) -> str:
    return "—" if x is None else f"{x:.0f}"


def cell(text: Any) -> str:
    """Text made safe for a markdown table cell (printable, ``|`` escaped)."""
    return printable(str(text)).replace("|", "\\|")


def to_markdown(report: dict[str, Any], invocation: str) -> str:
    """The report as markdown: a title, how it was made, the table of groups and the
    table of trials, and the trials not run."""
    groups, trials = report["groups"], report["trials"]
    description = report["description"].strip()
    title, _, rest = description.partition("\n")
    lines = [f"# {cell(title) if title else 'Sweep ' + report['sweep']}", ""]
    lines += [
        f"Generated by `{invocation}` on {report['generated']} ({machine_text()}). Do "
        "not edit: rerun the sweep and the report.",
        "",
    ]
    if rest.strip():
        lines += [rest.strip(), ""]
    counts = {
        s: sum(1 for t in trials if t["status"] == s) for s in ("finished", "unfinished", "not run")
    }
    over = report["over"]
    cpu = sum(t["cpu_s"] or 0.0 for t in trials)
    wall = sum(t["wall_s"] or 0.0 for t in trials)
    spent = (
        f"Their processes took {wall / 3600:.2f} h ({cpu / 3600:.2f} CPU-hours). " if wall else ""
    )
    lines += [
        f"Spec `{shown_path(report['spec'])}`: {len(trials)} trials, {counts['finished']} finished, "
        f"{counts['unfinished']} unfinished, {counts['not run']} not run. "
        + spent
        + (f"Replicates: {', '.join(over)} (the groups are the other axes). " if over else "")
        + _target_text(report),
        "",
    ]
    lines[-2] = lines[-2].strip()
    keys = list(groups[0]["values"]) if groups else []
    arch = any(g["architecture"] for g in groups)
    refs = list(groups[0]["references"]) if groups else []
    rep = ", ".join(over) or "trial"
    head = [*keys]
    if arch:
        head += ["layers", "heads cat+num", "MLPs cat+num"]
    head += [
        "finished",
        "test % mean",
        "test % best",
        f"best val: {rep}",
        "val %",
        "test %",
        *[cell(r) for r in refs],
    ]
    if report["target"] is not None:
        head.append("reach target")
    supervised = any(t["agreement_pct"] is not None for t in trials)
    if supervised:
        head.append("head agreement % mean")
    head += ["wall s/trial", "CPU s/trial"]
    lowered = any("program" in g for g in groups)
    if lowered:
        head += ["program nodes / heads", "Python lines", "verified"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for g in groups:
        best = g["best_by_val"]
        cells = [cell(g["values"][k]) for k in keys]
        if arch:
            a = g["architecture"] or {}
            cells += [a.get("layers", "—"), a.get("heads", "—"), a.get("mlps", "—")]
        cells += [
            f"{g['finished']} of {g['trials']}"
            if g["finished"] != g["trials"]
            else str(g["trials"]),
            pct(g["test_pct_mean"]),
            pct(g["test_pct_best"]),
            "—" if best is None else cell(",".join(best["replicate"].values()) or best["trial"]),
            pct(best and best["val_pct"]),
            _marked(best and best["test_pct"], g["references"]),
            *[pct(g["references"][r]) for r in refs],
        ]
        if report["target"] is not None:
            reach = g["reaching_target"]
            cells.append(
                "—" if reach is None or not g["finished"] else f"{reach} of {g['finished']}"
            )
        if supervised:
            cells.append(pct(g["agreement_pct_mean"]))
        cells += [_secs(g["wall_s_mean"]), _secs(g["cpu_s_mean"])]
        if lowered:
            p = g.get("program")
            if p is None:
                cells += ["—", "—", "—"]
            else:
                size = f"{p['nodes']} / {p['heads']}" if "nodes" in p else "—"
                verdict = "yes" if p.get("verified") else cell("no: " + p.get("error", "disagrees"))
                cells += [size, str(p.get("python_lines", "—")), verdict]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    if refs:
        lines += [
            "",
            "Test % of the best by validation is **bold** where it is at or above every "
            "reference figure of its row.",
        ]
    ran = [t for t in trials if t["status"] != "not run"]
    if ran:
        lines += [
            "",
            "## Trials",
            "",
            "| trial | status | best epoch | train % | val % | test % | "
            + ("head agreement % | " if supervised else "")
            + "wall s | CPU s | command |",
            "|---|---|---|---|---|---|" + ("---|" if supervised else "") + "---|---|---|",
        ]
        for t in ran:
            agreement = f"{pct(t['agreement_pct'])} | " if supervised else ""
            lines.append(
                f"| {cell(t['name'])} | {t['status']} | {t['best_epoch'] or '—'} | "
                f"{pct(t['train_pct'])} | {pct(t['val_pct'])} | {pct(t['test_pct'])} | "
                f"{agreement}{_secs(t['wall_s'])} | {_secs(t['cpu_s'])} | `{cell(t['command'])}` |"
            )
    missing = [t for t in trials if t["status"] == "not run"]
    if missing:
        lines += ["", f"Not run ({len(missing)} trials): " + _summarise(missing, over) + "."]
    return "\n".join(lines) + "\n"


def reaches_every(test: float | None, references: dict[str, float | None]) -> bool | None:
    """Whether a test accuracy (%) is at or above every known reference figure; None
    when either is unknown."""
    figures = [f for f in references.values() if f is not None]
    if test is None or not figures:
        return None
    return all(test >= f - 1e-9 for f in figures)


def _marked(test: float | None, references: dict[str, float | None]) -> str:
    text = pct(test)
    return f"**{text}**" if reaches_every(test, references) else text


def _target_text(report: dict[str, Any]) -> str:
    target, tolerance = report["target"], report["tolerance"]
    if target is None:
        return ""
    what = f"the {target} figure of the task" if isinstance(target, str) else f"{target:.2f}%"
    less = f" minus {tolerance:g} point{'' if tolerance == 1 else 's'}" if tolerance else ""
    return f"Target: test accuracy at or above {what}{less}."


def _summarise(trials: list[dict[str, Any]], over: list[str]) -> str:
    """``task=hist: seed 0, 1; ...``: the trials not run, by group."""
    by_group: dict[str, list[str]] = {}
    for t in trials:
        group = ",".join(f"{k}={v}" for k, v in t["values"].items() if k not in over) or "all"
        rep = ",".join(f"{t['values'][k]}" for k in over if k in t["values"]) or t["name"]
        by_group.setdefault(group, []).append(rep)
    label = " ".join(over) or "trial"
    return "; ".join(
        f"{cell(g)}: {label} {', '.join(map(cell, reps))}" for g, reps in by_group.items()
    )


def machine_text() -> str:
    """``x86_64, 2 CPUs, torch 2.13.0+cpu``: where a report was made."""
    return f"{platform.machine()}, {os.cpu_count()} CPUs, {_torch_version()}"


def _torch_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"torch {version('torch')}"
    except PackageNotFoundError:
        return "torch unknown"


def to_csv(report: dict[str, Any]) -> str:
    """One row per group: its values, then the figures (percentages, seconds)."""
    groups = report["groups"]
    keys = list(groups[0]["values"]) if groups else []
    refs = list(groups[0]["references"]) if groups else []
    head = [
        *keys,
        "task",
        "layers",
        "heads",
        "mlps",
        "trials",
        "finished",
        "test_pct_mean",
        "test_pct_best",
        "best_trial",
        "best_val_pct",
        "best_test_pct",
        "target_pct",
        "reaching_target",
        *[f"reference:{r}" for r in refs],
        "agreement_pct_mean",
        "wall_s_mean",
        "cpu_s_mean",
        "program_nodes",
        "program_heads",
        "python_lines",
        "verified",
    ]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(head)
    for g in groups:
        best, arch, prog = g["best_by_val"] or {}, g["architecture"] or {}, g.get("program") or {}
        writer.writerow(
            [
                *[g["values"][k] for k in keys],
                g["task"] or "",
                arch.get("layers", ""),
                arch.get("heads", ""),
                arch.get("mlps", ""),
                g["trials"],
                g["finished"],
                csv_value(g["test_pct_mean"]),
                csv_value(g["test_pct_best"]),
                best.get("trial", ""),
                csv_value(best.get("val_pct")),
                csv_value(best.get("test_pct")),
                csv_value(g["target_pct"]),
                csv_value(g["reaching_target"]),
                *[csv_value(g["references"][r]) for r in refs],
                csv_value(g["agreement_pct_mean"]),
                csv_value(g["wall_s_mean"]),
                csv_value(g["cpu_s_mean"]),
                csv_value(prog.get("nodes")),
                csv_value(prog.get("heads")),
                csv_value(prog.get("python_lines")),
                csv_value(prog.get("verified")),
            ]
        )
    return buf.getvalue()


def csv_value(x: Any) -> str:
    """A CSV field: empty when unknown."""
    return "" if x is None else str(x)


def render(report: dict[str, Any], fmt: str, invocation: str) -> str:
    if fmt == "json":
        return json.dumps(report, indent=1) + "\n"
    if fmt == "csv":
        return to_csv(report)
    return to_markdown(report, invocation)


def format_for(path: str | None, fmt: str | None) -> str:
    """The format asked for, else the output file's suffix, else markdown."""
    if fmt is not None:
        return fmt
    suffix = Path(path).suffix.lower() if path else ""
    return {".json": "json", ".csv": "csv"}.get(suffix, "markdown")


__all__ = [
    "FORMATS",
    "TIME_KEYS",
    "build",
    "cell",
    "csv_value",
    "format_for",
    "machine_text",
    "pct",
    "reaches_every",
    "render",
]
