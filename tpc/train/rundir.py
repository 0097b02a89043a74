"""The run directory: what a training run writes, and reading it back.

Files (all written with :func:`tpc.fileio.write_atomic`: never half-written):

- ``config.json``: ``{"format": "tpc-run/1", "train": <TrainConfig>, "model": <ModelConfig>}``
  (the model config holds the vocabularies, so it alone rebuilds the model);
- ``model.safetensors``: the selected (best-epoch) weights, written when training ends;
- ``checkpoint.safetensors``: the last epoch's weights, optimiser and RNG state and the
  best weights so far, for ``tpc train --resume``;
- ``metrics.jsonl``: one JSON object per epoch;
- ``results.json``: final discrete accuracies and run facts;
- ``wiring.json`` (runs trained with ``--wiring``): a copy of the wiring file the run fixed
  (:mod:`tpc.train.wiring`), which ``--resume`` reads.

**A run is finished when it has results.json.** Finishing (:func:`write_final`) removes
``results.json``, writes ``model.safetensors``, then writes ``results.json`` (with Ctrl-C
held back meanwhile), so ``results.json`` is only ever beside the model it describes and
a run stopped anywhere is either finished or resumable. :func:`load_run` requires both.

A run directory is untrusted input: weights are safetensors only (never pickle), every
tensor's name, shape and dtype is checked against the model ``config.json`` describes,
JSON files are read with bounded size and nesting (:func:`tpc.fileio.read_json`), and a
missing, foreign or corrupt directory raises :class:`RunError` with a one-line message
naming the file.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from safetensors import safe_open
from safetensors.torch import save as safetensors_bytes
from torch import Tensor

from tpc.errors import TpcError, quote
from tpc.fileio import parse_json, read_json, read_text, write_atomic
from tpc.model import (
    ConfigError,
    Model,
    ModelConfig,
    build_model,
    check_model_size,
    config_from_dict,
    config_to_dict,
)
from tpc.train.config import TaskNotLoaded, TrainConfig
from tpc.train.interrupts import deferred_interrupts

FORMAT = "tpc-run/1"
CONFIG, MODEL, CHECKPOINT = "config.json", "model.safetensors", "checkpoint.safetensors"
METRICS, RESULTS, WIRING = "metrics.jsonl", "results.json", "wiring.json"
#: Largest metrics.jsonl read back (one line of about 200 bytes per epoch).
MAX_METRICS_BYTES = 64 * 1024 * 1024


class RunError(TpcError):
    """A run directory that is missing, foreign, corrupt or inconsistent."""


def write_json(path: Path, obj: Any) -> None:
    """Atomically write ``obj`` as indented JSON."""
    write_atomic(path, json.dumps(obj, indent=2) + "\n")


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    """Atomically write ``rows`` as JSON lines."""
    write_atomic(path, "".join(json.dumps(row) + "\n" for row in rows))


def write_config(run_dir: Path, train: TrainConfig, model: ModelConfig) -> None:
    """Write ``config.json``."""
    write_json(
        run_dir / CONFIG,
        {"format": FORMAT, "train": train.to_dict(), "model": config_to_dict(model)},
    )


def read_config(run_dir: Path) -> tuple[TrainConfig, ModelConfig]:
    """Read ``config.json``; RunError if the directory is not a readable tpc run."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise RunError(f"no run directory at {run_dir}")
    path = run_dir / CONFIG
    if not path.is_file():
        raise RunError(f"{run_dir} is not a tpc run directory (no {CONFIG})")
    data = read_json(path, RunError)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise RunError(
            f"{path} is not a tpc run config (format {quote(found)}, expected {FORMAT!r})"
        )
    try:
        for part in ("train", "model"):
            if part not in data:
                raise ConfigError(f'no "{part}" options')
        train, model = TrainConfig.from_dict(data["train"]), config_from_dict(data["model"])
        check_model_size(model)
        _check_task_fits(train, model)
        return train, model
    except TaskNotLoaded as exc:
        raise RunError(f"{run_dir}: {exc}") from None
    except ConfigError as exc:
        raise RunError(f"{path} is corrupt: {exc}") from None


def _check_task_fits(train: TrainConfig, model: ModelConfig) -> None:
    """ConfigError unless the task's inputs fit the model: at most its ``max_len``
    positions, and (a synthetic task) tokens of its input vocabulary."""
    from tpc.tasks import TaskError, get_task

    try:
        k, n = train.task_size()
        symbols = [] if train.is_corpus() else get_task(train.task).input_vocab(k)
    except TaskError as e:
        raise ConfigError(str(e)) from None
    if n > model.max_len:
        raise ConfigError(
            f"the task's inputs are up to {n} long; the model's max_len is {model.max_len}"
        )
    unknown = next((t for t in symbols if t not in set(model.input_vocab)), None)
    if unknown is not None:
        raise ConfigError(f"the task's token {quote(unknown)} is not in the model's input_vocab")


def save_tensors(
    path: Path, tensors: dict[str, Tensor], meta: dict[str, str] | None = None
) -> None:
    """Atomically write ``tensors`` as safetensors, tagged with the run format."""
    tensors = {k: v.detach().contiguous().clone() for k, v in tensors.items()}
    write_atomic(path, safetensors_bytes(tensors, metadata={"format": FORMAT, **(meta or {})}))


def load_tensors(path: Path) -> tuple[dict[str, Tensor], dict[str, str]]:
    """Read a safetensors file written by :func:`save_tensors`: (tensors, metadata)."""
    if not path.is_file():
        raise RunError(f"{path} is missing")
    try:
        with safe_open(str(path), framework="pt") as f:
            meta = f.metadata() or {}
            tensors = {k: f.get_tensor(k) for k in f.keys()}
    except Exception as exc:  # safetensors raises its own error types for corrupt files
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise RunError(f"{path} is corrupt: {reason}") from None
    if meta.get("format") != FORMAT:
        raise RunError(
            f"{path} is not a tpc run file (format {quote(meta.get('format'))}, "
            f"expected {FORMAT!r})"
        )
    return tensors, meta


def check_state(expected: dict[str, Tensor], tensors: dict[str, Tensor], path: Path) -> None:
    """RunError unless ``tensors`` has exactly the names, shapes and dtypes of ``expected``."""
    if set(tensors) != set(expected):
        diff = sorted(set(tensors) ^ set(expected))
        raise RunError(
            f"{path} does not match {CONFIG}: tensor(s) {quote(', '.join(diff[:4]), 80)} "
            "missing or unexpected"
        )
    for name, t in tensors.items():
        check_tensor(t, expected[name], f"{path}: {name}")


def check_tensor(tensor: Tensor, like: Tensor, where: str) -> None:
    """RunError (``where``: its file and name) unless ``tensor`` has ``like``'s shape and
    dtype."""
    if tensor.shape != like.shape or tensor.dtype != like.dtype:
        raise RunError(
            f"{where} does not match {CONFIG}: shape {tuple(tensor.shape)} {tensor.dtype}, "
            f"expected {tuple(like.shape)} {like.dtype}"
        )


def load_state(model: torch.nn.Module, tensors: dict[str, Tensor], path: Path) -> None:
    """Load ``tensors`` into ``model``; RunError if names, shapes or dtypes do not match."""
    check_state(model.state_dict(), tensors, path)
    model.load_state_dict(tensors)


def write_final(run_dir: Path, weights: dict[str, Tensor], results: dict[str, Any]) -> None:
    """Finish a run: the selected ``weights`` and their ``results``. Ctrl-C waits until
    both are written; a hard kill in between leaves no ``results.json``, i.e. a run that
    is not finished (and resumable), never a model beside another model's results."""
    with deferred_interrupts():
        (run_dir / RESULTS).unlink(missing_ok=True)
        save_tensors(run_dir / MODEL, weights)
        write_json(run_dir / RESULTS, results)


def read_results(run_dir: Path) -> dict[str, Any]:
    """``results.json``: a JSON object of this format; RunError otherwise."""
    path = run_dir / RESULTS
    results = read_json(path, RunError)
    if not isinstance(results, dict) or results.get("format") != FORMAT:
        raise RunError(f"{path} is not a tpc run's results (expected an object of {FORMAT!r})")
    return results


def read_metrics(run_dir: Path) -> list[dict[str, Any]]:
    """The rows of ``metrics.jsonl`` (none if it is absent); RunError unless each is an
    object with the epoch numbered from 1 and its time in seconds."""
    path = run_dir / METRICS
    if not path.exists():
        return []
    rows = []
    lines = read_text(path, RunError, MAX_METRICS_BYTES).splitlines()
    for number, line in enumerate((ln for ln in lines if ln.strip()), start=1):
        row = parse_json(line, f"{path} line {number}", RunError)
        epoch, seconds = (row.get("epoch"), row.get("seconds")) if isinstance(row, dict) else (0, 0)
        if (
            not isinstance(row, dict)
            or type(epoch) is not int
            or epoch != number
            or type(seconds) not in (int, float)
            or not math.isfinite(seconds)
        ):
            raise RunError(f"{path} line {number} is not epoch {number}'s metrics")
        rows.append(row)
    return rows


@dataclass
class Run:
    """A finished run read back: its options, model (eval mode) and results."""

    path: Path
    train: TrainConfig
    config: ModelConfig
    model: Model
    results: dict[str, Any]


def load_run(run_dir: str | Path) -> Run:
    """Rebuild the model of a finished run; :class:`RunError` with a one-line reason if
    the directory is missing, foreign, corrupt or unfinished (no ``results.json``)."""
    run_dir = Path(run_dir)
    train, config = read_config(run_dir)
    path = run_dir / MODEL
    if not (run_dir / RESULTS).is_file() or not path.is_file():
        missing = RESULTS if path.is_file() else MODEL
        hint = (
            f"; resume it with: tpc train --resume {run_dir}"
            if (run_dir / CHECKPOINT).is_file()
            else ""
        )
        raise RunError(f"{run_dir} has no {missing} (training did not finish){hint}")
    results = read_results(run_dir)
    tensors, _ = load_tensors(path)
    model = build_model(config)
    load_state(model, tensors, path)
    model.eval()
    return Run(run_dir, train, config, model, results)
