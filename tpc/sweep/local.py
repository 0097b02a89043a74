"""The local executor: up to ``workers`` trial processes at a time on this machine.

Each trial is a :class:`tpc.sweep.worker.TrialProcess` (a process of its own, one torch
thread unless its options say otherwise). Ctrl-C: the first stops starting trials and
passes one SIGINT to each running one (each saves its last complete epoch, evaluates it
and ends resumable); a second passes another (they skip the evaluation); a third kills
them (they resume from their last checkpoint). The executor returns once every process
it started has ended, so nothing is left training behind the user's back.
"""

from __future__ import annotations

import socket
import time
from collections import deque
from pathlib import Path

from tpc.sweep.events import Events, Job, Outcome
from tpc.sweep.sweepdir import log_path
from tpc.sweep.worker import TrialProcess
from tpc.train.interrupts import deferred_interrupts

#: Seconds between two looks at the running trials.
POLL = 0.2


def run_local(sweep_dir: Path, jobs: list[Job], workers: int, events: Events) -> bool:
    """Run ``jobs`` on ``workers`` processes; True if Ctrl-C stopped the sweep."""
    host = socket.gethostname()
    pending = deque(jobs)
    running: dict[TrialProcess, Job] = {}
    stopping = 0
    while True:
        try:
            while not stopping and pending and len(running) < workers:
                with deferred_interrupts():  # a started process is always in `running`
                    job = pending.popleft()
                    proc = TrialProcess(
                        sweep_dir / job.trial.name,
                        job.trial.config if job.mode == "new" else None,
                        log_path(sweep_dir, job.trial.name),
                    )
                    running[proc] = job
                events.started(job, host)
            for proc in list(running):
                if proc.poll():
                    job = running.pop(proc)
                    with deferred_interrupts():
                        events.ended(
                            job,
                            Outcome(
                                proc.status(),
                                proc.message(),
                                proc.session(job.trial.name, "local", host),
                            ),
                        )
            if not running and (stopping or not pending):
                return stopping > 0
            events.tick()
            time.sleep(POLL)
        except KeyboardInterrupt:
            stopping += 1
            events.stopping(stopping, len(running))
            for proc in running:
                if stopping >= 3:
                    proc.kill()
                else:
                    proc.interrupt()
