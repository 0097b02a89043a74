"""Sweep specifications: the TOML file ``tpc sweep SPEC`` reads, checked into a :class:`Spec`.

A spec names a base configuration, the axes to vary and optional random draws::

    description = "The paper's Table 1 configurations, five seeds"
    output = "runs/paper"            # default SWEEP_DIR (-o overrides), relative to the cwd
    trial_dir = "{task}/s{seed}"     # each trial's run directory (default: key=value,...)

    [base]                           # every trial: task, preset and any tpc train option
    preset = "paper"

    [axes]                           # the grid: every combination of these lists
    task = ["reverse", "hist"]
    seed = [0, 1, 2, 3, 4]
    heads = [{ label = "4+4", n_heads_cat = 4, n_heads_num = 4 }, { n_heads_cat = 8 }]
    # or several grids over the same axes, whose trials are joined:
    # [[axes]] ... [[axes]] (e.g. more seeds for one task)

    [random]                         # optional: `draws` configurations, crossed with the grid
    draws = 8
    rng_seed = 0                     # seed of the draws (not of training)
    lr = { log_uniform = [0.005, 0.1] }
    n_layers = { choice = [2, 3, 4] }

    [report]                         # how `tpc sweep report` groups and compares
    over = ["seed"]                  # replicate axes: groups are the other axes' values
    target = "paper Table 1"         # a reference below, or a test accuracy in %
    tolerance = 1.0                  # seeds "reach the target" at >= target - tolerance
    [report.references."paper Table 1"]   # test accuracy (%) per task
    reverse = 99.79

Option names are :class:`tpc.train.TrainConfig` fields (``n_layers``, not ``--layers``).
A trial's options are, later ones winning: the preset's for its task, ``[base]``, the
axes, the random draws. An axis value may be a table of several options (a "bundle",
e.g. a per-task architecture); its label is its ``label`` key, else the value of the
option named like the axis, else ``key=value,...``. Paths (``wiring``, ``glove``,
``data_dir``, ``supervise_program``) are relative to the spec's directory; besides the
TrainConfig fields a spec takes ``supervise_program``, a RASP file whose text becomes
``supervise_source`` (:data:`FILE_OPTIONS`, as ``tpc train --supervise-program``).

A spec is untrusted input: unknown keys, wrong types, out-of-range values, more than
:data:`MAX_TRIALS` trials, unsafe paths or a template naming no axis are a
:class:`SpecError` with a one-line message naming the key (``axes.n_layers: ...``), raised
before anything is written.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tpc.errors import TpcError, quote
from tpc.fileio import read_text

#: Most trials a spec may ask for (axes' product x draws).
MAX_TRIALS = 10_000
#: Largest spec file read.
MAX_SPEC_BYTES = 1024 * 1024
#: Longest string value (descriptions, labels, task names, paths) in a spec.
MAX_STRING = 4096
#: Longest name of a trial's run directory (its path under SWEEP_DIR).
MAX_TRIAL_DIR = 200
#: Options that name files or directories: relative paths are relative to the spec.
PATH_OPTIONS = ("wiring", "glove", "data_dir", "supervise_program")
#: Options a spec (like ``tpc train``) gives as a file whose text is the TrainConfig
#: field: ``supervise_program = "x.rasp"`` (``--supervise-program``) sets
#: ``supervise_source``. Each trial's config holds the text, read when the spec expands.
FILE_OPTIONS = {"supervise_program": "supervise_source"}
#: Keys of [random] that are no options.
RANDOM_SETTINGS = ("draws", "rng_seed")
DISTRIBUTIONS = ("choice", "uniform", "log_uniform", "int_uniform")
#: Significant digits a drawn float keeps (so that labels and configs stay readable).
DRAW_DIGITS = 4
#: Names a trial directory may not start with: the sweep's own files.
RESERVED = ("sweep.json", "sessions.json", "logs", ".lock")

_TOP_KEYS = ("description", "output", "trial_dir", "base", "axes", "random", "report")
_REPORT_KEYS = ("over", "target", "tolerance", "references")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FIELD = re.compile(r"\{([^{}]*)\}")
_SAFE_PART = re.compile(r"[A-Za-z0-9._+=,-]+")


class SpecError(TpcError):
    """A sweep spec that cannot be run; the message names the file and the key."""


Scalar = int | float | bool | str


@dataclass(frozen=True)
class AxisValue:
    """One value of an axis: the options it sets and its label (a column of the report
    and part of trial directory names)."""

    label: str
    options: dict[str, Scalar]


@dataclass(frozen=True)
class Axis:
    name: str
    values: tuple[AxisValue, ...]


@dataclass(frozen=True)
class Draw:
    """A random option: ``kind`` (one of :data:`DISTRIBUTIONS`) over ``args``."""

    kind: str
    args: tuple[Scalar, ...]


@dataclass(frozen=True)
class ReportSettings:
    over: tuple[str, ...] = ()
    target: float | str | None = None
    tolerance: float = 0.0
    references: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self) | {"over": list(self.over)}


@dataclass(frozen=True)
class Spec:
    """A checked sweep spec (see the module docstring)."""

    path: Path
    text: str
    description: str = ""
    output: str | None = None
    trial_dir: str | None = None
    base: dict[str, Scalar] = field(default_factory=dict)
    axes: tuple[Axis, ...] = ()
    #: Every grid (``[[axes]]``); ``axes`` is the first, whose names they all share.
    grids: tuple[tuple[Axis, ...], ...] = ()
    draws: int = 0
    rng_seed: int = 0
    random: dict[str, Draw] = field(default_factory=dict)
    report: ReportSettings = field(default_factory=ReportSettings)

    def size(self) -> int:
        """How many trials the spec asks for."""
        grids = self.grids or (self.axes,)
        return sum(math.prod(len(a.values) for a in g) for g in grids) * max(self.draws, 1)


def train_fields() -> dict[str, Any]:
    """TrainConfig's fields by name, with their type hints."""
    from tpc.train.config import TrainConfig

    return typing.get_type_hints(TrainConfig)


def load_spec(path: str | os.PathLike[str]) -> Spec:
    """Read and check the spec at ``path``; :class:`SpecError` (one line) if it is not a
    spec tpc can run."""
    path = Path(path)
    text = read_text(path, SpecError, MAX_SPEC_BYTES, "sweep spec")
    return parse_spec(text, path)


def parse_spec(text: str, path: Path) -> Spec:
    """Check the TOML ``text`` of the spec at ``path`` (for messages and relative paths)."""
    where = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{where} is not TOML: {exc}") from None
    except RecursionError:
        raise SpecError(f"{where} is not TOML: nested too deeply") from None
    check = _Checker(where, path.parent)
    check.keys(data, _TOP_KEYS, "")
    fields = train_fields()
    base = check.options(check.table(data, "base"), "base", fields, allow_preset=True)
    grids = check.grids(data.get("axes", {}), fields)
    axes = grids[0]
    random = check.table(data, "random")
    draws = check.integer(random.get("draws", 1), "random.draws", 1, MAX_TRIALS)
    rng_seed = check.integer(random.get("rng_seed", 0), "random.rng_seed", 0, 2**63 - 1)
    draws_of = {
        key: check.draw(value, f"random.{key}", key, fields)
        for key, value in random.items()
        if key not in RANDOM_SETTINGS
    }
    if random and not draws_of:
        raise SpecError(
            f"{where}: random: no option to draw (e.g. lr = {{ log_uniform = [0.01, 0.1] }})"
        )
    if not draws_of:
        draws = 0
    names = [a.name for a in axes]
    for key in draws_of:
        if key in names:
            raise SpecError(f"{where}: random.{key}: {key} is also an axis; vary it one way")
    spec = Spec(
        path=path,
        text=text,
        description=check.string(data.get("description", ""), "description"),
        output=check.relative_path(data["output"], "output") if "output" in data else None,
        trial_dir=check.template(data["trial_dir"], names, draws_of)
        if "trial_dir" in data
        else None,
        base=base,
        axes=axes,
        grids=grids,
        draws=draws,
        rng_seed=rng_seed,
        random=draws_of,
        report=check.report(check.table(data, "report"), names),
    )
    if spec.size() > MAX_TRIALS:
        raise SpecError(
            f"{where}: axes: {spec.size():,} trials; a sweep has at most {MAX_TRIALS:,} "
            "(fewer values, or random draws)"
        )
    if (
        "task" not in base
        and "task" not in names
        and not any("task" in v.options for g in grids for a in g for v in a.values)
    ):
        raise SpecError(f"{where}: base.task: no task: set base.task or an axis of tasks")
    return spec


class _Checker:
    """The checks of one spec file, each raising :class:`SpecError` naming its key."""

    def __init__(self, where: str, directory: Path) -> None:
        self.where = where
        self.directory = directory

    def fail(self, key: str, problem: str) -> SpecError:
        return SpecError(f"{self.where}: {key}: {problem}")

    def keys(self, data: dict[str, Any], allowed: tuple[str, ...], prefix: str) -> None:
        for key in data:
            if key not in allowed:
                raise SpecError(
                    f"{self.where}: unknown key {quote(prefix + key)}; expected one of: "
                    + ", ".join(allowed)
                )

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, f"must be a table ([{key}]), got {quote(value)}")
        return value

    def string(self, value: Any, key: str) -> str:
        if not isinstance(value, str):
            raise self.fail(key, f"must be a string, got {quote(value)}")
        if len(value) > MAX_STRING:
            raise self.fail(key, f"is longer than {MAX_STRING:,} characters")
        return value

    def integer(self, value: Any, key: str, low: int, high: int) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(key, f"must be an integer, got {quote(value)}")
        if not low <= value <= high:
            raise self.fail(key, f"must be in {low:,}..{high:,}, got {value:,}")
        return value

    def number(self, value: Any, key: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(key, f"must be a number, got {quote(value)}")
        if not math.isfinite(value):
            raise self.fail(key, f"must be finite, got {value}")
        return float(value)

    def relative_path(self, value: Any, key: str) -> str:
        text = self.string(value, key)
        parts = Path(text).parts
        if not text or Path(text).is_absolute() or ".." in parts:
            raise self.fail(key, f"must be a relative path without '..', got {quote(text)}")
        return text

    def scalar(self, value: Any, key: str, option: str, fields: dict[str, Any]) -> Scalar:
        """``value`` of the option ``option`` (at ``key``): of the field's type and within
        its bounds (:func:`tpc.model.config.check_fields`); an integer for a float field
        becomes a float, a relative path is made absolute from the spec's directory."""
        from tpc.model.config import ConfigError, check_fields
        from tpc.train.config import TrainConfig

        if isinstance(value, (dict, list)) or not isinstance(value, (int, float, bool, str)):
            raise self.fail(key, f"must be a single value, got {quote(value)}")
        if isinstance(value, str) and len(value) > MAX_STRING:
            raise self.fail(key, f"is longer than {MAX_STRING:,} characters")
        if option in ("preset", "label"):
            return self.string(value, key)
        if option in FILE_OPTIONS:
            value = self.string(value, key)
        else:
            arms = typing.get_args(fields[option]) or (fields[option],)
            if type(value) is int and float in arms and int not in arms:
                value = float(value)
            try:
                check_fields(dataclasses.replace(TrainConfig(task="hist"), **{option: value}))
            except ConfigError as exc:
                raise self.fail(key, str(exc)) from None
        if option in PATH_OPTIONS:
            if not value:
                raise self.fail(key, "must be a path, got ''")
            if not Path(str(value)).is_absolute():
                value = str((self.directory / str(value)).resolve())
        return value

    def options(
        self,
        data: dict[str, Any],
        prefix: str,
        fields: dict[str, Any],
        allow_preset: bool = False,
        allow_label: bool = False,
    ) -> dict[str, Scalar]:
        allowed = {
            *fields,
            *FILE_OPTIONS,
            *(["preset"] if allow_preset else []),
            *(["label"] if allow_label else []),
        }
        out = {}
        for key, value in data.items():
            if key not in allowed:
                hint = _flag_hint(key, fields)
                raise SpecError(f"{self.where}: {prefix}.{key}: unknown option {quote(key)}{hint}")
            out[key] = self.scalar(value, f"{prefix}.{key}", key, fields)
        return out

    def grids(self, data: Any, fields: dict[str, Any]) -> tuple[tuple[Axis, ...], ...]:
        """``[axes]`` (one grid) or ``[[axes]]`` (several, over the same axes)."""
        if isinstance(data, dict):
            return (tuple(self.axis(n, v, fields, "axes") for n, v in data.items()),)
        if not isinstance(data, list) or not data or not all(isinstance(g, dict) for g in data):
            raise self.fail(
                "axes", f"must be a table ([axes]) or tables ([[axes]]), got {quote(data)}"
            )
        if len(data) > MAX_TRIALS:
            raise self.fail("axes", f"{len(data):,} grids; at most {MAX_TRIALS:,}")
        grids = []
        for i, grid in enumerate(data):
            axes = tuple(self.axis(n, v, fields, f"axes[{i}]") for n, v in grid.items())
            if grids and [a.name for a in axes] != [a.name for a in grids[0]]:
                raise self.fail(
                    f"axes[{i}]",
                    f"has the axes {', '.join(a.name for a in axes) or '(none)'}; every grid "
                    f"needs those of axes[0], in its order: "
                    + (", ".join(a.name for a in grids[0]) or "(none)"),
                )
            grids.append(axes)
        return tuple(grids)

    def axis(self, name: str, values: Any, fields: dict[str, Any], prefix: str) -> Axis:
        key = f"{prefix}.{name}"
        if not _NAME.fullmatch(name) or len(name) > 64:
            raise self.fail(key, "an axis name is a word of letters, digits and _")
        if not isinstance(values, list) or not values:
            raise self.fail(key, f"must be a non-empty list of values, got {quote(values)}")
        if len(values) > MAX_TRIALS:
            raise self.fail(key, f"{len(values):,} values; at most {MAX_TRIALS:,}")
        out = []
        for i, value in enumerate(values):
            where = f"{key}[{i}]"
            if isinstance(value, dict):
                if not value:
                    raise self.fail(where, "an empty table sets no option")
                options = self.options(value, where, fields, allow_preset=True, allow_label=True)
                label = options.pop("label", None)
                if not options:
                    raise self.fail(where, "a table with only a label sets no option")
                if label is None:
                    label = (
                        _label(options[name])
                        if name in options
                        else ",".join(f"{k}={_label(v)}" for k, v in options.items())
                    )
                out.append(AxisValue(str(label), options))
            else:
                if name not in fields and name != "preset":
                    raise self.fail(
                        key,
                        f"{quote(name)} is not an option{_flag_hint(name, fields)}; an axis of "
                        "another name takes tables of options ({ n_heads_cat = 8, ... })",
                    )
                option = self.scalar(value, where, name, fields)
                out.append(AxisValue(_label(option), {name: option}))
        seen: set[str] = set()
        for v in out:
            if v.label in seen:
                raise self.fail(key, f"the value {quote(v.label)} appears twice")
            seen.add(v.label)
        return Axis(name, tuple(out))

    def draw(self, value: Any, key: str, option: str, fields: dict[str, Any]) -> Draw:
        if option not in fields:
            raise SpecError(
                f"{self.where}: {key}: unknown option {quote(option)}{_flag_hint(option, fields)}"
            )
        if not isinstance(value, dict) or len(value) != 1:
            raise self.fail(
                key,
                "must be a table of one distribution: "
                + ", ".join(f"{{ {d} = [...] }}" for d in DISTRIBUTIONS),
            )
        ((kind, args),) = value.items()
        if kind not in DISTRIBUTIONS:
            raise self.fail(
                key, f"unknown distribution {quote(kind)}; choose from: {', '.join(DISTRIBUTIONS)}"
            )
        if not isinstance(args, list) or not args:
            raise self.fail(f"{key}.{kind}", f"must be a non-empty list, got {quote(args)}")
        if kind == "choice":
            if len(args) > MAX_TRIALS:
                raise self.fail(f"{key}.{kind}", f"{len(args):,} values; at most {MAX_TRIALS:,}")
            return Draw(kind, tuple(self.scalar(a, f"{key}.{kind}", option, fields) for a in args))
        if len(args) != 2:
            raise self.fail(f"{key}.{kind}", f"must be [low, high], got {quote(args)}")
        if kind == "int_uniform":
            low, high = (self.integer(a, f"{key}.{kind}", -(2**62), 2**62) for a in args)
            self.scalar(low, f"{key}.{kind}", option, fields)
        else:
            low, high = (self.number(a, f"{key}.{kind}") for a in args)
            if kind == "log_uniform" and low <= 0:
                raise self.fail(f"{key}.{kind}", "a log-uniform range must be above 0")
            self.scalar(low, f"{key}.{kind}", option, fields)
        if low > high:
            raise self.fail(f"{key}.{kind}", f"low {low} is above high {high}")
        return Draw(kind, (low, high))

    def template(self, value: Any, axes: list[str], random: dict[str, Draw]) -> str:
        text = self.string(value, "trial_dir")
        names = {*axes, *random}
        for found in _FIELD.findall(text):
            if found not in names:
                raise self.fail(
                    "trial_dir",
                    f"{{{found}}} names no axis or random option; choose from: "
                    + ", ".join(sorted(names)),
                )
        if "{" in _FIELD.sub("", text) or "}" in _FIELD.sub("", text):
            raise self.fail("trial_dir", "unbalanced { or }")
        if Path(text).is_absolute() or ".." in Path(text).parts:
            raise self.fail("trial_dir", f"must be a relative path without '..', got {quote(text)}")
        return text

    def report(self, data: dict[str, Any], axes: list[str]) -> ReportSettings:
        self.keys(data, _REPORT_KEYS, "report.")
        over_default = ["seed"] if "seed" in axes else []
        over = data.get("over", over_default)
        if not isinstance(over, list) or not all(isinstance(o, str) for o in over):
            raise self.fail("report.over", f"must be a list of axis names, got {quote(over)}")
        for name in over:
            if name not in axes:
                raise self.fail("report.over", f"{quote(name)} is not an axis")
        references = self.table(data, "references") if "references" in data else {}
        refs: dict[str, dict[str, float]] = {}
        for name, table in references.items():
            key = f"report.references.{name}"
            self.string(name, key)
            if not isinstance(table, dict):
                raise self.fail(
                    key, f"must be a table of test accuracies (%) by task, got {quote(table)}"
                )
            refs[name] = {}
            for task, pct in table.items():
                value = self.number(pct, f"{key}.{task}")
                if not 0 <= value <= 100:
                    raise self.fail(f"{key}.{task}", f"must be a percentage (0-100), got {value}")
                refs[name][task] = value
        target: float | str | None = data.get("target")
        if isinstance(target, str):
            if target not in refs:
                raise self.fail(
                    "report.target",
                    f"{quote(target)} is no reference; give a percentage or one of: "
                    + (", ".join(refs) or "(no [report.references])"),
                )
        elif target is not None:
            target = self.number(target, "report.target")
            if not 0 <= target <= 100:
                raise self.fail("report.target", f"must be a percentage (0-100), got {target}")
        tolerance = self.number(data.get("tolerance", 0.0), "report.tolerance")
        if not 0 <= tolerance <= 100:
            raise self.fail("report.tolerance", f"must be 0-100 points, got {tolerance}")
        return ReportSettings(tuple(over), target, tolerance, refs)


def _label(value: Scalar) -> str:
    """How a value is written in labels: ``true``/``false``, numbers as Python writes them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _flag_hint(key: str, fields: dict[str, Any]) -> str:
    """``; did you mean n_layers?`` for a key written as a flag (``layers``, ``n-layers``)."""
    from tpc.model.config import option_of
    from tpc.train.config import TrainConfig

    wanted = key.lstrip("-").replace("-", "_")
    if wanted in fields:
        return f"; did you mean {wanted}?"
    for f in dataclasses.fields(TrainConfig):
        option = option_of(f)
        if option is not None:
            flags = [p.lstrip("-").replace("-", "_") for p in option.flag.split("/")]
            if wanted in flags:
                return f"; did you mean {f.name}?"
    return "; options are tpc.train.TrainConfig fields (e.g. n_layers, lr, seed)"


def draw_values(spec: Spec) -> list[dict[str, Scalar]]:
    """The spec's random draws: ``spec.draws`` dicts of option values, the same for the
    same ``rng_seed`` (Python's Mersenne Twister, drawn in the order of [random])."""
    import random

    rng = random.Random(spec.rng_seed)
    out = []
    for _ in range(spec.draws):
        values: dict[str, Scalar] = {}
        for key, d in spec.random.items():
            if d.kind == "choice":
                values[key] = d.args[rng.randrange(len(d.args))]
            elif d.kind == "int_uniform":
                values[key] = rng.randint(int(d.args[0]), int(d.args[1]))
            elif d.kind == "uniform":
                values[key] = _round(rng.uniform(float(d.args[0]), float(d.args[1])))
            else:
                low, high = math.log(float(d.args[0])), math.log(float(d.args[1]))
                values[key] = _round(math.exp(rng.uniform(low, high)))
        out.append(values)
    return out


def _round(x: float) -> float:
    return float(f"{x:.{DRAW_DIGITS}g}")


def shown_path(path: str | os.PathLike[str]) -> str:
    """``path`` as reports and commands show it: relative to the current directory when
    it is inside it (a spec's paths are stored absolute), else as it is."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def safe_part(text: str) -> str:
    """``text`` as a directory name: characters other than letters, digits and
    ``._+=,-`` become ``_``; never empty, never starting with a dot."""
    out = "".join(c if _SAFE_PART.fullmatch(c) else "_" for c in text) or "_"
    return "_" + out[1:] if out.startswith(".") else out
