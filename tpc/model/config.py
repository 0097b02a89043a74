"""Model configurations: everything needed to rebuild a model and read its vocabularies.

A configuration is plain data (JSON round-trip through :func:`config_to_dict` and
:func:`config_from_dict`); the run directory stores it in ``config.json``, which is
untrusted input. So every field of every configuration (these and
:class:`tpc.train.TrainConfig`) is checked in one place, :func:`check_fields`: its type
comes from the dataclass annotation (an ``int`` field takes no ``2.0`` and no ``true``,
a ``float`` field no NaN) and its bound from :data:`LIMITS`, by field name, so the same
option has the same bound wherever it appears. The limits keep every size bounded
while leaving room far beyond the paper's models (Table 1: at most 3 layers, 8 heads,
N = 16, 20,000 examples); what they bound:

=========================================  ============================================
fields                                     limit
=========================================  ============================================
``n_layers``                               1 .. 32
``n_heads_cat``/``_num``, ``n_*_mlps``     0 .. 32 per layer (standard ``n_heads`` 1 .. 64)
``d_var``                                  1 .. 1,024 values per variable
``max_len`` (task ``n``)                   2 .. 512 (``n`` from 1: the task says why not)
``input_vocab``, ``classes`` (task ``k``)  at most 16,384 entries of at most 256 characters
``d_mlp``, ``d_model``                     1 .. 4,096
``mlp_vars_in``                            1 .. 8 variables per MLP
``n_vars_cat``, ``n_vars_num``             1 .. 32; ``readout_vars`` 0 .. 32
``dropout``                                0 <= p < 1
``vocab_size`` (corpus words)              1 .. 16,381 (the specials make 16,384)
=========================================  ============================================

Products of sizes are bounded too: a model may have at most :data:`MAX_PARAMETERS`
parameters (counted without allocating them, see :func:`tpc.model.build.check_model_size`): 100 MB of
float32 weights, a few hundred MB with Adam's state and checkpoints.

Each model option (a hyper-parameter ``tpc train`` takes: ``n_layers``, ``d_mlp`` ...) is
declared once, here, with :func:`option` (type, default, command-line flag and help):
the fields of :class:`LayerOptions` and :class:`DropoutOption` (both kinds of model),
:class:`ProgramOptions`,
:class:`StandardOptions`, and ``causal`` of :class:`IOConfig`. The model configurations
and :class:`tpc.train.TrainConfig` inherit them, and ``tpc train`` makes its options of
them.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from tpc.errors import TpcError, quote

ModelKind = Literal["tp", "standard"]
_Config = typing.TypeVar("_Config")

#: Most parameters a model may have (see :func:`tpc.model.build.check_model_size`).
MAX_PARAMETERS = 25_000_000
#: Most entries of a vocabulary (``input_vocab``, ``classes``, the task's ``k``): room for
#: the paper's corpus vocabularies (10,000 words and the specials).
MAX_VOCAB = 16_384
#: Longest sequence (``max_len``, the task's ``n``).
MAX_LEN = 512
#: Longest string in a configuration (a token, a task name, a wiring file's path).
MAX_STRING = 4096
#: Longest token (an entry of ``input_vocab`` or ``classes``).
MAX_TOKEN = 256
#: Longest RASP program a run keeps as its task (``task_source``, characters).
MAX_RASP_SOURCE = 1_000_000


class ConfigError(TpcError):
    """A model configuration that cannot be built (the message says which option)."""


@dataclass(frozen=True)
class Limit:
    """The bound of a configuration field: a closed or open numeric range, a maximum
    length (strings and tuples) or a set of choices."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    max_items: int | None = None
    choices: tuple[str, ...] | None = None

    def violation(self, value: Any) -> str | None:
        """Why ``value`` (of the right type) breaks this limit, or None."""
        if self.choices is not None and value not in self.choices:
            return f"must be one of {', '.join(self.choices)}; got {quote(value)}"
        if isinstance(value, (str, tuple)):
            if self.max_items is not None and len(value) > self.max_items:
                unit = "characters" if isinstance(value, str) else "entries"
                return f"must have at most {self.max_items:,} {unit}, got {len(value):,}"
            return None
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            return f"must be {'>' if self.low_open else '>='} {_number(self.low)}, got {value}"
        if self.high is not None and (value >= self.high if self.high_open else value > self.high):
            return f"must be {'<' if self.high_open else '<='} {_number(self.high)}, got {value}"
        return None


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _count(low: int, high: int) -> Limit:
    return Limit(low=low, high=high)


def _positive(high: float) -> Limit:
    return Limit(low=0, low_open=True, high=high)


#: The bound of every bounded configuration field, by name (shared by
#: :class:`ProgramConfig`, :class:`StandardConfig` and :class:`tpc.train.TrainConfig`).
LIMITS: dict[str, Limit] = {
    # vocabularies and lengths
    "input_vocab": Limit(max_items=MAX_VOCAB),
    "classes": Limit(max_items=MAX_VOCAB),
    "class_mask": Limit(max_items=MAX_VOCAB),
    "max_len": _count(2, MAX_LEN),
    "k": _count(1, MAX_VOCAB),
    "n": _count(1, MAX_LEN),
    # model shape
    "kind": Limit(choices=("tp", "standard")),
    "model": Limit(choices=("tp", "standard")),
    "d_var": _count(1, 1024),
    "n_layers": _count(1, 32),
    "n_heads_cat": _count(0, 32),
    "n_heads_num": _count(0, 32),
    "n_cat_mlps": _count(0, 32),
    "n_num_mlps": _count(0, 32),
    "n_heads": _count(1, 64),
    "mlp_vars_in": _count(1, 8),
    "d_mlp": _count(1, 4096),
    "d_model": _count(1, 4096),
    "n_vars_cat": _count(1, 32),
    "n_vars_num": _count(1, 32),
    "readout_vars": _count(0, 32),
    "dropout": Limit(low=0, high=1, high_open=True),
    # corpora (tpc.train.TrainConfig; the vocabulary adds 3 specials to vocab_size words)
    "vocab_size": _count(1, MAX_VOCAB - 3),
    "data_dir": Limit(max_items=MAX_STRING),
    "glove": Limit(max_items=MAX_STRING),
    "device": Limit(choices=("cpu", "cuda")),
    # training (tpc.train.TrainConfig)
    "task": Limit(max_items=MAX_STRING),  # a name, PATH.rasp or PATH.py:NAME
    # a task made of a RASP program (tpc.tasks.user): its text, vocabulary, length, output
    "task_source": Limit(max_items=MAX_RASP_SOURCE),
    "task_vocab": Limit(max_items=MAX_VOCAB * (MAX_TOKEN + 1)),
    "task_max_len": _count(1, MAX_LEN - 1),
    "task_output": Limit(max_items=MAX_STRING),
    "dataset_size": _count(1, 1_000_000),
    "seed": _count(0, 2**63 - 1),
    "data_seed": _count(0, 2**63 - 1),
    "epochs": _count(1, 100_000),
    "batch_size": _count(1, 65_536),
    "lr": _positive(1000.0),
    "tau_start": _positive(1e6),
    "tau_end": _positive(1e6),
    "wiring": Limit(max_items=MAX_STRING),
    "threads": _count(1, 1024),
    # attention supervision and trainer options (tpc.train.supervision, tpc.train.loop)
    "supervise": Limit(max_items=MAX_STRING),
    "supervise_source": Limit(max_items=MAX_RASP_SOURCE),
    "supervise_weight": Limit(low=0, high=1e6),
    "gumbel_samples": _count(1, 64),
    "clip_grad_norm": _positive(1e6),
}


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _is_union(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType)


def _has_type(value: Any, hint: Any) -> bool:
    """Whether a JSON-like ``value`` is of the annotated type ``hint`` (``bool`` is no
    ``int``, an ``int`` is a ``float``, non-finite floats are no numbers)."""
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return (
            isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        )
    if hint is str:
        return isinstance(value, str)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if _is_union(hint):
        return any(_has_type(value, arm) for arm in args)
    if origin is Literal:
        return any(type(value) is type(choice) and value == choice for choice in args)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return isinstance(value, tuple) and all(_has_type(v, args[0]) for v in value)
    raise TypeError(f"no type check for {hint!r}")  # a field of a new kind: teach _has_type


def _describe(hint: Any) -> str:
    names = {type(None): "null", bool: "true or false", int: "an integer", str: "a string"}
    if hint in names:
        return names[hint]
    if hint is float:
        return "a finite number"
    args = typing.get_args(hint)
    if _is_union(hint):
        return " or ".join(_describe(arm) for arm in args)
    if typing.get_origin(hint) is Literal:
        return "one of " + ", ".join(repr(a) for a in args)
    return "a list of " + {str: "strings", int: "integers"}[args[0]]


def check_fields(config: Any) -> None:
    """Raise :class:`ConfigError` naming the first field of the dataclass ``config``
    whose value has the wrong type or breaks its :data:`LIMITS` (and any string in a
    tuple longer than :data:`MAX_TOKEN` characters)."""
    hints = _hints(type(config))
    for f in dataclasses.fields(config):
        value = getattr(config, f.name)
        if not _has_type(value, hints[f.name]):
            raise ConfigError(f"{f.name} must be {_describe(hints[f.name])}, got {quote(value)}")
        limit = LIMITS.get(f.name)
        problem = None if value is None or limit is None else limit.violation(value)
        if problem is not None:
            raise ConfigError(f"{f.name} {problem}")
        if isinstance(value, tuple) and any(
            isinstance(v, str) and len(v) > MAX_TOKEN for v in value
        ):
            raise ConfigError(f"{f.name}: an entry is longer than {MAX_TOKEN} characters")


#: The key of a model option's :class:`Option` in its dataclass field's ``metadata``.
_OPTION = "tpc.option"


@dataclass(frozen=True)
class Option:
    """How a model option is given to ``tpc train``: its ``flag`` (``--on/--off`` for a
    bool) and ``help`` text. ``at_least``: the command line shows (and checks) this
    lower bound. ``unset``: what a ``None`` default means (the options that
    :class:`tpc.train.TrainConfig` derives from the task, such as ``d_var``)."""

    flag: str
    help: str
    at_least: int | None = None
    unset: str | None = None


def option(default: Any, flag: str, help: str, *, at_least: int | None = None) -> Any:
    """Declare a model option: a dataclass field with this default, and how ``tpc train``
    takes it (its command-line option is generated from this, see :class:`Option`)."""
    return dataclasses.field(
        default=default, metadata={_OPTION: Option(flag, help, at_least=at_least)}
    )


def option_of(field: dataclasses.Field[Any]) -> Option | None:
    """The :class:`Option` of a dataclass field declared with :func:`option` (or with
    this metadata), else None."""
    return field.metadata.get(_OPTION)


def derived_option(cls: type, name: str, unset: str) -> Any:
    """A field for the option ``name`` of the dataclass ``cls`` (same flag and help) whose
    default is ``None``, for a configuration that derives the value when it is not given
    (``unset`` says how, e.g. "the task's"): :class:`tpc.train.TrainConfig`'s ``d_var``
    and ``causal``. Annotate it ``<type> | None``."""
    found = option_of(cls.__dataclass_fields__[name])
    if found is None:
        raise TypeError(f"{cls.__name__}.{name} is not an option")
    return dataclasses.field(
        default=None, metadata={_OPTION: dataclasses.replace(found, unset=unset)}
    )


@dataclass(frozen=True)
class IOConfig:
    """What every model shares: vocabularies, length and the output convention.

    ``input_vocab`` lists the input tokens (PAD first, id 0); ``classes`` the output
    labels (PAD first: never predicted, its positions are not scored). ``class_mask``
    lists the class ids the readout may never predict (always contains 0, PAD).
    ``max_len`` is N, the padded sequence length including BOS/EOS. ``causal``: keys
    j <= i only. ``pooled``: one label per sequence, from the mean of the per-position
    logits over non-pad positions. ``kind`` names the model (each subclass sets it).
    """

    input_vocab: tuple[str, ...]
    classes: tuple[str, ...]
    max_len: int
    class_mask: tuple[int, ...] = (0,)
    causal: bool = option(False, "--causal/--no-causal", "Causal attention.")
    pooled: bool = False
    kind: ModelKind = dataclasses.field(kw_only=True)  # set by each subclass

    def check(self) -> None:
        """Raise :class:`ConfigError` naming the first bad field (type, bound, or sizes
        that do not fit together)."""
        check_fields(self)
        if len(self.input_vocab) < 2 or len(self.classes) < 2:
            raise ConfigError("the input and output vocabularies need at least 2 entries")
        if any(not 0 <= c < len(self.classes) for c in self.class_mask):
            raise ConfigError(f"class mask {list(self.class_mask)} is out of range")
        if len(set(self.class_mask)) >= len(self.classes):
            raise ConfigError("the class mask leaves no class to predict")


@dataclass(frozen=True)
class LayerOptions:
    """The options of both kinds of model: ``n_layers`` layers, each with MLPs
    ``d_mlp`` wide (and :class:`DropoutOption`)."""

    n_layers: int = option(2, "--layers", "Layers.")
    d_mlp: int = option(64, "--d-mlp", "MLP hidden width.")


@dataclass(frozen=True)
class DropoutOption:
    """Dropout, an option of both kinds of model, in training only (never in the discrete
    model). Its own base class, listed first among the bases of :class:`ProgramOptions`
    and :class:`StandardOptions`, so that it comes after their other options in field
    order, where the standard Transformer always had it: ``config.json`` keeps its
    key order. A Transformer Program's ``config.json`` lists it only when it is not 0
    (:data:`OMITTED_AT_DEFAULT`); configurations without it read as 0."""

    dropout: float = option(
        0.0,
        "--dropout",
        "Dropout in training (Transformer Program: on every head's and MLP's output and "
        "the MLPs' hidden layer, as the reference's model; standard: attention, "
        "residual and MLP).",
    )


@dataclass(frozen=True)
class _ProgramShape(LayerOptions):
    """The options of a Transformer Program but dropout (see :class:`ProgramOptions`)."""

    n_heads_cat: int = option(4, "--heads-cat", "Categorical heads per layer.")
    n_heads_num: int = option(0, "--heads-num", "Numerical heads per layer.")
    n_cat_mlps: int = option(1, "--cat-mlps", "Categorical MLPs per layer.")
    n_num_mlps: int = option(0, "--num-mlps", "Numerical MLPs per layer.")
    d_var: int = option(8, "--d-var", "Values per categorical variable.")
    mlp_vars_in: int = option(2, "--mlp-vars-in", "Variables each MLP reads.")
    one_hot_embed: bool = option(
        True,
        "--one-hot/--learned-embed",
        "One-hot token embedding, or a learned one factored into --n-vars-cat variables.",
    )
    n_vars_cat: int = option(1, "--n-vars-cat", "Categorical variables of a learned embedding.")
    count_only: bool = option(
        True,
        "--count-only/--learned-num-embed",
        "The single numerical input `ones`, or --n-vars-num learned scalars per token.",
    )
    n_vars_num: int = option(
        1, "--n-vars-num", "Numerical variables of a learned numerical embedding."
    )
    readout_vars: int = option(
        0,
        "--readout-vars",
        "Categorical variables the readout reads, each a learned choice (0: every variable, "
        "the paper's readout; 1-3 give programs whose readout is a small table, e.g. for Tracr).",
        at_least=0,
    )
    prefix_counts: bool = option(
        False,
        "--prefix-counts/--no-prefix-counts",
        "Add the numerical input `prefix_count`: at each position, how many positions up to "
        "it hold its token (tpc.model.extras).",
    )
    experts: bool = option(
        False,
        "--experts/--no-experts",
        "Add the numerical input `expert`: a learned router over the sequence's token "
        "histogram picks one of five fixed experts (tpc.model.extras).",
    )


@dataclass(frozen=True)
class ProgramOptions(DropoutOption, _ProgramShape):
    """The options of a Transformer Program (see :class:`ProgramConfig`)."""


@dataclass(frozen=True)
class _StandardShape(LayerOptions):
    """The width of the standard Transformer (see :class:`StandardOptions`)."""

    d_model: int = option(64, "--d-model", "Width of the standard Transformer.")


@dataclass(frozen=True)
class StandardOptions(DropoutOption, _StandardShape):
    """The options of the standard Transformer (see :class:`StandardConfig`)."""


@dataclass(frozen=True)
class ProgramConfig(ProgramOptions, IOConfig):
    """A Transformer Program (docs/design.md §2).

    Every categorical variable has ``d_var`` values (so ``d_var`` must cover the input
    vocabulary when ``one_hot_embed`` and the positions 0..N-1 for ``indices``). Each of
    the ``n_layers`` layers has ``n_heads_cat`` categorical and ``n_heads_num`` numerical
    attention heads, then ``n_cat_mlps`` categorical and ``n_num_mlps`` numerical MLPs,
    each reading ``mlp_vars_in`` variables through a ``d_mlp``-wide ReLU layer. Token
    embedding: one-hot (``tokens``) or learned, factored into ``n_vars_cat`` categorical
    variables (``embed_0`` ...). Numerical embedding: ``ones`` (``count_only``) or
    ``n_vars_num`` learned scalars per token (``num_embed_0`` ...). The readout reads
    every variable (``readout_vars`` 0, the paper's), or ``readout_vars`` categorical
    variables, each a learned one-of-n choice (a few-feature readout that folds into a
    lookup table, e.g. for Tracr). ``prefix_counts`` and ``experts`` add the numerical
    inputs ``prefix_count`` and ``expert`` after the numerical embedding
    (:mod:`tpc.model.extras`). These options are :class:`ProgramOptions`.
    """

    kind: ModelKind = "tp"

    def check(self) -> None:
        """Raise :class:`ConfigError` naming the first inconsistent option."""
        super().check()
        if self.max_len > self.d_var:
            raise ConfigError(
                f"d_var ({self.d_var}) must be >= the max length ({self.max_len}): "
                "indices is a categorical variable over the positions"
            )
        if self.one_hot_embed:
            if self.n_vars_cat != 1:
                raise ConfigError("a one-hot embedding is a single variable (n_vars_cat 1)")
            if len(self.input_vocab) > self.d_var:
                raise ConfigError(
                    f"d_var ({self.d_var}) must be >= the input vocabulary size "
                    f"({len(self.input_vocab)}) for a one-hot embedding"
                )
        if self.count_only and self.n_vars_num != 1:
            raise ConfigError("count-only means the single numerical input `ones` (n_vars_num 1)")


@dataclass(frozen=True)
class StandardConfig(StandardOptions, IOConfig):
    """The baseline: a standard pre-LayerNorm Transformer encoder of width ``d_model``
    (each of the ``n_heads`` heads ceil(d_model / n_heads) wide) with learned token and
    position embeddings and a linear readout (options: :class:`StandardOptions`;
    ``tpc train`` sets ``n_heads`` from its head counts)."""

    kind: ModelKind = "standard"
    n_heads: int = 2

    def check(self) -> None:
        """Raise :class:`ConfigError` naming the first inconsistent option."""
        super().check()


ModelConfig = ProgramConfig | StandardConfig

_KINDS: dict[str, type[ProgramConfig] | type[StandardConfig]] = {
    "tp": ProgramConfig,
    "standard": StandardConfig,
}


#: Options a kind of model gained after its runs were first written: left out of
#: :func:`config_to_dict` at their default, so that the configurations of models without
#: them stay as they were (and read back with the default).
OMITTED_AT_DEFAULT: dict[str, tuple[str, ...]] = {
    "tp": ("dropout", "prefix_counts", "experts"),
    "standard": (),
}


def config_to_dict(config: ModelConfig) -> dict[str, Any]:
    """JSON-ready dict of a configuration (tuples become lists; the options of
    :data:`OMITTED_AT_DEFAULT` only when not at their default)."""
    omitted = OMITTED_AT_DEFAULT[config.kind]
    defaults = {f.name: f.default for f in dataclasses.fields(config)}
    return {
        k: list(v) if isinstance(v, tuple) else v
        for k, v in dataclasses.asdict(config).items()
        if not (k in omitted and v == defaults[k])
    }


def config_from_dict(data: Any) -> ModelConfig:
    """Rebuild a configuration written by :func:`config_to_dict`.

    Raises :class:`ConfigError` on an unknown kind, unknown or missing fields, a field of
    the wrong type or out of bounds (:func:`check_fields`). The model's size is checked
    where models are built (:func:`tpc.model.build.check_model_size`).
    """
    kind = data.get("kind") if isinstance(data, dict) else None
    if not isinstance(kind, str) or kind not in _KINDS:
        raise ConfigError(f"unknown model kind {quote(kind)}")
    return from_fields(_KINDS[kind], data, "model")


def from_fields(cls: type[_Config], data: Any, what: str) -> _Config:
    """``cls(**data)`` for an untrusted JSON object (lists become tuples), checked with
    its ``check()``; :class:`ConfigError` for anything else, unknown or missing fields
    (``what`` names the options in the message: "unknown model option(s): ...")."""
    if not isinstance(data, dict):
        raise ConfigError(f"{what} options must be an object, got {quote(data)}")
    fields = dataclasses.fields(cls)
    unknown = sorted(map(str, set(data) - {f.name for f in fields}))
    if unknown:
        raise ConfigError(f"unknown {what} option(s): {quote(', '.join(unknown), 80)}")
    missing = [
        f.name
        for f in fields
        if f.name not in data
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        raise ConfigError(f"missing {what} option(s): {', '.join(missing)}")
    config = cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})
    config.check()
    return config


__all__ = [
    "LIMITS",
    "MAX_PARAMETERS",
    "ConfigError",
    "DropoutOption",
    "Limit",
    "IOConfig",
    "LayerOptions",
    "ModelConfig",
    "ModelKind",
    "OMITTED_AT_DEFAULT",
    "Option",
    "ProgramConfig",
    "ProgramOptions",
    "StandardConfig",
    "StandardOptions",
    "check_fields",
    "config_from_dict",
    "config_to_dict",
    "derived_option",
    "from_fields",
    "option",
    "option_of",
]
