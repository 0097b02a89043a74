"""The sweep directory: the trials' run directories and the sweep's own files.

::

    SWEEP_DIR/
      sweep.json       the spec (its text) and every trial: name, labels, options, config
      sessions.json    one entry per process that trained a trial: backend, host, start,
                       wall and CPU seconds, exit status (what the report's times add up)
      logs/NAME.log    each trial's output, session after session
      .lock            held by the ``tpc sweep`` running in this directory
      NAME/            each trial: a normal ``tpc train`` run directory

Only the sweep's driver writes ``sweep.json`` and ``sessions.json``, always through
:func:`tpc.fileio.write_atomic`; a trial's run directory is written by its training
process (locally) or by the driver from the files a Ray task sent back. Both JSON files
are read back as untrusted input (bounded, checked, one-line :class:`SweepError`).

A trial is **finished** when its ``results.json`` says it trained all its epochs (not
interrupted); a trial with ``config.json`` and no such results is **resumed** (``tpc
train --resume``: from its last checkpoint); a trial without a directory is **new**. A
directory holding a run of another configuration is an error, never overwritten.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tpc.errors import TpcError, quote
from tpc.fileio import TMP_TAG, read_json, write_atomic
from tpc.sweep.spec import Spec, SpecError, parse_spec
from tpc.sweep.trials import Trial

FORMAT = "tpc-sweep/1"
SWEEP_FILE, SESSIONS_FILE, LOGS, LOCK = "sweep.json", "sessions.json", "logs", ".lock"
#: The files of a run directory (the names of :mod:`tpc.train.rundir`, which imports
#: torch; tests/test_sweep.py checks they agree).
RUN_CONFIG, RUN_RESULTS, RUN_CHECKPOINT = "config.json", "results.json", "checkpoint.safetensors"
RUN_FILES = (
    "config.json",
    "wiring.json",
    "metrics.jsonl",
    "checkpoint.safetensors",
    "model.safetensors",
    "results.json",
)
#: Largest sweep.json and sessions.json read back (10,000 trials of about 2 KB each).
MAX_SWEEP_BYTES = 64 * 1024 * 1024


class SweepError(TpcError):
    """A sweep directory that is missing, foreign, corrupt, or busy."""


@dataclass
class Sweep:
    """A sweep read back from its directory: the spec (re-read from the text recorded
    in ``sweep.json``) and its trials."""

    path: Path
    spec: Spec
    trials: list[Trial]


def write_sweep(sweep_dir: Path, spec: Spec, trials: list[Trial]) -> None:
    """Record the spec and its trials in ``sweep.json``."""
    doc = {
        "format": FORMAT,
        "spec": {"path": str(spec.path), "text": spec.text},
        "trials": [t.to_dict() for t in trials],
    }
    write_atomic(sweep_dir / SWEEP_FILE, json.dumps(doc, indent=1) + "\n")


def read_sweep(sweep_dir: str | os.PathLike[str]) -> Sweep:
    """The sweep in ``sweep_dir``; :class:`SweepError` with a one-line reason if there is
    none or ``sweep.json`` is foreign or corrupt."""
    from tpc.model.config import ConfigError
    from tpc.train.config import TrainConfig

    sweep_dir = Path(sweep_dir)
    path = sweep_dir / SWEEP_FILE
    if not sweep_dir.is_dir():
        raise SweepError(f"no sweep directory at {sweep_dir}")
    if not path.is_file():
        raise SweepError(f"{sweep_dir} is not a sweep directory (no {SWEEP_FILE})")
    doc = read_json(path, SweepError, MAX_SWEEP_BYTES)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        found = doc.get("format") if isinstance(doc, dict) else None
        raise SweepError(f"{path} is not a tpc sweep (format {quote(found)}, expected {FORMAT!r})")
    spec_doc, trials_doc = doc.get("spec"), doc.get("trials")
    if (
        not isinstance(spec_doc, dict)
        or not isinstance(spec_doc.get("text"), str)
        or not isinstance(spec_doc.get("path"), str)
    ):
        raise SweepError(f"{path} is corrupt: no spec text")
    try:
        spec = parse_spec(spec_doc["text"], Path(spec_doc["path"]))
    except SpecError as exc:
        raise SweepError(f"{path} is corrupt: its spec: {exc}") from None
    if not isinstance(trials_doc, list):
        raise SweepError(f"{path} is corrupt: no list of trials")
    trials, names = [], set()
    for i, t in enumerate(trials_doc):
        where = f"{path} is corrupt: trial {i}"
        if not isinstance(t, dict) or set(t) != {"name", "values", "preset", "options", "config"}:
            raise SweepError(f"{where} is not a trial")
        name, values, options = t["name"], t["values"], t["options"]
        if not isinstance(name, str) or not _is_trial_name(name) or name in names:
            raise SweepError(f"{where} has a bad or repeated name {quote(name)}")
        if not isinstance(values, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in values.items()
        ):
            raise SweepError(f"{where} has bad labels")
        if not isinstance(options, dict) or not (
            t["preset"] is None or isinstance(t["preset"], str)
        ):
            raise SweepError(f"{where} has bad options")
        try:
            config = TrainConfig.from_dict(t["config"]).to_dict()
        except ConfigError as exc:
            raise SweepError(f"{where}: {exc}") from None
        names.add(name)
        trials.append(Trial(name, values, t["preset"], options, config))
    return Sweep(sweep_dir, spec, trials)


def _is_trial_name(name: str) -> bool:
    """A relative path of safe parts (what :func:`tpc.sweep.trials.trial_name` makes)."""
    from tpc.sweep.spec import MAX_TRIAL_DIR, RESERVED, safe_part

    parts = name.split("/")
    return (
        0 < len(name) <= MAX_TRIAL_DIR
        and all(p and safe_part(p) == p for p in parts)
        and parts[0] not in RESERVED
    )


# ---- sessions ---------------------------------------------------------------------------


def read_sessions(sweep_dir: Path) -> list[dict[str, Any]]:
    """The entries of ``sessions.json`` (none if it is absent); malformed entries are an
    error (:class:`SweepError`)."""
    path = sweep_dir / SESSIONS_FILE
    if not path.exists():
        return []
    doc = read_json(path, SweepError, MAX_SWEEP_BYTES)
    if not isinstance(doc, list):
        raise SweepError(f"{path} is corrupt: not a list of sessions")
    for i, s in enumerate(doc):
        if (
            not isinstance(s, dict)
            or not isinstance(s.get("trial"), str)
            or not isinstance(s.get("mode"), str)
            or not all(_number(s.get(k)) for k in ("wall", "cpu"))
        ):
            raise SweepError(f"{path} is corrupt: session {i}")
    return doc


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and x >= 0 and x < 1e12


def add_session(sweep_dir: Path, session: dict[str, Any]) -> None:
    """Append one session to ``sessions.json`` (rewritten atomically)."""
    sessions = read_sessions(sweep_dir)
    sessions.append(session)
    write_atomic(sweep_dir / SESSIONS_FILE, json.dumps(sessions, indent=0) + "\n")


def trial_times(sessions: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Wall and CPU seconds per trial: the sum over its sessions since its last new
    start (an earlier run of the same name that was deleted does not count)."""
    times: dict[str, dict[str, float]] = {}
    for s in sessions:
        if s["mode"] == "new" or s["trial"] not in times:
            times[s["trial"]] = {"wall": 0.0, "cpu": 0.0, "sessions": 0}
        t = times[s["trial"]]
        t["wall"] += s["wall"]
        t["cpu"] += s["cpu"]
        t["sessions"] += 1
    return times


def log_path(sweep_dir: Path, name: str) -> Path:
    """Where the output of the trial ``name`` goes (its parent directories created)."""
    path = sweep_dir / LOGS / f"{name}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


# ---- trial states -----------------------------------------------------------------------

NEW, RESUME, DONE = "new", "resume", "done"


def trial_state(sweep_dir: Path, trial: Trial) -> str:
    """:data:`NEW`, :data:`RESUME` or :data:`DONE` (see the module docstring);
    :class:`SweepError` if the trial's directory holds something else."""
    from tpc.model.config import ConfigError
    from tpc.train.config import TrainConfig

    run = sweep_dir / trial.name
    if not run.exists():
        return NEW
    if not run.is_dir():
        raise SweepError(f"{run} is in the way of trial {trial.name}: it is not a directory")
    if not (run / RUN_CONFIG).is_file():
        if any(TMP_TAG not in entry.name for entry in run.iterdir()):
            raise SweepError(
                f"{run} is not a tpc run (no {RUN_CONFIG}) and not empty; move it away"
            )
        return NEW
    doc = read_json(run / RUN_CONFIG, SweepError)
    try:
        saved = TrainConfig.from_dict(doc.get("train") if isinstance(doc, dict) else None)
    except ConfigError as exc:
        raise SweepError(f"{run / RUN_CONFIG} is corrupt: {exc}") from None
    wanted = TrainConfig.from_dict(trial.config)
    if saved != wanted:
        diff = [k for k, v in wanted.to_dict().items() if saved.to_dict().get(k) != v]
        raise SweepError(
            f"{run} holds a run of another configuration ({', '.join(diff[:4])} differ); "
            "use another sweep directory or move it away"
        )
    results = finished_results(run, wanted.epochs)
    return RESUME if results is None else DONE


def finished_results(run: Path, epochs: int | None = None) -> dict[str, Any] | None:
    """``results.json`` of a run that trained all its epochs, else None (absent,
    interrupted, or unreadable: an unreadable one is retrained from its checkpoint)."""
    path = run / RUN_RESULTS
    if not path.is_file():
        return None
    try:
        results = read_json(path, SweepError)
    except SweepError:
        return None
    if (
        not isinstance(results, dict)
        or results.get("interrupted") is not False
        or not isinstance(results.get("accuracy"), dict)
        or (epochs is not None and results.get("epochs_completed") != epochs)
    ):
        return None
    acc = results["accuracy"]
    if not all(isinstance(acc.get(k), (int, float)) for k in ("train", "val", "test")):
        return None
    return results


# ---- the lock ---------------------------------------------------------------------------


@contextlib.contextmanager
def locked(sweep_dir: Path) -> Iterator[None]:
    """Hold ``SWEEP_DIR/.lock`` (an advisory ``flock``) while the block runs:
    :class:`SweepError` if another ``tpc sweep`` holds it."""
    import fcntl

    path = sweep_dir / LOCK
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as exc:
        raise SweepError(f"cannot open {path}: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise SweepError(
                f"another tpc sweep is running in {sweep_dir} (it holds {path})"
            ) from None
        yield
    finally:
        os.close(fd)
