"""The run directory: what a training run writes, and reading it back.

Files (all written atomically: a temporary file in the same directory, then a rename):

- ``config.json``: ``{"format": "tpc-run/1", "train": <TrainConfig>, "model": <ModelConfig>}``
  (the model config holds the vocabularies, so it alone rebuilds the model);
- ``model.safetensors``: the selected (best-epoch) weights, written when training ends;
- ``checkpoint.safetensors``: the last epoch's weights, optimiser and RNG state and the
  best weights so far, for ``tpc train --resume``;
- ``metrics.jsonl``: one JSON object per epoch;
- ``results.json``: final discrete accuracies and run facts;
- ``wiring.json`` (runs trained with ``--wiring``): a copy of the wiring file the run fixed
  (:mod:`tpc.train.wiring`), which ``--resume`` reads.

Weights are safetensors only (never pickle); a missing, foreign or corrupt directory
raises :class:`RunError` with a one-line message.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from safetensors import safe_open
from safetensors.torch import save as safetensors_bytes
from torch import Tensor

from tpc.errors import TpcError
from tpc.model import (
    ConfigError,
    Model,
    ModelConfig,
    build_model,
    config_from_dict,
    config_to_dict,
)
from tpc.train.config import TrainConfig

FORMAT = "tpc-run/1"
CONFIG, MODEL, CHECKPOINT = "config.json", "model.safetensors", "checkpoint.safetensors"
METRICS, RESULTS, WIRING = "metrics.jsonl", "results.json", "wiring.json"


class RunError(TpcError):
    """A run directory that is missing, foreign, corrupt or inconsistent."""


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` so that readers see the old or the new file, never half."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, obj: Any) -> None:
    """Atomically write ``obj`` as indented JSON."""
    atomic_write(path, json.dumps(obj, indent=2) + "\n")


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    """Atomically write ``rows`` as JSON lines."""
    atomic_write(path, "".join(json.dumps(row) + "\n" for row in rows))


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
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RunError(f"{path} is corrupt: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise RunError(f"{path} is not a tpc run config (format {found!r}, expected {FORMAT!r})")
    try:
        return TrainConfig.from_dict(data["train"]), config_from_dict(data["model"])
    except (KeyError, TypeError, ConfigError) as exc:
        raise RunError(f"{path} is corrupt: {exc}") from None


def save_tensors(
    path: Path, tensors: dict[str, Tensor], meta: dict[str, str] | None = None
) -> None:
    """Atomically write ``tensors`` as safetensors, tagged with the run format."""
    tensors = {k: v.detach().contiguous().clone() for k, v in tensors.items()}
    atomic_write(path, safetensors_bytes(tensors, metadata={"format": FORMAT, **(meta or {})}))


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
            f"{path} is not a tpc run file (format {meta.get('format')!r}, expected {FORMAT!r})"
        )
    return tensors, meta


def check_state(expected: dict[str, Tensor], tensors: dict[str, Tensor], path: Path) -> None:
    """RunError unless ``tensors`` has exactly the names and shapes of ``expected``."""
    if set(tensors) != set(expected):
        diff = sorted(set(tensors) ^ set(expected))
        raise RunError(
            f"{path} does not match {CONFIG}: tensor(s) {', '.join(diff[:4])} missing or unexpected"
        )
    for name, t in tensors.items():
        if t.shape != expected[name].shape:
            raise RunError(
                f"{path} does not match {CONFIG}: {name} has shape "
                f"{tuple(t.shape)}, expected {tuple(expected[name].shape)}"
            )


def load_state(model: torch.nn.Module, tensors: dict[str, Tensor], path: Path) -> None:
    """Load ``tensors`` into ``model``; RunError if names or shapes do not match."""
    check_state(model.state_dict(), tensors, path)
    model.load_state_dict(tensors)


@dataclass
class Run:
    """A trained run read back: its options, model (eval mode) and results (if finished)."""

    path: Path
    train: TrainConfig
    config: ModelConfig
    model: Model
    results: dict[str, Any] | None


def load_run(run_dir: str | Path) -> Run:
    """Rebuild the model of a finished run; :class:`RunError` with a one-line reason if
    the directory is missing, foreign, corrupt or unfinished."""
    run_dir = Path(run_dir)
    train, config = read_config(run_dir)
    path = run_dir / MODEL
    if not path.is_file():
        hint = (
            f"; resume it with: tpc train --resume {run_dir}"
            if (run_dir / CHECKPOINT).is_file()
            else ""
        )
        raise RunError(f"{run_dir} has no {MODEL} (training did not finish){hint}")
    tensors, _ = load_tensors(path)
    model = build_model(config)
    load_state(model, tensors, path)
    model.eval()
    results = None
    if (run_dir / RESULTS).is_file():
        try:
            results = json.loads((run_dir / RESULTS).read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise RunError(f"{run_dir / RESULTS} is corrupt: {exc}") from None
    return Run(run_dir, train, config, model, results)
