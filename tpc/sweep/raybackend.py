"""The Ray executor: the same trials as Ray tasks (``tpc sweep SPEC --ray [ADDRESS]``).

Each trial is one Ray task (``num_cpus`` = its torch threads, no retries), which trains
it exactly as the local executor does, in a :class:`tpc.sweep.worker.TrialProcess` of its
own, so the two give the same weights and the same table. Ray does the scheduling; tpc
keeps at most ``workers`` tasks in flight (default: the cluster's CPUs), which is what
the progress view calls running.

**Files travel with the tasks.** A task trains in a temporary directory on whichever node
runs it and sends the run directory's files back; the driver writes them into SWEEP_DIR
(:func:`tpc.fileio.write_atomic`, ``results.json`` last). A resumed trial's files go out
with its task. So a cluster needs no shared file system, and SWEEP_DIR only ever has one
writer. Options that name files (``wiring``, ``glove``, ``data_dir``) must exist at the
same absolute path on every node.

**Ctrl-C.** The driver raises a flag (a small Ray actor) that every task polls: the
first Ctrl-C passes one SIGINT to each running trial (it saves its last epoch, evaluates
it and comes back resumable, files and all), the second another (no evaluation), the
third cancels the tasks (their work since they started is lost; the run directories
keep what they had).

**Where Ray runs.** Without an address, ``ray.init(address="local")`` starts a local instance
with ``workers`` CPUs (how the tests run it) and stops it at the end. With one, it connects:
``auto`` (a cluster started on this machine with ``ray start --head``, or
``RAY_ADDRESS``), ``HOST:6379`` from a node of the cluster, or ``ray://HOST:10001`` (Ray
Client, from outside). Every node needs tpc and its dependencies installed (the same
Python environment, e.g. one image for all nodes).
"""

from __future__ import annotations

import time
from collections import deque
from pathlib import Path
from typing import Any

from tpc.sweep.events import Events, Job, Outcome
from tpc.sweep.sweepdir import RUN_FILES, RUN_RESULTS, SweepError, log_path
from tpc.train.interrupts import deferred_interrupts

#: Seconds between a task's looks at the stop flag.
FLAG_POLL = 1.0


class StopFlag:
    """The driver's Ctrl-C count, polled by every task (a Ray actor)."""

    def __init__(self) -> None:
        self.value = 0

    def set(self, value: int) -> None:
        self.value = value

    def level(self) -> int:
        return self.value


def ray_trial(
    name: str, config: dict[str, Any] | None, files: dict[str, bytes], flag: Any
) -> dict[str, Any]:
    """The Ray task of one trial: write ``files`` (a run to resume; ``config`` None),
    train in a temporary directory, return the run's files, the session and its output."""
    import shutil
    import socket
    import tempfile

    import ray

    from tpc.fileio import write_atomic
    from tpc.sweep.worker import TrialProcess

    work = Path(tempfile.mkdtemp(prefix="tpc-sweep-"))
    try:
        run = work / "run"
        if files:
            run.mkdir()
            for fname in RUN_FILES:
                if fname in files:
                    write_atomic(run / fname, files[fname])
        proc = TrialProcess(run, config, work / "session.log", cwd=work)
        try:
            while not proc.poll():
                level = ray.get(flag.level.remote())
                while proc.signals < min(level, 2):
                    proc.interrupt()
                if level >= 3:
                    proc.kill()
                time.sleep(FLAG_POLL)
        except BaseException:  # cancelled: stop the trial as Ctrl-C would, then go
            proc.interrupt()
            proc.wait()
            raise
        out = {f: (run / f).read_bytes() for f in RUN_FILES if (run / f).is_file()}
        return {
            "status": proc.status(),
            "message": proc.message(),
            "session": proc.session(name, "ray", socket.gethostname()),
            "output": proc.output(),
            "files": out,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def pack(run_dir: Path) -> dict[str, bytes]:
    """The files of a run directory that a task needs to resume it."""
    return {f: (run_dir / f).read_bytes() for f in RUN_FILES if (run_dir / f).is_file()}


def unpack(run_dir: Path, files: dict[str, Any]) -> None:
    """Write the run files a task sent back into ``run_dir``: ``results.json`` removed
    first and written last, so the directory is never finished with another session's
    model (as :func:`tpc.train.rundir.write_final`)."""
    from tpc.fileio import make_output_dir, write_atomic

    make_output_dir(run_dir)
    with deferred_interrupts():
        (run_dir / RUN_RESULTS).unlink(missing_ok=True)
        for fname in RUN_FILES:  # results.json is the last of them
            data = files.get(fname)
            if isinstance(data, bytes):
                write_atomic(run_dir / fname, data)


def run_ray(
    sweep_dir: Path, jobs: list[Job], workers: int | None, address: str | None, events: Events
) -> bool:
    """Run ``jobs`` as Ray tasks; True if Ctrl-C stopped the sweep."""
    try:
        import ray
    except ImportError:
        raise SweepError("--ray needs Ray: pip install 'tpc[ray]' (or ray[default]>=2.9)") from None
    import logging

    started_here = not ray.is_initialized()
    options: dict[str, Any] = dict(
        include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING
    )
    if started_here:
        try:
            if address:
                ray.init(address=address, **options)
            else:
                ray.init(address="local", num_cpus=workers, **options)
        except Exception as exc:  # ConnectionError, ValueError, RuntimeError... from Ray
            where = f"at {address}" if address else "locally"
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SweepError(f"cannot start or reach Ray {where}: {reason}") from None
    try:
        capacity = workers or max(int(ray.cluster_resources().get("CPU", 1)), 1)
        events.workers = capacity
        return _run(ray, sweep_dir, jobs, capacity, events)
    finally:
        if started_here:
            ray.shutdown()


def _run(ray: Any, sweep_dir: Path, jobs: list[Job], capacity: int, events: Events) -> bool:
    flag = ray.remote(num_cpus=0)(StopFlag).remote()
    task = ray.remote(ray_trial)
    pending = deque(jobs)
    inflight: dict[Any, Job] = {}
    stopping = 0
    while True:
        try:
            while not stopping and pending and len(inflight) < capacity:
                job = pending.popleft()
                run_dir = sweep_dir / job.trial.name
                files = pack(run_dir) if job.mode == "resume" else {}
                config = job.trial.config if job.mode == "new" else None
                ref = task.options(
                    num_cpus=job.trial.config.get("threads", 1),
                    max_retries=0,
                    name=f"tpc-sweep {job.trial.name}",
                ).remote(job.trial.name, config, files, flag)
                inflight[ref] = job
                events.started(job, "ray")
            if not inflight and (stopping or not pending):
                return stopping > 0
            ready, _ = ray.wait(list(inflight), num_returns=1, timeout=0.5)
            for ref in ready:
                job = inflight.pop(ref)
                with deferred_interrupts():
                    events.ended(job, _outcome(ray, ref, job, sweep_dir))
            events.tick()
        except KeyboardInterrupt:
            stopping += 1
            events.stopping(stopping, len(inflight))
            ray.get(flag.set.remote(stopping))
            if stopping >= 3:
                for ref in inflight:
                    ray.cancel(ref, force=True)


def _outcome(ray: Any, ref: Any, job: Job, sweep_dir: Path) -> Outcome:
    """Write back what the task ``ref`` returned and say how the trial ended."""
    try:
        result = ray.get(ref)
    except Exception as exc:  # the task failed or was cancelled: nothing came back
        text = str(exc).strip().splitlines()
        reason = f"{type(exc).__name__}: {text[-1] if text else ''}".strip(": ")
        session = {
            "trial": job.trial.name,
            "mode": job.mode,
            "backend": "ray",
            "host": "",
            "start": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "wall": 0.0,
            "cpu": 0.0,
            "exit": None,
            "status": "failed",
        }
        return Outcome("failed", f"the Ray task failed: {reason}", session)
    run_dir = sweep_dir / job.trial.name
    if result["files"]:
        unpack(run_dir, result["files"])
    with open(log_path(sweep_dir, job.trial.name), "a", encoding="utf-8") as f:
        f.write(result["output"])  # it starts with the session's header line
    return Outcome(result["status"], result["message"], result["session"])
