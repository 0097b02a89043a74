"""Model configurations: everything needed to rebuild a model and read its vocabularies.

A configuration is plain data (JSON round-trip through :func:`config_to_dict` and
:func:`config_from_dict`); the run directory stores it in ``config.json``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from tpc.errors import TpcError

ModelKind = Literal["tp", "standard"]


class ConfigError(TpcError):
    """A model configuration that cannot be built (the message says which option)."""


@dataclass(frozen=True)
class IOConfig:
    """What every model shares: vocabularies, length and the output convention.

    ``input_vocab`` lists the input tokens (PAD first, id 0); ``classes`` the output
    labels (PAD first: never predicted, its positions are not scored). ``class_mask``
    lists the class ids the readout may never predict (always contains 0, PAD).
    ``max_len`` is N, the padded sequence length including BOS/EOS. ``causal``: keys
    j <= i only. ``pooled``: one label per sequence, from the mean of the per-position
    logits over non-pad positions.
    """

    input_vocab: tuple[str, ...]
    classes: tuple[str, ...]
    max_len: int
    class_mask: tuple[int, ...] = (0,)
    causal: bool = False
    pooled: bool = False

    def check(self) -> None:
        """Raise :class:`ConfigError` if the sizes are inconsistent."""
        if len(self.input_vocab) < 2 or len(self.classes) < 2:
            raise ConfigError("the input and output vocabularies need at least 2 entries")
        if self.max_len < 2:
            raise ConfigError(f"max length must be >= 2, got {self.max_len}")
        if any(not 0 <= c < len(self.classes) for c in self.class_mask):
            raise ConfigError(f"class mask {list(self.class_mask)} is out of range")
        if len(set(self.class_mask)) >= len(self.classes):
            raise ConfigError("the class mask leaves no class to predict")


@dataclass(frozen=True)
class ProgramConfig(IOConfig):
    """A Transformer Program (DESIGN §2).

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
    lookup table, e.g. for Tracr).
    """

    kind: ModelKind = "tp"
    d_var: int = 8
    n_layers: int = 1
    n_heads_cat: int = 1
    n_heads_num: int = 0
    n_cat_mlps: int = 0
    n_num_mlps: int = 0
    mlp_vars_in: int = 2
    d_mlp: int = 64
    one_hot_embed: bool = True
    n_vars_cat: int = 1
    count_only: bool = True
    n_vars_num: int = 1
    readout_vars: int = 0

    def check(self) -> None:
        """Raise :class:`ConfigError` naming the first inconsistent option."""
        super().check()
        if self.readout_vars < 0:
            raise ConfigError(f"readout_vars must be >= 0, got {self.readout_vars}")
        positive = {
            "d_var": self.d_var,
            "n_layers": self.n_layers,
            "d_mlp": self.d_mlp,
            "mlp_vars_in": self.mlp_vars_in,
            "n_vars_cat": self.n_vars_cat,
            "n_vars_num": self.n_vars_num,
        }
        for name, value in positive.items():
            if value < 1:
                raise ConfigError(f"{name} must be >= 1, got {value}")
        counts = {
            "n_heads_cat": self.n_heads_cat,
            "n_heads_num": self.n_heads_num,
            "n_cat_mlps": self.n_cat_mlps,
            "n_num_mlps": self.n_num_mlps,
        }
        for name, value in counts.items():
            if value < 0:
                raise ConfigError(f"{name} must be >= 0, got {value}")
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
class StandardConfig(IOConfig):
    """The baseline: a standard pre-LayerNorm Transformer encoder of width ``d_model``
    (each of the ``n_heads`` heads ceil(d_model / n_heads) wide) with learned token and
    position embeddings and a linear readout."""

    kind: ModelKind = "standard"
    d_model: int = 64
    n_layers: int = 2
    n_heads: int = 2
    d_mlp: int = 64
    dropout: float = 0.0

    def check(self) -> None:
        """Raise :class:`ConfigError` naming the first inconsistent option."""
        super().check()
        if min(self.d_model, self.n_layers, self.n_heads, self.d_mlp) < 1:
            raise ConfigError("d_model, layers, heads and d_mlp must be >= 1")
        if not 0.0 <= self.dropout < 1.0:
            raise ConfigError(f"dropout must be in [0, 1), got {self.dropout}")


ModelConfig = ProgramConfig | StandardConfig

_KINDS: dict[str, type[ProgramConfig] | type[StandardConfig]] = {
    "tp": ProgramConfig,
    "standard": StandardConfig,
}


def config_to_dict(config: ModelConfig) -> dict[str, Any]:
    """JSON-ready dict of a configuration (tuples become lists)."""
    return {
        k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(config).items()
    }


def config_from_dict(data: dict[str, Any]) -> ModelConfig:
    """Rebuild a configuration written by :func:`config_to_dict`.

    Raises :class:`ConfigError` on an unknown kind or unknown/missing fields.
    """
    if not isinstance(data, dict) or data.get("kind") not in _KINDS:
        kind = data.get("kind") if isinstance(data, dict) else data
        raise ConfigError(f"unknown model kind {kind!r}")
    cls = _KINDS[data["kind"]]
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(data) - names
    if unknown:
        raise ConfigError(f"unknown model option(s): {', '.join(sorted(unknown))}")
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    try:
        config = cls(**values)
    except TypeError as exc:
        raise ConfigError(f"bad model configuration: {exc}") from None
    config.check()
    return config


__all__ = [
    "ConfigError",
    "IOConfig",
    "ModelConfig",
    "ModelKind",
    "ProgramConfig",
    "StandardConfig",
    "config_from_dict",
    "config_to_dict",
]
