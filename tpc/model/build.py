"""Build a model from its configuration, after checking that it is not too large."""

from __future__ import annotations

import torch

from tpc.model.config import MAX_PARAMETERS, ConfigError, ModelConfig, ProgramConfig
from tpc.model.program import TransformerProgram
from tpc.model.standard import StandardTransformer

Model = TransformerProgram | StandardTransformer


def _construct(config: ModelConfig) -> Model:
    if isinstance(config, ProgramConfig):
        return TransformerProgram(config)
    return StandardTransformer(config)


def check_model_size(config: ModelConfig) -> None:
    """Raise :class:`ConfigError` if a model of ``config`` would have more than
    :data:`MAX_PARAMETERS` parameters (counted on torch's ``meta`` device: no memory)."""
    with torch.device("meta"):
        n = sum(p.numel() for p in _construct(config).parameters())
    if n > MAX_PARAMETERS:
        raise ConfigError(
            f"the model would have {n:,} parameters, more than tpc trains ({MAX_PARAMETERS:,}); "
            "make it smaller"
        )


def build_model(config: ModelConfig) -> Model:
    """The (untrained) model of ``config``; :class:`ConfigError` if it would have more
    than :data:`~tpc.model.config.MAX_PARAMETERS` parameters."""
    check_model_size(config)
    return _construct(config)


__all__ = ["Model", "build_model", "check_model_size"]
