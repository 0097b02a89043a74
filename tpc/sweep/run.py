"""``tpc sweep SPEC``: plan the trials, check the sweep directory, run what is left.

Everything that can be wrong with the spec or the directory is found before anything is
written or trained: the spec and every trial's options (:func:`tpc.sweep.trials.expand`),
the output directory, and each trial's directory (a run of another configuration is an
error). Then ``sweep.json`` records the spec and its trials, finished trials are skipped,
unfinished ones resume from their checkpoints and the rest start, on local processes
(:mod:`tpc.sweep.local`) or Ray tasks (:mod:`tpc.sweep.raybackend`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tpc.errors import quote
from tpc.sweep.events import Events, Job
from tpc.sweep.spec import Spec, SpecError, load_spec
from tpc.sweep.sweepdir import DONE, NEW, locked, trial_state, write_sweep
from tpc.sweep.trials import Trial, expand


@dataclass
class Plan:
    """A sweep ready to run: its spec, directory, every trial and what is left to do."""

    spec: Spec
    sweep_dir: Path
    trials: list[Trial]
    selected: list[Trial]
    states: dict[str, str] = field(default_factory=dict)

    def jobs(self) -> list[Job]:
        return [
            Job(t, "new" if self.states[t.name] == NEW else "resume")
            for t in self.selected
            if self.states[t.name] != DONE
        ]


@dataclass
class Summary:
    """What a sweep did: trials finished before and now, failed (with why), stopped."""

    total: int
    done: int
    ran: int
    failed: list[tuple[str, str]]
    stopped: list[str]
    interrupted: bool


def default_workers() -> int:
    """The CPU cores this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):
        return max(os.cpu_count() or 1, 1)


def parse_only(items: tuple[str, ...], spec: Spec) -> dict[str, set[str]]:
    """``--only KEY=V1,V2``: the labels of each key a trial must have."""
    keys = [a.name for a in spec.axes] + list(spec.random)
    only: dict[str, set[str]] = {}
    for item in items:
        key, sep, values = item.partition("=")
        if not sep or not values:
            raise SpecError(f"--only {quote(item)}: write KEY=VALUE[,VALUE...]")
        if key not in keys:
            raise SpecError(
                f"--only {quote(item)}: {quote(key)} is not an axis of {spec.path}; "
                f"choose from: {', '.join(keys) or '(none)'}"
            )
        only.setdefault(key, set()).update(values.split(","))
    return only


def plan_sweep(
    spec_path: str | os.PathLike[str],
    sweep_dir: str | os.PathLike[str] | None = None,
    only: tuple[str, ...] = (),
) -> Plan:
    """Read the spec, expand and check its trials, choose the sweep directory (``-o``,
    else the spec's ``output``, else ``runs/sweeps/STEM``) and find each selected trial's
    state. Writes nothing."""
    from tpc.fileio import check_output_dir

    spec = load_spec(spec_path)
    trials = expand(spec)
    wanted = parse_only(only, spec)
    selected = [t for t in trials if all(t.values.get(k) in labels for k, labels in wanted.items())]
    for key, labels in wanted.items():
        found = {t.values.get(key) for t in trials}
        missing = sorted(labels - found)
        if missing:
            raise SpecError(
                f"--only {key}={','.join(sorted(labels))}: no trial has {key}={missing[0]}; "
                f"its values: {', '.join(sorted(v for v in found if v is not None))}"
            )
    if sweep_dir is None:
        sweep_dir = spec.output or os.path.join("runs", "sweeps", Path(spec_path).stem)
    out = check_output_dir(sweep_dir)
    plan = Plan(spec, out, trials, selected)
    if out.is_dir():
        plan.states = {t.name: trial_state(out, t) for t in selected}
    else:
        plan.states = {t.name: NEW for t in selected}
    return plan


def run_sweep(
    plan: Plan,
    workers: int | None = None,
    ray_address: str | None = None,
    use_ray: bool = False,
    echo: Callable[[str], None] = print,
    live: bool = False,
) -> Summary:
    """Run the plan's jobs (locally, or as Ray tasks with ``use_ray``); returns what
    happened. Ctrl-C stops it as :mod:`tpc.sweep.local` and :mod:`tpc.sweep.raybackend`
    describe; the summary says so (``interrupted``)."""
    from tpc.fileio import make_output_dir

    sweep_dir = make_output_dir(plan.sweep_dir)
    with locked(sweep_dir):
        # The states again, now that no other sweep can change them.
        plan.states = {t.name: trial_state(sweep_dir, t) for t in plan.selected}
        write_sweep(sweep_dir, plan.spec, plan.trials)
        jobs = plan.jobs()
        done = sum(1 for t in plan.selected if plan.states[t.name] == DONE)
        n_workers = workers or (None if use_ray and ray_address else default_workers())
        resumed = sum(1 for j in jobs if j.mode == "resume")
        where = (
            f"Ray ({ray_address or 'a local instance'})"
            if use_ray
            else f"{n_workers} local worker(s)"
        )
        echo(
            f"sweep {plan.spec.path}: {len(plan.selected)} trial(s): {done} finished, "
            f"{resumed} to resume, {len(jobs) - resumed} to start, on {where} -> {sweep_dir}"
        )
        events = Events(sweep_dir, len(plan.selected), done, n_workers or 1, echo, live)
        events.pending_tasks = [j.trial.config["task"] for j in jobs]
        for t in plan.selected:
            if plan.states[t.name] == DONE:
                events.note_finished(t)
        try:
            if not jobs:
                interrupted = False
            elif use_ray:
                from tpc.sweep.raybackend import run_ray

                interrupted = run_ray(sweep_dir, jobs, n_workers, ray_address, events)
            else:
                from tpc.sweep.local import run_local

                interrupted = run_local(sweep_dir, jobs, n_workers or 1, events)
        finally:
            events.close()
        return Summary(
            total=len(plan.selected),
            done=events.done,
            ran=len(jobs),
            failed=events.failed,
            stopped=events.interrupted,
            interrupted=interrupted,
        )
