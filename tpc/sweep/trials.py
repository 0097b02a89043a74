"""A spec's trials: every combination of its axes (and random draws), each a checked
:class:`tpc.train.TrainConfig` with a run directory under SWEEP_DIR.

Order: the replicate axes (``report.over``, normally ``seed``) vary slowest, so that a
sweep stopped half-way has whole seeds of every configuration rather than every seed of a
few. Names: ``trial_dir`` filled in with the labels, else ``key=label`` joined by ``,``
(``task=hist,seed=0``); characters other than letters, digits and ``._+=,-`` become
``_``. Two trials with one directory, a directory inside another's, or a name of the
sweep's own files is a :class:`~tpc.sweep.spec.SpecError`.
"""

from __future__ import annotations

import dataclasses
import itertools
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tpc.errors import quote
from tpc.sweep.spec import (
    FILE_OPTIONS,
    MAX_TRIAL_DIR,
    PATH_OPTIONS,
    RESERVED,
    Axis,
    Scalar,
    Spec,
    SpecError,
    draw_values,
    safe_part,
    shown_path,
)


@dataclass(frozen=True)
class Trial:
    """One run of a sweep: its directory ``name`` (relative to SWEEP_DIR), its
    ``values`` (axis or random option → label, in spec order), the options the spec set
    (``options``: the preset's, then base, axes and draws; for the ``tpc train``
    command) and the full ``config`` (:meth:`TrainConfig.to_dict`)."""

    name: str
    values: dict[str, str]
    preset: str | None
    options: dict[str, Scalar]
    config: dict[str, Any]

    def command(self, sweep_dir: str | Path = ".") -> str:
        """The ``tpc train`` command that makes this run in ``sweep_dir``."""
        return train_command(self.preset, self.options, Path(sweep_dir) / self.name)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def expand(spec: Spec) -> list[Trial]:
    """Every trial of ``spec``, checked (:class:`SpecError` naming the trial and the key
    of the first bad option)."""

    draws = draw_values(spec) if spec.random else [{}]
    trials: list[Trial] = []
    names: dict[str, Trial] = {}
    for i, grid in enumerate(spec.grids or (spec.axes,)):
        prefix = "axes" if len(spec.grids) <= 1 else f"axes[{i}]"
        for trial in _grid_trials(spec, grid, draws, prefix):
            if trial.name in names:
                if names[trial.name].config == trial.config:
                    continue  # in two grids, or two draws that came out the same
                raise SpecError(
                    f"{spec.path}: trial_dir: trials {quote(trial.values, 80)} and "
                    f"{quote(names[trial.name].values, 80)} would share the directory "
                    f"{trial.name!r}"
                )
            names[trial.name] = trial
            trials.append(trial)
    _check_nesting(spec, [t.name for t in trials])
    return trials


def _grid_trials(
    spec: Spec, grid: tuple[Axis, ...], draws: list[dict[str, Scalar]], prefix: str
) -> Iterator[Trial]:
    """The trials of one grid, checked (replicate axes slowest)."""
    from tpc.model.config import ConfigError
    from tpc.train.config import TrainConfig, preset_options

    over = [a for a in grid if a.name in spec.report.over]
    inner = [a for a in grid if a.name not in spec.report.over]
    for outer_values in itertools.product(*(a.values for a in over)):
        for inner_values in itertools.product(*(a.values for a in inner)):
            for draw in draws:
                chosen = dict(zip([a.name for a in over], outer_values, strict=True))
                chosen |= dict(zip([a.name for a in inner], inner_values, strict=True))
                labels = {a.name: chosen[a.name].label for a in grid}
                labels |= {k: _label(v) for k, v in draw.items()}
                sources: dict[str, str] = {k: f"base.{k}" for k in spec.base}
                options: dict[str, Scalar] = dict(spec.base)
                for a in grid:
                    for k, v in chosen[a.name].options.items():
                        options[k] = v
                        sources[k] = f"{prefix}.{a.name}"
                for k, v in draw.items():
                    options[k] = v
                    sources[k] = f"random.{k}"
                name = trial_name(spec, labels)
                preset = options.pop("preset", None)
                task = options.get("task")
                try:
                    if not isinstance(task, str):
                        raise ConfigError("task must be a task name")
                    values = dict(preset_options(str(preset), task)) if preset else {}
                    values.update(options)
                    for option, field in FILE_OPTIONS.items():
                        if option in values:
                            values[field] = _file_text(str(values.pop(option)))
                    config = TrainConfig(**values)
                    config.check()
                except ConfigError as exc:
                    raise SpecError(_config_problem(spec, name, str(exc), sources)) from None
                yield Trial(name, labels, preset, options, config.to_dict())


def _file_text(path: str) -> str:
    """The text of a :data:`FILE_OPTIONS` file; ConfigError (one line) if unreadable."""
    from tpc.fileio import read_text
    from tpc.model.config import MAX_RASP_SOURCE, ConfigError

    return read_text(path, ConfigError, MAX_RASP_SOURCE, "file")


def _label(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def trial_name(spec: Spec, labels: dict[str, str]) -> str:
    """The run directory of the trial with these labels (see the module docstring)."""
    if spec.trial_dir is not None:
        text = spec.trial_dir
        for key, label in labels.items():
            text = text.replace("{" + key + "}", safe_part(label))
        parts = [safe_part(p) for p in text.split("/") if p not in ("", ".")]
    else:
        parts = [",".join(f"{k}={safe_part(v)}" for k, v in labels.items()) or "trial"]
    name = "/".join(parts) or "trial"
    if len(name) > MAX_TRIAL_DIR:
        raise SpecError(
            f"{spec.path}: trial_dir: the directory {quote(name, 60)} is longer than "
            f"{MAX_TRIAL_DIR} characters; set a shorter trial_dir template (or labels)"
        )
    if parts[0] in RESERVED:
        raise SpecError(f"{spec.path}: trial_dir: {parts[0]!r} is the name of a sweep file")
    return name


def _check_nesting(spec: Spec, names: list[str]) -> None:
    """SpecError if one trial's directory would hold another's."""
    dirs = set(names)
    for name in names:
        parts = name.split("/")
        for i in range(1, len(parts)):
            if "/".join(parts[:i]) in dirs:
                raise SpecError(
                    f"{spec.path}: trial_dir: the trial directory {name!r} is inside "
                    f"another trial's, {'/'.join(parts[:i])!r}"
                )


def _config_problem(spec: Spec, name: str, message: str, sources: dict[str, str]) -> str:
    """The message of a trial whose options TrainConfig refuses, naming where the
    option it names came from (``set by axes.n_layers``)."""
    first = message.split(" ", 1)[0].lstrip("-").replace("-", "_")
    source = sources.get(first)
    if source is None and first in ("task",):
        source = "base.task"
    where = f" (set by {source})" if source else ""
    return f"{spec.path}: trial {name}: {message}{where}"


#: The flags of ``tpc train`` that are not "--" + the field name (model options aside,
#: which declare theirs).
_TRAIN_FLAGS = {
    "supervise_program": "--supervise-program",
    "lowercase": "--lowercase/--no-lowercase",
    "replace_numbers": "--replace-numbers/--keep-numbers",
}


def train_command(preset: str | None, options: dict[str, Scalar], out: str | Path) -> str:
    """The ``tpc train`` command line for a run with these options (TrainConfig field
    names, turned into the command's flags; paths as :func:`shown_path` shows them)."""
    from tpc.model.config import option_of
    from tpc.train.config import TrainConfig

    flags = {}
    for f in dataclasses.fields(TrainConfig):
        option = option_of(f)
        flags[f.name] = option.flag if option is not None else "--" + f.name.replace("_", "-")
    flags |= _TRAIN_FLAGS
    args = ["tpc", "train", str(options.get("task"))]
    if preset:
        args += ["--preset", preset]
    for key, value in options.items():
        if key == "task":
            continue
        flag = flags[key]
        if isinstance(value, bool):
            on, _, off = flag.partition("/")
            args.append(on if value else off or "--no-" + on.lstrip("-"))
        else:
            args += [flag, shown_path(str(value)) if key in PATH_OPTIONS else str(value)]
    args += ["-o", str(out)]
    return shlex.join(args)
