"""The error of lowering: a model that has no exact IR program."""

from __future__ import annotations

from tpc.errors import TpcError


class LoweringError(TpcError):
    """A model that has no exact finite program (e.g. unbounded numerical value sets)."""
