"""What the executors tell the sweep: trials started and ended, and the live view.

:class:`Events` records every ended session in ``sessions.json`` and keeps the counts the
progress view shows: trials done / running / failed, the best trial so far (by
validation accuracy, with its test accuracy) and an estimate of the time left (the mean
wall time of the trials finished so far, per task, over the remaining trials and the
workers). On a terminal the view is a live line under the trials' results; elsewhere
(a pipe, a log, the tests) each trial prints one line when it ends.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tpc.sweep.sweepdir import add_session, finished_results
from tpc.sweep.trials import Trial


@dataclass(frozen=True)
class Job:
    """A trial to run: ``mode`` ``"new"`` (a fresh run) or ``"resume"``."""

    trial: Trial
    mode: str


@dataclass(frozen=True)
class Outcome:
    """How a trial's session ended: ``status`` ``finished``, ``interrupted`` or
    ``failed``, a one-line ``message`` and its ``sessions.json`` entry."""

    status: str
    message: str
    session: dict[str, Any]


@dataclass
class Best:
    name: str
    val: float
    test: float


class Events:
    """The sweep's bookkeeping and live view (see the module docstring)."""

    def __init__(
        self,
        sweep_dir: Path,
        total: int,
        done: int,
        workers: int,
        echo: Callable[[str], None],
        live: bool,
    ) -> None:
        self.sweep_dir = sweep_dir
        self.total, self.done, self.workers = total, done, workers
        self.failed: list[tuple[str, str]] = []
        self.interrupted: list[str] = []
        self.running: dict[str, tuple[Job, float]] = {}
        self.walls: dict[str, list[float]] = {}
        self.best: Best | None = None
        self.echo = echo
        self.start = time.monotonic()
        self._bar = _LiveBar() if live else None
        self.pending_tasks: list[str] = []

    # ---- from the executors -------------------------------------------------------------

    def note_finished(self, trial: Trial) -> None:
        """Count a trial finished before this sweep started in the best so far."""
        self._consider(trial)

    def started(self, job: Job, host: str) -> None:
        self.running[job.trial.name] = (job, time.monotonic())
        if job.trial.config["task"] in self.pending_tasks:
            self.pending_tasks.remove(job.trial.config["task"])
        self._refresh()

    def ended(self, job: Job, outcome: Outcome) -> None:
        name = job.trial.name
        self.running.pop(name, None)
        add_session(self.sweep_dir, outcome.session)
        wall = outcome.session["wall"]
        if outcome.status == "finished":
            self.done += 1
            self.walls.setdefault(job.trial.config["task"], []).append(wall)
            acc = self._consider(job.trial)
            detail = f"val {acc[0]:.2%} test {acc[1]:.2%}" if acc else "no results"
            self._print(f"done    {name}: {detail} ({_duration(wall)})")
        elif outcome.status == "interrupted":
            self.interrupted.append(name)
            self._print(f"stopped {name} after {_duration(wall)} (resumable)")
        else:
            self.failed.append((name, outcome.message))
            self._print(f"FAILED  {name}: {outcome.message}")
        self._refresh()

    def stopping(self, level: int, running: int) -> None:
        what = (
            "stopping: each running trial saves its last epoch and evaluates it",
            "stopping now: the running trials skip their evaluation",
            "killing the running trials (they resume from their last checkpoint)",
        )[min(level, 3) - 1]
        self._print(f"{what} ({running} running; Ctrl-C again to hurry)")

    def tick(self) -> None:
        self._refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()

    # ---- the view -----------------------------------------------------------------------

    def status_line(self) -> str:
        left = self.time_left()
        parts = [
            f"{self.done}/{self.total} done",
            f"{len(self.running)} running",
            f"{len(self.failed)} failed",
            "time left: unknown yet" if left is None else f"about {_duration(left)} left",
        ]
        if self.best is not None:
            b = self.best
            parts.append(f"best val {b.val:.2%} (test {b.test:.2%}) {b.name}")
        return " · ".join(parts)

    def time_left(self) -> float | None:
        """Seconds until the last trial ends, from the mean wall time of the trials
        finished in this sweep (per task where there is one); None before the first."""
        every = [w for ws in self.walls.values() for w in ws]
        if not every:
            return None
        overall = statistics.mean(every)
        now = time.monotonic()

        def cost(task: str) -> float:
            return statistics.mean(self.walls[task]) if task in self.walls else overall

        work = sum(cost(t) for t in self.pending_tasks)
        work += sum(
            max(cost(job.trial.config["task"]) - (now - t0), 0.0)
            for job, t0 in self.running.values()
        )
        return work / max(self.workers, 1)

    def _consider(self, trial: Trial) -> tuple[float, float] | None:
        results = finished_results(self.sweep_dir / trial.name)
        if results is None:
            return None
        val, test = results["accuracy"]["val"], results["accuracy"]["test"]
        if self.best is None or val > self.best.val:
            self.best = Best(trial.name, val, test)
        return val, test

    def _print(self, line: str) -> None:
        if self._bar is not None:
            self._bar.print(line)
        else:
            self.echo(line)

    def _refresh(self) -> None:
        if self._bar is not None:
            self._bar.update(self.done + len(self.failed), self.total, self.status_line())


class _LiveBar:
    """A rich progress bar on the terminal with the status line beside it."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, Progress, TextColumn
        from rich.table import Column

        self.progress = Progress(
            TextColumn("[bold]sweep[/]"),
            BarColumn(bar_width=12),
            TextColumn(
                "{task.description}",
                table_column=Column(ratio=1, no_wrap=True, overflow="ellipsis"),
            ),
            expand=True,
        )
        self.task = self.progress.add_task("", total=None)
        self.progress.start()

    def update(self, completed: int, total: int, text: str) -> None:
        self.progress.update(self.task, completed=completed, total=total, description=text)

    def print(self, line: str) -> None:
        self.progress.console.print(line, markup=False, highlight=False)

    def stop(self) -> None:
        self.progress.stop()


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, s = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {s:02d} s"
    hours, m = divmod(minutes, 60)
    return f"{hours} h {m:02d} min"
