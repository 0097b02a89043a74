"""Training options (every hyper-parameter of a run) and the paper's presets.

Every option's type and bound is checked by :func:`tpc.model.config.check_fields` (the
bounds, shared with the model configurations, are :data:`tpc.model.config.LIMITS`; for
training: at most 1,000,000 examples, 100,000 epochs, batches of 65,536, 1,024 threads,
learning rate and temperatures positive and finite). The dataset must also fit in
:data:`MAX_DATASET_TOKENS` tokens (examples x N).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from tpc.model.config import (
    ConfigError,
    IOConfig,
    Limit,
    ModelConfig,
    ProgramConfig,
    ProgramOptions,
    StandardConfig,
    StandardOptions,
    check_fields,
    derived_option,
    from_fields,
)

TAU_SCHEDULES = ("geomspace", "linspace", "constant")
#: Most tokens (examples x N) of a run's dataset: a few hundred MB as int64 tensors.
MAX_DATASET_TOKENS = 20_000_000
#: Fields added after runs were first written: left out of ``config.json`` at their
#: default, so that the configs of runs that do not use them stay as they were.
OMITTED_AT_DEFAULT = ("wiring", "threads")


@dataclass(frozen=True)
class _Run:
    """The first options of a run: the task, its data, the seed and the kind of model (a
    base class of :class:`TrainConfig` so that they come first in its fields, and so in
    ``config.json``)."""

    task: str
    k: int | None = None
    n: int | None = None
    dataset_size: int = 20000
    length_dist: str = "reference"
    seed: int = 0
    data_seed: int | None = None
    model: Literal["tp", "standard"] = "tp"


@dataclass(frozen=True)
class TrainConfig(StandardOptions, ProgramOptions, _Run):
    """Everything that determines a run: data, model hyper-parameters, optimisation.

    ``k``/``n``/``causal``/``d_var`` left ``None`` take the task's defaults (``d_var``:
    max(k, n)). ``data_seed`` ``None`` means ``seed``. The model options are those of
    :class:`tpc.model.config.ProgramOptions` (``model="tp"``) and
    :class:`~tpc.model.config.StandardOptions` (``model="standard"``: ``n_layers``,
    ``d_model``, ``d_mlp``, ``dropout`` and ``n_heads_cat + n_heads_num`` heads),
    inherited with their defaults. ``wiring``: the path of a wiring file whose
    choices the run fixes (:mod:`tpc.train.wiring`; the run keeps a copy). ``threads``:
    torch's CPU threads while training, part of the run because the thread count
    changes how sums are split and so the weights (``--resume`` keeps it).
    """

    d_var: int | None = derived_option(ProgramOptions, "d_var", "max(k, N)")
    causal: bool | None = derived_option(IOConfig, "causal", "the task's")
    epochs: int = 250
    batch_size: int = 512
    lr: float = 5e-2
    tau_start: float = 3.0
    tau_end: float = 0.01
    tau_schedule: str = "geomspace"
    wiring: str | None = None
    threads: int = 1

    def check(self) -> None:
        """Raise :class:`ConfigError` naming the first bad option: a type or bound
        (:func:`check_fields`), an unknown task or a combination that does not fit."""
        from tpc.tasks import LENGTH_DISTS, TASKS

        check_fields(self)
        for name, choices in (
            ("task", tuple(TASKS)),
            ("tau_schedule", TAU_SCHEDULES),
            ("length_dist", LENGTH_DISTS),
        ):
            problem = Limit(choices=choices).violation(getattr(self, name))
            if problem is not None:
                raise ConfigError(f"{name} {problem}")
        if self.wiring is not None and self.model != "tp":
            raise ConfigError("--wiring needs a Transformer Program (--model tp)")
        _, n = self.task_size()
        if self.dataset_size * n > MAX_DATASET_TOKENS:
            raise ConfigError(
                f"dataset_size {self.dataset_size:,} x N {n} is more than "
                f"{MAX_DATASET_TOKENS:,} tokens; use fewer examples"
            )

    def task_size(self) -> tuple[int, int]:
        """``(k, n)``: the vocabulary size and longest input, the task's defaults if unset."""
        from tpc.tasks import get_task

        task = get_task(self.task)
        return (
            task.default_k if self.k is None else self.k,
            task.default_n if self.n is None else self.n,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict. The fields of :data:`OMITTED_AT_DEFAULT` appear only when not
        at their default, so that the configs of runs without them are as before."""
        data = dataclasses.asdict(self)
        for f in dataclasses.fields(self):
            if f.name in OMITTED_AT_DEFAULT and data[f.name] == f.default:
                del data[f.name]
        return data

    @classmethod
    def from_dict(cls, data: Any) -> TrainConfig:
        """Inverse of :meth:`to_dict`; anything but the options of a valid run (unknown
        or missing fields, wrong types, out of bounds) raises :class:`ConfigError`."""
        return from_fields(cls, data, "training")


def model_config(
    config: TrainConfig,
    input_vocab: list[str],
    classes: list[str],
    max_len: int,
    causal: bool,
    pooled: bool = False,
) -> ModelConfig:
    """The model configuration of a run on data with these vocabularies and length.

    PAD (class 0) is the only masked class: every other class is a label of some input.
    """
    io = dict(
        input_vocab=tuple(input_vocab),
        classes=tuple(classes),
        max_len=max_len,
        class_mask=(0,),
        causal=causal,
        pooled=pooled,
    )
    if config.model == "standard":
        result: ModelConfig = StandardConfig(
            **io,
            **_options(config, StandardOptions),
            n_heads=max(config.n_heads_cat + config.n_heads_num, 1),
        )
    else:
        options = _options(config, ProgramOptions)
        options["d_var"] = config.d_var or max(len(input_vocab), max_len)
        result = ProgramConfig(**io, **options)
    result.check()
    from tpc.model.build import check_model_size  # torch: only when a model is configured

    check_model_size(result)
    return result


def _options(config: TrainConfig, options: type) -> dict[str, Any]:
    """The values of the model options ``options`` (a dataclass) in ``config``, by name."""
    return {f.name: getattr(config, f.name) for f in dataclasses.fields(options)}


# The paper's settings (REFERENCE.md; the authors' scripts/*.sh): shared hyper-parameters
# and, per task, the Table 1 architecture (heads and MLPs split evenly into categorical
# and numerical ones). k and n are the tasks' defaults; d_var = max(k, n).
PAPER_COMMON: dict[str, Any] = dict(
    model="tp",
    dataset_size=20000,
    length_dist="reference",
    epochs=250,
    batch_size=512,
    lr=5e-2,
    tau_start=3.0,
    tau_end=0.01,
    tau_schedule="geomspace",
    one_hot_embed=True,
    count_only=True,
    d_mlp=64,
    mlp_vars_in=2,
    d_var=None,
    k=None,
    n=None,
)
PAPER_TASKS: dict[str, dict[str, Any]] = {
    "reverse": dict(n_layers=3, n_heads_cat=4, n_heads_num=4, n_cat_mlps=1, n_num_mlps=1),
    "hist": dict(n_layers=1, n_heads_cat=2, n_heads_num=2, n_cat_mlps=1, n_num_mlps=1),
    "double_hist": dict(n_layers=3, n_heads_cat=2, n_heads_num=2, n_cat_mlps=1, n_num_mlps=1),
    "sort": dict(n_layers=3, n_heads_cat=4, n_heads_num=4, n_cat_mlps=2, n_num_mlps=2),
    "most_freq": dict(n_layers=3, n_heads_cat=4, n_heads_num=4, n_cat_mlps=2, n_num_mlps=2),
    "dyck1": dict(n_layers=3, n_heads_cat=4, n_heads_num=4, n_cat_mlps=1, n_num_mlps=1),
    "dyck2": dict(n_layers=3, n_heads_cat=2, n_heads_num=2, n_cat_mlps=2, n_num_mlps=2),
    # scripts/induction.sh: 2 layers x 1 categorical head, attention only, 500 epochs
    "induction": dict(
        n_layers=2, n_heads_cat=1, n_heads_num=0, n_cat_mlps=0, n_num_mlps=0, epochs=500
    ),
}
PRESETS = ("paper",)

#: The paper's Table 1: discrete test accuracy (%) of its best model per RASP task, what
#: the ``paper`` preset's runs are compared with.
PAPER_TEST_ACCURACY: dict[str, float] = {
    "reverse": 99.79,
    "hist": 100.0,
    "double_hist": 98.40,
    "sort": 99.83,
    "most_freq": 75.69,
    "dyck1": 99.30,
    "dyck2": 99.09,
}


def preset_options(preset: str, task: str) -> dict[str, Any]:
    """The options ``preset`` sets for ``task`` (explicit options override them)."""
    if preset not in PRESETS:
        raise ConfigError(f"unknown preset {preset!r}; choose from: {', '.join(PRESETS)}")
    if task not in PAPER_TASKS:
        raise ConfigError(
            f"the paper preset has no configuration for task {task!r}; "
            f"it covers: {', '.join(PAPER_TASKS)}"
        )
    return {**PAPER_COMMON, **PAPER_TASKS[task]}
