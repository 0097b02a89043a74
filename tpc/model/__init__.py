"""The Transformer Program model (docs/design.md §2) and the standard-Transformer baseline.

Lowering uses :func:`read_structure` (the discrete program, see
:mod:`tpc.model.structure`) and :meth:`TransformerProgram.trace` (every variable of the
discrete model on a batch).

The public names below are imported from their submodules on first use: importing
``tpc.model.config`` (no torch) does not import the model's torch code.
"""

from __future__ import annotations

from tpc import lazy_exports

#: Public name → the submodule that defines it.
_EXPORTS = {
    "ConfigError": "config",
    "DiscreteRun": "program",
    "Embedding": "structure",
    "Head": "structure",
    "IOConfig": "config",
    "MLP": "structure",
    "Model": "build",
    "ModelConfig": "config",
    "ProgramConfig": "config",
    "ProgramStructure": "structure",
    "Readout": "structure",
    "Router": "structure",
    "StandardConfig": "config",
    "StandardTransformer": "standard",
    "TransformerProgram": "program",
    "Variable": "structure",
    "build_model": "build",
    "check_model_size": "build",
    "closest_match_bias": "program",
    "config_from_dict": "config",
    "config_to_dict": "config",
    "read_structure": "structure",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
