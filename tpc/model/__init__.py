"""The Transformer Program model (docs/design.md §2) and the standard-Transformer baseline.

Lowering uses :func:`read_structure` (the discrete program, see
:mod:`tpc.model.structure`) and :meth:`TransformerProgram.trace` (every variable of the
discrete model on a batch).
"""

from __future__ import annotations

from tpc.model.config import (
    ConfigError,
    IOConfig,
    ModelConfig,
    ProgramConfig,
    StandardConfig,
    config_from_dict,
    config_to_dict,
)
from tpc.model.program import DiscreteRun, TransformerProgram, closest_match_bias
from tpc.model.standard import StandardTransformer
from tpc.model.structure import (
    MLP,
    Embedding,
    Head,
    ProgramStructure,
    Readout,
    Variable,
    read_structure,
)

Model = TransformerProgram | StandardTransformer


def build_model(config: ModelConfig) -> Model:
    """A freshly initialised model for ``config`` (seed torch first for reproducibility)."""
    if isinstance(config, ProgramConfig):
        return TransformerProgram(config)
    return StandardTransformer(config)


__all__ = [
    "MLP",
    "ConfigError",
    "DiscreteRun",
    "Embedding",
    "Head",
    "IOConfig",
    "Model",
    "ModelConfig",
    "ProgramConfig",
    "ProgramStructure",
    "Readout",
    "StandardConfig",
    "StandardTransformer",
    "TransformerProgram",
    "Variable",
    "build_model",
    "closest_match_bias",
    "config_from_dict",
    "config_to_dict",
    "read_structure",
]
